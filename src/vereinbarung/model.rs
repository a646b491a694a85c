//! The data one agreement's template reads as `/data.json`: the parties, the year, the
//! targets of the Jobcenter in the order of the law (I, II, III) with their values in
//! German format, and the free texts of the configuration. Everything here is data, not
//! wording: the German sentences live in `templates/vereinbarung.typ`, which chooses them
//! by `richtung` (the sign of the target) and `hoeher_besser` (the figure's direction);
//! the names of the figures come from `templates/texte/kennzahlen.toml`.

use serde::Serialize;

use crate::domain::kennzahl::{Formula, Kind, Section};
use crate::domain::{Decimal, Kennzahl};
use crate::figures::{EntityFigures, Value, level};
use crate::format;
use crate::load::{Dataset, Jobcenter};

use crate::load::bericht::Config;
use crate::texte::Kennzahlnamen;

/// The whole document.
#[derive(Debug, Clone, Serialize)]
pub struct VereinbarungData {
    /// The year the agreement is for, and the year before (the comparison year).
    pub jahr: i32,
    pub vorjahr: i32,
    /// The date the document was made, e.g. `1. Dezember 2026` (footer).
    pub erstellt: String,
    /// A draft for the negotiation rounds (marked as such) or the final copy.
    pub entwurf: bool,
    pub ministerium: Partei,
    pub jobcenter: JobcenterPartei,
    /// The Land's common priorities (preamble), one entry per paragraph.
    pub schwerpunkte: Vec<String>,
    /// The year's particular circumstances (Section 2), one entry per paragraph.
    pub besonderheiten: Vec<String>,
    /// The targets of this Jobcenter for `jahr`, sections I, II, III in turn.
    pub ziele: Vec<Ziel>,
    /// The monitoring figures each section names as Analysefelder, in order (from the
    /// table of Kennzahlen, [`crate::domain::kennzahl::ANALYSEFELDER`]).
    pub analysefelder: Vec<Analysefeld>,
}

/// A monitoring figure named in a section of the agreement.
#[derive(Debug, Clone, Serialize)]
pub struct Analysefeld {
    /// The code of the Kennzahl (`nachhaltigkeit`).
    pub kennzahl: &'static str,
    /// The section that names it (`I`).
    pub abschnitt: crate::domain::Section,
}

/// The Land's party; `None` fields are left as lines to fill in.
#[derive(Debug, Clone, Serialize)]
pub struct Partei {
    pub name: Option<String>,
    /// The short name of the running text (`MAGS NRW`).
    pub kurz: Option<String>,
    /// Who signs, with the article or form of address (`Herrn Staatssekretär Dr. A`).
    pub vertreten_durch: Option<String>,
    /// The name under the signature line (`Dr. A`; else the office).
    pub unterzeichner: Option<String>,
    pub ort: Option<String>,
    /// The signing date in words (`22. Februar 2018`); `None` leaves the line blank.
    pub datum: Option<String>,
}

/// The Jobcenter's Träger (a zugelassener kommunaler Träger).
#[derive(Debug, Clone, Serialize)]
pub struct JobcenterPartei {
    pub id: String,
    pub name: String,
    pub land: String,
    /// Who signs, with the article or form of address (`Herrn Landrat Dr. Kai Zwicker`).
    pub vertreten_durch: Option<String>,
    pub unterzeichner: Option<String>,
    pub ort: Option<String>,
    pub datum: Option<String>,
    /// The name with its article in the four cases: `der Kreis Borken`, `des Kreises
    /// Borken`, `dem Kreis Borken`, `den Kreis Borken` (`die/der Stadt Essen`).
    pub nominativ: String,
    pub genitiv: String,
    pub dativ: String,
    pub akkusativ: String,
}

/// A Träger's name with its article in the four cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formen {
    pub nominativ: String,
    pub genitiv: String,
    pub dativ: String,
    pub akkusativ: String,
}

