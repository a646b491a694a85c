//! The Textbausteine: German sentences rendered with minijinja from `templates/texte/`,
//! read at run time from `--templates DIR` when given (file by file, falling back to the
//! built-in copies), so a ministry changes wording without recompiling; and the
//! Kennzahlen in words ([`kennzahlen`], `templates/texte/kennzahlen.toml`). Rust passes
//! keys and formatted numbers, the templates hold the words.

pub mod kennzahlen;

use std::path::Path;

use minijinja::Environment;
use serde::Serialize;

use crate::error::Error;

pub use kennzahlen::Kennzahlnamen;

const BUILTIN: [(&str, &str); 8] = [
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
        "gespraech.txt.j2",
        include_str!("../../templates/texte/gespraech.txt.j2"),
    ),
    (
        "hinweis.txt.j2",
        include_str!("../../templates/texte/hinweis.txt.j2"),
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
    pub namen: Kennzahlnamen,
}

impl Texte {
    pub fn load(dir: Option<&Path>) -> Result<Self, Error> {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, builtin) in BUILTIN {
            let custom = dir
                .map(|d| d.join("texte").join(name))
                .filter(|p| p.exists());
            let source = match &custom {
                Some(path) => crate::load::csv::read_text(path)
                    .map_err(|e| Error::Render(format!("cannot read {}: {e}", path.display())))?,
                None => builtin.to_string(),
            };
            let shown = custom.map_or_else(
                || format!("templates/texte/{name}"),
                |p| p.display().to_string(),
            );
            env.add_template_owned(name.to_string(), source)
                .map_err(|e| Error::Render(format!("{shown}: {}", describe(&e))))?;
        }
        Ok(Self {
            env,
            namen: Kennzahlnamen::load(dir)?,
        })
    }

    /// Renders one Textbaustein; runs of ASCII whitespace collapse to single spaces (the
    /// no-break spaces before units stay).
    pub fn render(&self, name: &str, ctx: impl Serialize) -> Result<String, String> {
        let tmpl = self.env.get_template(name).map_err(|e| describe(&e))?;
        let text = tmpl
            .render(ctx)
            .map_err(|e| format!("templates/texte/{name}: {}", describe(&e)))?;
        Ok(text.split_ascii_whitespace().collect::<Vec<_>>().join(" "))
    }
}

fn describe(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("line {line}: {e}"),
        None => e.to_string(),
    }
}
