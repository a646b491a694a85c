//! The Kennzahlen in words: `templates/texte/kennzahlen.toml`, one table per code of the
//! table of Kennzahlen ([`crate::domain::Kennzahl`] keeps formula, direction, columns and
//! section; the German names, subjects, units, period labels and glossary texts stand in
//! this file). Reports, the overview, `kennzahlen.xlsx`, the agreements, the invitations
//! and `diff` all read the names from here.
//!
//! With `--templates DIR`, `DIR/texte/kennzahlen.toml` replaces the built-in file and must
//! be as complete: a syntax error, a missing or unknown key, a missing or unknown table is
//! an input error naming the file and the line.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use minijinja::Environment;
use serde::Deserialize;

use crate::domain::{Berichtsmonat, Kennzahl, Status};
use crate::error::{Error, InputError};
use crate::format;

pub const FILE: &str = "kennzahlen.toml";

const BUILTIN: &str = include_str!("../../templates/texte/kennzahlen.toml");

/// The table of the glossary entry shared by the figures by sex.
const GROUP: &str = "frauen_und_maenner";

/// The table of the status words.
const STATUS: &str = "status";

/// The German words of one Kennzahl (see the head of `kennzahlen.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Namen {
    pub bezeichnung: String,
    pub kurz: String,
    pub tabelle: String,
    pub subjekt: String,
    pub dativ: String,
    pub einheit: String,
    /// The verb of the Bewertung ("liegt").
    pub verb: String,
    /// What the Bewertung compares with ("dem Vorjahreswert"); a minijinja template like
    /// `zeitraum`.
    pub vergleich: String,
    /// A minijinja template; see [`Kennzahlnamen::zeitraum`].
    pub zeitraum: String,
    pub definition: String,
    pub titel_vereinbarung: String,
    pub subjekt_vereinbarung: String,
}

/// A glossary entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eintrag {
    pub begriff: String,
    pub definition: String,
}

/// The words of one status.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statuswort {
    /// In December (the annual outcome): "nicht erreicht".
    pub dezember: String,
    /// Before December (the course of the year): "nicht auf Kurs".
    pub unterjaehrig: String,
    /// In `kennzahlen.xlsx`: "verfehlt".
    pub tabelle: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Statuswoerter {
    erreicht: Statuswort,
    knapp_verfehlt: Statuswort,
    verfehlt: Statuswort,
    keine_daten: Statuswort,
    kein_ziel: Statuswort,
}

/// The loaded file.
#[derive(Clone)]
pub struct Kennzahlnamen {
    /// In the order of [`Kennzahl::ALL`].
    namen: Vec<Namen>,
    /// The glossary entry of the figures by sex.
    pub frauen_und_maenner: Eintrag,
    status: Statuswoerter,
    /// The `zeitraum` and `vergleich` templates, named `code.field`.
    zeitraum: Environment<'static>,
    /// The file as messages name it.
    shown: String,
}

static BUILTIN_NAMEN: LazyLock<Kennzahlnamen> = LazyLock::new(|| {
    Kennzahlnamen::parse(BUILTIN, "templates/texte/kennzahlen.toml", Path::new(FILE))
        .unwrap_or_else(|e| panic!("the built-in kennzahlen.toml is complete: {e}"))
});

