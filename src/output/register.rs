//! The register of archive editions, `ARCHIVE/register.txt`: one line per edition, in the
//! order written, with the SHA-256 of the edition's `manifest.json` and a chain value —
//! the SHA-256 of the previous line's chain value and this line — so that a removed,
//! reordered or altered line breaks every chain value after it.
//!
//! ```text
//! # zielbericht register of archive editions v1: edition<TAB>manifest SHA-256<TAB>chain
//! 2018/ausgabe-1<TAB>3f2a…<TAB>9c41…
//! ```
//!
//! `archive` appends (under the archive's lock; the whole file replaced through a synced
//! temporary file, so a failed write changes nothing), and publishes an edition and its
//! entry together through a journal ([`publish`], [`recover`]); `verify` checks the chain
//! and that every registered edition is on disk with that manifest, and every edition on
//! disk is registered. A lost register is refused ([`require`]), never rebuilt from what
//! lies on disk; `archive --repair-register` ([`super::repair`]) is the explicit way back.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{manifest, sha256_hex};
use crate::error::Error;
use crate::messages::Msg;

pub const FILE: &str = "register.txt";

/// The log of `archive --repair-register` ([`super::repair`]), in the archive root.
pub const REPAIR_LOG: &str = "register-reparatur.log";

pub(crate) const HEADER: &str = "# zielbericht register of archive editions v1: edition\tmanifest SHA-256\tchain (SHA-256 of the previous chain, a line feed and this line's first two fields)";

/// The chain value before the first entry.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One register line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `YYYY/ausgabe-N`.
    pub edition: String,
    pub manifest_sha256: String,
    pub chain: String,
}

/// The comment lines of the register that a repair wrote (`# …`, without the header),
/// for `verify` to show.
pub fn notes(root: &Path) -> Vec<String> {
    std::fs::read_to_string(path(root))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with('#') && !l.starts_with(HEADER))
        .map(|l| l.trim_start_matches('#').trim().to_string())
        .collect()
}

/// The register file of the archive at `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(FILE)
}

pub(crate) fn chain(previous: &str, edition: &str, manifest_sha256: &str) -> String {
    sha256_hex(format!("{previous}\n{edition}\t{manifest_sha256}").as_bytes())
}

/// Reads and checks the register: the entries that parse, and one message per problem
/// (a missing or unreadable file, a malformed line, a broken chain) naming `file:line`.
pub fn read(root: &Path) -> (Vec<Entry>, Vec<String>) {
    let file = path(root);
    let text = match file.symlink_metadata() {
        Ok(m) if m.is_file() => match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                return (
                    Vec::new(),
                    vec![
                        Msg::VerifyUnreadable {
                            file: file.display().to_string(),
                            why: e.to_string(),
                        }
                        .to_string(),
                    ],
                );
            }
        },
        Ok(_) => {
            return (
                Vec::new(),
                vec![
                    Msg::VerifyUnreadable {
                        file: file.display().to_string(),
                        why: Msg::VerifyNotRegular.to_string(),
                    }
                    .to_string(),
                ],
            );
        }
        Err(_) => {
            return (
                Vec::new(),
                vec![
                    Msg::RegisterMissing {
                        file: file.display().to_string(),
                    }
                    .to_string(),
                ],
            );
        }
    };
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut previous = GENESIS.to_string();
    for (index, line) in text.lines().enumerate() {
        let at = format!("{}:{}", file.display(), index + 1);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [edition, manifest_sha256, value] = fields.as_slice() else {
            problems.push(Msg::RegisterLineMalformed { at }.to_string());
            continue;
        };
        let expected = chain(&previous, edition, manifest_sha256);
        if *value != expected {
            problems.push(
                Msg::RegisterChainBroken {
                    at: at.clone(),
                    edition: (*edition).to_string(),
                }
                .to_string(),
            );
        }
        previous = (*value).to_string();
        entries.push(Entry {
            edition: (*edition).to_string(),
            manifest_sha256: (*manifest_sha256).to_string(),
            chain: (*value).to_string(),
        });
    }
    (entries, problems)
}

/// Appends an edition to the register (creating it). The register is rewritten whole
/// through a synced temporary file renamed into place, so a failed or interrupted write
/// leaves it as it was. Refuses to extend a register that does not check (nothing is
/// changed then).
pub fn append(root: &Path, edition: &str, manifest_sha256: &str) -> Result<(), Error> {
    let file = path(root);
    let mut text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!("{HEADER}\n"),
        Err(e) => return Err(Error::write(&file, e)),
    };
    let (entries, problems) = read(root);
    if !problems.is_empty() && file.symlink_metadata().is_ok() {
        return Err(Error::Refused(format!(
            "das Register der Ausgaben ist beschädigt und wurde nicht erweitert:\n  {}\n\
             `zielbericht verify` prüft das Archiv; ein Register aus einer Sicherung \
             zurückholen oder `zielbericht archive --repair-register` aufrufen.",
            problems.join("\n  ")
        )));
    }
    let previous = entries
        .last()
        .map_or_else(|| GENESIS.to_string(), |e| e.chain.clone());
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let value = chain(&previous, edition, manifest_sha256);
    text.push_str(&[edition, manifest_sha256, &value].join("\t"));
    text.push('\n');
    replace(&file, text.as_bytes())
}

