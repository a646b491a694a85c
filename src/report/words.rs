//! German wording of the figures: names, the subject of a sentence, the period a value
//! refers to, how values are printed, and the status words.

use crate::figures::{Berichtsmonat, Decimal, Kennzahl, Status, Value, exact};
use crate::format::{self, KA};

/// How a figure's values are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fmt {
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
pub struct Words {
    pub bezeichnung: &'static str,
    pub subjekt: &'static str,
    pub dativ: &'static str,
    pub fmt: Fmt,
    pub definition: &'static str,
}

pub fn words(k: Kennzahl) -> Words {
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
            "Langzeitleistungsbeziehende mit der Staatsangehörigkeit eines der acht Asylherkunftsländer (Afghanistan, Eritrea, Irak, Iran, Nigeria, Pakistan, Somalia, Syrien) im Berichtsmonat.",
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

/// A value as printed everywhere in a report (rounded on the exact value).
pub fn value_text(fmt: Fmt, v: Option<Value>) -> String {
    let Some(v) = v else { return KA.to_string() };
    let exact = |decimals: u32| {
        exact::round(v, decimals).map_or_else(
            || format::number(v.as_f64(), decimals as usize),
            |d| format::decimal(d, decimals as usize),
        )
    };
    match fmt {
        Fmt::Count | Fmt::Mean => exact(0),
        Fmt::Quota => format!("{}{}%", exact(2), format::UNIT_SPACE),
        Fmt::Share => format!("{}{}%", exact(1), format::UNIT_SPACE),
        Fmt::Money => format::euro_short(v.as_f64()),
    }
}

/// A value in a comparison table: euros in millions without unit (the unit stands in
/// the "Art" column), everything else as in running text.
pub fn table_value_text(fmt: Fmt, v: Option<Value>) -> String {
    match (fmt, v) {
        (Fmt::Money, Some(v)) => format::number(v.as_f64() / 1e6, 1),
        _ => value_text(fmt, v),
    }
}

/// A change rate with one decimal, as in every table of the reports.
pub fn change_text(x: Option<f64>) -> String {
    change_places(x, 1)
}

/// A change rate with `places` decimals.
pub fn change_places(x: Option<f64>, places: usize) -> String {
    format::or_ka(x, |v| format::change_doc(v, places))
}

/// The decimals of a figure's change everywhere in a report: those of its agreed target
/// (one at least, two at most, as its Ist), else one — so K3 reads −1,23 % in the
/// overview of targets and in its section alike.
pub fn change_decimals(f: &crate::figures::Figure) -> usize {
    f.ziel
        .and_then(|z| z.soll)
        .map_or(1, |s| s.decimals.clamp(1, 2) as usize)
}

/// The period a figure's value refers to, short ("Summe Jan.–Sept.").
pub fn art(k: Kennzahl, bm: Berichtsmonat) -> String {
    let m = format::MONTHS_SHORT[bm.month as usize - 1];
    let jfw = if bm.month == 1 {
        "Jan.".to_string()
    } else {
        format!("Jan.–{m}")
    };
    match k {
        Kennzahl::Int | Kennzahl::IntFrauen | Kennzahl::IntMaenner => format!("Summe {jfw}"),
        Kennzahl::Llu | Kennzahl::Kdu => format!("Summe {jfw}, Mio.\u{202F}€"),
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

pub fn decimal_text(d: Decimal) -> String {
    format::change_exact(d, d.decimals.max(1) as usize)
}

pub const FOOTNOTE_KA: &str = "k.\u{202F}A. – keine Angabe: Für mindestens einen benötigten Monat fehlt ein Wert (anonymisiert, unbekannt, noch nicht verfügbar oder nicht geliefert) oder der Nenner ist null. Fehlende Werte werden nie als null gezählt.";
