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
//! `archive` appends (under the archive's lock, synced); `verify` checks the chain and
//! that every registered edition is on disk with that manifest, and every edition on disk
//! is registered.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::sha256_hex;
use crate::error::Error;

pub const FILE: &str = "register.txt";

const HEADER: &str = "# zielbericht register of archive editions v1: edition\tmanifest SHA-256\tchain (SHA-256 of the previous chain, a line feed and this line's first two fields)";

/// The chain value before the first entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One register line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `YYYY/ausgabe-N`.
    pub edition: String,
    pub manifest_sha256: String,
    pub chain: String,
}

/// The register file of the archive at `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(FILE)
}

fn chain(previous: &str, edition: &str, manifest_sha256: &str) -> String {
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
                    vec![format!("unreadable {}: {e}", file.display())],
                );
            }
        },
        Ok(_) => {
            return (
                Vec::new(),
                vec![format!("unreadable {}: not a regular file", file.display())],
            );
        }
        Err(_) => {
            return (
                Vec::new(),
                vec![format!(
                    "missing  {} (the register of editions)",
                    file.display()
                )],
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
            problems.push(format!(
                "damaged  {at}: expected edition, manifest SHA-256 and chain separated by tabs"
            ));
            continue;
        };
        let expected = chain(&previous, edition, manifest_sha256);
        if *value != expected {
            problems.push(format!(
                "damaged  {at}: the chain breaks at {edition} (an entry before it was removed, \
                 reordered or altered, or this one was)"
            ));
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

/// Appends an edition to the register (creating it), synced to disk. Refuses to extend a
/// register that does not check (nothing is changed then).
pub fn append(root: &Path, edition: &str, manifest_sha256: &str) -> Result<(), Error> {
    let file = path(root);
    let exists = file.symlink_metadata().is_ok();
    let previous = if exists {
        let (entries, problems) = read(root);
        if !problems.is_empty() {
            return Err(Error::Refused(format!(
                "the register of editions is damaged; it was not extended:\n  {}\nRun \
                 `zielbericht verify` on the archive and restore the register from a backup.",
                problems.join("\n  ")
            )));
        }
        entries
            .last()
            .map_or_else(|| GENESIS.to_string(), |e| e.chain.clone())
    } else {
        GENESIS.to_string()
    };
    let mut line = String::new();
    if !exists {
        line.push_str(HEADER);
        line.push('\n');
    }
    let value = chain(&previous, edition, manifest_sha256);
    line.push_str(&[edition, manifest_sha256, &value].join("\t"));
    line.push('\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
        .map_err(|e| Error::write(&file, e))?;
    f.write_all(line.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::write(&file, e))?;
    if !exists && let Ok(dir) = std::fs::File::open(root) {
        let _ = dir.sync_all();
    }
    Ok(())
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

/// Starts the register of an archive written before registers existed: every edition on
/// disk is entered, in order of year and number. Returns how many; 0 when a register
/// exists already.
pub fn adopt(root: &Path) -> Result<usize, Error> {
    if path(root).symlink_metadata().is_ok() {
        return Ok(0);
    }
    let editions = editions_on_disk(root);
    for (edition, manifest) in &editions {
        let hash = super::sha256_file(manifest).map_err(|e| Error::write(manifest, e))?;
        append(root, edition, &hash)?;
    }
    Ok(editions.len())
}
