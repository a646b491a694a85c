//! `check`: validate a data folder and print its errors and warnings, and which settings
//! file the commands would use.

use std::path::Path;

use crate::cli::DataArgs;
use crate::error::{Error, Exit};
use crate::figures;
use crate::messages::Msg;
use crate::messages::de::Many;
use crate::pipeline;

pub fn check(args: &DataArgs, settings: Option<&Path>) -> Result<Exit, Error> {
    match settings {
        Some(file) => println!(
            "{}",
            Msg::SettingsUsed {
                file: file.display().to_string()
            }
        ),
        None => println!("{}", Msg::SettingsNone),
    }
    let ds = pipeline::load_data(&args.data)?;
    let default = figures::default_month(&ds);
    println!(
        "{}",
        Msg::CheckSummary {
            folder: args.data.display().to_string(),
            jobcenters: Many(ds.jobcenters.len(), "Jobcenter", "Jobcenter"),
            monthly: Many(ds.monatswerte.len(), "Monatszeile", "Monatszeilen"),
            targets: Many(ds.ziele.soll.len(), "Zielzeile", "Zielzeilen"),
            warnings: Many(ds.warnings.len(), "Warnung", "Warnungen"),
            latest: default
                .map_or_else(|| Msg::CheckNoCompleteMonth.to_string(), |m| m.to_string()),
        }
    );
    Ok(Exit::Ok)
}
