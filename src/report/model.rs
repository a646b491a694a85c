//! The data handed to the Typst templates as `/data.json`: every number and sentence
//! already formatted in German here (Typst has no locale), chart series as raw numbers
//! with their axis prepared. The shape is documented by `docs/report-data.example.json`
//! and `docs/overview-data.example.json`.

use serde::Serialize;

use super::text::Texte;
use crate::figures::{
    Berichtsmonat, Decimal, EntityFigures, EntityKind, Figure, Kennzahl, Results, Status, Value,
};
use crate::format::{self, KA};
use crate::load::{Col, Jobcenter};

/// How a figure's values are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fmt {
    /// Whole numbers (sums and stocks).
    Count,
    /// Mean stocks, whole numbers.
    Mean,
    /// Quotas in percent, two decimals.
    Quota,
    /// Shares in percent, one decimal.
    Share,
    /// Euros, short.
    Money,
}

/// German wording of each figure.
struct Words {
    bezeichnung: &'static str,
    subjekt: &'static str,
    dativ: &'static str,
    fmt: Fmt,
    definition: &'static str,
}

fn words(k: Kennzahl) -> Words {
    let w = |bezeichnung, subjekt, dativ, fmt, definition| Words {
        bezeichnung,
        subjekt,
        dativ,
        fmt,
        definition,
    };
    match k {
        Kennzahl::Int => w(
            "Integrationen",
            "Die Zahl der Integrationen",
            "die Zahl der Integrationen",
            Fmt::Count,
            "Aufnahmen einer sozialversicherungspflichtigen Beschäftigung, einer vollqualifizierenden Ausbildung oder einer selbständigen Tätigkeit durch erwerbsfähige Leistungsberechtigte, summiert von Januar bis zum Berichtsmonat.",
        ),
        Kennzahl::K2 => w(
            "Integrationsquote (K2)",
            "Die Integrationsquote",
            "die Integrationsquote",
            Fmt::Quota,
            "Integrationen von Januar bis zum Berichtsmonat je 100 erwerbsfähige Leistungsberechtigte im Durchschnitt der jeweiligen Vormonate (Dezember des Vorjahres bis Vormonat). Der Jahresfortschrittswert wächst im Jahresverlauf und wird nur mit demselben Monat des Vorjahres verglichen.",
        ),
        Kennzahl::K3 => w(
            "Langzeitleistungsbeziehende, Ø Bestand (K3)",
            "Der durchschnittliche Bestand an Langzeitleistungsbeziehenden",
            "den durchschnittlichen Bestand an Langzeitleistungsbeziehenden",
            Fmt::Mean,
            "Durchschnittlicher Monatsbestand der Langzeitleistungsbeziehenden von Januar bis zum Berichtsmonat. Langzeitleistungsbeziehende sind erwerbsfähige Leistungsberechtigte, die in den letzten 24 Monaten mindestens 21 Monate hilfebedürftig waren.",
        ),
        Kennzahl::K3e1 => w(
            "Integrationsquote der Langzeitleistungsbeziehenden (K3E1)",
            "Die Integrationsquote der Langzeitleistungsbeziehenden",
            "die Integrationsquote der Langzeitleistungsbeziehenden",
            Fmt::Quota,
            "Integrationen von Langzeitleistungsbeziehenden von Januar bis zum Berichtsmonat je 100 Langzeitleistungsbeziehende im Durchschnitt der jeweiligen Vormonate.",
        ),
        Kennzahl::LzbJe => w(
            "Langzeitleistungsbeziehende, Bestand ggü. Dezember Vorjahr",
            "Der Bestand an Langzeitleistungsbeziehenden",
            "den Bestand an Langzeitleistungsbeziehenden",
            Fmt::Count,
            "Bestand der Langzeitleistungsbeziehenden im Berichtsmonat im Vergleich zum Bestand im Dezember des Vorjahres; im Dezember ist dies das Jahresziel selbst.",
        ),
        Kennzahl::Llu => w(
            "Leistungen zum Lebensunterhalt",
            "Die Summe der Leistungen zum Lebensunterhalt",
            "die Leistungen zum Lebensunterhalt",
            Fmt::Money,
            "Leistungen zum Lebensunterhalt nach §§ 20, 21, 23 und 24 Abs. 1 SGB II (Anspruch vor Sanktionen), summiert von Januar bis zum Berichtsmonat.",
        ),
        Kennzahl::Kdu => w(
            "Leistungen für Unterkunft und Heizung",
            "Die Summe der Leistungen für Unterkunft und Heizung",
            "die Leistungen für Unterkunft und Heizung",
            Fmt::Money,
            "Leistungen für Unterkunft und Heizung nach § 22 SGB II (Anspruch vor Sanktionen), summiert von Januar bis zum Berichtsmonat.",
        ),
        Kennzahl::Elb => w(
            "Erwerbsfähige Leistungsberechtigte, Bestand",
            "Der Bestand an erwerbsfähigen Leistungsberechtigten",
            "den Bestand an erwerbsfähigen Leistungsberechtigten",
            Fmt::Count,
            "Erwerbsfähige Leistungsberechtigte (ELB) im Berichtsmonat im Vergleich zum selben Monat des Vorjahres.",
        ),
        Kennzahl::Bg => w(
            "Bedarfsgemeinschaften, Bestand",
            "Die Zahl der Bedarfsgemeinschaften",
            "die Zahl der Bedarfsgemeinschaften",
            Fmt::Count,
            "Bedarfsgemeinschaften (Fallzahl) im Berichtsmonat im Vergleich zum selben Monat des Vorjahres.",
        ),
        Kennzahl::Nachhaltigkeit => w(
            "Nachhaltigkeit der Integrationen",
            "Der Anteil nachhaltiger Integrationen",
            "den Anteil nachhaltiger Integrationen",
            Fmt::Share,
            "Anteil der Integrationen in sozialversicherungspflichtige Beschäftigung, die zwölf Monate später noch so beschäftigt sind; betrachtet werden die Integrationen des Vorjahres (Januar bis Berichtsmonat), deren Nachbeobachtung abgeschlossen ist.",
        ),
        Kennzahl::Bedarfsdeckend => w(
            "Bedarfsdeckende Integrationen, Anteil",
            "Der Anteil bedarfsdeckender Integrationen",
            "den Anteil bedarfsdeckender Integrationen",
            Fmt::Share,
            "Anteil der Integrationen, nach denen die Person drei Monate später keine Leistungen nach dem SGB II mehr bezieht.",
        ),
        Kennzahl::Lzb4j => w(
            "Langzeitleistungsbeziehende mit 4 und mehr Jahren",
            "Der Bestand an Langzeitleistungsbeziehenden mit vier und mehr Jahren Leistungsbezug",
            "den Bestand an Langzeitleistungsbeziehenden mit vier und mehr Jahren Leistungsbezug",
            Fmt::Count,
            "Langzeitleistungsbeziehende mit einer Bezugsdauer von vier und mehr Jahren im Berichtsmonat.",
        ),
        Kennzahl::IqAsyl8 => w(
            "Integrationsquote Asylherkunftsländer",
            "Die Integrationsquote der Personen aus den acht Asylherkunftsländern",
            "die Integrationsquote der Personen aus den acht Asylherkunftsländern",
            Fmt::Quota,
            "Integrationsquote wie K2 für erwerbsfähige Leistungsberechtigte mit der Staatsangehörigkeit eines der acht Asylherkunftsländer (Afghanistan, Eritrea, Irak, Iran, Nigeria, Pakistan, Somalia, Syrien).",
        ),
        Kennzahl::LzbAsyl8 => w(
            "Langzeitleistungsbeziehende aus Asylherkunftsländern",
            "Der Bestand an Langzeitleistungsbeziehenden aus den acht Asylherkunftsländern",
            "den Bestand an Langzeitleistungsbeziehenden aus den acht Asylherkunftsländern",
            Fmt::Count,
            "Langzeitleistungsbeziehende mit der Staatsangehörigkeit eines der acht Asylherkunftsländer im Berichtsmonat; zeigt, wie viele Menschen dieser Staatsangehörigkeiten in den Langzeitbezug hineinwachsen.",
        ),
        Kennzahl::IntFrauen => w(
            "Integrationen von Frauen",
            "Die Zahl der Integrationen von Frauen",
            "die Zahl der Integrationen von Frauen",
            Fmt::Count,
            "Integrationen erwerbsfähiger leistungsberechtigter Frauen, summiert von Januar bis zum Berichtsmonat.",
        ),
        Kennzahl::IntMaenner => w(
            "Integrationen von Männern",
            "Die Zahl der Integrationen von Männern",
            "die Zahl der Integrationen von Männern",
            Fmt::Count,
            "Integrationen erwerbsfähiger leistungsberechtigter Männer, summiert von Januar bis zum Berichtsmonat.",
        ),
        Kennzahl::K2Frauen => w(
            "Integrationsquote der Frauen (K2)",
            "Die Integrationsquote der Frauen",
            "die Integrationsquote der Frauen",
            Fmt::Quota,
            "Integrationsquote wie K2, berechnet für erwerbsfähige leistungsberechtigte Frauen.",
        ),
        Kennzahl::K2Maenner => w(
            "Integrationsquote der Männer (K2)",
            "Die Integrationsquote der Männer",
            "die Integrationsquote der Männer",
            Fmt::Quota,
            "Integrationsquote wie K2, berechnet für erwerbsfähige leistungsberechtigte Männer.",
        ),
        Kennzahl::K3Frauen => w(
            "Langzeitleistungsbeziehende Frauen, Ø Bestand (K3)",
            "Der durchschnittliche Bestand an langzeitleistungsbeziehenden Frauen",
            "den durchschnittlichen Bestand an langzeitleistungsbeziehenden Frauen",
            Fmt::Mean,
            "Durchschnittlicher Monatsbestand langzeitleistungsbeziehender Frauen von Januar bis zum Berichtsmonat.",
        ),
        Kennzahl::K3Maenner => w(
            "Langzeitleistungsbeziehende Männer, Ø Bestand (K3)",
            "Der durchschnittliche Bestand an langzeitleistungsbeziehenden Männern",
            "den durchschnittlichen Bestand an langzeitleistungsbeziehenden Männern",
            Fmt::Mean,
            "Durchschnittlicher Monatsbestand langzeitleistungsbeziehender Männer von Januar bis zum Berichtsmonat.",
        ),
        Kennzahl::K3e1Frauen => w(
            "Integrationsquote langzeitleistungsbeziehender Frauen (K3E1)",
            "Die Integrationsquote langzeitleistungsbeziehender Frauen",
            "die Integrationsquote langzeitleistungsbeziehender Frauen",
            Fmt::Quota,
            "Integrationsquote wie K3E1, berechnet für langzeitleistungsbeziehende Frauen.",
        ),
        Kennzahl::K3e1Maenner => w(
            "Integrationsquote langzeitleistungsbeziehender Männer (K3E1)",
            "Die Integrationsquote langzeitleistungsbeziehender Männer",
            "die Integrationsquote langzeitleistungsbeziehender Männer",
            Fmt::Quota,
            "Integrationsquote wie K3E1, berechnet für langzeitleistungsbeziehende Männer.",
        ),
    }
}

