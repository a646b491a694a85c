//! The month a report is made for, and the months of the Jahresfortschritt around it.

use std::fmt;

use serde::Serialize;

/// The month a report is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Berichtsmonat {
    pub year: i32,
    pub month: u32,
}

impl Berichtsmonat {
    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let year = y.parse().ok()?;
        let month = m.parse().ok()?;
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    /// Parses `YYYY-Qn` into the quarter's last month.
    pub fn parse_quarter(text: &str) -> Option<Self> {
        let (y, q) = text.trim().split_once(['-', ' '])?;
        let q = q.strip_prefix(['Q', 'q'])?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let quarter: u32 = q.parse().ok()?;
        (1..=4).contains(&quarter).then_some(Self {
            year: y.parse().ok()?,
            month: quarter * 3,
        })
    }

    pub fn is_december(self) -> bool {
        self.month == 12
    }
}

impl fmt::Display for Berichtsmonat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// clap value parser for `--month`.
pub fn parse_month_arg(text: &str) -> Result<Berichtsmonat, String> {
    Berichtsmonat::parse(text)
        .ok_or_else(|| format!("erwartet wird JJJJ-MM, gefunden wurde \"{text}\""))
}

/// clap value parser for `--quarter`.
pub fn parse_quarter_arg(text: &str) -> Result<Berichtsmonat, String> {
    Berichtsmonat::parse_quarter(text)
        .ok_or_else(|| format!("erwartet wird JJJJ-Qn (n = 1..4), gefunden wurde \"{text}\""))
}

/// clap value parser for `--year` (`archive`, `vereinbarung`): a four-digit year from
/// 2000 to 2099, the years `ziele.csv` can hold agreements for.
pub fn parse_year_arg(text: &str) -> Result<i32, String> {
    let t = text.trim();
    t.parse::<i32>()
        .ok()
        .filter(|y| t.len() == 4 && (2000..=2099).contains(y))
        .ok_or_else(|| {
            format!(
                "erwartet wird eine vierstellige Jahreszahl wie 2019, gefunden wurde \"{text}\""
            )
        })
}

/// Months before the Datenstand whose figures are still provisional (the Wartezeit of the
/// BA statistics): footnoted in the Gesprächspunkte and drawn hollow in the charts.
pub const WARTEZEIT_MONTHS: i32 = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_quarters_parse() {
        assert_eq!(
            Berichtsmonat::parse("2018-09"),
            Some(Berichtsmonat {
                year: 2018,
                month: 9
            })
        );
        assert_eq!(Berichtsmonat::parse("2018-13"), None);
        assert_eq!(Berichtsmonat::parse("+018-09"), None);
        assert_eq!(
            Berichtsmonat::parse_quarter("2018-Q3"),
            Some(Berichtsmonat {
                year: 2018,
                month: 9
            })
        );
        assert_eq!(Berichtsmonat::parse_quarter("2018-Q5"), None);
    }
}
