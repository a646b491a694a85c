//! The write-once annual archive and `verify`.
//!
//! `archive --year Y` writes the December outcome of year Y as an edition
//! `ARCHIVE/Y/ausgabe-N/`: every report, the overview, `kennzahlen.csv`, the input files
//! exactly as read (`eingaben/`), and a manifest with the SHA-256 of every file. An edition
//! is never overwritten or deleted; `--supersede REASON` adds the next one and records
//! what it supersedes. `verify` checks folders against their manifests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::ArchiveArgs;
use crate::error::Error;
use crate::figures::{self, Berichtsmonat};
use crate::output::{self, Existing, OutFile, manifest};
use crate::run::{self, Exit};

const EDITION_PREFIX: &str = "ausgabe-";

/// Numbers of the editions present in a year folder.
fn editions(year_dir: &Path) -> Vec<u32> {
    let mut out: Vec<u32> = std::fs::read_dir(year_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_prefix(EDITION_PREFIX)?
                .parse()
                .ok()
        })
        .collect();
    out.sort_unstable();
    out
}

pub fn archive(args: &ArchiveArgs, command_line: &[String]) -> Result<Exit, Error> {
    let started = Instant::now();
    if !(1000..=9999).contains(&args.year) {
        return Err(Error::Usage(format!(
            "--year: expected a four-digit year, found {}",
            args.year
        )));
    }
    if args
        .supersede
        .as_deref()
        .is_some_and(|r| r.trim().is_empty())
    {
        return Err(Error::Usage(
            "--supersede: expected a reason, found an empty text".into(),
        ));
    }
    let tolerance = run::tolerance(&args.render)?;
    let ds = run::load_data(&args.data)?;
    let year_dir = args.archive.join(args.year.to_string());
    let existing = editions(&year_dir);
    let previous = existing.last().copied();
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
                "--supersede: {} holds no edition to supersede",
                year_dir.display()
            )));
        }
        _ => {}
    }
    let edition = previous.map_or(1, |n| n + 1);
    let bm = Berichtsmonat {
        year: args.year,
        month: 12,
    };
    let ids = run::selected(&[], &ds)?;
    let gaps = run::incomplete(&ds, bm, &ids);
    let options = run::report_options(&args.render, !gaps.is_empty())?;
    let results = figures::compute(&ds, bm, tolerance).map_err(Error::Render)?;
    let mut out = run::produce(&results, &ids, Some(&options))?;
    if !out.failures.is_empty() {
        run::summary(&year_dir, &out, started);
        return Err(Error::Refused(
            "an archive edition must be complete; nothing was written".into(),
        ));
    }
    let mut files = std::mem::take(&mut out.files);
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
    let manifest = manifest::Manifest {
        program: env!("CARGO_PKG_NAME").into(),
        version: env!("CARGO_PKG_VERSION").into(),
        berichtsmonat: bm.to_string(),
        created: options
            .timestamp
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        command: command_line.to_vec(),
        datenstand: run::latest_datenstand(&results),
        vorlaeufig: !gaps.is_empty(),
        edition: Some(edition),
        supersedes: previous.map(|n| format!("{EDITION_PREFIX}{n}")),
        supersede_reason: args.supersede.clone(),
        inputs: manifest::inputs(&ds.files),
        files: manifest::outputs(&files),
    };
    files.push(manifest.to_file());
    let target = year_dir.join(format!("{EDITION_PREFIX}{edition}"));
    output::write_folder(&target, &files, Existing::Refuse)?;
    run::summary(&target, &out, started);
    Ok(Exit::Ok)
}

/// Verifies `dir`: a folder with `manifest.json`, or every such folder below it.
pub fn verify(dir: &Path) -> Result<Exit, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "verify: {} is not a folder",
            dir.display()
        )));
    }
    let mut folders = Vec::new();
    find_manifests(dir, 0, &mut folders);
    if folders.is_empty() {
        return Err(Error::Usage(format!(
            "verify: no {} in {} or its subfolders",
            manifest::FILE,
            dir.display()
        )));
    }
    folders.sort();
    let mut all_ok = true;
    for folder in &folders {
        let problems = verify_folder(folder);
        if problems.is_empty() {
            println!("ok       {}", folder.display());
        } else {
            all_ok = false;
            for p in &problems {
                println!("{p}");
            }
            println!(
                "FAILED   {} ({} problem(s))",
                folder.display(),
                problems.len()
            );
        }
    }
    Ok(if all_ok { Exit::Ok } else { Exit::Partial })
}

fn find_manifests(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if dir.join(manifest::FILE).is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    if depth >= 3 {
        return;
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && entry.path().is_dir() {
            find_manifests(&entry.path(), depth + 1, out);
        }
    }
}

/// The problems of one folder against its manifest, one line each.
fn verify_folder(folder: &Path) -> Vec<String> {
    let path = folder.join(manifest::FILE);
    let manifest: manifest::Manifest = match std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(m) => m,
        Err(e) => return vec![format!("unreadable {}: {e}", path.display())],
    };
    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    for entry in &manifest.files {
        listed.insert(entry.path.clone());
        let file = folder.join(&entry.path);
        match std::fs::read(&file) {
            Err(_) => problems.push(format!("missing  {}", file.display())),
            Ok(bytes) if output::sha256_hex(&bytes) != entry.sha256 => {
                problems.push(format!(
                    "changed  {} (SHA-256 differs from the manifest)",
                    file.display()
                ));
            }
            Ok(_) => {}
        }
    }
    let mut present = Vec::new();
    list_files(folder, folder, &mut present);
    for rel in present {
        if rel != manifest::FILE && !listed.contains(&rel) {
            problems.push(format!("unexpected {}", folder.join(&rel).display()));
        }
    }
    problems
}

/// Files below `root`, relative; the invitations of a run folder are not part of what
/// the run wrote (they have their own send log) and are left out.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() && dir == root && entry.file_name() == crate::invite::FOLDER {
            continue;
        }
        if p.is_dir() {
            list_files(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
