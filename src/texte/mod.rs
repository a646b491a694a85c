//! The Textbausteine: German sentences rendered with minijinja from `templates/texte/`,
//! read at run time from `--templates DIR` when given (file by file, falling back to the
//! built-in copies), so a ministry changes wording without recompiling; and the
//! Kennzahlen in words ([`kennzahlen`], `templates/texte/kennzahlen.toml`). Rust passes
//! keys and formatted numbers, the templates hold the words.

pub mod folder;
pub mod kennzahlen;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use crate::error::Error;

pub use folder::TemplateFolder;
pub use kennzahlen::Kennzahlnamen;

const BUILTIN: [(&str, &str); 10] = [
    (
        "ziel.txt.j2",
        include_str!("../../templates/texte/ziel.txt.j2"),
    ),
    (
        "bewertung.txt.j2",
        include_str!("../../templates/texte/bewertung.txt.j2"),
    ),
    (
        "pfad.txt.j2",
        include_str!("../../templates/texte/pfad.txt.j2"),
    ),
    (
        "geschlecht.txt.j2",
        include_str!("../../templates/texte/geschlecht.txt.j2"),
    ),
    (
        "diagramm.txt.j2",
        include_str!("../../templates/texte/diagramm.txt.j2"),
    ),
    (
        "gespraech.txt.j2",
        include_str!("../../templates/texte/gespraech.txt.j2"),
    ),
    (
        "hinweis.txt.j2",
        include_str!("../../templates/texte/hinweis.txt.j2"),
    ),
    (
        "uebersicht.txt.j2",
        include_str!("../../templates/texte/uebersicht.txt.j2"),
    ),
    (
        "fussnote.txt.j2",
        include_str!("../../templates/texte/fussnote.txt.j2"),
    ),
    (
        "kurztexte.txt.j2",
        include_str!("../../templates/texte/kurztexte.txt.j2"),
    ),
];

/// The loaded Textbausteine and the Kennzahlen in words.
pub struct Texte {
    env: Environment<'static>,
    /// Each template's file as messages name it (`--templates` file or built-in path).
    shown: HashMap<&'static str, String>,
    pub namen: Kennzahlnamen,
}

/// Instructions one rendering of a Textbaustein may take: far above what any sentence
/// needs, so that a loop in a customised template ends with an error, not a hang.
const FUEL: u64 = 5_000_000;

/// The longest text one rendering may give (bytes): a sentence, not a book, which would
/// take Typst minutes and gigabytes to lay out.
pub const MAX_OUTPUT: usize = 100_000;

/// The limits every minijinja environment of the program renders under.
pub fn limit(env: &mut Environment<'_>) {
    env.set_fuel(Some(FUEL));
}

/// The wording of one command, read once in its plan and handed down (issue 19): the
/// `--templates` folder as read ([`TemplateFolder`]; `None`: the built-in templates only)
/// for the print shop, the Textbausteine and the mail templates, and the Kennzahlen in
/// words parsed from it on first use (a command that never names a figure never parses
/// `kennzahlen.toml`, and one that does parses it once).
pub struct Wording {
    folder: Option<TemplateFolder>,
    namen: OnceLock<Kennzahlnamen>,
}

impl std::fmt::Debug for Wording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wording")
            .field("folder", &self.folder.as_ref().map(TemplateFolder::dir))
            .finish_non_exhaustive()
    }
}

impl Wording {
    /// Reads `--templates DIR` (once: the folder is walked and its files read now);
    /// `None`: the built-in wording.
    pub fn read(dir: Option<&Path>) -> Self {
        Self {
            folder: dir.map(TemplateFolder::read),
            namen: OnceLock::new(),
        }
    }

    /// The template folder as read, for the print shop (`None`: built-in templates).
    pub fn folder(&self) -> Option<&TemplateFolder> {
        self.folder.as_ref()
    }

    /// The Kennzahlen in words (`texte/kennzahlen.toml`), parsed on the first call.
    pub fn namen(&self) -> Result<&Kennzahlnamen, Error> {
        if let Some(namen) = self.namen.get() {
            return Ok(namen);
        }
        let namen = Kennzahlnamen::from_folder(self.folder.as_ref())?;
        Ok(self.namen.get_or_init(|| namen))
    }

