//! `run`: the command line turned into a validated plan, then the pipeline
//! load → figures → report → output. Callable from tests, any number of times.

use std::ffi::OsString;
use std::path::Path;
use std::time::Instant;

use clap::Parser;

use crate::cli::{Cli, Command, DataArgs, GenerateArgs, RenderArgs, RunArgs};
use crate::error::{Error, InputError};
use crate::figures::{self, Berichtsmonat, Decimal, Results};
use crate::load::{self, Dataset};
use crate::output::{self, Existing, OutFile, manifest};
use crate::report::{self, ReportOptions};

/// Exit status of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything written (or verified).
    Ok = 0,
    /// Some units failed; the others were written (or some files did not verify).
    Partial = 1,
    /// Unusable arguments or input; nothing written.
    Unusable = 2,
}

/// Parses `args` (program name first), executes, prints messages, returns the exit status.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Unusable as u8
            } else {
                Exit::Ok as u8
            };
        }
    };
    let command_line: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // The command runs on a thread with a large stack: the thread that loads the data
    // also renders reports (see `report::render_all`), and Typst's layout recurses deeply.
    let outcome = std::thread::Builder::new()
        .name("zielbericht".into())
        .stack_size(16 * 1024 * 1024)
        .spawn(move || execute(cli, &command_line))
        .expect("spawn the main thread")
        .join();
    let Ok(outcome) = outcome else {
        eprintln!("error: internal error (a panic); please report it with the command line used");
        return Exit::Unusable as u8;
    };
    match outcome {
        Ok(exit) => exit as u8,
        Err(e) => {
            eprintln!("error: {e}");
            if matches!(e, Error::Input(_)) {
                eprintln!("nothing was written.");
            }
            Exit::Unusable as u8
        }
    }
}

/// Executes a parsed command line.
pub fn execute(cli: Cli, command_line: &[String]) -> Result<Exit, Error> {
    match cli.command {
        Command::Run(args) => run_month(&args, command_line),
        Command::Check(args) => check(&args),
        Command::Archive(args) => crate::archive::archive(&args, command_line),
        Command::Verify(args) => crate::archive::verify(&args.dir),
        Command::Invite(args) => crate::invite::invite(&args, command_line),
        Command::Generate(args) => generate(&args),
    }
}

/// Reads the data folder, printing warnings; input errors end the command.
pub(crate) fn load_data(data: &DataArgs) -> Result<Dataset, Error> {
    let ds = load::load(&data.data).map_err(Error::Input)?;
    for w in &ds.warnings {
        eprintln!("warning: {w}");
    }
    Ok(ds)
}

fn check(args: &DataArgs) -> Result<Exit, Error> {
    let ds = load_data(args)?;
    let default = figures::default_month(&ds);
    println!(
        "{}: {} Jobcenter, {} monthly rows, {} target rows, {} warning(s); latest complete month: {}",
        args.data.display(),
        ds.jobcenters.len(),
        ds.monatswerte.len(),
        ds.ziele.soll.len(),
        ds.warnings.len(),
        default.map_or_else(|| "none".to_string(), |m| m.to_string())
    );
    Ok(Exit::Ok)
}

fn generate(args: &GenerateArgs) -> Result<Exit, Error> {
    let cfg = crate::generate::GenerateConfig {
        jobcenters: args.jobcenters,
        first_year: if args.sample { 2016 } else { args.first_year },
        years: if args.sample { 3 } else { args.years },
        seed: args.seed,
        sample_nrw: args.sample,
        missing_symbols: args.sample,
    };
    let summary =
        crate::generate::generate(&cfg, &args.out).map_err(|e| Error::write(&args.out, e))?;
    println!(
        "{}: {} Jobcenter, {} months, {} rows",
        args.out.display(),
        summary.jobcenters,
        summary.months,
        summary.rows
    );
    Ok(Exit::Ok)
}

/// Rendering settings shared by `run` and `archive`, validated.
pub(crate) fn tolerance(render: &RenderArgs) -> Result<Decimal, Error> {
    figures::exact::parse_decimal(&render.tolerance)
        .filter(|d| d.units >= 0)
        .ok_or_else(|| {
            Error::Usage(format!(
                "--tolerance: expected percentage points like 1.0, found \"{}\"",
                render.tolerance
            ))
        })
}

