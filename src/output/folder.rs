//! Writing a folder so that nothing is ever lost: not by a crash, a SIGKILL, a second
//! process, or a rerun.
//!
//! Under the folder's lock ([`super::lock`]) the new content is written into a staging
//! folder `.zielbericht-tmp-<NAME>-<PID>-<NANOS>` beside the target (same file system),
//! `manifest.json` first. What the old folder holds that zielbericht did not write there —
//! `einladungen/` with its send log, and any file not listed in the old `manifest.json` — is
//! moved into the staging folder, and then one `renameat2(RENAME_EXCHANGE)` swaps staging
//! and target: at every instant the target is a complete folder, old or new. The staging
//! name now holds the old rendering, which is renamed to `.zielbericht-trash-…` and removed.
//! Where the file system cannot exchange (and on Windows, which has no such call), the old
//! folder is first renamed to `.zielbericht-old-…` (a short window in which the target is
//! missing).
//!
//! Windows refuses to rename a folder while another program holds a file in it open (a
//! report in a PDF viewer): the target is checked for such files before the staging
//! folder is made and again before the swap, and the refusal names them.
//!
//! A process killed midway leaves `.zielbericht-*` folders. They are never deleted
//! unseen: the next process that takes the lock first moves every file in them that
//! zielbericht did not render (by their own manifest) back into the target, and only then
//! removes them; a retired folder is restored when the target is missing; a folder whose
//! content cannot be told apart is named, and the command stops (exit 2).

use std::io;
use std::path::{Path, PathBuf};

use super::in_use::{blocked, refuse_open};
use super::intact::{self, Intact};
use super::lock::{FolderLock, parent_of};
use super::walk::{self, Kind};
use super::{INVITATIONS_FOLDER, OutFile, manifest};
use crate::error::Error;

/// Prefix of staging, retired and trashed folders.
const STAGING: &str = ".zielbericht-";

/// How an existing target folder is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (a normal run of the same month), carrying over the subfolders named
    /// here (the invitations and their send log belong to the month, not to one
    /// rendering of it) and every file the earlier run did not write.
    Replace { keep: &'static [&'static str] },
    /// Refuse (write-once archive editions).
    Refuse,
}

/// What [`write_folder`] carried over from the folder it replaced.
#[derive(Debug, Default)]
pub struct Written {
    /// Files (relative paths) that zielbericht did not write and kept in place.
    pub kept_unknown: Vec<String>,
    /// Files zielbericht wrote that someone edited since (their SHA-256 is no longer the
    /// manifest's), kept under a new name: (old, new) relative paths.
    pub kept_renamed: Vec<(String, String)>,
    /// Rendered documents that no longer matched their manifest entry (replaced).
    pub rendered_anew: Vec<String>,
}

/// Writes `files` as the folder guarded by `lock`, atomically (see the module doc).
/// `files` holds the final `manifest.json`.
pub fn write_folder(
    lock: &FolderLock,
    files: &[OutFile],
    existing: Existing,
) -> Result<Written, Error> {
    let planned: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let manifest = files
        .iter()
        .find(|f| f.path == manifest::FILE)
        .map_or(&[][..], |f| &f.bytes[..]);
    let staging = Staging::begin(lock, &planned, manifest, existing)?;
    for file in files.iter().filter(|f| f.path != manifest::FILE) {
        staging.write(&file.path, &file.bytes)?;
    }
    staging.finish(None)
}

/// Where the final manifest is written before it replaces the first one in a staging
/// folder; the first manifest lists it, so that recovery counts it as rendered.
pub const MANIFEST_NEXT: &str = ".manifest.json.next";

/// A staging folder being filled, file by file, while the target stays as it is; see
/// the module doc. Dropped without [`Staging::finish`] (an error, a failed write), it is
/// removed again, and the target is left untouched.
pub struct Staging<'a> {
    lock: &'a FolderLock,
    path: PathBuf,
    exists: bool,
    /// What the old folder holds that zielbericht did not write (moved over at the end,
    /// from its old to its new relative path: an edited file changes its name).
    carry: Vec<(PathBuf, PathBuf)>,
    written: Written,
    finished: bool,
    /// The folder as made, and what was written into it (checked before the swap).
    intact: Intact,
    /// Removed on Ctrl-C while it holds rendered files only.
    tracked: Option<crate::interrupt::Tracked>,
}

