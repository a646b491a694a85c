//! `invite`: invitations to the Steuerungsdialoge between the ministry and each Jobcenter.
//!
//! A termine file (one row per Jobcenter: `jobcenter`, `datum`, `beginn`, optional `ende`,
//! `ort`, optional `kontakt`, read by the rules of the data contract, section 1.2) in; for
//! each Jobcenter with a row and an email address a mail draft
//! `OUT/<YYYY-MM>/einladungen/<jobcenter>_<slug>.eml` out: an RFC 5322 message (`X-Unsent: 1`,
//! so Outlook opens it as a draft) with a German text from `templates/mail/einladung.txt.j2`,
//! the report of the Berichtsmonat attached byte for byte as it lies in the run folder, and
//! an iCalendar event (RFC 5545, `Europe/Berlin`).
//!
//! With `--send` the messages (without `X-Unsent`) go out through SMTP. Every message sent is
//! appended to `einladungen/versand.log` (JSON lines) at once, and a later run does not send
//! to a Jobcenter that the log records as sent for the month, unless `--resend` is given.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use minijinja::Environment;
use serde::{Deserialize, Serialize};

use crate::cli::{DataArgs, InviteArgs, RenderArgs, RunArgs};
use crate::domain::{Berichtsmonat, Status};
use crate::error::Exit;
use crate::error::{Error, InputError, Warning};
use crate::format;
use crate::load::{Dataset, Jobcenter, cells, csv};
use crate::output::{self, manifest, sha256_hex};
use crate::pipeline as run;

/// The folder of the drafts inside the run folder.
pub use crate::output::INVITATIONS_FOLDER as FOLDER;
/// The send log inside [`FOLDER`]: one JSON object per line.
pub const SEND_LOG: &str = "versand.log";
/// The environment variable holding the SMTP password.
pub const PASSWORD_VAR: &str = "ZIELBERICHT_SMTP_PASSWORD";

const TEMPLATE_NAME: &str = "einladung.txt.j2";
const TEMPLATE: &str = include_str!("../../templates/mail/einladung.txt.j2");
const SUBJECT_PREFIX: &str = "Betreff:";
const TARGETS: [&str; 5] = ["int", "k2", "k3", "k3e1", "lzb_je"];
const WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];

/// One appointment of the termine file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termin {
    pub jobcenter: String,
    pub line: usize,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub ort: String,
    pub kontakt: Option<String>,
}