/// The cases of a Träger's name: `Kreis X`, `Landkreis X` and names ending in `kreis`
/// (`Hochsauerlandkreis`, `Ennepe-Ruhr-Kreis`) are masculine and take `-es` in the
/// genitive; `Stadt X`, `Städteregion X`, `Region X` are feminine; any other name is put
/// after „Träger“ (`des Trägers Märkischer Kreis`), which is right whatever its gender.
/// A `genitiv` from `bericht.toml` replaces the derived genitive.
pub fn formen(name: &str, genitiv: Option<&str>) -> Formen {
    let name = name.trim();
    let (first, rest) = name.split_once(' ').unwrap_or((name, ""));
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!(" {rest}")
    };
    let mut f = if first.to_lowercase().ends_with("kreis") {
        Formen {
            nominativ: format!("der {name}"),
            genitiv: format!("des {first}es{rest}"),
            dativ: format!("dem {name}"),
            akkusativ: format!("den {name}"),
        }
    } else if ["Stadt", "Städteregion", "Region", "Hansestadt"].contains(&first) && !rest.is_empty()
    {
        Formen {
            nominativ: format!("die {name}"),
            genitiv: format!("der {name}"),
            dativ: format!("der {name}"),
            akkusativ: format!("die {name}"),
        }
    } else {
        Formen {
            nominativ: format!("der Träger {name}"),
            genitiv: format!("des Trägers {name}"),
            dativ: format!("dem Träger {name}"),
            akkusativ: format!("den Träger {name}"),
        }
    };
    if let Some(g) = genitiv {
        f.genitiv = g.to_string();
    }
    f
}

/// `Herrn` + `Landrat Dr. X`: the form of address and the office as they follow
/// „vertreten durch“.
fn mit_anrede(anrede: Option<&str>, vertreten_durch: Option<&str>) -> Option<String> {
    let v = vertreten_durch?;
    Some(match anrede {
        Some(a) => format!("{a} {v}"),
        None => v.to_string(),
    })
}

/// One agreed target.
#[derive(Debug, Clone, Serialize)]
pub struct Ziel {
    /// The code of the figure (`int`, `k2`, …).
    pub kennzahl: &'static str,
    /// Its heading and its part of the target sentence (`kennzahlen.toml`:
    /// `titel_vereinbarung`, `subjekt_vereinbarung`).
    pub titel: String,
    pub subjekt: String,
    /// `dezember` for a stock (the target is the December level), else `jahr`.
    pub zeit: &'static str,
    /// `I`, `II` or `III` (§ 48b Abs. 3 SGB II).
    pub abschnitt: Section,
    /// The target with its sign: `+2,1 %`, `0,0 %`, `−0,25 %`.
    pub soll: String,
    /// Its amount without sign: `2,1 %`.
    pub betrag: String,
    /// `plus`, `null` or `minus`.
    pub richtung: &'static str,
    /// Whether a higher value is better (contract section 2, "better when").
    pub hoeher_besser: bool,
    /// A stock or mean stock (its 0,0 % target is a "Stagnation").
    pub bestand: bool,
    /// The Jobcenter's own row differs from the `*` row of every Jobcenter (an own row
    /// without a `*` row, or with the same value, deviates from nothing).
    pub eigen: bool,
    /// The figure's value for the year before (December), formatted; `None` when the
    /// data do not give it.
    pub ausgangswert: Option<String>,
    /// The level the year must reach, formatted: the threshold Ausgangswert × (1 + T/100)
    /// rounded to the places shown towards the side that meets the target, so that it is
    /// the level at which the report's status flips (contract 2.6, v4).
    pub zielwert: Option<String>,
}

/// The Jobcenter's targets for `year`, own rows overriding `*` rows, in the order of the
/// law and within a section in the order of the table of Kennzahlen. `figures` are the
/// Jobcenter's figures for December of `year` (their `vorjahr` is last year's value).
pub fn ziele(
    ds: &Dataset,
    year: i32,
    id: &str,
    figures: Option<&EntityFigures>,
    namen: &Kennzahlnamen,
) -> Vec<Ziel> {
    let mut out: Vec<Ziel> = Kennzahl::ALL
        .into_iter()
        .filter_map(|k| {
            let soll = ds.ziele.lookup(year, id, k)?;
            let def = k.def();
            let figure = figures.and_then(|f| f.figure(k));
            let fmt = |v: Option<Value>| v.map(|v| value_text(k, v));
            let words = namen.get(k);
            Some(Ziel {
                kennzahl: def.code,
                titel: words.titel_vereinbarung.clone(),
                subjekt: words.subjekt_vereinbarung.clone(),
                zeit: if matches!(def.formula, Formula::Stock(_) | Formula::StockDec(_)) {
                    "dezember"
                } else {
                    "jahr"
                },
                abschnitt: def.section,
                soll: soll_text(soll),
                betrag: betrag_text(soll),
                richtung: match soll.units.signum() {
                    1 => "plus",
                    0 => "null",
                    _ => "minus",
                },
                hoeher_besser: def.higher_is_better,
                bestand: matches!(
                    def.formula,
                    Formula::Stock(_) | Formula::StockDec(_) | Formula::Mean(_)
                ),
                eigen: abweichend(ds, year, id, k),
                ausgangswert: fmt(figure.and_then(|f| f.vorjahr)),
                zielwert: figure
                    .and_then(|f| f.vorjahr)
                    .and_then(|base| zielwert(k, base, soll)),
            })
        })
        .collect();
    // Stable: the table order stays within each section.
    out.sort_by_key(|z| z.abschnitt);
    out
}

