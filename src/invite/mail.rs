//! The text of an invitation: its recipients (the `email` cell of `jobcenter.csv`), what
//! the mail template sees (the appointment, the statuses of every target of the Jobcenter
//! as its report lists them, taken from the computed [`Results`], and the sender of
//! `bericht.toml`), and the template itself, built in or
//! `DIR/mail/einladung.txt.j2` of `--templates DIR`. All German wording of the mail lives
//! in the template; the target names and status words are the report's.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use lettre::message::Mailbox;
use minijinja::Environment;
use serde::Serialize;

use super::termine::Termin;
use crate::domain::{Berichtsmonat, Decimal, Kennzahl, Status};
use crate::error::Error;
use crate::figures::Results;
use crate::format;
use crate::load::{Jobcenter, cells};
use crate::report::{goals, model};
use crate::texte::{self, Kennzahlnamen, describe};

const TEMPLATE_NAME: &str = "einladung.txt.j2";
const TEMPLATE: &str = include_str!("../../templates/mail/einladung.txt.j2");
const TERMIN_NAME: &str = "termin.txt.j2";
const TERMIN: &str = include_str!("../../templates/mail/termin.txt.j2");
const SUBJECT_PREFIX: &str = "Betreff:";
const WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];

/// One target of one Jobcenter as the computed figures give it.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub kennzahl: Kennzahl,
    pub soll: Option<Decimal>,
    pub status: Status,
}

/// The targets of a Jobcenter as its report lists them ([`goals::with_target`]): the
/// standard targets and every further agreed target (`k2_frauen`, `bedarfsdeckend`, …),
/// in the order of the agreement's sections; empty when the figures do not hold the
/// Jobcenter.
pub fn targets(results: &Results, jobcenter: &str) -> Vec<Target> {
    let Some(entity) = results.entity(jobcenter) else {
        return Vec::new();
    };
    goals::with_target(entity)
        .into_iter()
        .filter_map(|f| {
            let ziel = f.ziel?;
            Some(Target {
                kennzahl: f.kennzahl,
                soll: ziel.soll,
                status: ziel.status,
            })
        })
        .collect()
}

/// The sender as `bericht.toml` describes it: who signs, the Referat, the ministry and
/// how to reach them; every part optional.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Absender {
    /// The person (or office) who signs; else the display name of the From address.
    pub name: String,
    pub referat: String,
    pub ministerium: String,
    pub telefon: String,
    /// The mail address (or other contact) of the signature; else the From address.
    pub kontakt: String,
}

impl Absender {
    /// From the reports' section of `bericht.toml` and the From address.
    pub fn of(bericht: &crate::load::bericht::Bericht, from: &Mailbox) -> Self {
        let h = bericht.herausgeber.clone().unwrap_or_default();
        Self {
            name: bericht
                .unterzeichner
                .clone()
                .or_else(|| from.name.clone())
                .unwrap_or_default(),
            referat: h.referat.unwrap_or_default(),
            ministerium: h.name,
            telefon: bericht.telefon.clone().unwrap_or_default(),
            kontakt: h.kontakt.unwrap_or_else(|| from.email.to_string()),
        }
    }
}

/// The From address: `--from`, else `[bericht] absender` of `bericht.toml`; no built-in
/// placeholder. `Err` holds the (German) message of a usage error.
pub fn sender(from_arg: Option<&str>, configured: Option<&str>) -> Result<Mailbox, String> {
    let (value, origin) = match (from_arg, configured) {
        (Some(v), _) => (v, "--from"),
        (None, Some(v)) => (v, "bericht.toml [bericht] absender"),
        (None, None) => {
            return Err(
                "Kein Absender angegeben: bitte die Absenderadresse in bericht.toml \
                 eintragen ([bericht] absender = \"Name <adresse@behoerde.de>\") oder mit \
                 --from ADRESSE angeben."
                    .to_string(),
            );
        }
    };
    value.trim().parse::<Mailbox>().map_err(|e| {
        format!(
            "{origin}: keine gültige Mail-Adresse: \"{value}\" ({e}); erwartet wird etwa \
             name@behoerde.de oder \"Name <name@behoerde.de>\""
        )
    })
}

/// The addresses of the `email` cell (several may be separated by `,` or `;`).
pub fn recipients(jc: &Jobcenter) -> Result<Vec<Mailbox>, String> {
    let Some(cell) = jc.email.as_deref().filter(|c| !cells::is_missing(c)) else {
        return Err("keine E-Mail-Adresse".into());
    };
    cell.split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse::<Mailbox>()
                .map(|m| Mailbox::new(m.name.or_else(|| Some(jc.name.clone())), m.email))
                .map_err(|_| format!("keine gültige Mail-Adresse: \"{a}\""))
        })
        .collect::<Result<Vec<_>, _>>()
        .and_then(|v| {
            if v.is_empty() {
                Err("keine E-Mail-Adresse".into())
            } else {
                Ok(v)
            }
        })
}

pub fn addresses(to: &[Mailbox]) -> Vec<String> {
    to.iter().map(|m| m.email.to_string()).collect()
}

