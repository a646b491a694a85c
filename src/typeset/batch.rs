//! A batch of documents on N threads: each rendered or reused, handed over as soon as it
//! is ready, with a progress bar (plain lines off a terminal); a failing document does
//! not stop the others.
//!
//! Typst uses rayon inside; documents are rendered by plain `std::thread` workers with
//! large stacks (nesting Typst in an outer rayon pool overflows the stack).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::deadline::Deadline;
use super::render::{DocumentDate, Renderer, Template, evict_cache};
use super::reuse::Previous;
use crate::error::Error;
use crate::messages::{Msg, console};
use crate::output::OutFile;

/// How a batch is rendered: the template folder and fonts (see [`Renderer::new`]), the
/// number of threads and the documents' date.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// The `--templates` folder as the command read it (`None`: built-in templates).
    pub templates: Option<&'a crate::texte::TemplateFolder>,
    pub font_paths: &'a [PathBuf],
    pub jobs: usize,
    pub date: DocumentDate,
    /// How long one document may take (`None`: no limit; see [`super::deadline`]).
    pub time_limit: Option<std::time::Duration>,
}

/// A unit of rendering work.
pub struct Job {
    /// Its position among all documents of the batch (the first document first).
    pub index: usize,
    /// The file name it is written under (and looked up under for reuse).
    pub file: String,
    /// The stable document id the PDF's file identifier is derived from.
    pub ident: String,
    pub template: Template,
    /// The data JSON, served to the template as `/data.json`.
    pub data: Vec<u8>,
}

/// Documents with their data prepared, not yet rendered.
#[derive(Default)]
pub struct Batch {
    pub jobs: Vec<Job>,
    /// Documents whose data could not be prepared (file name, why).
    pub failures: Vec<(String, String)>,
}

/// A finished document, handed over as soon as it is ready.
pub struct Finished {
    /// Its [`Job::index`].
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
    pub fn add(&mut self, other: Outcome) {
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

/// Renders `first`, then what `prepare` returns, and hands each document to `sink` as it
/// finishes (from the worker threads, in any order); `total` documents in all, for the
/// progress. A document whose render key `previous` holds is taken from there instead. A
/// failing document does not stop the others; an error of `sink` or of `prepare` (a
/// write failed) stops them all and is returned.
///
/// The order keeps the memory peak low: `first` (the overview, 405 rows: the one large
/// document) is rendered alone, while a second thread runs `prepare` (the caller's other
/// work, e.g. the figure files, and the reports' data). Typst's cache is then emptied and
/// the freed memory returned (see [`crate::alloc`]) before the rest is rendered on
/// `settings.jobs` threads. With `--jobs 1` everything runs on this thread.
pub fn render(
    settings: &Settings<'_>,
    total: usize,
    first: Batch,
    prepare: &(dyn Fn() -> Result<Batch, Error> + Sync),
    previous: Option<&Previous>,
    sink: &(dyn Fn(Finished) -> Result<(), Error> + Sync),
) -> Result<Outcome, Error> {
    let renderer = std::sync::Arc::new(
        Renderer::from_folder(settings.templates, settings.font_paths)
            .map_err(|e| Error::Render(e.to_string()))?,
    );
    let worker = Worker {
        renderer: &renderer,
        deadline: Deadline::new(std::sync::Arc::clone(&renderer), settings.time_limit),
        timestamp: settings.date,
        previous,
        progress: Progress::new(total),
        sink,
    };
    // What loading and computing freed (polars works on threads of its own) goes back
    // before the first document grows.
    crate::alloc::release_freed();
    let (outcome, reports) = if settings.jobs > 1 {
        std::thread::scope(|scope| {
            let reports = std::thread::Builder::new()
                .stack_size(16 * 1024 * 1024)
                .spawn_scoped(scope, prepare)
                .expect("spawn a worker");
            let outcome = worker.run(first, 1);
            let reports = reports
                .join()
                .expect("preparing report data does not panic");
            (outcome, reports)
        })
    } else {
        // A failed figure file stops the run before the overview is rendered in vain.
        let reports = prepare()?;
        (worker.run(first, 1), Ok(reports))
    };
    evict_cache(0);
    crate::alloc::release_freed();
    let mut outcome = outcome?;
    outcome.add(worker.run(reports?, settings.jobs)?);
    worker.progress.finish();
    evict_cache(0);
    Ok(outcome)
}

/// What the render threads share.
struct Worker<'a> {
    renderer: &'a Renderer,
    /// Renders each document within the time limit.
    deadline: Deadline,
    timestamp: DocumentDate,
    previous: Option<&'a Previous>,
    progress: Progress,
    sink: &'a (dyn Fn(Finished) -> Result<(), Error> + Sync),
}

impl Worker<'_> {
    /// Renders the documents of `batch` on `workers` threads (this one among them).
    fn run(&self, batch: Batch, workers: usize) -> Result<Outcome, Error> {
        let Batch { jobs, failures } = batch;
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
            evict_cache(2);
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
