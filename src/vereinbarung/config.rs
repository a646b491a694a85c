//! The ministry's configuration for the target agreements: a small TOML file, by default
//! `DATA/bericht.toml`. It names the Land's party (ministry, signatory, place) and may add
//! free text: the Land's common priorities (preamble), the year's particular
//! circumstances (Section 2) and a signing date.
//!
//! ```toml
//! [ministerium]
//! name = "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen"
//! vertreten_durch = "Staatssekretär Dr. Edmund Heller"
//! ort = "Düsseldorf"
//!
//! [vereinbarung]
//! schwerpunkte = "…"      # optional, paragraphs separated by a blank line
//! besonderheiten = "…"    # optional
//! datum = "2019-01-15"    # optional; without it the date lines stay blank
//! ```
//!
//! Every key is optional; a missing value leaves a line to be filled in by hand. Unknown
//! keys and values of the wrong type are input errors naming the file and line (from the
//! span `toml` reports), so a misspelt `vertreten_durh` never silently drops a signatory.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::InputError;
use crate::load::InputFile;

/// The default file name, looked up in the data folder.
pub const FILE: &str = "bericht.toml";

/// The configuration as read (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub ministerium: Ministerium,
    /// The Land's common priorities for the year (preamble), free text.
    pub schwerpunkte: Option<String>,
    /// The year's particular circumstances (Section 2), free text.
    pub besonderheiten: Option<String>,
    /// The date the agreement is signed; `None` leaves the date lines blank.
    pub datum: Option<NaiveDate>,
}

/// The Land's party.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ministerium {
    pub name: Option<String>,
    pub vertreten_durch: Option<String>,
    pub ort: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    ministerium: Ministerium,
    #[serde(default)]
    vereinbarung: RawVereinbarung,
    /// The reports' section, read by `report::config`.
    #[serde(default)]
    #[allow(dead_code)]
    bericht: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVereinbarung {
    schwerpunkte: Option<String>,
    besonderheiten: Option<String>,
    datum: Option<toml::Spanned<String>>,
}

/// Where the configuration comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Given with `--config`: it must exist.
    Explicit(PathBuf),
    /// The default `DATA/bericht.toml`: when absent, every value is left blank.
    Default(PathBuf),
}

/// The configuration and, when a file was read, that file (for the manifest).
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
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
        return Ok(Loaded {
            config: Config::default(),
            file: None,
        });
    }
    // Only a regular file is read (a FIFO would block, a device never end).
    let bytes = crate::load::csv::read_file(path).map_err(|m| InputError::file(path, m))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| InputError::file(path, "expected a UTF-8 text file (TOML)"))?;
    let config = parse(path, text)?;
    Ok(Loaded {
        config,
        file: Some(InputFile {
            path: path.clone(),
            bytes,
        }),
    })
}

/// Parses the text of a configuration file; errors name `path` and the line.
pub fn parse(path: &Path, text: &str) -> Result<Config, InputError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        match e.span() {
            Some(span) => InputError::at(path, line_of(text, span.start), message),
            None => InputError::file(path, message),
        }
    })?;
    let datum = match raw.vereinbarung.datum {
        None => None,
        Some(spanned) => {
            let value = spanned.get_ref().trim();
            if value.is_empty() {
                None
            } else {
                Some(NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
                    InputError::at(
                        path,
                        line_of(text, spanned.span().start),
                        format!(
                            "key \"datum\": expected a date as \"YYYY-MM-DD\", found \"{value}\""
                        ),
                    )
                })?)
            }
        }
    };
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Config {
        ministerium: Ministerium {
            name: clean(raw.ministerium.name),
            vertreten_durch: clean(raw.ministerium.vertreten_durch),
            ort: clean(raw.ministerium.ort),
        },
        schwerpunkte: clean(raw.vereinbarung.schwerpunkte),
        besonderheiten: clean(raw.vereinbarung.besonderheiten),
        datum,
    })
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.get(..end).unwrap_or(text).matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(Path::new("data/bericht.toml"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_every_key() {
        let config = parse(
            Path::new("x.toml"),
            "[ministerium]\nname = \"MAGS NRW\"\nvertreten_durch = \"Dr. A\"\nort = \"Düsseldorf\"\n\
             [vereinbarung]\nschwerpunkte = \"\"\"\nA\n\nB\n\"\"\"\ndatum = \"2019-01-15\"\n",
        )
        .unwrap();
        assert_eq!(config.ministerium.name.as_deref(), Some("MAGS NRW"));
        assert_eq!(config.ministerium.ort.as_deref(), Some("Düsseldorf"));
        assert_eq!(config.schwerpunkte.as_deref(), Some("A\n\nB"));
        assert_eq!(config.besonderheiten, None);
        assert_eq!(config.datum, NaiveDate::from_ymd_opt(2019, 1, 15));
        assert_eq!(parse(Path::new("x.toml"), "").unwrap(), Config::default());
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
        assert!(e.starts_with("data/bericht.toml:2: key \"datum\""), "{e}");
        let e = err("[ministerium\n");
        assert!(e.starts_with("data/bericht.toml:1: "), "{e}");
        let e = err("[sonstiges]\nx = 1\n");
        assert!(e.starts_with("data/bericht.toml:1: "), "{e}");
    }
}
