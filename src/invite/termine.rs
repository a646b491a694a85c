//! The termine file of `invite --termine`: one appointment per Jobcenter (`jobcenter`,
//! `datum`, `beginn`, optional `ende`, `ort`, optional `kontakt`), read by the rules of the
//! data contract (sections 1.2 and 1.3) through [`crate::load`]'s CSV and workbook readers,
//! column lookup and cell readers, so the header check, line numbers (`Sheet!Cell` in a
//! workbook, date and time cells as text) and Kreisschlüssel padding are those of the
//! data folder.

use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::error::{InputError, Warning};
use crate::load::csv::Table;
use crate::load::{self, Columns, Dataset, cells, xlsx};

/// One appointment of the termine file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termin {
    pub jobcenter: String,
    pub start: NaiveDateTime,
    /// `ende` of the row, else two hours after the start.
    pub end: NaiveDateTime,
    /// A room or a video link.
    pub ort: String,
    pub kontakt: Option<String>,
}

const REQUIRED: [&str; 4] = ["jobcenter", "datum", "beginn", "ort"];
/// The longest `ort` or `kontakt`, in characters (a video link with its meeting id and
/// passcode stays well below).
const MAX_CELL: usize = 1_000;
const OPTIONAL: [&str; 2] = ["ende", "kontakt"];

/// Reads the termine file (CSV, or a workbook `.xlsx` like the data files) by the
/// contract's rules; every error is collected, in a workbook located as `Sheet!Cell`.
pub fn read(path: &Path, ds: &Dataset) -> Result<(Vec<Termin>, Vec<Warning>), Vec<InputError>> {
    let bytes = load::read_file(path).map_err(|e| vec![e])?;
    let (table, sheet) = load::parse_table(path, &bytes).map_err(|e| vec![e])?;
    let mut result = read_table(path, &table, ds);
    if let Some(sheet) = &sheet {
        match &mut result {
            Ok((_, warnings)) => xlsx::locate(warnings, sheet),
            Err(errors) => xlsx::locate(errors, sheet),
        }
    }
    result
}

fn read_table(
    path: &Path,
    table: &Table,
    ds: &Dataset,
) -> Result<(Vec<Termin>, Vec<Warning>), Vec<InputError>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let Some(cols) = Columns::new(path, table, &REQUIRED, &OPTIONAL, &mut errors) else {
        return Err(errors);
    };
    if !table.has_records() {
        load::no_rows(path, &mut errors);
        return Err(errors);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for record in table.records() {
        let record = &record;
        if !cols.check_width(record, &mut errors) || !cols.check_text(record, &mut errors) {
            continue;
        }
        let line = record.line;
        let get = |name: &str| cols.get(record, name).unwrap_or("");
        let id = load::read_id(
            path,
            line,
            "jobcenter",
            get("jobcenter"),
            &mut errors,
            &mut warnings,
        );
        let mut failed = id.is_none();
        let mut fail = |column: &str, message: String| {
            errors.push(InputError::cell(path, line, column, message));
            failed = true;
        };
        let id = match id {
            Some(id) if ds.jobcenters.iter().any(|j| j.id == id) => Some(id),
            Some(id) => {
                fail(
                    "jobcenter",
                    format!(
                        "erwartet wird ein Jobcenter aus jobcenter.csv, gefunden wurde das unbekannte \"{id}\""
                    ),
                );
                None
            }
            None => None,
        };
        let datum = parse_date(get("datum")).map_err(|e| fail("datum", e)).ok();
        let beginn = parse_time(get("beginn"))
            .map_err(|e| fail("beginn", e))
            .ok();
        let ende = match get("ende") {
            cell if cells::is_missing(cell) => Ok(None),
            cell => parse_time(cell).map(Some),
        }
        .map_err(|e| fail("ende", e))
        .ok();
        let ort = get("ort");
        if ort.is_empty() {
            fail(
                "ort",
                "erwartet wird ein Raum oder ein Video-Link, gefunden wurde eine leere Zelle"
                    .into(),
            );
        }
        // Both go into the mail and the calendar entry (a cell of 2 million characters
        // made a 5 MB mail).
        for column in ["ort", "kontakt"] {
            let length = get(column).chars().count();
            if length > MAX_CELL {
                fail(
                    column,
                    format!(
                        "erwartet werden höchstens {MAX_CELL} Zeichen, gefunden wurden {length}"
                    ),
                );
            }
        }
        let (Some(id), Some(datum), Some(beginn), Some(ende)) = (id, datum, beginn, ende) else {
            continue;
        };
        let start = datum.and_time(beginn);
        let end = match ende {
            Some(t) if t <= beginn => {
                fail(
                    "ende",
                    format!(
                        "erwartet wird eine Uhrzeit nach beginn {}, gefunden wurde \"{}\"",
                        beginn.format("%H:%M"),
                        get("ende")
                    ),
                );
                continue;
            }
            Some(t) => datum.and_time(t),
            None => start + TimeDelta::hours(2),
        };
        if failed {
            continue;
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            errors.push(InputError::cell(
                path,
                line,
                "jobcenter",
                format!(
                    "erwartet wird jedes Jobcenter einmal, \"{id}\" steht noch einmal da (zuerst in Zeile {first})"
                ),
            ));
            continue;
        }
        out.push(Termin {
            jobcenter: id,
            start,
            end,
            ort: ort.to_string(),
            kontakt: Some(get("kontakt"))
                .filter(|c| !c.is_empty())
                .map(str::to_string),
        });
    }
    if errors.is_empty() {
        Ok((out, load::collapse_padding(warnings)))
    } else {
        Err(errors)
    }
}

