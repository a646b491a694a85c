//! Ctrl-C and SIGTERM (issue 23, class 11).
//!
//! The binary installs [`install`]: a thread waits for SIGINT or SIGTERM (through
//! `signal-hook`, whose safe iterator does the async-signal-safe part; the crate forbids
//! `unsafe`). On a signal it removes the staging folders this process made and still
//! tracks ([`track`]; they hold rendered files only), says so in one German line, and
//! ends the process with 130 (SIGINT) or 143 (SIGTERM), as shells report them. The
//! folder locks are `flock`s, released by the kernel when the process ends; their files
//! stay by design (see `output::lock`).
//!
//! A step that must not be cut in half — moving a user's files into a staging folder and
//! swapping it into place, publishing an archive edition with its register entry — runs
//! under [`hold`]: the signal waits until it is done (a few renames), and no such step
//! starts after the signal. A signal during such a step therefore ends the process after
//! it, and the line says what was published.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

struct State {
    /// Steps under [`hold`] in progress.
    holds: usize,
    /// A signal came; no new step starts.
    interrupted: bool,
    /// Staging folders of this process that hold rendered files only.
    staging: Vec<PathBuf>,
    /// Folders this process published (swapped into place).
    published: Vec<PathBuf>,
}

static STATE: Mutex<State> = Mutex::new(State {
    holds: 0,
    interrupted: false,
    staging: Vec::new(),
    published: Vec::new(),
});
static CHANGED: Condvar = Condvar::new();

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Handles SIGINT and SIGTERM for the rest of the process (the binary calls this once;
/// the library's tests do not). Does nothing where the signals cannot be handled.
pub fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    stop(signal);
                }
            });
    }
}

/// Cleans up and ends the process after `signal`.
#[cfg_attr(not(unix), allow(dead_code))]
fn stop(signal: i32) -> ! {
    let mut s = state();
    s.interrupted = true;
    while s.holds > 0 {
        s = CHANGED.wait(s).unwrap_or_else(PoisonError::into_inner);
    }
    let mut removed = 0;
    for dir in &s.staging {
        removed += usize::from(remove(dir));
    }
    let name = if signal == 2 { "Strg+C" } else { "SIGTERM" };
    let cleaned = if removed == 0 {
        String::new()
    } else {
        format!(
            " {}",
            crate::messages::Msg::InterruptCleaned { count: removed }
        )
    };
    if s.published.is_empty() {
        eprintln!(
            "{}",
            crate::messages::Msg::Interrupted {
                signal: name.to_string(),
                cleaned,
            }
        );
    } else {
        let list: Vec<String> = s
            .published
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        eprintln!(
            "{}",
            crate::messages::Msg::InterruptedAfter {
                signal: name.to_string(),
                published: list.join(", "),
                cleaned,
            }
        );
    }
    std::process::exit(128 + signal);
}

/// Removes a staging folder that writer threads may still be filling: renamed to its
/// trash name first (`.zielbericht-trash-…`: the next command removes it should this
/// fail), after which no new file can appear in it (writes never make it anew).
fn remove(dir: &Path) -> bool {
    let trash = dir
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix(".zielbericht-tmp-"))
        .map(|rest| dir.with_file_name(format!(".zielbericht-trash-{rest}")));
    let dir = match trash {
        Some(trash) if std::fs::rename(dir, &trash).is_ok() => trash,
        _ => dir.to_path_buf(),
    };
    (0..5).any(|_| std::fs::remove_dir_all(&dir).is_ok())
}

/// A staging folder removed on a signal while this value lives.
#[derive(Debug)]
pub struct Tracked(PathBuf);

/// Tracks `dir`, a staging folder this process just made (rendered files only).
pub fn track(dir: &Path) -> Tracked {
    state().staging.push(dir.to_path_buf());
    Tracked(dir.to_path_buf())
}

impl Drop for Tracked {
    fn drop(&mut self) {
        state().staging.retain(|d| *d != self.0);
    }
}

/// A step a signal does not cut in half (see the module doc); ends when dropped.
#[derive(Debug)]
pub struct Hold(());

/// Starts a step a signal must not cut in half; after a signal it never returns (the
/// process is ending).
/// A step inside a step (the same thread holding already) always starts: the signal
/// waits for the outer one.
pub fn hold() -> Hold {
    let mut s = state();
    if HELD.get() == 0 {
        while s.interrupted {
            s = CHANGED.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }
    s.holds += 1;
    HELD.set(HELD.get() + 1);
    Hold(())
}

thread_local! {
    /// Steps under [`hold`] this thread is in.
    static HELD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Drop for Hold {
    fn drop(&mut self) {
        HELD.set(HELD.get() - 1);
        state().holds -= 1;
        CHANGED.notify_all();
    }
}

/// Notes that `folder` was published (for the line a later signal prints).
pub fn published(folder: &Path) {
    state().published.push(folder.to_path_buf());
}
