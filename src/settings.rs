//! The settings file `zielbericht.toml`: the folders, the sender, the SMTP server, the
//! tolerance and the number of jobs of a workplace, so that the quarterly command is not
//! typed with eight flags. Its keys are named as the flags they stand for; a key applies
//! to every command that has that flag. What counts, highest first: a flag on the command
//! line, its environment variable, the settings file, the built-in default.
//!
//! The file is `zielbericht.toml` in the working folder, or the one named by `--settings`
//! (or `ZIELBERICHT_SETTINGS`). A relative path in it counts from the file's folder. The
//! SMTP password never stands in it (only in `ZIELBERICHT_SMTP_PASSWORD`). A syntax error,
//! an unknown key or a value of the wrong kind is an input error naming file and line.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::domain::decimal::parse_tolerance_arg;
use crate::domain::host_port::parse_host_port;
use crate::error::{Error, InputError};
use crate::messages::Msg;

/// The name of the settings file looked for in the working folder.
pub const FILE: &str = "zielbericht.toml";

/// The option naming another settings file, and its environment variable.
pub const OPTION: &str = "--settings";
pub const ENV: &str = "ZIELBERICHT_SETTINGS";

/// One value of the file: a path or text, a number, a switch or a list of paths.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Value {
    Integer(i64),
    Float(f64),
    Text(String),
    List(Vec<String>),
    /// Anything else (a switch, a table): always the wrong kind.
    Other(serde::de::IgnoredAny),
}

/// The keys of the file (the long names of the flags they stand for).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    data: Option<Spanned<String>>,
    out: Option<Spanned<String>>,
    archive: Option<Spanned<String>>,
    templates: Option<Spanned<String>>,
    font_path: Option<Spanned<Value>>,
    from: Option<Spanned<String>>,
    smtp: Option<Spanned<String>>,
    smtp_timeout: Option<Spanned<Value>>,
    starttls: Option<Spanned<bool>>,
    user: Option<Spanned<String>>,
    tolerance: Option<Spanned<Value>>,
    jobs: Option<Spanned<Value>>,
}

/// The settings that apply to this command: the file they came from and, per flag (its
/// long name), the default value(s) it gives.
#[derive(Debug, Default, Clone)]
pub struct Settings {
    pub file: Option<PathBuf>,
    pub defaults: Vec<(&'static str, Vec<OsString>)>,
}

/// Finds and reads the settings for the command line `args` (program name first): the file
/// named by `--settings FILE` / `--settings=FILE` (or `ZIELBERICHT_SETTINGS`), else
/// `zielbericht.toml` in the working folder when it exists; none is no error.
pub fn for_args(args: &[OsString]) -> Result<Settings, Error> {
    let named = named_file(args).or_else(|| std::env::var_os(ENV).filter(|v| !v.is_empty()));
    let path = if let Some(path) = named {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return Err(Error::Input(vec![InputError::file(
                &path,
                Msg::SettingsMissing.to_string(),
            )]));
        }
        path
    } else {
        let path = PathBuf::from(FILE);
        if !path.is_file() {
            return Ok(Settings::default());
        }
        path
    };
    read(&path)
}

/// The value of `--settings` in `args`, if given (before the subcommand or after it).
fn named_file(args: &[OsString]) -> Option<OsString> {
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        if arg == "--" {
            return None;
        }
        if arg == OPTION {
            return iter.next().cloned();
        }
        if let Some(value) = arg
            .to_str()
            .and_then(|a| a.strip_prefix(OPTION)?.strip_prefix('='))
        {
            return Some(value.into());
        }
    }
    None
}

