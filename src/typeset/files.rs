//! The fonts the print shop reads: the embedded fonts and those of `--font-path` (the
//! files of a template folder are read once per command by
//! [`crate::texte::folder::TemplateFolder`]).

use std::fs;
use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::Font;

use super::error::RenderError;
use crate::texte::folder::{Links, collect_files};

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