impl Kennzahlnamen {
    /// The built-in file (for commands without `--templates`).
    pub fn builtin() -> &'static Self {
        &BUILTIN_NAMEN
    }

    /// `DIR/texte/kennzahlen.toml` of `--templates DIR` when it exists, else the built-in
    /// file.
    pub fn load(dir: Option<&Path>) -> Result<Self, Error> {
        let Some(path) = dir
            .map(|d| d.join("texte").join(FILE))
            .filter(|p| p.exists())
        else {
            return Ok(Self::builtin().clone());
        };
        let text = crate::load::csv::read_text(&path);
        Self::from_text(&path, text)
    }

    /// [`Kennzahlnamen::load`] from the template folder as the command read it once.
    pub fn from_folder(folder: Option<&super::folder::TemplateFolder>) -> Result<Self, Error> {
        match folder.and_then(|f| f.text("texte", FILE)) {
            Some((path, text)) => Self::from_text(&path, text),
            None => Ok(Self::builtin().clone()),
        }
    }

    /// The file at `path` as read (or why it could not be).
    fn from_text(path: &Path, text: Result<String, String>) -> Result<Self, Error> {
        let text = text.map_err(|e| {
            Error::Input(vec![InputError::file(
                path,
                format!("kann nicht gelesen werden: {e}"),
            )])
        })?;
        Self::parse(&text, &path.display().to_string(), path)
    }

    /// Parses the text of the file; `path` is named in errors.
    fn parse(text: &str, shown: &str, path: &Path) -> Result<Self, Error> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let raw: toml::Table = toml::from_str(text).map_err(|e: toml::de::Error| {
            let message = crate::messages::toml_message(e.message());
            Error::Input(vec![match e.span() {
                Some(span) => InputError::at(path, line_of(span.start), message),
                None => InputError::file(path, message),
            }])
        })?;
        let mut errors = Vec::new();
        let mut found: BTreeMap<Kennzahl, Namen> = BTreeMap::new();
        let mut seen = Vec::new();
        let mut group = None;
        let mut status = None;
        let mut zeitraum = Environment::new();
        zeitraum.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        super::limit(&mut zeitraum);
        // The line of a table's header (`[int]`, `[status.erreicht]`), else the first.
        let header_line = |key: &str| {
            text.lines()
                .position(|l| {
                    let l = l.trim_start();
                    l.starts_with(&format!("[{key}]")) || l.starts_with(&format!("[{key}."))
                })
                .map_or(1, |i| i + 1)
        };
        for (key, value) in raw {
            let line = header_line(&key);
            // A control character (BEL, ESC, …) would pass here and fail the PDF export
            // of every document later; line feeds and tabs are what TOML text may hold.
            // A text of megabytes would be set into every report (a 5 MB `kurz` took 22 s).
            for (field, problem) in unfit_texts("", &value) {
                errors.push(InputError::at(
                    path,
                    line,
                    format!("[{key}] {field}: {problem}"),
                ));
            }
            if key == GROUP {
                match Eintrag::deserialize(value) {
                    Ok(e) => group = Some(e),
                    Err(e) => errors.push(InputError::at(
                        path,
                        line,
                        format!("[{key}]: {}", e.message().trim()),
                    )),
                }
                continue;
            }
            if key == STATUS {
                match Statuswoerter::deserialize(value) {
                    Ok(s) => status = Some(s),
                    Err(e) => errors.push(InputError::at(
                        path,
                        line,
                        format!("[{key}]: {}", e.message().trim()),
                    )),
                }
                continue;
            }
            let Some(k) = Kennzahl::ALL.into_iter().find(|k| k.code() == key) else {
                errors.push(InputError::at(
                    path,
                    line,
                    format!("unbekannte Tabelle [{key}], erwartet wird ein Kürzel der Tabelle der Kennzahlen, [{GROUP}] oder [{STATUS}.…]"),
                ));
                continue;
            };
            seen.push(k);
            match Namen::deserialize(value) {
                Ok(n) => {
                    for (field, source) in [("zeitraum", &n.zeitraum), ("vergleich", &n.vergleich)]
                    {
                        let name = format!("{key}.{field}");
                        if let Err(e) = zeitraum
                            .add_template_owned(name.clone(), source.clone())
                            .and_then(|()| zeitraum.get_template(&name)?.render(sample()).map(drop))
                        {
                            errors.push(InputError::at(
                                path,
                                line,
                                format!("[{key}] {field}: {e}"),
                            ));
                        }
                    }
                    found.insert(k, n);
                }
                Err(e) => errors.push(InputError::at(
                    path,
                    line,
                    format!("[{key}]: {}", e.message().trim()),
                )),
            }
        }
        for k in Kennzahl::ALL {
            if !seen.contains(&k) {
                errors.push(InputError::file(
                    path,
                    format!(
                        "es fehlt die Tabelle [{}] (jedes Kürzel der Tabelle der Kennzahlen braucht eine)",
                        k.code()
                    ),
                ));
            }
        }
        if group.is_none()
            && !errors
                .iter()
                .any(|e| e.message.starts_with(&format!("[{GROUP}]")))
        {
            errors.push(InputError::file(
                path,
                format!("es fehlt die Tabelle [{GROUP}]"),
            ));
        }
        if status.is_none()
            && !errors
                .iter()
                .any(|e| e.message.starts_with(&format!("[{STATUS}]")))
        {
            errors.push(InputError::file(
                path,
                format!("es fehlen die Tabellen [{STATUS}.…]"),
            ));
        }
        match (group, status) {
            (Some(frauen_und_maenner), Some(status)) if errors.is_empty() => Ok(Self {
                namen: Kennzahl::ALL
                    .into_iter()
                    .filter_map(|k| found.remove(&k))
                    .collect(),
                frauen_und_maenner,
                status,
                zeitraum,
                shown: shown.to_string(),
            }),
            _ => Err(Error::Input(errors)),
        }
    }

    /// The words of `k`.
    pub fn get(&self, k: Kennzahl) -> &Namen {
        let i = Kennzahl::ALL.iter().position(|x| *x == k).unwrap_or(0);
        &self.namen[i]
    }

    /// The German name of `k` as reports, invitations and `diff` print it.
    pub fn bezeichnung(&self, k: Kennzahl) -> &str {
        &self.get(k).bezeichnung
    }

    /// The words of a status.
    pub fn status(&self, status: Status) -> &Statuswort {
        let s = &self.status;
        match status {
            Status::Erreicht => &s.erreicht,
            Status::KnappVerfehlt => &s.knapp_verfehlt,
            Status::Verfehlt => &s.verfehlt,
            Status::KeineDaten => &s.keine_daten,
            Status::KeinZiel => &s.kein_ziel,
        }
    }

    /// A status as a report words it: the annual outcome in December ("nicht erreicht"),
    /// the course of the year before ("nicht auf Kurs").
    pub fn status_text(&self, status: Status, december: bool) -> &str {
        let w = self.status(status);
        if december {
            &w.dezember
        } else {
            &w.unterjaehrig
        }
    }

    /// The period a figure's value refers to, short ("Summe Jan.–Sept."): the `zeitraum`
    /// template with `jfw` (the Jahresfortschritt, "Jan.–Sept." or "Jan."), `monat`
    /// ("Sept.") and `vorjahr` (2017).
    pub fn zeitraum(&self, k: Kennzahl, bm: Berichtsmonat) -> Result<String, String> {
        self.period_text(k, "zeitraum", bm)
    }

    /// What the Bewertung compares the value with ("dem Vorjahreswert", "dem Bestand im
    /// Dezember 2017"): the `vergleich` template, with the context of `zeitraum`.
    pub fn vergleich(&self, k: Kennzahl, bm: Berichtsmonat) -> Result<String, String> {
        self.period_text(k, "vergleich", bm)
    }

    fn period_text(&self, k: Kennzahl, field: &str, bm: Berichtsmonat) -> Result<String, String> {
        self.zeitraum
            .get_template(&format!("{}.{field}", k.code()))
            .and_then(|t| t.render(period(bm)))
            .map_err(|e| format!("{} [{}] {field}: {e}", self.shown, k.code()))
    }
}

