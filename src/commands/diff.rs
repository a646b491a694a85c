//! `diff A B`: what changed between two deliveries — two run folders or archive editions
//! (their `kennzahlen.csv`), or two data folders computed for one `--month`. Prints, per
//! Jobcenter and aggregate, each figure whose values changed beyond rounding (old → new in
//! German format), each status that flipped, figures that appeared or vanished, the
//! Datenstand of both, and a summary; `--format csv` gives the same as a table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::DiffArgs;
use crate::domain::{Kennzahl, Status};
use crate::error::{Error, Exit, InputError};
use crate::figures;
use crate::format;
use crate::load::{self, csv};
use crate::output::{kennzahlen, manifest};
use crate::texte::Kennzahlnamen;

/// One side: rows keyed by (entity, kennzahl) → fields after `kennzahl`.
pub struct Side {
    name: String,
    month: String,
    datenstand: Option<String>,
    rows: BTreeMap<(String, String), Vec<String>>,
}

const FIELDS: [&str; 3] = ["wert", "vorjahr", "veraenderung_pct"];

pub fn diff(args: &DiffArgs) -> Result<Exit, Error> {
    let a = side(&args.a, args)?;
    let b = side(&args.b, args)?;
    let c = compare(&a, &b);
    if args.format == "csv" {
        print!("{}", c.table);
    } else {
        let stand = |s: &Side| s.datenstand.clone().unwrap_or_else(|| "k. A.".into());
        println!(
            "A: {} (Berichtsmonat {}, Datenstand {})",
            a.name,
            a.month,
            stand(&a)
        );
        println!(
            "B: {} (Berichtsmonat {}, Datenstand {})",
            b.name,
            b.month,
            stand(&b)
        );
        print!("{}", c.text);
        println!("{}", c.summary());
    }
    Ok(if c.figures == 0 {
        Exit::Ok
    } else {
        Exit::Partial
    })
}

/// The differences of two sides.
pub struct Comparison {
    /// For people: per entity, one line per change.
    pub text: String,
    /// `jobcenter,kennzahl,feld,alt,neu`, one row per change.
    pub table: String,
    /// Figures with any change, entities with any change, statuses that flipped.
    pub figures: usize,
    pub entities: usize,
    pub statuses: usize,
}

impl Comparison {
    pub fn summary(&self) -> String {
        format!(
            "{} figure(s) of {} Jobcenter(s) and aggregate(s) changed, {} status(es) flipped",
            self.figures, self.entities, self.statuses
        )
    }
}

