//! "Zielerreichung auf einen Blick": one row per figure with a target, in the order of the
//! agreement's sections, with the Soll as a level, what the rest of the year still needs
//! (contract 2.6) and the rank among the Vergleichstyp and the Land.
//!
//! Levels and needs are shown as contract 2.6 (v4) demands, through
//! [`crate::figures::level`]: the threshold at which the status flips, rounded to the shown
//! places towards the side that meets the target ("Soll 5.000" for 4.999,43 where 5.000
//! integrations are met), the Ist beside a level with one more decimal where the two would
//! read equal against the status, and still-needed amounts as the whole number that reaches
//! the threshold ("noch 855 Integrationen" for 854,91) or stays within it (the highest mean
//! K3 stock, the December LZB stock).

use serde::Serialize;

use super::context::Context;
use super::notes::Notes;
use super::words::{Fmt, decimal_text, symbol, value_text};
use crate::domain::{Formula, Section};
use crate::figures::{EntityFigures, Figure, Kennzahl, Status, Value, exact, level};
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

fn count(n: i128) -> String {
    format::decimal(crate::figures::Decimal::new(n, 0), 0)
}

/// The places a level of a figure is shown with ([`Fmt::places`], as [`value_text`]).
fn level_places(fmt: Fmt) -> u32 {
    fmt.places()
}

/// A shown level or Ist (already rounded, [`level`]) in the figure's unit, with its places.
fn level_text(fmt: Fmt, d: crate::figures::Decimal) -> String {
    let number = format::decimal(d, d.decimals as usize);
    match fmt {
        Fmt::Count | Fmt::Mean => number,
        Fmt::Quota | Fmt::Share => format!("{number}{}%", format::UNIT_SPACE),
        Fmt::Money => format!("{number}{}€", format::UNIT_SPACE),
    }
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
    let Some(soll) = f.ziel.and_then(|z| z.soll) else {
        return Ok(None);
    };
    // v4: every level is the threshold rounded towards the side that meets the target,
    // and the Ist beside it is shown so that the two agree with the status (one more
    // decimal where they would not; crate::figures::level).
    let places = level_places(fmt);
    let same = f
        .wert
        .zip(f.vorjahr)
        .and_then(|(w, b)| level::shown_with_ist(w, b, soll, up, places));
    let soll_wert = match same {
        Some(s) => Some(s.level),
        None => f
            .vorjahr
            .and_then(|b| level::shown_level(b, soll, up, places)),
    };
    let bisher = same.map_or_else(|| value_text(fmt, f.wert), |s| level_text(fmt, s.ist));
    let jahres_level = p
        .jahres_basis
        .and_then(|b| level::shown_level(b, soll, up, places));
    let jahres_soll = jahres_level.map(|d| level_text(fmt, d));
    // What the rest of the year still needs, as a whole number on the side that meets the
    // target (as many integrations as reach it, a stock that stays within it). A mean stock
    // is bounded by the shown annual level itself, so that the page adds up: the months
    // after t may average at most ⌊(12 × level − Σ so far) / (12 − t)⌋.
    let t = i128::from(bm.month);
    let rest_n = match (art, jahres_level, f.wert) {
        ("mittel", Some(l), Some(w)) if p.rest_bedarf.is_some() => {
            Value::ratio(l.units, 10i128.pow(l.decimals))
                .and_then(|l| l.checked_mul(Value::int(12)))
                .zip(w.checked_mul(Value::int(t)))
                .and_then(|(a, b)| a.checked_sub(b))
                .and_then(|v| v.checked_div(Value::int(12 - t)))
                .map(|v| v.num.div_euclid(v.den))
        }
        // Without a value so far (a quota over a stock of 0) nothing is said about the rest.
        _ if f.wert.is_none() => None,
        _ => p.rest_bedarf.map(|r| level::whole_amount(r, soll, up, up)),
    };
    let (rest, rest_richtung) = match (art, rest_n) {
        (_, None) => (None, ""),
        ("mittel", Some(n)) => (Some(count(n)), "hoechstens"),
        ("dezember", Some(n)) if n < 0 => (Some(count(-n)), "abbau"),
        ("dezember", Some(n)) => (Some(count(n)), "anstieg"),
        (_, Some(n)) if n <= 0 => (None, "erreicht"),
        (_, Some(n)) => (Some(count(n)), "noch"),
    };
    // The December stock's change a year earlier, as a word and an amount (not a bare
    // signed number).
    let (vorjahr_rest, vorjahr_richtung) = match (art, p.vorjahr_rest) {
        (_, None) => (None, ""),
        ("mittel", Some(v)) => (Some(value_text(Fmt::Mean, Some(v))), ""),
        ("dezember", Some(v)) => {
            let n = exact::round(v, 0).map_or(0, |d| d.units);
            let richtung = match n.signum() {
                1 => "anstieg",
                0 => "gleich",
                _ => "abbau",
            };
            (Some(count(n.abs())), richtung)
        }
        (_, Some(v)) => (Some(value_text(Fmt::Count, Some(v))), ""),
    };
    // December: the margin between the shown Ist and the shown level, in the figure's unit.
    let (erreicht, abstand) = match (same, f.ziel) {
        (Some(s), Some(z)) if bm.is_december() => {
            let erreicht = z.status == Status::Erreicht;
            let diff = if up {
                s.ist.units - s.level.units
            } else {
                s.level.units - s.ist.units
            };
            let diff = crate::figures::Decimal::new(diff, s.level.decimals);
            let text = match margin(fmt, diff, erreicht, k) {
                Some(m) => Some(ctx.texte.render("kurztexte.txt.j2", m)?),
                None => None,
            };
            (erreicht, text)
        }
        _ => (false, None),
    };
    let soll_wert = soll_wert.map(|d| level_text(fmt, d));
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
            vorjahr_richtung => vorjahr_richtung,
            erreicht => erreicht,
            abstand => abstand,
            vorlaeufig => vorlaeufiges_ergebnis(ctx, e.datenstand),
        },
    )?;
    Ok((!text.is_empty()).then_some(text))
}