/// Reads one settings file.
pub fn read(path: &Path) -> Result<Settings, Error> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::Input(vec![InputError::file(
            path,
            Msg::SettingsUnreadable { why: e.to_string() }.to_string(),
        )])
    })?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(Error::Input(vec![InputError::file(
            path,
            Msg::SettingsNotUtf8.to_string(),
        )]));
    };
    let file: File = toml::from_str(&text).map_err(|e| {
        let message = crate::messages::toml_message(e.message());
        let error = match e.span() {
            Some(span) => InputError::at(path, line_of(&text, span.start), message),
            None => InputError::file(path, message),
        };
        Error::Input(vec![error])
    })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let mut out = Settings {
        file: Some(path.to_path_buf()),
        defaults: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut bad = |span: std::ops::Range<usize>, key: &str, expected: &str| {
        errors.push(InputError::at(
            path,
            line_of(&text, span.start),
            Msg::SettingsBadValue {
                key: key.to_string(),
                expected: expected.to_string(),
            }
            .to_string(),
        ));
    };
    for (key, value) in [
        ("data", &file.data),
        ("out", &file.out),
        ("archive", &file.archive),
        ("templates", &file.templates),
    ] {
        if let Some(value) = value {
            if value.get_ref().trim().is_empty() {
                bad(value.span(), key, "ein Ordner");
            } else {
                out.defaults
                    .push((key, vec![resolve(base, value.get_ref()).into()]));
            }
        }
    }
    if let Some(value) = &file.font_path {
        match value.get_ref() {
            Value::Text(one) if !one.trim().is_empty() => out
                .defaults
                .push(("font-path", vec![resolve(base, one).into()])),
            Value::List(many) if many.iter().all(|p| !p.trim().is_empty()) => out.defaults.push((
                "font-path",
                many.iter().map(|p| resolve(base, p).into()).collect(),
            )),
            _ => bad(
                value.span(),
                "font-path",
                "ein Ordner oder eine Liste von Ordnern",
            ),
        }
    }
    if let Some(value) = &file.from {
        out.defaults.push(("from", vec![value.get_ref().into()]));
    }
    if let Some(value) = &file.user {
        out.defaults.push(("user", vec![value.get_ref().into()]));
    }
    if let Some(value) = &file.smtp {
        match parse_host_port(value.get_ref()) {
            Ok(_) => out.defaults.push(("smtp", vec![value.get_ref().into()])),
            Err(_) => bad(
                value.span(),
                "smtp",
                "HOST:PORT, z. B. \"mail.behoerde.de:587\"",
            ),
        }
    }
    if let Some(value) = &file.starttls {
        out.defaults
            .push(("starttls", vec![value.get_ref().to_string().into()]));
    }
    if let Some(value) = &file.smtp_timeout {
        match value.get_ref() {
            Value::Integer(n) if (1..=3600).contains(n) => out
                .defaults
                .push(("smtp-timeout", vec![n.to_string().into()])),
            _ => bad(
                value.span(),
                "smtp-timeout",
                "eine ganze Zahl von Sekunden von 1 bis 3600",
            ),
        }
    }
    if let Some(value) = &file.jobs {
        match value.get_ref() {
            Value::Integer(n) if (1..=1024).contains(n) => {
                out.defaults.push(("jobs", vec![n.to_string().into()]));
            }
            _ => bad(value.span(), "jobs", "eine ganze Zahl von 1 bis 1024"),
        }
    }
    if let Some(value) = &file.tolerance {
        let text = match value.get_ref() {
            Value::Float(x) => Some(x.to_string()),
            Value::Integer(n) => Some(n.to_string()),
            Value::Text(t) => Some(t.replace(',', ".")),
            _ => None,
        };
        match text.filter(|t| parse_tolerance_arg(t).is_ok()) {
            Some(t) => out.defaults.push(("tolerance", vec![t.into()])),
            None => bad(
                value.span(),
                "tolerance",
                "Prozentpunkte wie 1.0 (nicht negativ)",
            ),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(errors))
    }
}

/// A path of the file, relative to the file's own folder.
fn resolve(base: &Path, value: &str) -> PathBuf {
    let value = Path::new(value);
    if value.is_absolute() || base.as_os_str().is_empty() {
        value.to_path_buf()
    } else {
        base.join(value)
    }
}

/// The line (from 1) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// `command` with the settings' values as the defaults of the flags they name, in every
/// subcommand that has such a flag (a flag or its environment variable still wins).
pub fn apply(mut command: clap::Command, settings: &Settings) -> clap::Command {
    if settings.defaults.is_empty() {
        return command;
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        command = command.mut_subcommand(name, |mut sub| {
            for (flag, values) in &settings.defaults {
                let id = sub
                    .get_arguments()
                    .find(|a| a.get_long() == Some(flag))
                    .map(|a| a.get_id().clone());
                if let Some(id) = id {
                    let values = values.clone();
                    sub = sub.mut_arg(id, move |arg| {
                        arg.default_values(values.into_iter().map(clap::builder::OsStr::from))
                    });
                }
            }
            sub
        });
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_named_file_in_either_spelling() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            named_file(&args(&["z", "--settings", "a.toml", "run"])),
            Some("a.toml".into())
        );
        assert_eq!(
            named_file(&args(&["z", "run", "--settings=b.toml"])),
            Some("b.toml".into())
        );
        assert_eq!(named_file(&args(&["z", "run", "--", "--settings"])), None);
    }

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }
}
