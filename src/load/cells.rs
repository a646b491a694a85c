//! Reading single cells by the contract's rules: numbers in the file's dialect, the
//! statistical symbols for missing values and exact zero, Kreisschlüssel, months and
//! dates as Excel writes them. Each function returns what was expected on failure, so
//! the caller can build a message with file, line and column.

use chrono::NaiveDate;

use super::csv::Delimiter;

/// A cell of a value column: a number, or missing.
pub type Cell<T> = Option<T>;

/// Symbols that mean "no value": anonymised, unknown or secret, not meaningful, not
/// reliable, not yet available.
const MISSING: [&str; 7] = ["", "*", ".", "x", "/", "…", "..."];
/// Symbols that mean exactly zero.
const ZERO: [&str; 2] = ["-", "–"];

/// The reason a cell was rejected: what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected(pub String);

impl Expected {
    fn new(what: &str, found: &str) -> Self {
        if found.is_empty() {
            Self(
                crate::messages::Msg::ExpectedEmptyCell {
                    what: what.to_string(),
                }
                .to_string(),
            )
        } else {
            Self(
                crate::messages::Msg::Expected {
                    what: what.to_string(),
                    found: found.to_string(),
                }
                .to_string(),
            )
        }
    }
}

pub fn is_missing(cell: &str) -> bool {
    MISSING.contains(&cell) || cell == "X"
}

/// A decimal number written in the file's dialect, as sign, digits and decimals:
/// `(negative, integer digits, fraction digits)`.
fn split_number(cell: &str, delimiter: Delimiter) -> Option<(bool, String, String)> {
    let (negative, body) = if let Some(rest) = cell.strip_prefix(['-', '−']) {
        (true, rest.trim_start())
    } else if let Some(rest) = cell.strip_prefix('+') {
        (false, rest.trim_start())
    } else {
        (false, cell)
    };
    let (decimal_mark, group) = match delimiter {
        Delimiter::Semicolon => (',', Some('.')),
        Delimiter::Comma => ('.', None),
    };
    let (int_part, frac_part) = match body.split_once(decimal_mark) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return None;
    }
    let int_digits = match group {
        Some(g) if int_part.contains(g) => {
            let groups: Vec<&str> = int_part.split(g).collect();
            let first_ok = (1..=3).contains(&groups[0].len());
            if !first_ok || groups[1..].iter().any(|grp| grp.len() != 3) {
                return None;
            }
            groups.concat()
        }
        _ => int_part.to_string(),
    };
    let frac = frac_part.unwrap_or("").to_string();
    if int_digits.is_empty() && frac.is_empty() {
        return None;
    }
    if !int_digits.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if frac_part.is_some() && frac.is_empty() {
        return None;
    }
    Some((negative, int_digits, frac))
}

/// A whole, non-negative count. `-`/`–` are zero; missing symbols give `None`.
/// A decimal part of zeros only (`12,0`) is accepted as the whole number it is.
pub fn count(cell: &str, delimiter: Delimiter) -> Result<Cell<i64>, Expected> {
    if is_missing(cell) {
        return Ok(None);
    }
    if ZERO.contains(&cell) {
        return Ok(Some(0));
    }
    let Some((negative, int_digits, frac)) = split_number(cell, delimiter) else {
        return Err(Expected::new("eine ganze Zahl", cell));
    };
    if frac.bytes().any(|b| b != b'0') {
        return Err(Expected::new("eine ganze Zahl", cell));
    }
    let digits = if int_digits.is_empty() {
        "0"
    } else {
        int_digits.as_str()
    };
    let digits = digits.trim_start_matches('0');
    let value: i64 = if digits.is_empty() {
        0
    } else if digits.len() > 13 {
        return Err(Expected::new("eine ganze Zahl bis höchstens 10^12", cell));
    } else {
        digits
            .parse()
            .map_err(|_| Expected::new("eine ganze Zahl", cell))?
    };
    if value > MAX_COUNT {
        return Err(Expected::new("eine ganze Zahl bis höchstens 10^12", cell));
    }
    if negative && value != 0 {
        return Err(Expected::new("eine Anzahl von mindestens 0", cell));
    }
    Ok(Some(value))
}