/// Whether the Jobcenter's own target of `k` differs from the Land's `*` target.
fn abweichend(ds: &Dataset, year: i32, id: &str, k: Kennzahl) -> bool {
    let soll = &ds.ziele.soll;
    match (
        soll.get(&(year, Some(id.to_string()), k)),
        soll.get(&(year, None, k)),
    ) {
        (Some(own), Some(all)) => {
            let d = own.decimals.max(all.decimals);
            own.scaled(d) != all.scaled(d)
        }
        _ => false,
    }
}

/// The document of one Jobcenter.
pub fn vereinbarung(
    ds: &Dataset,
    year: i32,
    jc: &Jobcenter,
    config: &Config,
    erstellt: String,
    figures: Option<&EntityFigures>,
    namen: &Kennzahlnamen,
) -> VereinbarungData {
    let m = &config.ministerium;
    let t = config.traeger(&jc.id);
    let vertreten_durch = t
        .vertreten_durch
        .clone()
        .or_else(|| jc.vertreten_durch.clone())
        .filter(|v| !v.trim().is_empty());
    let formen = formen(&jc.name, t.genitiv.as_deref());
    VereinbarungData {
        jahr: year,
        vorjahr: year - 1,
        erstellt,
        entwurf: config.entwurf,
        ministerium: Partei {
            name: m.name.clone(),
            kurz: m.kurz.clone(),
            vertreten_durch: mit_anrede(m.anrede.as_deref(), m.vertreten_durch.as_deref()),
            unterzeichner: m
                .unterzeichner
                .clone()
                .or_else(|| m.vertreten_durch.clone()),
            ort: m.ort.clone(),
            datum: m.datum.or(config.datum).map(format::date_long),
        },
        jobcenter: JobcenterPartei {
            id: jc.id.clone(),
            name: jc.name.clone(),
            land: jc.land.clone(),
            vertreten_durch: mit_anrede(t.anrede.as_deref(), vertreten_durch.as_deref()),
            unterzeichner: t.unterzeichner.clone().or(vertreten_durch),
            ort: t.ort.clone(),
            datum: t.datum.or(config.datum).map(format::date_long),
            nominativ: formen.nominativ,
            genitiv: formen.genitiv,
            dativ: formen.dativ,
            akkusativ: formen.akkusativ,
        },
        schwerpunkte: paragraphs(config.schwerpunkte.as_deref()),
        besonderheiten: paragraphs(config.besonderheiten.as_deref()),
        ziele: ziele(ds, year, &jc.id, figures, namen),
        analysefelder: crate::domain::kennzahl::ANALYSEFELDER
            .iter()
            .map(|&(k, abschnitt)| Analysefeld {
                kennzahl: k.code(),
                abschnitt,
            })
            .collect(),
    }
}