impl<'a> Staging<'a> {
    /// Checks the target (refusing as `existing` says, or when a file zielbericht did
    /// not write has the name of a `planned` one) and creates the staging folder with
    /// `manifest` as its first file. That manifest must list every file that will be
    /// written into the staging folder — with their final hashes, or placeholders when
    /// [`Staging::finish`] is given the final manifest — and [`MANIFEST_NEXT`] then.
    pub fn begin(
        lock: &'a FolderLock,
        planned: &[String],
        manifest: &[u8],
        existing: Existing,
    ) -> Result<Self, Error> {
        let target = lock.target();
        recover(lock)?;
        let exists = target.symlink_metadata().is_ok();
        let mut carry = Vec::new();
        let mut written = Written::default();
        if exists {
            if existing == Existing::Refuse {
                return Err(Error::Refused(format!(
                    "{} gibt es schon; nichts wurde geändert",
                    target.display()
                )));
            }
            if !target.symlink_metadata().is_ok_and(|m| m.is_dir()) {
                return Err(Error::Refused(format!(
                    "{} ist kein Ordner (eine Datei oder eine symbolische Verknüpfung); nichts wurde geändert",
                    target.display()
                )));
            }
            refuse_open(target)?;
            let keep = match existing {
                Existing::Replace { keep } => keep,
                Existing::Refuse => &[][..],
            };
            let foreign = foreign(target, keep, true)?;
            for rel in &foreign.files {
                let name = walk::rel_name(rel);
                // The same name, a planned file inside a foreign folder, or a foreign file
                // inside a folder of a planned file's name (05554_….pdf/notiz.txt); on
                // Windows, whose names ignore case, also in another case (05554_….PDF).
                let name_cmp = name_key(&name);
                if planned.iter().map(|f| name_key(f)).any(|f| {
                    f == name_cmp
                        || f.starts_with(&format!("{name_cmp}/"))
                        || name_cmp.starts_with(&format!("{f}/"))
                }) {
                    return Err(Error::Refused(format!(
                        "{} was not written by zielbericht, and this run would write a file of the \
                         same name; nothing was changed. Move it away and run again.",
                        target.join(rel).display()
                    )));
                }
                written.kept_unknown.push(name);
            }
            let edited = edited_files(target, planned, &foreign.files, &mut written);
            carry.extend(foreign.kept.into_iter().map(|p| (p.clone(), p)));
            carry.extend(foreign.files.into_iter().map(|p| (p.clone(), p)));
            for (old, new) in edited {
                written
                    .kept_renamed
                    .push((walk::rel_name(&old), walk::rel_name(&new)));
                carry.push((old, new));
            }
        }
        let path = leftover_path(target, "tmp");
        std::fs::create_dir(&path).map_err(|e| Error::write(&path, e))?;
        let staging = Self {
            lock,
            intact: Intact::new(&path),
            tracked: Some(crate::interrupt::track(&path)),
            path,
            exists,
            carry,
            written,
            finished: false,
        };
        staging.write(manifest::FILE, manifest)?;
        Ok(staging)
    }