/// The largest count accepted: beyond it a value is surely a typing error, and exact
/// arithmetic over sums of many months and Jobcenters could overflow.
pub const MAX_COUNT: i64 = 1_000_000_000_000;
/// The largest amount of euros accepted (in absolute value): a trillion euros in one month
/// of one Jobcenter is surely an error, and in millionths it still fits 64 bits.
pub const MAX_EUROS: i64 = 1_000_000_000_000;

/// An amount of euros, may carry decimals and be negative; returned exactly in millionths
/// of a euro ([`crate::domain::MONEY_SCALE`]; a seventh decimal and beyond is rounded half
/// away from zero).
pub fn money(cell: &str, delimiter: Delimiter) -> Result<Cell<i64>, Expected> {
    if is_missing(cell) {
        return Ok(None);
    }
    if ZERO.contains(&cell) {
        return Ok(Some(0));
    }
    let Some((negative, int_digits, frac)) = split_number(cell, delimiter) else {
        return Err(Expected::new("ein Betrag in Euro", cell));
    };
    let int_digits = int_digits.trim_start_matches('0');
    if int_digits.len() > 13 {
        return Err(Expected::new(
            "ein Betrag in Euro bis höchstens 10^12",
            cell,
        ));
    }
    let euros: i128 = if int_digits.is_empty() {
        0
    } else {
        int_digits
            .parse()
            .map_err(|_| Expected::new("ein Betrag in Euro", cell))?
    };
    if euros > i128::from(MAX_EUROS) {
        return Err(Expected::new(
            "ein Betrag in Euro bis höchstens 10^12",
            cell,
        ));
    }
    let mut units = euros;
    for i in 0..6 {
        let d = frac.as_bytes().get(i).map_or(0, |b| i128::from(b - b'0'));
        units = units * 10 + d;
    }
    // Halves away from zero on the seventh decimal (and anything after it).
    if frac.as_bytes().get(6).is_some_and(|&b| b >= b'5') {
        units += 1;
    }
    if units > i128::from(MAX_EUROS) * crate::domain::MONEY_SCALE {
        return Err(Expected::new(
            "ein Betrag in Euro bis höchstens 10^12",
            cell,
        ));
    }
    // At most 10^12 · 10^6 in absolute value: fits 64 bits.
    let units = i64::try_from(units).map_err(|_| Expected::new("ein Betrag in Euro", cell))?;
    Ok(Some(if negative { -units } else { units }))
}

/// An exact decimal with at most `max_decimals` places: `(units, decimals)` where the
/// value is `units / 10^decimals`. `-` and `–` are exactly zero (German Excel's
/// accounting format writes a zero so).
#[allow(clippy::cast_possible_truncation)]
pub fn decimal(
    cell: &str,
    delimiter: Delimiter,
    max_decimals: u32,
) -> Result<(i64, u32), Expected> {
    let what = format!("ein Prozentwert mit höchstens {max_decimals} Nachkommastellen");
    if ZERO.contains(&cell) {
        return Ok((0, 0));
    }
    let Some((negative, int_digits, frac)) = split_number(cell, delimiter) else {
        return Err(Expected::new(&what, cell));
    };
    let decimals = frac.len() as u32;
    if decimals > max_decimals || int_digits.len() > 12 {
        return Err(Expected::new(&what, cell));
    }
    let digits = format!("{int_digits}{frac}");
    let units: i64 = digits.parse().map_err(|_| Expected::new(&what, cell))?;
    Ok((if negative { -units } else { units }, decimals))
}

