//! `archive --repair-register`: the explicit, logged way back to a register that checks,
//! after the register was lost or damaged (or an edition was left unregistered by an
//! older version).
//!
//! A lost register is never rebuilt silently (see [`register::require`]): whatever lies
//! in the archive — a forged edition too — would be sealed. The repair re-checks every
//! edition on disk against its own manifest (every listed file with its SHA-256, nothing
//! else in the folder, the edition number and year of the manifest those of the folder),
//! enters those that check, in the order of year and number, and names:
//! - what it leaves out (an edition that does not check against its own manifest, or whose
//!   manifest differs from the one the old register sealed),
//! - what it cannot vouch for: an edition that checks only against its own manifest,
//!   because no intact old register sealed it — a forged edition with a consistent
//!   manifest would pass that check.
//!
//! The old register is kept beside as `register.txt.alt-<time>`; the result is appended
//! to `register-reparatur.log` and written as comment lines into the new register, which
//! `verify` shows.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use super::{manifest, register};
use crate::error::{Error, Exit};

pub use super::register::REPAIR_LOG as LOG;

/// The verdict on one edition.
enum Verdict {
    /// Entered; sealed by the old register as well.
    Vouched,
    /// Entered; checked only against its own manifest.
    OwnManifestOnly,
    /// Left out, with the reasons.
    LeftOut(Vec<String>),
}

/// Repairs the register of the archive at `root` (under the archive's lock). `check`
/// gives the problems of an edition folder against its own manifest (`verify`'s check).
pub fn repair(
    root: &Path,
    check: &dyn Fn(&Path) -> Vec<String>,
    command_line: &[String],
) -> Result<Exit, Error> {
    let now = crate::domain::document_time::from_clock(std::time::SystemTime::now())
        .map_err(Error::Usage)?;
    let stamp = now.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let file = register::path(root);
    let exists = file.symlink_metadata().is_ok();
    let (old_entries, old_problems) = register::read(root);
    let intact = exists && old_problems.is_empty();
    let sealed: BTreeMap<&str, &str> = old_entries
        .iter()
        .map(|e| (e.edition.as_str(), e.manifest_sha256.as_str()))
        .collect();
    let journal = register::pending(root);

    let mut lines = Vec::new();
    let mut entered: Vec<(String, String)> = Vec::new();
    let mut left_out = 0usize;
    let mut unvouched = Vec::new();
    for (edition, manifest_path) in register::editions_on_disk(root) {
        let folder = root.join(&edition);
        let sha = super::sha256_file(&manifest_path).ok();
        let verdict = verdict(&edition, &folder, sha.as_deref(), check, &sealed, intact);
        match verdict {
            Verdict::Vouched => {
                lines.push(format!(
                    "aufgenommen, durch das bisherige Register verbürgt: {edition}"
                ));
            }
            Verdict::OwnManifestOnly => {
                lines.push(format!(
                    "aufgenommen, NICHT verbürgt (nur gegen das eigene Manifest geprüft): {edition}"
                ));
                unvouched.push(edition.clone());
            }
            Verdict::LeftOut(why) => {
                left_out += 1;
                lines.push(format!("NICHT aufgenommen: {edition}: {}", why.join("; ")));
                continue;
            }
        }
        if let Some(sha) = sha {
            entered.push((edition, sha));
        }
    }
    // Folders named like editions without a manifest, and editions the old register
    // names that are gone.
    for stray in folders_without_manifest(root) {
        left_out += 1;
        lines.push(format!(
            "NICHT aufgenommen: {stray}: kein {} (keine Ausgabe, die sich prüfen lässt)",
            manifest::FILE
        ));
    }
    for e in &old_entries {
        if !entered.iter().any(|(name, _)| *name == e.edition)
            && root.join(&e.edition).symlink_metadata().is_err()
        {
            lines.push(format!(
                "fehlt: {} steht im bisherigen Register, liegt aber nicht im Archiv",
                e.edition
            ));
        }
    }
    match &journal {
        Ok(Some(p)) => lines.push(format!(
            "unterbrochene Veröffentlichung von {} ({}): {}",
            p.edition,
            register::JOURNAL,
            if entered.iter().any(|(e, _)| *e == p.edition) {
                "wie jede Ausgabe geprüft"
            } else {
                "zurückgenommen"
            }
        )),
        Ok(None) => {}
        Err(why) => lines.push(format!("entfernt: {why}")),
    }

    let unchanged = intact
        && journal.as_ref().is_ok_and(Option::is_none)
        && left_out == 0
        && old_entries.len() == entered.len()
        && old_entries
            .iter()
            .zip(&entered)
            .all(|(o, (e, sha))| o.edition == *e && o.manifest_sha256 == *sha);
    if unchanged {
        eprintln!(
            "Das Register {} ist in Ordnung und nennt jede Ausgabe im Archiv ({}); nichts wurde geändert.",
            file.display(),
            entered.len()
        );
        return Ok(Exit::Ok);
    }

    // The log first: the repair is on record before the register changes.
    let mut log = format!(
        "== {stamp} Reparatur des Registers {}\nBefehl: {}\n",
        file.display(),
        command_line.join(" ")
    );
    if exists {
        let _ = writeln!(
            log,
            "bisheriges Register: {} ({})",
            if intact { "intakt" } else { "beschädigt" },
            if intact {
                format!("{} Einträge", old_entries.len())
            } else {
                old_problems.join("; ")
            }
        );
    } else {
        log.push_str("bisheriges Register: fehlt\n");
    }
    for line in &lines {
        let _ = writeln!(log, "{line}");
    }
    append_log(root, &log)?;

    let mut text = format!("{}\n", register::HEADER);
    let _ = writeln!(
        text,
        "# neu aufgebaut am {stamp} mit `zielbericht archive --repair-register` (Protokoll: {LOG})"
    );
    if !unvouched.is_empty() {
        let _ = writeln!(
            text,
            "# nicht verbürgt (nur gegen ihr eigenes Manifest geprüft): {}",
            unvouched.join(", ")
        );
    }
    for line in lines
        .iter()
        .filter(|l| !l.starts_with("aufgenommen, durch") && !l.starts_with("aufgenommen, NICHT"))
    {
        let _ = writeln!(text, "# {line}");
    }
    let mut previous = register::GENESIS.to_string();
    for (edition, sha) in &entered {
        let value = register::chain(&previous, edition, sha);
        let _ = writeln!(text, "{edition}\t{sha}\t{value}");
        previous = value;
    }
    if exists {
        let kept = root.join(format!(
            "{}.alt-{}",
            register::FILE,
            now.format("%Y%m%dT%H%M%SZ")
        ));
        std::fs::rename(&file, &kept).map_err(|e| Error::write(&file, e))?;
        lines.push(format!(
            "das bisherige Register liegt jetzt in {}",
            kept.display()
        ));
    }
    register::replace(&file, text.as_bytes())?;
    register::end(root)?;
    let _ = append_log(
        root,
        &format!(
            "geschrieben: {} ({} Einträge)\n",
            file.display(),
            entered.len()
        ),
    );

    eprintln!(
        "Register {} neu aufgebaut: {} Ausgabe(n) aufgenommen, {left_out} nicht; Protokoll in {}",
        file.display(),
        entered.len(),
        root.join(LOG).display()
    );
    for line in &lines {
        eprintln!("  {line}");
    }
    if !unvouched.is_empty() {
        eprintln!(
            "Für {} Ausgabe(n) kann zielbericht nicht bürgen: sie stimmen mit ihrem eigenen Manifest \
             überein, aber kein intaktes Register hat sie besiegelt. Bitte mit einer Sicherung vergleichen.",
            unvouched.len()
        );
    }
    Ok(if left_out == 0 {
        Exit::Ok
    } else {
        Exit::Partial
    })
}