pub fn invite(args: &InviteArgs, command_line: &[String]) -> Result<Exit, Error> {
    let bm = args.month;
    let from: Mailbox = args.from.parse().map_err(|e| {
        Error::Usage(format!(
            "--from: expected a mail address like name@example.org, found \"{}\" ({e})",
            args.from
        ))
    })?;
    let smtp = if args.send {
        Some(SmtpSettings::from_args(args)?)
    } else {
        None
    };
    if !args.send && args.smtp.is_some() {
        eprintln!("note: --smtp without --send: only the drafts are written");
    }
    let template = MailTemplate::load(args.render.templates.as_deref())?;
    let time = run::document_time()?;

    let ds = run::load_data(&args.data)?;
    let (termine, warnings) = read_termine(&args.termine, &ds).map_err(Error::Input)?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }

    // Who is invited, who is skipped and why.
    let mut invited = Vec::new();
    let mut no_email = Vec::new();
    let mut without_row = Vec::new();
    for jc in &ds.jobcenters {
        let Some(termin) = termine.iter().find(|t| t.jobcenter == jc.id) else {
            without_row.push(jc.id.clone());
            continue;
        };
        match recipients(jc) {
            Ok(to) => invited.push((jc, termin, to)),
            Err(why) => no_email.push(format!("{} {}: {why}", jc.id, jc.name)),
        }
    }

    let folder = output::run_folder(&args.out, &bm.to_string());
    let reports: Vec<String> = invited
        .iter()
        .map(|(jc, _, _)| crate::report::file_name(&jc.id, &jc.name))
        .collect();
    let statuses = if invited.is_empty() {
        HashMap::new()
    } else {
        ensure_reports(args, bm, &folder, &reports, &ds, command_line)?;
        read_statuses(&folder.join("kennzahlen.csv"))?
    };

    // Every text first, so that a template error stops the command before anything is written.
    let mut drafts = Vec::new();
    for (jc, termin, to) in &invited {
        let ctx = context(
            jc,
            termin,
            bm,
            &from,
            statuses.get(&jc.id).map_or(&[][..], Vec::as_slice),
        );
        let (subject, body) = template.render(&ctx)?;
        drafts.push(Draft {
            jc,
            termin,
            to: to.clone(),
            subject,
            body,
            report: crate::report::file_name(&jc.id, &jc.name),
        });
    }

    let dir = folder.join(FOLDER);
    std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
    let log_path = dir.join(SEND_LOG);
    let sent_before = if smtp.is_some() {
        read_log(&log_path)?
    } else {
        HashMap::new()
    };
    // A server that cannot be reached (or refuses the login) fails every message, once.
    let transport = smtp.as_ref().map(|settings| {
        settings
            .connect()
            .inspect_err(|why| eprintln!("error: {why}; the drafts are written, nothing is sent"))
    });

    let mut written = BTreeSet::new();
    let mut failures = Vec::new();
    let mut sent = 0;
    let mut total_bytes = 0;
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
                failures.push(jc.id.clone());
                continue;
            }
        };
        let parts = draft.parts(&from, &pdf, time);
        let message = |unsent: bool| draft.message(&from, &parts, &pdf, time, unsent);
        let eml = match message(true) {
            Ok(m) => m.formatted(),
            Err(why) => {
                eprintln!("{} {}: not invited: {why}", jc.id, jc.name);
                failures.push(jc.id.clone());
                continue;
            }
        };
        let name = format!("{}_{}.eml", jc.id, crate::report::slug(&jc.name));
        let path = dir.join(&name);
        write_atomic(&path, &eml).map_err(|e| Error::write(&path, e))?;
        total_bytes += eml.len();
        written.insert(name);
        println!(
            "{} {}: {} ({} bytes) to {}, {}",
            jc.id,
            jc.name,
            path.display(),
            eml.len(),
            addresses(&draft.to).join(", "),
            format::date_numeric(draft.termin.start.date())
        );

        let (Some(transport), Some(settings)) = (&transport, &smtp) else {
            continue;
        };
        let Ok(transport) = transport else {
            eprintln!(
                "{} {}: not sent (no connection to {})",
                jc.id,
                jc.name,
                settings.address()
            );
            failures.push(jc.id.clone());
            continue;
        };
        if let Some(entry) = sent_before.get(&jc.id).filter(|_| !args.resend) {
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
            continue;
        }
        let outcome = match message(false) {
            Ok(m) => {
                let bytes = m.formatted();
                transport
                    .send_raw(m.envelope(), &bytes)
                    .map(|_| bytes)
                    .map_err(|e| format!("{}: {}", settings.address(), describe_smtp(&e)))
            }
            Err(why) => Err(why),
        };
        let mut entry = LogEntry {
            zeit: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            jobcenter: jc.id.clone(),
            an: addresses(&draft.to),
            status: String::new(),
            message_id: parts.message_id.clone(),
            sha256: String::new(),
            bytes: 0,
            inhalt: parts.fingerprint.clone(),
            fehler: None,
        };
        match outcome {
            Ok(bytes) => {
                println!("  sent via {} ({} bytes)", settings.address(), bytes.len());
                entry.status = "gesendet".into();
                entry.sha256 = sha256_hex(&bytes);
                entry.bytes = bytes.len();
                sent += 1;
            }
            Err(why) => {
                eprintln!("{} {}: sending failed: {why}", jc.id, jc.name);
                entry.status = "fehlgeschlagen".into();
                entry.fehler = Some(why);
                failures.push(jc.id.clone());
            }
        }
        append_log(&log_path, &entry).map_err(|e| Error::write(&log_path, e))?;
    }
    remove_stale_drafts(&dir, &written);

    eprintln!(
        "{} invitation(s) written to {} ({} bytes in all){}",
        written.len(),
        dir.display(),
        total_bytes,
        if smtp.is_some() {
            format!("; {sent} sent")
        } else {
            String::new()
        }
    );
    if !no_email.is_empty() {
        eprintln!(
            "skipped, no usable email address in jobcenter.csv ({}):",
            no_email.len()
        );
        for line in &no_email {
            eprintln!("  {line}");
        }
    }
    if !without_row.is_empty() {
        eprintln!(
            "skipped, no row in {} ({}): {}",
            args.termine.display(),
            without_row.len(),
            without_row.join(", ")
        );
    }
    if !failures.is_empty() {
        eprintln!("failed ({}): {}", failures.len(), failures.join(", "));
        return Ok(Exit::Partial);
    }
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------------------
// The termine file

