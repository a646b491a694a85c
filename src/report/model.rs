//! The data handed to `report.typ` as `/data.json`: every number and sentence already
//! formatted in German here (Typst has no locale). The shape is documented by
//! `docs/report-data.example.json`, generated from the snapshot of `tests/reports.rs`.
//!
//! The parts live beside this file: [`super::words`] (German names and formats),
//! [`super::goals`] (Zielerreichung auf einen Blick, Zielpfad, ranks), [`super::charts`]
//! (chart geometry), [`super::sexes`] (Frauen und Männer), [`super::talking`]
//! (Gesprächspunkte) and [`super::overview`] (the overview of all Jobcenters).

use serde::Serialize;

use super::charts::{Diagramm, charts};
use super::goals::{ZielZeile, ziele};
use super::sexes::{Geschlecht, geschlecht};
use super::text::Texte;
use super::words::{
    FOOTNOTE_KA, Words, art, change_decimals, change_places, decimal_text, table_value_text,
    value_text, words,
};
use crate::figures::{Berichtsmonat, EntityFigures, Figure, Kennzahl, Results};
use crate::format::{self, KA};
use crate::load::Jobcenter;

pub use super::words::{status_text, symbol};

/// The German name of a Kennzahl as the report's table of targets prints it (the
/// invitations name the targets the same way).
pub fn bezeichnung(k: Kennzahl) -> &'static str {
    words(k).bezeichnung
}

/// A Soll as the report prints it, for plain text (mails): `+2,1 %` with an ordinary
/// space, since a mail client may not show the narrow no-break space.
pub fn soll_text(soll: crate::figures::Decimal) -> String {
    decimal_text(soll).replace(format::UNIT_SPACE, " ")
}

#[derive(Serialize)]
pub struct Meta {
    pub titel: String,
    pub untertitel: String,
    pub jahr: i32,
    pub monat: u32,
    pub dezember: bool,
    pub zeitraum: String,
    pub zeitraum_kurz: String,
    pub vorjahr_kurz: String,
    pub berichtsmonat: String,
    pub datenstand: Option<String>,
    pub erstellt: String,
    pub vorlaeufig: bool,
    pub programm: String,
    pub dokument_titel: String,
    /// From `bericht.toml`: the issuer, the source note, an optional banner.
    pub herausgeber: Option<super::config::Herausgeber>,
    pub quelle: String,
    pub banner: Option<String>,
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
    bezeichnung: &'static str,
    art: String,
    jc: Zelle,
    vt: Zelle,
    land: Zelle,
    /// Footnotes of the row: 1 for "k. A.", further ones naming the members left out of
    /// the Vergleichstyp or Land figure ("ohne Kreis Borken").
    fussnote: Option<Vec<u32>>,
}

#[derive(Serialize)]
struct Abschnitt {
    nummer: &'static str,
    titel: &'static str,
    tabelle: Vec<TabellenZeile>,
    diagramme: Vec<Diagramm>,
    bewertung: Vec<String>,
}

#[derive(Serialize)]
pub struct Fussnote {
    nummer: u32,
    text: String,
}

#[derive(Serialize)]
struct Glossar {
    begriff: &'static str,
    definition: &'static str,
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

/// Context shared by every report of a run.
pub struct Context<'a> {
    pub results: &'a Results,
    pub texte: &'a Texte,
    pub erstellt: String,
    pub vorlaeufig: bool,
    pub bericht: &'a super::config::Bericht,
}

