//! Stage 3 — report: figures in, PDF bytes out — one report per Jobcenter and the
//! overview, rendered in process with Typst from the templates in `templates/`.
//!
//! [`model`] turns the figures into the German data each template reads as `/data.json`
//! (with the Textbausteine of [`text`]); [`render`] holds the one long-lived Typst world.
//! Reports are rendered by plain `std::thread` workers with large stacks (Typst uses
//! rayon inside; nesting it in an outer rayon pool overflows the stack). A failing report
//! does not stop the others.

mod assessment;
mod charts;
pub mod context;
pub mod goals;
pub mod model;
pub mod notes;
pub mod overview;
pub mod sexes;
#[cfg(test)]
mod snapshot_tests;
pub mod talking;

pub mod words;

use std::path::PathBuf;
use std::sync::Mutex;

use crate::error::Error;
use crate::figures::Results;
use crate::output::names::{OVERVIEW_FILE, file_name};
use crate::typeset::Template;
use crate::typeset::batch::{self, Batch, Job};
pub use crate::typeset::batch::{Finished, Outcome, Rendered};
use crate::typeset::reuse::Previous;

/// How reports are rendered.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub templates: Option<PathBuf>,
    pub font_paths: Vec<PathBuf>,
    pub jobs: usize,
    /// The documents' date and time (`pipeline::document_day`).
    pub timestamp: chrono::DateTime<chrono::Utc>,
    /// Mark every report "vorläufig – Daten unvollständig".
    pub vorlaeufig: bool,
    /// Issuer, source note and banner from `bericht.toml`.
    pub bericht: crate::load::bericht::Bericht,
    /// Where to write each document's data JSON as well (`run --emit-data`).
    pub emit_data: Option<PathBuf>,
    /// Take a PDF from the previous run when its inputs are unchanged (not `--no-reuse`).
    pub reuse: bool,
    /// How long one document may take to render (`--document-timeout`; `None`: no limit).
    pub time_limit: Option<std::time::Duration>,
}

/// Writes a document's data as `<document>.json` into `dir` (created if needed).
fn emit(dir: &std::path::Path, job: &Job) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let path = dir.join(std::path::Path::new(&job.file).with_extension("json"));
    std::fs::write(&path, &job.data).map_err(|e| Error::write(&path, e))
}

pub struct Planner<'a> {
    results: &'a Results,
    /// The templates folder and the wording as the command read them, once.
    wording: &'a crate::texte::Wording,
    ids: &'a [String],
    options: &'a ReportOptions,
    texte: crate::texte::Texte,
    titel: context::Titel,
    erstellt: String,
}

impl<'a> Planner<'a> {
    pub fn new(
        results: &'a Results,
        ids: &'a [String],
        options: &'a ReportOptions,
        wording: &'a crate::texte::Wording,
    ) -> Result<Self, Error> {
        let texte = wording.texte()?;
        let titel = context::Titel::new(&texte, results.berichtsmonat).map_err(Error::Render)?;
        Ok(Self {
            results,
            wording,
            ids,
            options,
            texte,
            titel,
            erstellt: crate::format::date_long(options.timestamp.date_naive()),
        })
    }