/// The longest text a field may hold, in characters (the built-in ones stay below 300).
const MAX_TEXT: usize = 2_000;

/// Every string in `value` (named by its dotted key below `prefix`) that holds a control
/// character other than a line feed or a tab, or more than [`MAX_TEXT`] characters, with
/// what was expected.
fn unfit_texts(prefix: &str, value: &toml::Value) -> Vec<(String, String)> {
    match value {
        toml::Value::String(text) => {
            let control = text
                .chars()
                .find(|&c| c.is_control() && c != '\n' && c != '\t');
            let length = text.chars().count();
            let problem = if let Some(c) = control {
                Some(format!(
                    "erwartet wird druckbarer Text, gefunden wurde das Steuerzeichen U+{:04X}",
                    u32::from(c)
                ))
            } else if length > MAX_TEXT {
                Some(format!(
                    "erwartet wird ein Text von höchstens {MAX_TEXT} Zeichen, gefunden wurden {length}"
                ))
            } else {
                None
            };
            problem
                .map(|p| (prefix.to_string(), p))
                .into_iter()
                .collect()
        }
        toml::Value::Table(table) => table
            .iter()
            .flat_map(|(k, v)| {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                unfit_texts(&name, v)
            })
            .collect(),
        toml::Value::Array(items) => items.iter().flat_map(|v| unfit_texts(prefix, v)).collect(),
        _ => Vec::new(),
    }
}

fn period(bm: Berichtsmonat) -> minijinja::Value {
    let m = format::MONTHS_SHORT[bm.month as usize - 1];
    let jfw = if bm.month == 1 {
        "Jan.".to_string()
    } else {
        format!("Jan.–{m}")
    };
    minijinja::context! { jfw => jfw, monat => m, vorjahr => bm.year - 1 }
}

