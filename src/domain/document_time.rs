//! The time a document carries (its PDF metadata, `kennzahlen.xlsx`, a manifest's
//! `created`, a mail's `Date`): `SOURCE_DATE_EPOCH` when set, else the system clock —
//! checked once, before any work, against the range every output can hold.
//!
//! The range is 1970-01-01T00:00:00Z ..= 9999-12-31T23:59:59Z: a PDF date (and the XMP
//! metadata of PDF/A) has four digits for the year, and `SOURCE_DATE_EPOCH` counts
//! seconds since 1970 (reproducible-builds.org), so a negative value is no intended
//! date but a mistake (`-1` would date every document 1969).

use std::time::SystemTime;

use chrono::{DateTime, Utc};

/// The earliest document time: 1970-01-01T00:00:00Z.
pub const EARLIEST: i64 = 0;
/// The latest document time: 9999-12-31T23:59:59Z.
pub const LATEST: i64 = 253_402_300_799;

/// The allowed range in words, for the messages.
const RANGE: &str = "0 (1970-01-01T00:00:00Z) bis 253402300799 (9999-12-31T23:59:59Z)";

/// The time of `SOURCE_DATE_EPOCH` (its text as set), or why it cannot be used.
pub fn from_source_date_epoch(text: &str) -> Result<DateTime<Utc>, String> {
    let wrong = |why: &str| {
        format!(
            "SOURCE_DATE_EPOCH: erwartet werden ganze Sekunden seit 1970 im Bereich {RANGE}, \
             gefunden „{}“{why}; nichts wurde geschrieben",
            text.escape_debug()
        )
    };
    let seconds: i64 = text
        .trim()
        .parse()
        .map_err(|_| wrong(" (keine ganze Zahl)"))?;
    if !(EARLIEST..=LATEST).contains(&seconds) {
        return Err(wrong(if seconds < EARLIEST {
            " (vor 1970)"
        } else {
            " (nach dem Jahr 9999)"
        }));
    }
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| wrong(""))
}

/// The time of the system clock, or why it cannot date a document (a clock before 1970
/// or after the year 9999).
pub fn from_clock(now: SystemTime) -> Result<DateTime<Utc>, String> {
    let wrong = |shown: String| {
        format!(
            "die Systemuhr steht auf {shown}; Dokumente können nur Zeiten von 1970 bis zum Jahr \
             9999 tragen. Bitte die Uhr stellen oder SOURCE_DATE_EPOCH setzen ({RANGE}); \
             nichts wurde geschrieben"
        )
    };
    match now.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs())
            .ok()
            .filter(|s| *s <= LATEST)
            .and_then(|s| DateTime::from_timestamp(s, since.subsec_nanos()))
            .ok_or_else(|| {
                wrong(format!(
                    "{} s nach 1970 (nach dem Jahr 9999)",
                    since.as_secs()
                ))
            }),
        Err(before) => Err(wrong(format!("{} s vor 1970", before.duration().as_secs()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn source_date_epoch_within_1970_to_9999_only() {
        assert_eq!(
            from_source_date_epoch("0").unwrap().to_rfc3339(),
            "1970-01-01T00:00:00+00:00"
        );
        assert_eq!(
            from_source_date_epoch(" 253402300799 ")
                .unwrap()
                .to_rfc3339(),
            "9999-12-31T23:59:59+00:00"
        );
        for (bad, why) in [
            ("-1", "vor 1970"),
            ("-62135596800", "vor 1970"), // year 1
            ("253402300800", "nach dem Jahr 9999"),
            ("1e9", "keine ganze Zahl"),
            ("99999999999999999999", "keine ganze Zahl"),
            ("", "keine ganze Zahl"),
        ] {
            let message = from_source_date_epoch(bad).unwrap_err();
            assert!(message.contains(why), "{bad}: {message}");
            assert!(message.contains("1970-01-01T00:00:00Z"), "{message}");
        }
    }

    #[test]
    fn a_clock_before_1970_or_after_9999_is_an_error_not_a_panic() {
        let at = |s: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        assert!(from_clock(at(1_539_676_800)).is_ok());
        assert!(from_clock(at(253_402_300_799)).is_ok());
        let late = from_clock(at(253_402_300_800)).unwrap_err();
        assert!(late.contains("nach dem Jahr 9999"), "{late}");
        let early = from_clock(SystemTime::UNIX_EPOCH - Duration::from_hours(24)).unwrap_err();
        assert!(early.contains("86400 s vor 1970"), "{early}");
    }
}
