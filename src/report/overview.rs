//! The overview across all Jobcenters of a run (`uebersicht.typ`).
//!
//! One column per target: the five target indicators always, then every other figure that
//! has an agreed target for at least one Jobcenter of the run (contract 2.4, v3), in the
//! order of the agreement's sections. Rows are grouped by Vergleichstyp: each group's
//! aggregate row comes first, then its Jobcenters; the Land rows close the table.
//!
//! The German wording of the overview (column titles, status words, legend) lives in the
//! template; this module hands over figures, codes and counts. `legende`, `zaehlung`,
//! `symbol` and `kurz` are kept for templates written against earlier versions.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{Context, Meta};
use super::goals::{vorlaeufiges_ergebnis, with_target};
use super::words::{change_text, decimal_text, symbol};
use crate::domain::{Formula, Section};
use crate::figures::{EntityFigures, EntityKind, Kennzahl, Status};
use crate::format::{self, KA};
use crate::texte::Kennzahlnamen;

#[derive(Serialize)]
struct Spalte {
    kennzahl: &'static str,
    kurz: String,
    soll_hinweis: String,
    hoeher_besser: bool,
    /// What the column compares ("Summe Jan.–Sept.", "Bestand Sept. ggü. Dez. 2017"),
    /// from `zeitraum` in texte/kennzahlen.toml.
    zeitraum: String,
    /// One of the five target indicators of contract 2.1.
    standard: bool,
    /// Jobcenters of the overview with an agreed target for this figure, and those of
    /// them whose status is `erreicht`.
    vereinbart: usize,
    erreicht: usize,
}

#[derive(Serialize)]
struct UeZelle {
    ist: String,
    soll: String,
    status: &'static str,
    symbol: &'static str,
    /// A target is agreed for this cell (a Soll from ziele.csv).
    vereinbart: bool,
}

/// What an aggregate row stands for: "zkT in NRW, 18 Jobcenter".
#[derive(Serialize)]
struct Gruppe {
    /// `land` or `vergleichstyp`.
    art: &'static str,
    /// `NRW`, `IIa`.
    kennung: String,
    /// Member Jobcenters of the aggregate.
    jobcenter: usize,
    /// The Träger all members share, if they share one.
    traeger: Option<String>,
}

#[derive(Serialize)]
struct UeZeile {
    id: String,
    name: String,
    art: &'static str,
    vorlaeufig: bool,
    /// Jobcenters: "4 von 5", counting every figure with an agreed target (also those
    /// beyond the five columns); empty for aggregates.
    ziele: String,
    /// The same as numbers; `None` for aggregates.
    ziele_erreicht: Option<usize>,
    ziele_vereinbart: Option<usize>,
    /// The Vergleichstyp of a Jobcenter, or the one a Vergleichstyp row stands for.
    vergleichstyp: Option<String>,
    /// Aggregates only.
    gruppe: Option<Gruppe>,
    zellen: Vec<UeZelle>,
}

/// The text of the page number the template puts in (`{seite}`).
const SEITE: &str = "{seite}";

#[derive(Serialize)]
struct StatusErklaerung {
    status: &'static str,
    symbol: &'static str,
    wort: String,
    text: String,
}

/// The overview's legend in parts (uebersicht.txt.j2, art "legende").
#[derive(Serialize)]
struct Erlaeuterung {
    /// What Soll and Ist compare, with every column that compares otherwise.
    vergleich: String,
    /// Each status with its sign, word and meaning.
    status: Vec<StatusErklaerung>,
    /// How a Soll is met, what the count counts, the aggregates.
    regeln: String,
    /// How the pages are laid out: without / with a table of further targets (`{seite}`).
    gliederung: String,
    gliederung_weitere: String,
    /// The short legend at the foot of every page.
    kurz: String,
}

/// `/data.json` of the overview.
#[derive(Serialize)]
pub struct OverviewData {
    meta: Meta,
    spalten: Vec<Spalte>,
    zeilen: Vec<UeZeile>,
    zaehlung: Vec<String>,
    /// The legend as one plain text (for templates written against earlier versions).
    legende: String,
    /// The legend in parts, all from uebersicht.txt.j2.
    erlaeuterung: Erlaeuterung,
    /// The word beside a status sign, by status code ("ja", "nahezu", …).
    status_woerter: BTreeMap<&'static str, String>,
    /// The hint under „6 von 7“ when n of the targets stand in a later table: entry n − 1,
    /// with `{seite}` for the page that table begins on.
    ziele_weitere: Vec<String>,
    /// The tolerance of `knapp_verfehlt` in percentage points, German format ("1,0").
    toleranz: String,
    /// December: the annual result is still provisional (the latest Datenstand lies
    /// within the three months of Wartezeit after the Berichtsmonat, or is unknown).
    vorlaeufiges_ergebnis: bool,
    fussnoten: Vec<String>,
}