pub(crate) fn report_options(
    render: &RenderArgs,
    vorlaeufig: bool,
) -> Result<ReportOptions, Error> {
    if let Some(dir) = &render.templates
        && !dir.is_dir()
    {
        return Err(Error::Usage(format!(
            "--templates: {} is not a folder",
            dir.display()
        )));
    }
    for dir in &render.font_path {
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
        templates: render.templates.clone(),
        font_paths: render.font_path.clone(),
        jobs,
        timestamp: document_time()?,
        vorlaeufig,
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
            .ok_or_else(|| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH: expected seconds since 1970, found \"{text}\""
                ))
            }),
        _ => Ok(chrono::Utc::now()),
    }
}

/// The Berichtsmonat from `--month`/`--quarter`, else the default month.
fn berichtsmonat(args: &RunArgs, ds: &Dataset) -> Result<Berichtsmonat, Error> {
    if let Some(text) = &args.month {
        return Berichtsmonat::parse(text)
            .ok_or_else(|| Error::Usage(format!("--month: expected YYYY-MM, found \"{text}\"")));
    }
    if let Some(text) = &args.quarter {
        return Berichtsmonat::parse_quarter(text).ok_or_else(|| {
            Error::Usage(format!(
                "--quarter: expected YYYY-Qn (n = 1..4), found \"{text}\""
            ))
        });
    }
    figures::default_month(ds).ok_or_else(|| {
        Error::Input(vec![InputError::file(
            ds.dir.join(load::MONATSWERTE_FILE),
            "expected a month in which every Jobcenter has a row with all seven required values, found none",
        )])
    })
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
) -> Result<RunOutput, Error> {
    let mut files = vec![OutFile {
        path: "kennzahlen.csv".into(),
        bytes: output::kennzahlen::render(results).into_bytes(),
    }];
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

fn run_month(args: &RunArgs, command_line: &[String]) -> Result<Exit, Error> {
    let started = Instant::now();
    let tolerance = tolerance(&args.render)?;
    let ds = load_data(&args.data)?;
    let bm = berichtsmonat(args, &ds)?;
    let ids = selected(&args.jobcenters, &ds)?;
    let gaps = if args.quarter.is_some() {
        incomplete(&ds, bm, &ids)
    } else {
        Vec::new()
    };
    if !gaps.is_empty() && !args.allow_incomplete {
        let list: Vec<String> = gaps
            .iter()
            .map(|(id, months)| format!("  {id}: {}", months.join(", ")))
            .collect();
        return Err(Error::Refused(format!(
            "the figures of {bm} are incomplete (missing required values or rows):\n{}\n\
             Deliver the missing rows, or render provisional reports with --allow-incomplete.",
            list.join("\n")
        )));
    }
    let options = if args.figures_only {
        None
    } else {
        Some(report_options(&args.render, !gaps.is_empty())?)
    };
    let results = figures::compute(&ds, bm, tolerance).map_err(Error::Render)?;
    let mut out = produce(&results, &ids, options.as_ref())?;

    let target = output::run_folder(&args.out, &bm.to_string());
    let created = document_time()?;
    let manifest = manifest::Manifest {
        program: env!("CARGO_PKG_NAME").into(),
        version: env!("CARGO_PKG_VERSION").into(),
        berichtsmonat: bm.to_string(),
        created: created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        command: command_line.to_vec(),
        datenstand: latest_datenstand(&results),
        vorlaeufig: !gaps.is_empty(),
        edition: None,
        supersedes: None,
        supersede_reason: None,
        inputs: manifest::inputs(&ds.files),
        files: manifest::outputs(&out.files),
    };
    let mut files = std::mem::take(&mut out.files);
    files.push(manifest.to_file());
    output::write_folder(
        &target,
        &files,
        Existing::Replace {
            keep: &[crate::invite::FOLDER],
        },
    )?;
    summary(&target, &out, started);
    Ok(if out.failures.is_empty() {
        Exit::Ok
    } else {
        Exit::Partial
    })
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
        (0, false) => "kennzahlen.csv and manifest.json".to_string(),
        (n, true) => format!("{n} report(s), uebersicht.pdf, kennzahlen.csv and manifest.json"),
        (n, false) => format!("{n} report(s), kennzahlen.csv and manifest.json"),
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