/// Reads the termine file by the contract's rules; every error is collected.
pub fn read_termine(
    path: &Path,
    ds: &Dataset,
) -> Result<(Vec<Termin>, Vec<Warning>), Vec<InputError>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![InputError::file(path, "file not found")]);
        }
        Err(e) => {
            return Err(vec![InputError::file(
                path,
                format!("cannot read the file: {e}"),
            )]);
        }
    };
    let table = csv::parse(path, &bytes).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut index = HashMap::new();
    for (i, name) in table.header.iter().enumerate() {
        if !["jobcenter", "datum", "beginn", "ende", "ort", "kontakt"].contains(&name.as_str()) {
            continue;
        }
        if index.insert(name.as_str(), i).is_some() {
            errors.push(InputError::cell(
                path,
                1,
                name,
                "expected each known column once, found it twice in the header",
            ));
        }
    }
    for name in ["jobcenter", "datum", "beginn", "ort"] {
        if !index.contains_key(name) {
            errors.push(InputError::at(
                path,
                1,
                format!("missing required column \"{name}\" in the header"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !table.has_records() {
        return Err(vec![InputError::file(
            path,
            "expected at least one data row below the header, found none",
        )]);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for record in table.records() {
        let record = &record;
        let line = record.line;
        if record.cells.len() < table.header.len() {
            errors.push(InputError::at(
                path,
                line,
                format!(
                    "expected {} cells as in the header, found {}",
                    table.header.len(),
                    record.cells.len()
                ),
            ));
            continue;
        }
        let get = |name: &str| index.get(name).map_or("", |&i| record.cells[i].as_str());
        let mut fail = |column: &str, message: String| {
            errors.push(InputError::cell(path, line, column, message));
        };

        let id = match cells::jobcenter_id(get("jobcenter")) {
            Ok((id, padded)) => {
                if padded {
                    warnings.push(InputError::cell(
                        path,
                        line,
                        "jobcenter",
                        format!(
                            "Kreisschlüssel \"{}\" padded with leading zeros to \"{id}\"",
                            get("jobcenter")
                        ),
                    ));
                }
                if ds.jobcenters.iter().any(|j| j.id == id) {
                    Some(id)
                } else {
                    fail(
                        "jobcenter",
                        format!("expected a Jobcenter of jobcenter.csv, found unknown \"{id}\""),
                    );
                    None
                }
            }
            Err(e) => {
                fail("jobcenter", e.0);
                None
            }
        };
        let datum = parse_date(get("datum")).map_err(|e| fail("datum", e)).ok();
        let beginn = parse_time(get("beginn"))
            .map_err(|e| fail("beginn", e))
            .ok();
        let ende = match get("ende") {
            cell if cells::is_missing(cell) => Ok(None),
            cell => parse_time(cell).map(Some),
        }
        .map_err(|e| fail("ende", e))
        .ok();
        let ort = get("ort");
        if ort.is_empty() {
            fail(
                "ort",
                "expected a room or a video link, found an empty cell".into(),
            );
        }
        let kontakt = Some(get("kontakt"))
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        let (Some(id), Some(datum), Some(beginn), Some(ende)) = (id, datum, beginn, ende) else {
            continue;
        };
        let start = datum.and_time(beginn);
        let end = match ende {
            Some(t) if t <= beginn => {
                fail(
                    "ende",
                    format!(
                        "expected a time after beginn {}, found \"{}\"",
                        beginn.format("%H:%M"),
                        get("ende")
                    ),
                );
                continue;
            }
            Some(t) => datum.and_time(t),
            None => start + TimeDelta::hours(2),
        };
        if ort.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            fail(
                "jobcenter",
                format!(
                    "expected each Jobcenter once, found \"{id}\" again (first in line {first})"
                ),
            );
            continue;
        }
        out.push(Termin {
            jobcenter: id,
            line,
            start,
            end,
            ort: ort.to_string(),
            kontakt,
        });
    }
    if errors.is_empty() {
        Ok((out, warnings))
    } else {
        Err(errors)
    }
}

fn expected(what: &str, cell: &str) -> String {
    if cell.is_empty() {
        format!("expected {what}, found an empty cell")
    } else {
        format!("expected {what}, found \"{cell}\"")
    }
}

/// A date as `YYYY-MM-DD` or `DD.MM.YYYY` (`D.M.YYYY` too).
pub fn parse_date(cell: &str) -> Result<NaiveDate, String> {
    let digits = |s: &str, min: usize, max: usize| {
        (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = cell.split(['-', '.']).collect();
    let ymd = match parts.as_slice() {
        [y, m, d] if cell.contains('-') => (digits(y, 4, 4), digits(m, 2, 2), digits(d, 2, 2)),
        [d, m, y] if cell.contains('.') => (digits(y, 4, 4), digits(m, 1, 2), digits(d, 1, 2)),
        _ => (None, None, None),
    };
    if let (Some(y), Some(m), Some(d)) = ymd
        && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
    {
        return Ok(date);
    }
    Err(expected("a date as YYYY-MM-DD or DD.MM.YYYY", cell))
}

/// A time of day as `HH:MM` (`H:MM` and Excel's `HH:MM:00` too).
pub fn parse_time(cell: &str) -> Result<NaiveTime, String> {
    let digits = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let parts: Vec<&str> = cell.split(':').collect();
    let hm = match parts.as_slice() {
        [h, m] if m.len() == 2 => (digits(h), digits(m)),
        [h, m, "00"] if m.len() == 2 => (digits(h), digits(m)),
        _ => (None, None),
    };
    if let (Some(h), Some(m)) = hm
        && let Some(time) = NaiveTime::from_hms_opt(h, m, 0)
    {
        return Ok(time);
    }
    Err(expected("a time as HH:MM", cell))
}

/// The addresses of the `email` cell (several may be separated by `,` or `;`).
fn recipients(jc: &Jobcenter) -> Result<Vec<Mailbox>, String> {
    let Some(cell) = jc.email.as_deref().filter(|c| !cells::is_missing(c)) else {
        return Err("no email".into());
    };
    cell.split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse::<Mailbox>()
                .map(|m| Mailbox::new(m.name.or_else(|| Some(jc.name.clone())), m.email))
                .map_err(|_| format!("not a mail address: \"{a}\""))
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|v| {
            if v.is_empty() {
                Err("no email".into())
            } else {
                Ok(v)
            }
        })
}

fn addresses(to: &[Mailbox]) -> Vec<String> {
    to.iter().map(|m| m.email.to_string()).collect()
}

// ---------------------------------------------------------------------------------------
// The reports and their figures

/// Renders the Berichtsmonat first when the run folder lacks `kennzahlen.csv` or a report
/// to attach; warns when the reports there were made from other data.
fn ensure_reports(
    args: &InviteArgs,
    bm: Berichtsmonat,
    folder: &Path,
    reports: &[String],
    ds: &Dataset,
    command_line: &[String],
) -> Result<(), Error> {
    let missing = reports.iter().filter(|f| !folder.join(f).is_file()).count();
    if missing == 0 && folder.join("kennzahlen.csv").is_file() {
        warn_if_stale(folder, ds);
        return Ok(());
    }
    eprintln!(
        "{} lacks {}; rendering the reports of {bm} first",
        folder.display(),
        if missing == 0 {
            "kennzahlen.csv".to_string()
        } else {
            format!("{missing} report(s)")
        }
    );
    // A run replaces the run folder as a whole: keep the send log across it.
    let log_path = folder.join(FOLDER).join(SEND_LOG);
    let log = std::fs::read(&log_path).ok();
    let run_args = RunArgs {
        data: DataArgs {
            data: args.data.data.clone(),
        },
        out: args.out.clone(),
        month: Some(bm),
        quarter: None,
        jobcenters: Vec::new(),
        allow_incomplete: false,
        figures_only: false,
        render: RenderArgs {
            tolerance: args.render.tolerance,
            templates: args.render.templates.clone(),
            font_path: args.render.font_path.clone(),
            jobs: args.render.jobs,
        },
    };
    let result = crate::commands::run::run(&run_args, command_line);
    if let Some(bytes) = log {
        let dir = folder.join(FOLDER);
        std::fs::create_dir_all(&dir)
            .and_then(|()| write_atomic(&log_path, &bytes))
            .map_err(|e| Error::write(&log_path, e))?;
    }
    result.map(|_| ())
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

/// One target of one Jobcenter as `kennzahlen.csv` gives it.
#[derive(Debug, Clone)]
struct Target {
    kennzahl: String,
    soll: Option<String>,
    status: Status,
}

/// The five target rows of every Jobcenter from `kennzahlen.csv`.
fn read_statuses(path: &Path) -> Result<HashMap<String, Vec<Target>>, Error> {
    let fail = |message: String| Error::Input(vec![InputError::file(path, message)]);
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    let table = csv::parse(path, &bytes).map_err(|e| Error::Input(vec![e]))?;
    let col = |name: &str| {
        table.header.iter().position(|h| h == name).ok_or_else(|| {
            Error::Input(vec![InputError::at(
                path,
                1,
                format!("missing required column \"{name}\" in the header"),
            )])
        })
    };
    let (id, kennzahl, soll, status) = (
        col("jobcenter")?,
        col("kennzahl")?,
        col("soll_pct")?,
        col("status")?,
    );
    let mut out: HashMap<String, Vec<Target>> = HashMap::new();
    for record in table.records() {
        let record = &record;
        let cell = |i: usize| record.cells.get(i).map_or("", String::as_str);
        if !TARGETS.contains(&cell(kennzahl)) || cell(status).is_empty() {
            continue;
        }
        let code = cell(status);
        let Some(status) = status_from_code(code) else {
            return Err(Error::Input(vec![InputError::cell(
                path,
                record.line,
                "status",
                expected(
                    "erreicht, knapp_verfehlt, verfehlt, keine_daten or kein_ziel",
                    code,
                ),
            )]));
        };
        out.entry(cell(id).to_string()).or_default().push(Target {
            kennzahl: cell(kennzahl).to_string(),
            soll: Some(cell(soll))
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            status,
        });
    }
    for targets in out.values_mut() {
        targets.sort_by_key(|t| TARGETS.iter().position(|k| *k == t.kennzahl));
    }
    Ok(out)
}

fn status_from_code(code: &str) -> Option<Status> {
    [
        Status::Erreicht,
        Status::KnappVerfehlt,
        Status::Verfehlt,
        Status::KeineDaten,
        Status::KeinZiel,
    ]
    .into_iter()
    .find(|s| s.code() == code)
}

/// `soll_pct` of `kennzahlen.csv` (`2.1`, `-0.25`, `0`) as the report writes it: `+2,1 %`.
fn soll_text(soll: &str) -> Option<String> {
    let value: f64 = soll.parse().ok()?;
    let decimals = soll.split_once('.').map_or(0, |(_, f)| f.len()).clamp(1, 2);
    Some(format::change(value, decimals))
}

fn target_label(kennzahl: &str, bm: Berichtsmonat) -> String {
    match kennzahl {
        "int" => "Integrationen".into(),
        "k2" => "Integrationsquote (K2)".into(),
        "k3" => "Langzeitleistungsbeziehende, durchschnittlicher Bestand (K3)".into(),
        "k3e1" => "Integrationsquote der Langzeitleistungsbeziehenden (K3E1)".into(),
        "lzb_je" => format!(
            "Langzeitleistungsbeziehende, Bestand gegenüber Dezember {}",
            bm.year - 1
        ),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// The text

/// What the mail template sees.
#[derive(Debug, Serialize)]
struct MailContext {
    name: String,
    jobcenter: String,
    datum: String,
    datum_kurz: String,
    beginn: String,
    ende: String,
    zeit: String,
    ort: String,
    ort_ist_link: bool,
    kontakt: String,
    berichtsmonat: String,
    zeitraum: String,
    jahr: i32,
    dezember: bool,
    ziele: Vec<ZielContext>,
    bericht: String,
    absender_name: String,
}

#[derive(Debug, Serialize)]
struct ZielContext {
    kennzahl: String,
    bezeichnung: String,
    soll: String,
    status: &'static str,
    text: &'static str,
}

/// `Dienstag, 9. Oktober 2018`.
pub fn date_with_weekday(d: NaiveDate) -> String {
    format!(
        "{}, {}",
        WEEKDAYS[d.weekday().num_days_from_monday() as usize],
        format::date_long(d)
    )
}

fn context(
    jc: &Jobcenter,
    t: &Termin,
    bm: Berichtsmonat,
    from: &Mailbox,
    targets: &[Target],
) -> MailContext {
    let dezember = bm.is_december();
    let mut zeit = format!("{}–{} Uhr", t.start.format("%H:%M"), t.end.format("%H:%M"));
    if t.end.date() != t.start.date() {
        zeit = format!(
            "{} Uhr bis {}, {} Uhr",
            t.start.format("%H:%M"),
            date_with_weekday(t.end.date()),
            t.end.format("%H:%M")
        );
    }
    MailContext {
        name: jc.name.clone(),
        jobcenter: jc.id.clone(),
        datum: date_with_weekday(t.start.date()),
        datum_kurz: format::date_numeric(t.start.date()),
        beginn: t.start.format("%H:%M").to_string(),
        ende: t.end.format("%H:%M").to_string(),
        zeit,
        ort: t.ort.clone(),
        ort_ist_link: is_link(&t.ort),
        kontakt: t.kontakt.clone().unwrap_or_default(),
        berichtsmonat: format::month_long(bm.year, bm.month),
        zeitraum: format::period_long(bm.year, bm.month),
        jahr: bm.year,
        dezember,
        ziele: targets
            .iter()
            .map(|z| ZielContext {
                kennzahl: z.kennzahl.clone(),
                bezeichnung: target_label(&z.kennzahl, bm),
                soll: z.soll.as_deref().and_then(soll_text).unwrap_or_default(),
                status: z.status.code(),
                text: crate::report::model::status_text(z.status, dezember),
            })
            .collect(),
        bericht: crate::report::file_name(&jc.id, &jc.name),
        absender_name: from.name.clone().unwrap_or_default(),
    }
}

fn is_link(ort: &str) -> bool {
    let lower = ort.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The mail template: built in, or `DIR/mail/einladung.txt.j2` of `--templates DIR`.
struct MailTemplate {
    env: Environment<'static>,
    shown: String,
}

impl MailTemplate {
    fn load(dir: Option<&Path>) -> Result<Self, Error> {
        let custom = dir
            .map(|d| d.join("mail").join(TEMPLATE_NAME))
            .filter(|p| p.exists());
        let source = match &custom {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| Error::Render(format!("cannot read {}: {e}", path.display())))?,
            None => TEMPLATE.to_string(),
        };
        let shown = custom.map_or_else(
            || format!("templates/mail/{TEMPLATE_NAME}"),
            |p| p.display().to_string(),
        );
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_template_owned(TEMPLATE_NAME, source)
            .map_err(|e| Error::Render(format!("{shown}: {}", describe(&e))))?;
        Ok(Self { env, shown })
    }

    /// The subject (the first line, after `Betreff:`) and the body.
    fn render(&self, ctx: &MailContext) -> Result<(String, String), Error> {
        let fail = |why: String| Error::Render(format!("{}: {why}", self.shown));
        let text = self
            .env
            .get_template(TEMPLATE_NAME)
            .and_then(|t| t.render(ctx))
            .map_err(|e| fail(describe(&e)))?;
        let text = text.replace("\r\n", "\n");
        let text = text.trim_start();
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let subject = first
            .trim()
            .strip_prefix(SUBJECT_PREFIX)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| fail(format!("expected the first line to be the subject (\"{SUBJECT_PREFIX} …\"), found \"{first}\"")))?;
        let mut body = String::new();
        for line in rest.trim_matches('\n').lines() {
            body.push_str(line.trim_end());
            body.push('\n');
        }
        Ok((subject.to_string(), body))
    }
}

fn describe(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("line {line}: {e}"),
        None => e.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// The message

/// Everything of one invitation except the report's bytes.
struct Draft<'a> {
    jc: &'a Jobcenter,
    termin: &'a Termin,
    to: Vec<Mailbox>,
    subject: String,
    body: String,
    report: String,
}

/// The parts derived from a draft and its report.
struct Parts {
    ics: String,
    ics_name: String,
    /// SHA-256 of what the recipient reads (addresses, subject, body, report, event),
    /// independent of the time of the run.
    fingerprint: String,
    message_id: String,
    boundary: String,
}

impl Draft<'_> {
    fn parts(&self, from: &Mailbox, pdf: &[u8], time: DateTime<Utc>) -> Parts {
        let ics = |stamp| calendar(self.jc, self.termin, from, &self.to, &self.subject, stamp);
        let mut content = String::new();
        for part in [
            addresses(&self.to).join(","),
            self.subject.clone(),
            self.body.clone(),
            sha256_hex(pdf),
        ] {
            let _ = write!(content, "{}\n{part}\n", part.len());
        }
        content.push_str(&ics(DateTime::<Utc>::UNIX_EPOCH));
        let fingerprint = sha256_hex(content.as_bytes());
        let stamp = sha256_hex(format!("{fingerprint}{}", time.timestamp()).as_bytes());
        let domain = from.email.domain().to_string();
        Parts {
            ics: ics(time),
            ics_name: format!(
                "steuerungsdialog_{}_{}.ics",
                self.jc.id,
                self.termin.start.format("%Y-%m-%d")
            ),
            message_id: format!("<{}.{}.zielbericht@{domain}>", &stamp[..24], self.jc.id),
            boundary: format!("zielbericht-{}", &fingerprint[..32]),
            fingerprint,
        }
    }

    /// The message; `unsent` adds `X-Unsent: 1` (the draft on disk, not the one sent).
    fn message(
        &self,
        from: &Mailbox,
        parts: &Parts,
        pdf: &[u8],
        time: DateTime<Utc>,
        unsent: bool,
    ) -> Result<Message, String> {
        let mut builder = Message::builder()
            .from(from.clone())
            .subject(self.subject.clone())
            .date(SystemTime::from(time))
            .message_id(Some(parts.message_id.clone()));
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        if unsent {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("X-Unsent"),
                "1".into(),
            ));
        }
        let pdf_type = ContentType::parse("application/pdf").map_err(|e| e.to_string())?;
        let ics_type = ContentType::parse("text/calendar; charset=utf-8; method=REQUEST")
            .map_err(|e| e.to_string())?;
        let base64 = |bytes: Vec<u8>| {
            Body::new_with_encoding(bytes, ContentTransferEncoding::Base64)
                .map_err(|_| "cannot encode".to_string())
        };
        let body = MultiPart::mixed()
            .boundary(parts.boundary.clone())
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(self.body.clone()),
            )
            .singlepart(Attachment::new(self.report.clone()).body(base64(pdf.to_vec())?, pdf_type))
            .singlepart(
                Attachment::new(parts.ics_name.clone())
                    .body(base64(parts.ics.clone().into_bytes())?, ics_type),
            );
        builder
            .multipart(body)
            .map_err(|e| format!("cannot build the message: {e}"))
    }
}

// ---------------------------------------------------------------------------------------
// iCalendar (RFC 5545)

/// Europe/Berlin with the rules in force since 1996 (last Sunday of March and October).
const VTIMEZONE_BERLIN: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Berlin\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// The event of one appointment as an iCalendar object with `METHOD:REQUEST`.
pub fn calendar(
    jc: &Jobcenter,
    t: &Termin,
    from: &Mailbox,
    to: &[Mailbox],
    subject: &str,
    stamp: DateTime<Utc>,
) -> String {
    let local = |d: NaiveDateTime| d.format("%Y%m%dT%H%M%S").to_string();
    let mut description = format!(
        "{subject}\nBericht: {}",
        crate::report::file_name(&jc.id, &jc.name)
    );
    if is_link(&t.ort) {
        let _ = write!(description, "\nVideokonferenz: {}", t.ort);
    }
    if let Some(kontakt) = &t.kontakt {
        let _ = write!(description, "\nKontakt: {kontakt}");
    }
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//zielbericht//Steuerungsdialog//DE".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:REQUEST".into(),
    ] {
        out.push_str(&fold(&line));
    }
    out.push_str(VTIMEZONE_BERLIN);
    let mut lines = Vec::from([
        "BEGIN:VEVENT".to_string(),
        format!(
            "UID:steuerungsdialog-{}-{}@{}",
            jc.id,
            t.start.format("%Y%m%d"),
            from.email.domain()
        ),
        format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")),
        format!("DTSTART;TZID=Europe/Berlin:{}", local(t.start)),
        format!("DTEND;TZID=Europe/Berlin:{}", local(t.end)),
        format!(
            "SUMMARY;LANGUAGE=de:{}",
            escape_text(&format!("Steuerungsdialog Jobcenter {}", jc.name))
        ),
        format!("LOCATION;LANGUAGE=de:{}", escape_text(&t.ort)),
        format!("DESCRIPTION;LANGUAGE=de:{}", escape_text(&description)),
        format!("ORGANIZER{}:mailto:{}", cn(from), from.email),
    ]);
    for mailbox in to {
        lines.push(format!(
            "ATTENDEE{};CUTYPE=GROUP;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{}",
            cn(mailbox),
            mailbox.email
        ));
    }
    lines.extend(
        [
            "SEQUENCE:0",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "CLASS:PUBLIC",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        .map(str::to_string),
    );
    for line in &lines {
        out.push_str(&fold(line));
    }
    out
}

/// `;CN="Name"` for a mailbox with a display name (quotes cannot be escaped in parameters).
fn cn(mailbox: &Mailbox) -> String {
    mailbox
        .name
        .as_deref()
        .map(|n| {
            n.chars()
                .filter(|c| *c != '"' && !c.is_control())
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .map_or_else(String::new, |n| format!(";CN=\"{n}\""))
}

/// TEXT escaping of RFC 5545 section 3.3.11.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line folded at 75 octets (RFC 5545 section 3.1), never inside a UTF-8
/// sequence, ended with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

// ---------------------------------------------------------------------------------------
// Sending

struct SmtpSettings {
    host: String,
    port: u16,
    starttls: bool,
    credentials: Option<Credentials>,
}

impl SmtpSettings {
    fn from_args(args: &InviteArgs) -> Result<Self, Error> {
        let text = args.smtp.as_deref().unwrap_or_default().trim();
        let usage = || Error::Usage(format!("--smtp: expected HOST:PORT, found \"{text}\""));
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (host, port) = rest.split_once("]:").ok_or_else(usage)?;
            (host, port)
        } else {
            text.rsplit_once(':').ok_or_else(usage)?
        };
        let port: u16 = port.parse().ok().filter(|p| *p != 0).ok_or_else(usage)?;
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(usage());
        }
        let credentials = match &args.user {
            Some(user) => {
                let password = std::env::var(PASSWORD_VAR).map_err(|_| {
                    Error::Usage(format!(
                        "--user {user}: the password is read from {PASSWORD_VAR}, which is not set"
                    ))
                })?;
                Some(Credentials::new(user.clone(), password))
            }
            None => None,
        };
        let settings = Self {
            host: host.to_string(),
            port,
            starttls: args.starttls,
            credentials,
        };
        if !settings.starttls && !settings.is_loopback() {
            if settings.credentials.is_some() {
                return Err(Error::Usage(format!(
                    "--user without --starttls would send the password unencrypted to {}; add --starttls",
                    settings.address()
                )));
            }
            eprintln!(
                "warning: sending to {} without encryption (add --starttls to use STARTTLS)",
                settings.address()
            );
        }
        Ok(settings)
    }

    fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// A transport whose connection has been tried once (greeting, STARTTLS, login), so that
    /// an unreachable server or a wrong password is named once.
    fn connect(&self) -> Result<SmtpTransport, String> {
        let tls = if self.starttls {
            let params = TlsParameters::new(self.host.clone())
                .map_err(|e| format!("--starttls: {}", describe_smtp(&e)))?;
            Tls::Required(params)
        } else {
            Tls::None
        };
        let mut builder = SmtpTransport::builder_dangerous(self.host.clone())
            .port(self.port)
            .tls(tls)
            .timeout(Some(Duration::from_mins(1)));
        if let Some(credentials) = &self.credentials {
            builder = builder.credentials(credentials.clone());
        }
        let transport = builder.build();
        match transport.test_connection() {
            Ok(true) => Ok(transport),
            Ok(false) => Err(format!(
                "SMTP server {}: the connection failed",
                self.address()
            )),
            Err(e) => Err(format!(
                "SMTP server {}: {}",
                self.address(),
                describe_smtp(&e)
            )),
        }
    }
}

/// An SMTP error; lettre's message already names its cause.
fn describe_smtp(e: &lettre::transport::smtp::Error) -> String {
    e.to_string()
}

/// One line of the send log.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct LogEntry {
    /// When it was sent (UTC, RFC 3339).
    zeit: String,
    jobcenter: String,
    an: Vec<String>,
    /// `gesendet` or `fehlgeschlagen`.
    status: String,
    message_id: String,
    /// SHA-256 of the bytes sent.
    #[serde(default)]
    sha256: String,
    #[serde(default)]
    bytes: usize,
    /// The fingerprint of the content (see [`Parts::fingerprint`]).
    #[serde(default)]
    inhalt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fehler: Option<String>,
}

/// The latest `gesendet` entry of every Jobcenter. An unreadable line stops the command:
/// better no mail than a mail sent twice.
fn read_log(path: &Path) -> Result<HashMap<String, LogEntry>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => {
            return Err(Error::Refused(format!(
                "cannot read the send log {}: {e}",
                path.display()
            )));
        }
    };
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry: LogEntry = serde_json::from_str(line).map_err(|e| {
            Error::Refused(format!(
                "{}:{}: unreadable line of the send log ({e}); repair or remove it, nothing was sent",
                path.display(),
                i + 1
            ))
        })?;
        if entry.status == "gesendet" {
            out.insert(entry.jobcenter.clone(), entry);
        }
    }
    Ok(out)
}

