//! `vereinbarung`: the year's target agreement of each zkT into
//! `OUT/vereinbarungen/<year>/`, written atomically with a manifest.

use std::time::Instant;

use crate::cli::VereinbarungArgs;
use crate::error::{Error, Exit, InputError};
use crate::load::Dataset;
use crate::load::bericht::{self, Bericht};
use crate::messages::de::Many;
use crate::messages::{Msg, console};
use crate::output::{self, Existing, manifest};
use crate::pipeline;
use crate::vereinbarung;

pub fn vereinbarung(args: &VereinbarungArgs, command_line: &[String]) -> Result<Exit, Error> {
    let started = Instant::now();
    let year = args.year;
    // Arguments first: a bad output, template or font folder fails before any data is read.
    output::check_out("--out", &args.out)?;
    let options = pipeline::report_options(&(&args.look).into(), &Bericht::default(), false)?;
    // `--config` replaces the data folder's bericht.toml.
    let source = match &args.config {
        Some(path) => bericht::Source::Explicit(path.clone()),
        None => bericht::Source::Default(args.data.data.join(bericht::FILE)),
    };
    let ds = pipeline::load_data_with(&args.data.data, &source)?;
    if let bericht::Source::Default(path) = &source
        && !ds.files.iter().any(|f| &f.path == path)
    {
        console::warning(Msg::AgreementNoConfig {
            file: path.display().to_string(),
        });
    }
    let ids = selected(args, &ds)?;
    if !ds.ziele.soll.keys().any(|(jahr, _, _)| *jahr == year) {
        console::warning(Msg::AgreementNoTargets {
            file: ds.dir.join(crate::load::ZIELE_FILE).display().to_string(),
            year,
        });
    }

    // The templates folder, read once for the wording and the print shop.
    let wording = crate::texte::Wording::read(options.templates.as_deref());
    let rendered = vereinbarung::render_all(
        &ds,
        year,
        &ids,
        &ds.bericht.vereinbarung,
        &options,
        &wording,
    )?;
    let target = args.out.join(vereinbarung::FOLDER).join(year.to_string());
    let manifest = manifest::Manifest {
        files: manifest::outputs(&rendered.files),
        // An agreement covers the whole year: its "Berichtsmonat" is the year.
        ..manifest::Manifest::new(year.to_string(), options.timestamp, command_line, &ds.files)
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
            "erwartet wird mindestens ein zugelassener kommunaler Träger (traeger zkT oder leer), gefunden wurden nur gE",
        )]));
    }
    Ok(zkt)
}
