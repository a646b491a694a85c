//! Invitations to the Steuerungsdialoge between the ministry and each Jobcenter.
//!
//! A termine file ([`termine`]) in; for each Jobcenter with a row and an email address a
//! mail draft `OUT/<YYYY-MM>/einladungen/<jobcenter>_<slug>.eml` out: an RFC 5322 message
//! ([`mime`], `X-Unsent: 1`, so Outlook opens it as a draft) with a German text from
//! `templates/mail/einladung.txt.j2` ([`mail`]), the report of the Berichtsmonat attached
//! byte for byte as it lies in the run folder, and an iCalendar event ([`ical`], RFC 5545,
//! `Europe/Berlin`). Only the drafts it wrote itself (its record says which, [`drafts`])
//! are ever replaced or removed.
//!
//! With `--send` the messages (without `X-Unsent`) go out through SMTP ([`smtp`]), each at
//! most once: the send log ([`sendlog`]) records every attempt before its content is sent
//! and its outcome after, under an exclusive lock of the month. The command that drives
//! all this is `crate::commands::invite`.

pub mod drafts;
pub mod ical;
pub mod mail;
pub mod mime;
pub mod send;
pub mod sendlog;
pub mod smtp;
pub mod termine;

/// The folder of the drafts and the send log inside the run folder.
pub use crate::output::INVITATIONS_FOLDER as FOLDER;
pub use sendlog::FILE as SEND_LOG;
