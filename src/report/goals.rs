//! "Zielerreichung auf einen Blick": one row per figure with a target, in the order of the
//! agreement's sections, with the Soll as a level, what the rest of the year still needs
//! (contract 2.6) and the rank among the Vergleichstyp and the Land.
//!
//! Rounding of levels and needs for display goes in the direction of the target, so that
//! a printed figure never promises more than the exact one: counts and quotas that must be
//! reached are rounded up ("noch 855 Integrationen" for 854,91), ceilings that must not be
//! exceeded (the highest mean K3 stock, the December LZB stock) are rounded down.

use serde::Serialize;

use super::model::{Context, Notes};
use super::words::{Fmt, decimal_text, symbol, value_text};
use crate::domain::{Formula, Section};
use crate::figures::{EntityFigures, Figure, Kennzahl, Status, Value, exact};
use crate::format::{self, KA};

/// One row of "Zielerreichung auf einen Blick".
#[derive(Serialize)]
pub struct ZielZeile {
    pub kennzahl: &'static str,
    pub bezeichnung: String,
    pub ziel_text: String,
    pub soll: String,
    pub ist: String,
    pub wert: String,
    pub vorjahr: String,
    pub status: &'static str,
    pub symbol: &'static str,
    pub status_text: String,
    pub fussnote: Option<u32>,
    /// The Soll as a level and what the year still needs (or, in December, the margin).
    pub pfad: Option<String>,
    /// "Rang 2 von 4 im Vergleichstyp Ia · Rang 7 von 18 im Land NRW".
    pub rang: Option<String>,
}

/// The rows and the count line ("4 von 5 vereinbarten Zielen auf Kurs").
pub struct Ziele {
    pub zeilen: Vec<ZielZeile>,
    pub zaehlung: String,
    /// Rows whose target is at risk, for the Gesprächspunkte: (bezeichnung, pfad).
    pub gefaehrdet: Vec<(Status, String, Option<String>)>,
}

/// The figures of an entity that carry a target, in the order of the agreement's
/// sections (I, II, III), within a section in the order of the table of Kennzahlen.
pub fn with_target(e: &EntityFigures) -> Vec<&Figure> {
    let mut figures: Vec<&Figure> = Kennzahl::ALL
        .iter()
        .filter_map(|&k| e.figure(k))
        .filter(|f| {
            f.ziel
                .is_some_and(|z| z.soll.is_some() || f.kennzahl.is_target())
        })
        .collect();
    figures.sort_by_key(|f| section_of(f.kennzahl));
    figures
}

/// The section a target is reported under; K3E1 is an integration quota of section III.
fn section_of(k: Kennzahl) -> Section {
    k.def().section
}

pub fn ziele(ctx: &Context, e: &EntityFigures, notes: &mut Notes) -> Result<Ziele, String> {
    let bm = ctx.bm();
    let dezember = bm.is_december();
    let mut zeilen = Vec::new();
    let mut gefaehrdet = Vec::new();
    let (mut met, mut agreed) = (0, 0);
    for f in with_target(e) {
        let k = f.kennzahl;
        let z = f.ziel.expect("filtered on a target");
        let bezeichnung = ctx.texte.namen.bezeichnung(k).to_string();
        let fmt = Fmt::of(k);
        let ziel_text = match z.soll {
            Some(soll) => {
                let (richtung, betrag) = soll_parts(soll);
                ctx.texte.render(
                    "ziel.txt.j2",
                    minijinja::context! {
                        kennzahl => k.code(),
                        bezeichnung => &bezeichnung,
                        hoeher_besser => k.higher_is_better(),
                        soll => decimal_text(soll),
                        soll_richtung => richtung,
                        soll_betrag => betrag,
                        vorjahr_dezember => format::month_long(bm.year - 1, 12),
                    },
                )?
            }
            None => ctx.texte.render(
                "kurztexte.txt.j2",
                minijinja::context! { art => "kein_ziel" },
            )?,
        };
        if z.soll.is_some() {
            agreed += 1;
            met += usize::from(z.status == Status::Erreicht);
        }
        let ist = z.ist.map_or_else(|| KA.to_string(), decimal_text);
        let wert = value_text(fmt, f.wert);
        let vorjahr = value_text(fmt, f.vorjahr);
        let fussnote = notes.mark_ka(&[&ist, &wert, &vorjahr]);
        let pfad = match z.soll {
            Some(_) => pfad_text(ctx, e, f)?,
            None => None,
        };
        if matches!(z.status, Status::KnappVerfehlt | Status::Verfehlt) {
            gefaehrdet.push((z.status, bezeichnung.clone(), pfad.clone()));
        }
        zeilen.push(ZielZeile {
            kennzahl: k.code(),
            bezeichnung,
            ziel_text,
            soll: z.soll.map_or_else(|| "–".to_string(), decimal_text),
            ist,
            wert,
            vorjahr,
            status: z.status.code(),
            symbol: symbol(z.status),
            status_text: ctx.texte.namen.status_text(z.status, dezember).to_string(),
            fussnote,
            pfad,
            rang: rank_text(ctx, e, k)?,
        });
    }
    let zaehlung = ctx.texte.render(
        "kurztexte.txt.j2",
        minijinja::context! {
            art => "zaehlung",
            erreicht => met,
            vereinbart => agreed,
            dezember => dezember,
        },
    )?;
    Ok(Ziele {
        zeilen,
        zaehlung,
        gefaehrdet,
    })
}