/// Free text split at blank lines; lines within a paragraph joined by a space.
fn paragraphs(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// Decimals shown for a target: those written, one at least (`0` → `0,0 %`).
fn places(soll: Decimal) -> u32 {
    soll.decimals.max(1)
}

/// `+2,1 %`, `0,0 %`, `−0,25 %`.
fn soll_text(soll: Decimal) -> String {
    let d = places(soll);
    format::change_exact(soll, d as usize)
}

/// `2,1 %`, `0,25 %`.
#[allow(clippy::cast_possible_wrap, clippy::cast_precision_loss)]
fn betrag_text(soll: Decimal) -> String {
    let d = places(soll);
    format::percent(
        soll.scaled(d).unsigned_abs() as f64 / 10f64.powi(d as i32),
        d as usize,
    )
}

/// A value of the figure `k` as the agreement states it: counts whole, means of stocks
/// whole, quotas and shares in percent with two decimals, money in whole euros (an
/// agreement states the amount, not a rounded `3,0 Mio. €` that hides a 1 % target).
fn value_text(k: Kennzahl, v: Value) -> String {
    let x = v.as_f64();
    match k.formula() {
        Formula::Quota { .. } | Formula::Share { .. } => format::percent(x, 2),
        Formula::Sum(c) if c.kind() == Kind::Money => format!("{} €", format::int(x)),
        _ => format::int(x),
    }
}

/// The shown level of target `soll` against `base`, at the places of [`value_text`].
fn zielwert(k: Kennzahl, base: Value, soll: Decimal) -> Option<String> {
    let places = match k.formula() {
        Formula::Quota { .. } | Formula::Share { .. } => 2,
        _ => 0,
    };
    let d = level::shown_level(base, soll, k.higher_is_better(), places)?;
    let number = format::decimal(d, places as usize);
    Some(match k.formula() {
        Formula::Quota { .. } | Formula::Share { .. } => {
            format!("{number}{}%", format::UNIT_SPACE)
        }
        Formula::Sum(c) if c.kind() == Kind::Money => format!("{number} €"),
        _ => number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zielwert_is_the_level_at_which_the_status_flips() {
        // Soll +2,1 %, Ausgangswert 4.899 Integrationen: 4.899 × 1,0205 = 4.999,4295 →
        // „mindestens 5.000“ (5.000 is +2,06 % → +2,1 %; v3 printed 5.002).
        assert_eq!(
            zielwert(Kennzahl::Int, Value::int(4899), Decimal::new(21, 1)).as_deref(),
            Some("5.000")
        );
        // K3 0,0 %, Ausgangswert 7.059: 7.059 × 1,0005 = 7.062,53 → „höchstens 7.062“.
        assert_eq!(
            zielwert(Kennzahl::K3, Value::int(7059), Decimal::new(0, 1)).as_deref(),
            Some("7.062")
        );
        // K2 0,0 % (higher is better), Ausgangswert 43,0 %: T = −0,05 %, 43 × 0,9995 =
        // 42,9785 → the smallest quota at two places that meets it: 42,98 %.
        assert_eq!(
            zielwert(Kennzahl::K2, Value::int(43), Decimal::new(0, 1)).as_deref(),
            Some("42,98\u{202f}%")
        );
    }

    #[test]
    fn targets_in_german_format_with_sign() {
        assert_eq!(soll_text(Decimal::new(21, 1)), "+2,1\u{202f}%");
        assert_eq!(soll_text(Decimal::ZERO), "0,0\u{202f}%");
        assert_eq!(soll_text(Decimal::new(0, 1)), "0,0\u{202f}%");
        assert_eq!(soll_text(Decimal::new(-25, 2)), "\u{2212}0,25\u{202f}%");
        assert_eq!(soll_text(Decimal::new(-10, 1)), "\u{2212}1,0\u{202f}%");
        assert_eq!(soll_text(Decimal::new(3, 0)), "+3,0\u{202f}%");
        assert_eq!(betrag_text(Decimal::new(-25, 2)), "0,25\u{202f}%");
        assert_eq!(betrag_text(Decimal::new(1234, 1)), "123,4\u{202f}%");
    }

    #[test]
    fn names_of_traeger_in_the_four_cases() {
        let f = formen("Kreis Borken", None);
        assert_eq!(f.nominativ, "der Kreis Borken");
        assert_eq!(f.genitiv, "des Kreises Borken");
        assert_eq!(f.dativ, "dem Kreis Borken");
        assert_eq!(f.akkusativ, "den Kreis Borken");
        assert_eq!(
            formen("Hochsauerlandkreis", None).genitiv,
            "des Hochsauerlandkreises"
        );
        assert_eq!(
            formen("Ennepe-Ruhr-Kreis", None).genitiv,
            "des Ennepe-Ruhr-Kreises"
        );
        let f = formen("Stadt Mülheim an der Ruhr", None);
        assert_eq!(f.genitiv, "der Stadt Mülheim an der Ruhr");
        assert_eq!(f.nominativ, "die Stadt Mülheim an der Ruhr");
        assert_eq!(f.dativ, "der Stadt Mülheim an der Ruhr");
        let f = formen("Märkischer Kreis", None);
        assert_eq!(f.genitiv, "des Trägers Märkischer Kreis");
        assert_eq!(f.dativ, "dem Träger Märkischer Kreis");
        assert_eq!(
            formen("Märkischer Kreis", Some("des Märkischen Kreises")).genitiv,
            "des Märkischen Kreises"
        );
        assert_eq!(
            mit_anrede(Some("Herrn"), Some("Landrat Dr. Kai Zwicker")).as_deref(),
            Some("Herrn Landrat Dr. Kai Zwicker")
        );
        assert_eq!(mit_anrede(Some("Herrn"), None), None);
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        assert_eq!(
            paragraphs(Some("Erstens\nweiter\n\n  \nZweitens\n")),
            vec!["Erstens weiter".to_string(), "Zweitens".to_string()]
        );
        assert!(paragraphs(None).is_empty());
    }
}
