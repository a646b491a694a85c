//! The files of a `--templates` folder, walked and read once per command: the Typst
//! templates of the print shop ([`crate::typeset::Renderer`]), the Textbausteine and
//! `kennzahlen.toml` ([`super::Texte`], [`super::Kennzahlnamen`]) and the mail templates
//! all take their bytes from one [`TemplateFolder`] instead of opening the folder each.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The extensions of the files a template folder is read for: what a Typst template may
/// load (sources, images, data) and the minijinja templates (`.j2`). Other files (a
/// README, backups) are never read.
pub const READ_EXTENSIONS: &[&str] = &[
    "typ", "svg", "png", "jpg", "jpeg", "gif", "webp", "pdf", "json", "csv", "toml", "yaml", "yml",
    "txt", "xml", "bib", "j2",
];

/// A `--templates` folder as read once: every file below it (symbolic links only to
/// files inside it, hidden entries skipped, see [`collect_files`]) with an extension of
/// [`READ_EXTENSIONS`], each with its bytes or why it could not be read. Errors are kept,
/// not raised, so that each reader reports them as it did when it read the file itself.
#[derive(Debug)]
pub struct TemplateFolder {
    dir: PathBuf,
    /// The files by their path (`dir` joined with the relative path), or why the folder
    /// could not be walked.
    files: Result<BTreeMap<PathBuf, io::Result<Vec<u8>>>, io::Error>,
}

impl TemplateFolder {
    /// Walks `dir` once and reads its files.
    pub fn read(dir: &Path) -> Self {
        let mut found = Vec::new();
        let files = collect_files(dir, Links::Inside, &mut found).map(|()| {
            found
                .into_iter()
                .filter(|path| {
                    path.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| READ_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
                })
                .map(|path| {
                    let bytes = fs::read(&path);
                    (path, bytes)
                })
                .collect()
        });
        Self {
            dir: dir.to_owned(),
            files,
        }
    }

    /// The folder as given.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every file read (sorted by path), or why the folder could not be walked.
    pub fn files(&self) -> Result<&BTreeMap<PathBuf, io::Result<Vec<u8>>>, &io::Error> {
        self.files.as_ref()
    }

    /// The text of `FOLDER/NAME` below the folder when it exists (`None`: the built-in
    /// copy applies), by the rules of [`crate::load::csv::read_text`], with its path.
    /// Taken from what the walk read; a file the walk did not take (a link to a file
    /// outside the folder, a FIFO, a folder that could not be walked) is looked up and
    /// read on its own, as before there was one reading.
    pub fn text(&self, folder: &str, name: &str) -> Option<(PathBuf, Result<String, String>)> {
        let path = self.dir.join(folder).join(name);
        let read = self.files.as_ref().ok().and_then(|files| files.get(&path));
        match read {
            Some(Ok(bytes)) => {
                let text = if bytes.len() as u64 > crate::load::csv::MAX_FILE_BYTES {
                    Err("erwartet wird höchstens 1 GiB, die Datei ist größer; nicht gelesen".into())
                } else {
                    String::from_utf8(bytes.clone())
                        .map_err(|_| "erwartet wird UTF-8-Text (oder Windows-1252)".to_string())
                };
                Some((path, text))
            }
            Some(Err(e)) => Some((
                path,
                Err(format!("die Datei kann nicht gelesen werden: {e}")),
            )),
            None if path.exists() => {
                let text = crate::load::csv::read_text(&path);
                Some((path, text))
            }
            None => None,
        }
    }
}

/// Which symbolic links [`collect_files`] serves. Links to folders are never followed, so
/// a link loop ends the walk at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// A link to a regular file inside the walked folder (templates: a template can
    /// read nothing outside its folder, such as `/etc/passwd`).
    Inside,
    /// A link to a regular file anywhere (fonts).
    AnyFile,
}

/// All regular files below `path` (or `path` itself if it is a file), sorted, skipping
/// hidden entries, FIFOs and devices; symbolic links as `links` allows.
pub fn collect_files(path: &Path, links: Links, out: &mut Vec<PathBuf>) -> io::Result<()> {
    if fs::metadata(path)?.is_file() {
        out.push(path.to_owned());
        return Ok(());
    }
    let real_root = path.canonicalize()?;
    let mut found = Vec::new();
    let mut stack = vec![path.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // `DirEntry::file_type` does not follow symbolic links.
            let kind = entry.file_type()?;
            let entry = entry.path();
            if kind.is_dir() {
                stack.push(entry);
            } else if kind.is_file() {
                found.push(entry);
            } else if kind.is_symlink()
                && let Ok(real) = entry.canonicalize()
                && fs::metadata(&real).is_ok_and(|m| m.is_file())
                && (links == Links::AnyFile || real.starts_with(&real_root))
            {
                found.push(entry);
            }
        }
    }
    found.sort();
    out.extend(found);
    Ok(())
}
