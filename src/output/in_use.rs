//! A folder the house would replace while another program holds files in it open
//! (Windows: a PDF open in a viewer): found before anything is moved, and named.

use std::io;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Refuses to go on while another program holds a file below `folder` open: Windows
/// cannot rename or remove a folder then, so the swap would fail at its end. Names the
/// files; nothing has been changed yet. Elsewhere an open file is no obstacle.
pub(super) fn refuse_open(folder: &Path) -> Result<(), Error> {
    let open = open_files(folder);
    if open.is_empty() {
        Ok(())
    } else {
        Err(in_use(folder, &open))
    }
}

/// The error for a failed rename or removal of `folder` (`path` is what the failed call
/// named): where Windows refused access, the German message that names the files another
/// program holds open, otherwise the plain write error.
pub(super) fn blocked(folder: &Path, path: &Path, e: io::Error) -> Error {
    /// `ERROR_ACCESS_DENIED` and `ERROR_SHARING_VIOLATION`: a folder with an open file.
    const REFUSED: [i32; 2] = [5, 32];
    if cfg!(windows) && e.raw_os_error().is_some_and(|code| REFUSED.contains(&code)) {
        let open = open_files(folder);
        if open.is_empty() {
            return Error::Refused(format!(
                "{} kann nicht ersetzt werden: Windows verweigert den Zugriff ({e}). \
                 Vermutlich ist eine Datei darin geöffnet, oder ein Programm (Explorer, \
                 Eingabeaufforderung) hat den Ordner geöffnet. Schließen Sie es und starten \
                 Sie den Befehl erneut; der bisherige Ordner bleibt, wie er war.",
                folder.display()
            ));
        }
        return in_use(folder, &open);
    }
    Error::write(path, e)
}

/// The refusal naming the `open` files below `folder`.
pub(super) fn in_use(folder: &Path, open: &[PathBuf]) -> Error {
    let files: Vec<String> = open.iter().map(|p| p.display().to_string()).collect();
    Error::Refused(format!(
        "{} kann nicht ersetzt werden, solange ein anderes Programm eine Datei darin geöffnet \
         hat (Windows sperrt den Ordner dann). Geöffnet:\n  {}\nSchließen Sie die Datei \
         (etwa im PDF-Betrachter) und starten Sie den Befehl erneut; der bisherige Ordner \
         bleibt, wie er war.",
        folder.display(),
        files.join("\n  ")
    ))
}

/// The regular files below `folder` (or `folder` itself, a file) that another program
/// holds open: on Windows, those that cannot be opened without sharing
/// (`ERROR_SHARING_VIOLATION`). Always empty elsewhere.
#[cfg(windows)]
pub(super) fn open_files(folder: &Path) -> Vec<PathBuf> {
    use super::walk::{self, Kind};
    use std::os::windows::fs::OpenOptionsExt as _;
    const ERROR_SHARING_VIOLATION: i32 = 32;
    let files = if folder.symlink_metadata().is_ok_and(|m| m.is_file()) {
        vec![folder.to_path_buf()]
    } else {
        let Ok(entries) = walk::entries(folder, &|_| false) else {
            return Vec::new();
        };
        entries
            .into_iter()
            .filter(|e| e.kind == Kind::File)
            .map(|e| folder.join(e.rel))
            .collect()
    };
    files
        .into_iter()
        .filter(|path| {
            std::fs::OpenOptions::new()
                .read(true)
                .share_mode(0)
                .open(path)
                .is_err_and(|e| e.raw_os_error() == Some(ERROR_SHARING_VIOLATION))
        })
        .collect()
}

#[cfg(not(windows))]
pub(super) fn open_files(_folder: &Path) -> Vec<PathBuf> {
    Vec::new()
}