fn value_text(fmt: Fmt, v: Option<Value>) -> String {
    let Some(v) = v else { return KA.to_string() };
    let x = v.as_f64();
    match fmt {
        Fmt::Count | Fmt::Mean => format::int(x),
        Fmt::Quota => format::percent(x, 2),
        Fmt::Share => format::percent(x, 1),
        Fmt::Money => format::euro_short(x),
    }
}

/// A value in a comparison table: euros in millions without unit (the unit stands in
/// the "Art" column), everything else as in running text.
fn table_value_text(fmt: Fmt, v: Option<Value>) -> String {
    match (fmt, v) {
        (Fmt::Money, Some(v)) => format::number(v.as_f64() / 1e6, 1),
        _ => value_text(fmt, v),
    }
}

fn change_text(x: Option<f64>) -> String {
    format::or_ka(x, |v| format::change(v, 1))
}

/// The period a figure's value refers to, short ("Summe Jan.–Sept.").
fn art(k: Kennzahl, bm: Berichtsmonat) -> String {
    let m = format::MONTHS_SHORT[bm.month as usize - 1];
    let jfw = if bm.month == 1 {
        "Jan.".to_string()
    } else {
        format!("Jan.–{m}")
    };
    match k {
        Kennzahl::Int | Kennzahl::IntFrauen | Kennzahl::IntMaenner => format!("Summe {jfw}"),
        Kennzahl::Llu | Kennzahl::Kdu => format!("Summe {jfw}, Mio. €"),
        Kennzahl::K2
        | Kennzahl::K3e1
        | Kennzahl::IqAsyl8
        | Kennzahl::K2Frauen
        | Kennzahl::K2Maenner
        | Kennzahl::K3e1Frauen
        | Kennzahl::K3e1Maenner => format!("Quote {jfw}"),
        Kennzahl::K3 | Kennzahl::K3Frauen | Kennzahl::K3Maenner => format!("Ø {jfw}"),
        Kennzahl::LzbJe => format!("Bestand {m} ggü. Dez. {}", bm.year - 1),
        Kennzahl::Elb | Kennzahl::Bg | Kennzahl::Lzb4j | Kennzahl::LzbAsyl8 => {
            format!("Bestand {m}")
        }
        Kennzahl::Nachhaltigkeit => format!("Anteil {jfw} {}", bm.year - 1),
        Kennzahl::Bedarfsdeckend => format!("Anteil {jfw}"),
    }
}

