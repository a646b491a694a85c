//! Excel workbooks as input (contract 1.3): the first worksheet of an `.xlsx` file becomes
//! the same [`Table`] a CSV file gives, so every rule of the readers holds unchanged.
//!
//! The header is the first row holding a non-empty cell; a record's line is its row in the
//! sheet. Each cell becomes the text a `;` file would hold: numbers in their shortest
//! decimal form with a decimal comma (`2.1` → `2,1`), a percentage-formatted number as
//! what it shows (0.021 shown as 2,1 % → `2,1`, by moving the decimal point in the text,
//! never by multiplying a float), date cells as `YYYY-MM-DD` (a month reads its year and
//! month from it), time cells (a time of day without a date) as `HH:MM`. Errors are then located as the cell the user sees ([`locate`]).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};

use super::csv::{Record, Table};
use crate::error::InputError;

/// The file extension of workbooks.
pub const EXTENSION: &str = "xlsx";

/// Where a table's cells sit in its worksheet, to name them in messages.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The workbook's path, as the errors about it carry it.
    pub path: PathBuf,
    /// The worksheet's name (`Tabelle1`).
    pub name: String,
    /// Per header position, the sheet column (0 = `A`).
    pub columns: Vec<u32>,
    /// Per header position, the column name (lower case) as in the table.
    pub names: Vec<String>,
}

impl Sheet {
    /// The location of `line` and, if given, of column `name` of the header: `Tabelle1!E17`
    /// or `Tabelle1 row 17`. A column named twice is located at its second occurrence
    /// (the one the duplicate-column error is about).
    fn location(&self, line: usize, column: Option<&str>) -> String {
        let position = column.and_then(|c| self.names.iter().rposition(|n| n == c));
        match position {
            Some(i) => format!(
                "{}!{}{line}",
                quoted_sheet(&self.name),
                column_letters(self.columns[i])
            ),
            None => format!("{} row {line}", quoted_sheet(&self.name)),
        }
    }
}

/// A sheet name as Excel writes it in a reference: quoted when it holds anything but
/// letters, digits and `_` (`'Daten 2018'!B4`).
fn quoted_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Excel's column letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(column: u32) -> String {
    let mut n = column + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// Sets the sheet location of every error about `sheet`'s workbook that names a line.
pub fn locate(errors: &mut [InputError], sheet: &Sheet) {
    for e in errors.iter_mut().filter(|e| e.file == sheet.path) {
        if let Some(line) = e.line {
            e.cell = Some(sheet.location(line, e.column.as_deref()));
        }
    }
}

/// Reads the first worksheet of a workbook as a [`Table`]. Fails on bytes that are no
/// readable workbook and on a workbook without a worksheet or without a header row.
#[allow(clippy::cast_possible_truncation)]
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(Table, Sheet), InputError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        InputError::file(
            path,
            format!("expected an Excel workbook (.xlsx), cannot read it: {e}"),
        )
    };
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(name) = workbook.sheet_names().first().cloned() else {
        return Err(InputError::file(
            path,
            "expected at least one worksheet, found none",
        ));
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| unreadable(&e))?;
    let styles = workbook
        .worksheet_style(&name)
        .map_err(|e| unreadable(&e))?;
    let empty_sheet = || {
        InputError::file(
            path,
            format!(
                "expected a header row in the first worksheet \"{name}\", found an empty sheet"
            ),
        )
    };
    let Some((first_row, first_col)) = range.start() else {
        return Err(empty_sheet());
    };
    let percent = |row: u32, col: u32| {
        styles
            .get((row, col))
            .and_then(|s| s.number_format.as_ref())
            .is_some_and(|f| is_percent_format(&f.format_code))
    };
    let mut header: Option<(Vec<String>, usize)> = None;
    let mut records = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let sheet_row = first_row + i as u32;
        let line = sheet_row as usize + 1;
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(j, cell)| text(cell, || percent(sheet_row, first_col + j as u32)))
            .collect();
        if header.is_none() {
            if cells.iter().any(|c| !c.is_empty()) {
                let names = cells.iter().map(|c| c.to_lowercase()).collect();
                header = Some((names, line));
            }
            continue;
        }
        records.push(Record { line, cells });
    }
    let Some((names, header_line)) = header else {
        return Err(empty_sheet());
    };
    let sheet = Sheet {
        path: path.to_path_buf(),
        name,
        columns: (0..names.len() as u32).map(|j| first_col + j).collect(),
        names: names.clone(),
    };
    Ok((Table::from_records(names, header_line, records), sheet))
}

/// Whether a number format shows its value as a percentage: a `%` outside quotes and
/// escapes in its first section (`0.0%`, `0,00 %`, `#,##0.0" "%`).
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

