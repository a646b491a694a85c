//! Stage 1 — load: a data folder in, a validated [`Dataset`] out.
//!
//! Reads `jobcenter.csv`, `monatswerte.csv` and `ziele.csv` (or workbooks of the same
//! stem, [`xlsx`]) by the rules of the data contract (section 1), checks every file whole, and collects *all* input errors with
//! file, line and column before giving up, so one delivery round fixes them all.
//! Implausible but well-formed rows become warnings.

pub mod cells;
pub mod csv;
pub mod xlsx;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::domain::kennzahl::BY_SEX;
pub use crate::domain::{Col, Kind};
use crate::domain::{Decimal, Kennzahl};
use crate::error::{InputError, Warning};
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

    pub fn is_empty(&self) -> bool {
        self.jobcenter.is_empty()
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
}

pub const JOBCENTER_FILE: &str = "jobcenter.csv";
pub const MONATSWERTE_FILE: &str = "monatswerte.csv";
pub const ZIELE_FILE: &str = "ziele.csv";

/// Reads and validates a data folder. On failure every input error found is returned.
pub fn load(dir: &Path) -> Result<Dataset, Vec<InputError>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut files = Vec::new();

    let mut sheets = Vec::new();
    let mut read = |name: &str, errors: &mut Vec<InputError>| -> Option<(PathBuf, Table)> {
        // A workbook of the same stem may stand in for the CSV file (contract 1.3).
        let csv_path = dir.join(name);
        let xlsx_path = csv_path.with_extension(xlsx::EXTENSION);
        let path = match (csv_path.exists(), xlsx_path.exists()) {
            (true, true) => {
                errors.push(InputError::file(
                    &xlsx_path,
                    format!(
                        "expected either {} or this workbook, found both (which one holds the figures?); remove one",
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
        let parsed = if path.extension().is_some_and(|e| e == xlsx::EXTENSION) {
            xlsx::parse(&path, &bytes).map(|(table, sheet)| {
                sheets.push(sheet);
                table
            })
        } else {
            csv::parse(&path, &bytes)
        };
        files.push(InputFile {
            path: path.clone(),
            bytes,
        });
        match parsed {
            Ok(table) => Some((path, table)),
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    let jc_table = read(JOBCENTER_FILE, &mut errors);
    let mw_table = read(MONATSWERTE_FILE, &mut errors);
    let zi_table = read(ZIELE_FILE, &mut errors);

    let (jobcenters, known) = match jc_table.as_ref() {
        Some((path, table)) => {
            let (jcs, known) = read_jobcenters(path, table, &mut errors, &mut warnings);
            (Some(jcs), known)
        }
        None => (None, None),
    };
    let monatswerte = mw_table.as_ref().map(|(path, table)| {
        read_monatswerte(path, table, known.as_ref(), &mut errors, &mut warnings)
    });
    let ziele = zi_table
        .as_ref()
        .map(|(path, table)| read_ziele(path, table, known.as_ref(), &mut errors, &mut warnings));

    for sheet in &sheets {
        xlsx::locate(&mut errors, sheet);
        xlsx::locate(&mut warnings, sheet);
    }
    if !errors.is_empty() {
        // The first errors fix a delivery; thousands of the same kind only hide them.
        const KEPT: usize = 100;
        if errors.len() > KEPT {
            let more = errors.len() - KEPT;
            errors.truncate(KEPT);
            errors.push(InputError::file(
                dir,
                format!("… and {more} more input error(s) not listed"),
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
    })
}

/// The bytes of an input file; a missing or unreadable file is an input error.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    csv::read_file(path).map_err(|message| InputError::file(path, message))
}

/// Column lookup for one file: header name → cell index (shared with the termine file of
/// `invite`).
pub(crate) struct Columns<'a> {
    path: &'a Path,
    index: HashMap<&'a str, usize>,
    width: usize,
    names: &'a [String],
}

impl<'a> Columns<'a> {
    /// Maps the known columns; a missing required or doubled known column is an error.
    pub(crate) fn new(
        path: &'a Path,
        table: &'a Table,
        required: &[&'a str],
        optional: &[&'a str],
        errors: &mut Vec<InputError>,
    ) -> Option<Self> {
        let mut index = HashMap::new();
        let mut ok = true;
        for (i, name) in table.header.iter().enumerate() {
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                continue;
            }
            if index.insert(name.as_str(), i).is_some() {
                errors.push(InputError::cell(
                    path,
                    table.header_line,
                    name,
                    "expected each known column once, found it twice in the header",
                ));
                ok = false;
            }
        }
        for name in required {
            if !index.contains_key(name) {
                errors.push(InputError::at(
                    path,
                    table.header_line,
                    format!("missing required column \"{name}\" in the header"),
                ));
                ok = false;
            }
        }
        ok.then_some(Self {
            path,
            index,
            width: table.header.len(),
            names: &table.header,
        })
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The cell of `name` in `record`, if the column exists.
    pub(crate) fn get<'r>(&self, record: &'r csv::Record, name: &str) -> Option<&'r str> {
        self.index.get(name).map(|&i| record.cells[i].as_str())
    }

    /// A cell of a known column holding a control character or a character no report can
    /// show is an error (with its code point); returns false then.
    pub(crate) fn check_text(&self, record: &csv::Record, errors: &mut Vec<InputError>) -> bool {
        let mut ok = true;
        for (name, &i) in &self.index {
            if let Some(c) = record
                .cells
                .get(i)
                .and_then(|cell| cells::unprintable(cell))
            {
                errors.push(InputError::cell(
                    self.path,
                    record.line,
                    name,
                    cells::unprintable_message(c),
                ));
                ok = false;
            }
        }
        ok
    }

    /// A short record is an error; returns false then.
    pub(crate) fn check_width(&self, record: &csv::Record, errors: &mut Vec<InputError>) -> bool {
        if record.cells.len() < self.width {
            errors.push(InputError::cell(
                self.path,
                record.line,
                &self.names[record.cells.len()],
                format!(
                    "expected {} cells as in the header, found {}",
                    self.width,
                    record.cells.len()
                ),
            ));
            return false;
        }
        true
    }
}

pub(crate) fn no_rows(path: &Path, errors: &mut Vec<InputError>) {
    errors.push(InputError::file(
        path,
        "expected at least one data row below the header, found none",
    ));
}

const PADDED: &str = "Kreisschlüssel padded with leading zeros:";

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
            let _ = write!(out[index].message, "; {n} rows in all");
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
                    format!("{PADDED} \"{cell}\" read as \"{id}\" (Excel drops leading zeros)"),
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

fn read_jobcenters(
    path: &Path,
    table: &Table,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
) -> (Vec<Jobcenter>, Option<HashSet<String>>) {
    let Some(cols) = Columns::new(
        path,
        table,
        &["jobcenter", "name", "land"],
        &["traeger", "vergleichstyp", "email", "vertreten_durch"],
        errors,
    ) else {
        return (Vec::new(), None);
    };
    // Every id written in the file, also of rows rejected for another cell, so that the
    // other files do not report its rows as unknown once more.
    let mut ids = HashSet::new();
    if !table.has_records() {
        no_rows(path, errors);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for record in table.records() {
        let record = &record;
        if !cols.check_width(record, errors) || !cols.check_text(record, errors) {
            continue;
        }
        let id = read_id(
            path,
            record.line,
            "jobcenter",
            cols.get(record, "jobcenter").unwrap(),
            errors,
            warnings,
        );
        let mut text = |name: &str| -> Option<String> {
            let cell = cols.get(record, name).unwrap();
            if cell.is_empty() {
                errors.push(InputError::cell(
                    path,
                    record.line,
                    name,
                    "expected a value, found an empty cell",
                ));
                None
            } else {
                Some(cell.to_string())
            }
        };
        let name = text("name");
        let land = text("land");
        let traeger = match cols.get(record, "traeger").filter(|c| !c.is_empty()) {
            None => Ok(None),
            Some(c) if c.eq_ignore_ascii_case("zkt") => Ok(Some("zkT".to_string())),
            Some(c) if c.eq_ignore_ascii_case("ge") => Ok(Some("gE".to_string())),
            Some(c) => {
                errors.push(InputError::cell(
                    path,
                    record.line,
                    "traeger",
                    format!("expected zkT or gE (or an empty cell), found \"{c}\""),
                ));
                Err(())
            }
        };
        let optional = |name: &str| {
            cols.get(record, name)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
        };
        if let Some(id) = &id {
            ids.insert(id.clone());
        }
        let (Some(id), Some(name), Some(land), Ok(traeger)) = (id, name, land, traeger) else {
            continue;
        };
        if let Some(first) = seen.insert(id.clone(), record.line) {
            errors.push(InputError::cell(
                path,
                record.line,
                "jobcenter",
                format!(
                    "expected each Jobcenter once, found \"{id}\" again (first in line {first})"
                ),
            ));
            continue;
        }
        out.push(Jobcenter {
            id,
            name,
            land,
            traeger,
            vergleichstyp: optional("vergleichstyp"),
            email: optional("email"),
            vertreten_durch: optional("vertreten_durch"),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    (out, Some(ids))
}

/// The plausibility rules: (part, whole) — a part above its whole is a warning.
const PLAUSIBLE: [(Col, Col); 10] = [
    (Col::IntLzb, Col::Int),
    (Col::Lzb, Col::Elb),
    (Col::Lzb4j, Col::Lzb),
    (Col::Bg, Col::Elb),
    (Col::IntSvb, Col::Int),
    (Col::IntNachhaltig, Col::IntSvb),
    (Col::IntBedarfsdeckend, Col::Int),
    (Col::ElbAsyl8, Col::Elb),
    (Col::IntAsyl8, Col::Int),
    (Col::LzbAsyl8, Col::Lzb),
];

fn read_monatswerte(
    path: &Path,
    table: &Table,
    known: Option<&HashSet<String>>,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
) -> Monatswerte {
    let required: Vec<&str> = ["jobcenter", "monat"]
        .into_iter()
        .chain(Col::ALL.iter().filter(|c| c.required()).map(|c| c.name()))
        .collect();
    let optional: Vec<&str> = Col::ALL
        .iter()
        .filter(|c| !c.required())
        .map(|c| c.name())
        .chain(["datenstand"])
        .collect();
    let mut out = Monatswerte {
        values: vec![Vec::new(); Col::ALL.len()],
        ..Monatswerte::default()
    };
    let Some(cols) = Columns::new(path, table, &required, &optional, errors) else {
        return out;
    };
    out.present = Col::ALL
        .iter()
        .copied()
        .filter(|c| cols.has(c.name()))
        .collect();
    out.has_datenstand = cols.has("datenstand");
    if !table.has_records() {
        no_rows(path, errors);
    }
    let delimiter = table.delimiter;
    let mut seen: HashMap<(String, i32, u32), usize> = HashMap::new();
    let mut row_values = [None; Col::COUNT];
    for record in table.records() {
        let record = &record;
        if !cols.check_width(record, errors) || !cols.check_text(record, errors) {
            continue;
        }
        let line = record.line;
        let mut ok = true;
        let id = read_id(
            path,
            line,
            "jobcenter",
            cols.get(record, "jobcenter").unwrap(),
            errors,
            warnings,
        );
        if let (Some(id), Some(known)) = (&id, known)
            && !known.contains(id)
        {
            errors.push(InputError::cell(
                path,
                line,
                "jobcenter",
                format!("expected a Jobcenter of jobcenter.csv, found unknown \"{id}\""),
            ));
            ok = false;
        }
        let monat = match cells::month(cols.get(record, "monat").unwrap()) {
            Ok(m) => Some(m),
            Err(e) => {
                errors.push(InputError::cell(path, line, "monat", e.0));
                None
            }
        };
        for col in Col::ALL {
            let Some(cell) = cols.get(record, col.name()) else {
                row_values[col.index()] = None;
                continue;
            };
            let parsed = match col.kind() {
                Kind::Count => cells::count(cell, delimiter),
                Kind::Money => cells::money(cell, delimiter),
            };
            match parsed {
                Ok(v) => row_values[col.index()] = v,
                Err(e) => {
                    errors.push(InputError::cell(path, line, col.name(), e.0));
                    ok = false;
                }
            }
        }
        let datenstand = match cols.get(record, "datenstand").map(cells::date) {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(d))) => Some(d),
            Some(Err(e)) => {
                errors.push(InputError::cell(path, line, "datenstand", e.0));
                ok = false;
                None
            }
        };
        let (Some(id), Some((year, month))) = (id, monat) else {
            continue;
        };
        if let Some(first) = seen.insert((id.clone(), year, month), line) {
            errors.push(InputError::cell(
                path,
                line,
                "monat",
                format!(
                    "expected one row per Jobcenter and month, found \"{id}\" {year}-{month:02} again (first in line {first})"
                ),
            ));
            continue;
        }
        if !ok || !errors.is_empty() {
            // Keep checking the file, but build no data from a broken delivery.
            continue;
        }
        for (whole, women, men) in BY_SEX {
            if let (Some(w), Some(f), Some(m)) = (
                row_values[whole.index()],
                row_values[women.index()],
                row_values[men.index()],
            ) && f + m > w
            {
                warnings.push(InputError::at(
                    path,
                    line,
                    format!(
                        "implausible: {} + {} ({f} + {m}) is greater than {} ({w}) for {id} {year}-{month:02}",
                        women.name(),
                        men.name(),
                        whole.name()
                    ),
                ));
            }
        }
        for (part, whole) in PLAUSIBLE {
            if let (Some(p), Some(w)) = (row_values[part.index()], row_values[whole.index()])
                && p > w
            {
                warnings.push(InputError::at(
                    path,
                    line,
                    format!(
                        "implausible: {} ({p}) is greater than {} ({w}) for {id} {year}-{month:02}",
                        part.name(),
                        whole.name()
                    ),
                ));
            }
        }
        out.jobcenter.push(id);
        out.year.push(year);
        out.month.push(month);
        for col in Col::ALL {
            out.values[col.index()].push(row_values[col.index()]);
        }
        out.datenstand.push(datenstand);
    }
    out
}

fn read_ziele(
    path: &Path,
    table: &Table,
    known: Option<&HashSet<String>>,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
) -> Ziele {
    let mut out = Ziele::default();
    let Some(cols) = Columns::new(
        path,
        table,
        &["jahr", "jobcenter", "ziel", "soll_pct"],
        &[],
        errors,
    ) else {
        return out;
    };
    let mut seen: BTreeMap<(i32, Option<String>, Kennzahl), usize> = BTreeMap::new();
    for record in table.records() {
        let record = &record;
        if !cols.check_width(record, errors) || !cols.check_text(record, errors) {
            continue;
        }
        let line = record.line;
        let jahr = cells::year(cols.get(record, "jahr").unwrap())
            .map_err(|e| errors.push(InputError::cell(path, line, "jahr", e.0)))
            .ok();
        let id_cell = cols.get(record, "jobcenter").unwrap();
        let id = if id_cell == "*" {
            Some(None)
        } else {
            read_id(path, line, "jobcenter", id_cell, errors, warnings).and_then(|id| {
                if known.is_some_and(|k| !k.contains(&id)) {
                    errors.push(InputError::cell(
                        path,
                        line,
                        "jobcenter",
                        format!(
                            "expected a Jobcenter of jobcenter.csv or \"*\", found unknown \"{id}\""
                        ),
                    ));
                    None
                } else {
                    Some(Some(id))
                }
            })
        };
        let ziel_cell = cols.get(record, "ziel").unwrap();
        let ziel = Kennzahl::parse(ziel_cell)
            .ok_or_else(|| {
                let found = if ziel_cell.is_empty() {
                    "an empty cell".to_string()
                } else {
                    format!("\"{ziel_cell}\"")
                };
                errors.push(InputError::cell(
                    path,
                    line,
                    "ziel",
                    format!(
                        "expected a Kennzahl such as int, k2, k3, k3e1, lzb_je (or any of {}), found {found}",
                        Kennzahl::ALL[5..].iter().map(|k| k.code()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            })
            .ok();
        let soll = cells::decimal(cols.get(record, "soll_pct").unwrap(), table.delimiter, 2)
            .map_err(|e| errors.push(InputError::cell(path, line, "soll_pct", e.0)))
            .ok();
        let (Some(jahr), Some(id), Some(ziel), Some((units, decimals))) = (jahr, id, ziel, soll)
        else {
            continue;
        };
        let key = (jahr, id, ziel);
        if let Some(first) = seen.get(&key) {
            let who = key.1.as_deref().unwrap_or("*");
            errors.push(InputError::cell(
                path,
                line,
                "ziel",
                format!(
                    "expected one row per year, Jobcenter and target, found {jahr} \"{who}\" {} again (first in line {first})",
                    ziel.code()
                ),
            ));
            continue;
        }
        seen.insert(key.clone(), line);
        out.soll
            .insert(key, Decimal::new(i128::from(units), decimals));
    }
    out
}