pub fn symbol(status: Status) -> &'static str {
    match status {
        Status::Erreicht => "✓",
        Status::KnappVerfehlt => "◐",
        Status::Verfehlt => "✗",
        Status::KeineDaten | Status::KeinZiel => "–",
    }
}

pub fn status_text(status: Status, december: bool) -> &'static str {
    match (status, december) {
        (Status::Erreicht, true) => "erreicht",
        (Status::Erreicht, false) => "auf Kurs",
        (Status::KnappVerfehlt, true) => "knapp nicht erreicht",
        (Status::KnappVerfehlt, false) => "knapp nicht auf Kurs",
        (Status::Verfehlt, true) => "nicht erreicht",
        (Status::Verfehlt, false) => "nicht auf Kurs",
        (Status::KeineDaten, _) => "keine Daten",
        (Status::KeinZiel, _) => "kein Ziel",
    }
}

fn decimal_text(d: Decimal) -> String {
    format::change_exact(d.units, d.decimals.max(1))
}

/// The German name of a Kennzahl as the report's table of targets prints it (the
/// invitations name the targets the same way).
pub(crate) fn bezeichnung(k: Kennzahl) -> &'static str {
    words(k).bezeichnung
}

/// A Soll as the report prints it: `+2,1 %`.
pub(crate) fn soll_text(soll: Decimal) -> String {
    decimal_text(soll)
}