/// The first character of a text cell that no report can show or that would break a
/// mail header: control characters (C0 other than tab, DEL, C1, line and paragraph
/// separators) and characters outside the scripts the embedded fonts cover (emoji, CJK, …).
pub fn unprintable(cell: &str) -> Option<char> {
    cell.chars().find(|&c| {
        let u = u32::from(c);
        let control = (u < 0x20 && c != '\t') || (0x7F..=0x9F).contains(&u);
        let covered = matches!(u,
            0x09 | 0x20..=0x7E | 0xA0..=0x24F | 0x259 | 0x2B0..=0x2FF | 0x300..=0x36F
            | 0x370..=0x3FF | 0x400..=0x4FF | 0x1E00..=0x1EFF | 0x2000..=0x2027
            | 0x202F..=0x205F | 0x2070..=0x209F | 0x20A0..=0x20BF | 0x2100..=0x214F
            | 0x2150..=0x218F | 0x2190..=0x21FF | 0x2200..=0x22FF);
        control || !covered
    })
}

/// The message for [`unprintable`]'s finding.
pub fn unprintable_message(c: char) -> String {
    let u = u32::from(c);
    let what = if u < 0x20 || (0x7F..=0x9F).contains(&u) || u == 0x2028 || u == 0x2029 {
        "ein Steuerzeichen (ein Zeilenumbruch mit Alt+Eingabe in Excel?)"
    } else {
        "ein Zeichen, das die Berichte nicht darstellen können"
    };
    crate::messages::Msg::Unprintable {
        what: what.to_string(),
        code: format!("U+{u:04X}"),
    }
    .to_string()
}

/// A Kreisschlüssel: digits only, at most 5; shorter ids are padded (Excel drops leading
/// zeros). Returns the id and whether it was padded.
pub fn jobcenter_id(cell: &str) -> Result<(String, bool), Expected> {
    let what = "ein Kreisschlüssel mit bis zu 5 Ziffern";
    if cell.is_empty() || cell.len() > 5 || !cell.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Expected::new(what, cell));
    }
    Ok((format!("{cell:0>5}"), cell.len() < 5))
}

