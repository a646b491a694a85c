//! `bericht.toml`, read once per command, strictly, for every document: the reports'
//! issuer, source note and banner and the invitations' sender (`[bericht]`, with the
//! `[ministerium]` name as issuer), and the target agreements' parties and texts
//! (`[ministerium]`, `[vereinbarung]`, `[vereinbarung.traeger."ID"]`). By default
//! `DATA/bericht.toml` (optional); `vereinbarung --config FILE` replaces it. The file read
//! joins the data folder's inputs (manifest, the archive's `eingaben/`), and `check`
//! validates it with the data.
//!
//! ```toml
//! [ministerium]
//! name = "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen"
//! kurz = "MAGS NRW"                     # short name in the running text
//! anrede = "Herrn"                      # „vertreten durch Herrn Staatssekretär …“
//! vertreten_durch = "Staatssekretär Dr. Edmund Heller"
//! unterzeichner = "Dr. Edmund Heller"   # under the signature line (default: vertreten_durch)
//! ort = "Düsseldorf"
//! datum = "2018-02-22"                  # the ministry's signing date
//!
//! [vereinbarung]
//! entwurf = false         # the final copy: no draft mark (default true)
//! schwerpunkte = "…"      # optional, paragraphs separated by a blank line
//! besonderheiten = "…"    # optional
//! datum = "2019-01-15"    # optional; the date of both parties unless they have their own
//!
//! [vereinbarung.traeger."*"]           # defaults for every Träger
//! anrede = "den"
//!
//! [vereinbarung.traeger."05554"]       # one Träger (Kreisschlüssel); overrides "*"
//! anrede = "Herrn"
//! vertreten_durch = "Landrat Dr. Kai Zwicker"   # default: jobcenter.csv vertreten_durch
//! unterzeichner = "Dr. Kai Zwicker"
//! ort = "Borken"
//! datum = "2018-01-29"
//! genitiv = "des Kreises Borken"       # default: from the name („Kreis X“, „Stadt X“, „…kreis“)
//!
//! [bericht]
//! referat = "Referat II 3"
//! kontakt = "zielsteuerung@mags.nrw.example"
//! quelle = "Quelle: Statistik der Bundesagentur für Arbeit; eigene Berechnungen"
//! banner = "Beispieldaten – keine amtlichen Zahlen"
//! # The invitations (`zielbericht invite`): their From, and who signs them.
//! absender = "Zielsteuerung SGB II <zielsteuerung@mags.nrw.example>"
//! unterzeichner = "Referatsleitung"
//! telefon = "0211 000000"
//! ```
//!
//! Every key is optional; a missing value leaves a line to be filled in by hand. Unknown
//! keys and values of the wrong type are input errors naming the file and line (from the
//! span `toml` reports), so a misspelt `vertreten_durh` never silently drops a signatory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::InputFile;
use crate::error::InputError;

/// The default file name, looked up in the data folder.
pub const FILE: &str = "bericht.toml";

/// Everything `bericht.toml` says: the reports' view and the agreements' view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub bericht: Bericht,
    pub vereinbarung: Config,
}

/// The issuer of the reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Herausgeber {
    pub name: String,
    pub referat: Option<String>,
    pub kontakt: Option<String>,
}

/// What the reports and the invitations take from `bericht.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bericht {
    pub herausgeber: Option<Herausgeber>,
    /// The source note; `None` takes the default of `templates/texte/kurztexte.txt.j2`.
    pub quelle: Option<String>,
    /// A line printed across the top of every report and the overview.
    pub banner: Option<String>,
    /// The invitations' From address (`Name <addr>` or `addr`); `--from` overrides it.
    pub absender: Option<String>,
    /// Who signs the invitations (a name or an office).
    pub unterzeichner: Option<String>,
    /// The telephone number in the invitations' signature.
    pub telefon: Option<String>,
}

/// What the target agreements take from `bericht.toml` (every field optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub ministerium: Ministerium,
    /// A draft for the negotiation rounds (the default) or the final copy to sign.
    pub entwurf: bool,
    /// The Land's common priorities for the year (preamble), free text.
    pub schwerpunkte: Option<String>,
    /// The year's particular circumstances (Section 2), free text.
    pub besonderheiten: Option<String>,
    /// The date of both parties unless they have their own; `None` leaves it blank.
    pub datum: Option<NaiveDate>,
    /// The Träger's details by Kreisschlüssel; `*` holds the defaults for every Träger.
    pub traeger: BTreeMap<String, Traeger>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            ministerium: Ministerium::default(),
            entwurf: true,
            schwerpunkte: None,
            besonderheiten: None,
            datum: None,
            traeger: BTreeMap::new(),
        }
    }
}