/// The margin of a December result in the figure's unit, as the context of
/// `kurztexte.txt.j2` ("1 Integration", "0,12 Prozentpunkten", "15 Personen" — in the dative
/// for a lead); `diff` is the shown Ist minus the shown level (positive when better), at
/// their places. `None` where the two are shown equal, or where the sign and the status
/// disagree (which the shown levels rule out).
fn margin(
    fmt: Fmt,
    diff: crate::figures::Decimal,
    erreicht: bool,
    k: Kennzahl,
) -> Option<minijinja::Value> {
    let better = diff.units >= 0;
    if erreicht != better || diff.units == 0 {
        return None;
    }
    let abs = crate::figures::Decimal::new(diff.units.abs(), diff.decimals);
    let one = 10i128.pow(abs.decimals);
    let (zahl, einheit, eins) = match fmt {
        Fmt::Quota | Fmt::Share => {
            let places = abs.decimals.max(2) as usize;
            (
                format::decimal(abs, places),
                "prozentpunkte",
                abs.units == one,
            )
        }
        _ => {
            let einheit = if matches!(k.formula(), Formula::Sum(_)) {
                "integrationen"
            } else {
                "personen"
            };
            (
                format::decimal(abs, abs.decimals as usize),
                einheit,
                abs.units == one,
            )
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

/// The fewest ranked members a group needs before a rank is shown: in a group of two the
/// rank only says which of the two is ahead — the comparison column says that already —
/// and „Rang 1 von 2“ reads like a competition result.
pub const MIN_RANKED: usize = 3;

/// The rank of `e` by `veraenderung_pct` in the better direction among the members of a
/// group (competition ranking: ties share a rank, the next rank skips); `None` when `e`
/// has no value or the group has fewer than [`MIN_RANKED`] ranked members.
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
    if values.len() < MIN_RANKED {
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
