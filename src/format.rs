//! German number and date formatting, done here because Typst has none: `1.234.567`,
//! `2,1 %`, `−0,4 %` (a real minus), `30. September 2018`, `Jan.–Sept. 2018`, `k. A.`,
//! `12,3 Mio. €`.

use chrono::{Datelike, NaiveDate};

/// Shown for a missing value (with a footnote in the reports).
pub const KA: &str = "k. A.";
/// The real minus sign.
pub const MINUS: char = '\u{2212}';

pub const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
pub const MONTHS_SHORT: [&str; 12] = [
    "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
];

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A number with `decimals` places, decimal comma, `.` thousands, real minus.
/// Rounds halves away from zero on the printed decimal.
pub fn number(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, round_half_away(x, decimals).abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    if x < 0.0 && !zero {
        out.push(MINUS);
    }
    out.push_str(&group_thousands(int));
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

fn round_half_away(x: f64, decimals: usize) -> f64 {
    // Round via the shortest decimal representation to avoid 2,0499… artefacts.
    let exact: f64 = format!("{x:.12}").parse().unwrap_or(x);
    let f = 10f64.powi(decimals as i32);
    (exact * f).round() / f
}

/// A whole number: `1.234.567`.
pub fn int(x: f64) -> String {
    number(x, 0)
}

/// A percentage value: `26,9 %`.
pub fn percent(x: f64, decimals: usize) -> String {
    format!("{} %", number(x, decimals))
}

/// A change in percent with sign: `+2,1 %`, `−0,4 %`, `0,0 %`.
pub fn change(x: f64, decimals: usize) -> String {
    let body = number(x, decimals);
    if body.starts_with(MINUS) || body.trim_start_matches(['0', ',']).is_empty() {
        format!("{body} %")
    } else {
        format!("+{body} %")
    }
}

/// An exact decimal change (e.g. Ist or Soll): `+2,10 %` keeps its places.
pub fn change_exact(units: i128, decimals: u32) -> String {
    let x = units as f64 / 10f64.powi(decimals as i32);
    change(x, decimals as usize)
}

/// Euros, short: `12,3 Mio. €` from one million, else `123.456 €`.
pub fn euro_short(x: f64) -> String {
    if x.abs() >= 1e9 {
        format!("{} Mrd. €", number(x / 1e9, 2))
    } else if x.abs() >= 1e6 {
        format!("{} Mio. €", number(x / 1e6, 1))
    } else {
        format!("{} €", number(x, 0))
    }
}

/// A date in running text: `30. September 2018`.
pub fn date_long(d: NaiveDate) -> String {
    format!("{}. {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// A numeric date: `30.09.2018`.
pub fn date_numeric(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// `September 2018`.
pub fn month_long(year: i32, month: u32) -> String {
    format!("{} {year}", MONTHS[month as usize - 1])
}

/// The Jahresfortschritt period in words: `Januar bis September 2018` (`Januar 2018`).
pub fn period_long(year: i32, month: u32) -> String {
    if month == 1 {
        format!("Januar {year}")
    } else {
        format!("Januar bis {} {year}", MONTHS[month as usize - 1])
    }
}

/// Short: `Jan.–Sept. 2018` (`Jan. 2018`).
pub fn period_short(year: i32, month: u32) -> String {
    if month == 1 {
        format!("Jan. {year}")
    } else {
        format!("Jan.–{} {year}", MONTHS_SHORT[month as usize - 1])
    }
}

/// Optional value or `k. A.`.
pub fn or_ka(x: Option<f64>, f: impl Fn(f64) -> String) -> String {
    x.map_or_else(|| KA.to_string(), f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(int(1_234_567.0), "1.234.567");
        assert_eq!(int(999.0), "999");
        assert_eq!(int(-1234.0), "−1.234");
        assert_eq!(number(26.855, 2), "26,86");
        assert_eq!(number(0.0, 1), "0,0");
        assert_eq!(number(-0.04, 1), "0,0");
        assert_eq!(number(1234.5, 1), "1.234,5");
    }

    #[test]
    fn changes_carry_a_sign() {
        assert_eq!(change(2.1, 1), "+2,1 %");
        assert_eq!(change(-0.4, 1), "−0,4 %");
        assert_eq!(change(0.0, 1), "0,0 %");
        assert_eq!(change(-0.01, 1), "0,0 %");
        assert_eq!(change(2.05, 1), "+2,1 %");
        assert_eq!(change_exact(-25, 2), "−0,25 %");
        assert_eq!(percent(26.86, 1), "26,9 %");
    }

    #[test]
    fn money_short() {
        assert_eq!(euro_short(12_345_678.9), "12,3 Mio. €");
        assert_eq!(euro_short(345_100_000.0), "345,1 Mio. €");
        assert_eq!(euro_short(1_234_000_000.0), "1,23 Mrd. €");
        assert_eq!(euro_short(98_765.4), "98.765 €");
    }

    #[test]
    fn dates_and_periods() {
        let d = NaiveDate::from_ymd_opt(2018, 9, 30).unwrap();
        assert_eq!(date_long(d), "30. September 2018");
        assert_eq!(date_numeric(d), "30.09.2018");
        assert_eq!(period_short(2018, 9), "Jan.–Sept. 2018");
        assert_eq!(period_long(2018, 9), "Januar bis September 2018");
        assert_eq!(period_long(2018, 1), "Januar 2018");
        assert_eq!(month_long(2018, 3), "März 2018");
    }
}