pub const FOOTNOTE_KA: &str = "k. A. – keine Angabe: Für mindestens einen benötigten Monat fehlt ein Wert (anonymisiert, unbekannt, noch nicht verfügbar oder nicht geliefert) oder der Nenner ist null. Fehlende Werte werden nie als null gezählt.";

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
}

#[derive(Serialize)]
struct JobcenterData {
    id: String,
    name: String,
    land: String,
    traeger: Option<String>,
    vergleichstyp: Option<String>,
}

#[derive(Serialize)]
struct Vergleichsnamen {
    jc: String,
    vt: String,
    land: String,
}

#[derive(Serialize)]
struct ZielZeile {
    kennzahl: &'static str,
    bezeichnung: &'static str,
    ziel_text: String,
    soll: String,
    ist: String,
    wert: String,
    vorjahr: String,
    status: &'static str,
    symbol: &'static str,
    status_text: &'static str,
    fussnote: Option<u32>,
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
    fussnote: Option<u32>,
}

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
struct Diagramm {
    titel: String,
    alt: String,
    y_titel: String,
    x_labels: Vec<&'static str>,
    y_min: f64,
    y_max: f64,
    y_ticks: Vec<Tick>,
    reihen: Vec<Reihe>,
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
struct Fussnote {
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
    abschnitte: Vec<Abschnitt>,
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
}

impl Context<'_> {
    fn bm(&self) -> Berichtsmonat {
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
        }
    }
}

/// Keeps the footnote for "k. A." once it is used.
#[derive(Default)]
struct Notes {
    ka_used: bool,
}

impl Notes {
    fn mark(&mut self, texts: &[&str]) -> Option<u32> {
        if texts.contains(&KA) {
            self.ka_used = true;
            Some(1)
        } else {
            None
        }
    }
}

fn soll_parts(soll: Decimal) -> (&'static str, String) {
    let richtung = match soll.units.signum() {
        1 => "plus",
        0 => "null",
        _ => "minus",
    };
    let betrag = format::number(soll.as_f64().abs(), soll.decimals.max(1) as usize);
    (richtung, format!("{betrag} %"))
}

