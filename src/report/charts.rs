//! Chart geometry: the series of each section's chart, its axis and its alt text.

use serde::Serialize;

use crate::domain::Col;
use crate::figures::{Berichtsmonat, EntityFigures, Kennzahl};
use crate::format;

#[derive(Serialize)]
struct Tick {
    wert: f64,
    label: String,
}

#[derive(Serialize)]
struct Reihe {
    name: String,
    stil: &'static str,
    werte: Vec<Option<f64>>,
}

#[derive(Serialize)]
pub struct Diagramm {
    titel: String,
    alt: String,
    y_titel: String,
    x_labels: Vec<&'static str>,
    y_min: f64,
    y_max: f64,
    y_ticks: Vec<Tick>,
    reihen: Vec<Reihe>,
    /// Index of the first month (0 = January) still within the Wartezeit: drawn hollow.
    vorlaeufig_ab: Option<usize>,
    vorlaeufig_hinweis: Option<String>,
}

/// The chart of a section: I the ELB stock, II the cumulative integrations, III the LZB
/// stock — this year (to the Berichtsmonat) against last year.
pub fn chart(section: &str, e: &EntityFigures, bm: Berichtsmonat) -> Option<Diagramm> {
    let (col, cumulative, titel, y_titel, was) = match section {
        "I" => (
            Col::Elb,
            false,
            "Bestand erwerbsfähige Leistungsberechtigte je Monat",
            "Personen",
            "Bestand erwerbsfähige Leistungsberechtigte",
        ),
        "II" => (
            Col::Int,
            true,
            "Integrationen, kumuliert ab Januar (Jahresfortschritt)",
            "Integrationen",
            "Integrationen kumuliert",
        ),
        _ => (
            Col::Lzb,
            false,
            "Bestand Langzeitleistungsbeziehende je Monat",
            "Personen",
            "Bestand Langzeitleistungsbeziehende",
        ),
    };
    let series = |this_year: bool| -> Vec<Option<f64>> {
        let raw = e.months(col, this_year);
        if !cumulative {
            return raw.to_vec();
        }
        let mut sum = Some(0.0);
        raw.iter()
            .map(|v| {
                sum = sum.zip(*v).map(|(a, b)| a + b);
                sum
            })
            .collect()
    };
    let mut now = series(true);
    now.truncate(12);
    for v in now.iter_mut().skip(bm.month as usize) {
        *v = None;
    }
    let before = series(false);
    // The target path: II the cumulative integrations of last year × (1 + Soll); III the
    // December target of the LZB stock (one point).
    let ziel = target_series(section, e, bm, &before);
    let all: Vec<f64> = now
        .iter()
        .chain(&before)
        .chain(ziel.iter().flat_map(|r| &r.werte))
        .flatten()
        .copied()
        .collect();
    if all.is_empty() {
        return None;
    }
    let (lo, hi) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let (y_min, y_max, step) = axis(if cumulative { 0.0 } else { lo }, hi);
    let mut y_ticks = Vec::new();
    let mut t = y_min;
    while t <= y_max + step / 2.0 {
        y_ticks.push(Tick {
            wert: t,
            label: format::int(t),
        });
        t += step;
    }
    let describe = |name: String, values: &[Option<f64>]| -> String {
        let points: Vec<(usize, f64)> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (i, v)))
            .collect();
        match (points.first(), points.last()) {
            (Some(&(i0, v0)), Some(&(i1, v1))) if i0 != i1 => format!(
                "{name}: {} im {}, {} im {}",
                format::int(v0),
                format::MONTHS[i0],
                format::int(v1),
                format::MONTHS[i1]
            ),
            (Some(&(i0, v0)), _) => {
                format!("{name}: {} im {}", format::int(v0), format::MONTHS[i0])
            }
            _ => format!("{name}: keine Werte"),
        }
    };
    // Months of this year within three months before the Datenstand are provisional.
    let provisional = e.datenstand.and_then(|d| {
        use chrono::Datelike;
        let first = d.year() * 12 + d.month0() as i32 - 3 - bm.year * 12;
        let first = usize::try_from(first.max(0)).ok()?;
        (first < bm.month as usize).then(|| (first, format::date_long(d)))
    });
    let ziel_alt = ziel
        .as_ref()
        .map(|r| format!(" {}.", describe(r.name.clone(), &r.werte)))
        .unwrap_or_default();
    let alt = format!(
        "Liniendiagramm {was} je Monat, {} gegen {}. {}. {}.{ziel_alt} Senkrechte Achse: {y_titel}, von {} bis {}.",
        bm.year,
        bm.year - 1,
        describe(bm.year.to_string(), &now),
        describe((bm.year - 1).to_string(), &before),
        format::int(y_min),
        format::int(y_max)
    );
    Some(Diagramm {
        titel: format!("{titel}, {} und {}", bm.year, bm.year - 1),
        alt,
        // An axis that does not start at zero says so.
        y_titel: if y_min > 0.0 {
            format!(
                "{y_titel} (Achse beginnt bei {}, nicht bei null)",
                format::int(y_min)
            )
        } else {
            y_titel.into()
        },
        x_labels: format::MONTHS_SHORT.to_vec(),
        y_min,
        y_max,
        y_ticks,
        vorlaeufig_ab: provisional.as_ref().map(|(i, _)| *i),
        vorlaeufig_hinweis: provisional
            .map(|(_, d)| format!("vorläufig (Wartezeit, Datenstand {d})")),
        reihen: vec![
            Reihe {
                name: bm.year.to_string(),
                stil: "aktuell",
                werte: now,
            },
            Reihe {
                name: (bm.year - 1).to_string(),
                stil: "vorjahr",
                werte: before,
            },
        ]
        .into_iter()
        .chain(ziel)
        .collect(),
    })
}

/// The Soll path of a section's chart, where the Jobcenter has a target.
fn target_series(
    section: &str,
    e: &EntityFigures,
    bm: Berichtsmonat,
    before: &[Option<f64>],
) -> Option<Reihe> {
    match section {
        "II" => {
            let soll = e.figure(Kennzahl::Int)?.ziel?.soll?;
            let factor = 1.0 + soll.as_f64() / 100.0;
            Some(Reihe {
                name: format!(
                    "Zielpfad {} (Vorjahr × (1 {} {}))",
                    bm.year,
                    if soll.units < 0 { "−" } else { "+" },
                    format::percent(soll.as_f64().abs(), soll.decimals.max(1) as usize)
                ),
                stil: "ziel",
                werte: before.iter().map(|v| v.map(|x| x * factor)).collect(),
            })
        }
        "III" => {
            let f = e.figure(Kennzahl::LzbJe)?;
            f.ziel?.soll?;
            let target = f.pfad?.jahres_soll?.as_f64();
            let mut werte = vec![None; 12];
            werte[11] = Some(target);
            Some(Reihe {
                name: format!("Soll Dezember {}", bm.year),
                stil: "ziel",
                werte,
            })
        }
        _ => None,
    }
}

/// A readable axis from `lo` to `hi`: (min, max, step) with 3–6 round steps.
fn axis(lo: f64, hi: f64) -> (f64, f64, f64) {
    let span = (hi - lo).max(hi.abs() * 0.02).max(1.0);
    let raw = span / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let min = (lo / step).floor() * step;
    let mut max = (hi / step).ceil() * step;
    if max <= min {
        max = min + step;
    }
    (min, max, step)
}
