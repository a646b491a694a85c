//! The reports' part of `bericht.toml` in the data folder (optional), the file the
//! target agreements (`zielbericht vereinbarung`) read too: the issuer is the
//! `[ministerium]` `name` shared with them, the rest stands in `[bericht]`. The
//! `[vereinbarung]` section belongs to the agreements and is not read here. Unknown keys
//! and wrong types in `[bericht]` are input errors naming the file and the line.
//!
//! ```toml
//! [ministerium]
//! name = "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen"
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

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, InputError};

/// The file name in the data folder.
pub const FILE: &str = "bericht.toml";

/// The issuer of the reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Herausgeber {
    pub name: String,
    pub referat: Option<String>,
    pub kontakt: Option<String>,
}

/// What the reports take from `bericht.toml`.
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

/// The file as the reports read it: their own section strictly, the others as tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    ministerium: Option<RawMinisterium>,
    /// The target agreements' section (`zielbericht vereinbarung` checks it).
    #[allow(dead_code)]
    vereinbarung: Option<toml::Table>,
    bericht: Option<RawBericht>,
}

#[derive(Deserialize)]
struct RawMinisterium {
    name: Option<String>,
}

#[derive(Deserialize)]
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

impl Bericht {
    /// Reads `bericht.toml` from `data_dir`; the defaults when there is none.
    pub fn load(data_dir: &Path) -> Result<Self, Error> {
        let path = data_dir.join(FILE);
        if !path.exists() {
            return Ok(Self::default());
        }
        let text = crate::load::csv::read_text(&path).map_err(|e| {
            Error::Input(vec![InputError::file(&path, format!("cannot read: {e}"))])
        })?;
        Self::parse(&text).map_err(|(line, message)| {
            Error::Input(vec![match line {
                Some(line) => InputError::at(&path, line, message),
                None => InputError::file(&path, message),
            }])
        })
    }

    /// Parses the text of `bericht.toml`; an error carries its line (1-based).
    pub fn parse(text: &str) -> Result<Self, (Option<usize>, String)> {
        let raw: Raw = toml::from_str(text).map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            (line, e.message().to_string())
        })?;
        let name = raw.ministerium.and_then(|m| m.name);
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let b = raw.bericht;
        let (referat, kontakt, quelle, banner, absender, unterzeichner, telefon) = match b {
            Some(b) => (
                b.referat,
                b.kontakt,
                b.quelle,
                b.banner,
                clean(b.absender),
                clean(b.unterzeichner),
                clean(b.telefon),
            ),
            None => (None, None, None, None, None, None, None),
        };
        let herausgeber = match (name, &referat, &kontakt) {
            (None, None, None) => None,
            (name, _, _) => Some(Herausgeber {
                name: name.unwrap_or_default(),
                referat,
                kontakt,
            }),
        };
        Ok(Self {
            herausgeber,
            quelle,
            banner,
            absender,
            unterzeichner,
            telefon,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_values_and_errors_with_lines() {
        assert_eq!(Bericht::parse("").unwrap(), Bericht::default());
        let b = Bericht::parse(
            "[ministerium]\nname = \"MAGS NRW\"\nort = \"Düsseldorf\"\n[vereinbarung]\nschwerpunkte = \"x\"\n[bericht]\nbanner = \"Beispieldaten\"\nreferat = \"II 3\"\n",
        )
        .unwrap();
        assert_eq!(b.banner.as_deref(), Some("Beispieldaten"));
        assert_eq!(b.quelle, None);
        let h = b.herausgeber.unwrap();
        assert_eq!(
            (h.name.as_str(), h.referat.as_deref()),
            ("MAGS NRW", Some("II 3"))
        );
        // The invitations' sender; blank values count as absent.
        let b = Bericht::parse(
            "[bericht]\nabsender = \"ZS <zs@mags.example>\"\nunterzeichner = \"  \"\ntelefon = \"0211 1\"\n",
        )
        .unwrap();
        assert_eq!(b.absender.as_deref(), Some("ZS <zs@mags.example>"));
        assert_eq!(b.unterzeichner, None);
        assert_eq!(b.telefon.as_deref(), Some("0211 1"));
        // An unknown key on line 4.
        let (line, message) =
            Bericht::parse("[bericht]\nquelle = \"x\"\n\nfarbe = \"rot\"\n").unwrap_err();
        assert_eq!(line, Some(4));
        assert!(message.contains("farbe"), "{message}");
        // A wrong type on line 2.
        let (line, _) = Bericht::parse("[bericht]\nbanner = 5\n").unwrap_err();
        assert_eq!(line, Some(2));
    }
}