/// The figures shown as columns: the five target indicators, then every other figure with
/// an agreed target for one of `jobcenters`, by section and then in the table's order.
fn columns(jobcenters: &[&EntityFigures]) -> Vec<Kennzahl> {
    let mut extra: Vec<(Section, Kennzahl)> = Vec::new();
    for e in jobcenters {
        for f in with_target(e) {
            let k = f.kennzahl;
            let agreed = f.ziel.is_some_and(|z| z.soll.is_some());
            if agreed && !k.is_target() && !extra.iter().any(|(_, x)| *x == k) {
                extra.push((k.def().section, k));
            }
        }
    }
    extra.sort();
    Kennzahl::TARGETS
        .into_iter()
        .chain(extra.into_iter().map(|(_, k)| k))
        .collect()
}

/// One of the short texts of `templates/texte/uebersicht.txt.j2`.
fn wort(ctx: &Context, c: minijinja::Value) -> Result<String, String> {
    ctx.texte.render("uebersicht.txt.j2", c)
}

fn spalte(ctx: &Context, k: Kennzahl, jobcenters: &[&EntityFigures]) -> Result<Spalte, String> {
    let namen: &Kennzahlnamen = &ctx.texte.namen;
    let kurz = namen.get(k).kurz.clone();
    let statuses: Vec<Status> = jobcenters
        .iter()
        .filter_map(|e| e.figure(k)?.ziel)
        .filter(|z| z.soll.is_some())
        .map(|z| z.status)
        .collect();
    Ok(Spalte {
        kennzahl: k.code(),
        kurz,
        soll_hinweis: wort(
            ctx,
            minijinja::context! { art => "richtung", hoeher => k.higher_is_better() },
        )?,
        hoeher_besser: k.higher_is_better(),
        zeitraum: namen.zeitraum(k, ctx.bm())?,
        standard: k.is_target(),
        vereinbart: statuses.len(),
        erreicht: statuses.iter().filter(|s| **s == Status::Erreicht).count(),
    })
}

/// The cell of figure `k` in the row of `e`: Ist, Soll and status where a target is
/// agreed (for the five target indicators also where none is), else the change alone.
fn zelle(e: &EntityFigures, k: Kennzahl, kein_ziel: &str) -> UeZelle {
    let leer = |ist: String| UeZelle {
        ist,
        soll: String::new(),
        status: "",
        symbol: "",
        vereinbart: false,
    };
    // No figure at all: „k. A.“ rather than an empty cell (read as „leer“).
    let Some(f) = e.figure(k) else {
        return leer(KA.to_string());
    };
    match f.ziel {
        Some(z) if z.soll.is_some() || k.is_target() => UeZelle {
            ist: z.ist.map_or_else(|| KA.to_string(), decimal_text),
            soll: z.soll.map_or_else(|| kein_ziel.to_string(), decimal_text),
            status: z.status.code(),
            symbol: symbol(z.status),
            vereinbart: z.soll.is_some(),
        },
        _ => leer(change_text(f.veraenderung_pct)),
    }
}

/// The Träger all members of an aggregate share.
fn common_traeger(ctx: &Context, g: &EntityFigures) -> Option<String> {
    let mut traeger = g
        .members
        .iter()
        .filter_map(|id| ctx.results.entity(id)?.jobcenter.as_ref())
        .map(|j| j.traeger.clone());
    let first = traeger.next()??;
    traeger
        .all(|t| t.as_deref() == Some(first.as_str()))
        .then_some(first)
}

