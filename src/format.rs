//! German number and date formatting, done here because Typst has none: `1.234.567`,
//! `2,1 %`, `−0,4 %` (a real minus), `30. September 2018`, `Jan.–Sept. 2018`, `k. A.`,
//! `12,3 Mio. €`.

use chrono::{Datelike, NaiveDate};

use crate::domain::Decimal;

/// Shown for a missing value (with a footnote in the reports); a narrow no-break space
/// keeps "k." and "A." on one line.
pub const KA: &str = "k.\u{202F}A.";
/// The narrow no-break space set before `%` and `€` in documents.
pub const UNIT_SPACE: char = '\u{202F}';
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
/// Rounds halves away from zero on the decimal text of `x` (the shortest text that reads
/// back as `x`), so `number(1.005, 2)` is "1,01" although the float lies below 1.005.
pub fn number(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return KA.to_string();
    }
    let shortest = format!("{}", x.abs());
    let (int, frac) = shortest.split_once('.').unwrap_or((&shortest, ""));
    digits_text(x < 0.0, int, frac, decimals)
}

/// An exact decimal with `decimals` places (rounded half away from zero), as [`number`].
pub fn decimal(d: Decimal, decimals: usize) -> String {
    let text = d.to_string();
    let negative = text.starts_with('-');
    let body = text.trim_start_matches('-');
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    digits_text(negative, int, frac, decimals)
}

/// Rounds the digit strings `int.frac` half away from zero to `decimals` places and prints
/// them in German form.
fn digits_text(negative: bool, int: &str, frac: &str, decimals: usize) -> String {
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let keep = int.len() + decimals;
    digits.resize(digits.len().max(keep + 1), 0);
    let round_up = digits[keep] >= 5;
    digits.truncate(keep);
    if round_up {
        let mut i = keep;
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - decimals;
    let int_digits: String = digits[..split]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    let int_digits = int_digits.trim_start_matches('0');
    let int_digits = if int_digits.is_empty() {
        "0"
    } else {
        int_digits
    };
    let frac_digits: String = digits[split..]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    let zero = digits.iter().all(|&d| d == 0);
    let mut out = String::new();
    if negative && !zero {
        out.push(MINUS);
    }
    out.push_str(&group_thousands(int_digits));
    if decimals > 0 {
        out.push(',');
        out.push_str(&frac_digits);
    }
    out
}

/// A whole number: `1.234.567`.
pub fn int(x: f64) -> String {
    number(x, 0)
}

/// A percentage value: `26,9 %` (narrow no-break space before `%`).
pub fn percent(x: f64, decimals: usize) -> String {
    format!("{}{UNIT_SPACE}%", number(x, decimals))
}

/// A change in percent with sign for plain text (mails): `+2,1 %`, `−0,4 %`, `0,0 %`.
pub fn change(x: f64, decimals: usize) -> String {
    signed(&number(x, decimals), ' ')
}

/// A change in percent with sign for documents: as [`change`], with a no-break
/// space before `%`.
pub fn change_doc(x: f64, decimals: usize) -> String {
    signed(&number(x, decimals), UNIT_SPACE)
}

fn signed(body: &str, space: char) -> String {
    if body.starts_with(MINUS) || body.trim_start_matches(['0', ',', '.']).is_empty() {
        format!("{body}{space}%")
    } else {
        format!("+{body}{space}%")
    }
}

/// An exact decimal change in percent with sign for plain text: `+2,5 %`.
pub fn change_exact_plain(d: Decimal, places: usize) -> String {
    signed(&decimal(d, places), ' ')
}

/// An exact decimal change (e.g. Ist or Soll) for documents with `places` decimals:
/// `+2,10 %`.
pub fn change_exact(d: Decimal, places: usize) -> String {
    signed(&decimal(d, places), UNIT_SPACE)
}

/// Euros, short, for documents: `12,3 Mio. €` from one million, else `123.456 €`.
pub fn euro_short(x: f64) -> String {
    if x.abs() >= 1e9 {
        format!("{}{UNIT_SPACE}Mrd.{UNIT_SPACE}€", number(x / 1e9, 2))
    } else if x.abs() >= 1e6 {
        format!("{}{UNIT_SPACE}Mio.{UNIT_SPACE}€", number(x / 1e6, 1))
    } else {
        format!("{}{UNIT_SPACE}€", number(x, 0))
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
        // Exactly 1.005 (as written) rounds up, although the float is 1.00499999…
        assert_eq!(number(1.005, 2), "1,01");
        assert_eq!(number(2.675, 2), "2,68");
        assert_eq!(number(-2.5, 0), "−3");
        assert_eq!(number(9.995, 2), "10,00");
        assert_eq!(number(999_999.5, 0), "1.000.000");
        assert_eq!(number(1e-7, 2), "0,00");
        assert_eq!(decimal(Decimal::new(-1005, 3), 2), "−1,01");
        assert_eq!(decimal(Decimal::new(25, 1), 0), "3");
        assert_eq!(decimal(Decimal::new(-4, 2), 1), "0,0");
    }

    #[test]
    fn changes_carry_a_sign() {
        assert_eq!(change(2.1, 1), "+2,1 %");
        assert_eq!(change(-0.4, 1), "−0,4 %");
        assert_eq!(change(0.0, 1), "0,0 %");
        assert_eq!(change(-0.01, 1), "0,0 %");
        assert_eq!(change(2.05, 1), "+2,1 %");
        assert_eq!(change_exact(Decimal::new(-25, 2), 2), "−0,25\u{202F}%");
        assert_eq!(change_exact(Decimal::new(0, 0), 1), "0,0\u{202F}%");
        assert_eq!(change_exact(Decimal::new(2, 0), 1), "+2,0\u{202F}%");
        assert_eq!(change_doc(2.1, 1), "+2,1\u{202F}%");
        assert_eq!(percent(26.86, 1), "26,9\u{202F}%");
    }

    #[test]
    fn money_short() {
        let nb = |s: &str| s.replace(' ', "\u{202F}");
        assert_eq!(euro_short(12_345_678.9), nb("12,3 Mio. €"));
        assert_eq!(euro_short(345_100_000.0), nb("345,1 Mio. €"));
        assert_eq!(euro_short(1_234_000_000.0), nb("1,23 Mrd. €"));
        assert_eq!(euro_short(98_765.4), nb("98.765 €"));
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
