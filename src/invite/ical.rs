//! The calendar entry of an invitation: one iCalendar object (RFC 5545) with
//! `METHOD:REQUEST`, the event in `Europe/Berlin` local time, text escaped and content
//! lines folded at 75 octets.

use chrono::{DateTime, NaiveDateTime, Utc};
use lettre::message::Mailbox;

use super::termine::Termin;
use crate::load::Jobcenter;

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

/// The event of one appointment as an iCalendar object with `METHOD:REQUEST`; its title
/// and description come from `templates/mail/termin.txt.j2`.
pub fn calendar(
    jc: &Jobcenter,
    t: &Termin,
    from: &Mailbox,
    to: &[Mailbox],
    (summary, description): (&str, &str),
    stamp: DateTime<Utc>,
) -> String {
    let local = |d: NaiveDateTime| d.format("%Y%m%dT%H%M%S").to_string();
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
        format!("SUMMARY;LANGUAGE=de:{}", escape_text(summary)),
        format!("LOCATION;LANGUAGE=de:{}", escape_text(&t.ort)),
        format!("DESCRIPTION;LANGUAGE=de:{}", escape_text(description)),
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
            "STATUS:TENTATIVE",
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
