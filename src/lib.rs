//! zielbericht: a year's SGB II figures in, German progress reports for the target
//! agreements of the Jobcenters out.
//!
//! The pipeline is the module layout, and dependencies point downward only:
//!
//! - [`app`] argv → [`cli`] (clap, typed values) → one of [`commands`] (orchestration);
//! - [`pipeline`] the stages as functions the commands share; [`compare`] what changed
//!   between two deliveries (two `kennzahlen.csv`), for `diff`, `run` and `archive` (with
//!   the German page `aenderungen.pdf` of a superseding edition);
//! - [`load`] (data folder → validated dataset) → [`figures`] (dataset → every Kennzahl,
//!   attainment, Zielpfad, aggregates) → [`report`] (figures → PDF via Typst) →
//!   [`output`] (files → an atomically written folder with manifest);
//! - [`vereinbarung`] the year's target agreements (figures → PDF via the same Typst
//!   renderer);
//! - [`invite`] mails and calendar entries for the Steuerungsdialoge, [`generate`]
//!   synthetic data;
//! - [`domain`] the vocabulary without I/O (Berichtsmonat, the table of Kennzahlen,
//!   Decimal, Status), [`format`] German number and date formatting, [`error`].

mod alloc;
mod app;
mod build_info;
mod cli;
mod commands;
mod compare;
mod domain;
mod error;
mod figures;
mod format;
mod generate;
pub mod interrupt;
mod invite;
mod load;
mod messages;
mod output;
mod pipeline;
mod report;
mod settings;
mod texte;
mod typeset;
mod vereinbarung;

pub use app::{execute, install_panic_hook, run};
pub use error::Exit;