/// Compares two sides figure by figure.
pub fn compare(a: &Side, b: &Side) -> Comparison {
    let december = b.month.ends_with("-12");
    let mut out = String::new();
    let mut table = String::from("jobcenter,kennzahl,feld,alt,neu\n");
    let mut entities = std::collections::BTreeSet::new();
    let mut figures_changed = 0usize;
    let mut statuses = 0usize;
    let keys: std::collections::BTreeSet<(String, String)> =
        a.rows.keys().chain(b.rows.keys()).cloned().collect();
    for key in &keys {
        let (entity, code) = key;
        let label: &str = Kennzahl::parse(code)
            .map_or(code.as_str(), |k| Kennzahlnamen::builtin().bezeichnung(k));
        let mut lines = Vec::new();
        match (a.rows.get(key), b.rows.get(key)) {
            (Some(_), None) => {
                lines.push(format!("{label}: nur in {}", a.name));
                let _ = writeln!(table, "{entity},{code},zeile,vorhanden,");
            }
            (None, Some(_)) => {
                lines.push(format!("{label}: neu in {}", b.name));
                let _ = writeln!(table, "{entity},{code},zeile,,vorhanden");
            }
            (Some(old), Some(new)) => {
                for (i, field) in FIELDS.iter().enumerate() {
                    let (o, n) = (cell(old, i), cell(new, i));
                    if changed(o, n) {
                        let pct = *field == "veraenderung_pct";
                        lines.push(format!(
                            "{label}, {field}: {} → {}",
                            german(o, pct),
                            german(n, pct)
                        ));
                        let _ = writeln!(table, "{entity},{code},{field},{o},{n}");
                    }
                }
                let (o, n) = (cell(old, 4), cell(new, 4));
                if o != n {
                    statuses += 1;
                    let words = |s: &str| {
                        Status::parse(s).map_or_else(
                            || "–".to_string(),
                            |s| {
                                Kennzahlnamen::builtin()
                                    .status_text(s, december)
                                    .to_string()
                            },
                        )
                    };
                    lines.push(format!("{label}: {} → {}", words(o), words(n)));
                    let _ = writeln!(table, "{entity},{code},status,{o},{n}");
                }
            }
            (None, None) => {}
        }
        if !lines.is_empty() {
            figures_changed += 1;
            if entities.insert(entity.clone()) {
                let _ = writeln!(out, "{entity}");
            }
            for line in lines {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    Comparison {
        text: out,
        table,
        figures: figures_changed,
        entities: entities.len(),
        statuses,
    }
}

fn cell(fields: &[String], i: usize) -> &str {
    fields.get(i).map_or("", String::as_str)
}

/// Beyond rounding: the two numbers differ by more than float noise, or one is missing.
fn changed(a: &str, b: &str) -> bool {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => (x - y).abs() > 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => a != b,
    }
}

fn german(text: &str, pct: bool) -> String {
    match text.parse::<f64>() {
        Ok(x) if pct => format::change(x, 1),
        Ok(x) if x.fract() == 0.0 => format::number(x, 0),
        Ok(x) => format::number(x, 2),
        Err(_) => format::KA.to_string(),
    }
}

/// Reads one side: a data folder (with `--month`), a folder with `kennzahlen.csv`, or the
/// file itself.
fn side(path: &Path, args: &DiffArgs) -> Result<Side, Error> {
    let name = path.display().to_string();
    let is_data = path.is_dir()
        && (path.join(load::JOBCENTER_FILE).exists() || path.join("jobcenter.xlsx").exists());
    if is_data && !path.join(kennzahlen::FILE).exists() {
        let Some(bm) = args.month else {
            return Err(Error::Usage(format!(
                "{name} is a data folder: --month YYYY-MM says which Berichtsmonat to compare"
            )));
        };
        let ds = load::load(path).map_err(Error::Input)?;
        let results = figures::compute(&ds, bm, args.tolerance).map_err(Error::Render)?;
        let text = kennzahlen::render(&results);
        return Ok(Side {
            datenstand: crate::pipeline::latest_datenstand(&results),
            ..parse(&name, Path::new(&name), text.as_bytes())?
        });
    }
    let (file, folder): (PathBuf, Option<&Path>) = if path.is_dir() {
        (path.join(kennzahlen::FILE), Some(path))
    } else {
        (path.to_path_buf(), path.parent())
    };
    let bytes =
        csv::read_file(&file).map_err(|m| Error::Input(vec![InputError::file(&file, m)]))?;
    let mut side = parse(&name, &file, &bytes)?;
    side.datenstand = folder
        .and_then(|f| std::fs::read(f.join(manifest::FILE)).ok())
        .and_then(|b| serde_json::from_slice::<manifest::Manifest>(&b).ok())
        .and_then(|m| m.datenstand);
    Ok(side)
}

/// One side from the bytes of a `kennzahlen.csv`.
pub fn parse(name: &str, file: &Path, bytes: &[u8]) -> Result<Side, Error> {
    let table = csv::parse(file, bytes).map_err(|e| Error::Input(vec![e]))?;
    let col = |n: &str| {
        table.header.iter().position(|h| h == n).ok_or_else(|| {
            Error::Input(vec![InputError::at(
                file,
                table.header_line,
                format!(
                    "missing required column \"{n}\" in the header (is this a kennzahlen.csv?)"
                ),
            )])
        })
    };
    let (id, month, kz) = (col("jobcenter")?, col("berichtsmonat")?, col("kennzahl")?);
    let rest: Vec<usize> = FIELDS
        .iter()
        .chain(&["soll_pct", "status"])
        .map(|n| col(n))
        .collect::<Result<_, _>>()?;
    let mut side = Side {
        name: name.to_string(),
        month: String::new(),
        datenstand: None,
        rows: BTreeMap::new(),
    };
    for record in table.records() {
        let get = |i: usize| record.cells.get(i).cloned().unwrap_or_default();
        side.month = get(month);
        side.rows
            .insert((get(id), get(kz)), rest.iter().map(|&i| get(i)).collect());
    }
    Ok(side)
}
