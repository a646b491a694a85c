//! The send log `einladungen/versand.log` (JSON lines) and the lock of a month.
//!
//! Each message goes out as: a record `wird_gesendet`, synced to disk, once the server has
//! accepted `DATA` and before the content is sent; then the outcome (`gesendet`,
//! `fehlgeschlagen` or `ungewiss`), synced too. So whatever stops the process — SIGKILL, a
//! full disk, a lost connection — the log never claims less than may have been delivered.
//! A Jobcenter whose last record is `wird_gesendet` or `ungewiss` is *uncertain*: it is
//! not sent again without `--resend`.
//!
//! Reading the log, sending and writing it happen under an exclusive lock of the month,
//! `OUT/.<YYYY-MM>.lock` beside the run folder (not inside it, since a `run` replaces the
//! run folder), so two `invite` of one month never send the same invitation twice.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::Berichtsmonat;
use crate::error::Error;

/// The send log inside the invitations folder: one JSON object per line.
pub const FILE: &str = "versand.log";

/// `status` of a record.
pub const SENDING: &str = "wird_gesendet";
pub const SENT: &str = "gesendet";
pub const FAILED: &str = "fehlgeschlagen";
pub const UNCERTAIN: &str = "ungewiss";

/// One line of the send log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// When it was written (UTC, RFC 3339).
    pub zeit: String,
    pub jobcenter: String,
    pub an: Vec<String>,
    /// [`SENDING`], [`SENT`], [`FAILED`] or [`UNCERTAIN`].
    pub status: String,
    pub message_id: String,
    /// SHA-256 of the bytes sent.
    #[serde(default)]
    pub sha256: String,
    #[serde(default)]
    pub bytes: usize,
    /// The fingerprint of the content (see `mime::Parts::fingerprint`).
    #[serde(default)]
    pub inhalt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fehler: Option<String>,
}

/// What the log says about one Jobcenter.
#[derive(Debug, Clone)]
pub enum State {
    /// Delivered (the latest `gesendet` record).
    Sent(Entry),
    /// An attempt whose outcome is unknown (the last record).
    Uncertain(Entry),
}

/// The send log of a month, open for appending.
pub struct SendLog {
    path: PathBuf,
    file: File,
    states: HashMap<String, State>,
}

impl SendLog {
    /// Opens (or creates) the log and reads what it records. An unreadable line stops the
    /// command: better no mail than a mail sent twice.
    pub fn open(path: &Path) -> Result<Self, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(Error::Refused(format!(
                    "das Versandprotokoll {} kann nicht gelesen werden: {e}; es wurde nichts versendet",
                    path.display()
                )));
            }
        };
        // Per Jobcenter: the latest delivery, and an attempt without an outcome since.
        let mut records: HashMap<String, (Option<Entry>, Option<Entry>)> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entry: Entry = serde_json::from_str(line).map_err(|e| {
                Error::Refused(format!(
                    "{}:{}: unlesbare Zeile des Versandprotokolls ({e}); bitte berichtigen oder entfernen, es wurde nichts versendet",
                    path.display(),
                    i + 1
                ))
            })?;
            let (sent, pending) = records.entry(entry.jobcenter.clone()).or_default();
            match entry.status.as_str() {
                SENDING | UNCERTAIN => *pending = Some(entry),
                SENT => {
                    *sent = Some(entry);
                    *pending = None;
                }
                // A failure ends the attempt; an earlier delivery stands.
                _ => *pending = None,
            }
        }
        let states = records
            .into_iter()
            .filter_map(|(id, (sent, pending))| {
                let state = pending.map(State::Uncertain).or(sent.map(State::Sent))?;
                Some((id, state))
            })
            .collect();
        // Appending goes to this file even if the folder is moved meanwhile.
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Error::write(path, e))?;
        if text.is_empty() {
            // A new file: its directory entry is made durable too.
            if let Some(dir) = path.parent().and_then(|d| File::open(d).ok()) {
                let _ = dir.sync_all();
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            file,
            states,
        })
    }

    /// What the log records for `jobcenter`, if anything that stops a send.
    pub fn state(&self, jobcenter: &str) -> Option<&State> {
        self.states.get(jobcenter)
    }

    /// Appends one record and syncs it to disk before returning.
    pub fn append(&mut self, entry: &Entry) -> Result<(), Error> {
        let mut line = serde_json::to_string(entry)
            .map_err(|e| Error::write(&self.path, std::io::Error::other(e)))?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_all())
            .map_err(|e| Error::write(&self.path, e))
    }
}

/// The exclusive lock of one month's invitations; released when dropped (or when the
/// process ends, however it ends).
#[derive(Debug)]
pub struct MonthLock {
    _lock: crate::output::FolderLock,
}

impl MonthLock {
    /// The lock file of `bm` below `out`: the month folder's lock, the same that `run`
    /// holds while it replaces the folder.
    pub fn path(out: &Path, bm: Berichtsmonat) -> PathBuf {
        crate::output::lock_file(&crate::output::names::RunFolder::new(out, bm))
    }

    /// Takes the lock (putting back a send log an interrupted run left beside the folder),
    /// or refuses (exit 2) when another process holds it.
    pub fn acquire(out: &Path, bm: Berichtsmonat) -> Result<Self, Error> {
        let target = crate::output::names::RunFolder::new(out, bm);
        match crate::output::try_lock_folder(&target)? {
            Some(lock) => Ok(Self { _lock: lock }),
            None => Err(Error::Refused(format!(
                "another zielbericht is writing or sending the invitations of {bm} (it holds {}); \
                 nothing was sent by this one — run it again when the other has finished",
                Self::path(out, bm).display()
            ))),
        }
    }
}
