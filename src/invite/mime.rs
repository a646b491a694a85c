//! The message of an invitation as RFC 5322 bytes: a `multipart/mixed` MIME message with
//! the text, the report (byte for byte, base64) and the calendar entry, built by lettre
//! (RFC 2047 headers, folded); and the draft files on disk (`einladungen/*.eml`), written
//! atomically.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};

use super::ical;
use super::mail::addresses;
use super::termine::Termin;
use crate::load::Jobcenter;
use crate::output::sha256_hex;

/// The longest line RFC 5322 (section 2.1.1) allows, without its CRLF.
pub const MAX_LINE: usize = 998;

/// Everything of one invitation except the report's bytes.
pub struct Draft<'a> {
    pub jc: &'a Jobcenter,
    pub termin: &'a Termin,
    pub to: Vec<Mailbox>,
    pub subject: String,
    pub body: String,
    /// The calendar entry's title and description (`templates/mail/termin.txt.j2`).
    pub termin_titel: String,
    pub termin_text: String,
    /// The file name of the report attached.
    pub report: String,
}

/// The parts derived from a draft and its report.
pub struct Parts {
    ics: String,
    ics_name: String,
    /// SHA-256 of what the recipient reads (addresses, subject, body, report, event),
    /// independent of the time of the run.
    pub fingerprint: String,
    pub message_id: String,
    boundary: String,
}

impl Draft<'_> {
    pub fn parts(&self, from: &Mailbox, pdf: &[u8], time: DateTime<Utc>) -> Parts {
        let ics = |stamp| {
            ical::calendar(
                self.jc,
                self.termin,
                from,
                &self.to,
                (&self.termin_titel, &self.termin_text),
                stamp,
            )
        };
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
            ics_name: crate::output::names::calendar_file(&self.jc.id, self.termin.start.date()),
            message_id: format!("<{}.{}.zielbericht@{domain}>", &stamp[..24], self.jc.id),
            boundary: format!("zielbericht-{}", &fingerprint[..32]),
            fingerprint,
        }
    }

    /// The message; `unsent` adds `X-Unsent: 1` (the draft on disk, not the one sent).
    pub fn message(
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

/// The bytes of a message as sent or saved. A line over [`MAX_LINE`] octets (a header
/// lettre could not fold, e.g. a name of a thousand letters without a space) is refused
/// rather than sent broken.
pub fn formatted(message: &Message) -> Result<Vec<u8>, String> {
    let bytes = message.formatted();
    if let Some((i, line)) = bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .find(|(_, line)| line.strip_suffix(b"\r").unwrap_or(line).len() > MAX_LINE)
    {
        let len = line.strip_suffix(b"\r").unwrap_or(line).len();
        return Err(format!(
            "line {} of the message would be {len} octets long, more than the {MAX_LINE} RFC 5322 allows; \
             shorten the name or address in jobcenter.csv",
            i + 1
        ));
    }
    Ok(bytes)
}

/// The temporary name a draft is written under before it is renamed into place.
pub const TMP_MARK: &str = ".tmp-";

/// Writes `bytes` to `path` through a synced temporary file renamed into place; the
/// temporary file is removed when any step fails, so a failed write leaves nothing.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut tmp: PathBuf = path.to_path_buf();
    tmp.as_mut_os_string()
        .push(format!("{TMP_MARK}{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