/// The report data of one Jobcenter.
pub fn report(ctx: &Context, e: &EntityFigures) -> Result<ReportData, String> {
    let bm = ctx.bm();
    let dezember = bm.is_december();
    let jc: &Jobcenter = e.jobcenter.as_ref().expect("a Jobcenter");
    let vt = jc
        .vergleichstyp
        .as_deref()
        .and_then(|v| ctx.results.entity(&crate::figures::vt_id(v)));
    let land = ctx.results.entity(&crate::figures::land_id(&jc.land));
    let mut notes = Notes::default();

    // Zielerreichung auf einen Blick.
    let mut ziele = Vec::new();
    let mut met = 0;
    let mut with_target = 0;
    for k in Kennzahl::TARGETS {
        let Some(f) = e.figure(k) else { continue };
        let z = f.ziel.expect("targets carry attainment");
        let w = words(k);
        let ziel_text = match z.soll {
            Some(soll) => {
                let (richtung, betrag) = soll_parts(soll);
                ctx.texte.render(
                    "ziel.txt.j2",
                    minijinja::context! {
                        kennzahl => k.code(), soll => decimal_text(soll), soll_richtung => richtung,
                        soll_betrag => betrag, vorjahr_dezember => format!("Dezember {}", bm.year - 1),
                    },
                )?
            }
            None => "Für dieses Jahr ist kein Ziel vereinbart.".to_string(),
        };
        if z.soll.is_some() {
            with_target += 1;
            if z.status == Status::Erreicht {
                met += 1;
            }
        }
        let ist = z.ist.map_or_else(|| KA.to_string(), decimal_text);
        let wert = value_text(w.fmt, f.wert);
        let vorjahr = value_text(w.fmt, f.vorjahr);
        let fussnote = notes.mark(&[&ist, &wert, &vorjahr]);
        ziele.push(ZielZeile {
            kennzahl: k.code(),
            bezeichnung: w.bezeichnung,
            ziel_text,
            soll: z.soll.map_or_else(|| "–".to_string(), decimal_text),
            ist,
            wert,
            vorjahr,
            status: z.status.code(),
            symbol: symbol(z.status),
            status_text: status_text(z.status, dezember),
            fussnote,
        });
    }
    let ziele_zaehlung = format!(
        "{met} von {with_target} vereinbarten Zielen {}",
        if dezember { "erreicht" } else { "auf Kurs" }
    );

    // Sections.
    let sections: [(&str, &str, &[Kennzahl]); 3] = [
        (
            "I",
            "Verringerung der Hilfebedürftigkeit",
            &[
                Kennzahl::Llu,
                Kennzahl::Kdu,
                Kennzahl::Bg,
                Kennzahl::Elb,
                Kennzahl::Nachhaltigkeit,
                Kennzahl::Bedarfsdeckend,
                Kennzahl::K3e1,
                Kennzahl::Lzb4j,
            ],
        ),
        (
            "II",
            "Verbesserung der Integration in Erwerbstätigkeit",
            &[Kennzahl::Int, Kennzahl::K2, Kennzahl::IqAsyl8],
        ),
        (
            "III",
            "Vermeidung von langfristigem Leistungsbezug",
            &[
                Kennzahl::K3,
                Kennzahl::K3e1,
                Kennzahl::LzbJe,
                Kennzahl::LzbAsyl8,
            ],
        ),
    ];
    let mut abschnitte = Vec::new();
    for (nummer, titel, figures) in sections {
        let mut tabelle = Vec::new();
        let mut bewertung = Vec::new();
        for &k in figures {
            let Some(f) = e.figure(k) else { continue };
            let w = words(k);
            let cell = |other: Option<&EntityFigures>| {
                let g = other.and_then(|o| o.figure(k));
                match g {
                    Some(g) => Zelle {
                        wert: table_value_text(w.fmt, g.wert),
                        vorjahr: table_value_text(w.fmt, g.vorjahr),
                        veraenderung: change_text(g.veraenderung_pct),
                    },
                    None => Zelle {
                        wert: "–".into(),
                        vorjahr: "–".into(),
                        veraenderung: "–".into(),
                    },
                }
            };
            let (c_jc, c_vt, c_land) = (cell(Some(e)), cell(vt), cell(land));
            let fussnote = notes.mark(&[
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
            tabelle.push(TabellenZeile {
                kennzahl: k.code(),
                bezeichnung: w.bezeichnung,
                art: art(k, bm),
                jc: c_jc,
                vt: c_vt,
                land: c_land,
                fussnote,
            });
            // One sentence per figure; K3E1 is assessed once, in section III.
            if !(k == Kennzahl::K3e1 && nummer == "I") {
                bewertung.push(sentence(ctx, k, f, &w)?);
            }
        }
        let diagramme = chart(nummer, e, bm).into_iter().collect();
        abschnitte.push(Abschnitt {
            nummer,
            titel,
            tabelle,
            diagramme,
            bewertung,
        });
    }

    let mut fussnoten = Vec::new();
    if notes.ka_used {
        fussnoten.push(Fussnote {
            nummer: 1,
            text: FOOTNOTE_KA.into(),
        });
    }
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
        format::number(ctx.results.tolerance.as_f64(), ctx.results.tolerance.decimals.max(1) as usize),
        if dezember {
            "Der Dezemberbericht weist das Jahresergebnis aus."
        } else {
            "Vor Dezember zeigt der Status den Verlauf des Jahres („auf Kurs“), nicht das Jahresergebnis."
        }
    ));
    if vt.is_none() {
        hinweise.push("Das Jobcenter ist keinem Vergleichstyp zugeordnet; die Spalte Vergleichstyp bleibt leer („–“).".into());
    }
    if ctx.vorlaeufig {
        hinweise.push("Vorläufig – Daten unvollständig: Für mindestens ein Jobcenter des Laufs fehlen Werte des Berichtszeitraums. Die Angaben können sich mit vollständigen Daten noch ändern.".into());
    }

    let glossar = Kennzahl::ALL
        .iter()
        .filter(|k| e.figure(**k).is_some())
        .map(|&k| Glossar {
            begriff: words(k).bezeichnung,
            definition: words(k).definition,
        })
        .collect();

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
            vt: jc
                .vergleichstyp
                .as_ref()
                .map_or_else(|| "Vergleichstyp".into(), |v| format!("Vergleichstyp {v}")),
            land: format!("Land {}", jc.land),
        },
        ziele,
        ziele_zaehlung,
        abschnitte,
        fussnoten,
        hinweise,
        glossar,
    })
}

