//! `kennzahlen.csv`: every figure of every Jobcenter and aggregate, machine-readable
//! (contract section 3): UTF-8, comma-separated, LF, full precision, empty = missing.

use std::fmt::Write as _;

use crate::figures::{Decimal, Results, Status, Value};

pub const HEADER: &str =
    "jobcenter,berichtsmonat,kennzahl,wert,vorjahr,veraenderung_pct,soll_pct,status";

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

/// RFC 4180 quoting where needed (a Land or Vergleichstyp may hold a comma).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

pub fn render(results: &Results) -> String {
    let mut out = String::with_capacity(64 * 16 * results.entities.len());
    out.push_str(HEADER);
    out.push('\n');
    let month = results.berichtsmonat.to_string();
    for entity in &results.entities {
        for f in &entity.figures {
            let (soll, status) = match &f.ziel {
                Some(z) => (num(z.soll.map(Decimal::as_f64)), z.status.code()),
                None => (String::new(), ""),
            };
            debug_assert!(
                f.ziel
                    .is_none_or(|z| z.soll.is_some() || z.status == Status::KeinZiel)
            );
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                field(&entity.id),
                month,
                f.kennzahl.code(),
                num(f.wert.map(Value::as_f64)),
                num(f.vorjahr.map(Value::as_f64)),
                num(f.veraenderung_pct),
                soll,
                status
            );
        }
    }
    out
}