impl Context<'_> {
    pub fn bm(&self) -> Berichtsmonat {
        self.results.berichtsmonat
    }

    pub fn meta(
        &self,
        titel_art: &str,
        name: Option<&str>,
        datenstand: Option<chrono::NaiveDate>,
    ) -> Meta {
        let bm = self.bm();
        let dezember = bm.is_december();
        let titel = if dezember {
            format!("Zielvereinbarung {} – Jahresergebnis {}", bm.year, bm.year)
        } else {
            format!("Zielvereinbarung {} – Fortschrittsbericht", bm.year)
        };
        let untertitel = format!(
            "Jahresfortschritt {}",
            format::period_long(bm.year, bm.month)
        );
        let dokument_titel = match name {
            Some(n) => format!("{titel} – {n}"),
            None => format!(
                "Zielvereinbarung {} – {titel_art} – {}",
                bm.year,
                format::period_short(bm.year, bm.month)
            ),
        };
        Meta {
            titel: if name.is_some() {
                titel
            } else {
                format!("Zielvereinbarung {} – {titel_art}", bm.year)
            },
            untertitel,
            jahr: bm.year,
            monat: bm.month,
            dezember,
            zeitraum: format::period_long(bm.year, bm.month),
            zeitraum_kurz: format::period_short(bm.year, bm.month),
            vorjahr_kurz: format::period_short(bm.year - 1, bm.month),
            berichtsmonat: format::month_long(bm.year, bm.month),
            datenstand: datenstand.map(format::date_long),
            erstellt: self.erstellt.clone(),
            vorlaeufig: self.vorlaeufig,
            programm: format!("zielbericht {}", env!("CARGO_PKG_VERSION")),
            dokument_titel,
            herausgeber: self.bericht.herausgeber.clone(),
            quelle: self.bericht.quelle.clone(),
            banner: self.bericht.banner.clone(),
        }
    }
}

/// The numbered footnotes of one report: 1 is always "k. A." (with the missing months),
/// the others name the members left out of an aggregate, each text once.
pub struct Notes {
    ka_text: String,
    ka_used: bool,
    others: Vec<String>,
}

impl Notes {
    fn new(ka_text: String) -> Self {
        Self {
            ka_text,
            ka_used: false,
            others: Vec::new(),
        }
    }

    /// Footnote 1 when one of `texts` is "k. A.".
    pub fn mark_ka(&mut self, texts: &[&str]) -> Option<u32> {
        if texts.contains(&KA) {
            self.ka_used = true;
            Some(1)
        } else {
            None
        }
    }

    /// The number of a further footnote (2, 3, …), the same number for the same text.
    fn mark(&mut self, text: String) -> u32 {
        let i = self
            .others
            .iter()
            .position(|t| *t == text)
            .unwrap_or_else(|| {
                self.others.push(text);
                self.others.len() - 1
            });
        u32::try_from(i).unwrap_or(u32::MAX - 2) + 2
    }

    fn into_list(self) -> Vec<Fussnote> {
        let mut list = Vec::new();
        if self.ka_used {
            list.push(Fussnote {
                nummer: 1,
                text: self.ka_text,
            });
        }
        for (i, text) in self.others.into_iter().enumerate() {
            list.push(Fussnote {
                nummer: u32::try_from(i).unwrap_or(u32::MAX - 2) + 2,
                text,
            });
        }
        list
    }
}

/// The months (January of Y−1 .. the Berichtsmonat) in which a column that a figure
/// shown as "k. A." needs has no value: "Februar 2018, März 2018".
pub fn missing_months(e: &EntityFigures, bm: Berichtsmonat) -> Vec<String> {
    let mut cols = Vec::new();
    for f in &e.figures {
        if f.wert.is_none() || f.vorjahr.is_none() {
            cols.extend(f.kennzahl.formula().columns());
        }
    }
    let last = 12 + bm.month as usize;
    (0..last)
        .filter(|&i| cols.iter().any(|c| e.monthly[c.index()][i].is_none()))
        .map(|i| {
            let year = if i < 12 { bm.year - 1 } else { bm.year };
            format::month_long(year, (i % 12) as u32 + 1)
        })
        .collect()
}

