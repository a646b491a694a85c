//! The pipeline as functions the commands share: load a data folder (printing its
//! warnings), validate the rendering settings, compute and render one Berichtsmonat into
//! memory, and print the closing summary. `run`, `archive` and `invite` all go through
//! here, so a report is made the same way whichever command asks for it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::domain::Berichtsmonat;
use crate::error::Error;
use crate::figures::{self, Results};
use crate::load::bericht::Bericht;
use crate::load::{self, Dataset};
use crate::messages::de::Many;
use crate::messages::{Msg, console};
use crate::output::manifest::FileEntry;
use crate::output::{self, Existing, OutFile, manifest};
use crate::report::{self, ReportOptions};
use crate::texte::{Kennzahlnamen, Wording};

/// Reads the data folder, printing warnings; input errors end the command.
pub(crate) fn load_data(data: &Path) -> Result<Dataset, Error> {
    load_data_with(
        data,
        &load::bericht::Source::Default(data.join(load::bericht::FILE)),
    )
}

/// [`load_data`] with `bericht.toml` from `settings` (`vereinbarung --config`).
pub(crate) fn load_data_with(
    data: &Path,
    settings: &load::bericht::Source,
) -> Result<Dataset, Error> {
    let ds = load::load_with(data, settings).map_err(Error::Input)?;
    for w in &ds.warnings {
        console::warning(w);
    }
    Ok(ds)
}

/// How the command line asks documents to be rendered, before it is checked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Look {
    pub templates: Option<PathBuf>,
    pub font_paths: Vec<PathBuf>,
    /// `--jobs`; `None`: all cores.
    pub jobs: Option<usize>,
    /// Not `--no-reuse`.
    pub reuse: bool,
    /// `--document-timeout` (`None`: no limit).
    pub time_limit: Option<std::time::Duration>,
}

