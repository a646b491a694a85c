//! The Bewertung of a report section (`templates/texte/bewertung.txt.j2`): what the
//! section's table does not say. For each target before December, what the rest of the
//! year still needs, by how much per month, against the same months a year earlier; for
//! a target without a rest (a share), the margin to its level; then, for all figures of
//! the section at once, which develop more and which less favourably than in the
//! Vergleichstyp. The values themselves stand in the table and are not repeated.
//!
//! The still-needed amounts are those of the Zielpfad line of „Zielerreichung auf einen
//! Blick“ (`goals.rs`, contract 2.6, v4), computed by the same rules of
//! [`crate::figures::level`]; a test holds the two equal on the sample data.

use super::context::Context;
use super::words::{Fmt, change_decimals};
use crate::domain::{Col, Formula};
use crate::figures::{Decimal, EntityFigures, Figure, Kennzahl, Value, exact, level};
use crate::format;

/// The sentences of the Bewertung of one section with the figures `figures`.
pub fn bewertung(
    ctx: &Context,
    e: &EntityFigures,
    figures: &[Kennzahl],
    vt: Option<&EntityFigures>,
    vt_name: Option<&str>,
) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for &k in figures {
        let Some(f) = e.figure(k) else { continue };
        if f.veraenderung_pct.is_none() {
            out.push(ctx.texte.render(
                "bewertung.txt.j2",
                minijinja::context! {
                    art => "fehlt",
                    dativ => &ctx.texte.namen.get(k).dativ,
                    vergleich => ctx.texte.namen.vergleich(k, ctx.bm())?,
                },
            )?);
            continue;
        }
        if let Some(s) = target(ctx, e, f)? {
            out.push(s);
        }
    }
    if let (Some(g), Some(name)) = (vt, vt_name) {
        let (mut better, mut worse, mut same) = (Vec::new(), Vec::new(), Vec::new());
        for &k in figures {
            let Some(f) = e.figure(k) else { continue };
            let (Some(own), Some(theirs)) = (
                f.veraenderung_pct,
                g.figure(k).and_then(|g| g.veraenderung_pct),
            ) else {
                continue;
            };
            let places = change_decimals(f);
            let name = ctx.texte.namen.get(k).kurz.clone();
            let printed = |x: f64| format::number(x, places);
            if printed(own) == printed(theirs) {
                same.push(name);
            } else if (own > theirs) == k.higher_is_better() {
                better.push(name);
            } else {
                worse.push(name);
            }
        }
        let total = better.len() + worse.len() + same.len();
        if total > 0 {
            out.push(ctx.texte.render(
                "bewertung.txt.j2",
                minijinja::context! {
                    art => "vergleichstyp",
                    name => name,
                    anzahl => total,
                    guenstiger => better,
                    unguenstiger => worse,
                    gleich => same,
                },
            )?);
        }
    }
    Ok(out)
}

/// The places a level is shown with (as in „Zielerreichung auf einen Blick“).
fn places(fmt: Fmt) -> u32 {
    fmt.places()
}

fn count(n: i128) -> String {
    format::decimal(Decimal::new(n, 0), 0)
}

/// `⌈n / d⌉` for positive `d`.
fn per_month_up(n: i128, d: i128) -> i128 {
    n.div_euclid(d) + i128::from(n.rem_euclid(d) != 0)
}