    /// The Textbausteine with the Kennzahlen in words.
    pub fn texte(&self) -> Result<Texte, Error> {
        let folder = self.folder.as_ref();
        let (env, shown) = Texte::environment(|env, name, builtin| {
            add_template_from(env, folder, "texte", name, builtin)
        })?;
        Ok(Texte {
            env,
            shown,
            namen: self.namen()?.clone(),
        })
    }
}

impl Texte {
    /// The Textbausteine of `--templates DIR` (file by file, else built-in), for tests; a
    /// command reads its [`Wording`] once instead.
    #[cfg(test)]
    pub fn load(dir: Option<&Path>) -> Result<Self, Error> {
        let (env, shown) =
            Self::environment(|env, name, builtin| add_template(env, dir, "texte", name, builtin))?;
        Ok(Self {
            env,
            shown,
            namen: Kennzahlnamen::load(dir)?,
        })
    }

    /// The minijinja environment with every Textbaustein added by `add`, and each one's
    /// file as messages name it.
    fn environment(
        mut add: impl FnMut(&mut Environment<'static>, &'static str, &str) -> Result<String, Error>,
    ) -> Result<(Environment<'static>, HashMap<&'static str, String>), Error> {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        limit(&mut env);
        env.add_function("unbekannt", unbekannt);
        let mut shown = HashMap::new();
        for (name, builtin) in BUILTIN {
            shown.insert(name, add(&mut env, name, builtin)?);
        }
        Ok((env, shown))
    }

