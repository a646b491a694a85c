//! Stage 1 — load: a data folder in, a validated [`Dataset`] out.
//!
//! Reads `jobcenter.csv`, `monatswerte.csv` and `ziele.csv` (or workbooks of the same
//! stem, [`xlsx`]) by the rules of the data contract (section 1), checks every file whole, and collects *all* input errors with
//! file, line and column before giving up, so one delivery round fixes them all.
//! Implausible but well-formed rows become warnings.

pub mod bericht;
pub mod cells;
mod columns;
mod readers;
pub(crate) use columns::{Columns, unknown_columns};
use readers::{
    JOBCENTER_COLUMNS, ZIELE_COLUMNS, monatswerte_columns, read_jobcenters, read_monatswerte,
    read_ziele,
};
pub mod csv;
pub mod xlsx;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::domain::kennzahl::BY_SEX;
pub use crate::domain::{Col, Kind};
use crate::domain::{Decimal, Kennzahl};
use crate::error::{InputError, ReadMessage, Warning};
use csv::Table;

/// One Jobcenter of `jobcenter.csv`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Jobcenter {
    pub id: String,
    pub name: String,
    pub land: String,
    pub traeger: Option<String>,
    pub vergleichstyp: Option<String>,
    pub email: Option<String>,
    /// Who signs for the Träger (target agreements).
    pub vertreten_durch: Option<String>,
}

/// Monthly values as columns, one entry per row of `monatswerte.csv`, exact: counts as
/// integers, money in millionths of a euro.
#[derive(Debug, Default)]
pub struct Monatswerte {
    pub jobcenter: Vec<String>,
    pub year: Vec<i32>,
    pub month: Vec<u32>,
    /// One vector per [`Col`], in [`Col::ALL`] order.
    pub values: Vec<Vec<Option<i64>>>,
    pub datenstand: Vec<Option<NaiveDate>>,
    /// Optional columns present in the header (a figure needing an absent one is left out).
    pub present: HashSet<Col>,
    pub has_datenstand: bool,
}

impl Monatswerte {
    pub fn len(&self) -> usize {
        self.jobcenter.len()
    }

    /// The column `col` (money in millionths of a euro).
    pub fn values(&self, col: Col) -> &[Option<i64>] {
        &self.values[col.index()]
    }

    /// Whether row `row` holds all seven required values.
    pub fn has_required_values(&self, row: usize) -> bool {
        Col::ALL
            .iter()
            .filter(|c| c.required())
            .all(|&c| self.values(c)[row].is_some())
    }
}

/// Targets: (year, Jobcenter or `None` for `*`, indicator) → Soll.
#[derive(Debug, Default)]
pub struct Ziele {
    pub soll: HashMap<(i32, Option<String>, Kennzahl), Decimal>,
}

impl Ziele {
    /// The target of year `jahr` for one Jobcenter: its own row, else the `*` row.
    pub fn lookup(&self, jahr: i32, jobcenter: &str, ziel: Kennzahl) -> Option<Decimal> {
        self.soll
            .get(&(jahr, Some(jobcenter.to_string()), ziel))
            .or_else(|| self.soll.get(&(jahr, None, ziel)))
            .copied()
    }
}

/// An input file as read: path and bytes (for the manifest and the archive).
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// A validated data folder.
#[derive(Debug)]
pub struct Dataset {
    pub dir: PathBuf,
    pub files: Vec<InputFile>,
    pub jobcenters: Vec<Jobcenter>,
    pub monatswerte: Monatswerte,
    pub ziele: Ziele,
    pub warnings: Vec<Warning>,
    /// What `bericht.toml` says (the defaults when there is none); the file read, if
    /// any, is the last of `files`.
    pub bericht: bericht::Settings,
}

pub const JOBCENTER_FILE: &str = "jobcenter.csv";
pub const MONATSWERTE_FILE: &str = "monatswerte.csv";
pub const ZIELE_FILE: &str = "ziele.csv";

/// Reads and validates a data folder with its `bericht.toml`. On failure every input
/// error found is returned.
pub fn load(dir: &Path) -> Result<Dataset, Vec<InputError>> {
    load_with(dir, &bericht::Source::Default(dir.join(bericht::FILE)))
}

