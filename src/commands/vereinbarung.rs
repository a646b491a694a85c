//! `vereinbarung`: the year's target agreement of each zkT into
//! `OUT/vereinbarungen/<year>/`, written atomically with a manifest.

use std::time::Instant;

use crate::cli::{RenderArgs, VereinbarungArgs};
use crate::domain::Decimal;
use crate::error::{Error, Exit, InputError};
use crate::load::Dataset;
use crate::messages::de::Many;
use crate::messages::{Msg, console};
use crate::output::{self, Existing, manifest};
use crate::pipeline;
use crate::vereinbarung::{self, config};

pub fn vereinbarung(args: &VereinbarungArgs, command_line: &[String]) -> Result<Exit, Error> {
    let started = Instant::now();
    let year = args.year;
    // Arguments first: a bad output, template or font folder fails before any data is read.
    output::check_out("--out", &args.out)?;
    let options = pipeline::report_options(
        &RenderArgs {
            tolerance: Decimal::ZERO,
            look: args.look.clone(),
            jobs: Some(1),
            no_reuse: true,
            document_timeout: 0,
        },
        &args.data,
        false,
    )?;
    let source = match &args.config {
        Some(path) => config::Source::Explicit(path.clone()),
        None => config::Source::Default(args.data.data.join(config::FILE)),
    };
    let loaded = config::load(&source).map_err(|e| Error::Input(vec![e]))?;
    if let (None, config::Source::Default(path)) = (&loaded.file, &source) {
        console::warning(Msg::AgreementNoConfig {
            file: path.display().to_string(),
        });
    }
    let ds = pipeline::load_data(&args.data)?;
    let ids = selected(args, &ds)?;
    if !ds.ziele.soll.keys().any(|(jahr, _, _)| *jahr == year) {
        console::warning(Msg::AgreementNoTargets {
            file: ds.dir.join(crate::load::ZIELE_FILE).display().to_string(),
            year,
        });
    }

    let rendered = vereinbarung::render_all(&ds, year, &ids, &loaded.config, &options)?;
    let target = args.out.join(vereinbarung::FOLDER).join(year.to_string());
    let mut inputs = manifest::inputs(&ds.files);
    if let Some(file) = &loaded.file {
        inputs.extend(manifest::inputs(std::slice::from_ref(file)));
    }
    let manifest = manifest::Manifest {
        program: env!("CARGO_PKG_NAME").into(),
        version: crate::build_info::LONG_VERSION.into(),
        // An agreement covers the whole year: its "Berichtsmonat" is the year.
        berichtsmonat: year.to_string(),
        created: options
            .timestamp
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        command: command_line.to_vec(),
        datenstand: None,
        vorlaeufig: false,
        edition: None,
        supersedes: None,
        supersede_reason: None,
        inputs,
        files: manifest::outputs(&rendered.files),
    };
    let count = rendered.files.len();
    let mut files = rendered.files;
    files.push(manifest.to_file());
    let lock = output::lock_folder(&target)?;
    let written = output::write_folder(&lock, &files, Existing::Replace { keep: &[] })?;
    drop(lock);
    output::note_kept(&target, &written);

    let failed = !rendered.failures.is_empty();
    if failed {
        console::error(Msg::DocumentsFailed {
            documents: Many(rendered.failures.len(), "Dokument", "Dokumente"),
        });
        for (name, why) in &rendered.failures {
            eprintln!("  {name}: {why}");
        }
    }
    console::closing(Msg::Written {
        what: Msg::WrittenAgreements {
            agreements: Many(count, "Vereinbarung", "Vereinbarungen"),
        }
        .to_string(),
        folder: target.display().to_string(),
        seconds: format!("{:.1}", started.elapsed().as_secs_f64()).replace('.', ","),
        reused: String::new(),
    });
    Ok(if failed { Exit::Partial } else { Exit::Ok })
}

/// The Jobcenters to render: those named, else every one. § 48b Abs. 1 S. 1 Nr. 4 SGB II
/// concerns the zugelassene kommunale Träger, so a gemeinsame Einrichtung (`traeger` gE)
/// is skipped (and naming one is an error); an empty `traeger` counts as zkT.
fn selected(args: &VereinbarungArgs, ds: &Dataset) -> Result<Vec<String>, Error> {
    let ids = pipeline::selected(&args.jobcenters, ds)?;
    let is_ge = |id: &String| {
        ds.jobcenters
            .iter()
            .find(|j| &j.id == id)
            .and_then(|j| j.traeger.as_deref())
            .is_some_and(|t| t.eq_ignore_ascii_case("gE"))
    };
    if !args.jobcenters.is_empty() {
        if let Some(id) = ids.iter().find(|id| is_ge(id)) {
            return Err(Error::Usage(
                Msg::AgreementJobcenterIsGe { id: id.clone() }.to_string(),
            ));
        }
        return Ok(ids);
    }
    let (ge, zkt): (Vec<String>, Vec<String>) = ids.into_iter().partition(|id| is_ge(id));
    if !ge.is_empty() {
        console::note(Msg::AgreementGeSkipped { count: ge.len() });
    }
    if zkt.is_empty() {
        return Err(Error::Input(vec![InputError::file(
            ds.dir.join(crate::load::JOBCENTER_FILE),
            "expected at least one zugelassener kommunaler Träger (traeger zkT or empty), found only gE",
        )]));
    }
    Ok(zkt)
}
