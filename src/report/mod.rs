//! Stage 3 — report: figures in, PDF bytes out — one report per Jobcenter and the
//! overview, rendered in process with Typst from the templates in `templates/`.
//!
//! [`model`] turns the figures into the German data each template reads as `/data.json`
//! (with the Textbausteine of [`text`]); [`render`] holds the one long-lived Typst world.
//! Reports are rendered by plain `std::thread` workers with large stacks (Typst uses
//! rayon inside; nesting it in an outer rayon pool overflows the stack). A failing report
//! does not stop the others.

pub mod cache;
pub mod charts;
pub mod config;
pub mod deadline;
pub mod goals;
pub mod model;
pub mod notes;
pub mod overview;
pub mod pdf_eol;
pub mod render;
pub mod sexes;
#[cfg(test)]
mod snapshot_tests;
pub mod talking;
pub mod trust;

pub mod words;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, Timelike};

use crate::error::Error;
use crate::figures::Results;
use crate::messages::{Msg, console};
use crate::output::OutFile;
use render::{Renderer, Template};

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
    pub bericht: config::Bericht,
    /// Where to write each document's data JSON as well (`run --emit-data`).
    pub emit_data: Option<PathBuf>,
    /// Take a PDF from the previous run when its inputs are unchanged (not `--no-reuse`).
    pub reuse: bool,
    /// How long one document may take to render (`--document-timeout`; `None`: no limit).
    pub time_limit: Option<std::time::Duration>,
}

pub const OVERVIEW_FILE: &str = "uebersicht.pdf";

/// The file name of a report: `05554_kreis-borken.pdf`.
pub fn file_name(id: &str, name: &str) -> String {
    format!("{id}_{}.pdf", slug(name))
}

/// The name in lower case, ASCII with `ae oe ue ss`, words joined by `-`, at most 60
/// characters.
pub fn slug(name: &str) -> String {
    let mut ascii = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => ascii.push_str("ae"),
            'ö' => ascii.push_str("oe"),
            'ü' => ascii.push_str("ue"),
            'ß' => ascii.push_str("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' => ascii.push('a'),
            'ç' => ascii.push('c'),
            'è' | 'é' | 'ê' | 'ë' => ascii.push('e'),
            'ì' | 'í' | 'î' | 'ï' => ascii.push('i'),
            'ñ' => ascii.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' => ascii.push('o'),
            'ù' | 'ú' | 'û' => ascii.push('u'),
            'ý' | 'ÿ' => ascii.push('y'),
            c if c.is_ascii_alphanumeric() => ascii.push(c),
            _ => ascii.push(' '),
        }
    }
    let mut out = String::new();
    for word in ascii.split_whitespace() {
        if out.len() + word.len() + usize::from(!out.is_empty()) > 60 {
            if out.is_empty() {
                out.push_str(&word[..60]);
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        "jobcenter".to_string()
    } else {
        out
    }
}

/// Writes a document's data as `<document>.json` into `dir` (created if needed).
fn emit(dir: &std::path::Path, job: &Job) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let path = dir.join(std::path::Path::new(&job.file).with_extension("json"));
    std::fs::write(&path, &job.data).map_err(|e| Error::write(&path, e))
}

/// A unit of rendering work.
struct Job {
    /// Its position among all documents of the month (the overview first).
    index: usize,
    file: String,
    ident: String,
    template: Template,
    data: Vec<u8>,
}

/// Documents with their data prepared, not yet rendered.
pub struct Plan {
    jobs: Vec<Job>,
    /// Reports whose data could not be prepared (file name, why).
    failures: Vec<(String, String)>,
}

/// A finished document, handed over as soon as it is ready.
pub struct Finished {
    /// Its position in [`Planner::files`].
    pub index: usize,
    pub file: OutFile,
    /// What it was rendered from ([`Renderer::cache_key`]), for the manifest.
    pub render_key: String,
    /// Taken from this file of the previous run instead of being rendered (its bytes,
    /// checked, are in `file` all the same).
    pub reused_from: Option<PathBuf>,
}

/// What [`render`] did besides handing over the documents.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Documents that failed (file name, diagnostic); they were not handed over.
    pub failures: Vec<(String, String)>,
    /// Jobcenter reports handed over (the overview not counted).
    pub reports: usize,
    pub overview: bool,
    /// Documents taken from the previous run.
    pub reused: usize,
}

impl Outcome {
    fn add(&mut self, other: Outcome) {
        self.failures.extend(other.failures);
        self.reports += other.reports;
        self.overview |= other.overview;
        self.reused += other.reused;
    }
}

/// Rendered files in memory and the documents that failed.
pub struct Rendered {
    pub files: Vec<OutFile>,
    /// File name → render key of every file in `files`.
    pub render_keys: std::collections::HashMap<String, String>,
    pub outcome: Outcome,
}

/// Prepares the data of the overview and the reports of one Berichtsmonat (and writes
/// them to `--emit-data` when asked), with the Textbausteine loaded once.
pub struct Planner<'a> {
    results: &'a Results,
    ids: &'a [String],
    options: &'a ReportOptions,
    texte: crate::texte::Texte,
    titel: model::Titel,
    erstellt: String,
}