/// The context a `zeitraum` template is checked with when the file is read.
fn sample() -> minijinja::Value {
    period(Berichtsmonat {
        year: 2018,
        month: 9,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_complete_and_periods_render() {
        let n = Kennzahlnamen::builtin();
        assert_eq!(n.bezeichnung(Kennzahl::K2), "Integrationsquote (K2)");
        let bm = Berichtsmonat {
            year: 2018,
            month: 9,
        };
        assert_eq!(n.zeitraum(Kennzahl::Int, bm).unwrap(), "Summe Jan.–Sept.");
        assert_eq!(
            n.zeitraum(Kennzahl::Llu, bm).unwrap(),
            "Summe Jan.–Sept., Mio.\u{202F}€"
        );
        assert_eq!(
            n.zeitraum(
                Kennzahl::LzbJe,
                Berichtsmonat {
                    year: 2018,
                    month: 1
                }
            )
            .unwrap(),
            "Bestand Jan. ggü. Dez. 2017"
        );
        assert_eq!(
            n.zeitraum(
                Kennzahl::Nachhaltigkeit,
                Berichtsmonat {
                    year: 2018,
                    month: 1
                }
            )
            .unwrap(),
            "Anteil Jan. 2017"
        );
    }

    fn errors(text: &str) -> Vec<String> {
        match Kennzahlnamen::parse(text, "x.toml", Path::new("x.toml")) {
            Err(Error::Input(list)) => list.iter().map(ToString::to_string).collect(),
            Err(e) => vec![format!("other: {e}")],
            Ok(_) => Vec::new(),
        }
    }

    #[test]
    fn incomplete_or_broken_files_name_line_and_key() {
        // Drop the key `kurz` of [k2]: its table header is the line named.
        let k2_line = BUILTIN.lines().position(|l| l == "[k2]").unwrap() + 1;
        let mut text = String::new();
        for (i, l) in BUILTIN.lines().enumerate() {
            if !(l.starts_with("kurz =") && i + 1 == k2_line + 2) {
                text.push_str(l);
                text.push('\n');
            }
        }
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(&format!("x.toml:{k2_line}: [k2]:")),
            "{e:?}"
        );
        assert!(e[0].contains("kurz"), "{e:?}");

        // A table left out entirely, and a typo'd one.
        let text = BUILTIN.replace("[k3e1]\n", "[k3e2]\n");
        let e = errors(&text);
        assert!(
            e.iter().any(|m| m.contains("unbekannte Tabelle [k3e2]")),
            "{e:?}"
        );
        assert!(e.iter().any(|m| m == "x.toml: es fehlt die Tabelle [k3e1] (jedes Kürzel der Tabelle der Kennzahlen braucht eine)"), "{e:?}");

        // A syntax error on line 3.
        let e = errors("[int]\nbezeichnung = \"a\"\nkurz = \n");
        assert!(e[0].starts_with("x.toml:3: "), "{e:?}");

        // A broken zeitraum template.
        let text = BUILTIN.replace("Quote {{ jfw }}\"", "Quote {{ jfw \"");
        let e = errors(&text);
        assert!(e.iter().any(|m| m.contains("[k2] zeitraum")), "{e:?}");

        // Regression (hostile test): a BEL in `kurz` passed and failed the PDF export of
        // the overview later (exit 1); it is an input error at the table's line.
        let int_line = BUILTIN.lines().position(|l| l == "[int]").unwrap() + 1;
        let text = BUILTIN.replacen(
            "kurz = \"Integrationen\"",
            "kurz = \"Integ\\u0007rationen\"",
            1,
        );
        let e = errors(&text);
        assert_eq!(
            e,
            [format!(
                "x.toml:{int_line}: [int] kurz: erwartet wird druckbarer Text, gefunden wurde das Steuerzeichen U+0007"
            )],
        );
        let status_line = BUILTIN
            .lines()
            .position(|l| l == "[status.erreicht]")
            .unwrap()
            + 1;
        let text = BUILTIN.replacen(
            "dezember = \"erreicht\"",
            "dezember = \"err\\u001Breicht\"",
            1,
        );
        assert_eq!(
            errors(&text),
            [format!(
                "x.toml:{status_line}: [status] erreicht.dezember: erwartet wird druckbarer Text, gefunden wurde das Steuerzeichen U+001B"
            )],
        );

        // Regression (hostile test): a `kurz` of 5 MB was accepted and took 22 s to set
        // into every report. 2,000 characters pass, 2,001 are an input error.
        for (n, ok) in [(2_000, true), (2_001, false)] {
            let text = BUILTIN.replacen(
                "kurz = \"Integrationen\"",
                &format!("kurz = \"{}\"", "x".repeat(n)),
                1,
            );
            let e = errors(&text);
            if ok {
                assert!(e.is_empty(), "{e:?}");
            } else {
                assert_eq!(
                    e,
                    [format!(
                        "x.toml:{int_line}: [int] kurz: erwartet wird ein Text von höchstens 2000 Zeichen, gefunden wurden 2001"
                    )],
                );
            }
        }
    }
}
