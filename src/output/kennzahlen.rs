//! `kennzahlen.csv`: every figure of every Jobcenter and aggregate, machine-readable
//! (contract section 3): UTF-8, comma-separated, LF, full precision, empty = missing,
//! with the members of aggregates (2.5) and the Zielpfad of targets (2.6).

use std::fmt::Write as _;

use crate::figures::{Decimal, Results, Value};

/// The file name in a run folder.
pub const FILE: &str = "kennzahlen.csv";

pub const HEADER: &str = "jobcenter,berichtsmonat,kennzahl,wert,vorjahr,veraenderung_pct,soll_pct,status,mitglieder,soll_wert,jahres_soll,rest_bedarf,vorjahr_rest";

fn num(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map(|v| format!("{v}"))
        .unwrap_or_default()
}

fn value(v: Option<Value>) -> String {
    num(v.map(Value::as_f64))
}

pub fn render(results: &Results) -> String {
    let mut out = String::with_capacity(96 * 22 * results.entities.len());
    out.push_str(HEADER);
    out.push('\n');
    let month = results.berichtsmonat.to_string();
    for entity in &results.entities {
        for f in &entity.figures {
            let (soll, status) = match &f.ziel {
                Some(z) => (num(z.soll.map(Decimal::as_f64)), z.status.code()),
                None => (String::new(), ""),
            };
            let pfad = f.pfad.unwrap_or_default();
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{}",
                super::csv_field(&entity.id, ','),
                month,
                f.kennzahl.code(),
                value(f.wert),
                value(f.vorjahr),
                num(f.veraenderung_pct),
                soll,
                status,
                f.mitglieder.map(|m| m.to_string()).unwrap_or_default(),
                value(pfad.soll_wert),
                value(pfad.jahres_soll),
                value(pfad.rest_bedarf),
                value(pfad.vorjahr_rest),
            );
        }
    }
    out
}
