//! A staging folder that is still the one this process made (issue 23, class 10).
//!
//! The staging folder lives beside the target, inside `--out`. When `--out` or a folder
//! above it is removed or moved while a run renders, the staging folder goes with it: a
//! write must then fail instead of making the folders anew (which would publish a folder
//! without the files written before), and before the swap the staging folder is checked
//! to be the same directory as created (device and inode on Unix) still holding every
//! file the run wrote into it, with its length.

use std::io;
use std::path::Path;
use std::sync::Mutex;

use crate::error::Error;

/// What identifies the staging folder as created, and what was written into it.
#[derive(Debug)]
pub struct Intact {
    /// Device and inode of the folder when it was made (Unix); `None` elsewhere.
    identity: Option<(u64, u64)>,
    /// Relative path and length of every file written (or linked) so far.
    landed: Mutex<Vec<(String, u64)>>,
}

impl Intact {
    /// Records the identity of the freshly made `staging` folder.
    pub fn new(staging: &Path) -> Self {
        Self {
            identity: identity(staging),
            landed: Mutex::new(Vec::new()),
        }
    }

    /// Notes that `rel` was written with `len` bytes.
    pub fn landed(&self, rel: &str, len: u64) {
        self.landed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((rel.to_owned(), len));
    }

    /// Fails (an input/output error naming `target`) unless `staging` is still the folder
    /// that was made and holds every file written into it, with its length.
    pub fn check(&self, staging: &Path, target: &Path) -> Result<(), Error> {
        let vanished = |why: String| {
            Error::write(
                target,
                io::Error::new(
                    io::ErrorKind::NotFound,
                    crate::messages::Msg::StagingVanished {
                        folder: staging.display().to_string(),
                        why,
                    }
                    .to_string(),
                ),
            )
        };
        if !staging.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            return Err(vanished("nicht mehr vorhanden".into()));
        }
        if self.identity.is_some() && identity(staging) != self.identity {
            return Err(vanished("ein anderer Ordner gleichen Namens".into()));
        }
        let landed = self
            .landed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (rel, len) in landed.iter() {
            let ok = staging
                .join(rel)
                .symlink_metadata()
                .is_ok_and(|m| m.is_file() && m.len() == *len);
            if !ok {
                return Err(vanished(format!("{rel} fehlt oder ist verändert")));
            }
        }
        Ok(())
    }
}

/// Creates `dir` and the folders between `root` and it, but never `root` itself or
/// anything above it: when `root` is gone, this fails (`NotFound`).
pub fn create_below(root: &Path, dir: &Path) -> io::Result<()> {
    let Ok(rest) = dir.strip_prefix(root) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} lies outside {}", dir.display(), root.display()),
        ));
    };
    if !root.symlink_metadata().is_ok_and(|m| m.is_dir()) {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            crate::messages::Msg::StagingVanished {
                folder: root.display().to_string(),
                why: "nicht mehr vorhanden".to_string(),
            }
            .to_string(),
        ));
    }
    let mut at = root.to_path_buf();
    for part in rest.components() {
        at.push(part);
        match std::fs::create_dir(&at) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && at.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    path.symlink_metadata().ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_path: &Path) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::{Intact, create_below};

    #[test]
    fn a_removed_or_replaced_staging_folder_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join("s");
        std::fs::create_dir(&staging).unwrap();
        let intact = Intact::new(&staging);
        std::fs::write(staging.join("a.pdf"), b"abc").unwrap();
        intact.landed("a.pdf", 3);
        intact.check(&staging, dir.path()).unwrap();
        std::fs::write(staging.join("a.pdf"), b"ab").unwrap();
        assert!(intact.check(&staging, dir.path()).is_err());
        std::fs::write(staging.join("a.pdf"), b"abc").unwrap();
        // Moved away and made anew with the same content: another folder.
        std::fs::rename(&staging, dir.path().join("moved")).unwrap();
        assert!(intact.check(&staging, dir.path()).is_err());
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("a.pdf"), b"abc").unwrap();
        #[cfg(unix)]
        assert!(intact.check(&staging, dir.path()).is_err());
        // A gone root is never made again.
        std::fs::remove_dir_all(&staging).unwrap();
        assert!(create_below(&staging, &staging.join("x")).is_err());
        assert!(!staging.exists());
    }
}
