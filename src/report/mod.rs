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
pub mod goals;
pub mod model;
pub mod notes;
pub mod overview;
pub mod render;
pub mod sexes;
#[cfg(test)]
mod snapshot_tests;
pub mod talking;

pub mod words;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, Timelike};

use crate::error::Error;
use crate::figures::Results;
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

/// Writes the data of every job as `<document>.json` into `dir` (created if needed).
fn emit(dir: &std::path::Path, jobs: &[Job]) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    for job in jobs {
        let path = dir.join(std::path::Path::new(&job.file).with_extension("json"));
        std::fs::write(&path, &job.data).map_err(|e| Error::write(&path, e))?;
    }
    Ok(())
}

/// A unit of rendering work.
struct Job {
    file: String,
    ident: String,
    template: Template,
    data: Vec<u8>,
}

/// The documents of one Berichtsmonat with their data prepared, not yet rendered.
pub struct Plan {
    jobs: Vec<Job>,
    /// Reports whose data could not be prepared (file name, why).
    failures: Vec<(String, String)>,
}

impl Plan {
    /// The file names of the documents, in the order of [`Finished::index`] (the
    /// overview first, then the reports in the order of the ids).
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.jobs.iter().map(|j| j.file.as_str())
    }
}

/// A finished document, handed over as soon as it is ready.
pub struct Finished {
    /// Its position in [`Plan::files`].
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

/// Rendered files in memory and the documents that failed.
pub struct Rendered {
    pub files: Vec<OutFile>,
    /// File name → render key of every file in `files`.
    pub render_keys: std::collections::HashMap<String, String>,
    pub outcome: Outcome,
}

/// Prepares the data of the reports of `ids` and the overview (and writes them to
/// `--emit-data` when asked).
pub fn plan(results: &Results, ids: &[String], options: &ReportOptions) -> Result<Plan, Error> {
    let texte = crate::texte::Texte::load(options.templates.as_deref())?;
    let erstellt = crate::format::date_long(options.timestamp.date_naive());
    let ctx = model::Context {
        results,
        texte: &texte,
        titel: model::Titel::new(&texte, results.berichtsmonat).map_err(Error::Render)?,
        erstellt,
        vorlaeufig: options.vorlaeufig,
        bericht: &options.bericht,
    };
    let bm = results.berichtsmonat;

    let mut jobs = Vec::new();
    let mut failures = Vec::new();
    let incomplete: Vec<String> = if options.vorlaeufig {
        ids.to_vec()
    } else {
        Vec::new()
    };
    let overview = overview::overview(&ctx, ids, &incomplete).map_err(Error::Render)?;
    // The overview is the longest document: it goes first so that it does not finish
    // alone at the end while the other workers idle.
    jobs.push(Job {
        file: OVERVIEW_FILE.into(),
        ident: format!("uebersicht-{bm}"),
        template: Template::Overview,
        data: serde_json::to_vec(&overview).map_err(|e| Error::Render(e.to_string()))?,
    });
    // The reports' data on `options.jobs` threads, each a contiguous part of the ids.
    let prepare = |ids: &[String]| {
        let mut part = Vec::new();
        for id in ids {
            let Some(e) = results.entity(id) else {
                continue;
            };
            let jc = e.jobcenter.as_ref().expect("Jobcenter entity");
            let file = file_name(&jc.id, &jc.name);
            let data = model::report(&ctx, e)
                .and_then(|d| serde_json::to_vec(&d).map_err(|e| e.to_string()));
            part.push((file, format!("{}-{bm}", jc.id), data));
        }
        part
    };
    let chunk = ids.len().div_ceil(options.jobs.max(1)).max(1);
    let parts: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .chunks(chunk)
            .map(|part| scope.spawn(move || prepare(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("preparing report data does not panic"))
            .collect()
    });
    for (file, ident, data) in parts.into_iter().flatten() {
        match data {
            Ok(data) => jobs.push(Job {
                file,
                ident,
                template: Template::Report,
                data,
            }),
            Err(why) => failures.push((file, why)),
        }
    }
    if let Some(dir) = &options.emit_data {
        emit(dir, &jobs)?;
    }
    Ok(Plan { jobs, failures })
}

/// Renders the reports of `ids` and the overview into memory, reusing what `previous`
/// holds under the same render key.
pub fn render_all(
    results: &Results,
    ids: &[String],
    options: &ReportOptions,
    previous: Option<&cache::Previous>,
) -> Result<Rendered, Error> {
    let plan = plan(results, ids, options)?;
    let done = Mutex::new(Vec::new());
    let outcome = render(plan, options, previous, &|mut finished| {
        // The PDF writer leaves up to twice the length as capacity, and all are held.
        finished.file.bytes.shrink_to_fit();
        done.lock().expect("no poisoned lock").push(finished);
        Ok(())
    })?;
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

/// Renders every document of `plan` on `options.jobs` threads and hands each to `sink`
/// as it finishes (from the worker threads, in any order). A document whose render key
/// `previous` holds is taken from there instead. A failing document does not stop the
/// others; an error of `sink` (a write failed) stops them all and is returned.
#[allow(clippy::cast_possible_truncation)]
pub fn render(
    plan: Plan,
    options: &ReportOptions,
    previous: Option<&cache::Previous>,
    sink: &(dyn Fn(Finished) -> Result<(), Error> + Sync),
) -> Result<Outcome, Error> {
    let renderer = Renderer::new(options.templates.as_deref(), &options.font_paths)
        .map_err(|e| Error::Render(e.to_string()))?;
    let ts = options.timestamp;
    let timestamp = render::DocumentDate {
        year: ts.year(),
        month: ts.month() as u8,
        day: ts.day() as u8,
        hour: ts.hour() as u8,
        minute: ts.minute() as u8,
        second: ts.second() as u8,
    };
    let Plan { jobs, failures } = plan;
    let total = jobs.len();
    let progress = Progress::new(total);
    let next = AtomicUsize::new(0);
    let outcome = Mutex::new(Outcome {
        failures,
        ..Outcome::default()
    });
    let stopped: Mutex<Option<Error>> = Mutex::new(None);
    let workers = options.jobs.clamp(1, total.max(1));
    let work = |mut first: Option<usize>| {
        let mut rendered = 0usize;
        loop {
            let i = first
                .take()
                .unwrap_or_else(|| next.fetch_add(1, Ordering::Relaxed));
            let Some(job) = jobs.get(i) else { break };
            if stopped.lock().expect("no poisoned lock").is_some() {
                break;
            }
            let key = renderer.cache_key(job.template, &job.data, &job.ident, timestamp);
            let reused = previous.and_then(|p| p.fetch(&job.file, &key));
            let is_reused = reused.is_some();
            let result = if let Some(bytes) = reused {
                Ok(bytes)
            } else {
                rendered += 1;
                renderer
                    .render_with_warnings(job.template, &job.data, &job.ident, timestamp)
                    .map(|rendered| {
                        // As typst-cli does: warnings are printed on success too.
                        if !rendered.warnings.is_empty() {
                            eprintln!("{}: {}", job.file, rendered.warnings.trim_end());
                        }
                        rendered.pdf
                    })
                    .map_err(|e| e.to_string())
            };
            progress.tick(&job.file, result.is_ok(), is_reused);
            match result {
                Ok(bytes) => {
                    let finished = Finished {
                        index: i,
                        file: OutFile {
                            path: job.file.clone(),
                            bytes,
                        },
                        render_key: key,
                        reused_from: previous.filter(|_| is_reused).map(|p| p.path(&job.file)),
                    };
                    if let Err(e) = sink(finished) {
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
                Err(why) => outcome
                    .lock()
                    .expect("no poisoned lock")
                    .failures
                    .push((job.file.clone(), why)),
            }
            // Typst memoises across documents; without eviction memory grows to
            // gigabytes. Keeping what the last two documents used keeps the static
            // parts of the template warm (measured: fastest and leanest setting).
            if !is_reused && rendered.is_multiple_of(2) {
                render::evict_cache(2);
            }
        }
    };
    std::thread::scope(|scope| {
        // The calling thread works too, and takes the first document (the overview, the
        // largest) itself: it reuses the memory that loading freed, where a new thread
        // would allocate from an arena of its own.
        let first = next.fetch_add(1, Ordering::Relaxed);
        for _ in 1..workers {
            std::thread::Builder::new()
                .stack_size(16 * 1024 * 1024)
                .spawn_scoped(scope, || work(None))
                .expect("spawn a render worker");
        }
        work(Some(first));
    });
    progress.finish();
    render::evict_cache(0);
    if let Some(e) = stopped.into_inner().expect("no poisoned lock") {
        return Err(e);
    }
    let mut outcome = outcome.into_inner().expect("no poisoned lock");
    // Failures in the order of the documents, whatever order the workers finished in.
    let order: std::collections::HashMap<&str, usize> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.file.as_str(), i))
        .collect();
    outcome
        .failures
        .sort_by_key(|(file, _)| order.get(file.as_str()).map_or(0, |i| i + 1));
    Ok(outcome)
}

/// A progress bar on a terminal, plain lines otherwise (cron, CI).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    count: AtomicUsize,
}

impl Progress {
    fn new(total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
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
        match &self.bar {
            Some(bar) => {
                bar.set_message(file.to_string());
                bar.inc(1);
            }
            None => eprintln!(
                "[{n}/{}] {file}{}",
                self.total,
                match (ok, reused) {
                    (false, _) => " FAILED",
                    (true, true) => " (reused)",
                    (true, false) => "",
                }
            ),
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
