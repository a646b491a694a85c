//! The entry point behind `main`: argv → [`Cli`] (clap, with typed value parsers) → the
//! command of [`crate::commands`] → an exit status. It keeps no global state, so tests call
//! [`run`] any number of times in one process.

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::commands;
use crate::error::{Error, Exit};
use crate::messages::{Msg, console};
use crate::settings;

/// Parses `args` (program name first), executes, prints messages, returns the exit status.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let quiet = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--quiet" || a == "-q");
    console::set_quiet(quiet);
    // The settings file gives the defaults of the flags it names (see `settings`).
    let settings = match settings::for_args(&args) {
        Ok(settings) => settings,
        Err(e) => return report_error(&e),
    };
    let command = settings::apply(Cli::command(), &settings);
    let mut cli = match command
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            if !e.use_stderr() {
                // --help and --version.
                let _ = e.print();
                return Exit::Ok as u8;
            }
            match usage_message(&e) {
                Some(text) => console::error(Msg::Usage { text }),
                None => {
                    let _ = e.print();
                }
            }
            return Exit::Unusable as u8;
        }
    };
    console::set_quiet(cli.quiet);
    cli.settings_used = settings.file;
    let command_line: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // The command runs on a thread with a large stack: the thread that loads the data
    // also renders reports (see `report::render_all`), and Typst's layout recurses deeply.
    // A panic on it (a defect of the program, never an input) is exit status 3.
    let outcome = std::thread::Builder::new()
        .name("zielbericht".into())
        .stack_size(16 * 1024 * 1024)
        .spawn(move || execute(cli, &command_line))
        .map(std::thread::JoinHandle::join);
    match outcome {
        Ok(Ok(Ok(exit))) => exit as u8,
        Ok(Ok(Err(e))) => report_error(&e),
        Ok(Err(panic)) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(ToString::to_string)
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "ein Programmfehler".to_string());
            console::error(Msg::InternalError { what });
            Exit::Internal as u8
        }
        Err(e) => {
            console::error(Msg::InternalError {
                what: e.to_string(),
            });
            Exit::Internal as u8
        }
    }
}

/// Replaces the default panic message (English, for developers) with one German line
/// naming the place in the source; the closing error line and exit status 3 follow from
/// [`run`]. For the binary only: the hook is process-wide.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or_else(String::new, |l| format!("{}:{}", l.file(), l.line()));
        eprintln!("{}", Msg::PanicAt { place });
    }));
}

/// The German message for an unusable command line, from what clap found; `None` for the
/// kinds clap words best itself (its text is then printed as it is).
fn usage_message(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let msg = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => Msg::UsageInvalidValue {
            arg: get(ContextKind::InvalidArg),
            value: get(ContextKind::InvalidValue),
            why: std::error::Error::source(e).map_or_else(
                || {
                    let valid = get(ContextKind::ValidValue);
                    if valid.is_empty() {
                        String::new()
                    } else {
                        Msg::UsageValidValues { valid }.to_string()
                    }
                },
                ToString::to_string,
            ),
        },
        ErrorKind::UnknownArgument => match get(ContextKind::SuggestedArg) {
            meant if !meant.is_empty() => Msg::UsageUnknownArgumentMeant {
                arg: get(ContextKind::InvalidArg),
                meant,
            },
            _ => Msg::UsageUnknownArgument {
                arg: get(ContextKind::InvalidArg),
            },
        },
        ErrorKind::InvalidSubcommand => Msg::UsageUnknownCommand {
            command: get(ContextKind::InvalidSubcommand),
        },
        ErrorKind::MissingRequiredArgument => Msg::UsageMissing {
            args: get(ContextKind::InvalidArg),
        },
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            Msg::UsageNoCommand
        }
        ErrorKind::ArgumentConflict => Msg::UsageConflict {
            arg: get(ContextKind::InvalidArg),
            other: get(ContextKind::PriorArg),
        },
        ErrorKind::NoEquals
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => Msg::UsageWrongUse {
            arg: get(ContextKind::InvalidArg),
        },
        _ => return None,
    };
    Some(msg.to_string())
}

/// Prints an error that ended a command; its exit status.
fn report_error(e: &Error) -> u8 {
    console::error(e);
    if matches!(e, Error::Input(_)) {
        eprintln!("{}", Msg::NothingWritten);
    }
    Exit::Unusable as u8
}

/// The environment variable that makes a command panic on purpose (`1`): for checking that
/// a scheduled task notices an internal error (exit status 3), and for the tests.
pub const FORCE_PANIC: &str = "ZIELBERICHT_TEST_PANIC";

/// Executes a parsed command line.
pub fn execute(cli: Cli, command_line: &[String]) -> Result<Exit, Error> {
    assert!(
        std::env::var_os(FORCE_PANIC).is_none_or(|v| v != "1"),
        "{FORCE_PANIC}=1 (ein absichtlicher Programmfehler zum Prüfen der Überwachung)"
    );
    match cli.command {
        Command::Run(args) => commands::run::run(&args, command_line),
        Command::Check(args) => commands::check::check(&args, cli.settings_used.as_deref()),
        Command::Archive(args) => commands::archive::archive(&args, command_line),
        Command::Verify(args) => commands::verify::verify(&args.dir),
        Command::Invite(args) => commands::invite::invite(&args, command_line),
        Command::Generate(args) => commands::generate::generate(&args),
        Command::Vereinbarung(args) => commands::vereinbarung::vereinbarung(&args, command_line),
        Command::Vorlage(args) => commands::vorlage::vorlage(&args),
        Command::Diff(args) => commands::diff::diff(&args),
        Command::Completions(args) => {
            let mut command = Cli::command();
            clap_complete::generate(
                args.shell,
                &mut command,
                "zielbericht",
                &mut std::io::stdout(),
            );
            Ok(Exit::Ok)
        }
        Command::Manpage => {
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .map_err(|e| Error::write("stdout", e))?;
            Ok(Exit::Ok)
        }
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
