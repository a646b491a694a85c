//! The entry point behind `main`: argv → [`Cli`] (clap, with typed value parsers) → the
//! command of [`crate::commands`] → an exit status. It keeps no global state, so tests call
//! [`run`] any number of times in one process.

use std::ffi::OsString;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands;
use crate::error::{Error, Exit};

/// Parses `args` (program name first), executes, prints messages, returns the exit status.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Unusable as u8
            } else {
                Exit::Ok as u8
            };
        }
    };
    let command_line: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // The command runs on a thread with a large stack: the thread that loads the data
    // also renders reports (see `report::render_all`), and Typst's layout recurses deeply.
    let outcome = std::thread::Builder::new()
        .name("zielbericht".into())
        .stack_size(16 * 1024 * 1024)
        .spawn(move || execute(cli, &command_line))
        .map(std::thread::JoinHandle::join);
    let Ok(Ok(outcome)) = outcome else {
        eprintln!("error: internal error (a panic); please report it with the command line used");
        return Exit::Unusable as u8;
    };
    match outcome {
        Ok(exit) => exit as u8,
        Err(e) => {
            eprintln!("error: {e}");
            if matches!(e, Error::Input(_)) {
                eprintln!("nothing was written.");
            }
            Exit::Unusable as u8
        }
    }
}

/// Executes a parsed command line.
pub fn execute(cli: Cli, command_line: &[String]) -> Result<Exit, Error> {
    match cli.command {
        Command::Run(args) => commands::run::run(&args, command_line),
        Command::Check(args) => commands::check::check(&args),
        Command::Archive(args) => commands::archive::archive(&args, command_line),
        Command::Verify(args) => commands::verify::verify(&args.dir),
        Command::Invite(args) => commands::invite::invite(&args, command_line),
        Command::Generate(args) => commands::generate::generate(&args),
        Command::Vereinbarung(args) => commands::vereinbarung::vereinbarung(&args, command_line),
        Command::Vorlage(args) => commands::vorlage::vorlage(&args),
        Command::Diff(args) => commands::diff::diff(&args),
    }
}

#[cfg(test)]
mod tests {
    use crate::generate::{self, GenerateConfig};

    /// `run` keeps no global state: called twice in one process, on the same data, it
    /// gives the same bytes (just's `src/run.rs` test does the same).
    #[test]
    fn run_twice_in_one_process() {
        let dir = std::env::temp_dir().join(format!("zielbericht-app-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        generate::generate(&GenerateConfig::nrw_sample(), &dir.join("data")).unwrap();
        let data = dir.join("data");
        let mut outputs = Vec::new();
        for out in ["a", "b"] {
            let out = dir.join(out);
            let code = super::run([
                "zielbericht".as_ref(),
                "run".as_ref(),
                "--data".as_ref(),
                data.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
                "--month".as_ref(),
                "2018-09".as_ref(),
                "--figures-only".as_ref(),
            ]);
            assert_eq!(code, 0);
            outputs.push(std::fs::read(out.join("2018-09/kennzahlen.csv")).unwrap());
        }
        assert_eq!(outputs[0], outputs[1]);
        assert!(outputs[0].starts_with(b"jobcenter,berichtsmonat,kennzahl,"));
        // A bad argument is an exit status, not a panic or a process exit.
        assert_eq!(super::run(["zielbericht", "run", "--month", "2018-13"]), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