/// [`load`] with `bericht.toml` taken from `settings` (`vereinbarung --config` replaces
/// the data folder's file).
pub fn load_with(dir: &Path, settings: &bericht::Source) -> Result<Dataset, Vec<InputError>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut files = Vec::new();

    let mut sheets = Vec::new();
    let mut read = |name: &str,
                    (required, optional): (&[&str], &[&str]),
                    errors: &mut Vec<InputError>,
                    warnings: &mut Vec<Warning>|
     -> Option<(PathBuf, Table)> {
        // A workbook of the same stem may stand in for the CSV file (contract 1.3).
        let csv_path = dir.join(name);
        let xlsx_path = csv_path.with_extension(xlsx::EXTENSION);
        let path = match (csv_path.exists(), xlsx_path.exists()) {
            (true, true) => {
                errors.push(InputError::file(
                    &xlsx_path,
                    format!(
                        "erwartet wird entweder {} oder diese Arbeitsmappe, gefunden wurden beide (welche enthält die Zahlen?); bitte eine entfernen",
                        csv_path.display()
                    ),
                ));
                return None;
            }
            (false, true) => xlsx_path,
            _ => csv_path,
        };
        let bytes = match read_file(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                errors.push(e);
                return None;
            }
        };
        let parsed = parse_table(&path, &bytes);
        files.push(InputFile {
            path: path.clone(),
            bytes,
        });
        match parsed {
            Ok((table, sheet)) => {
                let known: Vec<&str> = required.iter().chain(optional).copied().collect();
                unknown_columns(&path, &table, sheet.as_ref(), &known, warnings);
                if let Some(sheet) = sheet {
                    if !sheet.hidden.is_empty() {
                        warnings.push(InputError::file(
                            &path,
                            ReadMessage::HiddenSheets {
                                hidden: sheet.hidden.clone(),
                                read: sheet.name.clone(),
                            },
                        ));
                    }
                    sheets.push(sheet);
                }
                Some((path, table))
            }
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    let (mw_required, mw_optional) = monatswerte_columns();
    let jc_table = read(
        JOBCENTER_FILE,
        JOBCENTER_COLUMNS,
        &mut errors,
        &mut warnings,
    );
    let mw_table = read(
        MONATSWERTE_FILE,
        (mw_required.as_slice(), mw_optional.as_slice()),
        &mut errors,
        &mut warnings,
    );
    let zi_table = read(ZIELE_FILE, ZIELE_COLUMNS, &mut errors, &mut warnings);

    // Errors beyond the first hundred are counted only (a file of bad rows must not cost
    // memory by the error).
    let mut dropped = 0;
    let (jobcenters, known) = match jc_table.as_ref() {
        Some((path, table)) => {
            let (jcs, known) =
                read_jobcenters(path, table, &mut errors, &mut warnings, &mut dropped);
            (Some(jcs), known)
        }
        None => (None, None),
    };
    let monatswerte = mw_table.as_ref().map(|(path, table)| {
        read_monatswerte(
            path,
            table,
            known.as_ref(),
            &mut errors,
            &mut warnings,
            &mut dropped,
        )
    });
    let ziele = zi_table.as_ref().map(|(path, table)| {
        read_ziele(
            path,
            table,
            known.as_ref(),
            &mut errors,
            &mut warnings,
            &mut dropped,
        )
    });
    // The tables (and with them a CSV file's decoded text) are no longer needed.
    drop((jc_table, mw_table, zi_table));

    for sheet in &sheets {
        xlsx::locate(&mut errors, sheet);
        xlsx::locate(&mut warnings, sheet);
    }
    let settings = match bericht::load(settings) {
        Ok(loaded) => {
            files.extend(loaded.file);
            loaded.settings
        }
        Err(e) => {
            errors.push(e);
            bericht::Settings::default()
        }
    };
    if !errors.is_empty() {
        // The first errors fix a delivery; thousands of the same kind only hide them.
        cap_errors(&mut errors, &mut dropped);
        if dropped > 0 {
            errors.push(InputError::file(
                dir,
                ReadMessage::MoreErrors { count: dropped },
            ));
        }
        return Err(errors);
    }
    let (Some(jobcenters), Some(monatswerte), Some(ziele)) = (jobcenters, monatswerte, ziele)
    else {
        unreachable!("every file was read without error");
    };
    // A target for a figure left out for lack of its columns has no effect (contract 1.1).
    let mut useless: BTreeMap<Kennzahl, Vec<Col>> = BTreeMap::new();
    for (_, _, k) in ziele.soll.keys() {
        let absent: Vec<Col> = k
            .optional_columns()
            .into_iter()
            .filter(|c| !monatswerte.present.contains(c))
            .collect();
        if !absent.is_empty() {
            useless.insert(*k, absent);
        }
    }
    for (k, absent) in useless {
        let names: Vec<&str> = absent.iter().map(|c| c.name()).collect();
        warnings.push(InputError::file(
            dir.join(ZIELE_FILE),
            format!(
                "a target for \"{}\" has no effect: monatswerte.csv has no column {}",
                k.code(),
                names.join(", ")
            ),
        ));
    }
    let warnings = collapse_padding(warnings);
    Ok(Dataset {
        dir: dir.to_path_buf(),
        files,
        jobcenters,
        monatswerte,
        ziele,
        warnings,
        bericht: settings,
    })
}

