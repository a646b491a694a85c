//! What changed between two deliveries: two `kennzahlen.csv` (of run folders, archive
//! editions, or figures computed from a data folder) in, the changes out — per Jobcenter
//! and aggregate each figure whose values changed beyond rounding, each status that
//! flipped, figures that appeared or vanished — as records ([`Change`]), for people
//! (old → new in German format), as a table (`aenderungen.csv`, `diff --format csv`)
//! and as counts.
//!
//! `diff` prints a comparison, `run` counts what a rerun of a month changed, and
//! `archive --supersede` writes the comparison with the superseded edition into the new
//! one; all three read and compare here. [`page`] words the comparison as the German
//! page `aenderungen.pdf` of a superseding edition.

pub mod page;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::domain::{Decimal, Kennzahl, Status};
use crate::error::{Error, InputError};
use crate::format;
use crate::load::csv;
use crate::output::{self, kennzahlen, manifest};
use crate::texte::Kennzahlnamen;

/// The compared value columns of `kennzahlen.csv`, in the order of [`Side`]'s fields.
const FIELDS: [&str; 3] = ["wert", "vorjahr", "veraenderung_pct"];
/// Index of `status` in a [`Side`]'s fields (after the [`FIELDS`] and `soll_pct`).
const STATUS: usize = 4;

/// One side: rows keyed by (entity, kennzahl) → the [`FIELDS`], `soll_pct`, `status`.
pub struct Side {
    pub name: String,
    /// The Berichtsmonat (`YYYY-MM`) of the rows.
    pub month: String,
    pub datenstand: Option<String>,
    rows: BTreeMap<(String, String), Vec<String>>,
}

