//! `aenderungen.pdf`: the German page of a superseding archive edition that says why it
//! exists and what it changed against the edition it supersedes — the reason, the
//! Datenstand of both, a summary and a table of the changes (at most [`MAX_ROWS`]; the
//! rest is counted and stands in `aenderungen.csv`). The wording is in
//! `templates/aenderungen.typ`; this module hands it the data as `/data.json`, every
//! value already in German format.

use serde::Serialize;

use super::{Change, Comparison, What};
use crate::domain::Kennzahl;
use crate::error::Error;
use crate::figures::Results;
use crate::format::{self, KA, UNIT_SPACE};
use crate::load::bericht::Herausgeber;
use crate::output::OutFile;
use crate::report::ReportOptions;
use crate::report::context::Titel;
use crate::report::words::Fmt;
use crate::typeset::{DocumentDate, Renderer, Template};

/// The file in the edition.
pub const FILE: &str = "aenderungen.pdf";
/// The table of changes in the edition (all of them).
pub const TABLE_FILE: &str = "aenderungen.csv";
/// Rows of the table in the PDF; the rest is counted ("und N weitere").
pub const MAX_ROWS: usize = 200;

/// The two editions compared.
pub struct Editions<'a> {
    pub year: i32,
    /// The new edition's number and the one it supersedes.
    pub edition: u32,
    pub supersedes: u32,
    pub reason: &'a str,
    /// `YYYY-MM-DD`, from the manifests.
    pub datenstand_old: Option<&'a str>,
    pub datenstand_new: Option<&'a str>,
}

/// `/data.json` of `templates/aenderungen.typ`.
#[derive(Serialize)]
pub struct AenderungenData {
    meta: Meta,
    jahr: i32,
    /// `Dezember 2018`.
    berichtsmonat: String,
    ausgabe: u32,
    ersetzt: u32,
    grund: String,
    /// `15. Februar 2019`, or none when the manifest has none.
    datenstand_alt: Option<String>,
    datenstand_neu: Option<String>,
    /// Jobcenters and aggregates with any change, figures with any change, statuses
    /// that flipped.
    jobcenter: usize,
    aggregate: usize,
    kennzahlen: usize,
    /// Distinct figures (codes) among the changes: „3 Kennzahlen“ where `kennzahlen`
    /// counts 9 values of them across Jobcenters and aggregates.
    kennzahlen_arten: usize,
    status: usize,
    zeilen: Vec<Zeile>,
    /// Changes not in `zeilen` (beyond [`MAX_ROWS`]).
    weitere: usize,
    /// The file that holds every change.
    tabelle: &'static str,
}

/// What the style of the reports reads: the creation date and `bericht.toml`.
#[derive(Serialize)]
struct Meta {
    erstellt: String,
    herausgeber: Option<Herausgeber>,
    quelle: String,
    banner: Option<String>,
}

/// One change.
#[derive(Serialize)]
struct Zeile {
    /// `05554`, `LAND:NRW`, `VT:IIa`.
    id: String,
    /// `jobcenter`, `land`, `vergleichstyp`.
    art: &'static str,
    /// The Jobcenter's name, the Land or the Vergleichstyp; none when unknown.
    name: Option<String>,
    kennzahl: String,
    /// `wert`, `vorjahr`, `veraenderung_pct`, `status`, `neu` (only in the new edition),
    /// `entfallen` (only in the old one).
    feld: &'static str,
    alt: String,
    neu: String,
    /// The status codes of a status change (for its colour), else none.
    status_alt: Option<String>,
    status_neu: Option<String>,
}