fn zeile(
    ctx: &Context,
    e: &EntityFigures,
    kennzahlen: &[Kennzahl],
    vorlaeufig: bool,
    kein_ziel: &str,
) -> Result<UeZeile, String> {
    let zellen = kennzahlen.iter().map(|&k| zelle(e, k, kein_ziel)).collect();
    let kennung = e.id.split_once(':').map_or(e.id.as_str(), |(_, k)| k);
    match (&e.kind, &e.jobcenter) {
        (EntityKind::Jobcenter, Some(j)) => {
            let agreed: Vec<Status> = with_target(e)
                .iter()
                .filter_map(|f| f.ziel.filter(|z| z.soll.is_some()))
                .map(|z| z.status)
                .collect();
            let met = agreed.iter().filter(|s| **s == Status::Erreicht).count();
            Ok(UeZeile {
                id: e.id.clone(),
                name: j.name.clone(),
                art: "jobcenter",
                vorlaeufig,
                ziele: wort(
                    ctx,
                    minijinja::context! { art => "ziele", erreicht => met, vereinbart => agreed.len() },
                )?,
                ziele_erreicht: Some(met),
                ziele_vereinbart: Some(agreed.len()),
                vergleichstyp: j.vergleichstyp.clone(),
                gruppe: None,
                zellen,
            })
        }
        (kind, _) => {
            let land = *kind == EntityKind::Land;
            let traeger = common_traeger(ctx, e);
            Ok(UeZeile {
                id: String::new(),
                name: wort(
                    ctx,
                    minijinja::context! {
                        art => "aggregat",
                        land => land,
                        kennung => kennung,
                        jobcenter => e.members.len(),
                        traeger => &traeger,
                    },
                )?,
                art: "aggregat",
                vorlaeufig,
                ziele: String::new(),
                ziele_erreicht: None,
                ziele_vereinbart: None,
                vergleichstyp: (!land).then(|| kennung.to_string()),
                gruppe: Some(Gruppe {
                    art: if land { "land" } else { "vergleichstyp" },
                    kennung: kennung.to_string(),
                    jobcenter: e.members.len(),
                    traeger,
                }),
                zellen,
            })
        }
    }
}

/// Rows grouped by Vergleichstyp (each group's aggregate first, groups in the order of
/// the figures, a group only when one of its Jobcenters is shown), then the Jobcenters
/// without a Vergleichstyp, then the Land rows.
fn rows(
    ctx: &Context,
    jobcenters: &[&EntityFigures],
    kennzahlen: &[Kennzahl],
    incomplete: &[String],
) -> Result<Vec<UeZeile>, String> {
    let entities = &ctx.results.entities;
    let kein_ziel = wort(ctx, minijinja::context! { art => "kein_ziel" })?;
    let row = |e: &EntityFigures| zeile(ctx, e, kennzahlen, incomplete.contains(&e.id), &kein_ziel);
    let vt_of = |e: &EntityFigures| e.jobcenter.as_ref()?.vergleichstyp.clone();
    let groups: Vec<&EntityFigures> = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Vergleichstyp)
        .collect();
    let mut zeilen = Vec::new();
    let mut placed = vec![false; jobcenters.len()];
    for g in &groups {
        let kennung = g.id.split_once(':').map_or(g.id.as_str(), |(_, k)| k);
        let members: Vec<usize> = (0..jobcenters.len())
            .filter(|&i| !placed[i] && vt_of(jobcenters[i]).as_deref() == Some(kennung))
            .collect();
        if members.is_empty() {
            continue;
        }
        zeilen.push(row(g)?);
        for i in members {
            placed[i] = true;
            zeilen.push(row(jobcenters[i])?);
        }
    }
    for (i, e) in jobcenters.iter().enumerate() {
        if !placed[i] {
            zeilen.push(row(e)?);
        }
    }
    for e in entities.iter().filter(|e| e.kind == EntityKind::Land) {
        zeilen.push(row(e)?);
    }
    Ok(zeilen)
}

