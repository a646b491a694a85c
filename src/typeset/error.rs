//! What can go wrong in the print shop.

use std::io;
use std::path::PathBuf;

use super::date::DocumentDate;

/// What can go wrong while setting up the renderer or rendering a document.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template file or folder could not be read.
    #[error("cannot read template {}: {source}", path.display())]
    TemplateRead { path: PathBuf, source: io::Error },
    /// A font file or folder could not be read.
    #[error("cannot read font path {}: {source}", path.display())]
    FontRead { path: PathBuf, source: io::Error },
    /// A file given as font holds no font Typst can use.
    #[error("{} is not a usable font file (expected .ttf, .otf or .ttc)", path.display())]
    FontInvalid { path: PathBuf },
    /// The document date is not a valid calendar date.
    #[error("invalid document date {0}")]
    InvalidDate(DocumentDate),
    /// The template failed to compile; `diagnostics` is formatted like typst-cli
    /// prints it (`file:line:column`, source excerpt, call trace).
    #[error("template {template} failed to compile:\n{diagnostics}")]
    Compile {
        template: &'static str,
        diagnostics: String,
    },
    /// The typeset document could not be exported as conforming PDF.
    #[error("PDF export of {template} failed:\n{diagnostics}")]
    Pdf {
        template: &'static str,
        diagnostics: String,
    },
}