/// The data of the page.
pub fn data(
    c: &Comparison,
    editions: &Editions,
    results: &Results,
    options: &ReportOptions,
    wording: &crate::texte::Wording,
) -> Result<AenderungenData, Error> {
    let (mut jobcenter, mut aggregate) = (0, 0);
    let mut last: Option<&str> = None;
    for ch in &c.changes {
        if last != Some(ch.entity.as_str()) {
            if is_aggregate(&ch.entity) {
                aggregate += 1;
            } else {
                jobcenter += 1;
            }
            last = Some(&ch.entity);
        }
    }
    let bericht = &options.bericht;
    let quelle = if let Some(q) = &bericht.quelle {
        q.clone()
    } else {
        let texte = wording.texte()?;
        Titel::new(&texte, results.berichtsmonat)
            .map_err(Error::Render)?
            .quelle
    };
    Ok(AenderungenData {
        meta: Meta {
            erstellt: format::date_long(options.timestamp.date_naive()),
            herausgeber: bericht.herausgeber.clone(),
            quelle,
            banner: bericht.banner.clone(),
        },
        jahr: editions.year,
        berichtsmonat: format::month_long(results.berichtsmonat.year, results.berichtsmonat.month),
        ausgabe: editions.edition,
        ersetzt: editions.supersedes,
        // A tab would vanish in the PDF (Typst sets no tab stops): it reads as a space.
        grund: editions.reason.trim().replace('\t', " "),
        datenstand_alt: editions.datenstand_old.map(date),
        datenstand_neu: editions.datenstand_new.map(date),
        jobcenter,
        aggregate,
        kennzahlen: c.figures,
        kennzahlen_arten: c
            .changes
            .iter()
            .map(|ch| ch.code.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        status: c.statuses,
        zeilen: c
            .changes
            .iter()
            .take(MAX_ROWS)
            .map(|ch| zeile(c, ch, results))
            .collect(),
        weitere: c.changes.len().saturating_sub(MAX_ROWS),
        tabelle: TABLE_FILE,
    })
}

/// Renders the page (PDF/A-2a + PDF/UA-1, like the reports).
pub fn render(
    data: &AenderungenData,
    options: &ReportOptions,
    wording: &crate::texte::Wording,
) -> Result<OutFile, Error> {
    let json = serde_json::to_vec(data).map_err(|e| Error::Render(e.to_string()))?;
    let renderer = Renderer::from_folder(wording.folder(), &options.font_paths)
        .map_err(|e| Error::Render(e.to_string()))?;
    let ident = format!("aenderungen-{}-ausgabe-{}", data.jahr, data.ausgabe);
    let date = DocumentDate::from(options.timestamp);
    // Within the time limit per document, as the reports.
    let rendered =
        crate::typeset::deadline::Deadline::new(std::sync::Arc::new(renderer), options.time_limit)
            .render(Template::Aenderungen, &json, &ident, date)
            .map_err(|e| Error::Render(format!("{FILE}: {e}")))?;
    if !rendered.warnings.is_empty() {
        eprintln!("{FILE}: {}", rendered.warnings.trim_end());
    }
    crate::typeset::evict_cache(0);
    Ok(OutFile {
        path: FILE.into(),
        bytes: rendered.pdf,
    })
}

fn is_aggregate(id: &str) -> bool {
    id.contains(':')
}

/// `2019-02-15` → `15. Februar 2019` (other text as it is).
fn date(text: &str) -> String {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_or_else(|_| text.to_string(), format::date_long)
}

fn zeile(c: &Comparison, ch: &Change, results: &Results) -> Zeile {
    let jobcenter = results
        .entity(&ch.entity)
        .and_then(|e| e.jobcenter.as_ref());
    let (art, name) = match jobcenter {
        Some(j) => ("jobcenter", Some(j.name.clone())),
        _ if ch.entity.starts_with("LAND:") => ("land", Some(ch.entity[5..].to_string())),
        _ if ch.entity.starts_with("VT:") => ("vergleichstyp", Some(ch.entity[3..].to_string())),
        _ => ("jobcenter", None),
    };
    let (feld, alt, neu, status) = match &ch.what {
        What::Vanished => ("entfallen", String::new(), String::new(), None),
        What::Appeared => ("neu", String::new(), String::new(), None),
        What::Value { field, old, new } => {
            let (a, n) = shown(&ch.code, field, old, new);
            (*field, a, n, None)
        }
        What::Status { old, new } => {
            let (a, n) = c.values(ch).unwrap_or_default();
            ("status", a, n, Some((old.clone(), new.clone())))
        }
    };
    let (status_alt, status_neu) = status.unzip();
    Zeile {
        id: ch.entity.clone(),
        art,
        name,
        kennzahl: ch.label().to_string(),
        feld,
        alt,
        neu,
        status_alt,
        status_neu,
    }
}

/// Old and new value as the reports print them (`3.788`, `32,73 %`, `+2,1 %`, money in
/// whole euros); where that shows both alike, with as many more decimals as tell them
/// apart (at most four more).
fn shown(code: &str, field: &str, old: &str, new: &str) -> (String, String) {
    let fmt = Kennzahl::parse(code).map(Fmt::of);
    let (base, unit) = match (field, fmt) {
        ("veraenderung_pct", _) => (1, Unit::Change),
        (_, Some(f @ (Fmt::Count | Fmt::Mean))) => (f.places() as usize, Unit::None),
        (_, Some(f @ (Fmt::Quota | Fmt::Share))) => (f.places() as usize, Unit::Percent),
        (_, Some(f @ Fmt::Money)) => (f.places() as usize, Unit::Euro),
        (_, None) => (2, Unit::None),
    };
    let text = |cell: &str, decimals: usize| match cell.parse::<f64>() {
        Ok(x) if x.is_finite() => match unit {
            Unit::None => format::number(x, decimals),
            Unit::Percent => format::percent(x, decimals),
            Unit::Euro => format!("{}{UNIT_SPACE}€", format::number(x, decimals)),
            Unit::Change => format::change_doc(x, decimals),
        },
        _ => KA.to_string(),
    };
    let mut pair = (text(old, base), text(new, base));
    for decimals in base + 1..=base + 4 {
        if pair.0 != pair.1 {
            break;
        }
        pair = (text(old, decimals), text(new, decimals));
    }
    pair
}

#[derive(Clone, Copy)]
enum Unit {
    None,
    Percent,
    Euro,
    Change,
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::super::{Side, compare};
    use super::*;
    use crate::domain::{Berichtsmonat, Decimal};
    use crate::output::kennzahlen::HEADER;

    fn side(name: &str, rows: &str) -> Side {
        let csv = format!("{HEADER}\n{rows}");
        Side::parse(name, std::path::Path::new("kennzahlen.csv"), csv.as_bytes()).unwrap()
    }

    #[test]
    fn at_most_200_rows_the_rest_counted_and_aggregates_named() {
        // 300 Jobcenters whose integrations rose by one: 300 changes of `wert`, and one
        // Land aggregate with a status flip.
        let (mut a, mut b) = (String::new(), String::new());
        for i in 0..300 {
            let id = 10_000 + i;
            let _ = writeln!(a, "{id:05},2018-12,int,{i},,,,,,,,,");
            let _ = writeln!(b, "{id:05},2018-12,int,{},,,,,,,,,", i + 1);
        }
        a.push_str("LAND:NRW,2018-12,k2,30,,,,erreicht,,,,,\n");
        b.push_str("LAND:NRW,2018-12,k2,30,,,,verfehlt,,,,,\n");
        let c = compare(&side("alt", &a), &side("neu", &b));
        let results = Results::new(
            Berichtsmonat {
                year: 2018,
                month: 12,
            },
            Decimal::ZERO,
            Vec::new(),
        );
        let options = ReportOptions {
            templates: None,
            font_paths: Vec::new(),
            jobs: 1,
            timestamp: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            vorlaeufig: false,
            bericht: crate::load::bericht::Bericht::default(),
            emit_data: None,
            reuse: false,
            time_limit: None,
        };
        let editions = Editions {
            year: 2018,
            edition: 2,
            supersedes: 1,
            reason: " Korrektur\tder Daten ",
            datenstand_old: Some("2019-02-15"),
            datenstand_new: None,
        };
        let d = data(
            &c,
            &editions,
            &results,
            &options,
            &crate::texte::Wording::read(None),
        )
        .unwrap();
        assert_eq!(
            (d.jobcenter, d.aggregate, d.kennzahlen, d.status),
            (300, 1, 301, 1)
        );
        assert_eq!((d.zeilen.len(), d.weitere), (MAX_ROWS, 101));
        // Trimmed; the tab reads as a space.
        assert_eq!(d.grund, "Korrektur der Daten");
        assert_eq!(d.datenstand_alt.as_deref(), Some("15. Februar 2019"));
        assert_eq!(d.berichtsmonat, "Dezember 2018");
        let first = &d.zeilen[0];
        assert_eq!(
            (
                first.id.as_str(),
                first.feld,
                first.alt.as_str(),
                first.neu.as_str()
            ),
            ("10000", "wert", "0", "1")
        );
        // The Land sorts after the Jobcenters and is cut off; the table keeps it.
        assert!(c.table().contains("LAND:NRW,k2,status,erreicht,verfehlt\n"));
        let land = zeile(&c, c.changes.last().unwrap(), &results);
        assert_eq!((land.art, land.name.as_deref()), ("land", Some("NRW")));
        assert_eq!(
            (land.alt.as_str(), land.neu.as_str()),
            ("erreicht", "nicht erreicht")
        );
        assert_eq!(land.status_neu.as_deref(), Some("verfehlt"));
    }

    #[test]
    fn values_as_the_reports_print_them_and_told_apart() {
        let s = |code, field, a, b| shown(code, field, a, b);
        assert_eq!(s("int", "wert", "240", "250"), ("240".into(), "250".into()));
        assert_eq!(
            s("elb", "wert", "11533", "11534"),
            ("11.533".into(), "11.534".into())
        );
        // K2 is a quota: two decimals and a percent sign.
        assert_eq!(
            s("k2", "wert", "32.734657", "33.1"),
            ("32,73\u{202F}%".into(), "33,10\u{202F}%".into())
        );
        // Alike with no decimals (6.921 both) and with one (6.920,7 both): two tell
        // them apart.
        assert_eq!(
            s("k3", "wert", "6920.66", "6920.74"),
            ("6.920,66".into(), "6.920,74".into())
        );
        assert_eq!(
            s("int", "veraenderung_pct", "2.1024", "4.7"),
            ("+2,1\u{202F}%".into(), "+4,7\u{202F}%".into())
        );
        assert_eq!(
            s("llu", "wert", "37972080.41", "37972100"),
            ("37.972.080\u{202F}€".into(), "37.972.100\u{202F}€".into())
        );
        assert_eq!(s("int", "vorjahr", "", "12"), (KA.into(), "12".into()));
    }
}