/// What the mail template sees.
#[derive(Debug, Serialize)]
pub struct MailContext {
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
    /// Agreed targets (with a `soll`) and how many of them are on course / met.
    vereinbart: usize,
    erreicht: usize,
    bericht: String,
    absender_name: String,
    absender: Absender,
}

#[derive(Debug, Serialize)]
struct ZielContext {
    kennzahl: &'static str,
    bezeichnung: String,
    soll: String,
    status: &'static str,
    text: String,
}

/// `Dienstag, 9. Oktober 2018`.
pub fn date_with_weekday(d: NaiveDate) -> String {
    format!(
        "{}, {}",
        WEEKDAYS[d.weekday().num_days_from_monday() as usize],
        format::date_long(d)
    )
}

pub fn context(
    jc: &Jobcenter,
    t: &Termin,
    bm: Berichtsmonat,
    absender: &Absender,
    targets: &[Target],
    namen: &Kennzahlnamen,
) -> MailContext {
    let agreed = targets.iter().filter(|z| z.soll.is_some());
    let vereinbart = agreed.clone().count();
    let erreicht = agreed.filter(|z| z.status == Status::Erreicht).count();
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
                kennzahl: z.kennzahl.code(),
                bezeichnung: namen.bezeichnung(z.kennzahl).to_string(),
                soll: z.soll.map(model::soll_text).unwrap_or_default(),
                status: z.status.code(),
                text: namen.status_text(z.status, dezember).to_string(),
            })
            .collect(),
        vereinbart,
        erreicht,
        bericht: crate::output::names::file_name(&jc.id, &jc.name),
        absender_name: absender.name.clone(),
        absender: absender.clone(),
    }
}

pub fn is_link(ort: &str) -> bool {
    let lower = ort.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The mail template: built in, or `DIR/mail/einladung.txt.j2` of `--templates DIR`.
pub struct MailTemplate {
    env: Environment<'static>,
    shown: String,
    termin_shown: String,
    /// The Kennzahlen in words, from the same `--templates DIR`.
    pub namen: Kennzahlnamen,
}

impl MailTemplate {
    pub fn load(dir: Option<&Path>) -> Result<Self, Error> {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        texte::limit(&mut env);
        let shown = add(&mut env, dir, TEMPLATE_NAME, TEMPLATE)?;
        let termin_shown = add(&mut env, dir, TERMIN_NAME, TERMIN)?;
        Ok(Self {
            env,
            shown,
            termin_shown,
            namen: Kennzahlnamen::load(dir)?,
        })
    }

    /// The subject (the first line, after `Betreff:`) and the body.
    pub fn render(&self, ctx: &MailContext) -> Result<(String, String), Error> {
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
        // A control character would break the header (the data cannot hold one, a
        // customised template could).
        if let Some(c) = subject.chars().find(|c| c.is_control()) {
            return Err(fail(format!(
                "expected a subject of printable text, found the control character U+{:04X}",
                u32::from(c)
            )));
        }
        let mut body = String::new();
        for line in rest.trim_matches('\n').lines() {
            body.push_str(line.trim_end());
            body.push('\n');
        }
        Ok((subject.to_string(), body))
    }

    /// The calendar entry's title (the first line) and description (the further
    /// non-empty lines, joined by line breaks).
    pub fn render_termin(
        &self,
        ctx: &MailContext,
        betreff: &str,
    ) -> Result<(String, String), Error> {
        let fail = |why: String| Error::Render(format!("{}: {why}", self.termin_shown));
        let text = self
            .env
            .get_template(TERMIN_NAME)
            .and_then(|t| {
                t.render(minijinja::context! {
                    betreff => betreff,
                    ..minijinja::Value::from_serialize(ctx)
                })
            })
            .map_err(|e| fail(describe(&e)))?;
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let title = lines
            .next()
            .ok_or_else(|| fail("expected a first line with the title of the entry".into()))?
            .to_string();
        Ok((title, lines.collect::<Vec<_>>().join("\n")))
    }
}

/// Adds `DIR/mail/NAME` of `--templates DIR` when it exists, else the built-in copy.
fn add(
    env: &mut Environment<'static>,
    dir: Option<&Path>,
    name: &'static str,
    builtin: &str,
) -> Result<String, Error> {
    texte::add_template(env, dir, "mail", name, builtin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sender_is_configured_never_a_placeholder() {
        let e = sender(None, None).unwrap_err();
        assert!(e.contains("[bericht] absender"), "{e}");
        assert!(e.contains("--from"), "{e}");
        let m = sender(None, Some("Zielsteuerung <zs@mags.nrw.de>")).unwrap();
        assert_eq!(m.email.to_string(), "zs@mags.nrw.de");
        assert_eq!(m.name.as_deref(), Some("Zielsteuerung"));
        let m = sender(Some("a@b.de"), Some("zs@mags.nrw.de")).unwrap();
        assert_eq!(m.email.to_string(), "a@b.de");
        let e = sender(None, Some("keine Adresse")).unwrap_err();
        assert!(e.starts_with("bericht.toml [bericht] absender: "), "{e}");
    }

    #[test]
    fn weekday_and_date_in_german() {
        let d = NaiveDate::from_ymd_opt(2018, 10, 9).unwrap();
        assert_eq!(date_with_weekday(d), "Dienstag, 9. Oktober 2018");
    }
}
