//! `zielbericht`: a thin wrapper turning the result of [`zielbericht::run`] into an exit
//! status.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(zielbericht::run(std::env::args_os()))
}