fn ka_footnote(e: &EntityFigures, bm: Berichtsmonat) -> String {
    let months = missing_months(e, bm);
    if months.is_empty() {
        return FOOTNOTE_KA.to_string();
    }
    let list = match months.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} und {last}", init.join(", ")),
        [] => unreachable!("not empty"),
    };
    format!(
        "{FOOTNOTE_KA} Beim Jobcenter fehlen Werte für {list}; Vergleichswerte ohne einzelne Jobcenter sind in eigenen Fußnoten genannt."
    )
}

/// The sections of the report and their figures. K3E1 is assessed in section III only;
/// the integration quality (Nachhaltigkeit, bedarfsdeckend) stands under II.
const SECTIONS: [(&str, &str, &[Kennzahl]); 3] = [
    (
        "I",
        "Verringerung der Hilfebedürftigkeit",
        &[Kennzahl::Llu, Kennzahl::Kdu, Kennzahl::Bg, Kennzahl::Elb],
    ),
    (
        "II",
        "Verbesserung der Integration in Erwerbstätigkeit",
        &[
            Kennzahl::Int,
            Kennzahl::K2,
            Kennzahl::Nachhaltigkeit,
            Kennzahl::Bedarfsdeckend,
            Kennzahl::IqAsyl8,
        ],
    ),
    (
        "III",
        "Vermeidung von langfristigem Leistungsbezug",
        &[
            Kennzahl::K3,
            Kennzahl::K3e1,
            Kennzahl::LzbJe,
            Kennzahl::Lzb4j,
            Kennzahl::LzbAsyl8,
        ],
    ),
];

/// A comparison group as the report uses it: none when absent or of one member only.
fn group<'a>(ctx: &'a Context, id: Option<String>) -> Option<&'a EntityFigures> {
    id.and_then(|id| ctx.results.entity(&id))
        .filter(|g| g.members.len() > 1)
}