/// Replaces `file` by `bytes` through `.<name>.neu` beside it (synced, renamed, the
/// folder synced); on failure the temporary file is removed and `file` is unchanged.
pub(crate) fn replace(file: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = super::lock::parent_of(file);
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.neu"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)?;
        // The new entry of the folder is durable once the folder is synced (Unix). Windows
        // cannot open a folder as a file (access denied), and NTFS journals its metadata.
        if cfg!(unix) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| Error::write(file, e))
}

/// The journal of the edition being published, beside the register: the line
/// `edition<TAB>manifest SHA-256` is written (synced) before the edition is renamed into
/// place and removed once the register holds it. Whatever stops `archive` between the
/// two, the next `archive` finds it and completes the entry (the edition is in place
/// with that manifest) or rolls it back (it is not): an edition and its register entry
/// appear together or not at all.
pub const JOURNAL: &str = "register.ausstehend";

/// An edition whose publication the journal records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub edition: String,
    pub manifest_sha256: String,
}

/// Records that `edition` with the manifest of `manifest_sha256` is about to be published.
pub fn begin(root: &Path, edition: &str, manifest_sha256: &str) -> Result<(), Error> {
    replace(
        &root.join(JOURNAL),
        format!("{edition}\t{manifest_sha256}\n").as_bytes(),
    )
}

/// Publishes an edition together with its register entry: the journal first, then
/// `write` (which renames the complete edition into place), then the entry, then the
/// journal is removed. When the entry cannot be written, the edition just put in place
/// (never registered) is taken back; whatever stops the process in between is completed
/// or rolled back by the next `archive` ([`recover`]).
pub fn publish(
    root: &Path,
    edition: &str,
    manifest_sha256: &str,
    write: impl FnOnce() -> Result<(), Error>,
) -> Result<(), Error> {
    begin(root, edition, manifest_sha256)?;
    let folder = root.join(edition);
    if let Err(e) = write() {
        if folder.symlink_metadata().is_err() {
            let _ = end(root);
        }
        return Err(e);
    }
    if let Err(e) = append(root, edition, manifest_sha256) {
        let taken_back = take_back(&folder);
        let what = match &taken_back {
            Ok(()) => {
                let _ = end(root);
                format!(
                    "die neue Ausgabe {edition} wurde wieder entfernt; nichts wurde veröffentlicht"
                )
            }
            Err(why) => format!(
                "die neue Ausgabe {edition} ließ sich nicht wieder entfernen ({why}); der nächste \
                 `zielbericht archive` trägt sie ein oder nimmt sie zurück ({} bleibt dafür liegen)",
                root.join(JOURNAL).display()
            ),
        };
        return Err(Error::Refused(format!(
            "das Register {} konnte nicht geschrieben werden: {e}; {what}",
            path(root).display()
        )));
    }
    if let Err(e) = end(root) {
        eprintln!("Hinweis: {e}; der nächste `zielbericht archive` räumt das Journal auf");
    }
    Ok(())
}

/// Removes an edition this process has just put in place and could not register:
/// renamed to a hidden name first, so that it never lies half removed under its name.
fn take_back(folder: &Path) -> std::io::Result<()> {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hidden = super::lock::parent_of(folder).join(format!(".{name}.zurueckgenommen"));
    std::fs::rename(folder, &hidden)?;
    std::fs::remove_dir_all(&hidden)
}

/// Removes the journal (the publication is complete or rolled back).
pub fn end(root: &Path) -> Result<(), Error> {
    let file = root.join(JOURNAL);
    match std::fs::remove_file(&file) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::write(&file, e)),
    }
    if let Ok(dir) = std::fs::File::open(root) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The publication the journal records, if any; an unreadable journal is an error
/// naming it.
pub fn pending(root: &Path) -> Result<Option<Pending>, String> {
    let file = root.join(JOURNAL);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{} ist nicht lesbar: {e}", file.display())),
    };
    let line = text.trim_end_matches('\n');
    match line.split_once('\t') {
        Some((edition, sha))
            if sha.len() == 64
                && sha.bytes().all(|b| b.is_ascii_hexdigit())
                && edition_name(edition).is_some() =>
        {
            Ok(Some(Pending {
                edition: edition.to_string(),
                manifest_sha256: sha.to_string(),
            }))
        }
        _ => Err(format!(
            "{} ist beschädigt (erwartet: Ausgabe, Tabulator, SHA-256 des Manifests)",
            file.display()
        )),
    }
}

