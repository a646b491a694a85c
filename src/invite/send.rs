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
use crate::messages::de::Many;
use crate::messages::{Msg, console};
use crate::output::sha256_hex;

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
        console::closing(Msg::InvitationsWritten {
            invitations: Many(self.written.len(), "Einladung", "Einladungen"),
            folder: dir.display().to_string(),
            bytes: crate::error::thousands(self.bytes as u64),
            sent: if sending {
                Msg::InvitationsSent { count: self.sent }.to_string()
            } else {
                String::new()
            },
        });
        if !guests.no_email.is_empty() {
            eprintln!(
                "{}",
                Msg::InviteNoEmail {
                    count: guests.no_email.len()
                }
            );
            for line in &guests.no_email {
                eprintln!("  {line}");
            }
        }
        if !guests.without_row.is_empty() {
            eprintln!(
                "{}",
                Msg::InviteNoTermin {
                    file: termine.display().to_string(),
                    count: guests.without_row.len(),
                    list: guests.without_row.join(", "),
                }
            );
        }
        if !self.uncertain.is_empty() {
            eprintln!(
                "{}",
                Msg::InviteUncertainList {
                    count: self.uncertain.len()
                }
            );
            for line in &self.uncertain {
                eprintln!("  {line}");
            }
        }
        if !self.failures.is_empty() {
            console::error(Msg::InviteFailedList {
                count: self.failures.len(),
                list: self.failures.join(", "),
            });
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
                "{}",
                Msg::InviteNoConnection {
                    who: format!("{} {}", jc.id, jc.name),
                    server: self.settings.address(),
                }
            );
            tally.failures.push(jc.id.clone());
            return Ok(());
        }
        match self.log.state(&jc.id) {
            Some(State::Sent(entry)) if !resend => {
                let changed = if entry.inhalt == parts.fingerprint {
                    ""
                } else {
                    "; die Einladung hat sich seither geändert"
                };
                println!(
                    "{}",
                    Msg::InviteAlreadySent {
                        when: entry.zeit.clone(),
                        to: entry.an.join(", "),
                        changed: changed.to_string(),
                    }
                );
                return Ok(());
            }
            Some(State::Uncertain(entry)) if !resend => {
                println!(
                    "{}",
                    Msg::InviteAlreadyUncertain {
                        when: entry.zeit.clone(),
                        to: entry.an.join(", "),
                    }
                );
                tally.uncertain.push(
                    Msg::InviteAttempt {
                        who: format!("{} {}", jc.id, jc.name),
                        when: entry.zeit.clone(),
                        to: entry.an.join(", "),
                    }
                    .to_string(),
                );
                return Ok(());
            }
            _ => {}
        }
        let (message, bytes) = match message() {
            Ok(m) => m,
            Err(why) => {
                eprintln!(
                    "{}",
                    Msg::InviteSendFailed {
                        who: format!("{} {}", jc.id, jc.name),
                        why: why.clone(),
                    }
                );
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
                    "{}",
                    Msg::InviteSent {
                        server: self.settings.address(),
                        bytes: crate::error::thousands(bytes.len() as u64),
                    }
                );
                entry.status = sendlog::SENT.into();
                tally.sent += 1;
            }
            Outcome::Failed(why) => {
                eprintln!(
                    "{}",
                    Msg::InviteSendFailed {
                        who: format!("{} {}", jc.id, jc.name),
                        why: why.clone(),
                    }
                );
                entry.status = sendlog::FAILED.into();
                entry.fehler = Some(why);
                tally.failures.push(jc.id.clone());
            }
            Outcome::Uncertain(why) => {
                eprintln!(
                    "{}",
                    Msg::InviteUncertain {
                        who: format!("{} {}", jc.id, jc.name),
                        why: why.clone(),
                    }
                );
                entry.status = sendlog::UNCERTAIN.into();
                tally.uncertain.push(
                    Msg::InviteNoAnswer {
                        who: format!("{} {}", jc.id, jc.name),
                        why: why.clone(),
                    }
                    .to_string(),
                );
                entry.fehler = Some(why);
            }
        }
        self.log.append(&entry)
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