/// `("plus" | "null" | "minus", "2,1 %")`.
pub fn soll_parts(soll: crate::figures::Decimal) -> (&'static str, String) {
    let richtung = match soll.units.signum() {
        1 => "plus",
        0 => "null",
        _ => "minus",
    };
    let betrag = format::decimal(
        crate::figures::Decimal::new(soll.units.abs(), soll.decimals),
        soll.decimals.max(1) as usize,
    );
    (richtung, format!("{betrag}{}%", format::UNIT_SPACE))
}

/// `⌈v⌉` of an exact value.
fn ceil(v: Value) -> i128 {
    -((-v.num).div_euclid(v.den))
}

/// `⌊v⌋` of an exact value.
fn floor(v: Value) -> i128 {
    v.num.div_euclid(v.den)
}

fn count(n: i128) -> String {
    format::decimal(crate::figures::Decimal::new(n, 0), 0)
}

/// A quota level with two decimals, rounded up (a level to reach) or down (a ceiling).
fn quota_level(v: Value, up: bool) -> String {
    let scaled =
        Value::ratio(v.num * 100, v.den).map_or(0, |s| if up { ceil(s) } else { floor(s) });
    format!(
        "{}{}%",
        format::decimal(crate::figures::Decimal::new(scaled, 2), 2),
        format::UNIT_SPACE
    )
}

/// The months after the Berichtsmonat: "Okt.–Dez." (or "Dez.").
fn rest_months(month: u32) -> String {
    let first = format::MONTHS_SHORT[month as usize];
    if month == 11 {
        first.to_string()
    } else {
        format!("{first}–Dez.")
    }
}

/// Whether the December result is still provisional: the Datenstand lies within the
/// three months of Wartezeit after the Berichtsmonat (or is unknown).
pub(super) fn vorlaeufiges_ergebnis(ctx: &Context, datenstand: Option<chrono::NaiveDate>) -> bool {
    let bm = ctx.bm();
    let final_from = chrono::NaiveDate::from_ymd_opt(bm.year + 1, 4, 1).expect("valid date");
    datenstand.is_none_or(|d| d < final_from)
}

/// The Zielpfad line of one target (template `texte/pfad.txt.j2`).
#[allow(clippy::many_single_char_names)] // e, f, k, p, w, r, v: the names used throughout
fn pfad_text(ctx: &Context, e: &EntityFigures, f: &Figure) -> Result<Option<String>, String> {
    let bm = ctx.bm();
    let k = f.kennzahl;
    let Some(p) = f.pfad else { return Ok(None) };
    let up = k.higher_is_better();
    let fmt = Fmt::of(k);
    let art = match k.formula() {
        Formula::Sum(_) => "summe",
        Formula::Quota { .. } => "quote",
        Formula::Mean(_) => "mittel",
        Formula::StockDec(_) => "dezember",
        _ => "sonst",
    };
    // A level in the figure's own unit, rounded in the direction of the target.
    let level = |v: Value| -> String {
        match fmt {
            Fmt::Quota => quota_level(v, up),
            Fmt::Count | Fmt::Mean => count(if up { ceil(v) } else { floor(v) }),
            _ => value_text(fmt, Some(v)),
        }
    };
    let bisher = value_text(fmt, f.wert);
    let soll_wert = p.soll_wert.map(level);
    let jahres_soll = p.jahres_soll.map(level);
    // What the rest of the year still needs.
    let (rest, rest_richtung) = match (art, p.rest_bedarf) {
        (_, None) => (None, ""),
        ("mittel", Some(r)) => (Some(count(floor(r))), "hoechstens"),
        ("dezember", Some(r)) => {
            if r.num < 0 {
                (
                    Some(count(ceil(Value::int(0).checked_sub(r).unwrap_or(r)))),
                    "abbau",
                )
            } else {
                (Some(count(floor(r))), "anstieg")
            }
        }
        (_, Some(r)) if r.num <= 0 => (None, "erreicht"),
        (_, Some(r)) => (Some(count(ceil(r))), "noch"),
    };
    let vorjahr_rest = p.vorjahr_rest.map(|v| match art {
        "mittel" => value_text(Fmt::Mean, Some(v)),
        "dezember" => signed_count(v),
        _ => value_text(Fmt::Count, Some(v)),
    });
    // December: the margin against the level, in the figure's unit.
    let (erreicht, abstand) = match (f.wert, p.soll_wert, f.ziel) {
        (Some(wert), Some(soll), Some(z)) if bm.is_december() => {
            let diff = if up {
                wert.checked_sub(soll)
            } else {
                soll.checked_sub(wert)
            };
            let erreicht = z.status == Status::Erreicht;
            let text = match diff.and_then(|d| margin(fmt, d, erreicht, k)) {
                Some(m) => Some(ctx.texte.render("kurztexte.txt.j2", m)?),
                None => None,
            };
            (erreicht, text)
        }
        _ => (false, None),
    };
    let text = ctx.texte.render(
        "pfad.txt.j2",
        minijinja::context! {
            kennzahl => k.code(),
            art => art,
            einheit => &ctx.texte.namen.get(k).einheit,
            hoeher_besser => up,
            jahr => bm.year,
            dezember => bm.is_december(),
            rest_monate => if bm.is_december() { String::new() } else { rest_months(bm.month) },
            soll_wert => soll_wert,
            jahres_soll => jahres_soll,
            bisher => bisher,
            rest => rest,
            rest_richtung => rest_richtung,
            vorjahr_rest => vorjahr_rest,
            erreicht => erreicht,
            abstand => abstand,
            vorlaeufig => vorlaeufiges_ergebnis(ctx, e.datenstand),
        },
    )?;
    Ok((!text.is_empty()).then_some(text))
}