/// An input file's bytes as a [`Table`]: a workbook (`.xlsx`, with the [`xlsx::Sheet`] to
/// locate its errors by) or a CSV file (shared with the termine file of `invite`).
pub(crate) fn parse_table(
    path: &Path,
    bytes: &[u8],
) -> Result<(Table, Option<xlsx::Sheet>), InputError> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(xlsx::EXTENSION))
    {
        xlsx::parse(path, bytes).map(|(table, sheet)| (table, Some(sheet)))
    } else {
        csv::parse(path, bytes).map(|table| (table, None))
    }
}

/// The bytes of an input file; a missing or unreadable file is an input error.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    csv::read_file(path).map_err(|message| InputError::file(path, message))
}

/// The most input errors kept; beyond it they are only counted, so that a file of
/// millions of bad cells costs no more memory than a few (issue 23).
pub(crate) const KEPT_ERRORS: usize = 100;

/// Keeps at most [`KEPT_ERRORS`] errors, counting the others in `dropped`. The readers
/// call it after each record.
pub(crate) fn cap_errors(errors: &mut Vec<InputError>, dropped: &mut usize) {
    if errors.len() > KEPT_ERRORS {
        *dropped += errors.len() - KEPT_ERRORS;
        errors.truncate(KEPT_ERRORS);
    }
}

pub(crate) fn no_rows(path: &Path, errors: &mut Vec<InputError>) {
    errors.push(InputError::file(
        path,
        "erwartet wird mindestens eine Datenzeile unter der Kopfzeile, gefunden wurde keine",
    ));
}

const PADDED: &str = "Kreisschlüssel mit führenden Nullen ergänzt:";

/// One padding warning per file: the first padded id and how many rows had one.
pub(crate) fn collapse_padding(warnings: Vec<Warning>) -> Vec<Warning> {
    let mut out: Vec<Warning> = Vec::with_capacity(warnings.len());
    let mut counts: HashMap<PathBuf, (usize, usize)> = HashMap::new();
    for w in warnings {
        if w.message.starts_with(PADDED) {
            if let Some((_, n)) = counts.get_mut(&w.file) {
                *n += 1;
                continue;
            }
            counts.insert(w.file.clone(), (out.len(), 1));
        }
        out.push(w);
    }
    for (index, n) in counts.into_values() {
        if n > 1 {
            let _ = write!(out[index].message, "; {n} Zeilen insgesamt");
        }
    }
    out
}

/// Reads a key id cell, padding short ids with a warning.
pub(crate) fn read_id(
    path: &Path,
    line: usize,
    column: &str,
    cell: &str,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
) -> Option<String> {
    match cells::jobcenter_id(cell) {
        Ok((id, padded)) => {
            if padded {
                warnings.push(InputError::cell(
                    path,
                    line,
                    column,
                    format!(
                        "{PADDED} \"{cell}\" gelesen als \"{id}\" (Excel lässt führende Nullen weg)"
                    ),
                ));
            }
            Some(id)
        }
        Err(e) => {
            errors.push(InputError::cell(path, line, column, e.0));
            None
        }
    }
}

#[cfg(test)]
mod tests;
