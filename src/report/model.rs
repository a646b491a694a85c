//! The data handed to `report.typ` as `/data.json`: every number and sentence already
//! formatted in German here (Typst has no locale). The shape is documented by
//! `docs/report-data.example.json`, generated from the snapshot of `tests/reports.rs`.
//!
//! The German words come from `templates/texte/` ([`crate::texte`]): the Kennzahlen's
//! names from `kennzahlen.toml`, the sentences from the `.j2` files; Rust passes keys and
//! formatted numbers.
//!
//! The parts live beside this file: [`super::words`] (formats and status symbols),
//! [`super::notes`] (footnotes), [`super::goals`] (Zielerreichung auf einen Blick,
//! Zielpfad, ranks), [`super::charts`]
//! (chart geometry), [`super::sexes`] (Frauen und Männer), [`super::talking`]
//! (Gesprächspunkte) and [`super::overview`] (the overview of all Jobcenters).

use serde::Serialize;

use super::charts::{Diagramm, charts};
use super::context::{Context, Meta};
use super::goals::{ZielZeile, ziele};
use super::sexes::{Geschlecht, geschlecht};
use super::words::{Fmt, change_decimals, change_places, decimal_text, table_value_text};
use crate::domain::{Col, Section};
use crate::figures::{EntityFigures, Kennzahl};
use crate::format;
use crate::load::Jobcenter;

use super::notes::ka_footnote;
use super::notes::{Fussnote, Notes, join_names};

/// A Soll as the report prints it, for plain text (mails): `+2,1 %` with an ordinary
/// space, since a mail client may not show the narrow no-break space.
pub fn soll_text(soll: crate::figures::Decimal) -> String {
    decimal_text(soll).replace(format::UNIT_SPACE, " ")
}

#[derive(Serialize)]
struct JobcenterData {
    id: String,
    name: String,
    land: String,
    traeger: Option<String>,
    vergleichstyp: Option<String>,
}

/// The column heads of the three comparisons, with what and how many they hold.
#[derive(Serialize)]
struct Vergleichsnamen {
    jc: String,
    vt: String,
    land: String,
}

#[derive(Serialize)]
struct Zelle {
    wert: String,
    vorjahr: String,
    veraenderung: String,
}

#[derive(Serialize)]
struct TabellenZeile {
    kennzahl: &'static str,
    bezeichnung: String,
    art: String,
    jc: Zelle,
    vt: Zelle,
    land: Zelle,
    /// Footnotes of the row: the one for "k. A." and those naming the members left out of
    /// the Vergleichstyp or Land figure ("ohne Kreis Borken"), numbered in the order of
    /// first use.
    fussnote: Option<Vec<u32>>,
}

#[derive(Serialize)]
struct Abschnitt {
    nummer: &'static str,
    titel: String,
    tabelle: Vec<TabellenZeile>,
    diagramme: Vec<Diagramm>,
    bewertung: Vec<String>,
}

#[derive(Serialize)]
struct Glossar {
    begriff: String,
    definition: String,
}

/// `/data.json` of one report.
#[derive(Serialize)]
pub struct ReportData {
    meta: Meta,
    jobcenter: JobcenterData,
    vergleich_namen: Vergleichsnamen,
    ziele: Vec<ZielZeile>,
    ziele_zaehlung: String,
    gespraechspunkte: Vec<String>,
    abschnitte: Vec<Abschnitt>,
    geschlecht: Option<Geschlecht>,
    fussnoten: Vec<Fussnote>,
    hinweise: Vec<String>,
    glossar: Vec<Glossar>,
}

/// The figures of the report's tables in their order; each stands in the section the
/// table of Kennzahlen gives it ([`crate::domain::Def::section`], section titles:
/// `kurztexte.txt.j2`). K3E1 is assessed in section III only; the integration quality
/// (Nachhaltigkeit, bedarfsdeckend) stands under II.
const REPORT_ORDER: [Kennzahl; 14] = [
    Kennzahl::Llu,
    Kennzahl::Kdu,
    Kennzahl::Bg,
    Kennzahl::Elb,
    Kennzahl::Int,
    Kennzahl::K2,
    Kennzahl::Nachhaltigkeit,
    Kennzahl::Bedarfsdeckend,
    Kennzahl::IqAsyl8,
    Kennzahl::K3,
    Kennzahl::K3e1,
    Kennzahl::LzbJe,
    Kennzahl::Lzb4j,
    Kennzahl::LzbAsyl8,
];