/// The Land's party.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ministerium {
    pub name: Option<String>,
    /// A short name for the running text (`MAGS NRW`).
    pub kurz: Option<String>,
    /// The article or form of address before `vertreten_durch` (`Herrn`, `Frau`, `den`).
    pub anrede: Option<String>,
    pub vertreten_durch: Option<String>,
    /// The person's name under the signature line.
    pub unterzeichner: Option<String>,
    pub ort: Option<String>,
    pub datum: Option<NaiveDate>,
}

/// One Träger's details (or the `*` defaults); each overrides the `*` value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traeger {
    pub anrede: Option<String>,
    /// Overrides `vertreten_durch` of `jobcenter.csv`.
    pub vertreten_durch: Option<String>,
    pub unterzeichner: Option<String>,
    pub ort: Option<String>,
    pub datum: Option<NaiveDate>,
    /// The Träger's name in the genitive with its article (`des Kreises Borken`).
    pub genitiv: Option<String>,
}

impl Config {
    /// The details of the Träger `id`: its own keys, else those of `*`.
    pub fn traeger(&self, id: &str) -> Traeger {
        let own = self.traeger.get(id).cloned().unwrap_or_default();
        let all = self.traeger.get("*").cloned().unwrap_or_default();
        Traeger {
            anrede: own.anrede.or(all.anrede),
            vertreten_durch: own.vertreten_durch.or(all.vertreten_durch),
            unterzeichner: own.unterzeichner.or(all.unterzeichner),
            ort: own.ort.or(all.ort),
            datum: own.datum.or(all.datum),
            genitiv: own.genitiv.or(all.genitiv),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMinisterium {
    name: Option<String>,
    kurz: Option<String>,
    anrede: Option<String>,
    vertreten_durch: Option<String>,
    unterzeichner: Option<String>,
    ort: Option<String>,
    datum: Option<toml::Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTraeger {
    anrede: Option<String>,
    vertreten_durch: Option<String>,
    unterzeichner: Option<String>,
    ort: Option<String>,
    datum: Option<toml::Spanned<String>>,
    genitiv: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    ministerium: RawMinisterium,
    #[serde(default)]
    vereinbarung: RawVereinbarung,
    bericht: Option<RawBericht>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBericht {
    referat: Option<String>,
    kontakt: Option<String>,
    quelle: Option<String>,
    banner: Option<String>,
    absender: Option<String>,
    unterzeichner: Option<String>,
    telefon: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVereinbarung {
    entwurf: Option<bool>,
    schwerpunkte: Option<String>,
    besonderheiten: Option<String>,
    datum: Option<toml::Spanned<String>>,
    #[serde(default)]
    traeger: BTreeMap<String, RawTraeger>,
}

/// Where the configuration comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Given with `--config`: it must exist.
    Explicit(PathBuf),
    /// The default `DATA/bericht.toml`: when absent, every value is left blank.
    Default(PathBuf),
}

/// The settings and, when a file was read, that file (for the manifest).
#[derive(Debug, Default)]
pub struct Loaded {
    pub settings: Settings,
    pub file: Option<InputFile>,
}

/// Reads the configuration. A missing default file is no error (the caller warns);
/// a missing explicit file, unreadable or invalid TOML, unknown keys and wrong types are.
pub fn load(source: &Source) -> Result<Loaded, InputError> {
    let (path, explicit) = match source {
        Source::Explicit(p) => (p, true),
        Source::Default(p) => (p, false),
    };
    if std::fs::symlink_metadata(path).is_err() && !explicit {
        return Ok(Loaded::default());
    }
    // Only a regular file is read (a FIFO would block, a device never end).
    let bytes = crate::load::csv::read_file(path).map_err(|m| InputError::file(path, m))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| InputError::file(path, "erwartet wird eine UTF-8-Textdatei (TOML)"))?;
    let settings = parse(path, text)?;
    Ok(Loaded {
        settings,
        file: Some(InputFile {
            path: path.clone(),
            bytes,
        }),
    })
}

/// Parses the text of a configuration file; errors name `path` and the line.
pub fn parse(path: &Path, text: &str) -> Result<Settings, InputError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = crate::messages::toml_message(e.message());
        match e.span() {
            Some(span) => InputError::at(path, line_of(text, span.start), message),
            None => InputError::file(path, message),
        }
    })?;
    let date = |value: Option<toml::Spanned<String>>| -> Result<Option<NaiveDate>, InputError> {
        let Some(spanned) = value else {
            return Ok(None);
        };
        let value = spanned.get_ref().trim();
        if value.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                InputError::at(
                    path,
                    line_of(text, spanned.span().start),
                    format!("Schlüssel \"datum\": erwartet wird ein Datum als \"JJJJ-MM-TT\", gefunden wurde \"{value}\""),
                )
            })
    };
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let bericht = bericht(raw.ministerium.name.clone(), raw.bericht);
    let m = raw.ministerium;
    let v = raw.vereinbarung;
    let mut traeger = BTreeMap::new();
    for (id, t) in v.traeger {
        // A Kreisschlüssel as jobcenter.csv writes it (leading zeros kept) or `*`.
        let key = id.trim().to_string();
        traeger.insert(
            key,
            Traeger {
                anrede: clean(t.anrede),
                vertreten_durch: clean(t.vertreten_durch),
                unterzeichner: clean(t.unterzeichner),
                ort: clean(t.ort),
                datum: date(t.datum)?,
                genitiv: clean(t.genitiv),
            },
        );
    }
    let vereinbarung = Config {
        ministerium: Ministerium {
            name: clean(m.name),
            kurz: clean(m.kurz),
            anrede: clean(m.anrede),
            vertreten_durch: clean(m.vertreten_durch),
            unterzeichner: clean(m.unterzeichner),
            ort: clean(m.ort),
            datum: date(m.datum)?,
        },
        entwurf: v.entwurf.unwrap_or(true),
        schwerpunkte: clean(v.schwerpunkte),
        besonderheiten: clean(v.besonderheiten),
        datum: date(v.datum)?,
        traeger,
    };
    Ok(Settings {
        bericht,
        vereinbarung,
    })
}

