//! zielbericht: a year's SGB II figures in, German progress reports for the target
//! agreements of the Jobcenters out.
//!
//! The pipeline is the module layout:
//! [`load`] (data folder → validated dataset) → [`figures`] (dataset → every Kennzahl,
//! attainment, aggregates) → [`report`] (figures → PDF via Typst) → [`output`] (files →
//! an atomically written folder with manifest). [`run`] wires them to the command line.

pub mod archive;
pub mod cli;
pub mod error;
pub mod figures;
pub mod format;
pub mod generate;
pub mod invite;
pub mod load;
pub mod output;
pub mod report;
mod run;

pub use run::{Exit, execute, run};