/// The report's sections: number and figures, from the table of Kennzahlen.
fn sections() -> [(&'static str, Vec<Kennzahl>); 3] {
    [
        (Section::I, "I"),
        (Section::II, "II"),
        (Section::III, "III"),
    ]
    .map(|(section, nummer)| {
        (
            nummer,
            REPORT_ORDER
                .into_iter()
                .filter(|k| k.def().section == section)
                .collect(),
        )
    })
}

/// A comparison group as the report uses it: none when absent or of one member only.
fn group<'a>(ctx: &'a Context, id: Option<String>) -> Option<&'a EntityFigures> {
    id.and_then(|id| ctx.results.entity(&id))
        .filter(|g| g.members.len() > 1)
}

/// The column head of the Land: "zkT in NRW, 18 Jobcenter" when all members share one
/// Träger, else "Land NRW, 53 Jobcenter".
fn land_label(ctx: &Context, land: &str, g: Option<&EntityFigures>) -> Result<String, String> {
    let traeger: Vec<Option<&str>> = g.map_or_else(Vec::new, |g| {
        g.members
            .iter()
            .filter_map(|id| ctx.results.entity(id))
            .filter_map(|m| m.jobcenter.as_ref())
            .map(|j| j.traeger.as_deref())
            .collect()
    });
    let shared = match traeger.first() {
        Some(Some(t)) if traeger.iter().all(|x| x == &Some(*t)) => Some(*t),
        _ => None,
    };
    ctx.texte.render(
        "kurztexte.txt.j2",
        minijinja::context! {
            art => "spalte_land",
            land => land,
            traeger => shared,
            anzahl => g.map(|g| g.members.len()),
        },
    )
}

/// The share of the Jobcenter in the eLb of its Vergleichstyp in the Berichtsmonat, when it
/// is large enough to weigh on the group's value (a quarter or more), in percent.
fn elb_share(e: &EntityFigures, group: &EntityFigures, month: u32) -> Option<f64> {
    let at = |x: &EntityFigures| x.months(Col::Elb, true)[month as usize - 1];
    let (own, all) = (at(e)?, at(group)?);
    let share = 100.0 * own / all;
    (all > 0.0 && share >= 25.0).then_some(share)
}

