//! `verify`: check run folders and archive editions against their manifests, and an
//! archive against its register of editions (the checks: [`crate::output::verify`]).

use std::path::Path;

use crate::error::{Error, Exit};
use crate::messages::Msg;
use crate::output;
use crate::output::verify::{
    Contents, archive_scope, check_folder, find_manifests, print_folder, verify_archive,
};

/// Verifies `dir`: an archive (its root, a year or an edition), a folder with
/// `manifest.json`, or every such folder below it.
pub fn verify(dir: &Path) -> Result<Exit, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(
            Msg::VerifyNotAFolder {
                dir: dir.display().to_string(),
            }
            .to_string(),
        ));
    }
    if let Some(scope) = archive_scope(dir) {
        return Ok(verify_archive(&scope));
    }
    let mut folders = Vec::new();
    let mut archives = Vec::new();
    find_manifests(dir, 0, &mut folders, &mut archives);
    if folders.is_empty() && archives.is_empty() {
        return Err(Error::Usage(
            Msg::VerifyNoManifest {
                dir: dir.display().to_string(),
            }
            .to_string(),
        ));
    }
    folders.sort();
    // What killed commands left beside the folders is cleared first (issue 23, class 11):
    // it is no problem of the folders, and verify must not fail on it.
    let mut beside: Vec<&Path> = folders.iter().map(|f| output::lock::parent_of(f)).collect();
    beside.dedup();
    for dir in beside {
        output::debris::sweep(dir);
    }
    let mut all_ok = true;
    for folder in &folders {
        // Shared with other readers, never with the writer of the folder.
        let _lock = output::lock::acquire_shared(folder)?;
        let (problems, kept) = check_folder(folder, Contents::RunFolder);
        for file in kept {
            println!("{}", Msg::VerifyKept { file });
        }
        all_ok &= print_folder(folder, &problems);
    }
    for archive in &archives {
        all_ok &= verify_archive(archive) == Exit::Ok;
    }
    Ok(if all_ok { Exit::Ok } else { Exit::Partial })
}