    /// Writes one file (path relative to the folder) and syncs it.
    /// Never makes the staging folder itself anew (see [`super::intact`]).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        let path = self.path.join(rel);
        if let Some(dir) = path.parent() {
            intact::create_below(&self.path, dir).map_err(|e| Error::write(dir, e))?;
        }
        write_synced(&path, bytes).map_err(|e| Error::write(&path, e))?;
        self.intact.landed(rel, bytes.len() as u64);
        Ok(())
    }

    /// Gives the file `from` (on the same file system) the name `rel` in the staging
    /// folder, as a hard link: for a file already written and synced, equal to what
    /// [`Staging::write`] would write.
    ///
    /// Refused (the caller writes the bytes instead) unless `from` is a regular file with
    /// no other name and the mode and owner a file written now gets (those of the staging
    /// folder's first manifest): a link shares them, so a `chmod 000` or a second name of
    /// the old file would be carried into the new folder.
    ///
    /// The new name is read back and compared with `bytes` (what the caller checked): a
    /// file swapped in under the old name between the check and the link is removed
    /// again, and the caller writes the bytes instead.
    ///
    /// Elsewhere than on Unix always refused, so the caller copies: on Windows a hard
    /// link shares the old file's attributes and access rights, and a report held open
    /// by a PDF viewer under its old name would keep the new name from being replaced
    /// or removed as well.
    #[cfg(not(unix))]
    #[allow(clippy::unused_self)] // the same signature as on Unix
    pub fn link(&self, from: &Path, _rel: &str, _bytes: &[u8]) -> Result<(), Error> {
        Err(Error::Refused(format!(
            "{} is not linked: hard links are used on Unix only",
            from.display()
        )))
    }

    /// See the `cfg(not(unix))` twin above for the contract.
    #[cfg(unix)]
    pub fn link(&self, from: &Path, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        use std::os::unix::fs::MetadataExt as _;
        let fresh_path = self.path.join(manifest::FILE);
        let fresh = fresh_path
            .symlink_metadata()
            .map_err(|e| Error::write(&fresh_path, e))?;
        let old = from.symlink_metadata().map_err(|e| Error::write(from, e))?;
        if !old.is_file()
            || old.nlink() != 1
            || old.mode() != fresh.mode()
            || (old.uid(), old.gid()) != (fresh.uid(), fresh.gid())
        {
            return Err(Error::Refused(format!(
                "{} is not linked: another name, mode or owner than a new file",
                from.display()
            )));
        }
        let path = self.path.join(rel);
        if let Some(dir) = path.parent() {
            intact::create_below(&self.path, dir).map_err(|e| Error::write(dir, e))?;
        }
        std::fs::hard_link(from, &path).map_err(|e| Error::write(&path, e))?;
        if std::fs::read(&path).is_ok_and(|linked| linked == bytes) {
            self.intact.landed(rel, bytes.len() as u64);
            return Ok(());
        }
        std::fs::remove_file(&path).map_err(|e| Error::write(&path, e))?;
        Err(Error::Refused(format!(
            "{} changed between its check and its link",
            from.display()
        )))
    }

    /// Puts the final `manifest` in place of the first one (when given), moves over what
    /// the old folder keeps, and swaps the staging folder into the target.
    pub fn finish(mut self, manifest: Option<&[u8]>) -> Result<Written, Error> {
        // Not cut in half by Ctrl-C; from here on the folder may hold a user's files.
        let _hold = crate::interrupt::hold();
        self.tracked = None;
        self.finished = true;
        let result = self.complete(manifest);
        if result.is_ok() {
            crate::interrupt::published(self.lock.target());
        }
        if let Err(e) = result {
            // Whatever was moved into the staging folder goes back before it is removed.
            if let Err(again) = recover(self.lock) {
                return Err(Error::Refused(format!("{e}\n{again}")));
            }
            return Err(e);
        }
        Ok(std::mem::take(&mut self.written))
    }

    fn complete(&self, manifest: Option<&[u8]>) -> Result<(), Error> {
        let (staging, target) = (&self.path, self.lock.target());
        // Still the folder made, with every file written (an --out moved or removed
        // meanwhile must not publish a folder without them).
        self.intact.check(staging, target)?;
        if let Some(bytes) = manifest {
            self.write(MANIFEST_NEXT, bytes)?;
            let (next, file) = (staging.join(MANIFEST_NEXT), staging.join(manifest::FILE));
            std::fs::rename(&next, &file).map_err(|e| Error::write(&file, e))?;
        }
        sync_dir(staging);
        if self.exists {
            // Opened since the check in `begin` (a report opened while the others rendered).
            refuse_open(target)?;
            for (old, new) in &self.carry {
                move_into(&target.join(old), &staging.join(new))?;
            }
            sync_dir(staging);
            let old = swap(staging, target)?;
            sync_dir(parent_of(target));
            trash(&old, target)
        } else {
            std::fs::rename(staging, target).map_err(|e| Error::write(target, e))?;
            sync_dir(parent_of(target));
            Ok(())
        }
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.finished {
            // Nothing was moved in yet: the staging folder holds rendered files only.
            let _ = recover(self.lock);
        }
    }
}