/// `(year, number)` of an edition name `YYYY/ausgabe-N`.
fn edition_name(edition: &str) -> Option<(u32, u32)> {
    let (year, name) = edition.split_once('/')?;
    let n = name.strip_prefix("ausgabe-")?;
    let plain = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    (year.len() == 4 && plain(year) && plain(n))
        .then(|| Some((year.parse().ok()?, n.parse().ok()?)))
        .flatten()
}

/// Completes or rolls back a publication an earlier `archive` left unfinished (see
/// [`JOURNAL`]); called under the archive's lock before anything else. Returns what it
/// did, in German, for the user.
pub fn recover(root: &Path) -> Result<Option<String>, Error> {
    let journal = root.join(JOURNAL);
    let Some(p) = pending(root).map_err(|why| {
        Error::Refused(format!(
            "{why}; nichts wurde geschrieben. `zielbericht archive --repair-register` prüft \
             das Archiv und entfernt es."
        ))
    })?
    else {
        return Ok(None);
    };
    let (entries, _) = read(root);
    if entries
        .iter()
        .any(|e| e.edition == p.edition && e.manifest_sha256 == p.manifest_sha256)
    {
        end(root)?;
        return Ok(None);
    }
    let folder = root.join(&p.edition);
    if folder.symlink_metadata().is_err() {
        end(root)?;
        return Ok(Some(format!(
            "Hinweis: die Veröffentlichung von {} wurde unterbrochen, bevor die Ausgabe an ihrem \
             Platz lag; sie ist zurückgenommen (nicht im Register, nicht im Archiv).",
            p.edition
        )));
    }
    let manifest = folder.join(super::manifest::FILE);
    let matches = manifest.symlink_metadata().is_ok_and(|m| m.is_file())
        && super::sha256_file(&manifest).is_ok_and(|sha| sha == p.manifest_sha256);
    if !matches {
        return Err(Error::Refused(format!(
            "{} nennt die Ausgabe {} mit dem Manifest-SHA-256 {}, aber {} hat einen anderen \
             Inhalt (oder fehlt); zielbericht kann für diese Ausgabe nicht bürgen. Nichts wurde \
             geschrieben. `zielbericht archive --repair-register` prüft jede Ausgabe und nennt, \
             was nicht aufgenommen werden kann.",
            journal.display(),
            p.edition,
            p.manifest_sha256,
            manifest.display()
        )));
    }
    require(root, Some(&p.edition))?;
    append(root, &p.edition, &p.manifest_sha256)?;
    end(root)?;
    Ok(Some(format!(
        "Hinweis: die unterbrochene Veröffentlichung von {} ist abgeschlossen: die Ausgabe lag \
         vollständig an ihrem Platz und ist jetzt im Register {} eingetragen.",
        p.edition,
        path(root).display()
    )))
}

/// Refuses to go on when the register is missing although editions lie on disk: it is
/// never rebuilt silently from what lies there (a forged edition would be sealed with the
/// rest), only by the explicit, logged `archive --repair-register`.
/// `except` is an edition whose publication the journal records (it may start the
/// register).
pub fn require(root: &Path, except: Option<&str>) -> Result<(), Error> {
    let file = path(root);
    if file.symlink_metadata().is_ok() {
        return Ok(());
    }
    let mut on_disk = editions_on_disk(root);
    on_disk.retain(|(e, _)| Some(e.as_str()) != except);
    if on_disk.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = on_disk.iter().map(|(e, _)| e.as_str()).collect();
    Err(Error::Refused(format!(
        "das Register der Ausgaben {} fehlt, im Archiv liegen aber {} Ausgabe(n): {}. Es wird \
         nicht stillschweigend aus dem Inhalt des Archivs neu angelegt (eine untergeschobene \
         Ausgabe würde sonst mit besiegelt); nichts wurde geschrieben.\n\
         Ein Register aus einer Sicherung zurückholen, oder `zielbericht archive --archive {} \
         --repair-register` aufrufen: es prüft jede Ausgabe gegen ihr eigenes Manifest, legt das \
         Register neu an, protokolliert das in {} und nennt, wofür es nicht bürgen kann.",
        file.display(),
        names.len(),
        names.join(", "),
        root.display(),
        root.join(REPAIR_LOG).display()
    )))
}