/// Validated rendering settings shared by `run`, `archive` and `invite`: the template
/// and font folders exist, at least one job. `bericht` is what the data folder's
/// `bericht.toml` says (`Bericht::default()` until the data are read, see
/// [`load::Dataset::bericht`]).
pub(crate) fn report_options(
    render: &Look,
    bericht: &Bericht,
    vorlaeufig: bool,
) -> Result<ReportOptions, Error> {
    if let Some(dir) = &render.templates
        && !dir.is_dir()
    {
        return Err(Error::Usage(format!(
            "--templates: {} ist kein Ordner",
            dir.display()
        )));
    }
    for dir in &render.font_paths {
        if !dir.exists() {
            return Err(Error::Usage(format!(
                "--font-path: {} gibt es nicht",
                dir.display()
            )));
        }
    }
    let jobs = match render.jobs {
        Some(0) => return Err(Error::Usage("--jobs: erwartet wird mindestens 1".into())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
    };
    Ok(ReportOptions {
        templates: render.templates.clone(),
        font_paths: render.font_paths.clone(),
        jobs,
        timestamp: document_day()?,
        vorlaeufig,
        bericht: bericht.clone(),
        emit_data: None,
        reuse: render.reuse,
        time_limit: render.time_limit,
    })
}

/// The time the PDFs carry: `SOURCE_DATE_EPOCH` when set, else the start of today (UTC).
/// A document shows only its date, and a rerun on the same day finds the same render key,
/// so it reuses the PDF it rendered before, byte for byte (a timestamp to the second
/// would make every rerun without `SOURCE_DATE_EPOCH` render everything again).
pub(crate) fn document_day() -> Result<chrono::DateTime<chrono::Utc>, Error> {
    if std::env::var_os("SOURCE_DATE_EPOCH").is_some_and(|t| !t.is_empty()) {
        return document_time();
    }
    let now = document_time()?;
    Ok(now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map_or(now, |d| d.and_utc()))
}

/// The document date: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
/// Both are checked against the range every output can hold
/// ([`crate::domain::document_time`]); the clock is checked also when
/// `SOURCE_DATE_EPOCH` is set, since the send log and leftover names read it.
pub(crate) fn document_time() -> Result<chrono::DateTime<chrono::Utc>, Error> {
    use crate::domain::document_time;
    let now = document_time::from_clock(std::time::SystemTime::now()).map_err(Error::Usage)?;
    match std::env::var_os("SOURCE_DATE_EPOCH") {
        Some(text) if !text.is_empty() => match text.to_str() {
            Some(text) => document_time::from_source_date_epoch(text).map_err(Error::Usage),
            None => Err(Error::Usage(format!(
                "SOURCE_DATE_EPOCH: erwartet werden ganze Sekunden seit 1970, gefunden {} \
                 (kein UTF-8); nichts wurde geschrieben",
                text.to_string_lossy()
            ))),
        },
        _ => Ok(now),
    }
}

/// The Jobcenters whose reports are rendered (`--jobcenter`, padded like the data).
pub(crate) fn selected(ids: &[String], ds: &Dataset) -> Result<Vec<String>, Error> {
    if ids.is_empty() {
        return Ok(ds.jobcenters.iter().map(|j| j.id.clone()).collect());
    }
    let mut out = Vec::new();
    for raw in ids {
        let (id, _) = load::cells::jobcenter_id(raw.trim())
            .map_err(|e| Error::Usage(format!("--jobcenter: {}", e.0)))?;
        if !ds.jobcenters.iter().any(|j| j.id == id) {
            return Err(Error::Usage(format!(
                "--jobcenter: \"{raw}\" steht nicht in jobcenter.csv"
            )));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Months Jan..t of the Berichtsmonat with required values missing, per selected Jobcenter.
pub(crate) fn incomplete(
    ds: &Dataset,
    bm: Berichtsmonat,
    ids: &[String],
) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for id in ids {
        let months: Vec<String> = (1..=bm.month)
            .filter(|&m| {
                figures::incomplete_jobcenters(
                    ds,
                    Berichtsmonat {
                        year: bm.year,
                        month: m,
                    },
                )
                .contains(id)
            })
            .map(|m| format!("{}-{m:02}", bm.year))
            .collect();
        if !months.is_empty() {
            out.push((id.clone(), months));
        }
    }
    out
}

/// What a run wrote, besides the files themselves.
pub(crate) struct RunOutput {
    pub failures: Vec<(String, String)>,
    pub reports: usize,
    pub overview: bool,
    /// Documents taken from the previous run instead of being rendered.
    pub reused: usize,
}

/// The names of the figure files, in the order [`figure_files`] makes them.
const FIGURE_FILES: [&str; 2] = [output::kennzahlen::FILE, output::xlsx::FILE];

/// The figure files of a Berichtsmonat: `kennzahlen.csv` and `kennzahlen.xlsx`.
fn figure_files(results: &Results, namen: &Kennzahlnamen) -> Result<Vec<OutFile>, Error> {
    Ok(vec![
        OutFile {
            path: FIGURE_FILES[0].into(),
            bytes: output::kennzahlen::render(results).into_bytes(),
        },
        OutFile {
            path: FIGURE_FILES[1].into(),
            bytes: output::xlsx::render(results, document_time()?, namen).map_err(Error::Render)?,
        },
    ])
}

/// The files of a run in memory, the render keys of the PDFs among them, and what the
/// run did.
pub(crate) type Produced = (Vec<OutFile>, HashMap<String, String>, RunOutput);

/// Computes and renders one Berichtsmonat into memory (the archive), reusing PDFs of
/// `previous` (a folder with a manifest) unless it is `None`. Returns the files and the
/// render keys of the PDFs among them.
pub(crate) fn produce(
    results: &Results,
    ids: &[String],
    options: &ReportOptions,
    previous: Option<&Path>,
    wording: &Wording,
) -> Result<Produced, Error> {
    let mut files = figure_files(results, wording.namen()?)?;
    let previous = previous.map(crate::typeset::reuse::Previous::read);
    let rendered = report::render_all(results, ids, options, wording, previous.as_ref())?;
    files.extend(rendered.files);
    let out = rendered.outcome;
    Ok((
        files,
        rendered.render_keys,
        RunOutput {
            failures: out.failures,
            reports: out.reports,
            overview: out.overview,
            reused: out.reused,
        },
    ))
}

/// The manifest entries of `files`, with the render keys of those that have one.
pub(crate) fn entries(files: &[OutFile], keys: &HashMap<String, String>) -> Vec<FileEntry> {
    let mut entries = manifest::outputs(files);
    for e in &mut entries {
        e.render_key = keys.get(&e.path).cloned();
    }
    entries
}

/// A file for the writer thread of [`write_run_folder`].
struct ToWrite {
    /// Its position in the manifest.
    index: usize,
    file: OutFile,
    render_key: Option<String>,
    /// The previous run's copy it equals (checked), to link instead of writing.
    reused_from: Option<PathBuf>,
}

/// Renders one Berichtsmonat into its run folder `OUT/<YYYY-MM>/` with its manifest,
/// replacing an earlier run of the month but keeping its `einladungen/`. `run` calls it
/// once its arguments and data are validated, `invite` when a report to attach is missing.
///
/// The month folder's lock is held from the start, so that the previous run folder
/// whose PDFs may be reused stays as it is. Each finished PDF goes straight to a writer
/// thread, which writes and syncs it into the staging folder; none is kept in memory.
#[allow(
    clippy::too_many_arguments,
    reason = "the run's inputs, each used once; a struct would only rename them"
)]
pub(crate) fn write_run_folder(
    out_dir: &Path,
    ds: &Dataset,
    results: &Results,
    ids: &[String],
    options: Option<&ReportOptions>,
    wording: &Wording,
    vorlaeufig: bool,
    command_line: &[String],
) -> Result<(PathBuf, RunOutput), Error> {
    let bm = results.berichtsmonat;
    let target = output::names::RunFolder::new(out_dir, bm).into_path();
    let created = document_time()?;
    let mut manifest = manifest::Manifest {
        datenstand: latest_datenstand(results),
        vorlaeufig,
        ..manifest::Manifest::new(bm.to_string(), created, command_line, &ds.files)
    };
    let planner = options
        .map(|o| report::Planner::new(results, ids, o, wording))
        .transpose()?;
    // What killed runs left beside any month is cleared first (issue 23, class 11).
    output::debris::sweep(out_dir);
    // The month folder's lock (the one `invite` holds while it sends) for the whole run.
    let lock = output::lock_folder(&target)?;
    let previous = options
        .filter(|o| o.reuse)
        .map(|_| crate::typeset::reuse::Previous::read(&target));
    // The first manifest lists every file that may be written (hashes to follow), so
    // that a staging folder left by a kill is known as rendered (see output::folder).
    let mut planned: Vec<String> = FIGURE_FILES.iter().map(|&f| f.to_owned()).collect();
    planned.extend(planner.iter().flat_map(report::Planner::files));
    manifest.files = planned
        .iter()
        .chain(std::iter::once(&output::folder::MANIFEST_NEXT.to_owned()))
        .map(|p| manifest::entry(p.clone(), &[]))
        .collect();
    let staging = output::folder::Staging::begin(
        &lock,
        &planned,
        &manifest.to_file().bytes,
        Existing::Replace {
            keep: &[output::INVITATIONS_FOLDER],
        },
    )?;
    // The writer: files in, written and synced, their entries out (with their position).
    let (tx, rx) = std::sync::mpsc::sync_channel::<ToWrite>(4);
    let staging_ref = &staging;
    let (entries, outcome) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> Result<Vec<(usize, FileEntry)>, Error> {
            let mut entries = Vec::new();
            for job in rx {
                let file = &job.file;
                // A reused PDF becomes a second name of the previous run's file (the
                // old folder is removed after the swap): no copy, no second sync.
                let linked = job
                    .reused_from
                    .is_some_and(|from| staging_ref.link(&from, &file.path, &file.bytes).is_ok());
                if !linked {
                    staging_ref.write(&file.path, &file.bytes)?;
                }
                let mut entry = manifest::entry(job.file.path, &job.file.bytes);
                entry.render_key = job.render_key;
                entries.push((job.index, entry));
            }
            Ok(entries)
        });
        let send = |job: ToWrite| {
            tx.send(job)
                .map_err(|_| Error::Render("the file writer stopped".into()))
        };
        let n = FIGURE_FILES.len();
        // The figure files are made beside the overview (or first, with --figures-only).
        let figures = || -> Result<(), Error> {
            for (index, file) in figure_files(results, wording.namen()?)?
                .into_iter()
                .enumerate()
            {
                send(ToWrite {
                    index,
                    file,
                    render_key: None,
                    reused_from: None,
                })?;
            }
            Ok(())
        };
        let outcome = match &planner {
            None => figures().map(|()| report::Outcome::default()),
            Some(planner) => report::render(
                planner,
                previous.as_ref(),
                &|f| {
                    send(ToWrite {
                        index: n + f.index,
                        file: f.file,
                        render_key: Some(f.render_key),
                        reused_from: f.reused_from,
                    })
                },
                &figures,
            ),
        };
        drop(tx);
        let written = writer.join().expect("the file writer does not panic");
        // A write error explains a stopped render best.
        match (written, outcome) {
            (Err(e), _) | (Ok(_), Err(e)) => Err(e),
            (Ok(entries), Ok(outcome)) => Ok((entries, outcome)),
        }
    })?;
    let mut entries = entries;
    entries.sort_by_key(|(i, _)| *i);
    manifest.files = entries.into_iter().map(|(_, e)| e).collect();
    let written = staging.finish(Some(&manifest.to_file().bytes))?;
    // What a rerun may reuse: the keyed record of what this run wrote (issue 23, class 8).
    crate::typeset::trust::record(&target, &manifest.files);
    drop(lock);
    output::note_kept(&target, &written);
    Ok((
        target,
        RunOutput {
            failures: outcome.failures,
            reports: outcome.reports,
            overview: outcome.overview,
            reused: outcome.reused,
        },
    ))
}

