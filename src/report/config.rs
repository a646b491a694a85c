//! `bericht.toml` in the data folder (optional): who issues the reports and what they say
//! about their source. Unknown keys and wrong types are input errors naming the file and
//! the line.
//!
//! ```toml
//! quelle = "Quelle: Statistik der Bundesagentur für Arbeit; eigene Berechnungen"
//! banner = "Beispieldaten – keine amtlichen Zahlen"
//!
//! [herausgeber]
//! name = "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen"
//! referat = "Referat II 3"
//! kontakt = "zielsteuerung@mags.nrw.example"
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, InputError};

/// The file name in the data folder.
pub const FILE: &str = "bericht.toml";

/// The default source note.
pub const QUELLE: &str = "Quelle: Statistik der Bundesagentur für Arbeit; eigene Berechnungen";

/// The issuer of the reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Herausgeber {
    pub name: String,
    pub referat: Option<String>,
    pub kontakt: Option<String>,
}

/// The settings of `bericht.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bericht {
    pub herausgeber: Option<Herausgeber>,
    #[serde(default = "default_quelle")]
    pub quelle: String,
    /// A line printed across the top of every report and the overview.
    pub banner: Option<String>,
}

fn default_quelle() -> String {
    QUELLE.to_string()
}

impl Default for Bericht {
    fn default() -> Self {
        Self {
            herausgeber: None,
            quelle: default_quelle(),
            banner: None,
        }
    }
}

impl Bericht {
    /// Reads `bericht.toml` from `data_dir`; the defaults when there is none.
    pub fn load(data_dir: &Path) -> Result<Self, Error> {
        let path = data_dir.join(FILE);
        if !path.exists() {
            return Ok(Self::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
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
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            (line, e.message().to_string())
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
            "banner = \"Beispieldaten\"\n[herausgeber]\nname = \"MAGS NRW\"\nreferat = \"II 3\"\n",
        )
        .unwrap();
        assert_eq!(b.banner.as_deref(), Some("Beispieldaten"));
        assert_eq!(b.quelle, QUELLE);
        assert_eq!(b.herausgeber.unwrap().referat.as_deref(), Some("II 3"));
        // An unknown key on line 3.
        let (line, message) = Bericht::parse("quelle = \"x\"\n\nfarbe = \"rot\"\n").unwrap_err();
        assert_eq!(line, Some(3));
        assert!(message.contains("farbe"), "{message}");
        // A wrong type on line 2.
        let (line, _) = Bericht::parse("[herausgeber]\nname = 5\n").unwrap_err();
        assert_eq!(line, Some(2));
    }
}