fn sentence(ctx: &Context, k: Kennzahl, f: &Figure, w: &Words) -> Result<String, String> {
    let bm = ctx.bm();
    let fehlt = f.veraenderung_pct.is_none();
    let pct = f.veraenderung_pct.unwrap_or(0.0);
    let betrag = format::percent(pct.abs(), 1);
    let richtung = if betrag == "0,0 %" {
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
            veraenderung => change_text(f.veraenderung_pct),
            betrag => betrag,
            richtung => richtung,
            vergleich => vergleich,
            fehlt => fehlt,
            ziel => ziel,
        },
    )
}

/// The chart of a section: I the ELB stock, II the cumulative integrations, III the LZB
/// stock — this year (to the Berichtsmonat) against last year.
fn chart(section: &str, e: &EntityFigures, bm: Berichtsmonat) -> Option<Diagramm> {
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
    let all: Vec<f64> = now.iter().chain(&before).flatten().copied().collect();
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
    let alt = format!(
        "Liniendiagramm {was} je Monat, {} gegen {}. {}. {}. Senkrechte Achse: {y_titel}, von {} bis {}.",
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
        y_titel: y_titel.into(),
        x_labels: format::MONTHS_SHORT.to_vec(),
        y_min,
        y_max,
        y_ticks,
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
        ],
    })
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

// ---------------------------------------------------------------------------------------
// The overview.

#[derive(Serialize)]
struct Spalte {
    kennzahl: &'static str,
    kurz: &'static str,
    soll_hinweis: &'static str,
}

#[derive(Serialize)]
struct UeZelle {
    ist: String,
    soll: String,
    status: &'static str,
    symbol: &'static str,
}

#[derive(Serialize)]
struct UeZeile {
    id: String,
    name: String,
    art: &'static str,
    vorlaeufig: bool,
    zellen: Vec<UeZelle>,
}

/// `/data.json` of the overview.
#[derive(Serialize)]
pub struct OverviewData {
    meta: Meta,
    spalten: Vec<Spalte>,
    zeilen: Vec<UeZeile>,
    zaehlung: Vec<String>,
    legende: String,
    fussnoten: Vec<String>,
}

