//! One writer per folder: an exclusive lock on `PARENT/.<NAME>.lock`, held by whoever
//! changes the folder `PARENT/<NAME>` (a `run` replacing a month, `invite` writing its send
//! log, `archive` adding an edition). A second process waits until the first is done.
//!
//! The lock is an advisory `flock` through std's [`File::lock`]; the kernel releases it
//! when the process ends in any way (also SIGKILL), so a lock file that outlives its
//! process never blocks anyone. The file itself stays: removing it would let two
//! processes lock two different files of the same name.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Proof that this process holds the lock of one folder; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
    target: PathBuf,
}

impl FolderLock {
    /// The folder this lock guards.
    pub fn target(&self) -> &Path {
        &self.target
    }
}

/// The lock file of `target`: `.<name>.lock` beside it.
pub fn lock_file(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_of(target).join(format!(".{name}.lock"))
}

/// The folder that holds `target` (`.` for a bare name).
pub fn parent_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Opens (creating it and its folder) the lock file of `target`.
fn open(target: &Path) -> Result<(File, PathBuf), Error> {
    let parent = parent_of(target);
    std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    let path = lock_file(target);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::write(&path, e))?;
    Ok((file, path))
}

/// Takes the lock of `target`, waiting (with a message) while another process holds it.
/// Creates the parent folder if needed.
pub fn acquire(target: &Path) -> Result<FolderLock, Error> {
    let (file, path) = open(target)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "warten: ein anderer zielbericht-Prozess schreibt {} …",
                target.display()
            );
            file.lock().map_err(|e| Error::write(&path, e))?;
        }
        Err(TryLockError::Error(e)) => return Err(Error::write(&path, e)),
    }
    Ok(FolderLock {
        _file: file,
        target: target.to_path_buf(),
    })
}

/// Takes the lock of `target` if no other process holds it; `None` when one does.
pub fn try_acquire(target: &Path) -> Result<Option<FolderLock>, Error> {
    let (file, path) = open(target)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(FolderLock {
            _file: file,
            target: target.to_path_buf(),
        })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(Error::write(&path, e)),
    }
}

/// A shared lock of `target` for a reader (`verify`, `diff`): it waits while a writer
/// holds the lock (a `run` replacing the folder, an `archive` publishing an edition) and
/// keeps writers out while it reads, so a reader sees one consistent state. `None` when
/// there is no lock file and none can be made (a read-only copy, no folder above): no
/// zielbericht can be writing there then.
pub fn acquire_shared(target: &Path) -> Result<Option<FolderLock>, Error> {
    let path = lock_file(target);
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(_) => match OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
        {
            Ok(file) => file,
            Err(_) => return Ok(None),
        },
    };
    match file.try_lock_shared() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            eprintln!(
                "warten: ein anderer zielbericht-Prozess schreibt {} …",
                target.display()
            );
            file.lock_shared().map_err(|e| Error::write(&path, e))?;
        }
        Err(TryLockError::Error(e)) => return Err(Error::write(&path, e)),
    }
    Ok(Some(FolderLock {
        _file: file,
        target: target.to_path_buf(),
    }))
}