/// The column head of the Land: "zkT in NRW, 18 Jobcenter" when all members share one
/// Träger, else "Land NRW, 53 Jobcenter".
fn land_label(ctx: &Context, land: &str, g: Option<&EntityFigures>) -> String {
    let Some(g) = g else {
        return format!("Land {land}");
    };
    let traeger: Vec<Option<&str>> = g
        .members
        .iter()
        .filter_map(|id| ctx.results.entity(id))
        .filter_map(|m| m.jobcenter.as_ref())
        .map(|j| j.traeger.as_deref())
        .collect();
    let n = g.members.len();
    match traeger.first() {
        Some(Some(t)) if traeger.iter().all(|x| x == &Some(*t)) => {
            format!("{t} in {land}, {n} Jobcenter")
        }
        _ => format!("Land {land}, {n} Jobcenter"),
    }
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
    let mut notes = Notes::new(ka_footnote(e, bm));

    let goals = ziele(ctx, e, &mut notes)?;

    let mut abschnitte = Vec::new();
    for (nummer, titel, figures) in SECTIONS {
        let mut tabelle = Vec::new();
        let mut bewertung = Vec::new();
        for &k in figures {
            let Some(f) = e.figure(k) else { continue };
            let w = words(k);
            let places = change_decimals(f);
            let mut marks = Vec::new();
            let mut cell = |other: Option<&EntityFigures>, was: &str| match other
                .and_then(|o| o.figure(k))
            {
                Some(g) => {
                    if !g.ohne.is_empty() {
                        marks.push(notes.mark(format!(
                            "{was}: ohne {} (für diese Kennzahl fehlen dort benötigte Werte; Vorjahr und laufendes Jahr umfassen dieselben Jobcenter).",
                            join_names(&g.ohne)
                        )));
                    }
                    Zelle {
                        wert: table_value_text(w.fmt, g.wert),
                        vorjahr: table_value_text(w.fmt, g.vorjahr),
                        veraenderung: change_places(g.veraenderung_pct, places),
                    }
                }
                None => Zelle {
                    wert: "–".into(),
                    vorjahr: "–".into(),
                    veraenderung: "–".into(),
                },
            };
            let c_jc = cell(Some(e), "Jobcenter");
            let c_vt = cell(
                vt,
                &format!(
                    "Vergleichstyp {}",
                    jc.vergleichstyp.as_deref().unwrap_or("")
                ),
            );
            let c_land = cell(land, &format!("Land {}", jc.land));
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
                bezeichnung: w.bezeichnung,
                art: art(k, bm),
                jc: c_jc,
                vt: c_vt,
                land: c_land,
                fussnote,
            });
            bewertung.push(sentence(ctx, k, f, &w, vt, jc.vergleichstyp.as_deref())?);
        }
        let diagramme = charts(ctx.texte, bm, nummer, e)?;
        abschnitte.push(Abschnitt {
            nummer,
            titel,
            tabelle,
            diagramme,
            bewertung,
        });
    }

    let geschlecht = geschlecht(ctx, e, &mut notes)?;
    let gespraechspunkte = super::talking::points(ctx, e, vt, &goals.gefaehrdet);

    let fussnoten = notes.into_list();
    let mut hinweise = Vec::new();
    hinweise.push(match e.datenstand {
        Some(d) => format!(
            "Datenstand: {}. Werte der letzten drei Monate vor dem Datenstand sind vorläufig (Wartezeit); endgültige Werte liegen etwa drei Monate nach dem Berichtsmonat vor.",
            format::date_long(d)
        ),
        None => "Die gelieferten Daten enthalten keinen Datenstand. Werte der jüngsten Monate können noch vorläufig sein (Wartezeit von drei Monaten).".into(),
    });
    hinweise.push(format!(
        "Jahresfortschrittswerte: Alle Werte beziehen sich auf {} und werden mit demselben Zeitraum des Vorjahres ({}) verglichen. Veränderungen sind relative Veränderungen in Prozent, auch bei Quoten.",
        format::period_long(bm.year, bm.month),
        format::period_short(bm.year - 1, bm.month)
    ));
    hinweise.push(format!(
        "Zielerreichung: Ist ist die Veränderung gegenüber dem Vorjahr, gerundet auf die Nachkommastellen des Solls. „Knapp“ bedeutet: höchstens {} Prozentpunkte vom Soll entfernt. {}",
        format::decimal(ctx.results.tolerance, ctx.results.tolerance.decimals.max(1) as usize),
        if dezember {
            "Der Dezemberbericht weist das Jahresergebnis aus."
        } else {
            "Vor Dezember zeigt der Status den Verlauf des Jahres („auf Kurs“), nicht das Jahresergebnis. Der Zielpfad rechnet das Soll auf das Jahresende hoch: Was noch benötigt wird, ist auf ganze Personen aufgerundet, Höchstwerte sind abgerundet. Der Rang vergleicht die Veränderung gegenüber dem Vorjahr (Rang 1: die günstigste Entwicklung; gleiche Werte teilen sich einen Rang)."
        }
    ));
    match (&jc.vergleichstyp, vt_all) {
        (None, _) => hinweise.push("Das Jobcenter ist keinem Vergleichstyp zugeordnet; die Spalte Vergleichstyp bleibt leer („–“).".into()),
        (Some(v), Some(g)) if g.members.len() <= 1 => hinweise.push(format!(
            "Der Vergleichstyp {v} umfasst in diesen Daten nur dieses Jobcenter; ein Vergleich entfällt („–“)."
        )),
        _ => {}
    }
    if ctx.vorlaeufig {
        hinweise.push("Vorläufig – Daten unvollständig: Für mindestens ein Jobcenter des Laufs fehlen Werte des Berichtszeitraums. Die Angaben können sich mit vollständigen Daten noch ändern.".into());
    }

    // The figures by sex share one entry: eight near-identical definitions would only
    // push the glossary onto another page.
    let mut glossar: Vec<Glossar> = Kennzahl::ALL
        .iter()
        .filter(|k| e.figure(**k).is_some() && k.by_sex().is_none())
        .map(|&k| Glossar {
            begriff: words(k).bezeichnung,
            definition: words(k).definition,
        })
        .collect();
    if Kennzahl::ALL
        .iter()
        .any(|k| k.by_sex().is_some() && e.figure(*k).is_some())
    {
        glossar.push(Glossar {
            begriff: "Kennzahlen für Frauen und Männer",
            definition: "Integrationen, Integrationsquote (K2), Ø Bestand an Langzeitleistungsbeziehenden (K3) und deren Integrationsquote (K3E1), berechnet wie die Gesamtwerte, jeweils für erwerbsfähige leistungsberechtigte Frauen bzw. Männer; Personen ohne erfasstes Geschlecht zählen nur in den Gesamtwerten.",
        });
    }

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
            jc: "Jobcenter".into(),
            vt: match (&jc.vergleichstyp, vt) {
                (Some(v), Some(g)) => format!("Vergleichstyp {v}, {} Jobcenter", g.members.len()),
                (Some(v), None) => format!("Vergleichstyp {v}"),
                (None, _) => "Vergleichstyp".into(),
            },
            land: land_label(ctx, &jc.land, land),
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

