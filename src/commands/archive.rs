//! `archive`: the write-once annual archive.
//!
//! `archive --year Y` writes the December outcome of year Y as an edition
//! `ARCHIVE/Y/ausgabe-N/`: every report, the overview, `kennzahlen.csv`, the input files
//! exactly as read (`eingaben/`), and a manifest with the SHA-256 of every file. An edition
//! is never overwritten or deleted; `--supersede REASON` adds the next one and records
//! what it supersedes and what changed against it (`aenderungen.csv`, and the German page
//! `aenderungen.pdf`, see [`crate::compare::page`]). Every edition is entered in the archive's register
//! (`ARCHIVE/register.txt`, see [`output::register`]), which `verify` checks.

use std::path::Path;
use std::time::Instant;

use crate::cli::ArchiveArgs;
use crate::compare::{self, Side, page};
use crate::domain::Berichtsmonat;
use crate::error::{Error, Exit};
use crate::figures;
use crate::output::kennzahlen;
use crate::output::register::{EDITION_PREFIX, editions, sealed_by_register, sealed_file};
use crate::output::{self, Existing, OutFile, manifest};
use crate::pipeline;

pub fn archive(args: &ArchiveArgs, command_line: &[String]) -> Result<Exit, Error> {
    let started = Instant::now();
    if args.repair_register {
        return repair_register(args, command_line);
    }
    let year = args.year.unwrap_or_default();
    if !(1000..=9999).contains(&year) {
        return Err(Error::Usage(format!(
            "--year: erwartet wird eine vierstellige Jahreszahl, gefunden wurde {year}"
        )));
    }
    // The document date (SOURCE_DATE_EPOCH, the clock) before any work.
    pipeline::document_time()?;
    if args
        .supersede
        .as_deref()
        .is_some_and(|r| r.trim().is_empty())
    {
        return Err(Error::Usage(
            "--supersede: erwartet wird ein Grund, gefunden wurde ein leerer Text".into(),
        ));
    }
    // The reason is printed on the page aenderungen.pdf: only what its fonts can show.
    if let Some(c) = args
        .supersede
        .as_deref()
        .and_then(crate::load::cells::unprintable)
    {
        return Err(Error::Usage(format!(
            "--supersede: {}",
            crate::load::cells::unprintable_message(c)
        )));
    }
    output::check_out("--archive", &args.archive)?;
    let ds = pipeline::load_data(&args.data.data)?;
    // A December without any row is an input error (contract 4, v4).
    let december = Berichtsmonat { year, month: 12 };
    if let Some(error) = figures::require_rows(&ds, december, &format!("--year {year}")) {
        return Err(Error::Input(vec![error]));
    }
    // One archive command at a time: edition numbers and the register stay consistent.
    let _archive_lock = output::lock::acquire(&output::register::path(&args.archive))?;
    // What a killed `archive` left half published is completed or rolled back first; a
    // lost register is refused, never rebuilt from what lies on disk.
    if let Some(note) = output::register::recover(&args.archive)? {
        eprintln!("{note}");
    }
    output::register::require(&args.archive, None)?;
    let year_dir = args.archive.join(year.to_string());
    // What killed commands left in the year's folder is cleared first (issue 23, class 11).
    output::debris::sweep(&year_dir);
    // Numbers on disk and in the register: an edition renamed or removed on disk keeps
    // its number taken.
    let year_prefix = format!("{year}/{EDITION_PREFIX}");
    let registered = output::register::read(&args.archive)
        .0
        .into_iter()
        .filter_map(|e| e.edition.strip_prefix(&year_prefix)?.parse::<u32>().ok());
    let previous = editions(&year_dir).into_iter().chain(registered).max();
    match (previous, &args.supersede) {
        (Some(n), None) => {
            return Err(Error::Refused(format!(
                "{} holds edition {EDITION_PREFIX}{n} already; archives are write-once and nothing was changed.\n\
                 To publish a corrected edition, give the reason: --supersede \"…\"",
                year_dir.display()
            )));
        }
        (None, Some(_)) => {
            return Err(Error::Usage(format!(
                "--supersede: in {} gibt es keine Ausgabe, die ersetzt werden könnte",
                year_dir.display()
            )));
        }
        _ => {}
    }
    let edition = previous.map_or(1, |n| n + 1);
    let bm = Berichtsmonat { year, month: 12 };
    let ids = pipeline::selected(&[], &ds)?;
    let gaps = pipeline::incomplete(&ds, bm, &ids);
    let options = pipeline::report_options(
        &(&args.render).into(),
        &ds.bericht.bericht,
        !gaps.is_empty(),
    )?;
    let results = figures::compute(&ds, bm, args.render.tolerance).map_err(Error::Render)?;
    // The templates folder, read once for everything this command words or renders.
    let wording = crate::texte::Wording::read(args.render.look.templates.as_deref());
    wording.namen()?;
    // A superseding edition takes the PDFs of the one it supersedes whose inputs are
    // unchanged (checked against that edition's manifest).
    // Only from an edition whose manifest is the one the register sealed: an edition
    // whose PDFs and manifest were both altered would otherwise pass its bytes on.
    let reuse_from = previous
        .filter(|_| args.supersede.is_some() && options.reuse)
        .map(|n| year_dir.join(format!("{EDITION_PREFIX}{n}")))
        .filter(|dir| {
            let sealed = sealed_by_register(&args.archive, year, dir);
            if !sealed {
                eprintln!(
                    "Hinweis: {}/{} weicht von register.txt ab (oder steht nicht darin); daraus wird nichts übernommen, jedes Dokument wird neu erzeugt",
                    dir.display(),
                    manifest::FILE
                );
            }
            sealed
        });
    let (mut files, render_keys, out) =
        pipeline::produce(&results, &ids, &options, reuse_from.as_deref(), &wording)?;
    if !out.failures.is_empty() {
        pipeline::summary(&year_dir, &out, started);
        return Err(Error::Refused(
            "eine Archivausgabe muss vollständig sein; es wurde nichts geschrieben".into(),
        ));
    }
    for input in &ds.files {
        let name = input
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(OutFile {
            path: format!("eingaben/{name}"),
            bytes: input.bytes.clone(),
        });
    }
    // A superseding edition says what it changed against the one it supersedes: all
    // changes as a table, and a German page with the reason and the first of them.
    if let (Some(n), Some(reason)) = (previous, &args.supersede) {
        let old_dir = year_dir.join(format!("{EDITION_PREFIX}{n}"));
        let new = files.iter().find(|f| f.path == kennzahlen::FILE);
        // The comparison is sealed into this edition for good: it is made only from the
        // figures the register seals for the superseded edition. A missing, altered or
        // unreadable file is worth a warning, never a refusal (the supersede is the way
        // to correct the archive).
        let old = if sealed_file(&args.archive, year, &old_dir, kennzahlen::FILE) {
            Side::read(&old_dir).map_err(|e| e.to_string())
        } else {
            Err(format!(
                "{} fehlt oder weicht von dem ab, was das Register besiegelt",
                old_dir.join(kennzahlen::FILE).display()
            ))
        };
        match (old, new) {
            (Ok(mut a), Some(new)) => {
                a.name = format!("{EDITION_PREFIX}{n}");
                let b = Side::parse("new", Path::new(kennzahlen::FILE), &new.bytes)?;
                let changes = compare::compare(&a, &b);
                eprintln!(
                    "gegenüber {EDITION_PREFIX}{n}: {} ({} und {} in der Ausgabe)",
                    changes.summary(),
                    page::FILE,
                    page::TABLE_FILE
                );
                let datenstand = pipeline::latest_datenstand(&results);
                let editions = page::Editions {
                    year,
                    edition,
                    supersedes: n,
                    reason,
                    datenstand_old: a.datenstand.as_deref(),
                    datenstand_new: datenstand.as_deref(),
                };
                let data = page::data(&changes, &editions, &results, &options, &wording)?;
                files.push(page::render(&data, &options, &wording)?);
                files.push(OutFile {
                    path: page::TABLE_FILE.into(),
                    bytes: changes.table().into_bytes(),
                });
            }
            (Err(why), _) => {
                crate::messages::console::warning(format!(
                    "{why}: diese Ausgabe sagt nichts darüber, was sie geändert hat"
                ));
            }
            (Ok(_), None) => {}
        }
    }
    let manifest = manifest::Manifest {
        datenstand: pipeline::latest_datenstand(&results),
        vorlaeufig: !gaps.is_empty(),
        edition: Some(edition),
        supersedes: previous.map(|n| format!("{EDITION_PREFIX}{n}")),
        supersede_reason: args.supersede.clone(),
        files: pipeline::entries(&files, &render_keys),
        ..manifest::Manifest::new(
            bm.to_string(),
            pipeline::document_time()?,
            command_line,
            &ds.files,
        )
    };
    let entries = manifest.files.clone();
    let manifest = manifest.to_file();
    let manifest_sha256 = output::sha256_hex(&manifest.bytes);
    files.push(manifest);
    let name = format!("{EDITION_PREFIX}{edition}");
    let target = year_dir.join(&name);
    let lock = output::lock_folder(&target)?;
    // Ctrl-C waits until the edition and its register entry are in place (or not at all).
    let hold = crate::interrupt::hold();
    output::register::publish(
        &args.archive,
        &format!("{year}/{name}"),
        &manifest_sha256,
        || output::write_folder(&lock, &files, Existing::Refuse).map(|_| ()),
    )?;
    drop(hold);
    // What a superseding edition may reuse (issue 23, class 8).
    crate::typeset::trust::record(&target, &entries);
    pipeline::summary(&target, &out, started);
    Ok(Exit::Ok)
}

/// `archive --repair-register`: see [`output::repair`].
fn repair_register(args: &ArchiveArgs, command_line: &[String]) -> Result<Exit, Error> {
    if !args.archive.is_dir() {
        return Err(Error::Usage(format!(
            "--archive: {} ist kein Ordner; es gibt kein Archiv, dessen Register repariert werden könnte",
            args.archive.display()
        )));
    }
    let _archive_lock = output::lock::acquire(&output::register::path(&args.archive))?;
    output::repair::repair(
        &args.archive,
        &output::verify::edition_problems,
        command_line,
    )
}
