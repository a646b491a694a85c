//! Every name the house gives a file or folder it writes, in one place: the run folder of
//! a Berichtsmonat, the reports and the overview, the invitations' drafts and calendar
//! entries, and the slug of a Jobcenter's name they all share.

use std::ops::Deref;
use std::path::{Path, PathBuf};

use crate::domain::Berichtsmonat;

/// The overview of all Jobcenters in a run folder.
pub const OVERVIEW_FILE: &str = "uebersicht.pdf";

/// The run folder of a Berichtsmonat: `OUT/<YYYY-MM>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunFolder(PathBuf);

impl RunFolder {
    pub fn new(out: &Path, bm: Berichtsmonat) -> Self {
        Self(out.join(bm.to_string()))
    }

    pub fn into_path(self) -> PathBuf {
        self.0
    }
}

impl Deref for RunFolder {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for RunFolder {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

/// The file name of a Jobcenter's report (and of its agreement in its own folder):
/// `05554_kreis-borken.pdf`.
pub fn file_name(id: &str, name: &str) -> String {
    format!("{id}_{}.pdf", slug(name))
}

/// The file name of a Jobcenter's invitation draft: `05554_kreis-borken.eml`.
pub fn draft_file(id: &str, name: &str) -> String {
    format!("{id}_{}.eml", slug(name))
}

/// The file name of the calendar entry attached to an invitation:
/// `steuerungsdialog_05554_2018-10-16.ics`.
pub fn calendar_file(id: &str, day: chrono::NaiveDate) -> String {
    format!("steuerungsdialog_{id}_{}", day.format("%Y-%m-%d.ics"))
}

/// The name in lower case, ASCII with `ae oe ue ss`, words joined by `-`, at most 60
/// characters.
pub fn slug(name: &str) -> String {
    let mut ascii = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => ascii.push_str("ae"),
            'ö' => ascii.push_str("oe"),
            'ü' => ascii.push_str("ue"),
            'ß' => ascii.push_str("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' => ascii.push('a'),
            'ç' => ascii.push('c'),
            'è' | 'é' | 'ê' | 'ë' => ascii.push('e'),
            'ì' | 'í' | 'î' | 'ï' => ascii.push('i'),
            'ñ' => ascii.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' => ascii.push('o'),
            'ù' | 'ú' | 'û' => ascii.push('u'),
            'ý' | 'ÿ' => ascii.push('y'),
            c if c.is_ascii_alphanumeric() => ascii.push(c),
            _ => ascii.push(' '),
        }
    }
    let mut out = String::new();
    for word in ascii.split_whitespace() {
        if out.len() + word.len() + usize::from(!out.is_empty()) > 60 {
            if out.is_empty() {
                out.push_str(&word[..60]);
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        "jobcenter".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            draft_file("05554", "Kreis Borken"),
            "05554_kreis-borken.eml"
        );
        assert_eq!(
            calendar_file(
                "05554",
                chrono::NaiveDate::from_ymd_opt(2018, 10, 16).unwrap()
            ),
            "steuerungsdialog_05554_2018-10-16.ics"
        );
        assert_eq!(file_name("05554", "Kreis Borken"), "05554_kreis-borken.pdf");
        assert_eq!(
            slug("Stadt Mülheim an der Ruhr"),
            "stadt-muelheim-an-der-ruhr"
        );
        assert_eq!(slug("Kreis Düren / Süd-Weiß"), "kreis-dueren-sued-weiss");
        assert_eq!(slug("Kreis #x *y* $z$"), "kreis-x-y-z");
        let long = slug(&"Sehr langer Kreisname ".repeat(10));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }
}
