//! Listing a folder without following symbolic links: a link is an entry of its own (never
//! a way out of the folder), so a link loop ends the walk at once instead of recursing.

use std::io;
use std::path::{Path, PathBuf};

/// What a listed entry is; directories are descended into, not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Symlink,
    /// A FIFO, socket or device node.
    Special,
}

/// One non-directory entry below the walked folder.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path relative to the walked folder.
    pub rel: PathBuf,
    pub kind: Kind,
}

impl Entry {
    /// The relative path with `/` separators, as manifests write it.
    pub fn name(&self) -> String {
        rel_name(&self.rel)
    }
}

/// `rel` with `/` separators.
pub fn rel_name(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// Every non-directory entry below `root`, sorted; `skip` decides for a relative
/// directory path whether to leave it out.
pub fn entries(root: &Path, skip: &dyn Fn(&Path) -> bool) -> io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel_dir) = stack.pop() {
        for entry in std::fs::read_dir(root.join(&rel_dir))? {
            let entry = entry?;
            let rel = rel_dir.join(entry.file_name());
            // `DirEntry::file_type` does not follow symbolic links.
            let kind = entry.file_type()?;
            if kind.is_dir() {
                if !skip(&rel) {
                    stack.push(rel);
                }
            } else if kind.is_symlink() {
                out.push(Entry {
                    rel,
                    kind: Kind::Symlink,
                });
            } else if kind.is_file() {
                out.push(Entry {
                    rel,
                    kind: Kind::File,
                });
            } else {
                out.push(Entry {
                    rel,
                    kind: Kind::Special,
                });
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}
