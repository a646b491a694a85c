//! The files the print shop reads: the embedded fonts and those of `--font-path`, and
//! the files of a template folder (symbolic links as [`Links`] allows).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::Font;

use super::error::RenderError;

/// The fonts embedded in the binary plus those found under `font_dirs`, and how many of
/// them (the first ones) are embedded.
pub(super) fn load_fonts(font_dirs: &[PathBuf]) -> Result<(Vec<Font>, usize), RenderError> {
    // The families the templates use, no more (each MB here is in every binary).
    let mut fonts: Vec<Font> = [
        dejavu::sans_mono::bold(),
        dejavu::sans_mono::bold_oblique(),
        dejavu::sans_mono::oblique(),
        dejavu::sans_mono::regular(),
        notosans::REGULAR_TTF,
        notosans::BOLD_TTF,
        notosans::ITALIC_TTF,
        notosans::BOLD_ITALIC_TTF,
    ]
    .into_iter()
    .flat_map(|data| Font::iter(Bytes::new(data)))
    .collect();
    let embedded = fonts.len();
    for root in font_dirs {
        let mut paths = Vec::new();
        collect_files(root, Links::AnyFile, &mut paths).map_err(|source| {
            RenderError::FontRead {
                path: root.clone(),
                source,
            }
        })?;
        let is_file = root.is_file();
        for path in paths {
            let is_font = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                ["ttf", "otf", "ttc", "otc"].contains(&e.to_ascii_lowercase().as_str())
            });
            if !is_font && !is_file {
                continue; // other files in a font folder (licences, …)
            }
            let data = fs::read(&path).map_err(|source| RenderError::FontRead {
                path: path.clone(),
                source,
            })?;
            let before = fonts.len();
            fonts.extend(Font::iter(Bytes::new(data)));
            if fonts.len() == before {
                return Err(RenderError::FontInvalid { path });
            }
        }
    }
    Ok((fonts, embedded))
}

/// Which symbolic links [`collect_files`] serves. Links to folders are never followed, so
/// a link loop ends the walk at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Links {
    /// A link to a regular file inside the walked folder (templates: a template can
    /// read nothing outside its folder, such as `/etc/passwd`).
    Inside,
    /// A link to a regular file anywhere (fonts).
    AnyFile,
}

/// All regular files below `path` (or `path` itself if it is a file), sorted, skipping
/// hidden entries, FIFOs and devices; symbolic links as `links` allows.
pub(super) fn collect_files(path: &Path, links: Links, out: &mut Vec<PathBuf>) -> io::Result<()> {
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