fn verdict(
    edition: &str,
    folder: &Path,
    sha: Option<&str>,
    check: &dyn Fn(&Path) -> Vec<String>,
    sealed: &BTreeMap<&str, &str>,
    intact: bool,
) -> Verdict {
    let mut why = check(folder);
    let (year, name) = edition.split_once('/').unwrap_or((edition, ""));
    let number: Option<u32> = name.strip_prefix("ausgabe-").and_then(|n| n.parse().ok());
    match std::fs::read(folder.join(manifest::FILE))
        .ok()
        .and_then(|b| serde_json::from_slice::<manifest::Manifest>(&b).ok())
    {
        Some(m) => {
            if m.edition != number {
                why.push(format!(
                    "das Manifest nennt die Ausgabe {:?}, der Ordner {name}",
                    m.edition
                ));
            }
            if m.berichtsmonat != format!("{year}-12") {
                why.push(format!(
                    "das Manifest nennt den Berichtsmonat {}, der Ordner das Jahr {year}",
                    m.berichtsmonat
                ));
            }
        }
        None if why.is_empty() => why.push(format!("{} nicht lesbar", manifest::FILE)),
        None => {}
    }
    if let (Some(old), Some(sha)) = (sealed.get(edition), sha)
        && *old != sha
    {
        why.push(format!(
            "{} weicht von dem ab, das das bisherige Register besiegelt hat",
            manifest::FILE
        ));
    }
    if !why.is_empty() {
        return Verdict::LeftOut(why);
    }
    if intact && sealed.contains_key(edition) {
        Verdict::Vouched
    } else {
        Verdict::OwnManifestOnly
    }
}

/// `YYYY/ausgabe-N` folders without a `manifest.json`.
fn folders_without_manifest(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for year in std::fs::read_dir(root).into_iter().flatten().flatten() {
        let y = year.file_name().to_string_lossy().into_owned();
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        for e in std::fs::read_dir(year.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with("ausgabe-")
                && !e
                    .path()
                    .join(manifest::FILE)
                    .symlink_metadata()
                    .is_ok_and(|m| m.is_file())
            {
                out.push(format!("{y}/{n}"));
            }
        }
    }
    out.sort();
    out
}

/// Appends `text` to the log (created when missing), synced.
fn append_log(root: &Path, text: &str) -> Result<(), Error> {
    let file = root.join(LOG);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
        .map_err(|e| Error::write(&file, e))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| Error::write(&file, e))
}