pub fn overview(
    ctx: &Context,
    ids: &[String],
    incomplete: &[String],
) -> Result<OverviewData, String> {
    let dezember = ctx.bm().is_december();
    let jobcenters: Vec<&EntityFigures> = ctx
        .results
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Jobcenter && ids.contains(&e.id))
        .collect();
    let kennzahlen = columns(&jobcenters);
    let spalten = kennzahlen
        .iter()
        .map(|&k| spalte(ctx, k, &jobcenters))
        .collect::<Result<Vec<Spalte>, String>>()?;
    let zeilen = rows(ctx, &jobcenters, &kennzahlen, incomplete)?;
    let ka = zeilen.iter().any(|z| z.zellen.iter().any(|c| c.ist == KA));
    let zaehlung = spalten
        .iter()
        .map(|s| {
            wort(
                ctx,
                minijinja::context! {
                    art => "zaehlung",
                    erreicht => s.erreicht,
                    vereinbart => s.vereinbart,
                    dezember => dezember,
                },
            )
        })
        .collect::<Result<Vec<String>, String>>()?;
    let toleranz = format::number(
        ctx.results.tolerance.as_f64(),
        ctx.results.tolerance.decimals.max(1) as usize,
    );
    let datenstand = ctx
        .results
        .entities
        .iter()
        .filter_map(|e| e.datenstand)
        .max();
    let meta = ctx.meta(
        &wort(ctx, minijinja::context! { art => "titel" })?,
        None,
        datenstand,
    );
    let erlaeuterung = erlaeuterung(ctx, &kennzahlen, &spalten, &meta, &toleranz)?;
    let legende = std::iter::once(erlaeuterung.vergleich.clone())
        .chain(
            erlaeuterung
                .status
                .iter()
                .map(|s| format!("{} {} – {}.", s.symbol, s.wort, s.text)),
        )
        .chain(std::iter::once(erlaeuterung.regeln.clone()))
        .collect::<Vec<_>>()
        .join(" ");
    let status_woerter = [
        Status::Erreicht,
        Status::KnappVerfehlt,
        Status::Verfehlt,
        Status::KeineDaten,
        Status::KeinZiel,
    ]
    .into_iter()
    .map(|st| {
        Ok((
            st.code(),
            wort(
                ctx,
                minijinja::context! { art => "status_wort", status => st.code() },
            )?,
        ))
    })
    .collect::<Result<BTreeMap<_, _>, String>>()?;
    let ziele_weitere = (1..=spalten.len())
        .map(|n| {
            wort(
                ctx,
                minijinja::context! { art => "ziele_weitere", anzahl => n, seite => SEITE },
            )
        })
        .collect::<Result<Vec<_>, String>>()?;
    let mut fussnoten = Vec::new();
    if ka {
        fussnoten.push(ctx.texte.render(
            "fussnote.txt.j2",
            minijinja::context! { art => "ka", fehlende_monate => None::<String> },
        )?);
    }
    if !incomplete.is_empty() {
        fussnoten.push(wort(ctx, minijinja::context! { art => "unvollstaendig" })?);
    }
    Ok(OverviewData {
        meta,
        spalten,
        zeilen,
        zaehlung,
        legende,
        erlaeuterung,
        status_woerter,
        ziele_weitere,
        toleranz,
        vorlaeufiges_ergebnis: dezember && vorlaeufiges_ergebnis(ctx, datenstand),
        fussnoten,
    })
}

/// The legend's parts from uebersicht.txt.j2 (art "legende").
fn erlaeuterung(
    ctx: &Context,
    kennzahlen: &[Kennzahl],
    spalten: &[Spalte],
    meta: &Meta,
    toleranz: &str,
) -> Result<Erlaeuterung, String> {
    let dezember = meta.dezember;
    let teil = |teil: &str, mehr: minijinja::Value| {
        wort(
            ctx,
            minijinja::context! { art => "legende", teil => teil, dezember => dezember, ..mehr },
        )
    };
    // Columns that do not compare the Jahresfortschritt with the same months a year
    // earlier: stocks of one month, shares of an earlier year.
    let abweichend: Vec<minijinja::Value> = kennzahlen
        .iter()
        .zip(spalten)
        .filter(|(k, _)| {
            matches!(
                k.formula(),
                Formula::Stock(_) | Formula::StockDec(_) | Formula::Share { lag: 1.., .. }
            )
        })
        .map(|(_, s)| minijinja::context! { kurz => &s.kurz, zeitraum => &s.zeitraum })
        .collect();
    let status = [
        Status::Erreicht,
        Status::KnappVerfehlt,
        Status::Verfehlt,
        Status::KeineDaten,
    ]
    .into_iter()
    .map(|st| {
        Ok(StatusErklaerung {
            status: st.code(),
            symbol: symbol(st),
            wort: wort(
                ctx,
                minijinja::context! { art => "status_wort", status => st.code() },
            )?,
            text: teil(
                "status",
                minijinja::context! { status => st.code(), toleranz => toleranz },
            )?,
        })
    })
    .collect::<Result<Vec<_>, String>>()?;
    Ok(Erlaeuterung {
        vergleich: teil(
            "vergleich",
            minijinja::context! {
                zeitraum => &meta.zeitraum_kurz,
                vorjahr_zeitraum => &meta.vorjahr_kurz,
                abweichend => abweichend,
            },
        )?,
        status,
        regeln: teil("regeln", minijinja::context! {})?,
        gliederung: teil(
            "gliederung",
            minijinja::context! { weitere => false, seite => SEITE },
        )?,
        gliederung_weitere: teil(
            "gliederung",
            minijinja::context! { weitere => true, seite => SEITE },
        )?,
        kurz: teil("kurz", minijinja::context! {})?,
    })
}
