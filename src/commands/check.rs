//! `check`: validate a data folder and print its errors and warnings.

use crate::cli::DataArgs;
use crate::error::{Error, Exit};
use crate::figures;
use crate::pipeline;

pub fn check(args: &DataArgs) -> Result<Exit, Error> {
    let ds = pipeline::load_data(&args.data)?;
    let default = figures::default_month(&ds);
    println!(
        "{}: {} Jobcenter, {} monthly rows, {} target rows, {} warning(s); latest complete month: {}",
        args.data.display(),
        ds.jobcenters.len(),
        ds.monatswerte.len(),
        ds.ziele.soll.len(),
        ds.warnings.len(),
        default.map_or_else(|| "none".to_string(), |m| m.to_string())
    );
    Ok(Exit::Ok)
}
