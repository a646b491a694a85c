//! `verify`: check run folders and archive editions against their manifests, and an
//! archive against its register of editions.
//!
//! A folder is walked without following symbolic links: a link (or a FIFO, a device) in a
//! checked folder is reported, never read. Manifest paths that leave the folder (`..`, an
//! absolute path) are refused. In a run folder `einladungen/` is not checked (it has its
//! own send log); in an archive edition everything is. Each folder (each archive) is
//! read under a shared lock, so `verify` never sees a write half done.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use super::register::EDITION_PREFIX;
use super::{INVITATIONS_FOLDER, manifest, register, walk};
use crate::error::Exit;
use crate::messages::Msg;
use crate::messages::de::Many;

/// Prints the verdict on one folder; true when it has no problems.
pub(crate) fn print_folder(folder: &Path, problems: &[String]) -> bool {
    if problems.is_empty() {
        println!(
            "{}",
            Msg::VerifyOk {
                folder: folder.display().to_string()
            }
        );
        return true;
    }
    for p in problems {
        println!("{p}");
    }
    println!(
        "{}",
        Msg::VerifyFailed {
            folder: folder.display().to_string(),
            problems: Many(problems.len(), "Abweichung", "Abweichungen"),
        }
    );
    false
}

/// Which part of an archive is verified.
pub(crate) struct ArchiveScope {
    root: PathBuf,
    year: Option<String>,
    edition: Option<String>,
}

pub(crate) fn is_year(name: &str) -> bool {
    name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(crate) fn is_real_dir(path: &Path) -> bool {
    path.symlink_metadata().is_ok_and(|m| m.is_dir())
}

/// Whether `dir` is an archive root, a year folder or an edition (by the register, or by
/// the shape `YYYY/ausgabe-N`, so that an archive that lost its register is noticed).
pub(crate) fn archive_scope(given: &Path) -> Option<ArchiveScope> {
    let dir = given.canonicalize().ok()?;
    // Paths are shown as given where possible (`out/archiv/2018`, not `/home/…`).
    let up = |n: usize| {
        given
            .ancestors()
            .nth(n)
            .filter(|p| !p.as_os_str().is_empty() && !p.ends_with(".."))
            .map_or_else(
                || dir.ancestors().nth(n).unwrap_or(&dir).to_path_buf(),
                Path::to_path_buf,
            )
    };
    let has_editions = |year_dir: &Path| {
        std::fs::read_dir(year_dir)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(EDITION_PREFIX))
    };
    let name = name_of(&dir);
    let parent = dir.parent().map(Path::to_path_buf);
    if name.starts_with(EDITION_PREFIX)
        && let Some(year_dir) = &parent
        && is_year(&name_of(year_dir))
        && year_dir.parent().is_some()
    {
        return Some(ArchiveScope {
            root: up(2),
            year: Some(name_of(year_dir)),
            edition: Some(name),
        });
    }
    if is_year(&name)
        && let Some(root) = &parent
        && (has_editions(&dir) || register::path(root).exists())
    {
        return Some(ArchiveScope {
            root: up(1),
            year: Some(name),
            edition: None,
        });
    }
    let years_with_editions = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| is_year(&e.file_name().to_string_lossy()) && has_editions(&e.path()));
    (register::path(&dir).exists() || years_with_editions).then(|| ArchiveScope {
        root: given.to_path_buf(),
        year: None,
        edition: None,
    })
}