/// Swaps `staging` into `target`; returns where the old folder now is.
fn swap(staging: &Path, target: &Path) -> Result<PathBuf, Error> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(staging.to_path_buf()),
            // No RENAME_EXCHANGE on this kernel or file system: fall back.
            Err(e) if e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP => {}
            Err(e) => return Err(Error::write(target, e.into())),
        }
    }
    let old = leftover_path(target, "old");
    std::fs::rename(target, &old).map_err(|e| blocked(target, target, e))?;
    std::fs::rename(staging, target).map_err(|e| blocked(staging, target, e))?;
    Ok(old)
}

/// Removes a folder that holds only rendered files: renamed to `trash` first, so that an
/// interrupted removal is recognised as one.
fn trash(dir: &Path, target: &Path) -> Result<(), Error> {
    let trash = leftover_path(target, "trash");
    std::fs::rename(dir, &trash).map_err(|e| blocked(dir, dir, e))?;
    let _ = std::fs::remove_dir_all(&trash);
    Ok(())
}

/// The files of `folder` that zielbericht did not render there: the `keep` subfolders
/// (whole) and every entry not listed in its `manifest.json`.
struct Foreign {
    kept: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

/// Empty folders count when `with_empty` says so.
fn foreign(folder: &Path, keep: &[&str], with_empty: bool) -> Result<Foreign, Error> {
    let kept: Vec<PathBuf> = keep
        .iter()
        .map(PathBuf::from)
        .filter(|k| folder.join(k).symlink_metadata().is_ok())
        .collect();
    let skip = |rel: &Path| kept.iter().any(|k| k == rel);
    let entries = walk::entries(folder, &skip).map_err(|e| Error::write(folder, e))?;
    // Empty folders a user made are theirs too (walk lists no folders).
    let empty = if with_empty {
        super::edited::empty_dirs(folder, &skip).map_err(|e| Error::write(folder, e))?
    } else {
        Vec::new()
    };
    let listed = std::fs::read(folder.join(manifest::FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<manifest::Manifest>(&b).ok());
    let files = match listed {
        Some(m) => entries
            .into_iter()
            .filter(|e| {
                let name = e.name();
                e.kind != Kind::File
                    || (name != manifest::FILE && !m.files.iter().any(|f| f.path == name))
            })
            .map(|e| e.rel)
            .chain(empty)
            .collect(),
        None if entries.iter().all(|e| e.name() == manifest::FILE) => empty,
        None => {
            return Err(Error::Refused(format!(
                "{} has no readable {}, so zielbericht cannot tell its own files from \
                 others; nothing was changed. Restore the manifest or move the folder away.",
                folder.display(),
                manifest::FILE
            )));
        }
    };
    Ok(Foreign { kept, files })
}

/// Brings back what interrupted writes left beside the target of `lock` (see the module
/// doc). Called under the lock before anything else touches the folder.
pub fn recover(lock: &FolderLock) -> Result<(), Error> {
    let target = lock.target();
    let parent = parent_of(target);
    let Some(name) = target.file_name().and_then(|n| n.to_str()) else {
        return Ok(());
    };
    let mut leftovers: Vec<(String, PathBuf)> = std::fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let file = e.file_name();
            let (kind, of) = parse(file.to_str()?)?;
            (of == name).then(|| (kind.to_string(), e.path()))
        })
        .collect();
    leftovers.sort();
    let mut pending = Vec::new();
    for (kind, path) in leftovers {
        if kind == "trash" {
            std::fs::remove_dir_all(&path).map_err(|e| blocked(&path, &path, e))?;
        } else {
            pending.push((kind, path));
        }
    }
    if target.symlink_metadata().is_err() {
        let old: Vec<&PathBuf> = pending
            .iter()
            .filter(|(k, _)| k == "old")
            .map(|(_, p)| p)
            .collect();
        match old.as_slice() {
            [] => {}
            [one] => {
                let one = (*one).clone();
                std::fs::rename(&one, target).map_err(|e| Error::write(target, e))?;
                sync_dir(parent);
                pending.retain(|(_, p)| *p != one);
            }
            many => {
                return Err(stop(
                    target,
                    &many
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>(),
                ));
            }
        }
    }
    for (_, path) in pending {
        // Empty folders in a leftover are a user's carried over only when there is a
        // folder to put them back into; otherwise they are the writer's own (`eingaben/`
        // of an edition, made just before its first file) and hold nothing.
        let with_empty = target.symlink_metadata().is_ok();
        let foreign = foreign(&path, &[INVITATIONS_FOLDER], with_empty).map_err(|_| {
            stop(
                target,
                &[format!("{} (kein lesbares Manifest)", path.display())],
            )
        })?;
        let items: Vec<PathBuf> = foreign.kept.into_iter().chain(foreign.files).collect();
        if !items.is_empty() && target.symlink_metadata().is_err() {
            return Err(stop(target, &[path.display().to_string()]));
        }
        for rel in &items {
            let (from, to) = (path.join(rel), target.join(rel));
            if to.symlink_metadata().is_ok() {
                if same_file_content(&from, &to) || (empty_dir(&from) && to.is_dir()) {
                    continue;
                }
                return Err(stop(
                    target,
                    &[format!(
                        "{} (weicht ab von {})",
                        from.display(),
                        to.display()
                    )],
                ));
            }
            move_into(&from, &to)?;
        }
        sync_dir(target);
        trash(&path, target)?;
    }
    Ok(())
}