/// A signed whole number: "+12", "−2", "0".
fn signed_count(v: Value) -> String {
    let n = exact::round(v, 0).map_or(0, |d| d.units);
    if n > 0 {
        format!("+{}", count(n))
    } else {
        count(n)
    }
}

/// The margin of a December result in the figure's unit, as the context of
/// `kurztexte.txt.j2` ("1 Integration", "0,12 Prozentpunkten", "15 Personen" — in the dative
/// for a lead); `diff` is positive when the result is better than the Soll level. `None`
/// where the exact level and the rounded status disagree.
fn margin(fmt: Fmt, diff: Value, erreicht: bool, k: Kennzahl) -> Option<minijinja::Value> {
    let better = diff.num >= 0;
    if erreicht != better {
        return None;
    }
    let abs = if better {
        diff
    } else {
        Value::int(0).checked_sub(diff)?
    };
    let (zahl, einheit, eins) = match fmt {
        Fmt::Quota | Fmt::Share => {
            let d = exact::round(abs, 2)?;
            (format::decimal(d, 2), "prozentpunkte", d.units == 100)
        }
        _ => {
            // A lead counts whole persons reached (down), a gap whole persons missing (up).
            let n = if better { floor(abs) } else { ceil(abs) };
            if n == 0 {
                return None;
            }
            let einheit = if matches!(k.formula(), Formula::Sum(_)) {
                "integrationen"
            } else {
                "personen"
            };
            (count(n), einheit, n == 1)
        }
    };
    Some(minijinja::context! {
        art => "abstand",
        zahl => zahl,
        einheit => einheit,
        eins => eins,
        vorsprung => better,
    })
}

/// The rank of `e` by `veraenderung_pct` in the better direction among the members of a
/// group (competition ranking: ties share a rank, the next rank skips); `None` when `e`
/// has no value or the group has fewer than two ranked members.
pub fn rank(
    ctx: &Context,
    e: &EntityFigures,
    group: &EntityFigures,
    k: Kennzahl,
) -> Option<(usize, usize)> {
    let own = e.figure(k)?.veraenderung_pct?;
    let values: Vec<f64> = group
        .members
        .iter()
        .filter_map(|id| ctx.results.entity(id)?.figure(k)?.veraenderung_pct)
        .collect();
    if values.len() < 2 {
        return None;
    }
    let better = |x: f64| {
        if k.higher_is_better() {
            x > own
        } else {
            x < own
        }
    };
    Some((
        1 + values.iter().filter(|&&x| better(x)).count(),
        values.len(),
    ))
}

fn rank_text(ctx: &Context, e: &EntityFigures, k: Kennzahl) -> Result<Option<String>, String> {
    let Some(jc) = e.jobcenter.as_ref() else {
        return Ok(None);
    };
    let vt = jc.vergleichstyp.as_deref().and_then(|v| {
        let (r, n) = rank(ctx, e, ctx.results.entity(&crate::figures::vt_id(v))?, k)?;
        Some((v, r, n))
    });
    let land = ctx
        .results
        .entity(&crate::figures::land_id(&jc.land))
        .and_then(|g| rank(ctx, e, g, k));
    if vt.is_none() && land.is_none() {
        return Ok(None);
    }
    ctx.texte
        .render(
            "kurztexte.txt.j2",
            minijinja::context! {
                art => "rang",
                vt => vt.map(|(v, _, _)| v),
                vt_rang => vt.map(|(_, r, _)| r),
                vt_anzahl => vt.map(|(_, _, n)| n),
                land => land.map(|_| &jc.land),
                land_rang => land.map(|(r, _)| r),
                land_anzahl => land.map(|(_, n)| n),
            },
        )
        .map(Some)
}
