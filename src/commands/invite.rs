//! `invite`: invitations to the Steuerungsdialoge (see [`crate::invite`]) — read the
//! appointments, make sure the reports of the month exist (rendered through the pipeline
//! when not), write a draft per Jobcenter, and with `--send` send each at most once.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use lettre::message::Mailbox;

use crate::cli::InviteArgs;
use crate::error::{Error, Exit};
use crate::figures::{self, Results};
use crate::format;
use crate::invite::drafts::{OwnDrafts, Written};
use crate::invite::mail::{self, MailTemplate};
use crate::invite::mime::{self, Draft};
use crate::invite::sendlog::{self, Entry, MonthLock, SendLog, State};
use crate::invite::smtp::{self, Outcome};
use crate::invite::termine::{self, Termin};
use crate::invite::{FOLDER, SEND_LOG};
use crate::load::{Dataset, Jobcenter};
use crate::output::{self, manifest, sha256_hex};
use crate::pipeline;

/// What the rerun of an uncertain delivery asks of the user.
const UNCERTAIN_NOTE: &str = "Zustellung ungewiss – bitte im Postausgang prüfen";

pub fn invite(args: &InviteArgs, command_line: &[String]) -> Result<Exit, Error> {
    let bm = args.month;
    let bericht = crate::report::config::Bericht::load(&args.data.data)?;
    let from: Mailbox =
        mail::sender(args.from.as_deref(), bericht.absender.as_deref()).map_err(Error::Usage)?;
    let absender = mail::Absender::of(&bericht, &from);
    let smtp = match (&args.smtp, args.send) {
        (Some(server), true) => Some(smtp::Settings::new(
            server.clone(),
            args.starttls,
            args.user.as_deref(),
            Duration::from_secs(args.smtp_timeout),
        )?),
        (Some(_), false) => {
            eprintln!("note: --smtp without --send: only the drafts are written");
            None
        }
        (None, _) => None,
    };
    let template = MailTemplate::load(args.render.look.templates.as_deref())?;
    // The rendering settings are checked before any data is read.
    pipeline::report_options(&args.render, &args.data, false)?;
    let time = pipeline::document_time()?;

    let ds = pipeline::load_data(&args.data)?;
    // A month without any row is an input error (contract 4, v4).
    if let Some(error) = figures::require_rows(&ds, bm, &format!("--month {bm}")) {
        return Err(Error::Input(vec![error]));
    }
    let (termine, warnings) = termine::read(&args.termine, &ds).map_err(Error::Input)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let guests = Guests::of(&ds, &termine);
    let results = figures::compute(&ds, bm, args.render.tolerance).map_err(Error::Render)?;
    let folder = output::names::RunFolder::new(&args.out, bm);

    // Every text first, so that a template error stops the command before anything is
    // written: before the reports that are missing are rendered, too.
    let mut drafts = Vec::new();
    for (jc, termin, to) in &guests.invited {
        let ctx = mail::context(
            jc,
            termin,
            bm,
            &absender,
            &mail::targets(&results, &jc.id),
            &template.namen,
        );
        let (subject, body) = template.render(&ctx)?;
        let (termin_titel, termin_text) = template.render_termin(&ctx, &subject)?;
        drafts.push(Draft {
            jc,
            termin,
            to: to.clone(),
            subject,
            body,
            termin_titel,
            termin_text,
            report: crate::output::names::file_name(&jc.id, &jc.name),
        });
    }

    if !guests.invited.is_empty() {
        ensure_reports(args, &ds, &results, &folder, &guests, command_line)?;
    }

    let _lock = MonthLock::acquire(&args.out, bm)?;
    let dir = folder.join(FOLDER);
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    // Only the drafts the program wrote (its record says which) are replaced or removed.
    let mut own = OwnDrafts::open(&dir);
    own.remove_leftover_temporaries();
    let mut sending = match &smtp {
        Some(settings) => Some(Sending {
            log: SendLog::open(&dir.join(SEND_LOG))?,
            // A server that cannot be reached (or refuses the login) fails every message, once.
            connected: settings.check().inspect_err(|why| {
                eprintln!("error: {why}; the drafts are written, nothing is sent");
            }),
            settings,
        }),
        None => None,
    };

    let mut tally = Tally::default();
    for draft in &drafts {
        let jc = draft.jc;
        let pdf_path = folder.join(&draft.report);
        let pdf = match std::fs::read(&pdf_path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!(
                    "{} {}: not invited: cannot read the report {}: {e}",
                    jc.id,
                    jc.name,
                    pdf_path.display()
                );
                tally.failures.push(jc.id.clone());
                continue;
            }
        };
        let parts = draft.parts(&from, &pdf, time);
        let message = |unsent: bool| {
            draft
                .message(&from, &parts, &pdf, time, unsent)
                .and_then(|m| mime::formatted(&m).map(|bytes| (m, bytes)))
        };
        let eml = match message(true) {
            Ok((_, bytes)) => bytes,
            Err(why) => {
                eprintln!("{} {}: not invited: {why}", jc.id, jc.name);
                tally.failures.push(jc.id.clone());
                continue;
            }
        };
        let name = crate::output::names::draft_file(&jc.id, &jc.name);
        let path = dir.join(&name);
        if let Written::Kept(why) = own.write(&name, &eml)? {
            eprintln!("{} {}: {why}", jc.id, jc.name);
            tally.failures.push(jc.id.clone());
            continue;
        }
        tally.bytes += eml.len();
        tally.written.insert(name);
        println!(
            "{} {}: {} ({} bytes) to {}, {}",
            jc.id,
            jc.name,
            path.display(),
            eml.len(),
            mail::addresses(&draft.to).join(", "),
            format::date_numeric(draft.termin.start.date())
        );
        if let Some(sending) = &mut sending {
            sending.send(draft, &parts, || message(false), args.resend, &mut tally)?;
        }
    }
    for why in own.remove_stale(&tally.written) {
        eprintln!("{why}");
    }
    own.finish()?;
    Ok(tally.report(&dir, smtp.is_some(), &guests, &args.termine))
}

