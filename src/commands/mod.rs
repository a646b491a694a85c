//! One file per subcommand: orchestration only. Each takes its parsed arguments, validates
//! what clap cannot (paths, the data), and drives the pipeline stages.

pub mod archive;
pub mod check;
pub mod diff;
pub mod generate;
pub mod invite;
mod plan;
pub mod run;
pub mod vereinbarung;
pub mod verify;
pub mod vorlage;
