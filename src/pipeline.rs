//! The pipeline as functions the commands share: load a data folder (printing its
//! warnings), validate the rendering settings, compute and render one Berichtsmonat into
//! memory, and print the closing summary. `run`, `archive` and `invite` all go through
//! here, so a report is made the same way whichever command asks for it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::{DataArgs, RenderArgs};
use crate::domain::Berichtsmonat;
use crate::error::Error;
use crate::figures::{self, Results};
use crate::load::{self, Dataset};
use crate::output::{self, Existing, OutFile, manifest};
use crate::report::{self, ReportOptions};
use crate::texte::Kennzahlnamen;

/// Reads the data folder, printing warnings; input errors end the command.
pub(crate) fn load_data(data: &DataArgs) -> Result<Dataset, Error> {
    let ds = load::load(&data.data).map_err(Error::Input)?;
    for w in &ds.warnings {
        eprintln!("warning: {w}");
    }
    Ok(ds)
}

/// Validated rendering settings shared by `run`, `archive` and `invite`: the template
/// and font folders exist, at least one job.
pub(crate) fn report_options(
    render: &RenderArgs,
    data: &DataArgs,
    vorlaeufig: bool,
) -> Result<ReportOptions, Error> {
    if let Some(dir) = &render.look.templates
        && !dir.is_dir()
    {
        return Err(Error::Usage(format!(
            "--templates: {} is not a folder",
            dir.display()
        )));
    }
    for dir in &render.look.font_path {
        if !dir.exists() {
            return Err(Error::Usage(format!(
                "--font-path: {} does not exist",
                dir.display()
            )));
        }
    }
    let jobs = match render.jobs {
        Some(0) => return Err(Error::Usage("--jobs: expected at least 1".into())),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
    };
    Ok(ReportOptions {
        templates: render.look.templates.clone(),
        font_paths: render.look.font_path.clone(),
        jobs,
        timestamp: document_time()?,
        vorlaeufig,
        bericht: crate::report::config::Bericht::load(&data.data)?,
        emit_data: None,
    })
}

/// The document date: `SOURCE_DATE_EPOCH` when set (reproducible builds), else now.
pub(crate) fn document_time() -> Result<chrono::DateTime<chrono::Utc>, Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
            // A PDF date has four digits for the year.
            .filter(|d| chrono::Datelike::year(d) <= 9999)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH: expected seconds since 1970 up to the year 9999, found \"{text}\""
                ))
            }),
        _ => Ok(chrono::Utc::now()),
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
                "--jobcenter: \"{raw}\" is not in jobcenter.csv"
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

/// Everything a run folder holds, in memory.
pub(crate) struct RunOutput {
    pub files: Vec<OutFile>,
    pub failures: Vec<(String, String)>,
    pub reports: usize,
    pub overview: bool,
}

/// Computes and renders one Berichtsmonat into memory.
pub(crate) fn produce(
    results: &Results,
    ids: &[String],
    options: Option<&ReportOptions>,
    namen: &Kennzahlnamen,
) -> Result<RunOutput, Error> {
    let mut files = vec![
        OutFile {
            path: "kennzahlen.csv".into(),
            bytes: output::kennzahlen::render(results).into_bytes(),
        },
        OutFile {
            path: output::xlsx::FILE.into(),
            bytes: output::xlsx::render(results, document_time()?, namen).map_err(Error::Render)?,
        },
    ];
    let mut failures = Vec::new();
    let mut reports = 0;
    let mut overview = false;
    if let Some(options) = options {
        let rendered = report::render_all(results, ids, options)?;
        // Count the Jobcenter reports; the overview is named on its own.
        reports = rendered
            .files
            .iter()
            .filter(|f| f.path != report::OVERVIEW_FILE)
            .count();
        overview = rendered
            .files
            .iter()
            .any(|f| f.path == report::OVERVIEW_FILE);
        files.extend(rendered.files);
        failures = rendered.failures;
    }
    Ok(RunOutput {
        files,
        failures,
        reports,
        overview,
    })
}

/// Renders one Berichtsmonat into its run folder `OUT/<YYYY-MM>/` with its manifest,
/// replacing an earlier run of the month but keeping its `einladungen/`. `run` calls it
/// once its arguments and data are validated, `invite` when a report to attach is missing.
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
    namen: &Kennzahlnamen,
    vorlaeufig: bool,
    command_line: &[String],
) -> Result<(PathBuf, RunOutput), Error> {
    let bm = results.berichtsmonat;
    let mut out = produce(results, ids, options, namen)?;
    let target = output::run_folder(out_dir, &bm.to_string());
    let created = document_time()?;
    let manifest = manifest::Manifest {
        program: env!("CARGO_PKG_NAME").into(),
        version: env!("CARGO_PKG_VERSION").into(),
        berichtsmonat: bm.to_string(),
        created: created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        command: command_line.to_vec(),
        datenstand: latest_datenstand(results),
        vorlaeufig,
        edition: None,
        supersedes: None,
        supersede_reason: None,
        inputs: manifest::inputs(&ds.files),
        files: manifest::outputs(&out.files),
    };
    let mut files = std::mem::take(&mut out.files);
    files.push(manifest.to_file());
    // The month folder's lock (the one `invite` holds while it sends) for the whole write.
    let lock = output::lock_folder(&target)?;
    let written = output::write_folder(
        &lock,
        &files,
        Existing::Replace {
            keep: &[output::INVITATIONS_FOLDER],
        },
    )?;
    drop(lock);
    output::note_kept(&target, &written);
    Ok((target, out))
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
    let secs = started.elapsed().as_secs_f64();
    let written = match (out.reports, out.overview) {
        (0, false) => "kennzahlen.csv, kennzahlen.xlsx and manifest.json".to_string(),
        (n, true) => format!(
            "{n} report(s), uebersicht.pdf, kennzahlen.csv, kennzahlen.xlsx and manifest.json"
        ),
        (n, false) => format!("{n} report(s), kennzahlen.csv, kennzahlen.xlsx and manifest.json"),
    };
    eprintln!("{written} written to {} in {secs:.1} s", target.display());
    if !out.failures.is_empty() {
        eprintln!(
            "{} document(s) failed and were not written:",
            out.failures.len()
        );
        for (name, why) in &out.failures {
            eprintln!("  {name}: {why}");
        }
    }
}
