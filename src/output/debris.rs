//! What killed processes left in an output or archive folder (issue 23, class 11).
//!
//! A process killed by SIGKILL (or a power loss) leaves its hidden staging, retired or
//! trash folders `.zielbericht-<kind>-<NAME>-<pid>-<nanos>` beside the folder `NAME` it
//! was writing. The next command that writes `NAME` puts them back or removes them under
//! the lock of `NAME` ([`super::folder::recover`]); [`sweep`] does the same for every
//! `NAME` in one folder, so that any command (`run` of another month, `invite`,
//! `archive`, `verify`) clears them: only leftovers whose folder lock it gets at once —
//! a live process writing `NAME` holds that lock, and its staging folder is left alone.
//! What cannot be put back automatically is named and kept (the recovery's refusal).

use std::collections::BTreeSet;
use std::path::Path;

use super::folder;
use super::lock;

/// Clears the leftovers of killed processes in `dir` (see the module doc) and says so in
/// one German line. Never fails: what it cannot clear it names and leaves.
pub fn sweep(dir: &Path) {
    let names: BTreeSet<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let file = e.file_name();
            let (_, name) = folder::parse(file.to_str()?)?;
            Some(name.to_owned())
        })
        .collect();
    let mut cleared = Vec::new();
    for name in names {
        let target = dir.join(&name);
        // Held by a live process (it is writing `name` now), or no lock can be had here
        // (a read-only copy): left alone.
        let Ok(Some(lock)) = lock::try_acquire(&target) else {
            continue;
        };
        let before = count(dir, &name);
        match folder::recover(&lock) {
            Ok(()) => cleared.push(format!("{name} ({before})")),
            Err(e) => crate::messages::console::warning(e),
        }
    }
    if !cleared.is_empty() {
        crate::messages::console::note(crate::messages::Msg::DebrisCleared {
            folder: dir.display().to_string(),
            list: cleared.join(", "),
        });
    }
}

/// How many leftovers of `name` lie in `dir`.
fn count(dir: &Path, name: &str) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .and_then(folder::parse)
                .is_some_and(|(_, n)| n == name)
        })
        .count()
}
