//! Stage 4 — output: finished files in memory in, a complete folder on disk out.
//!
//! Nothing is written while a run computes or renders: every file is kept in memory and
//! the folder is written only at the end, under the folder's lock, into a staging folder
//! beside the target that is then swapped into place in one step ([`folder`]). An
//! interrupted run (error, exit 2, SIGKILL at any moment) leaves the earlier output — or
//! the new one, complete — and never loses a file it did not write.

pub mod debris;
pub mod edited;
pub mod folder;
mod in_use;
pub mod intact;
pub mod kennzahlen;
pub mod lock;
pub mod manifest;
pub mod names;
pub mod register;
pub mod repair;
pub mod verify;
pub mod vorlage;
pub mod walk;
pub mod xlsx;

pub use folder::{Existing, Written, write_folder};
pub use lock::{FolderLock, lock_file};

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::Error;

/// A file to be written: path relative to the run folder, and its bytes.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A CSV cell with RFC 4180 quoting where needed: a Land, a Vergleichstyp or a value may
/// hold the `delimiter`, a quote or a line break.
pub fn csv_field(text: &str, delimiter: char) -> std::borrow::Cow<'_, str> {
    if text.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The SHA-256 of a file, read in pieces (a large file is never held whole).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read as _;
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let mut out = String::with_capacity(64);
    for b in hasher.finalize() {
        let _ = write!(out, "{b:02x}");
    }
    Ok(out)
}

/// The folder of invitation drafts and the send log inside a run folder; a rerun of the
/// month keeps it (it is not part of what `run` writes).
pub const INVITATIONS_FOLDER: &str = "einladungen";

/// Takes the lock of `target` (waiting for another process) and puts back what an
/// interrupted earlier write left beside it. Every command that changes a run folder or
/// archive edition — including what it keeps, such as the send log — holds this lock.
pub fn lock_folder(target: &Path) -> Result<FolderLock, Error> {
    let lock = lock::acquire(target)?;
    folder::recover(&lock)?;
    Ok(lock)
}

/// Names the files a rewrite of `target` kept because zielbericht did not write them.
pub fn note_kept(target: &Path, written: &Written) {
    if !written.kept_unknown.is_empty() {
        crate::messages::console::note(crate::messages::Msg::KeptUserFiles {
            count: written.kept_unknown.len(),
            folder: target.display().to_string(),
            files: written.kept_unknown.join("\n  "),
        });
    }
    for (old, new) in &written.kept_renamed {
        crate::messages::console::note(crate::messages::Msg::KeptEdited {
            file: old.clone(),
            folder: target.display().to_string(),
            kept: new.clone(),
        });
    }
    if !written.rendered_anew.is_empty() {
        crate::messages::console::note(crate::messages::Msg::RenderedAnew {
            folder: target.display().to_string(),
            count: written.rendered_anew.len(),
            files: written.rendered_anew.join("\n  "),
        });
    }
}

/// The shared lock a reader of `path` takes (see [`lock::acquire_shared`]): of the
/// archive when `path` is an edition `ARCHIVE/YYYY/ausgabe-N` (or a file in one), else of
/// the folder `path` (or the folder of the file `path`). `None` for what zielbericht
/// does not write (a data folder).
pub fn reading_lock(path: &Path) -> Result<Option<FolderLock>, Error> {
    let folder = if path.is_dir() {
        path.to_path_buf()
    } else {
        lock::parent_of(path).to_path_buf()
    };
    // Only run folders and editions (they have a manifest): a data folder gets no lock
    // file beside it.
    let Ok(real) = folder.canonicalize() else {
        return Ok(None);
    };
    if real.join(manifest::FILE).symlink_metadata().is_err() {
        return Ok(None);
    }
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let year = real.parent().map(name).unwrap_or_default();
    if name(&real).starts_with("ausgabe-")
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && let Some(root) = real.parent().and_then(Path::parent)
    {
        return lock::acquire_shared(&register::path(root));
    }
    if real.parent().is_none() {
        return Ok(None);
    }
    lock::acquire_shared(&real)
}

/// Like [`lock_folder`], but `None` at once when another process holds the lock.
pub fn try_lock_folder(target: &Path) -> Result<Option<FolderLock>, Error> {
    let Some(lock) = lock::try_acquire(target)? else {
        return Ok(None);
    };
    folder::recover(&lock)?;
    Ok(Some(lock))
}

/// Checks an output folder (`flag` names it: `--out`, `--archive`) before any work: the
/// nearest existing folder on its path must be a folder this process can create files in.
pub fn check_out(flag: &str, out: &Path) -> Result<(), Error> {
    let mut dir = out;
    loop {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => {
                return Err(Error::Usage(format!(
                    "{flag}: {} ist eine Datei; erwartet wird ein Ordner (oder ein Pfad, an dem einer angelegt wird)",
                    dir.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                dir = lock::parent_of(dir);
                if dir == Path::new(".") && std::fs::metadata(dir).is_err() {
                    break;
                }
            }
            Err(e) => {
                return Err(Error::Usage(format!(
                    "{flag}: {} ist nicht verwendbar: {e}",
                    dir.display()
                )));
            }
        }
    }
    let probe = dir.join(format!(".zielbericht-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(Error::Usage(format!(
            "{flag}: in {} kann nicht geschrieben werden: {e}",
            dir.display()
        ))),
    }
}

/// Refuses `--emit-data DIR` inside `target`, the run folder this run replaces: the JSON
/// would be lost with the old folder, or (on a first run) block the swap of the new one.
/// Works before either folder exists.
pub fn check_emit(emit: &Path, target: &Path) -> Result<(), Error> {
    /// The absolute path with its longest existing part resolved (symbolic links).
    fn resolved(path: &Path) -> Option<PathBuf> {
        let mut existing = std::path::absolute(path).ok()?;
        let mut rest = Vec::new();
        while existing.symlink_metadata().is_err() {
            rest.push(existing.file_name()?.to_owned());
            existing.pop();
        }
        let mut out = existing.canonicalize().ok()?;
        out.extend(rest.iter().rev());
        Some(out)
    }
    if let (Some(e), Some(t)) = (resolved(emit), resolved(target))
        && e.starts_with(&t)
    {
        return Err(Error::Usage(format!(
            "--emit-data {} lies inside {}, the folder this run replaces; nothing was \
             changed. Write the data elsewhere.",
            emit.display(),
            target.display()
        )));
    }
    Ok(())
}

/// Refuses a data folder inside (or equal to) the folder a run would replace: the run
/// would replace its own input.
pub fn check_apart(data: &Path, target: &Path) -> Result<(), Error> {
    let (Ok(data_real), Ok(target_real)) = (data.canonicalize(), target.canonicalize()) else {
        return Ok(()); // a target that does not exist yet holds nothing
    };
    if data_real.starts_with(&target_real) {
        return Err(Error::Usage(format!(
            "--data {} lies inside {}, the folder this run would replace; nothing was \
             changed. Keep the data folder outside --out, or choose another --out.",
            data.display(),
            target.display()
        )));
    }
    Ok(())
}
