//! The print shop: data JSON in, PDF out, for every document of the house — the reports
//! and the overview ([`crate::report`]), the target agreements ([`crate::vereinbarung`]),
//! the page of changes of a superseding archive edition ([`crate::compare::page`]).
//!
//! [`render`] holds the one long-lived Typst world (fonts loaded by [`files`]); [`reuse`]
//! takes a PDF from the previous run when exactly what it is made from is unchanged;
//! [`batch`] renders many documents on N threads with progress and isolated failures.
//! A second output format would plug in here, one module per format.

pub mod batch;
mod date;
pub mod deadline;
pub mod error;
mod files;
mod pdf_eol;
pub mod render;
pub mod reuse;
pub mod trust;

pub use render::{DocumentDate, Renderer, Template, evict_cache};
