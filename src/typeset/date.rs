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
    /// The UTC date and time of a Unix timestamp (e.g. `SOURCE_DATE_EPOCH`).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn from_unix_seconds(seconds: i64) -> Self {
        let days = seconds.div_euclid(86_400);
        let rest = seconds.rem_euclid(86_400);
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self {
            year: year as i32,
            month: month as u8,
            day: day as u8,
            hour: (rest / 3600) as u8,
            minute: (rest % 3600 / 60) as u8,
            second: (rest % 60) as u8,
        }
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