fn append_log(path: &Path, entry: &LogEntry) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
    line.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(line.as_bytes())?;
    file.sync_all()
}

// ---------------------------------------------------------------------------------------
// Files

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp: PathBuf = path.to_path_buf();
    tmp.as_mut_os_string()
        .push(format!(".tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Drafts of an earlier run whose Jobcenter has no invitation now are removed, so that no
/// outdated draft is opened by mistake.
fn remove_stale_drafts(dir: &Path, written: &BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.len() > 10
            && Path::new(&name).extension().is_some_and(|x| x == "eml")
            && name.as_bytes()[5] == b'_'
            && name.as_bytes()[..5].iter().all(u8::is_ascii_digit);
        if ours && !written.contains(&name) && std::fs::remove_file(entry.path()).is_ok() {
            eprintln!("removed the outdated draft {}", entry.path().display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_as_excel_writes_them() {
        let d = NaiveDate::from_ymd_opt(2018, 10, 9).unwrap();
        assert_eq!(parse_date("2018-10-09"), Ok(d));
        assert_eq!(parse_date("09.10.2018"), Ok(d));
        assert_eq!(parse_date("9.10.2018"), Ok(d));
        assert!(parse_date("2018-02-30").is_err());
        assert!(parse_date("2018-10").is_err());
        assert_eq!(
            parse_date("").unwrap_err(),
            "expected a date as YYYY-MM-DD or DD.MM.YYYY, found an empty cell"
        );
        assert_eq!(
            parse_time("9:30"),
            Ok(NaiveTime::from_hms_opt(9, 30, 0).unwrap())
        );
        assert_eq!(
            parse_time("10:00:00"),
            Ok(NaiveTime::from_hms_opt(10, 0, 0).unwrap())
        );
        assert!(parse_time("24:00").is_err());
        assert!(parse_time("10").is_err());
        assert!(parse_time("10:5").is_err());
        assert_eq!(date_with_weekday(d), "Dienstag, 9. Oktober 2018");
    }

    #[test]
    fn ical_text_is_escaped_and_folded_at_75_octets() {
        assert_eq!(
            escape_text("Raum 3; Haus A, Düsseldorf\\Nord\nEtage 2"),
            "Raum 3\\; Haus A\\, Düsseldorf\\\\Nord\\nEtage 2"
        );
        let line = format!("DESCRIPTION:{}", "ä".repeat(60));
        let folded = fold(&line);
        assert!(folded.ends_with("\r\n"));
        for part in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(part.len() <= 75, "{part:?} has {} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
    }

    #[test]
    fn soll_as_the_report_writes_it() {
        assert_eq!(soll_text("2.1").as_deref(), Some("+2,1 %"));
        assert_eq!(soll_text("0").as_deref(), Some("0,0 %"));
        assert_eq!(soll_text("-0.25").as_deref(), Some("\u{2212}0,25 %"));
    }
}