pub(crate) fn latest_datenstand(results: &Results) -> Option<String> {
    results
        .entities
        .iter()
        .filter_map(|e| e.datenstand)
        .max()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// The closing summary: how many, where, how long, which failed and why.
pub(crate) fn summary(target: &Path, out: &RunOutput, started: Instant) {
    let reports = Many(out.reports, "Bericht", "Berichte");
    let what = match (out.reports, out.overview) {
        (0, false) => Msg::WrittenFiguresOnly,
        (_, true) => Msg::WrittenWithOverview { reports },
        (_, false) => Msg::WrittenReports { reports },
    };
    let reused = match out.reused {
        0 => String::new(),
        n => Msg::WrittenReused {
            documents: Many(n, "Dokument", "Dokumente"),
        }
        .to_string(),
    };
    let failed = !out.failures.is_empty();
    if failed {
        console::error(Msg::DocumentsFailed {
            documents: Many(out.failures.len(), "Dokument", "Dokumente"),
        });
        for (name, why) in &out.failures {
            eprintln!("  {name}: {why}");
        }
    }
    console::closing(Msg::Written {
        what: what.to_string(),
        folder: target.display().to_string(),
        seconds: format!("{:.1}", started.elapsed().as_secs_f64()).replace('.', ","),
        reused,
    });
}