/// The reports' view: `[bericht]` with the `[ministerium]` name as issuer. The issuer's
/// and the source's texts are taken as written; the invitations' keys trimmed, blank
/// ones absent.
fn bericht(name: Option<String>, raw: Option<RawBericht>) -> Bericht {
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let b = raw.unwrap_or_default();
    let herausgeber = match (name, &b.referat, &b.kontakt) {
        (None, None, None) => None,
        (name, _, _) => Some(Herausgeber {
            name: name.unwrap_or_default(),
            referat: b.referat.clone(),
            kontakt: b.kontakt.clone(),
        }),
    };
    Bericht {
        herausgeber,
        quelle: b.quelle,
        banner: b.banner,
        absender: clean(b.absender),
        unterzeichner: clean(b.unterzeichner),
        telefon: clean(b.telefon),
    }
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.get(..end).unwrap_or(text).matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agreement(text: &str) -> Result<Config, InputError> {
        parse(Path::new("x.toml"), text).map(|s| s.vereinbarung)
    }

    fn err(text: &str) -> String {
        parse(Path::new("data/bericht.toml"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_every_key() {
        let config = agreement(
            "[ministerium]\nname = \"MAGS NRW\"\nvertreten_durch = \"Dr. A\"\nort = \"Düsseldorf\"\n\
             [vereinbarung]\nschwerpunkte = \"\"\"\nA\n\nB\n\"\"\"\ndatum = \"2019-01-15\"\n",
        )
        .unwrap();
        assert_eq!(config.ministerium.name.as_deref(), Some("MAGS NRW"));
        assert_eq!(config.ministerium.ort.as_deref(), Some("Düsseldorf"));
        assert_eq!(config.schwerpunkte.as_deref(), Some("A\n\nB"));
        assert_eq!(config.besonderheiten, None);
        assert_eq!(config.datum, NaiveDate::from_ymd_opt(2019, 1, 15));
        assert!(config.entwurf, "a draft unless said otherwise");
        assert_eq!(agreement("").unwrap(), Config::default());
    }

    #[test]
    fn final_copy_and_traeger_defaults_and_own_keys() {
        let config = agreement(
            "[ministerium]\nanrede = \"Herrn\"\nunterzeichner = \"Dr. A\"\ndatum = \"2018-02-22\"\n\
             [vereinbarung]\nentwurf = false\n\
             [vereinbarung.traeger.\"*\"]\nanrede = \"den\"\nort = \"Kreishaus\"\n\
             [vereinbarung.traeger.\"05554\"]\nanrede = \"Herrn\"\nunterzeichner = \"Dr. Kai Zwicker\"\n\
             ort = \"Borken\"\ndatum = \"2018-01-29\"\ngenitiv = \"des Kreises Borken\"\n",
        )
        .unwrap();
        assert!(!config.entwurf);
        assert_eq!(config.ministerium.anrede.as_deref(), Some("Herrn"));
        assert_eq!(
            config.ministerium.datum,
            NaiveDate::from_ymd_opt(2018, 2, 22)
        );
        let borken = config.traeger("05554");
        assert_eq!(borken.anrede.as_deref(), Some("Herrn"));
        assert_eq!(borken.ort.as_deref(), Some("Borken"));
        assert_eq!(borken.datum, NaiveDate::from_ymd_opt(2018, 1, 29));
        assert_eq!(borken.genitiv.as_deref(), Some("des Kreises Borken"));
        let other = config.traeger("05558");
        assert_eq!(other.anrede.as_deref(), Some("den"));
        assert_eq!(other.ort.as_deref(), Some("Kreishaus"));
        assert_eq!(other.unterzeichner, None);
        let e = err("[vereinbarung.traeger.\"05554\"]\nort = \"B\"\ndatum = \"29.01.18\"\n");
        assert!(
            e.starts_with("data/bericht.toml:3: Schlüssel \"datum\""),
            "{e}"
        );
        let e = err("[vereinbarung.traeger.\"05554\"]\nvertreten = \"X\"\n");
        assert!(e.starts_with("data/bericht.toml:2: "), "{e}");
        let e = err("[vereinbarung]\nentwurf = \"nein\"\n");
        assert!(e.starts_with("data/bericht.toml:2: "), "{e}");
    }

    #[test]
    fn unknown_keys_and_wrong_types_name_the_line() {
        let e = err("[ministerium]\nname = \"M\"\nvertreten_durh = \"X\"\n");
        assert!(e.starts_with("data/bericht.toml:3: "), "{e}");
        assert!(e.contains("vertreten_durh"), "{e}");
        let e = err("[ministerium]\n\nort = 5\n");
        assert!(e.starts_with("data/bericht.toml:3: "), "{e}");
        assert!(e.contains("string"), "{e}");
        let e = err("[vereinbarung]\ndatum = \"15.01.2019\"\n");
        assert!(
            e.starts_with("data/bericht.toml:2: Schlüssel \"datum\""),
            "{e}"
        );
        let e = err("[ministerium\n");
        assert!(e.starts_with("data/bericht.toml:1: "), "{e}");
        let e = err("[sonstiges]\nx = 1\n");
        assert!(e.starts_with("data/bericht.toml:1: "), "{e}");
    }

    fn bericht(text: &str) -> Bericht {
        parse(Path::new("x.toml"), text).unwrap().bericht
    }

    #[test]
    fn the_reports_view_defaults_values_and_errors_with_lines() {
        assert_eq!(bericht(""), Bericht::default());
        let b = bericht(
            "[ministerium]\nname = \"MAGS NRW\"\nort = \"Düsseldorf\"\n[vereinbarung]\nschwerpunkte = \"x\"\n[bericht]\nbanner = \"Beispieldaten\"\nreferat = \"II 3\"\n",
        );
        assert_eq!(b.banner.as_deref(), Some("Beispieldaten"));
        assert_eq!(b.quelle, None);
        let h = b.herausgeber.unwrap();
        assert_eq!(
            (h.name.as_str(), h.referat.as_deref()),
            ("MAGS NRW", Some("II 3"))
        );
        // The invitations' sender; blank values count as absent.
        let b = bericht(
            "[bericht]\nabsender = \"ZS <zs@mags.example>\"\nunterzeichner = \"  \"\ntelefon = \"0211 1\"\n",
        );
        assert_eq!(b.absender.as_deref(), Some("ZS <zs@mags.example>"));
        assert_eq!(b.unterzeichner, None);
        assert_eq!(b.telefon.as_deref(), Some("0211 1"));
        // An unknown key on line 4, a wrong type on line 2.
        let e = err("[bericht]\nquelle = \"x\"\n\nfarbe = \"rot\"\n");
        assert!(
            e.starts_with("data/bericht.toml:4: ") && e.contains("farbe"),
            "{e}"
        );
        let e = err("[bericht]\nbanner = 5\n");
        assert!(e.starts_with("data/bericht.toml:2: "), "{e}");
    }

    /// Regression: the reports' parser read `[ministerium]` leniently, so a misspelt key
    /// there passed `run` silently.
    #[test]
    fn a_misspelt_ministerium_key_is_an_error_for_the_reports_too() {
        let e = err("[ministerium]\nname = \"M\"\nnmae = \"X\"\n[bericht]\nbanner = \"B\"\n");
        assert!(
            e.starts_with("data/bericht.toml:3: ") && e.contains("nmae"),
            "{e}"
        );
    }

    /// Every key the sample `data/bericht.toml` sets is known.
    #[test]
    fn the_sample_file_is_valid() {
        let text = include_str!("../../data/bericht.toml");
        let s = parse(Path::new("data/bericht.toml"), text).unwrap();
        assert!(s.bericht.banner.is_some() && s.vereinbarung.ministerium.kurz.is_some());
    }
}