/// Who is invited (with the appointment and the addresses), who is skipped and why.
struct Guests<'a> {
    invited: Vec<(&'a Jobcenter, &'a Termin, Vec<Mailbox>)>,
    no_email: Vec<String>,
    without_row: Vec<String>,
}

impl<'a> Guests<'a> {
    fn of(ds: &'a Dataset, termine: &'a [Termin]) -> Self {
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
struct Tally {
    written: BTreeSet<String>,
    bytes: usize,
    sent: usize,
    failures: Vec<String>,
    uncertain: Vec<String>,
}

impl Tally {
    fn report(&self, dir: &Path, sending: bool, guests: &Guests, termine: &Path) -> Exit {
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
struct Sending<'a> {
    settings: &'a smtp::Settings,
    connected: Result<(), String>,
    log: SendLog,
}

impl Sending<'_> {
    /// Sends one invitation unless the log says it was sent (or may have been); records
    /// the attempt before its content goes out and the outcome after.
    fn send(
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

/// Renders the Berichtsmonat first (through the pipeline) when the run folder lacks
/// `kennzahlen.csv` or a report to attach; warns when the reports there were made from
/// other data. The run keeps `einladungen/` and so the send log.
fn ensure_reports(
    args: &InviteArgs,
    ds: &Dataset,
    results: &Results,
    folder: &Path,
    guests: &Guests,
    command_line: &[String],
) -> Result<(), Error> {
    let missing = guests
        .invited
        .iter()
        .filter(|(jc, _, _)| {
            !folder
                .join(crate::output::names::file_name(&jc.id, &jc.name))
                .is_file()
        })
        .count();
    if missing == 0 && folder.join("kennzahlen.csv").is_file() {
        warn_if_stale(folder, ds);
        return Ok(());
    }
    eprintln!(
        "{} lacks {}; rendering the reports of {} first",
        folder.display(),
        if missing == 0 {
            "kennzahlen.csv".to_string()
        } else {
            format!("{missing} report(s)")
        },
        args.month
    );
    let started = Instant::now();
    let options = pipeline::report_options(&args.render, &args.data, false)?;
    let ids = pipeline::selected(&[], ds)?;
    let (target, out) = pipeline::write_run_folder(
        &args.out,
        ds,
        results,
        &ids,
        Some(&options),
        &crate::texte::Kennzahlnamen::load(args.render.look.templates.as_deref())?,
        false,
        command_line,
    )?;
    pipeline::summary(&target, &out, started);
    Ok(())
}

/// The reports are attached as they lie; a warning says when the data have changed since.
fn warn_if_stale(folder: &Path, ds: &Dataset) {
    let Ok(bytes) = std::fs::read(folder.join(manifest::FILE)) else {
        return;
    };
    let Ok(m) = serde_json::from_slice::<manifest::Manifest>(&bytes) else {
        return;
    };
    let known: BTreeSet<&str> = m.inputs.iter().map(|e| e.sha256.as_str()).collect();
    let changed: Vec<String> = ds
        .files
        .iter()
        .filter(|f| !known.contains(sha256_hex(&f.bytes).as_str()))
        .map(|f| f.path.display().to_string())
        .collect();
    if !changed.is_empty() {
        eprintln!(
            "warning: the reports in {} were rendered from other data than {} now holds (changed: {}); \
             they are attached as they are — run `zielbericht run --month {}` to renew them",
            folder.display(),
            ds.dir.display(),
            changed.join(", "),
            m.berichtsmonat
        );
    }
}
