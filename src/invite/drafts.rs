//! Which files of `einladungen/` this program wrote, so that it replaces or removes those
//! and nothing else.
//!
//! A user keeps files there too — an edited copy `05554_kreis-borken (bearbeitet).eml`,
//! a draft changed in place before sending it by hand. A name that looks like a draft
//! proves nothing, so the program keeps a record, `einladungen/entwuerfe.sha256`, in the
//! format of `sha256sum` (`<SHA-256>  <name>`, one line per draft written). A file may be
//! replaced or removed only when its name and its present SHA-256 stand in the record
//! together: a draft the user changed since is kept and named, and so is every file the
//! record does not list.
//!
//! Each draft is entered in the record (appended, synced) *before* it is renamed into
//! place, so a process killed between the two leaves a record that covers the file on
//! disk either way; at the end the record is rewritten to list the drafts on disk.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::mime;
use crate::error::Error;
use crate::output::{sha256_file, sha256_hex};

/// The record of the drafts written, inside the invitations folder.
pub const RECORD: &str = "entwuerfe.sha256";

/// The drafts of one invitations folder that the program wrote.
pub struct OwnDrafts {
    dir: PathBuf,
    /// `(name, SHA-256)` of every draft the record lists (also intents whose rename may
    /// not have happened).
    known: BTreeSet<(String, String)>,
    record: Option<File>,
}

/// What became of one draft.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// Written (or already on disk with these bytes).
    Yes,
    /// Not written: a file the program did not write, or changed since, holds the name.
    Kept(String),
}