/// The refusal for leftovers that cannot be merged automatically.
fn stop(target: &Path, what: &[String]) -> Error {
    Error::Refused(format!(
        "an interrupted earlier write of {} left folders that may hold the only copy of \
         files, and they cannot be put back automatically:\n  {}\nNothing was changed. \
         Compare them with {}, keep what is needed, and move them away.",
        target.display(),
        what.join("\n  "),
        target.display()
    ))
}

fn empty_dir(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

/// The files of `target` its manifest lists that someone edited since (see
/// [`super::edited`]), each with the unused name it is kept under; `planned` and
/// `foreign` are names taken in the new folder. Rendered documents are not kept but
/// noted in `written` (they are rendered anew; see [`super::edited`]).
fn edited_files(
    target: &Path,
    planned: &[String],
    foreign: &[PathBuf],
    written: &mut Written,
) -> Vec<(PathBuf, PathBuf)> {
    let Some(m) = std::fs::read(target.join(manifest::FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<manifest::Manifest>(&b).ok())
    else {
        return Vec::new();
    };
    let mut taken: Vec<String> = planned
        .iter()
        .map(|p| name_key(p))
        .chain(foreign.iter().map(|p| name_key(&walk::rel_name(p))))
        .collect();
    let mut out = Vec::new();
    for (rel, rendered) in super::edited::changed(target, &m) {
        if rendered {
            written.rendered_anew.push(rel);
            continue;
        }
        let new = super::edited::kept_name(&rel, &|n| {
            taken.contains(&name_key(n)) || target.join(n).symlink_metadata().is_ok()
        });
        taken.push(name_key(&new));
        out.push((PathBuf::from(rel), PathBuf::from(new)));
    }
    out
}

fn same_file_content(a: &Path, b: &Path) -> bool {
    let regular = |p: &Path| p.symlink_metadata().is_ok_and(|m| m.is_file());
    regular(a)
        && regular(b)
        && matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

/// Moves `from` to `to` (same file system), creating the folders above `to`.
fn move_into(from: &Path, to: &Path) -> Result<(), Error> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    }
    std::fs::rename(from, to).map_err(|e| blocked(from, from, e))
}

/// A relative name as the file system compares it: folded to lower case on Windows, whose
/// file names ignore case; as it is elsewhere.
fn name_key(name: &str) -> String {
    if cfg!(windows) {
        name.to_lowercase()
    } else {
        name.to_owned()
    }
}

/// `(kind, name)` of a leftover folder name `.zielbericht-<kind>-<name>-<pid>-<nanos>`.
pub(super) fn parse(file: &str) -> Option<(&str, &str)> {
    let rest = file.strip_prefix(STAGING)?;
    let (kind, rest) = rest.split_once('-')?;
    if !["tmp", "old", "trash"].contains(&kind) {
        return None;
    }
    let mut parts = rest.rsplitn(3, '-');
    let nanos = parts.next()?;
    let pid = parts.next()?;
    let name = parts.next()?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(nanos) && digits(pid) && !name.is_empty()).then_some((kind, name))
}

/// A fresh leftover path of `kind` for `target`.
fn leftover_path(target: &Path, kind: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_of(target).join(format!(
        "{STAGING}{kind}-{name}-{}-{}",
        std::process::id(),
        nanos()
    ))
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
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

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