/// Verifies the editions in `scope` against the register and their manifests.
pub(crate) fn verify_archive(scope: &ArchiveScope) -> Exit {
    // What killed commands left in the year folders is cleared first (issue 23, class
    // 11); anything else unexpected there stays a problem.
    for year in std::fs::read_dir(&scope.root)
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = year.file_name().to_string_lossy().into_owned();
        if is_year(&name) && scope.year.as_ref().is_none_or(|y| *y == name) {
            super::debris::sweep(&year.path());
        }
    }
    // Shared with other readers, never with an `archive` publishing an edition.
    let _lock = match super::lock::acquire_shared(&register::path(&scope.root)) {
        Ok(lock) => lock,
        Err(e) => {
            println!(
                "{}",
                Msg::VerifyUnreadable {
                    file: scope.root.display().to_string(),
                    why: e.to_string()
                }
            );
            return Exit::Partial;
        }
    };
    let (entries, mut register_problems) = register::read(&scope.root);
    match register::pending(&scope.root) {
        Ok(Some(p)) => register_problems.push(format!(
            "unterbrochen {}: die Veröffentlichung von {} ist nicht abgeschlossen; der nächste \
             `zielbericht archive` schließt sie ab oder nimmt sie zurück",
            scope.root.join(register::JOURNAL).display(),
            p.edition
        )),
        Ok(None) => {}
        Err(why) => register_problems.push(Msg::VerifyDamaged { why }.to_string()),
    }
    let in_scope = |edition: &str| {
        let (year, name) = edition.split_once('/').unwrap_or((edition, ""));
        scope.year.as_deref().is_none_or(|y| y == year)
            && scope.edition.as_deref().is_none_or(|e| e == name)
    };
    let registered: BTreeSet<&str> = entries.iter().map(|e| e.edition.as_str()).collect();

    // What is on disk but not registered: a renamed, hidden or added edition.
    let years: Vec<String> = match &scope.year {
        Some(y) => vec![y.clone()],
        None => std::fs::read_dir(&scope.root)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| is_year(n))
            .collect(),
    };
    for year in &years {
        let year_dir = scope.root.join(year);
        for entry in std::fs::read_dir(&year_dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let lock_file = name.starts_with('.')
                && Path::new(&name).extension().is_some_and(|e| e == "lock")
                && path.symlink_metadata().is_ok_and(|m| m.is_file());
            if lock_file || registered.contains(format!("{year}/{name}").as_str()) {
                continue;
            }
            if scope.edition.as_ref().is_none_or(|e| *e == name) {
                register_problems.push(
                    Msg::VerifyUnregistered {
                        file: path.display().to_string(),
                    }
                    .to_string(),
                );
            }
        }
    }

    let mut all_ok = true;
    let mut checked = 0;
    for entry in entries.iter().filter(|e| in_scope(&e.edition)) {
        checked += 1;
        let folder = scope.root.join(&entry.edition);
        let mut problems = Vec::new();
        if is_real_dir(&folder) {
            let manifest = folder.join(manifest::FILE);
            if manifest.symlink_metadata().is_ok_and(|m| m.is_file())
                && super::sha256_file(&manifest).is_ok_and(|h| h != entry.manifest_sha256)
            {
                problems.push(
                    Msg::VerifyManifestChanged {
                        file: manifest.display().to_string(),
                    }
                    .to_string(),
                );
            }
            problems.extend(check_folder(&folder, Contents::Edition).0);
        } else {
            problems.push(
                Msg::VerifyEditionMissing {
                    folder: folder.display().to_string(),
                }
                .to_string(),
            );
        }
        all_ok &= print_folder(&folder, &problems);
    }
    let register_file = register::path(&scope.root);
    // What a repair of the register wrote about the editions it could not vouch for.
    for note in register::notes(&scope.root) {
        println!("{}", Msg::VerifyRepairNote { note });
    }
    if register_problems.is_empty() {
        println!(
            "{}",
            Msg::VerifyRegisterOk {
                file: register_file.display().to_string(),
                editions: Many(checked, "Ausgabe", "Ausgaben"),
                chain: entries
                    .last()
                    .map_or_else(|| "keiner".to_string(), |e| e.chain.clone()),
            }
        );
    } else {
        all_ok = false;
        print_folder(&register_file, &register_problems);
    }
    if all_ok { Exit::Ok } else { Exit::Partial }
}

/// Run folders (with a manifest) and archives (checked as a whole) below `dir`.
pub(crate) fn find_manifests(
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    archives: &mut Vec<ArchiveScope>,
) {
    if depth > 0
        && let Some(scope) = archive_scope(dir)
    {
        archives.push(scope);
        return;
    }
    if dir.join(manifest::FILE).symlink_metadata().is_ok() {
        out.push(dir.to_path_buf());
        return;
    }
    if depth >= 3 {
        return;
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        // `DirEntry::file_type` does not follow symbolic links.
        if !hidden && entry.file_type().is_ok_and(|t| t.is_dir()) {
            find_manifests(&entry.path(), depth + 1, out, archives);
        }
    }
}

