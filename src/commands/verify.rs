//! `verify`: check run folders and archive editions against their manifests, and an
//! archive against its register of editions (the checks: [`crate::output::verify`]).

use std::path::Path;

use crate::error::{Error, Exit};
use crate::output::verify::{
    Contents, archive_scope, find_manifests, print_folder, verify_archive, verify_folder,
};
use crate::output::{self, manifest};

/// Verifies `dir`: an archive (its root, a year or an edition), a folder with
/// `manifest.json`, or every such folder below it.
pub fn verify(dir: &Path) -> Result<Exit, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "verify: {} is not a folder",
            dir.display()
        )));
    }
    if let Some(scope) = archive_scope(dir) {
        return Ok(verify_archive(&scope));
    }
    let mut folders = Vec::new();
    let mut archives = Vec::new();
    find_manifests(dir, 0, &mut folders, &mut archives);
    if folders.is_empty() && archives.is_empty() {
        return Err(Error::Usage(format!(
            "verify: no {} in {} or its subfolders",
            manifest::FILE,
            dir.display()
        )));
    }
    folders.sort();
    let mut all_ok = true;
    for folder in &folders {
        // Shared with other readers, never with the writer of the folder.
        let _lock = output::lock::acquire_shared(folder)?;
        all_ok &= print_folder(folder, &verify_folder(folder, Contents::RunFolder));
    }
    for archive in &archives {
        all_ok &= verify_archive(archive) == Exit::Ok;
    }
    Ok(if all_ok { Exit::Ok } else { Exit::Partial })
}