pub fn overview(ctx: &Context, ids: &[String], incomplete: &[String]) -> OverviewData {
    let bm = ctx.bm();
    let dezember = bm.is_december();
    let spalten = vec![
        Spalte {
            kennzahl: "int",
            kurz: "Integrationen",
            soll_hinweis: "höher ist besser",
        },
        Spalte {
            kennzahl: "k2",
            kurz: "Integrationsquote K2",
            soll_hinweis: "höher ist besser",
        },
        Spalte {
            kennzahl: "k3",
            kurz: "LZB-Bestand Ø (K3)",
            soll_hinweis: "niedriger ist besser",
        },
        Spalte {
            kennzahl: "k3e1",
            kurz: "Integrationsquote LZB (K3E1)",
            soll_hinweis: "höher ist besser",
        },
        Spalte {
            kennzahl: "lzb_je",
            kurz: "LZB-Bestand ggü. Dezember",
            soll_hinweis: "niedriger ist besser",
        },
    ];
    let mut zeilen = Vec::new();
    let mut met = [0usize; 5];
    let mut targets = [0usize; 5];
    let mut ka = false;
    for e in &ctx.results.entities {
        let is_jc = e.kind == EntityKind::Jobcenter;
        if is_jc && !ids.contains(&e.id) {
            continue;
        }
        let zellen = Kennzahl::TARGETS
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                let f = e.figure(k).expect("targets always computed");
                if let Some(z) = f.ziel {
                    if z.soll.is_some() {
                        targets[i] += 1;
                        met[i] += usize::from(z.status == Status::Erreicht);
                    }
                    let ist = z.ist.map_or_else(|| KA.to_string(), decimal_text);
                    ka |= ist == KA;
                    UeZelle {
                        ist,
                        soll: z.soll.map_or_else(|| "kein Ziel".into(), decimal_text),
                        status: z.status.code(),
                        symbol: symbol(z.status),
                    }
                } else {
                    let ist = change_text(f.veraenderung_pct);
                    ka |= ist == KA;
                    UeZelle {
                        ist,
                        soll: String::new(),
                        status: "",
                        symbol: "",
                    }
                }
            })
            .collect();
        let name = match (&e.kind, &e.jobcenter) {
            (EntityKind::Jobcenter, Some(j)) => j.name.clone(),
            (EntityKind::Land, _) => format!("Land {}", e.id.trim_start_matches("LAND:")),
            _ => format!("Vergleichstyp {}", e.id.trim_start_matches("VT:")),
        };
        zeilen.push(UeZeile {
            id: if is_jc { e.id.clone() } else { String::new() },
            name,
            art: if is_jc { "jobcenter" } else { "aggregat" },
            vorlaeufig: incomplete.contains(&e.id),
            zellen,
        });
    }
    let wort = if dezember { "erreicht" } else { "auf Kurs" };
    let zaehlung = (0..5)
        .map(|i| format!("{} von {} {wort}", met[i], targets[i]))
        .collect();
    let tol = format::number(
        ctx.results.tolerance.as_f64(),
        ctx.results.tolerance.decimals.max(1) as usize,
    );
    let legende = if dezember {
        format!(
            "✓ erreicht · ◐ knapp nicht erreicht (höchstens {tol} Prozentpunkte unter dem Soll) · ✗ nicht erreicht · – keine Daten oder kein Ziel. Ist: Veränderung gegenüber dem Vorjahreszeitraum; Land und Vergleichstyp ohne Ziel."
        )
    } else {
        format!(
            "✓ auf Kurs · ◐ knapp nicht auf Kurs (höchstens {tol} Prozentpunkte vom Soll entfernt) · ✗ nicht auf Kurs · – keine Daten oder kein Ziel. Ist: Veränderung gegenüber dem Vorjahreszeitraum; Land und Vergleichstyp ohne Ziel."
        )
    };
    let mut fussnoten = Vec::new();
    if ka {
        fussnoten.push(FOOTNOTE_KA.to_string());
    }
    if !incomplete.is_empty() {
        fussnoten.push("vorläufig – Daten unvollständig: Für die markierten Jobcenter fehlen Werte des Berichtszeitraums.".to_string());
    }
    let datenstand = ctx
        .results
        .entities
        .iter()
        .filter_map(|e| e.datenstand)
        .max();
    OverviewData {
        meta: ctx.meta("Übersicht aller Jobcenter", None, datenstand),
        spalten,
        zeilen,
        zaehlung,
        legende,
        fussnoten,
    }
}