    fn context(&self) -> context::Context<'_> {
        context::Context {
            results: self.results,
            texte: &self.texte,
            titel: self.titel.clone(),
            erstellt: self.erstellt.clone(),
            vorlaeufig: self.options.vorlaeufig,
            bericht: &self.options.bericht,
        }
    }

    /// The Jobcenter entities of the ids, in their order (unknown ids skipped).
    fn jobcenters(&self) -> impl Iterator<Item = &'a crate::figures::EntityFigures> + 'a {
        let results = self.results;
        self.ids.iter().filter_map(move |id| results.entity(id))
    }

    /// The file names of every document [`render`] may hand over, in the order of
    /// [`Finished::index`]: the overview, then the reports in the order of the ids.
    pub fn files(&self) -> Vec<String> {
        let mut files = vec![OVERVIEW_FILE.to_owned()];
        files.extend(self.jobcenters().map(|e| {
            let jc = e.jobcenter.as_ref().expect("Jobcenter entity");
            file_name(&jc.id, &jc.name)
        }));
        files
    }

    /// The overview's data.
    fn overview(&self) -> Result<Batch, Error> {
        let incomplete: Vec<String> = if self.options.vorlaeufig {
            self.ids.to_vec()
        } else {
            Vec::new()
        };
        let data =
            overview::overview(&self.context(), self.ids, &incomplete).map_err(Error::Render)?;
        let job = Job {
            index: 0,
            file: OVERVIEW_FILE.into(),
            ident: format!("uebersicht-{}", self.results.berichtsmonat),
            template: Template::Overview,
            data: serde_json::to_vec(&data).map_err(|e| Error::Render(e.to_string()))?,
        };
        if let Some(dir) = &self.options.emit_data {
            emit(dir, &job)?;
        }
        Ok(Batch {
            jobs: vec![job],
            failures: Vec::new(),
        })
    }

    /// The reports' data, on this thread.
    fn reports(&self) -> Result<Batch, Error> {
        let ctx = self.context();
        let bm = self.results.berichtsmonat;
        let mut plan = Batch::default();
        for (i, e) in self.jobcenters().enumerate() {
            let jc = e.jobcenter.as_ref().expect("Jobcenter entity");
            let file = file_name(&jc.id, &jc.name);
            let data = model::report(&ctx, e)
                .and_then(|d| serde_json::to_vec(&d).map_err(|e| e.to_string()));
            match data {
                Ok(data) => {
                    let job = Job {
                        index: 1 + i,
                        file,
                        ident: format!("{}-{bm}", jc.id),
                        template: Template::Report,
                        data,
                    };
                    if let Some(dir) = &self.options.emit_data {
                        emit(dir, &job)?;
                    }
                    plan.jobs.push(job);
                }
                Err(why) => plan.failures.push((file, why)),
            }
        }
        Ok(plan)
    }
}

/// Renders every document of `planner` (the overview first and alone, see
/// [`batch::render`]) and hands each to `sink` as it finishes; `beside` (the caller's
/// other work, e.g. the figure files) runs while the overview renders.
pub fn render(
    planner: &Planner,
    previous: Option<&Previous>,
    sink: &(dyn Fn(Finished) -> Result<(), Error> + Sync),
    beside: &(dyn Fn() -> Result<(), Error> + Sync),
) -> Result<Outcome, Error> {
    let options = planner.options;
    let settings = batch::Settings {
        templates: planner.wording.folder(),
        font_paths: &options.font_paths,
        jobs: options.jobs,
        date: options.timestamp.into(),
        time_limit: options.time_limit,
    };
    let overview = planner.overview()?;
    batch::render(
        &settings,
        planner.files().len(),
        overview,
        &|| {
            beside()?;
            planner.reports()
        },
        previous,
        sink,
    )
}

/// Renders the reports of `ids` and the overview into memory, reusing what `previous`
/// holds under the same render key.
pub fn render_all(
    results: &Results,
    ids: &[String],
    options: &ReportOptions,
    wording: &crate::texte::Wording,
    previous: Option<&Previous>,
) -> Result<Rendered, Error> {
    let planner = Planner::new(results, ids, options, wording)?;
    let done = Mutex::new(Vec::new());
    let outcome = render(
        &planner,
        previous,
        &|mut finished| {
            // The PDF writer leaves up to twice the length as capacity, and all are held.
            finished.file.bytes.shrink_to_fit();
            done.lock().expect("no poisoned lock").push(finished);
            Ok(())
        },
        &|| Ok(()),
    )?;
    let mut done = done.into_inner().expect("no poisoned lock");
    done.sort_by_key(|f| f.index);
    let render_keys = done
        .iter()
        .map(|f| (f.file.path.clone(), f.render_key.clone()))
        .collect();
    Ok(Rendered {
        files: done.into_iter().map(|f| f.file).collect(),
        render_keys,
        outcome,
    })
}