/// "Kreis Borken", "Kreis Borken und Stadt Essen", "A, B und C".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} und {last}", init.join(", ")),
    }
}

/// The Bewertung sentence of one figure: the change, the target where agreed, and how the
/// Vergleichstyp developed (what the table does not say at a glance).
fn sentence(
    ctx: &Context,
    k: Kennzahl,
    f: &Figure,
    w: &Words,
    vt: Option<&EntityFigures>,
    vt_name: Option<&str>,
) -> Result<String, String> {
    let bm = ctx.bm();
    let fehlt = f.veraenderung_pct.is_none();
    let pct = f.veraenderung_pct.unwrap_or(0.0);
    let places = change_decimals(f);
    let betrag = format::percent(pct.abs(), places);
    let richtung = if format::number(pct.abs(), places)
        .trim_start_matches(['0', ','])
        .is_empty()
    {
        "gleich"
    } else if pct > 0.0 {
        "über"
    } else {
        "unter"
    };
    let vergleich = if k == Kennzahl::LzbJe {
        format!("dem Bestand im Dezember {}", bm.year - 1)
    } else {
        "dem Vorjahreswert".to_string()
    };
    let ziel = f.ziel.filter(|z| z.soll.is_some()).map(|z| {
        minijinja::context! {
            soll => decimal_text(z.soll.expect("filtered")),
            status => z.status.code(),
            dezember => bm.is_december(),
            hoeher_besser => k.higher_is_better(),
        }
    });
    // The Vergleichstyp's course, compared on the change rounded as printed.
    let vt_ctx = vt
        .and_then(|g| g.figure(k))
        .and_then(|g| g.veraenderung_pct)
        .zip(f.veraenderung_pct)
        .zip(vt_name)
        .map(|((theirs, own), name)| {
            let printed = |x: f64| format::number(x, 1);
            let richtung = if printed(theirs) == printed(own) {
                "gleich"
            } else if (own > theirs) == k.higher_is_better() {
                "günstiger"
            } else {
                "ungünstiger"
            };
            minijinja::context! {
                name => name,
                veraenderung => change_places(Some(theirs), change_decimals(f)),
                richtung => richtung,
            }
        });
    ctx.texte.render(
        "bewertung.txt.j2",
        minijinja::context! {
            kennzahl => k.code(),
            subjekt => w.subjekt,
            dativ => w.dativ,
            verb => "liegt",
            wert => value_text(w.fmt, f.wert),
            vorjahr => value_text(w.fmt, f.vorjahr),
            veraenderung => change_places(f.veraenderung_pct, change_decimals(f)),
            betrag => betrag,
            richtung => richtung,
            vergleich => vergleich,
            fehlt => fehlt,
            ziel => ziel,
            vt => vt_ctx,
        },
    )
}
