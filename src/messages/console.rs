//! Where the messages go. Progress lines, notes and warnings go to standard error; under
//! `--quiet` (scheduled runs: cron, the Windows Task Scheduler) only errors and the one
//! closing line of a command are printed, and the closing line counts the warnings that
//! were not shown.
//!
//! The setting is made by [`crate::run`] at the start of each command line and read by
//! every printing function; it is the only process-wide state of the program and holds
//! no data (a test that calls `run` twice gets the setting of each call).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::Msg;

static QUIET: AtomicBool = AtomicBool::new(false);
static SILENCED_WARNINGS: AtomicUsize = AtomicUsize::new(0);

/// Sets `--quiet` for the command about to run (and forgets the warnings of the last).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
    SILENCED_WARNINGS.store(0, Ordering::Relaxed);
}

/// Whether `--quiet` is set.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A progress line or a note (not under `--quiet`).
pub fn note(line: impl std::fmt::Display) {
    if !quiet() {
        eprintln!("{line}");
    }
}

/// A warning about the input (under `--quiet` counted for the closing line).
pub fn warning(line: impl std::fmt::Display) {
    if quiet() {
        SILENCED_WARNINGS.fetch_add(1, Ordering::Relaxed);
    } else {
        eprintln!(
            "{}",
            Msg::WarningLine {
                text: line.to_string()
            }
        );
    }
}

/// An error (always printed).
pub fn error(line: impl std::fmt::Display) {
    eprintln!(
        "{}",
        Msg::ErrorLine {
            text: line.to_string()
        }
    );
}

/// The closing line of a command (always printed), under `--quiet` with the count of the
/// warnings that were not shown.
pub fn closing(line: impl std::fmt::Display) {
    let silenced = SILENCED_WARNINGS.load(Ordering::Relaxed);
    if silenced > 0 {
        eprintln!("{line} {}", Msg::SilencedWarnings { count: silenced });
    } else {
        eprintln!("{line}");
    }
}
