//! Sending invitations at most once: the send log records each attempt before its
//! content goes out and its outcome after, so that a message sent (or perhaps sent: the
//! program was killed while the server answered) is not sent again without `--resend`.
//! Also who is invited and the closing tally of `invite`.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::Utc;
use lettre::message::Mailbox;

use super::mail;
use super::mime::{self, Draft};
use super::sendlog::{self, Entry, SendLog, State};
use super::smtp::{self, Outcome};
use super::termine::Termin;
use crate::error::{Error, Exit};
use crate::load::{Dataset, Jobcenter};
use crate::output::sha256_hex;

const UNCERTAIN_NOTE: &str = "Zustellung ungewiss – bitte im Postausgang prüfen";

/// Who is invited (with the appointment and the addresses), who is skipped and why.
pub(crate) struct Guests<'a> {
    pub(crate) invited: Vec<(&'a Jobcenter, &'a Termin, Vec<Mailbox>)>,
    pub(crate) no_email: Vec<String>,
    pub(crate) without_row: Vec<String>,
}

impl<'a> Guests<'a> {
    pub(crate) fn of(ds: &'a Dataset, termine: &'a [Termin]) -> Self {
        let mut guests = Guests {
            invited: Vec::new(),
            no_email: Vec::new(),
            without_row: Vec::new(),
        };
        for jc in &ds.jobcenters {
            let Some(termin) = termine.iter().find(|t| t.jobcenter == jc.id) else {
                guests.without_row.push(jc.id.clone());
                continue;
            };
            match mail::recipients(jc) {
                Ok(to) => guests.invited.push((jc, termin, to)),
                Err(why) => guests
                    .no_email
                    .push(format!("{} {}: {why}", jc.id, jc.name)),
            }
        }
        guests
    }
}

/// What happened to the invitations, for the closing lines and the exit status.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) written: BTreeSet<String>,
    pub(crate) bytes: usize,
    pub(crate) sent: usize,
    pub(crate) failures: Vec<String>,
    pub(crate) uncertain: Vec<String>,
}

impl Tally {
    pub(crate) fn report(
        &self,
        dir: &Path,
        sending: bool,
        guests: &Guests,
        termine: &Path,
    ) -> Exit {
        eprintln!(
            "{} invitation(s) written to {} ({} bytes in all){}",
            self.written.len(),
            dir.display(),
            self.bytes,
            if sending {
                format!("; {} sent", self.sent)
            } else {
                String::new()
            }
        );
        if !guests.no_email.is_empty() {
            eprintln!(
                "skipped, no usable email address in jobcenter.csv ({}):",
                guests.no_email.len()
            );
            for line in &guests.no_email {
                eprintln!("  {line}");
            }
        }
        if !guests.without_row.is_empty() {
            eprintln!(
                "skipped, no row in {} ({}): {}",
                termine.display(),
                guests.without_row.len(),
                guests.without_row.join(", ")
            );
        }
        if !self.uncertain.is_empty() {
            eprintln!(
                "not sent, delivery uncertain ({}): {UNCERTAIN_NOTE}; --resend sends them again:",
                self.uncertain.len()
            );
            for line in &self.uncertain {
                eprintln!("  {line}");
            }
        }
        if !self.failures.is_empty() {
            eprintln!(
                "failed ({}): {}",
                self.failures.len(),
                self.failures.join(", ")
            );
        }
        if self.failures.is_empty() && self.uncertain.is_empty() {
            Exit::Ok
        } else {
            Exit::Partial
        }
    }
}

/// The sending side of one `invite --send`.
pub(crate) struct Sending<'a> {
    pub(crate) settings: &'a smtp::Settings,
    pub(crate) connected: Result<(), String>,
    pub(crate) log: SendLog,
}

impl Sending<'_> {
    /// Sends one invitation unless the log says it was sent (or may have been); records
    /// the attempt before its content goes out and the outcome after.
    pub(crate) fn send(
        &mut self,
        draft: &Draft,
        parts: &mime::Parts,
        message: impl FnOnce() -> Result<(lettre::Message, Vec<u8>), String>,
        resend: bool,
        tally: &mut Tally,
    ) -> Result<(), Error> {
        let jc = draft.jc;
        if self.connected.is_err() {
            eprintln!(
                "{} {}: not sent (no connection to {})",
                jc.id,
                jc.name,
                self.settings.address()
            );
            tally.failures.push(jc.id.clone());
            return Ok(());
        }
        match self.log.state(&jc.id) {
            Some(State::Sent(entry)) if !resend => {
                let changed = if entry.inhalt == parts.fingerprint {
                    ""
                } else {
                    "; the invitation has changed since"
                };
                println!(
                    "  not sent again: sent on {} to {}{changed} (--resend sends it again)",
                    entry.zeit,
                    entry.an.join(", ")
                );
                return Ok(());
            }
            Some(State::Uncertain(entry)) if !resend => {
                println!(
                    "  not sent again: {UNCERTAIN_NOTE} (an attempt on {} to {} has no known outcome; --resend sends it again)",
                    entry.zeit,
                    entry.an.join(", ")
                );
                tally.uncertain.push(format!(
                    "{} {}: attempt on {} to {}",
                    jc.id,
                    jc.name,
                    entry.zeit,
                    entry.an.join(", ")
                ));
                return Ok(());
            }
            _ => {}
        }
        let (message, bytes) = match message() {
            Ok(m) => m,
            Err(why) => {
                eprintln!("{} {}: sending failed: {why}", jc.id, jc.name);
                tally.failures.push(jc.id.clone());
                return Ok(());
            }
        };
        let mut entry = Entry {
            zeit: now(),
            jobcenter: jc.id.clone(),
            an: mail::addresses(&draft.to),
            status: sendlog::SENDING.into(),
            message_id: parts.message_id.clone(),
            sha256: sha256_hex(&bytes),
            bytes: bytes.len(),
            inhalt: parts.fingerprint.clone(),
            fehler: None,
        };
        let log = &mut self.log;
        let outcome = self
            .settings
            .send(message.envelope(), &bytes, || log.append(&entry))?;
        entry.zeit = now();
        match outcome {
            Outcome::Sent => {
                println!(
                    "  sent via {} ({} bytes)",
                    self.settings.address(),
                    bytes.len()
                );
                entry.status = sendlog::SENT.into();
                tally.sent += 1;
            }
            Outcome::Failed(why) => {
                eprintln!("{} {}: sending failed: {why}", jc.id, jc.name);
                entry.status = sendlog::FAILED.into();
                entry.fehler = Some(why);
                tally.failures.push(jc.id.clone());
            }
            Outcome::Uncertain(why) => {
                eprintln!("{} {}: {UNCERTAIN_NOTE}: {why}", jc.id, jc.name);
                entry.status = sendlog::UNCERTAIN.into();
                tally.uncertain.push(format!(
                    "{} {}: no answer after the message ({why})",
                    jc.id, jc.name
                ));
                entry.fehler = Some(why);
            }
        }
        self.log.append(&entry)
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
