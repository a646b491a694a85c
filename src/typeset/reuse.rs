//! Reuse of PDFs from the previous run of the same folder.
//!
//! Every rendered PDF is listed in `manifest.json` with its `render_key`: the SHA-256 of
//! exactly what it was made from ([`super::render::Renderer::cache_key`]: the document's
//! data JSON, every template file, every font, the program version, the document date and
//! the export settings). A rerun computes the key of each document before rendering; when
//! the previous manifest lists the same file under the same key, and the file on disk
//! still has the SHA-256 that manifest recorded, its bytes are taken instead of rendering
//! (they are what rendering would give). A changed, truncated or missing earlier PDF is
//! rendered again; so is everything under `--no-reuse`, and every entry that this
//! installation's keyed record beside the folder does not vouch for ([`super::trust`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::output::{manifest, sha256_hex};

/// The PDFs of a previous run folder that may be reused, by file name.
#[derive(Debug, Default)]
pub struct Previous {
    folder: PathBuf,
    /// File name → (render key, SHA-256 and size recorded in the manifest).
    entries: HashMap<String, (String, String, u64)>,
}

impl Previous {
    /// The reusable entries of `folder/manifest.json`; empty when there is none (or it is
    /// unreadable, or lists no render keys).
    pub fn read(folder: &Path) -> Self {
        let listed = std::fs::read(folder.join(manifest::FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<manifest::Manifest>(&b).ok());
        // Only what this installation recorded writing there (see `super::trust`).
        let record = super::trust::Record::read(folder);
        let entries = listed
            .into_iter()
            .flat_map(|m| m.files)
            .filter_map(|f| {
                let key = f.render_key?;
                record
                    .vouches(&f.path, &key, &f.sha256, f.bytes)
                    .then_some((f.path, (key, f.sha256, f.bytes)))
            })
            .collect();
        Self {
            folder: folder.to_path_buf(),
            entries,
        }
    }

    /// Where `file` of the previous run lies.
    pub fn path(&self, file: &str) -> PathBuf {
        self.folder.join(file)
    }

    /// The bytes of `file` from the previous run when it was rendered under `key` and is
    /// unchanged since (its SHA-256 as the previous manifest recorded it).
    pub fn fetch(&self, file: &str, key: &str) -> Option<Vec<u8>> {
        let (old_key, sha256, size) = self.entries.get(file)?;
        if old_key != key || file.contains('/') || file.starts_with('.') {
            return None;
        }
        let path = self.folder.join(file);
        // A regular file only: a link or FIFO put in its place is never read.
        let meta = path.symlink_metadata().ok()?;
        if !meta.is_file() || meta.len() != *size {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        (sha256_hex(&bytes) == *sha256).then_some(bytes)
    }
}
