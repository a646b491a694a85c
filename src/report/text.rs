//! The Textbausteine: German sentences rendered with minijinja from `templates/texte/`,
//! read at run time from `--templates DIR` when given (file by file, falling back to the
//! built-in copies), so a ministry changes wording without recompiling.

use std::path::Path;

use minijinja::Environment;
use serde::Serialize;

use crate::error::Error;

const BUILTIN: [(&str, &str); 5] = [
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
];

/// The loaded Textbausteine.
pub struct Texte {
    env: Environment<'static>,
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
        Ok(Self { env })
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
