//! `verify`: check run folders and archive editions against their manifests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Exit};
use crate::output::{self, manifest};

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
        if p.is_dir() && dir == root && entry.file_name() == output::INVITATIONS_FOLDER {
            continue;
        }
        if p.is_dir() {
            list_files(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
