//! What a user changed inside a folder zielbericht wrote (issue 23, class 13): empty
//! folders they made, and files the manifest lists whose content they edited (a
//! `kennzahlen.xlsx` with their notes). A rerun carries both into the new folder like
//! other user files; an edited file keeps its content under a new name,
//! `kennzahlen (bearbeitet).xlsx`, since the run writes a fresh one under the old.
//! A rendered document (a PDF with a render key) that no longer matches is rendered
//! anew (named when its length changed), not kept: a changed PDF is far more often damaged (a flipped bit, a
//! truncated copy) than edited, and it can always be made again.

use std::io;
use std::path::{Path, PathBuf};

use super::manifest::Manifest;

/// The empty folders below `root` (relative paths), leaving out the folders `skip`
/// names and everything below them.
pub fn empty_dirs(root: &Path, skip: &dyn Fn(&Path) -> bool) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel_dir) = stack.pop() {
        let mut any = false;
        for entry in std::fs::read_dir(root.join(&rel_dir))? {
            let entry = entry?;
            any = true;
            let rel = rel_dir.join(entry.file_name());
            if entry.file_type()?.is_dir() && !skip(&rel) {
                stack.push(rel);
            }
        }
        if !any && !rel_dir.as_os_str().is_empty() {
            out.push(rel_dir);
        }
    }
    out.sort();
    Ok(out)
}

/// The files `manifest` lists (not the manifest itself) that are regular files in
/// `folder` whose length or SHA-256 is no longer the recorded one: edited by someone.
/// With whether each is a rendered document (it has a render key). A rendered document
/// is compared by its length only: it is hashed anyway when its reuse is considered (and
/// rendered anew when that fails), and hashing every PDF twice would slow a rerun down.
pub fn changed(folder: &Path, manifest: &Manifest) -> Vec<(String, bool)> {
    manifest
        .files
        .iter()
        .filter(|f| f.path != super::manifest::FILE && !f.path.starts_with('.'))
        .filter(|f| {
            let path = folder.join(&f.path);
            let Ok(meta) = path.symlink_metadata() else {
                return false;
            };
            meta.is_file()
                && (meta.len() != f.bytes
                    || (f.render_key.is_none()
                        && super::sha256_file(&path).is_ok_and(|sha| sha != f.sha256)))
        })
        .map(|f| (f.path.clone(), f.render_key.is_some()))
        .collect()
}

/// The name an edited file `rel` is kept under: `kennzahlen (bearbeitet).xlsx`, or
/// `kennzahlen (bearbeitet 2).xlsx` and so on when `taken` says a name is in use.
pub fn kept_name(rel: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let (dir, file) = rel.rsplit_once('/').map_or(("", rel), |(d, f)| (d, f));
    let (stem, ext) = match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (file, String::new()),
    };
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    (1..=u32::MAX)
        .map(|n| {
            let mark = if n == 1 {
                "bearbeitet".to_string()
            } else {
                format!("bearbeitet {n}")
            };
            format!("{prefix}{stem} ({mark}){ext}")
        })
        .find(|name| !taken(name))
        .expect("an unused name")
}

#[cfg(test)]
mod tests {
    use super::{empty_dirs, kept_name};
    use std::path::{Path, PathBuf};

    #[test]
    fn kept_names() {
        assert_eq!(
            kept_name("kennzahlen.xlsx", &|_| false),
            "kennzahlen (bearbeitet).xlsx"
        );
        assert_eq!(
            kept_name("kennzahlen.xlsx", &|n| n == "kennzahlen (bearbeitet).xlsx"),
            "kennzahlen (bearbeitet 2).xlsx"
        );
        assert_eq!(kept_name("a/b", &|_| false), "a/b (bearbeitet)");
    }

    #[test]
    fn empty_folders_are_found_below_skipped_ones_not() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::create_dir_all(dir.path().join("einladungen/leer")).unwrap();
        std::fs::create_dir_all(dir.path().join("c")).unwrap();
        std::fs::write(dir.path().join("c/x.txt"), b"x").unwrap();
        let found = empty_dirs(dir.path(), &|rel| rel == Path::new("einladungen")).unwrap();
        assert_eq!(found, [PathBuf::from("a/b")]);
    }
}
