//! What can go wrong in the print shop.

use std::io;
use std::path::PathBuf;

use super::date::DocumentDate;

/// What can go wrong while setting up the renderer or rendering a document.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template file or folder could not be read.
    #[error("die Vorlage {} kann nicht gelesen werden: {source}", path.display())]
    TemplateRead { path: PathBuf, source: io::Error },
    /// A font file or folder could not be read.
    #[error("der Schriftpfad {} kann nicht gelesen werden: {source}", path.display())]
    FontRead { path: PathBuf, source: io::Error },
    /// A file given as font holds no font Typst can use.
    #[error("{} ist keine verwendbare Schriftdatei (erwartet wird .ttf, .otf oder .ttc)", path.display())]
    FontInvalid { path: PathBuf },
    /// The document date is not a valid calendar date.
    #[error("ungültiges Dokumentdatum {0}")]
    InvalidDate(DocumentDate),
    /// The template failed to compile; `diagnostics` is formatted like typst-cli
    /// prints it (`file:line:column`, source excerpt, call trace).
    #[error("die Vorlage {template} lässt sich nicht übersetzen:\n{diagnostics}")]
    Compile {
        template: &'static str,
        diagnostics: String,
    },
    /// The typeset document could not be exported as conforming PDF.
    #[error("die PDF-Ausgabe von {template} ist fehlgeschlagen:\n{diagnostics}")]
    Pdf {
        template: &'static str,
        diagnostics: String,
    },
}