/// The text a `;` file would hold for a cell; `percent` tells whether its number format
/// is a percentage (asked only for numbers).
fn text(cell: &Data, percent: impl Fn() -> bool) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => {
            let t = i.to_string();
            semicolon_dialect(&if percent() { shift_percent(&t) } else { t })
        }
        Data::Float(f) => number(*f, percent()),
        Data::Bool(b) => (if *b { "WAHR" } else { "FALSCH" }).to_string(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if (0.0..1.0).contains(&serial) {
                // A time of day without a date (`9:30`, also as a duration `[h]:mm`).
                let (.., h, min, sec, milli) = dt.to_ymd_hms_milli();
                time_text(h, min, sec, milli)
            } else if dt.is_datetime() && (0.0..2_958_466.0).contains(&serial) {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                number(serial, false)
            }
        }
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((date, _)) => date.to_string(),
            None => s.trim().to_string(),
        },
        Data::Error(e) => e.to_string(),
    }
}

/// A time of day as `HH:MM`, with `:SS` (and `.mmm`) only when the cell holds them.
fn time_text(h: u8, min: u8, sec: u8, milli: u16) -> String {
    match (sec, milli) {
        (0, 0) => format!("{h:02}:{min:02}"),
        (_, 0) => format!("{h:02}:{min:02}:{sec:02}"),
        _ => format!("{h:02}:{min:02}:{sec:02}.{milli:03}"),
    }
}

/// A stored number as text of a `;` file: its shortest decimal form (Rust's `{}` for
/// `f64`, never an exponent), as a percentage's shown value if so formatted, with a
/// decimal comma.
fn number(value: f64, percent: bool) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    let t = format!("{value}");
    semicolon_dialect(&if percent { shift_percent(&t) } else { t })
}

fn semicolon_dialect(text: &str) -> String {
    text.replace('.', ",")
}

/// Moves the decimal point of a number written with `.` two places to the right, in the
/// text: `0.021` → `2.1`, `-0.0025` → `-0.25`, `2` → `200`.
fn shift_percent(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at(2);
    let int = format!("{int}{moved}");
    let int = match int.trim_start_matches('0') {
        "" => "0",
        digits => digits,
    };
    let rest = rest.trim_end_matches('0');
    if rest.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_move_the_point_in_the_text() {
        assert_eq!(shift_percent("0.021"), "2.1");
        assert_eq!(shift_percent("-0.0025"), "-0.25");
        assert_eq!(shift_percent("2"), "200");
        assert_eq!(shift_percent("0"), "0");
        assert_eq!(shift_percent("0.5"), "50");
        assert_eq!(shift_percent("1.23456"), "123.456");
        // 0.021 as a float times 100 is 2.1000000000000001: not what the cell shows.
        assert_eq!(number(0.021, true), "2,1");
        assert_eq!(number(2.1, false), "2,1");
        assert_eq!(number(12.0, false), "12");
        assert_eq!(number(-1234.5, false), "-1234,5");
        assert_eq!(number(0.1 + 0.2, false), "0,30000000000000004");
    }

    #[test]
    fn time_cells_as_a_time_of_day_and_date_cells_as_a_date() {
        use calamine::{
            ExcelDateTime,
            ExcelDateTimeType::{DateTime, TimeDelta},
        };
        let cell = |serial, kind| {
            text(
                &Data::DateTime(ExcelDateTime::new(serial, kind, false)),
                || false,
            )
        };
        // 9:30 is 9.5 / 24 of a day = 0.395833…; Excel stores it rounded.
        assert_eq!(cell(9.5 / 24.0, DateTime), "09:30");
        assert_eq!(cell(9.5 / 24.0, TimeDelta), "09:30");
        assert_eq!(cell(0.0, DateTime), "00:00");
        assert_eq!(
            cell((10.0 * 3600.0 + 15.0) / 86_400.0, DateTime),
            "10:00:15"
        );
        // 2018-10-09 is serial 43382; with a time of day it is still that date.
        assert_eq!(cell(43_382.0, DateTime), "2018-10-09");
        assert_eq!(cell(43_382.4, DateTime), "2018-10-09");
        // A duration of more than a day is a number.
        assert_eq!(cell(1.5, TimeDelta), "1,5");
    }

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(is_percent_format("0.0 %"));
        assert!(!is_percent_format("0.0\"%\""));
        assert!(!is_percent_format("0.0\\%"));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("#,##0;[Red]-#,##0%"));
    }

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(4), "E");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn sheet_names_are_quoted_where_excel_quotes_them() {
        assert_eq!(quoted_sheet("Tabelle1"), "Tabelle1");
        assert_eq!(quoted_sheet("Daten 2018"), "'Daten 2018'");
        assert_eq!(quoted_sheet("Jan's"), "'Jan''s'");
    }
}