impl Side {
    /// One side from the bytes of a `kennzahlen.csv` (`file` names it in errors).
    pub fn parse(name: &str, file: &Path, bytes: &[u8]) -> Result<Side, Error> {
        let table = csv::parse(file, bytes).map_err(|e| Error::Input(vec![e]))?;
        let col = |n: &str| {
            table.header.iter().position(|h| h == n).ok_or_else(|| {
                Error::Input(vec![InputError::at(
                    file,
                    table.header_line,
                    format!(
                        "Pflichtspalte \"{n}\" fehlt in der Kopfzeile (ist das eine kennzahlen.csv?)"
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
        // A row cut short (a truncated file) or given twice is refused: either would
        // otherwise pass as figures that vanished or silently replace the first copy.
        let mut errors = Vec::new();
        let mut first_line = BTreeMap::new();
        for record in table.records() {
            if record.cells.len() != table.header.len() {
                errors.push(InputError::at(
                    file,
                    record.line,
                    format!(
                        "erwartet werden {} Felder wie in der Kopfzeile, gefunden wurden {} (ist die Datei abgeschnitten?)",
                        table.header.len(),
                        record.cells.len()
                    ),
                ));
                continue;
            }
            let get = |i: usize| record.cells.get(i).cloned().unwrap_or_default();
            let key = (get(id), get(kz));
            if let Some(first) = first_line.get(&key) {
                errors.push(InputError::at(
                    file,
                    record.line,
                    format!(
                        "erwartet wird jedes Jobcenter und jede Kennzahl einmal, {} {} steht noch einmal da (zuerst in Zeile {first})",
                        key.0, key.1
                    ),
                ));
                continue;
            }
            first_line.insert(key.clone(), record.line);
            side.month = get(month);
            side.rows
                .insert(key, rest.iter().map(|&i| get(i)).collect());
        }
        if errors.is_empty() {
            Ok(side)
        } else {
            Err(Error::Input(errors))
        }
    }

    /// The `kennzahlen.csv` of a folder (run folder, archive edition) or the file itself,
    /// with the Datenstand of the folder's manifest when there is one.
    pub fn read(path: &Path) -> Result<Side, Error> {
        let (file, folder) = if path.is_dir() {
            (path.join(kennzahlen::FILE), Some(path))
        } else {
            (path.to_path_buf(), path.parent())
        };
        let bytes =
            csv::read_file(&file).map_err(|m| Error::Input(vec![InputError::file(&file, m)]))?;
        let mut side = Side::parse(&path.display().to_string(), &file, &bytes)?;
        side.datenstand = folder
            .and_then(|f| std::fs::read(f.join(manifest::FILE)).ok())
            .and_then(|b| serde_json::from_slice::<manifest::Manifest>(&b).ok())
            .and_then(|m| m.datenstand);
        Ok(side)
    }
}

/// What changed about one figure of one Jobcenter or aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// The figure is only in A.
    Vanished,
    /// The figure is only in B.
    Appeared,
    /// A value column (`wert`, `vorjahr`, `veraenderung_pct`) changed: old, new as in the CSV.
    Value {
        field: &'static str,
        old: String,
        new: String,
    },
    /// The status flipped: old, new codes as in the CSV (empty: none).
    Status { old: String, new: String },
}

/// One change: the entity (Jobcenter id or aggregate), the Kennzahl code, what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub entity: String,
    pub code: String,
    pub what: What,
}

impl Change {
    /// The Kennzahl's name (`Integrationen`), the code when it is unknown.
    pub fn label(&self) -> &str {
        Kennzahl::parse(&self.code).map_or(self.code.as_str(), |k| {
            Kennzahlnamen::builtin().bezeichnung(k)
        })
    }
}

/// The differences of two sides.
pub struct Comparison {
    pub changes: Vec<Change>,
    /// Figures with any change, entities with any change, statuses that flipped.
    pub figures: usize,
    pub entities: usize,
    pub statuses: usize,
    /// Words of the statuses: December (`erreicht`) or during the year (`auf Kurs`).
    december: bool,
    names: (String, String),
}

/// Compares two sides figure by figure.
pub fn compare(a: &Side, b: &Side) -> Comparison {
    let mut changes = Vec::new();
    let mut entities = BTreeSet::new();
    let mut figures = 0usize;
    let mut statuses = 0usize;
    let keys: BTreeSet<&(String, String)> = a.rows.keys().chain(b.rows.keys()).collect();
    for key in keys {
        let (entity, code) = key;
        let before = changes.len();
        let mut push = |what| {
            changes.push(Change {
                entity: entity.clone(),
                code: code.clone(),
                what,
            });
        };
        match (a.rows.get(key), b.rows.get(key)) {
            (Some(_), None) => push(What::Vanished),
            (None, Some(_)) => push(What::Appeared),
            (Some(old), Some(new)) => {
                for (i, field) in FIELDS.iter().enumerate() {
                    let (o, n) = (cell(old, i), cell(new, i));
                    if changed(o, n) {
                        push(What::Value {
                            field,
                            old: o.to_string(),
                            new: n.to_string(),
                        });
                    }
                }
                let (o, n) = (cell(old, STATUS), cell(new, STATUS));
                if o != n {
                    statuses += 1;
                    push(What::Status {
                        old: o.to_string(),
                        new: n.to_string(),
                    });
                }
            }
            (None, None) => {}
        }
        if changes.len() > before {
            figures += 1;
            entities.insert(entity);
        }
    }
    Comparison {
        changes,
        figures,
        entities: entities.len(),
        statuses,
        december: b.month.ends_with("-12"),
        names: (a.name.clone(), b.name.clone()),
    }
}

impl Comparison {
    /// `N Kennzahlwerte bei M Jobcentern und Summen geändert, K Zielstatus gewechselt`.
    pub fn summary(&self) -> String {
        crate::messages::Msg::ComparisonSummary {
            figures: self.figures,
            entities: self.entities,
            statuses: self.statuses,
        }
        .to_string()
    }

    /// `jobcenter,kennzahl,feld,alt,neu`, one row per change (values as in the CSV).
    pub fn table(&self) -> String {
        let mut table = String::from("jobcenter,kennzahl,feld,alt,neu\n");
        for c in &self.changes {
            let (field, old, new) = match &c.what {
                What::Vanished => ("zeile", "vorhanden", ""),
                What::Appeared => ("zeile", "", "vorhanden"),
                What::Value { field, old, new } => (*field, old.as_str(), new.as_str()),
                What::Status { old, new } => ("status", old.as_str(), new.as_str()),
            };
            let cells = [c.entity.as_str(), c.code.as_str(), field, old, new];
            let row: Vec<_> = cells.iter().map(|t| output::csv_field(t, ',')).collect();
            let _ = writeln!(table, "{}", row.join(","));
        }
        table
    }

    /// For people: per entity its id, then one indented line per change.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut entity: Option<&str> = None;
        for c in &self.changes {
            if entity != Some(c.entity.as_str()) {
                let _ = writeln!(out, "{}", c.entity);
                entity = Some(&c.entity);
            }
            let label = c.label();
            let line = match &c.what {
                What::Vanished => format!("{label}: nur in {}", self.names.0),
                What::Appeared => format!("{label}: neu in {}", self.names.1),
                What::Value { field, .. } => {
                    let (old, new) = self.values(c).unwrap_or_default();
                    format!("{label}, {field}: {old} → {new}")
                }
                What::Status { .. } => {
                    let (old, new) = self.values(c).unwrap_or_default();
                    format!("{label}: {old} → {new}")
                }
            };
            let _ = writeln!(out, "  {line}");
        }
        out
    }

    /// The old and new value of a change in German: numbers formatted (`1.234`,
    /// `+2,5 %`), statuses in words; `None` for a figure that appeared or vanished.
    pub fn values(&self, change: &Change) -> Option<(String, String)> {
        match &change.what {
            What::Vanished | What::Appeared => None,
            What::Value { field, old, new } => {
                let pct = *field == "veraenderung_pct";
                Some(german_pair(old, new, pct))
            }
            What::Status { old, new } => {
                let words = |s: &str| {
                    Status::parse(s).map_or_else(
                        || "–".to_string(),
                        |s| {
                            Kennzahlnamen::builtin()
                                .status_text(s, self.december)
                                .to_string()
                        },
                    )
                };
                Some((words(old), words(new)))
            }
        }
    }
}

fn cell(fields: &[String], i: usize) -> &str {
    fields.get(i).map_or("", String::as_str)
}

/// Whether two cells differ as exact decimals: the values of `kennzahlen.csv` are exact
/// decimal texts, so `38000000.03` against `38000000` is a change however small (a
/// relative tolerance hid cent changes of large sums). `2.50` and `2.5` are equal. A cell
/// that is no plain decimal (empty, `NaN`, `1e400`, a damaged file) compares as text.
fn changed(a: &str, b: &str) -> bool {
    match (exact(a), exact(b)) {
        (Some(x), Some(y)) => x != y,
        _ => a != b,
    }
}

/// A plain decimal cell as (units, decimals) with trailing zeros of the fraction removed,
/// so equal values give equal pairs.
fn exact(text: &str) -> Option<(i128, u32)> {
    let text = text.trim();
    if text.is_empty() || text.contains(',') || text.starts_with('+') {
        return None;
    }
    let d = Decimal::parse(text, 30)?;
    let (mut units, mut decimals) = (d.units, d.decimals);
    while decimals > 0 && units % 10 == 0 {
        units /= 10;
        decimals -= 1;
    }
    Some((units, decimals))
}

/// The old and new value in German, with enough decimals that a change shows: first as a
/// reader expects it (whole numbers, two decimals, a rate with one), then more places
/// until the two texts differ (up to the exact value).
fn german_pair(old: &str, new: &str, pct: bool) -> (String, String) {
    let places = |t: &str| exact(t).map_or(0, |(_, d)| d as usize);
    let most = places(old).max(places(new));
    let start = if pct {
        1
    } else if most == 0 {
        0
    } else {
        2
    };
    let mut decimals = start;
    loop {
        let pair = (german(old, pct, decimals), german(new, pct, decimals));
        if pair.0 != pair.1 || decimals >= most.max(start) {
            return pair;
        }
        decimals += 1;
    }
}

/// One value in German with `decimals` places: exact decimals digit by digit, other
/// numbers through `f64`, anything else „k. A.“.
fn german(text: &str, pct: bool, decimals: usize) -> String {
    if let Some(d) = Decimal::parse(text.trim(), 30).filter(|_| exact(text).is_some()) {
        return if pct {
            format::change_exact_plain(d, decimals)
        } else {
            format::decimal(d, decimals)
        };
    }
    match text.parse::<f64>() {
        Ok(x) if !x.is_finite() => format::KA.to_string(),
        Ok(x) if pct => format::change(x, decimals),
        Ok(x) => format::number(x, decimals),
        Err(_) => format::KA.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(name: &str, rows: &str) -> Side {
        let csv = format!("{}\n{rows}", kennzahlen::HEADER);
        Side::parse(name, Path::new("kennzahlen.csv"), csv.as_bytes()).unwrap()
    }

    /// Regression (hostile test): a truncated kennzahlen.csv (its last row cut short)
    /// and a row given twice were read without a word.
    #[test]
    fn short_and_repeated_rows_are_input_errors() {
        let csv = |rows: &str| format!("{}\n{rows}", kennzahlen::HEADER);
        let errors = |text: String| match Side::parse("A", Path::new("k.csv"), text.as_bytes()) {
            Err(Error::Input(list)) => list.iter().map(ToString::to_string).collect::<Vec<_>>(),
            Err(e) => panic!("expected input errors, found {e}"),
            Ok(_) => panic!("expected input errors, the file was read"),
        };
        let row = "05554,2018-12,int,240,200,20,2.1,erreicht,,,,,\n";
        let fields = kennzahlen::HEADER.split(',').count();
        assert_eq!(
            errors(csv(&format!("{row}05554,2018-12,k2,0.2"))),
            [format!(
                "k.csv:3: erwartet werden {fields} Felder wie in der Kopfzeile, gefunden wurden 4 (ist die Datei abgeschnitten?)"
            )]
        );
        assert_eq!(
            errors(csv(&format!("{row}{row}"))),
            [
                "k.csv:3: erwartet wird jedes Jobcenter und jede Kennzahl einmal, 05554 int steht noch einmal da (zuerst in Zeile 2)"
            ]
        );
    }

    /// Regression (hostile test): `NaN` or `1e400` (inf) in place of a value of B was
    /// not reported, the comparison with NaN or inf being never "beyond rounding".
    #[test]
    fn nan_and_infinite_values_are_changes() {
        let a = side("A", "05554,2018-12,int,240,200,20,2.1,erreicht,,,,,\n");
        for bad in ["NaN", "1e400", "-inf"] {
            let b = side(
                "B",
                &format!("05554,2018-12,int,{bad},200,20,2.1,erreicht,,,,,\n"),
            );
            let c = compare(&a, &b);
            assert_eq!(c.figures, 1, "{bad}");
            assert_eq!(
                c.table(),
                format!("jobcenter,kennzahl,feld,alt,neu\n05554,int,wert,240,{bad}\n")
            );
            assert!(
                c.text().contains(&format!("240 → {}", format::KA)),
                "{}",
                c.text()
            );
        }
        assert!(!changed("NaN", "NaN"));
    }

    #[test]
    fn changes_beyond_rounding_flips_and_rows_that_come_and_go() {
        let a = side(
            "A",
            "05554,2018-12,int,240,200,20,2.1,erreicht,,,,,\n\
             05554,2018-12,elb,1000,1000,0,,kein_ziel,,,,,\n\
             05558,2018-12,k2,0.25,,,,kein_ziel,,,,,\n",
        );
        let b = side(
            "B",
            // elb is written with a trailing zero only; int 240 → 250 changes wert and
            // veraenderung_pct (250 / 200 − 1 = 25 %) and flips the status.
            "05554,2018-12,int,250,200,25,2.1,verfehlt,,,,,\n\
             05554,2018-12,elb,1000.0,1000,0.000,,kein_ziel,,,,,\n\
             05558,2018-12,k3,1,,,,kein_ziel,,,,,\n",
        );
        let c = compare(&a, &b);
        assert_eq!((c.figures, c.entities, c.statuses), (3, 2, 1));
        assert_eq!(
            c.table(),
            "jobcenter,kennzahl,feld,alt,neu\n\
             05554,int,wert,240,250\n\
             05554,int,veraenderung_pct,20,25\n\
             05554,int,status,erreicht,verfehlt\n\
             05558,k2,zeile,vorhanden,\n\
             05558,k3,zeile,,vorhanden\n"
        );
        let text = c.text();
        assert!(
            text.contains("05554\n  Integrationen, wert: 240 → 250\n"),
            "{text}"
        );
        assert!(
            text.contains("Integrationen: erreicht → nicht erreicht\n"),
            "{text}"
        );
        assert!(text.contains(": nur in A\n"), "{text}");
        assert!(text.contains(": neu in B\n"), "{text}");
    }

    /// Regression (hostile review, issue 23 class 5): +0,03 € on 38 Mio. € was „0 changed“
    /// (a relative tolerance of 1e-9), and a rate changed in its fourth place showed
    /// only as the same rounded text on both sides.
    #[test]
    fn cent_changes_of_large_sums_are_changes_and_show_the_value() {
        let a = side(
            "A",
            "05554,2018-12,llu_eur,38000000,37000000,2.7027027027027,,kein_ziel,,,,,\n",
        );
        let b = side(
            "B",
            "05554,2018-12,llu_eur,38000000.03,37000000,2.7027027837838,,kein_ziel,,,,,\n",
        );
        let c = compare(&a, &b);
        assert_eq!(c.figures, 1);
        assert_eq!(
            c.table(),
            "jobcenter,kennzahl,feld,alt,neu\n\
             05554,llu_eur,wert,38000000,38000000.03\n\
             05554,llu_eur,veraenderung_pct,2.7027027027027,2.7027027837838\n"
        );
        let text = c.text();
        assert!(
            text.contains("wert: 38.000.000,00 → 38.000.000,03\n"),
            "{text}"
        );
        assert!(
            text.contains("veraenderung_pct: +2,7027027 % → +2,7027028 %\n"),
            "{text}"
        );
        // Exact: one unit in the last place of a long value is a change, the same value
        // written with trailing zeros is not.
        assert!(changed("1000", "1000.0000000001"));
        assert!(!changed("2.50", "2.5"));
        assert!(!changed("0", "0.000"));
        assert!(changed("-0.1", "0.1"));
        assert!(changed("", "0"));
    }

    /// Regression (review): the table wrote the entity raw, so a Vergleichstyp named
    /// "I,a" gave a row of six fields in aenderungen.csv of a write-once archive edition.
    #[test]
    fn the_table_quotes_a_comma_in_an_entity() {
        let a = side("A", "\"VT:I,a\",2018-12,int,240,200,20,,kein_ziel,,,,,\n");
        let b = side("B", "\"VT:I,a\",2018-12,int,250,200,20,,kein_ziel,,,,,\n");
        assert_eq!(
            compare(&a, &b).table(),
            "jobcenter,kennzahl,feld,alt,neu\n\"VT:I,a\",int,wert,240,250\n"
        );
    }
}
