//! Stage 4 — output: finished files in memory in, a complete folder on disk out.
//!
//! Nothing is written while a run computes or renders: every file is kept in memory and
//! the folder is written only at the end, into a temporary folder beside the target on
//! the same file system, then renamed into place. An interrupted run (error, exit 2,
//! SIGKILL while rendering) leaves the earlier output exactly as it was.

pub mod kennzahlen;
pub mod manifest;
pub mod vorlage;
pub mod xlsx;

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

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Prefix of temporary and retired folders; stale ones are removed by later runs.
const STAGING: &str = ".zielbericht-";

/// The folder of invitation drafts and the send log inside a run folder; a rerun of the
/// month keeps it (it is not part of what `run` writes).
pub const INVITATIONS_FOLDER: &str = "einladungen";

/// How an existing target folder is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it as a whole (a normal run of the same month), carrying over the
    /// subfolders named here (e.g. the invitations and their send log, which belong to
    /// the month, not to one rendering of it).
    Replace { keep: &'static [&'static str] },
    /// Refuse (write-once archive editions).
    Refuse,
}

/// Writes `files` as the folder `target`, atomically.
pub fn write_folder(target: &Path, files: &[OutFile], existing: Existing) -> Result<(), Error> {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    remove_stale(parent);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = format!("{}-{}", std::process::id(), nanos());
    let staging = parent.join(format!("{STAGING}tmp-{name}-{unique}"));
    let result = (|| {
        std::fs::create_dir(&staging).map_err(|e| Error::write(&staging, e))?;
        for file in files {
            let path = staging.join(&file.path);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
            }
            write_synced(&path, &file.bytes).map_err(|e| Error::write(&path, e))?;
        }
        sync_dir(&staging);
        if target.exists() {
            if existing == Existing::Refuse {
                return Err(Error::Refused(format!(
                    "{} exists already; nothing was changed",
                    target.display()
                )));
            }
            if let Existing::Replace { keep } = existing {
                for sub in keep {
                    let old = target.join(sub);
                    if old.is_dir() && !staging.join(sub).exists() {
                        std::fs::rename(&old, staging.join(sub))
                            .map_err(|e| Error::write(&old, e))?;
                    }
                }
            }
            let retired = parent.join(format!("{STAGING}old-{name}-{unique}"));
            std::fs::rename(target, &retired).map_err(|e| Error::write(target, e))?;
            std::fs::rename(&staging, target).map_err(|e| Error::write(target, e))?;
            let _ = std::fs::remove_dir_all(&retired);
        } else {
            std::fs::rename(&staging, target).map_err(|e| Error::write(target, e))?;
        }
        sync_dir(parent);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// Removes staging folders left by runs that were killed while writing (their process
/// no longer exists).
fn remove_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(STAGING) else {
            continue;
        };
        let pid = rest.rsplit('-').nth(1).and_then(|p| p.parse::<u32>().ok());
        let alive = pid
            .is_some_and(|p| p == std::process::id() || Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The run folder for a Berichtsmonat below `out`.
pub fn run_folder(out: &Path, month: &str) -> PathBuf {
    out.join(month)
}