/// A month as `YYYY-MM`, `YYYY-MM-DD`, `MM.YYYY` or `DD.MM.YYYY` (the day is ignored but
/// must be a real date). Returns (year, month).
#[allow(clippy::cast_possible_wrap)]
pub fn month(cell: &str) -> Result<(i32, u32), Expected> {
    let what = "ein Monat als JJJJ-MM (oder JJJJ-MM-TT, MM.JJJJ, TT.MM.JJJJ)";
    let err = || Expected::new(what, cell);
    let num = |s: &str, min: usize, max: usize| -> Option<u32> {
        (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let parts: Vec<&str>;
    let (year, month, day) = if cell.contains('-') {
        parts = cell.split('-').collect();
        match parts.as_slice() {
            [y, m] => (num(y, 4, 4), num(m, 2, 2), Some(1)),
            [y, m, d] => (num(y, 4, 4), num(m, 2, 2), num(d, 2, 2)),
            _ => return Err(err()),
        }
    } else {
        parts = cell.split('.').collect();
        match parts.as_slice() {
            [m, y] => (num(y, 4, 4), num(m, 1, 2), Some(1)),
            [d, m, y] => (num(y, 4, 4), num(m, 1, 2), num(d, 1, 2)),
            _ => return Err(err()),
        }
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(err());
    };
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(err)?;
    Ok((year as i32, month))
}

/// A calendar date as `YYYY-MM-DD` (or `DD.MM.YYYY`).
pub fn date(cell: &str) -> Result<Cell<NaiveDate>, Expected> {
    if is_missing(cell) {
        return Ok(None);
    }
    NaiveDate::parse_from_str(cell, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(cell, "%d.%m.%Y"))
        .map(Some)
        .map_err(|_| Expected::new("ein Datum als JJJJ-MM-TT", cell))
}

/// A four-digit year.
pub fn year(cell: &str) -> Result<i32, Expected> {
    if cell.len() == 4 && cell.bytes().all(|b| b.is_ascii_digit()) {
        Ok(cell.parse().expect("four digits"))
    } else {
        Err(Expected::new("eine vierstellige Jahreszahl", cell))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Delimiter::{Comma, Semicolon};

    #[test]
    fn counts_in_both_dialects() {
        assert_eq!(count("1.234.567", Semicolon), Ok(Some(1_234_567)));
        assert_eq!(count("1.234", Semicolon), Ok(Some(1234)));
        assert_eq!(count("12,0", Semicolon), Ok(Some(12)));
        assert_eq!(count("1234", Comma), Ok(Some(1234)));
        assert_eq!(count("-", Comma), Ok(Some(0)));
        assert_eq!(count("–", Semicolon), Ok(Some(0)));
        for symbol in ["", "*", ".", "x", "/", "…", "..."] {
            assert_eq!(count(symbol, Semicolon), Ok(None), "{symbol}");
        }
        assert!(count("12a", Semicolon).is_err());
        assert!(count("12,5", Semicolon).is_err());
        assert!(count("1.23", Semicolon).is_err());
        assert!(count("1,234", Comma).is_err());
        assert!(count("1.234", Comma).is_err());
        assert!(count("1e3", Comma).is_err());
        assert!(count("1000000000001", Comma).is_err());
        assert_eq!(count("1000000000000", Comma), Ok(Some(1_000_000_000_000)));
        assert_eq!(
            count("-5", Comma).unwrap_err().0,
            "erwartet wird eine Anzahl von mindestens 0, gefunden wurde \"-5\""
        );
    }

    #[test]
    fn money_keeps_decimals_and_sign() {
        assert_eq!(
            money("1.234.567,89", Semicolon),
            Ok(Some(1_234_567_890_000))
        );
        assert_eq!(money("-12,5", Semicolon), Ok(Some(-12_500_000)));
        assert_eq!(money("1234567.89", Comma), Ok(Some(1_234_567_890_000)));
        // Three decimals stay exact: 1.000,005 € is 1 000 005 000 millionths.
        assert_eq!(money("1.000,005", Semicolon), Ok(Some(1_000_005_000)));
        // Beyond six decimals: halves away from zero.
        assert_eq!(money("0.0000005", Comma), Ok(Some(1)));
        assert_eq!(money("-0.0000005", Comma), Ok(Some(-1)));
        assert!(money("10000000000000000", Comma).is_err());
        assert!(money("1000000000000.01", Comma).is_err());
        assert_eq!(
            money("-1000000000000", Comma),
            Ok(Some(-1_000_000_000_000_000_000))
        );
        assert_eq!(money("...", Comma), Ok(None));
        assert!(money("1.234,5", Comma).is_err());
        assert!(money("12,", Semicolon).is_err());
    }

    #[test]
    fn percentages_are_exact() {
        assert_eq!(decimal("2,1", Semicolon, 2), Ok((21, 1)));
        assert_eq!(decimal("-0.25", Comma, 2), Ok((-25, 2)));
        assert_eq!(decimal("0", Comma, 2), Ok((0, 0)));
        assert!(decimal("0,125", Semicolon, 2).is_err());
        assert_eq!(decimal("-", Semicolon, 2), Ok((0, 0)));
        assert_eq!(decimal("–", Comma, 2), Ok((0, 0)));
        assert!(decimal("", Semicolon, 2).is_err());
    }

    #[test]
    fn ids_are_padded() {
        assert_eq!(jobcenter_id("5554"), Ok(("05554".into(), true)));
        assert_eq!(jobcenter_id("05554"), Ok(("05554".into(), false)));
        assert!(jobcenter_id("055541").is_err());
        assert!(jobcenter_id("5554.0").is_err());
    }

    #[test]
    fn months_in_excel_shapes() {
        assert_eq!(month("2018-09"), Ok((2018, 9)));
        assert_eq!(month("2018-09-30"), Ok((2018, 9)));
        assert_eq!(month("09.2018"), Ok((2018, 9)));
        assert_eq!(month("30.09.2018"), Ok((2018, 9)));
        assert_eq!(month("1.9.2018"), Ok((2018, 9)));
        assert!(month("2018-13").is_err());
        assert!(month("31.09.2018").is_err());
        assert!(month("2018-02-30").is_err());
        assert!(month("2018/09").is_err());
    }
}
