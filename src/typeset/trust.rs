//! What the reuse of PDFs may trust (issue 23, class 8).
//!
//! A run folder is the user's: they may edit a PDF and recompute its SHA-256 in
//! `manifest.json`, and a rerun that trusted the manifest alone would carry the edited
//! PDF into the new folder and seal it with its new manifest. So reuse also needs a
//! record this installation made itself: after writing a folder, zielbericht writes one
//! HMAC-SHA-256 per rendered file over its name, render key, SHA-256 and length, keyed
//! with a secret of this installation (32 random bytes, made once, mode 0600), both in
//! the user's data folder (`$XDG_DATA_HOME/zielbericht/`, `~/.local/share/zielbericht/`,
//! or `%LOCALAPPDATA%\zielbericht\` on Windows): the key as `schluessel`, the record as
//! `wiederverwendung/<SHA-256 of the folder's canonical path>`. Nothing is added to the
//! output folder, and a folder moved elsewhere is simply rendered anew. A rerun reuses a PDF only when the record
//! holds the MAC of the entry the previous manifest gives it and the file on disk still
//! has that SHA-256 (`cache::Previous::fetch`). An edit with a recomputed SHA-256, a
//! record copied from elsewhere, a missing record or key: the PDF is rendered anew.
//! The manifest itself stays free of the key, so output remains byte-identical across
//! installations.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::output::manifest::FileEntry;

/// The MACs of the record beside a folder.
#[derive(Debug, Default)]
pub struct Record {
    key: Option<[u8; 32]>,
    macs: HashSet<String>,
}

impl Record {
    /// The record beside `folder` with this installation's key; empty (trusting nothing)
    /// when either is missing.
    pub fn read(folder: &Path) -> Self {
        let Some(key) = key() else {
            return Self::default();
        };
        let macs = path(folder)
            .and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        Self {
            key: Some(key),
            macs,
        }
    }

    /// Whether this installation recorded `entry` (with its render key) for the folder.
    pub fn vouches(&self, path: &str, render_key: &str, sha256: &str, bytes: u64) -> bool {
        self.key.is_some_and(|key| {
            self.macs
                .contains(&mac(&key, path, render_key, sha256, bytes))
        })
    }
}

/// Writes the record of `folder`: the MACs of its `files` that have a render key.
/// Best effort: without it, the next run renders those files anew.
pub fn record(folder: &Path, files: &[FileEntry]) {
    let Some(key) = key() else {
        return;
    };
    let mut text = String::from(
        "# zielbericht: welche PDFs dieser Ordner von zielbericht selbst hat (HMAC-SHA-256); \
         nicht bearbeiten\n",
    );
    // The folder's path (when it is text) on the second line, so that records of
    // folders since removed can be pruned.
    if let Some(real) = folder
        .canonicalize()
        .ok()
        .and_then(|p| p.to_str().map(str::to_owned))
        && !real.contains('\n')
    {
        text.push_str(FOLDER);
        text.push_str(&real);
        text.push('\n');
    }
    for f in files {
        if let Some(render_key) = &f.render_key {
            text.push_str(&mac(&key, &f.path, render_key, &f.sha256, f.bytes));
            text.push('\n');
        }
    }
    let Some(path) = path(folder) else {
        return;
    };
    let tmp = path.with_extension(format!("neu-{}", std::process::id()));
    let written = path
        .parent()
        .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
        && std::fs::write(&tmp, text).is_ok();
    if !written || std::fs::rename(&tmp, &path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    if let Some(dir) = path.parent() {
        prune(dir);
    }
}

/// The line of a record that names its folder.
const FOLDER: &str = "# Ordner: ";

/// Removes the records in `dir` whose folder no longer exists (a removed run folder, a
/// temporary folder of a test): the records would otherwise pile up.
fn prune(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        use std::io::BufRead as _;
        let path = entry.path();
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        // The first two lines only: the header and the folder.
        let folder = std::io::BufReader::new(file)
            .lines()
            .take(2)
            .map_while(Result::ok)
            .find_map(|l| l.strip_prefix(FOLDER).map(str::to_owned));
        if folder.is_some_and(|f| !Path::new(&f).exists()) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The record of `folder` (an existing folder) in this installation's data folder.
fn path(folder: &Path) -> Option<PathBuf> {
    let real = folder.canonicalize().ok()?;
    let name = hex(&Sha256::digest(real.as_os_str().as_encoded_bytes()));
    Some(key_dir()?.join("wiederverwendung").join(name))
}

fn mac(key: &[u8; 32], path: &str, render_key: &str, sha256: &str, bytes: u64) -> String {
    let mut message = Vec::new();
    for field in [path.as_bytes(), render_key.as_bytes(), sha256.as_bytes()] {
        message.extend_from_slice(&(field.len() as u64).to_le_bytes());
        message.extend_from_slice(field);
    }
    message.extend_from_slice(&bytes.to_le_bytes());
    hex(&hmac_sha256(key, &message))
}

/// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| block.iter().map(|k| k ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The folder of this installation's key.
fn key_dir() -> Option<PathBuf> {
    let non_empty = |v: &str| {
        std::env::var_os(v)
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return non_empty("LOCALAPPDATA").map(|d| d.join("zielbericht"));
    }
    non_empty("XDG_DATA_HOME")
        .or_else(|| non_empty("HOME").map(|h| h.join(".local/share")))
        .map(|d| d.join("zielbericht"))
}

/// This installation's key: read, or made once (32 random bytes, mode 0600). `None`
/// when there is no place for it: then nothing is trusted and every PDF is rendered.
fn key() -> Option<[u8; 32]> {
    let dir = key_dir()?;
    let path = dir.join("schluessel");
    if let Some(key) = read_key(&path) {
        return Some(key);
    }
    std::fs::create_dir_all(&dir).ok()?;
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).ok()?;
    // Written whole under a name of its own, then linked to its name: a process making
    // the key at the same moment finds either none or the whole one (and uses that).
    let tmp = dir.join(format!(".schluessel-{}", std::process::id()));
    let written = write_private(&tmp, hex(&key).as_bytes());
    let linked = written.is_ok() && std::fs::hard_link(&tmp, &path).is_ok();
    let _ = std::fs::remove_file(&tmp);
    if linked {
        return Some(key);
    }
    read_key(&path)
}

fn read_key(path: &Path) -> Option<[u8; 32]> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::{hex, hmac_sha256};

    /// RFC 4231, test cases 2 and 6 (a key longer than the block).
    #[test]
    fn hmac_matches_rfc_4231() {
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