impl OwnDrafts {
    /// Reads the record of `dir` (none yet: nothing there is the program's). A line that
    /// does not read is left out, so it can only make the program keep more.
    pub fn open(dir: &Path) -> Self {
        let text = std::fs::read_to_string(dir.join(RECORD)).unwrap_or_default();
        let known = text
            .lines()
            .filter_map(|line| {
                let (sha, name) = line.split_once("  ")?;
                let plain = sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit());
                (plain && is_plain_name(name)).then(|| (name.to_string(), sha.to_string()))
            })
            .collect();
        Self {
            dir: dir.to_path_buf(),
            known,
            record: None,
        }
    }

    /// Whether the regular file `name` holds what the program wrote there.
    fn own(&self, name: &str) -> bool {
        let path = self.dir.join(name);
        path.symlink_metadata().is_ok_and(|m| m.is_file())
            && sha256_file(&path).is_ok_and(|sha| self.known.contains(&(name.to_string(), sha)))
    }

    /// Writes the draft `name` unless a file the program did not write (or one changed
    /// since) holds the name; that file is kept as it is.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<Written, Error> {
        let path = self.dir.join(name);
        let sha = sha256_hex(bytes);
        match path.symlink_metadata() {
            Ok(m) if m.is_file() || m.file_type().is_symlink() => {
                let present = sha256_file(&path).ok();
                if present.as_deref() == Some(sha.as_str()) && m.is_file() {
                    self.enter(name, &sha)?;
                    return Ok(Written::Yes);
                }
                if !m.is_file() || !self.own(name) {
                    return Ok(Written::Kept(format!(
                        "{} wurde nicht von zielbericht geschrieben oder seither verändert und bleibt, wie es ist; \
                         der neue Entwurf wurde nicht geschrieben (die Datei umbenennen oder löschen, dann schreibt \
                         ihn der nächste Aufruf)",
                        path.display()
                    )));
                }
            }
            // Nothing there, or a folder (writing then fails and says so).
            _ => {}
        }
        self.enter(name, &sha)?;
        mime::write_atomic(&path, bytes).map_err(|e| Error::write(&path, e))?;
        Ok(Written::Yes)
    }

    /// Appends `sha  name` to the record and syncs it.
    fn enter(&mut self, name: &str, sha: &str) -> Result<(), Error> {
        let key = (name.to_string(), sha.to_string());
        if self.known.contains(&key) {
            return Ok(());
        }
        let path = self.dir.join(RECORD);
        if self.record.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map_err(|e| Error::write(&path, e))?;
            self.record = Some(file);
        }
        let Some(file) = self.record.as_mut() else {
            return Ok(());
        };
        file.write_all(format!("{sha}  {name}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::write(&path, e))?;
        self.known.insert(key);
        Ok(())
    }

    /// Removes the temporary files (`<draft>.tmp-<pid>`) of a process killed while
    /// writing a draft the record names; called under the month's lock, so no live
    /// process writes them.
    pub fn remove_leftover_temporaries(&self) {
        let names: BTreeSet<&str> = self.known.iter().map(|(n, _)| n.as_str()).collect();
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((draft, pid)) = name.rsplit_once(mime::TMP_MARK) else {
                continue;
            };
            let temporary = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
            if temporary
                && names.contains(draft)
                && entry.path().symlink_metadata().is_ok_and(|m| m.is_file())
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Removes the drafts of an earlier run that this run did not write again (their
    /// Jobcenter has no invitation now), so that no outdated draft is opened by mistake —
    /// only those the record shows unchanged. Returns the messages about files kept.
    pub fn remove_stale(&self, written: &BTreeSet<String>) -> Vec<String> {
        let mut kept = Vec::new();
        let names: BTreeSet<&str> = self.known.iter().map(|(n, _)| n.as_str()).collect();
        for name in names {
            let path = self.dir.join(name);
            if written.contains(name) || path.symlink_metadata().is_err() {
                continue;
            }
            if self.own(name) {
                if std::fs::remove_file(&path).is_ok() {
                    eprintln!("veralteten Entwurf entfernt: {}", path.display());
                }
            } else {
                kept.push(format!(
                    "{} ist veraltet, wurde aber seit dem Schreiben verändert und bleibt, wie es ist",
                    path.display()
                ));
            }
        }
        kept
    }

    /// Rewrites the record (through a synced temporary file renamed into place) to list
    /// the drafts of the program now on disk. The appending handle is closed first:
    /// Windows refuses to replace a file that is still open.
    pub fn finish(&mut self) -> Result<(), Error> {
        self.record = None;
        let mut text = String::new();
        let names: BTreeSet<&str> = self.known.iter().map(|(n, _)| n.as_str()).collect();
        for name in names {
            let path = self.dir.join(name);
            if !path.symlink_metadata().is_ok_and(|m| m.is_file()) {
                continue;
            }
            if let Ok(sha) = sha256_file(&path)
                && self.known.contains(&(name.to_string(), sha.clone()))
            {
                let _ = writeln!(text, "{sha}  {name}");
            }
        }
        let path = self.dir.join(RECORD);
        mime::write_atomic(&path, text.as_bytes()).map_err(|e| Error::write(&path, e))
    }
}

/// A file name of the folder itself: no separator, no line break, not `.` or `..`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\n', '\r', '\0'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_recorded_unchanged_drafts_are_replaced_or_removed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut own = OwnDrafts::open(d);
        assert_eq!(own.write("05554_a.eml", b"eins").unwrap(), Written::Yes);
        assert_eq!(own.write("05558_b.eml", b"zwei").unwrap(), Written::Yes);
        own.finish().unwrap();
        // A user's copy with a name like a draft, and a changed draft.
        std::fs::write(d.join("05554_a (bearbeitet).eml"), b"mein Text").unwrap();
        std::fs::write(d.join("05558_b.eml"), b"zwei, ergaenzt").unwrap();
        std::fs::write(d.join("05554_a (bearbeitet).eml.tmp-1"), b"x").unwrap();
        std::fs::write(d.join("05554_a.eml.tmp-1"), b"halb").unwrap();

        let mut own = OwnDrafts::open(d);
        own.remove_leftover_temporaries();
        assert!(!d.join("05554_a.eml.tmp-1").exists());
        assert!(d.join("05554_a (bearbeitet).eml.tmp-1").exists());
        assert_eq!(
            own.write("05554_a.eml", b"eins, neu").unwrap(),
            Written::Yes
        );
        assert!(matches!(
            own.write("05558_b.eml", b"zwei, neu").unwrap(),
            Written::Kept(_)
        ));
        assert!(matches!(
            own.write("05554_a (bearbeitet).eml", b"neu").unwrap(),
            Written::Kept(_)
        ));
        let kept = own.remove_stale(&BTreeSet::new());
        own.finish().unwrap();
        // The own unchanged draft was removed as outdated; the changed one is named.
        assert!(!d.join("05554_a.eml").exists());
        assert_eq!(
            std::fs::read(d.join("05558_b.eml")).unwrap(),
            b"zwei, ergaenzt"
        );
        assert_eq!(
            std::fs::read(d.join("05554_a (bearbeitet).eml")).unwrap(),
            b"mein Text"
        );
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert!(kept[0].contains("05558_b.eml"), "{kept:?}");
        assert_eq!(std::fs::read_to_string(d.join(RECORD)).unwrap(), "");
    }
}