    /// Renders one Textbaustein; runs of ASCII whitespace collapse to single spaces (the
    /// no-break spaces before units stay).
    pub fn render(&self, name: &str, ctx: impl Serialize) -> Result<String, String> {
        let tmpl = self.env.get_template(name).map_err(|e| describe(&e))?;
        let shown = self
            .shown
            .get(name)
            .map_or_else(|| format!("templates/texte/{name}"), Clone::clone);
        let text = tmpl
            .render(ctx)
            .map_err(|e| format!("{shown}: {}", describe(&e)))?;
        if text.len() > MAX_OUTPUT {
            return Err(format!(
                "{shown}: erwartet wird ein Text von höchstens {MAX_OUTPUT} Bytes, die Vorlage ergab {}",
                text.len()
            ));
        }
        Ok(text.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Called by a Textbaustein in the `else` of a choice among the values Rust sends
/// (`{{ unbekannt("art", art) }}`): a value the template does not know fails the
/// document, naming the template, instead of rendering an empty text.
fn unbekannt(was: &str, wert: &minijinja::Value) -> Result<String, minijinja::Error> {
    Err(minijinja::Error::new(
        minijinja::ErrorKind::InvalidOperation,
        format!("unbekannter Wert {was} = {wert:?}: diese Vorlage kennt ihn nicht"),
    ))
}

/// Adds `DIR/FOLDER/NAME` of `--templates DIR` when it exists, else the built-in copy;
/// returns the file as messages name it.
pub fn add_template(
    env: &mut Environment<'static>,
    dir: Option<&Path>,
    folder: &str,
    name: &'static str,
    builtin: &str,
) -> Result<String, Error> {
    let custom = dir
        .map(|d| d.join(folder).join(name))
        .filter(|p| p.exists())
        .map(|path| {
            let text = crate::load::csv::read_text(&path);
            (path, text)
        });
    add_source(env, custom, folder, name, builtin)
}

/// [`add_template`] from the template folder as the command read it once.
pub fn add_template_from(
    env: &mut Environment<'static>,
    templates: Option<&TemplateFolder>,
    folder: &str,
    name: &'static str,
    builtin: &str,
) -> Result<String, Error> {
    let custom = templates.and_then(|t| t.text(folder, name));
    add_source(env, custom, folder, name, builtin)
}

/// Adds `custom` (a file of `--templates` as read) when given, else `builtin`.
fn add_source(
    env: &mut Environment<'static>,
    custom: Option<(PathBuf, Result<String, String>)>,
    folder: &str,
    name: &'static str,
    builtin: &str,
) -> Result<String, Error> {
    let (source, shown) = match custom {
        Some((path, text)) => (
            text.map_err(|e| {
                Error::Render(format!("{} kann nicht gelesen werden: {e}", path.display()))
            })?,
            path.display().to_string(),
        ),
        None => (builtin.to_string(), format!("templates/{folder}/{name}")),
    };
    env.add_template_owned(name, source)
        .map_err(|e| Error::Render(format!("{shown}: {}", describe(&e))))?;
    Ok(shown)
}

/// A minijinja error with its line, when it has one.
pub fn describe(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("line {line}: {e}"),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use minijinja::context;

    use super::*;

    /// The branches of the short texts that the sample data do not reach, against the
    /// wording the report had when it was built in Rust.
    #[test]
    fn short_texts_read_as_before() {
        let t = Texte::load(None).unwrap();
        let k = |c: minijinja::Value| t.render("kurztexte.txt.j2", c).unwrap();
        let no_vt: Option<&str> = None;
        let none: Option<usize> = None;
        assert_eq!(
            k(context! { art => "spalte_vergleichstyp", vergleichstyp => no_vt, anzahl => none }),
            "Vergleichstyp"
        );
        assert_eq!(
            k(context! { art => "spalte_vergleichstyp", vergleichstyp => "Ia", anzahl => none }),
            "Vergleichstyp Ia"
        );
        assert_eq!(
            k(context! { art => "spalte_vergleichstyp", vergleichstyp => "Ia", anzahl => 4 }),
            "Vergleichstyp Ia, 4 Jobcenter"
        );
        assert_eq!(
            k(context! { art => "spalte_land", land => "NRW", traeger => no_vt, anzahl => none }),
            "Land NRW"
        );
        assert_eq!(
            k(context! { art => "spalte_land", land => "NRW", traeger => "zkT", anzahl => 18 }),
            "zkT in NRW, 18 Jobcenter"
        );
        assert_eq!(
            k(context! { art => "spalte_land", land => "NRW", traeger => no_vt, anzahl => 53 }),
            "Land NRW, 53 Jobcenter"
        );
        assert_eq!(
            k(context! {
                art => "rang", vt => no_vt, vt_rang => none, vt_anzahl => none,
                land => "NRW", land_rang => 7, land_anzahl => 18,
            }),
            // No-break spaces: a rank is never broken across lines.
            "Rang\u{a0}7\u{a0}von\u{a0}18\u{a0}im\u{a0}Land\u{a0}NRW"
        );
        assert_eq!(
            k(context! {
                art => "rang", vt => "Ia", vt_rang => 2, vt_anzahl => 4,
                land => "NRW", land_rang => 7, land_anzahl => 18,
            }),
            "Rang\u{a0}2\u{a0}von\u{a0}4\u{a0}im\u{a0}Vergleichstyp\u{a0}Ia · Rang\u{a0}7\u{a0}von\u{a0}18\u{a0}im\u{a0}Land\u{a0}NRW"
        );
        let abstand = |zahl: &str, einheit: &str, eins: bool, vorsprung: bool| {
            k(context! { art => "abstand", zahl, einheit, eins, vorsprung })
        };
        assert_eq!(
            abstand("1,00", "prozentpunkte", true, true),
            "1,00 Prozentpunkt"
        );
        assert_eq!(
            abstand("0,12", "prozentpunkte", false, true),
            "0,12 Prozentpunkten"
        );
        assert_eq!(
            abstand("0,12", "prozentpunkte", false, false),
            "0,12 Prozentpunkte"
        );
        assert_eq!(abstand("1", "integrationen", true, false), "1 Integration");
        assert_eq!(
            abstand("15", "integrationen", false, true),
            "15 Integrationen"
        );
        assert_eq!(abstand("1", "personen", true, true), "1 Person");
        assert_eq!(abstand("15", "personen", false, false), "15 Personen");
        assert_eq!(
            k(context! { art => "zaehlung", erreicht => 4, vereinbart => 5, dezember => true }),
            "4 von 5 vereinbarten Zielen erreicht"
        );
    }

    #[test]
    fn talking_points_notes_and_footnotes_read_as_before() {
        let t = Texte::load(None).unwrap();
        let none: Option<&str> = None;
        assert_eq!(
            t.render(
                "gespraech.txt.j2",
                context! { art => "gefaehrdet", bezeichnung => "Integrationen", status_text => "nicht auf Kurs", pfad => none },
            )
            .unwrap(),
            "Integrationen: nicht auf Kurs."
        );
        assert_eq!(
            t.render(
                "gespraech.txt.j2",
                context! { art => "alle", anzahl => 5, dezember => true }
            )
            .unwrap(),
            "Alle 5 vereinbarten Ziele sind erreicht."
        );
        assert_eq!(
            t.render(
                "gespraech.txt.j2",
                context! {
                    art => "vergleichstyp", name => "Ia", bezeichnung => "Integrationen",
                    eigen => "+3,4\u{202F}%", vt => "+1,0\u{202F}%", abstand => "2,4", guenstiger => false,
                },
            )
            .unwrap(),
            "Größter Abstand zum Vergleichstyp Ia: Integrationen mit +3,4\u{202F}% gegenüber +1,0\u{202F}% im Vergleichstyp (2,4 Prozentpunkte ungünstiger)."
        );
        assert_eq!(
            t.render(
                "hinweis.txt.j2",
                context! { art => "datenstand", datenstand => none }
            )
            .unwrap(),
            "Die gelieferten Daten enthalten keinen Datenstand. Werte der jüngsten Monate können noch vorläufig sein (Wartezeit von drei Monaten)."
        );
        assert_eq!(
            t.render(
                "hinweis.txt.j2",
                context! { art => "vergleichstyp_allein", vergleichstyp => "Ia" }
            )
            .unwrap(),
            "Der Vergleichstyp Ia umfasst in diesen Daten nur dieses Jobcenter; ein Vergleich entfällt („–“)."
        );
        assert_eq!(
            t.render(
                "fussnote.txt.j2",
                context! { art => "ohne", gruppe => "land", name => "NRW", ohne => "Kreis Borken" },
            )
            .unwrap(),
            "Land NRW: ohne Kreis Borken (für diese Kennzahl fehlen dort benötigte Werte; Vorjahr und laufendes Jahr umfassen dieselben Jobcenter)."
        );
        let ka = t
            .render(
                "fussnote.txt.j2",
                context! { art => "ka", fehlende_monate => "Februar 2018 und März 2018" },
            )
            .unwrap();
        assert!(ka.starts_with("k.\u{202F}A. – keine Angabe: "), "{ka}");
        assert!(ka.ends_with(" Beim Jobcenter fehlen Werte für Februar 2018 und März 2018; Vergleichswerte ohne einzelne Jobcenter sind in eigenen Fußnoten genannt."), "{ka}");
    }

    /// Every value Rust sends to a Textbaustein that chooses by `art` or `teil` has its
    /// branch, and a value it does not know fails naming the file (regression: a
    /// misspelt branch rendered an empty text).
    #[test]
    fn every_branch_is_known_and_an_unknown_one_fails_with_the_template_name() {
        let texte = Texte::load(None).unwrap();
        let choices: [(&str, &str, &[&str]); 6] = [
            (
                "diagramm.txt.j2",
                "teil",
                &["titel", "achse", "reihe", "vorlaeufig", "abstand", "alt"],
            ),
            ("fussnote.txt.j2", "art", &["ka", "ohne"]),
            (
                "gespraech.txt.j2",
                "art",
                &[
                    "gefaehrdet",
                    "alle",
                    "vergleichstyp",
                    "datenlage",
                    "vorlaeufig",
                ],
            ),
            (
                "hinweis.txt.j2",
                "art",
                &[
                    "datenstand",
                    "jahresfortschritt",
                    "zielerreichung",
                    "ohne_vergleichstyp",
                    "vergleichstyp_allein",
                    "vergleichstyp_mit",
                    "vorlaeufig",
                ],
            ),
            (
                "kurztexte.txt.j2",
                "art",
                &[
                    "kein_ziel",
                    "zaehlung",
                    "rang",
                    "abstand",
                    "spalte_jobcenter",
                    "spalte_vergleichstyp",
                    "spalte_land",
                    "abschnitt",
                    "titel",
                ],
            ),
            (
                "uebersicht.txt.j2",
                "art",
                &[
                    "titel",
                    "richtung",
                    "kein_ziel",
                    "ziele",
                    "ziele_weitere",
                    "aggregat",
                    "zaehlung",
                    "status_wort",
                    "legende",
                    "unvollstaendig",
                ],
            ),
        ];
        for (name, var, known) in choices {
            for value in known {
                // Other keys are missing here: a known branch may fail on them (strict
                // undefined), never as unknown.
                if let Err(e) = texte.render(name, BTreeMap::from([(var, *value)])) {
                    assert!(!e.contains("unbekannter Wert"), "{name} {var}={value}: {e}");
                }
            }
            let e = texte
                .render(name, BTreeMap::from([(var, "gibt_es_nicht")]))
                .unwrap_err();
            assert!(
                e.starts_with(&format!("templates/texte/{name}: "))
                    && e.contains("unbekannter Wert")
                    && e.contains("gibt_es_nicht"),
                "{e}"
            );
        }
    }

    /// Renders `name` with `base` and `var` set to each of `known` (each must give a
    /// text) and to an unknown value (which must fail naming the file and the value).
    fn every_value(texte: &Texte, name: &str, base: &serde_json::Value, var: &str, known: &[&str]) {
        let with = |value: &str| {
            let mut c = base.clone();
            c[var] = serde_json::Value::from(value);
            texte.render(name, c)
        };
        for value in known {
            match with(value) {
                Ok(text) => assert!(!text.is_empty(), "{name} {var}={value}: empty"),
                Err(e) => panic!("{name} {var}={value}: {e}"),
            }
        }
        let e = with("gibt_es_nicht").unwrap_err();
        assert!(
            e.starts_with(&format!("templates/texte/{name}: "))
                && e.contains("unbekannter Wert")
                && e.contains("gibt_es_nicht"),
            "{name} {var}: {e}"
        );
    }

    /// The inner choices too (issue 19): every value Rust sends renders a text, and an
    /// unknown one fails instead of leaving a sentence half empty.
    #[test]
    #[allow(clippy::many_single_char_names)] // b, c, d, f, g, k, p, z: one context each
    fn every_inner_branch_is_known_and_an_unknown_one_fails() {
        use serde_json::json;
        let texte = Texte::load(None).unwrap();
        let arten = ["elb", "int", "k2", "k3e1", "lzb", "k2_geschlecht"];
        let d = json!({ "jahr": 2018, "vorjahr": 2017, "achse_ab": null, "gruppe": null,
            "soll": "2,1 %", "soll_minus": false, "soll_null": false, "dezember": false,
            "monat": "September 2018", "ist": "16,27 %", "ziel": "16,31 %",
            "betrag": "0,04 Prozentpunkte", "lage": "darunter", "zeile": "bezug", "art": "k2" });
        for teil in ["titel", "achse"] {
            let mut c = d.clone();
            c["teil"] = json!(teil);
            every_value(&texte, "diagramm.txt.j2", &c, "art", &arten);
        }
        let mut c = d.clone();
        c["teil"] = json!("reihe");
        every_value(
            &texte,
            "diagramm.txt.j2",
            &c,
            "rolle",
            &["ist", "vorjahr", "ziel"],
        );
        c["teil"] = json!("abstand");
        every_value(&texte, "diagramm.txt.j2", &c, "zeile", &["kopf", "bezug"]);
        every_value(
            &texte,
            "diagramm.txt.j2",
            &c,
            "lage",
            &["darueber", "darunter", "gleich"],
        );

        let b = json!({ "kurz": "Integrationen", "subjekt": "Der Anteil", "verb": "liegt",
            "einheit": "Integrationen", "rest_monate": "von Oktober bis Dezember", "monate": 3,
            "jahres_soll": "3.787", "monat": "September", "erreicht": false, "rest": "854",
            "je_monat": "285", "vorjahr_je_monat": "279", "aktuell": "6.863", "spielraum": "551",
            "darueber": false, "richtung": "anstieg", "vorjahr_richtung": "abbau",
            "vorjahr_rest": "2", "lage": "darueber", "betrag": "0,3", "prozent": true,
            "soll_wert": "43,0 %", "hoeher_besser": true, "name": "Ia", "anzahl": 3,
            "guenstiger": ["a"], "unguenstiger": ["b"], "gleich": ["c"], "dativ": "die Zahl",
            "vergleich": "dem Vorjahreswert", "art": "noch" });
        every_value(
            &texte,
            "bewertung.txt.j2",
            &b,
            "art",
            &[
                "noch",
                "mittel",
                "dezember",
                "spielraum",
                "vergleichstyp",
                "fehlt",
            ],
        );
        let mut c = b.clone();
        c["art"] = json!("dezember");
        every_value(
            &texte,
            "bewertung.txt.j2",
            &c,
            "richtung",
            &["abbau", "anstieg"],
        );
        every_value(
            &texte,
            "bewertung.txt.j2",
            &c,
            "vorjahr_richtung",
            &["abbau", "anstieg", "gleich"],
        );
        c["art"] = json!("spielraum");
        every_value(
            &texte,
            "bewertung.txt.j2",
            &c,
            "lage",
            &["darueber", "darunter", "gleich"],
        );

        let p = json!({ "kennzahl": "int", "einheit": "Integrationen", "hoeher_besser": true,
            "jahr": 2018, "dezember": false, "rest_monate": "Okt.–Dez.", "soll_wert": "2.933",
            "jahres_soll": "3.787", "bisher": "2.933", "rest": "854", "rest_richtung": "",
            "vorjahr_rest": "836", "vorjahr_richtung": "abbau", "erreicht": false,
            "abstand": null, "vorlaeufig": false, "art": "summe" });
        let pfad_arten = ["summe", "quote", "mittel", "dezember", "sonst"];
        every_value(&texte, "pfad.txt.j2", &p, "art", &pfad_arten);
        let mut c = p.clone();
        c["dezember"] = json!(true);
        every_value(&texte, "pfad.txt.j2", &c, "art", &pfad_arten);
        for art in ["summe", "quote"] {
            let mut c = p.clone();
            c["art"] = json!(art);
            every_value(
                &texte,
                "pfad.txt.j2",
                &c,
                "rest_richtung",
                &["erreicht", "noch"],
            );
        }
        let mut c = p.clone();
        c["art"] = json!("dezember");
        c["rest_richtung"] = json!("abbau");
        every_value(
            &texte,
            "pfad.txt.j2",
            &c,
            "rest_richtung",
            &["abbau", "anstieg"],
        );
        every_value(
            &texte,
            "pfad.txt.j2",
            &c,
            "vorjahr_richtung",
            &["abbau", "anstieg", "gleich"],
        );

        for (kennzahl, hoeher_besser) in [
            ("int", true),
            ("k2", true),
            ("k3", false),
            ("k3e1", true),
            ("lzb_je", false),
            ("bedarfsdeckend", true),
            ("bg", false),
        ] {
            let z = json!({ "kennzahl": kennzahl, "bezeichnung": "X", "hoeher_besser": hoeher_besser,
                "soll": "+2,1 %", "soll_betrag": "2,1 %", "vorjahr_dezember": "Dezember 2017" });
            every_value(
                &texte,
                "ziel.txt.j2",
                &z,
                "soll_richtung",
                &["plus", "minus"],
            );
        }

        let k = json!({ "zahl": "3", "einheit": "personen", "eins": false, "vorsprung": false,
            "nummer": "I", "teil": "bericht", "jahr": 2018, "dezember": false,
            "zeitraum": "Januar bis September 2018" });
        let mut c = k.clone();
        c["art"] = json!("abstand");
        every_value(
            &texte,
            "kurztexte.txt.j2",
            &c,
            "einheit",
            &["prozentpunkte", "integrationen", "personen"],
        );
        c["art"] = json!("abschnitt");
        every_value(
            &texte,
            "kurztexte.txt.j2",
            &c,
            "nummer",
            &["I", "II", "III"],
        );
        c["art"] = json!("titel");
        every_value(
            &texte,
            "kurztexte.txt.j2",
            &c,
            "teil",
            &["bericht", "untertitel", "praefix", "quelle"],
        );

        let f = json!({ "art": "ohne", "name": "Ia", "ohne": "Kreis Borken" });
        every_value(
            &texte,
            "fussnote.txt.j2",
            &f,
            "gruppe",
            &["jobcenter", "vergleichstyp", "land"],
        );
        let g = json!({ "frauen": "20,78 %", "maenner": "29,52 %", "abstand": "8,74",
            "frauen_niedriger": true, "abstand_vorjahr": "8,44" });
        every_value(
            &texte,
            "geschlecht.txt.j2",
            &g,
            "entwicklung",
            &["vergrößert", "verringert", "unverändert"],
        );

        // The overview: its status words and legend parts, before and in December.
        let statuses = [
            "erreicht",
            "knapp_verfehlt",
            "verfehlt",
            "keine_daten",
            "kein_ziel",
        ];
        for dezember in [false, true] {
            let u = json!({ "art": "status_wort", "dezember": dezember, "toleranz": "1,0",
                "zeitraum": "Jan.–Sept. 2018", "vorjahr_zeitraum": "Jan.–Sept. 2017",
                "abweichend": [], "weitere": true, "seite": 3 });
            every_value(&texte, "uebersicht.txt.j2", &u, "status", &statuses);
            let mut c = u.clone();
            c["art"] = json!("legende");
            c["teil"] = json!("status");
            every_value(&texte, "uebersicht.txt.j2", &c, "status", &statuses);
            c["status"] = json!("verfehlt");
            every_value(
                &texte,
                "uebersicht.txt.j2",
                &c,
                "teil",
                &["vergleich", "status", "regeln", "gliederung", "kurz"],
            );
        }
    }
}