/// The sentence of one target, `None` without a target or where nothing is left to say.
#[allow(clippy::many_single_char_names)]
fn target(ctx: &Context, e: &EntityFigures, f: &Figure) -> Result<Option<String>, String> {
    let bm = ctx.bm();
    let k = f.kennzahl;
    let Some(soll) = f.ziel.and_then(|z| z.soll) else {
        return Ok(None);
    };
    let (Some(p), Some(w)) = (f.pfad, f.wert) else {
        return Ok(None);
    };
    if bm.is_december() {
        return Ok(None);
    }
    let up = k.higher_is_better();
    let fmt = Fmt::of(k);
    let t = i128::from(bm.month);
    let months = 12 - t;
    let namen = ctx.texte.namen.get(k);
    let rest_monate = if bm.month == 11 {
        "im Dezember".to_string()
    } else {
        format!("von {} bis Dezember", format::MONTHS[bm.month as usize])
    };
    let jahres_level = p
        .jahres_basis
        .and_then(|b| level::shown_level(b, soll, up, places(fmt)));
    let jahres_soll = jahres_level.map(|d| {
        let number = format::decimal(d, d.decimals as usize);
        match fmt {
            Fmt::Quota | Fmt::Share => format!("{number}{}%", format::UNIT_SPACE),
            _ => number,
        }
    });
    let base = |art: &str| {
        minijinja::context! {
            art => art,
            kurz => &namen.kurz,
            subjekt => &namen.subjekt,
            verb => &namen.verb,
            einheit => &namen.einheit,
            rest_monate => &rest_monate,
            monate => months,
            jahres_soll => &jahres_soll,
            monat => format::MONTHS[bm.month as usize - 1],
        }
    };
    let text = match k.formula() {
        Formula::Sum(_) | Formula::Quota { .. } => {
            let Some(r) = p.rest_bedarf else {
                return Ok(None);
            };
            let rest = level::whole_amount(r, soll, up, up);
            let vj = p
                .vorjahr_rest
                .and_then(|v| exact::round(v, 0))
                .map(|d| d.units);
            minijinja::context! {
                    erreicht => rest <= 0,
                    rest => count(rest.max(0)),
                    je_monat => count(per_month_up(rest.max(0), months)),
                    vorjahr_je_monat => vj.map(|v| count(per_month_up(v.max(0), months))),
                ..base("noch"),
            }
        }
        Formula::Mean(col) => {
            let Some(l) = jahres_level else {
                return Ok(None);
            };
            let Some(ceiling) = Value::ratio(l.units, 10i128.pow(l.decimals))
                .and_then(|l| l.checked_mul(Value::int(12)))
                .zip(w.checked_mul(Value::int(t)))
                .and_then(|(a, b)| a.checked_sub(b))
                .and_then(|v| v.checked_div(Value::int(months)))
                .map(|v| v.num.div_euclid(v.den))
            else {
                return Ok(None);
            };
            let aktuell = stock_now(e, col, bm.month);
            minijinja::context! {
                    rest => count(ceiling),
                    aktuell => aktuell.map(count),
                    spielraum => aktuell.map(|a| count((ceiling - a).abs())),
                    darueber => aktuell.is_some_and(|a| a > ceiling),
                ..base("mittel"),
            }
        }
        Formula::StockDec(_) => {
            let Some(r) = p.rest_bedarf else {
                return Ok(None);
            };
            let n = level::whole_amount(r, soll, up, up);
            let vj = p
                .vorjahr_rest
                .and_then(|v| exact::round(v, 0))
                .map(|d| d.units);
            minijinja::context! {
                    richtung => if n < 0 { "abbau" } else { "anstieg" },
                    rest => count(n.abs()),
                    je_monat => count(if n < 0 { per_month_up(-n, months) } else { n.div_euclid(months) }),
                    vorjahr_richtung => vj.map(|v| match v.signum() { 1 => "anstieg", 0 => "gleich", _ => "abbau" }),
                    vorjahr_rest => vj.map(|v| count(v.abs())),
                ..base("dezember"),
            }
        }
        _ => {
            // A share or another figure without a rest: the margin of the Ist to its level.
            let Some(shown) = f
                .vorjahr
                .and_then(|b| level::shown_with_ist(w, b, soll, up, places(fmt)))
            else {
                return Ok(None);
            };
            let diff = shown.ist.units - shown.level.units;
            let abs = Decimal::new(diff.abs(), shown.level.decimals);
            let one = |d: Decimal| {
                let number = format::decimal(d, d.decimals as usize);
                match fmt {
                    Fmt::Quota | Fmt::Share => format!("{number}{}%", format::UNIT_SPACE),
                    _ => number,
                }
            };
            minijinja::context! {
                    lage => match diff.signum() { 1 => "darueber", -1 => "darunter", _ => "gleich" },
                    betrag => format::decimal(abs, abs.decimals as usize),
                    prozent => matches!(fmt, Fmt::Quota | Fmt::Share),
                    soll_wert => one(shown.level),
                    hoeher_besser => up,
                ..base("spielraum"),
            }
        }
    };
    ctx.texte.render("bewertung.txt.j2", text).map(Some)
}

/// The stock of `col` at month `month` of this year, whole.
#[allow(clippy::cast_possible_truncation)]
fn stock_now(e: &EntityFigures, col: Col, month: u32) -> Option<i128> {
    e.months(col, true)
        .get(month as usize - 1)
        .copied()
        .flatten()
        .map(|v| v.round() as i128)
}