impl<'a> Planner<'a> {
    pub fn new(
        results: &'a Results,
        ids: &'a [String],
        options: &'a ReportOptions,
    ) -> Result<Self, Error> {
        let texte = crate::texte::Texte::load(options.templates.as_deref())?;
        let titel = model::Titel::new(&texte, results.berichtsmonat).map_err(Error::Render)?;
        Ok(Self {
            results,
            ids,
            options,
            texte,
            titel,
            erstellt: crate::format::date_long(options.timestamp.date_naive()),
        })
    }

    fn context(&self) -> model::Context<'_> {
        model::Context {
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
    fn overview(&self) -> Result<Plan, Error> {
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
        Ok(Plan {
            jobs: vec![job],
            failures: Vec::new(),
        })
    }

    /// The reports' data, on this thread.
    fn reports(&self) -> Result<Plan, Error> {
        let ctx = self.context();
        let bm = self.results.berichtsmonat;
        let mut plan = Plan {
            jobs: Vec::new(),
            failures: Vec::new(),
        };
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

/// Renders the reports of `ids` and the overview into memory, reusing what `previous`
/// holds under the same render key.
pub fn render_all(
    results: &Results,
    ids: &[String],
    options: &ReportOptions,
    previous: Option<&cache::Previous>,
) -> Result<Rendered, Error> {
    let planner = Planner::new(results, ids, options)?;
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

/// Renders every document of `planner` and hands each to `sink` as it finishes (from the
/// worker threads, in any order). A document whose render key `previous` holds is taken
/// from there instead. A failing document does not stop the others; an error of `sink`
/// or of `beside` (a write failed) stops them all and is returned.
///
/// The order keeps the memory peak low: the overview (405 rows: the one large document)
/// is rendered first and alone, while a second thread runs `beside` (the caller's other
/// work, e.g. the figure files) and prepares the reports' data. Typst's cache is then
/// emptied and the freed memory returned (see [`crate::alloc`]) before the reports are
/// rendered on `options.jobs` threads. With `--jobs 1` everything runs on this thread.
pub fn render(
    planner: &Planner,
    previous: Option<&cache::Previous>,
    sink: &(dyn Fn(Finished) -> Result<(), Error> + Sync),
    beside: &(dyn Fn() -> Result<(), Error> + Sync),
) -> Result<Outcome, Error> {
    let options = planner.options;
    let renderer = std::sync::Arc::new(
        Renderer::new(options.templates.as_deref(), &options.font_paths)
            .map_err(|e| Error::Render(e.to_string()))?,
    );
    let worker = Worker {
        renderer: &renderer,
        deadline: deadline::Deadline::new(std::sync::Arc::clone(&renderer), options.time_limit),
        timestamp: document_date(options.timestamp),
        previous,
        progress: Progress::new(planner.files().len()),
        sink,
    };
    let overview = planner.overview()?;
    // What loading and computing freed (polars works on threads of its own) goes back
    // before the overview grows.
    crate::alloc::release_freed();
    let prepare = || -> Result<Plan, Error> {
        beside()?;
        planner.reports()
    };
    let (outcome, reports) = if options.jobs > 1 {
        std::thread::scope(|scope| {
            let reports = std::thread::Builder::new()
                .stack_size(16 * 1024 * 1024)
                .spawn_scoped(scope, prepare)
                .expect("spawn a worker");
            let outcome = worker.run(overview, 1);
            let reports = reports
                .join()
                .expect("preparing report data does not panic");
            (outcome, reports)
        })
    } else {
        // A failed figure file stops the run before the overview is rendered in vain.
        let reports = prepare()?;
        (worker.run(overview, 1), Ok(reports))
    };
    render::evict_cache(0);
    crate::alloc::release_freed();
    let mut outcome = outcome?;
    outcome.add(worker.run(reports?, options.jobs)?);
    worker.progress.finish();
    render::evict_cache(0);
    Ok(outcome)
}

#[allow(clippy::cast_possible_truncation)]
fn document_date(ts: chrono::DateTime<chrono::Utc>) -> render::DocumentDate {
    render::DocumentDate {
        year: ts.year(),
        month: ts.month() as u8,
        day: ts.day() as u8,
        hour: ts.hour() as u8,
        minute: ts.minute() as u8,
        second: ts.second() as u8,
    }
}

/// What the render threads share.
struct Worker<'a> {
    renderer: &'a Renderer,
    /// Renders each document within the time limit.
    deadline: deadline::Deadline,
    timestamp: render::DocumentDate,
    previous: Option<&'a cache::Previous>,
    progress: Progress,
    sink: &'a (dyn Fn(Finished) -> Result<(), Error> + Sync),
}

impl Worker<'_> {
    /// Renders the documents of `plan` on `workers` threads (this one among them).
    fn run(&self, plan: Plan, workers: usize) -> Result<Outcome, Error> {
        let Plan { jobs, failures } = plan;
        for (file, _) in &failures {
            self.progress.tick(file, false, false);
        }
        let next = AtomicUsize::new(0);
        let outcome = Mutex::new(Outcome {
            failures,
            ..Outcome::default()
        });
        let stopped: Mutex<Option<Error>> = Mutex::new(None);
        let work = || {
            let mut rendered = 0usize;
            while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                if stopped.lock().expect("no poisoned lock").is_some() {
                    break;
                }
                let (finished, is_reused) = match self.one(job, &mut rendered) {
                    Ok(done) => done,
                    Err(why) => {
                        let mut outcome = outcome.lock().expect("no poisoned lock");
                        outcome.failures.push((job.file.clone(), why));
                        continue;
                    }
                };
                if let Err(e) = (self.sink)(finished) {
                    stopped.lock().expect("no poisoned lock").get_or_insert(e);
                    break;
                }
                let mut outcome = outcome.lock().expect("no poisoned lock");
                if job.template == Template::Overview {
                    outcome.overview = true;
                } else {
                    outcome.reports += 1;
                }
                outcome.reused += usize::from(is_reused);
            }
        };
        std::thread::scope(|scope| {
            // The calling thread works too: it reuses the memory that earlier work freed,
            // where a new thread would allocate from an arena of its own.
            for _ in 1..workers.clamp(1, jobs.len().max(1)) {
                std::thread::Builder::new()
                    .stack_size(16 * 1024 * 1024)
                    .spawn_scoped(scope, work)
                    .expect("spawn a render worker");
            }
            work();
        });
        if let Some(e) = stopped.into_inner().expect("no poisoned lock") {
            return Err(e);
        }
        let mut outcome = outcome.into_inner().expect("no poisoned lock");
        // Failures in the order of the documents, whatever order the workers finished in.
        let order: std::collections::HashMap<&str, usize> =
            jobs.iter().map(|j| (j.file.as_str(), j.index)).collect();
        outcome
            .failures
            .sort_by_key(|(file, _)| order.get(file.as_str()).map_or(0, |i| i + 1));
        Ok(outcome)
    }

    /// One document: taken from the previous run or rendered. `rendered` counts this
    /// thread's renderings, for the cache eviction.
    fn one(&self, job: &Job, rendered: &mut usize) -> Result<(Finished, bool), String> {
        let key = self
            .renderer
            .cache_key(job.template, &job.data, &job.ident, self.timestamp);
        let reused = self.previous.and_then(|p| p.fetch(&job.file, &key));
        let is_reused = reused.is_some();
        let result = if let Some(bytes) = reused {
            Ok(bytes)
        } else {
            *rendered += 1;
            self.deadline
                .render(job.template, &job.data, &job.ident, self.timestamp)
                .map(|rendered| {
                    // As typst-cli does: warnings are printed on success too.
                    if !rendered.warnings.is_empty() {
                        eprintln!("{}: {}", job.file, rendered.warnings.trim_end());
                    }
                    rendered.pdf
                })
        };
        self.progress.tick(&job.file, result.is_ok(), is_reused);
        // Typst memoises across documents; without eviction memory grows to gigabytes.
        // Keeping what the last two documents used keeps the static parts of the
        // template warm (measured: fastest and leanest setting).
        if !is_reused && rendered.is_multiple_of(2) {
            render::evict_cache(2);
        }
        let bytes = result?;
        Ok((
            Finished {
                index: job.index,
                file: OutFile {
                    path: job.file.clone(),
                    bytes,
                },
                render_key: key,
                reused_from: self
                    .previous
                    .filter(|_| is_reused)
                    .map(|p| p.path(&job.file)),
            },
            is_reused,
        ))
    }
}

/// A progress bar on a terminal, plain lines otherwise (cron, CI).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    count: AtomicUsize,
}

