//! Target agreements (Zielvereinbarungen nach § 48b Abs. 1 S. 1 Nr. 4 SGB II): the
//! dataset, a year and the ministry's configuration in, one PDF per Jobcenter out.
//!
//! The same `ziele.csv` that drives the progress reports holds every target an agreement
//! states; [`model`] turns a Jobcenter's targets of the year (own rows, else the `*` rows)
//! and the parties into the JSON the template `templates/vereinbarung.typ` reads, and the
//! reports' Typst [`Renderer`] typesets it as PDF/A-2a + PDF/UA-1. All German wording is
//! in the template and in `templates/texte/kennzahlen.toml` (the names of the figures),
//! so a ministry edits it without recompiling (`--templates DIR`).
//! The ministry's settings come from `bericht.toml` ([`crate::load::bericht`]).
//!
//! Agreements are few (one per zkT and year), so they are rendered one after another on
//! the calling thread; a failing document is reported and the others are still written.

pub mod model;

use crate::domain::{Berichtsmonat, Decimal};
use crate::error::Error;
use crate::figures;
use crate::load::Dataset;
use crate::output::OutFile;
use crate::report::ReportOptions;
use crate::typeset::{DocumentDate, Renderer, Template};

/// The folder below `--out` that holds the agreements, one subfolder per year.
pub const FOLDER: &str = "vereinbarungen";

/// Rendered agreements and the documents that failed (file name, diagnostic).
pub struct Rendered {
    pub files: Vec<OutFile>,
    pub failures: Vec<(String, String)>,
}

/// Renders the agreements of the Jobcenters `ids` for `year` into memory.
pub fn render_all(
    ds: &Dataset,
    year: i32,
    ids: &[String],
    config: &crate::load::bericht::Config,
    options: &ReportOptions,
    wording: &crate::texte::Wording,
) -> Result<Rendered, Error> {
    // A Kreisschlüssel of `[vereinbarung.traeger]` that names no Jobcenter would be
    // silently unused (a typo such as "5554" for "05554").
    for key in config.traeger.keys() {
        if key != "*" && !ds.jobcenters.iter().any(|j| &j.id == key) {
            crate::messages::console::warning(crate::messages::Msg::AgreementUnknownTraeger {
                key: key.clone(),
            });
        }
    }
    let renderer = Renderer::from_folder(wording.folder(), &options.font_paths)
        .map_err(|e| Error::Render(e.to_string()))?;
    // Within the time limit per document, as the reports (a template that never ends
    // fails its agreement alone).
    let renderer =
        crate::typeset::deadline::Deadline::new(std::sync::Arc::new(renderer), options.time_limit);
    let namen = wording.namen()?;
    // December of the year: each figure's `vorjahr` is then last year's value (the
    // Ausgangswert) and its `soll_wert` the level the year must reach.
    let december = Berichtsmonat { year, month: 12 };
    let results = figures::compute(ds, december, Decimal::ZERO).map_err(Error::Render)?;
    let ts = options.timestamp;
    let erstellt = crate::format::date_long(ts.date_naive());
    let date = DocumentDate::from(ts);

    let mut files = Vec::new();
    let mut failures = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let Some(jc) = ds.jobcenters.iter().find(|j| &j.id == id) else {
            continue;
        };
        let file = crate::output::names::file_name(&jc.id, &jc.name);
        let data = model::vereinbarung(
            ds,
            year,
            jc,
            config,
            erstellt.clone(),
            results.entity(id),
            namen,
        );
        let json = serde_json::to_vec(&data).map_err(|e| Error::Render(e.to_string()))?;
        let ident = format!("vereinbarung-{}-{year}", jc.id);
        match renderer.render(Template::Vereinbarung, &json, &ident, date) {
            Ok(rendered) => {
                // Printed on success too (a customised template may warn).
                if !rendered.warnings.is_empty() {
                    crate::messages::console::warning(format!(
                        "{file}:\n{}",
                        rendered.warnings.trim_end()
                    ));
                }
                files.push(OutFile {
                    path: file,
                    bytes: rendered.pdf,
                });
            }
            Err(e) => failures.push((file, e)),
        }
        if n % 2 == 1 {
            crate::typeset::evict_cache(2);
        }
    }
    crate::typeset::evict_cache(0);
    Ok(Rendered { files, failures })
}