fn expected(what: &str, cell: &str) -> String {
    if cell.is_empty() {
        crate::messages::Msg::ExpectedEmptyCell {
            what: what.to_string(),
        }
        .to_string()
    } else {
        crate::messages::Msg::Expected {
            what: what.to_string(),
            found: cell.to_string(),
        }
        .to_string()
    }
}

/// A date as `YYYY-MM-DD` or `DD.MM.YYYY` (`D.M.YYYY` too).
#[allow(clippy::cast_possible_wrap)]
pub fn parse_date(cell: &str) -> Result<NaiveDate, String> {
    let digits = |s: &str, min: usize, max: usize| {
        (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = cell.split(['-', '.']).collect();
    let ymd = match parts.as_slice() {
        [y, m, d] if cell.contains('-') => (digits(y, 4, 4), digits(m, 2, 2), digits(d, 2, 2)),
        [d, m, y] if cell.contains('.') => (digits(y, 4, 4), digits(m, 1, 2), digits(d, 1, 2)),
        _ => (None, None, None),
    };
    // A Steuerungsdialog lies in a year a calendar entry can hold (four digits, also for
    // the end of an appointment late on New Year's Eve).
    if let (Some(y), Some(m), Some(d)) = ymd
        && (1900..=9998).contains(&y)
        && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
    {
        return Ok(date);
    }
    Err(expected(
        "ein Datum als JJJJ-MM-TT oder TT.MM.JJJJ (Jahre 1900–9998)",
        cell,
    ))
}

/// A time of day as `HH:MM` (`H:MM` and Excel's `HH:MM:00` too).
pub fn parse_time(cell: &str) -> Result<NaiveTime, String> {
    let digits = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = cell.split(':').collect();
    let hm = match parts.as_slice() {
        [h, m] if m.len() == 2 => (digits(h), digits(m)),
        [h, m, "00"] if m.len() == 2 => (digits(h), digits(m)),
        _ => (None, None),
    };
    if let (Some(h), Some(m)) = hm
        && let Some(time) = NaiveTime::from_hms_opt(h, m, 0)
    {
        return Ok(time);
    }
    Err(expected("eine Uhrzeit als HH:MM", cell))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_as_excel_writes_them() {
        let d = NaiveDate::from_ymd_opt(2018, 10, 9).unwrap();
        assert_eq!(parse_date("2018-10-09"), Ok(d));
        assert_eq!(parse_date("09.10.2018"), Ok(d));
        assert_eq!(parse_date("9.10.2018"), Ok(d));
        assert!(parse_date("2018-02-30").is_err());
        assert!(parse_date("2018-10").is_err());
        // Regression: 9999-12-31 23:00 gave an iCalendar end in the year 10000.
        assert!(parse_date("9999-12-31").is_err());
        assert!(parse_date("0000-01-01").is_err());
        assert_eq!(
            parse_date("").unwrap_err(),
            "erwartet wird ein Datum als JJJJ-MM-TT oder TT.MM.JJJJ (Jahre 1900–9998), gefunden wurde eine leere Zelle"
        );
        assert_eq!(
            parse_time("9:30"),
            Ok(NaiveTime::from_hms_opt(9, 30, 0).unwrap())
        );
        assert_eq!(
            parse_time("10:00:00"),
            Ok(NaiveTime::from_hms_opt(10, 0, 0).unwrap())
        );
        assert!(parse_time("24:00").is_err());
        assert!(parse_time("10").is_err());
        assert!(parse_time("10:5").is_err());
    }
}