/// The report data of one Jobcenter.
pub fn report(ctx: &Context, e: &EntityFigures) -> Result<ReportData, String> {
    let bm = ctx.bm();
    let dezember = bm.is_december();
    let jc: &Jobcenter = e.jobcenter.as_ref().expect("a Jobcenter");
    let vt_all = jc
        .vergleichstyp
        .as_deref()
        .and_then(|v| ctx.results.entity(&crate::figures::vt_id(v)));
    let vt = group(ctx, jc.vergleichstyp.as_deref().map(crate::figures::vt_id));
    let land = group(ctx, Some(crate::figures::land_id(&jc.land)));
    let mut notes = Notes::new(ka_footnote(ctx, e, bm)?);

    let goals = ziele(ctx, e, &mut notes)?;

    let mut abschnitte = Vec::new();
    for (nummer, figures) in sections() {
        let mut tabelle = Vec::new();
        for &k in &figures {
            let Some(f) = e.figure(k) else { continue };
            let fmt = Fmt::of(k);
            let places = change_decimals(f);
            let mut marks = Vec::new();
            let mut cell = |other: Option<&EntityFigures>, gruppe: &str, name: &str| {
                let Some(g) = other.and_then(|o| o.figure(k)) else {
                    return Ok::<_, String>(Zelle {
                        wert: "–".into(),
                        vorjahr: "–".into(),
                        veraenderung: "–".into(),
                    });
                };
                if !g.ohne.is_empty() {
                    marks.push(notes.mark(ctx.texte.render(
                        "fussnote.txt.j2",
                        minijinja::context! {
                            art => "ohne",
                            gruppe => gruppe,
                            name => name,
                            ohne => join_names(&g.ohne),
                        },
                    )?));
                }
                Ok(Zelle {
                    wert: table_value_text(fmt, g.wert),
                    vorjahr: table_value_text(fmt, g.vorjahr),
                    veraenderung: change_places(g.veraenderung_pct, places),
                })
            };
            let c_jc = cell(Some(e), "jobcenter", &jc.id)?;
            let c_vt = cell(
                vt,
                "vergleichstyp",
                jc.vergleichstyp.as_deref().unwrap_or(""),
            )?;
            let c_land = cell(land, "land", &jc.land)?;
            let ka = notes.mark_ka(&[
                &c_jc.wert,
                &c_jc.vorjahr,
                &c_jc.veraenderung,
                &c_vt.wert,
                &c_vt.vorjahr,
                &c_vt.veraenderung,
                &c_land.wert,
                &c_land.vorjahr,
                &c_land.veraenderung,
            ]);
            marks.extend(ka);
            marks.sort_unstable();
            marks.dedup();
            let fussnote = (!marks.is_empty()).then_some(marks);
            tabelle.push(TabellenZeile {
                kennzahl: k.code(),
                bezeichnung: ctx.texte.namen.bezeichnung(k).to_string(),
                art: ctx.texte.namen.zeitraum(k, bm)?,
                jc: c_jc,
                vt: c_vt,
                land: c_land,
                fussnote,
            });
        }
        let bewertung =
            super::assessment::bewertung(ctx, e, &figures, vt, jc.vergleichstyp.as_deref())?;
        let diagramme = charts(ctx.texte, bm, nummer, e)?;
        abschnitte.push(Abschnitt {
            nummer,
            titel: ctx.texte.render(
                "kurztexte.txt.j2",
                minijinja::context! { art => "abschnitt", nummer => nummer },
            )?,
            tabelle,
            diagramme,
            bewertung,
        });
    }

    let geschlecht = geschlecht(ctx, e, &mut notes)?;
    let gespraechspunkte = super::talking::points(ctx, e, vt, &goals.gefaehrdet)?;

    let fussnoten = notes.into_list();
    let hinweis = |c: minijinja::Value| ctx.texte.render("hinweis.txt.j2", c);
    let mut hinweise = vec![
        hinweis(minijinja::context! {
            art => "datenstand",
            datenstand => e.datenstand.map(format::date_long),
        })?,
        hinweis(minijinja::context! {
            art => "jahresfortschritt",
            zeitraum => format::period_long(bm.year, bm.month),
            vorjahr_kurz => format::period_short(bm.year - 1, bm.month),
        })?,
        hinweis(minijinja::context! {
            art => "zielerreichung",
            toleranz => format::decimal(
                ctx.results.tolerance,
                ctx.results.tolerance.decimals.max(1) as usize,
            ),
            dezember => dezember,
        })?,
    ];
    match (&jc.vergleichstyp, vt_all) {
        (None, _) => hinweise.push(hinweis(
            minijinja::context! { art => "ohne_vergleichstyp" },
        )?),
        (Some(v), Some(g)) if g.members.len() <= 1 => hinweise.push(hinweis(
            minijinja::context! { art => "vergleichstyp_allein", vergleichstyp => v },
        )?),
        // The Vergleichstyp's value is the sum over all its members (contract 2.5), this
        // Jobcenter included: say so, with its weight when it is large, and why a small
        // group has no rank.
        (Some(v), Some(g)) => hinweise.push(hinweis(minijinja::context! {
            art => "vergleichstyp_mit",
            vergleichstyp => v,
            anzahl => g.members.len(),
            anteil => elb_share(e, g, bm.month).map(|s| format::percent(s, 0)),
            rang => g.members.len() >= super::goals::MIN_RANKED,
        })?),
        _ => {}
    }
    if ctx.vorlaeufig {
        hinweise.push(hinweis(minijinja::context! { art => "vorlaeufig" })?);
    }

    // The figures by sex share one entry: eight near-identical definitions would only
    // push the glossary onto another page.
    let namen = &ctx.texte.namen;
    let mut glossar: Vec<Glossar> = Kennzahl::ALL
        .iter()
        .filter(|k| e.figure(**k).is_some() && k.by_sex().is_none())
        .map(|&k| Glossar {
            begriff: namen.bezeichnung(k).to_string(),
            definition: namen.get(k).definition.clone(),
        })
        .collect();
    if Kennzahl::ALL
        .iter()
        .any(|k| k.by_sex().is_some() && e.figure(*k).is_some())
    {
        glossar.push(Glossar {
            begriff: namen.frauen_und_maenner.begriff.clone(),
            definition: namen.frauen_und_maenner.definition.clone(),
        });
    }
    let spalte = |art: &str| {
        ctx.texte.render(
            "kurztexte.txt.j2",
            minijinja::context! {
                art => art,
                vergleichstyp => &jc.vergleichstyp,
                anzahl => vt.map(|g| g.members.len()),
            },
        )
    };

    Ok(ReportData {
        meta: ctx.meta(
            "Fortschrittsbericht",
            Some(&format!("{} ({})", jc.name, jc.id)),
            e.datenstand,
        ),
        jobcenter: JobcenterData {
            id: jc.id.clone(),
            name: jc.name.clone(),
            land: jc.land.clone(),
            traeger: jc.traeger.clone(),
            vergleichstyp: jc.vergleichstyp.clone(),
        },
        vergleich_namen: Vergleichsnamen {
            jc: spalte("spalte_jobcenter")?,
            vt: spalte("spalte_vergleichstyp")?,
            land: land_label(ctx, &jc.land, land)?,
        },
        ziele: goals.zeilen,
        ziele_zaehlung: goals.zaehlung,
        gespraechspunkte,
        abschnitte,
        geschlecht,
        fussnoten,
        hinweise,
        glossar,
    })
}
