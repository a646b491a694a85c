//! Section "Frauen und Männer": int, K2, K3 and K3E1 for women, men and in total side by
//! side (contract 2.7), present only when the data carry the columns by sex.

use serde::Serialize;

use super::context::Context;
use super::notes::Notes;
use super::words::{Fmt, change_text, symbol, value_text};
use crate::figures::{EntityFigures, Figure, Kennzahl, Status, Value, exact};
use crate::format;

/// One group's cell: value, change and, where a target is agreed, its status.
#[derive(Serialize)]
pub struct GeschlechtZelle {
    wert: String,
    veraenderung: String,
    status: Option<&'static str>,
    symbol: Option<&'static str>,
    status_text: Option<String>,
}

#[derive(Serialize)]
pub struct GeschlechtZeile {
    kennzahl: &'static str,
    bezeichnung: String,
    art: String,
    frauen: GeschlechtZelle,
    maenner: GeschlechtZelle,
    insgesamt: GeschlechtZelle,
    fussnote: Option<u32>,
}

/// The section's data.
#[derive(Serialize)]
pub struct Geschlecht {
    zeilen: Vec<GeschlechtZeile>,
    bewertung: Option<String>,
    /// K2 of women and men month by month against last year.
    diagramm: Option<super::charts::Diagramm>,
}

/// The pairs of the section: (total, women, men).
const ROWS: [(Kennzahl, Kennzahl, Kennzahl); 4] = [
    (Kennzahl::Int, Kennzahl::IntFrauen, Kennzahl::IntMaenner),
    (Kennzahl::K2, Kennzahl::K2Frauen, Kennzahl::K2Maenner),
    (Kennzahl::K3, Kennzahl::K3Frauen, Kennzahl::K3Maenner),
    (Kennzahl::K3e1, Kennzahl::K3e1Frauen, Kennzahl::K3e1Maenner),
];

fn cell(ctx: &Context, f: Option<&Figure>, k: Kennzahl) -> GeschlechtZelle {
    let dezember = ctx.bm().is_december();
    let Some(f) = f else {
        return GeschlechtZelle {
            wert: "–".into(),
            veraenderung: "–".into(),
            status: None,
            symbol: None,
            status_text: None,
        };
    };
    let fmt = Fmt::of(k);
    let ziel = f
        .ziel
        .filter(|z| z.soll.is_some() && z.status != Status::KeinZiel);
    GeschlechtZelle {
        wert: value_text(fmt, f.wert),
        veraenderung: change_text(f.veraenderung_pct),
        status: ziel.map(|z| z.status.code()),
        symbol: ziel.map(|z| symbol(z.status)),
        status_text: ziel.map(|z| ctx.texte.namen.status_text(z.status, dezember).to_string()),
    }
}

/// The section, or `None` when no figure by sex was computed.
pub fn geschlecht(
    ctx: &Context,
    e: &EntityFigures,
    notes: &mut Notes,
) -> Result<Option<Geschlecht>, String> {
    let bm = ctx.bm();
    let mut zeilen = Vec::new();
    for (total, women, men) in ROWS {
        let (fw, fm) = (e.figure(women), e.figure(men));
        if fw.is_none() && fm.is_none() {
            continue;
        }
        let frauen = cell(ctx, fw, women);
        let maenner = cell(ctx, fm, men);
        let insgesamt = cell(ctx, e.figure(total), total);
        let fussnote = notes.mark_ka(&[
            &frauen.wert,
            &frauen.veraenderung,
            &maenner.wert,
            &maenner.veraenderung,
            &insgesamt.wert,
            &insgesamt.veraenderung,
        ]);
        zeilen.push(GeschlechtZeile {
            kennzahl: total.code(),
            bezeichnung: ctx.texte.namen.bezeichnung(total).to_string(),
            art: ctx.texte.namen.zeitraum(total, bm)?,
            frauen,
            maenner,
            insgesamt: GeschlechtZelle {
                status: None,
                symbol: None,
                status_text: None,
                ..insgesamt
            },
            fussnote,
        });
    }
    if zeilen.is_empty() {
        return Ok(None);
    }
    let bewertung = gap_sentence(ctx, e)?;
    let diagramm = super::charts::sex_chart(ctx.texte, bm, e)?;
    Ok(Some(Geschlecht {
        zeilen,
        bewertung,
        diagramm,
    }))
}

/// The gap of K2 between women and men in percentage points, now and a year earlier.
fn gap_sentence(ctx: &Context, e: &EntityFigures) -> Result<Option<String>, String> {
    let (Some(fw), Some(fm)) = (e.figure(Kennzahl::K2Frauen), e.figure(Kennzahl::K2Maenner)) else {
        return Ok(None);
    };
    let (Some(w_now), Some(m_now)) = (fw.wert, fm.wert) else {
        return Ok(None);
    };
    let gap = |w: Value, m: Value| w.checked_sub(m).and_then(|d| exact::round(d, 2));
    let Some(now) = gap(w_now, m_now) else {
        return Ok(None);
    };
    let before = fw.vorjahr.zip(fm.vorjahr).and_then(|(w, m)| gap(w, m));
    let abs = |d: crate::figures::Decimal| {
        format::decimal(crate::figures::Decimal::new(d.units.abs(), d.decimals), 2)
    };
    let entwicklung = before.map(|b| match now.units.abs().cmp(&b.units.abs()) {
        std::cmp::Ordering::Greater => "vergrößert",
        std::cmp::Ordering::Less => "verringert",
        std::cmp::Ordering::Equal => "unverändert",
    });
    let fmt = Fmt::of(Kennzahl::K2);
    ctx.texte
        .render(
            "geschlecht.txt.j2",
            minijinja::context! {
                frauen => value_text(fmt, Some(w_now)),
                maenner => value_text(fmt, Some(m_now)),
                abstand => abs(now),
                frauen_niedriger => now.units < 0,
                abstand_vorjahr => before.map(abs),
                entwicklung => entwicklung,
            },
        )
        .map(Some)
}