impl Progress {
    fn new(total: usize) -> Self {
        let bar = (std::io::stderr().is_terminal() && !console::quiet()).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} Berichte  {elapsed_precise}  {msg}",
                )
                .expect("valid template"),
            );
            bar
        });
        Self {
            bar,
            total,
            count: AtomicUsize::new(0),
        }
    }

    fn tick(&self, file: &str, ok: bool, reused: bool) {
        let n = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.set_message(file.to_string());
            bar.inc(1);
        } else {
            let (total, file) = (self.total, file.to_string());
            console::note(match (ok, reused) {
                (false, _) => Msg::ProgressFailed { n, total, file },
                (true, true) => Msg::ProgressReused { n, total, file },
                (true, false) => Msg::ProgressDone { n, total, file },
            });
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(file_name("05554", "Kreis Borken"), "05554_kreis-borken.pdf");
        assert_eq!(
            slug("Stadt Mülheim an der Ruhr"),
            "stadt-muelheim-an-der-ruhr"
        );
        assert_eq!(slug("Kreis Düren / Süd-Weiß"), "kreis-dueren-sued-weiss");
        assert_eq!(slug("Kreis #x *y* $z$"), "kreis-x-y-z");
        let long = slug(&"Sehr langer Kreisname ".repeat(10));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }
}
