//! The document date written into every PDF (`SOURCE_DATE_EPOCH` or the start of the
//! day, UTC).

use std::fmt;

use typst::foundations::Datetime;

/// The document date written into the PDF metadata (always UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl DocumentDate {
    /// The UTC date and time of a Unix timestamp (tests; the house takes its dates from
    /// chrono, the one calendar).
    #[cfg(test)]
    pub fn from_unix_seconds(seconds: i64) -> Self {
        chrono::DateTime::from_timestamp(seconds, 0)
            .expect("a timestamp chrono can hold")
            .into()
    }

    pub(super) fn to_datetime(self) -> Option<Datetime> {
        Datetime::from_ymd_hms(
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        )
    }
}

impl From<chrono::DateTime<chrono::Utc>> for DocumentDate {
    #[allow(clippy::cast_possible_truncation)]
    fn from(ts: chrono::DateTime<chrono::Utc>) -> Self {
        use chrono::{Datelike, Timelike};
        Self {
            year: ts.year(),
            month: ts.month() as u8,
            day: ts.day() as u8,
            hour: ts.hour() as u8,
            minute: ts.minute() as u8,
            second: ts.second() as u8,
        }
    }
}

impl fmt::Display for DocumentDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}