/// What a verified folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Contents {
    /// A run folder: `einladungen/` is not part of what the run wrote.
    RunFolder,
    /// An archive edition: every file is checked.
    Edition,
}

/// Whether a manifest path stays inside the folder: relative, only plain components.
pub(crate) fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The problems of an archive edition against its own manifest (every file checked).
pub(crate) fn edition_problems(folder: &Path) -> Vec<String> {
    check_folder(folder, Contents::Edition).0
}

/// The problems of one folder against its manifest, one line each.
pub(crate) fn check_folder(folder: &Path, contents: Contents) -> (Vec<String>, Vec<String>) {
    let path = folder.join(manifest::FILE);
    let read = match path.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => Err(Msg::VerifyIsSymlink.to_string()),
        Ok(m) if !m.is_file() => Err(Msg::VerifyNotRegular.to_string()),
        Ok(_) => std::fs::read(&path).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let manifest: manifest::Manifest =
        match read.and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string())) {
            Ok(m) => m,
            Err(why) => {
                let file = path.display().to_string();
                return (
                    vec![Msg::VerifyUnreadable { file, why }.to_string()],
                    Vec::new(),
                );
            }
        };
    let mut problems = Vec::new();
    let mut kept = Vec::new();
    let mut listed = BTreeSet::new();
    for entry in &manifest.files {
        if !safe_path(&entry.path) {
            problems.push(
                Msg::VerifyPathLeaves {
                    file: path.display().to_string(),
                    path: entry.path.clone(),
                }
                .to_string(),
            );
            continue;
        }
        listed.insert(entry.path.clone());
        let file = folder.join(&entry.path);
        match file.symlink_metadata() {
            Err(_) => problems.push(
                Msg::VerifyMissing {
                    file: file.display().to_string(),
                }
                .to_string(),
            ),
            Ok(m) if m.file_type().is_symlink() => {} // reported by the walk below
            Ok(m) if !m.is_file() => {
                problems.push(
                    Msg::VerifyChangedKind {
                        file: file.display().to_string(),
                    }
                    .to_string(),
                );
            }
            Ok(_) => match super::sha256_file(&file) {
                Ok(hash) if hash == entry.sha256 => {}
                Ok(_) => problems.push(
                    Msg::VerifyChanged {
                        file: file.display().to_string(),
                    }
                    .to_string(),
                ),
                Err(e) => problems.push(
                    Msg::VerifyUnreadable {
                        file: file.display().to_string(),
                        why: e.to_string(),
                    }
                    .to_string(),
                ),
            },
        }
    }
    let skip = |rel: &Path| contents == Contents::RunFolder && rel == Path::new(INVITATIONS_FOLDER);
    match walk::entries(folder, &skip) {
        Ok(present) => {
            for entry in present {
                let name = entry.name();
                let shown = folder.join(&entry.rel);
                match entry.kind {
                    walk::Kind::Symlink => problems.push(
                        Msg::VerifySymlink {
                            file: shown.display().to_string(),
                        }
                        .to_string(),
                    ),
                    walk::Kind::Special => problems.push(
                        Msg::VerifySpecial {
                            file: shown.display().to_string(),
                        }
                        .to_string(),
                    ),
                    // A file the user keeps in a run folder (notes, an edited copy):
                    // carried by every rerun, named, no failure. An archive edition is
                    // write-once: there every file not in its manifest is a failure.
                    walk::Kind::File
                        if name != manifest::FILE
                            && !listed.contains(&name)
                            && contents == Contents::RunFolder =>
                    {
                        kept.push(shown.display().to_string());
                    }
                    walk::Kind::File if name != manifest::FILE && !listed.contains(&name) => {
                        problems.push(
                            Msg::VerifyUnexpected {
                                file: shown.display().to_string(),
                            }
                            .to_string(),
                        );
                    }
                    walk::Kind::File => {}
                }
            }
        }
        Err(e) => problems.push(
            Msg::VerifyUnreadable {
                file: folder.display().to_string(),
                why: e.to_string(),
            }
            .to_string(),
        ),
    }
    (problems, kept)
}