/// Editions on disk (`YYYY/ausgabe-N` with a `manifest.json`), by year and number.
pub fn editions_on_disk(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for year in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let year_name = year.file_name().to_string_lossy().into_owned();
        if year_name.len() != 4 || !year_name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        for edition in std::fs::read_dir(year.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = edition.file_name().to_string_lossy().into_owned();
            let Some(n) = name
                .strip_prefix("ausgabe-")
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let manifest = edition.path().join(super::manifest::FILE);
            if manifest.symlink_metadata().is_ok_and(|m| m.is_file()) {
                out.push((
                    (year_name.clone(), n),
                    format!("{year_name}/{name}"),
                    manifest,
                ));
            }
        }
    }
    out.sort();
    out.into_iter().map(|(_, e, m)| (e, m)).collect()
}

/// The name of an edition folder: `ausgabe-<n>`.
pub const EDITION_PREFIX: &str = "ausgabe-";

/// Numbers of the editions present in a year folder.
pub fn editions(year_dir: &Path) -> Vec<u32> {
    let mut out: Vec<u32> = std::fs::read_dir(year_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_prefix(EDITION_PREFIX)?
                .parse()
                .ok()
        })
        .collect();
    out.sort_unstable();
    out
}

/// Whether `file` of `edition` is what its manifest records, and that manifest what the
/// register seals ([`sealed_by_register`]).
pub fn sealed_file(archive: &Path, year: i32, edition: &Path, file: &str) -> bool {
    let path = edition.join(file);
    sealed_by_register(archive, year, edition)
        && path.symlink_metadata().is_ok_and(|m| m.is_file())
        && std::fs::read(edition.join(manifest::FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<manifest::Manifest>(&b).ok())
            .and_then(|m| m.files.into_iter().find(|f| f.path == file))
            .zip(super::sha256_file(&path).ok())
            .is_some_and(|(entry, sha)| entry.sha256 == sha)
}

/// Whether `edition`'s `manifest.json` has the SHA-256 that the archive's register
/// records for it (a readable register without problems only).
pub fn sealed_by_register(archive: &Path, year: i32, edition: &Path) -> bool {
    let (entries, problems) = read(archive);
    let Some(name) = edition.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let wanted = format!("{year}/{name}");
    let Some(entry) = entries.iter().find(|e| e.edition == wanted) else {
        return false;
    };
    let manifest_path = edition.join(manifest::FILE);
    let regular = manifest_path.symlink_metadata().is_ok_and(|m| m.is_file());
    problems.is_empty()
        && regular
        && std::fs::read(&manifest_path)
            .is_ok_and(|bytes| super::sha256_hex(&bytes) == entry.manifest_sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition(root: &Path, name: &str, manifest: &[u8]) -> String {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(crate::output::manifest::FILE), manifest).unwrap();
        sha256_hex(manifest)
    }

    /// The journal of a killed publication: completed when the edition lies in place with
    /// its manifest, rolled back when it does not, refused when the manifest differs.
    #[test]
    fn a_journal_is_completed_rolled_back_or_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let first = edition(root, "2017/ausgabe-1", b"eins");
        append(root, "2017/ausgabe-1", &first).unwrap();

        // Not in place: rolled back.
        begin(root, "2017/ausgabe-2", &sha256_hex(b"zwei")).unwrap();
        let note = recover(root).unwrap().unwrap();
        assert!(note.contains("zurückgenommen"), "{note}");
        assert!(!root.join(JOURNAL).exists());
        assert_eq!(read(root).0.len(), 1);

        // In place with the journal's manifest: completed.
        let second = edition(root, "2017/ausgabe-2", b"zwei");
        begin(root, "2017/ausgabe-2", &second).unwrap();
        let note = recover(root).unwrap().unwrap();
        assert!(note.contains("abgeschlossen"), "{note}");
        let (entries, problems) = read(root);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries[1].edition, "2017/ausgabe-2");
        // Already entered (killed before the journal was removed): just removed.
        begin(root, "2017/ausgabe-2", &second).unwrap();
        assert_eq!(recover(root).unwrap(), None);
        assert!(!root.join(JOURNAL).exists());

        // In place with another manifest: refused, nothing changed.
        edition(root, "2017/ausgabe-3", b"untergeschoben");
        begin(root, "2017/ausgabe-3", &sha256_hex(b"drei")).unwrap();
        let before = std::fs::read(path(root)).unwrap();
        assert!(matches!(recover(root), Err(Error::Refused(_))));
        assert_eq!(std::fs::read(path(root)).unwrap(), before);
        assert!(root.join(JOURNAL).exists());
    }

    /// A lost register is refused while editions lie on disk.
    #[test]
    fn a_lost_register_is_required() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        require(root, None).unwrap();
        edition(root, "2017/ausgabe-1", b"eins");
        require(root, Some("2017/ausgabe-1")).unwrap();
        let Err(Error::Refused(why)) = require(root, None) else {
            panic!("expected a refusal");
        };
        assert!(why.contains("--repair-register"), "{why}");
    }
}
