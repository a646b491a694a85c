//! `run`: one Berichtsmonat computed and rendered into `OUT/<YYYY-MM>/`.

use std::time::Instant;

use crate::cli::RunArgs;
use crate::compare::{self, Side};
use crate::domain::Berichtsmonat;
use crate::error::{Error, Exit, InputError};
use crate::figures;
use crate::load::bericht::Bericht;
use crate::load::{self, Dataset};
use crate::messages::{Msg, console};
use crate::output::{self, kennzahlen};
use crate::pipeline;
use crate::texte::Wording;

pub fn run(args: &RunArgs, command_line: &[String]) -> Result<Exit, Error> {
    let started = Instant::now();
    // Arguments first: a bad --out, template or font folder fails before any data is read.
    output::check_out("--out", &args.out)?;
    let mut options = if args.figures_only {
        None
    } else {
        Some(pipeline::report_options(
            &(&args.render).into(),
            &Bericht::default(),
            false,
        )?)
    };
    // The templates folder, read once for everything this command words or renders;
    // `kennzahlen.toml` parsed before the data are read, as its errors come first.
    let wording = Wording::read(args.render.look.templates.as_deref());
    wording.namen()?;
    let ds = pipeline::load_data(&args.data.data)?;
    if let Some(options) = &mut options {
        options.bericht = ds.bericht.bericht.clone();
    }
    let bm = berichtsmonat(args, &ds)?;
    let ids = pipeline::selected(&args.jobcenters, &ds)?;
    let gaps = if args.quarter.is_some() {
        pipeline::incomplete(&ds, bm, &ids)
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
    if let Some(options) = &mut options {
        options.vorlaeufig = !gaps.is_empty();
        options.emit_data.clone_from(&args.emit_data);
    }
    output::check_apart(
        &args.data.data,
        &output::names::RunFolder::new(&args.out, bm),
    )?;
    if let Some(dir) = &args.emit_data {
        output::check_emit(dir, &output::names::RunFolder::new(&args.out, bm))?;
    }
    let results = figures::compute(&ds, bm, args.render.tolerance).map_err(Error::Render)?;
    // The figures of an earlier run of the month, to say what this one changed.
    let previous_csv = output::names::RunFolder::new(&args.out, bm).join(kennzahlen::FILE);
    let previous = std::fs::read(&previous_csv).ok();
    let (target, out) = pipeline::write_run_folder(
        &args.out,
        &ds,
        &results,
        &ids,
        options.as_ref(),
        &wording,
        !gaps.is_empty(),
        command_line,
    )?;
    pipeline::summary(&target, &out, started);
    if let Some(old) = previous {
        let new = std::fs::read(target.join(kennzahlen::FILE)).unwrap_or_default();
        if let (Ok(a), Ok(b)) = (
            Side::parse("previous run", &previous_csv, &old),
            Side::parse("this run", &previous_csv, &new),
        ) {
            console::note(Msg::ComparedWithPrevious {
                month: bm.to_string(),
                summary: compare::compare(&a, &b).summary(),
            });
        }
    }
    Ok(if out.failures.is_empty() {
        Exit::Ok
    } else {
        Exit::Partial
    })
}

/// The Berichtsmonat from `--month`/`--quarter`, else the default month.
fn berichtsmonat(args: &RunArgs, ds: &Dataset) -> Result<Berichtsmonat, Error> {
    if let Some(bm) = args.month.or(args.quarter) {
        let option = if args.month.is_some() {
            format!("--month {bm}")
        } else {
            format!("--quarter {}-Q{}", bm.year, bm.month.div_ceil(3))
        };
        // A month without any row is an input error (contract 4, v4).
        return match figures::require_rows(ds, bm, &option) {
            Some(error) => Err(Error::Input(vec![error])),
            None => Ok(bm),
        };
    }
    figures::default_month(ds).ok_or_else(|| {
        Error::Input(vec![InputError::file(
            ds.dir.join(load::MONATSWERTE_FILE),
            "erwartet wird ein Monat, in dem jedes Jobcenter eine Zeile mit allen sieben Pflichtwerten hat, gefunden wurde keiner",
        )])
    })
}
