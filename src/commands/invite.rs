//! `invite`: invitations to the Steuerungsdialoge (see [`crate::invite`]) — read the
//! appointments, make sure the reports of the month exist (rendered through the pipeline
//! when not), write a draft per Jobcenter, and with `--send` send each at most once.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use lettre::message::Mailbox;

use crate::cli::InviteArgs;
use crate::error::{Error, Exit};
use crate::figures::{self, Results};
use crate::format;
use crate::invite::drafts::{OwnDrafts, Written};
use crate::invite::mail::{self, MailTemplate};
use crate::invite::mime::{self, Draft};
use crate::invite::send::{Guests, Sending, Tally};
use crate::invite::sendlog::{MonthLock, SendLog};
use crate::invite::smtp;
use crate::invite::termine;
use crate::invite::{FOLDER, SEND_LOG};
use crate::load::Dataset;
use crate::load::bericht::Bericht;
use crate::messages::de::Many;
use crate::messages::{Msg, console};
use crate::output::{self, manifest, sha256_hex};
use crate::pipeline;

pub fn invite(args: &InviteArgs, command_line: &[String]) -> Result<Exit, Error> {
    let bm = args.month;
    let template = MailTemplate::load(args.render.look.templates.as_deref())?;
    // The rendering settings are checked before any data is read.
    pipeline::report_options(&(&args.render).into(), &Bericht::default(), false)?;
    let time = pipeline::document_time()?;

    let ds = pipeline::load_data(&args.data.data)?;
    // A month without any row is an input error (contract 4, v4).
    if let Some(error) = figures::require_rows(&ds, bm, &format!("--month {bm}")) {
        return Err(Error::Input(vec![error]));
    }
    let bericht = &ds.bericht.bericht;
    let from: Mailbox =
        mail::sender(args.from.as_deref(), bericht.absender.as_deref()).map_err(Error::Usage)?;
    let absender = mail::Absender::of(bericht, &from);
    let smtp = match (&args.smtp, args.send) {
        (Some(server), true) => Some(smtp::Settings::new(
            server.clone(),
            args.starttls,
            args.user.as_deref(),
            Duration::from_secs(args.smtp_timeout),
        )?),
        (Some(_), false) => {
            console::note(Msg::SmtpWithoutSend);
            None
        }
        (None, _) => None,
    };
    let (termine, warnings) = termine::read(&args.termine, &ds).map_err(Error::Input)?;
    for w in &warnings {
        console::warning(w);
    }
    // What killed runs left in the output folder is cleared first (issue 23, class 11).
    output::debris::sweep(&args.out);
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
                console::error(Msg::InviteServerUnusable { why: why.clone() });
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
                    "{}",
                    Msg::InviteReportUnreadable {
                        who: format!("{} {}", jc.id, jc.name),
                        file: pdf_path.display().to_string(),
                        why: e.to_string(),
                    }
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
                eprintln!(
                    "{}",
                    Msg::InviteNotInvited {
                        who: format!("{} {}", jc.id, jc.name),
                        why: why.clone(),
                    }
                );
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
            "{}",
            Msg::InviteDraft {
                who: format!("{} {}", jc.id, jc.name),
                file: path.display().to_string(),
                bytes: crate::error::thousands(eml.len() as u64),
                to: mail::addresses(&draft.to).join(", "),
                date: format::date_numeric(draft.termin.start.date()),
            }
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
    console::note(Msg::InviteRendersFirst {
        folder: folder.display().to_string(),
        lacks: if missing == 0 {
            "kennzahlen.csv".to_string()
        } else {
            Many(missing, "Bericht", "Berichte").to_string()
        },
        month: args.month.to_string(),
    });
    let started = Instant::now();
    let options = pipeline::report_options(&(&args.render).into(), &ds.bericht.bericht, false)?;
    let ids = pipeline::selected(&[], ds)?;
    let (target, out) = pipeline::write_run_folder(
        &args.out,
        ds,
        results,
        &ids,
        Some(&options),
        &crate::texte::Wording::read(args.render.look.templates.as_deref()),
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
