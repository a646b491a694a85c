//! Typed errors. An [`InputError`] always names the file, and where it can, the line
//! (the header is line 1) and the column, and says what was expected — it is what the
//! user reads to fix a delivery.

use std::fmt;
use std::fmt::Write as _;
use std::path::PathBuf;

/// One problem with one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<String>,
    /// Where a workbook's problem sits as the user sees it in Excel: `Tabelle1!E17`
    /// (a cell) or `Tabelle1 row 17` (a whole row). Printed instead of `:line`; CSV
    /// files leave it empty.
    pub cell: Option<String>,
    pub message: String,
}

impl InputError {
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
            cell: None,
            message: message.into(),
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: None,
            cell: None,
            message: message.into(),
        }
    }

    pub fn cell(
        file: impl Into<PathBuf>,
        line: usize,
        column: &str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: Some(column.to_string()),
            cell: None,
            message: message.into(),
        }
    }
}

impl InputError {
    /// A chosen Berichtsmonat (`option`, e.g. `--month 2028-09`) for which `file` holds no
    /// row of any Jobcenter, naming the latest month that has data (contract 4, v4): a year
    /// typo must not give a folder of reports full of „k. A.“.
    pub fn month_without_rows(
        file: impl Into<PathBuf>,
        option: &str,
        (year, month): (i32, u32),
        latest: Option<(i32, u32)>,
    ) -> Self {
        let file = file.into();
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let latest = match latest {
            Some((y, m)) => format!(
                "die letzten Daten sind von {}",
                crate::format::month_long(y, m)
            ),
            None => "sie enthält keine Daten".to_string(),
        };
        Self::file(
            file,
            format!(
                "{option}: {name} enthält keine Zeile für {}; {latest}.",
                crate::format::month_long(year, month)
            ),
        )
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(cell) = &self.cell {
            write!(f, ": {cell}")?;
        } else if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(column) = &self.column {
            write!(f, "Spalte \"{column}\": ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// A well-formed but implausible input, reported while the run goes on.
pub type Warning = InputError;

/// Everything that ends a command early.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data folder cannot be used; exit status 2, nothing written.
    #[error("{}", input_errors(.0))]
    Input(Vec<InputError>),
    /// The command line is unusable; exit status 2, nothing written.
    #[error("{0}")]
    Usage(String),
    /// Writing the output failed.
    #[error("{}", write_failed(path, source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Rendering could not even start (templates or fonts unusable).
    #[error("{0}")]
    Render(String),
    /// A refusal that leaves everything as it was (exit status 2), e.g. an archive edition
    /// that already exists.
    #[error("{0}")]
    Refused(String),
}

impl Error {
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Write {
            path: path.into(),
            source,
        }
    }
}

fn input_errors(errors: &[InputError]) -> crate::messages::Msg {
    crate::messages::Msg::InputErrors {
        count: errors.len(),
        lines: join_lines(errors),
    }
}

fn write_failed(path: &std::path::Path, source: &std::io::Error) -> crate::messages::Msg {
    crate::messages::Msg::WriteFailed {
        path: path.display().to_string(),
        why: source.to_string(),
    }
}

fn join_lines(errors: &[InputError]) -> String {
    // The loader keeps 100 errors and a line counting the others: all of them are shown.
    const SHOWN: usize = 101;
    let mut out = String::new();
    for error in errors.iter().take(SHOWN) {
        out.push_str("  ");
        out.push_str(&error.to_string());
        out.push('\n');
    }
    if errors.len() > SHOWN {
        let _ = writeln!(out, "  … und {} weitere", errors.len() - SHOWN);
    }
    out.pop();
    out
}

/// Exit status of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything written (or verified).
    Ok = 0,
    /// Some units failed; the others were written (or some files did not verify).
    Partial = 1,
    /// Unusable arguments or input; nothing written.
    Unusable = 2,
    /// An internal error of the program (a panic): a defect to report, not the input.
    Internal = 3,
}

/// The texts of the readers' messages about a file's header and shape (contract v4, 1.2
/// and 1.3), German as the user reads them. Each becomes the message of an
/// [`InputError`] (error or warning) that carries file and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadMessage {
    /// A header name that is no known column, and the known column it may have meant.
    UnknownColumn { name: String, meant: Option<String> },
    /// A required column is missing from the header; `near` is a header name close to it.
    MissingColumn { name: String, near: Option<String> },
    /// The required columns are missing from the first row, but a row below holds them
    /// (a title above the header).
    TitleRow { header_row: usize },
    /// The header holds German labels instead of the column names.
    GermanLabels {
        labels: Vec<String>,
        missing: Vec<String>,
    },
    /// Hidden worksheets before the first visible one, which is read.
    HiddenSheets { hidden: Vec<String>, read: String },
    /// A workbook without a visible worksheet.
    NoVisibleSheet,
    /// A part of the workbook that decompresses to more than the limit.
    PartTooLarge { part: String, size: u64 },
    /// A part of the workbook with more XML elements than the limit.
    PartTooManyElements { part: String, limit: u64 },
    /// A part of the workbook with a text or tag longer than the limit.
    PartLongText { part: String, limit: u64 },
    /// A worksheet with more cells than the limit.
    TooManyCells { sheet: String, limit: u64 },
    /// The table of a worksheet (header columns × data rows) larger than the limit.
    TableTooLarge {
        sheet: String,
        columns: u64,
        rows: u64,
        limit: u64,
    },
    /// Input errors found beyond the ones listed.
    MoreErrors { count: usize },
}

/// A count with German thousands dots: 12345 → `12.345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for ReadMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownColumn { name, meant: None } => {
                write!(f, "unbekannte Spalte \"{name}\" wird nicht gelesen")
            }
            Self::UnknownColumn {
                name,
                meant: Some(meant),
            } => write!(
                f,
                "unbekannte Spalte \"{name}\" wird nicht gelesen – gemeint ist vermutlich \"{meant}\""
            ),
            Self::MissingColumn { name, near: None } => {
                write!(f, "Pflichtspalte \"{name}\" fehlt in der Kopfzeile")
            }
            Self::MissingColumn {
                name,
                near: Some(near),
            } => write!(
                f,
                "Pflichtspalte \"{name}\" fehlt in der Kopfzeile – ist die Spalte \"{near}\" gemeint? Bitte die Überschrift korrigieren"
            ),
            Self::TitleRow { header_row } => write!(
                f,
                "die Pflichtspalten fehlen in der ersten Zeile, aber Zeile {header_row} sieht aus wie die Kopfzeile: die Kopfzeile muss die erste nicht leere Zeile sein; bitte die Zeilen darüber (Titel, Leerzeilen mit Text) löschen"
            ),
            Self::GermanLabels { labels, missing } => write!(
                f,
                "die Kopfzeile enthält Bezeichnungen ({}) statt der Spaltennamen; es fehlen die Pflichtspalten {}. `zielbericht vorlage` schreibt eine Vorlage mit der richtigen Kopfzeile (die Erläuterungen stehen dort als Notiz an jeder Spalte)",
                quoted_list(labels),
                quoted_list(missing)
            ),
            Self::HiddenSheets { hidden, read } => write!(
                f,
                "{} {} {} ausgeblendet und {} nicht gelesen; gelesen wird das erste sichtbare Tabellenblatt \"{read}\"",
                if hidden.len() == 1 {
                    "das Tabellenblatt"
                } else {
                    "die Tabellenblätter"
                },
                quoted_list(hidden),
                if hidden.len() == 1 { "ist" } else { "sind" },
                if hidden.len() == 1 { "wird" } else { "werden" },
            ),
            Self::NoVisibleSheet => write!(
                f,
                "die Arbeitsmappe enthält kein sichtbares Tabellenblatt; bitte das Blatt mit den Daten einblenden"
            ),
            Self::PartTooLarge { part, size } => write!(
                f,
                "die Arbeitsmappe wird nicht gelesen: ihr Teil \"{part}\" wäre entpackt {} Bytes groß, erlaubt ist höchstens 1 GiB (eine echte Datenlieferung ist weit kleiner); bitte die Datei neu aus Excel speichern",
                thousands(*size)
            ),
            Self::PartTooManyElements { part, limit } => write!(
                f,
                "die Arbeitsmappe wird nicht gelesen: ihr Teil \"{part}\" enthält mehr als {} Einträge, weit mehr als eine Datenlieferung braucht; bitte die Datei neu aus Excel speichern",
                thousands(*limit)
            ),
            Self::PartLongText { part, limit } => write!(
                f,
                "die Arbeitsmappe wird nicht gelesen: ihr Teil \"{part}\" enthält einen Text von mehr als {} Bytes (eine Excel-Zelle fasst höchstens 32.767 Zeichen); bitte die Datei neu aus Excel speichern",
                thousands(*limit)
            ),
            Self::TooManyCells { sheet, limit } => write!(
                f,
                "die Arbeitsmappe wird nicht gelesen: das Tabellenblatt \"{sheet}\" enthält mehr als {} Zellen mit Inhalt; bitte die Daten auf die Spalten und Zeilen der Lieferung beschränken",
                thousands(*limit)
            ),
            Self::TableTooLarge {
                sheet,
                columns,
                rows,
                limit,
            } => write!(
                f,
                "die Arbeitsmappe wird nicht gelesen: die Tabelle im Blatt \"{sheet}\" umfasst {} Spalten × {} Zeilen, mehr als {} Zellen; bitte überzählige Überschriften und Zellen weit außerhalb der Daten löschen",
                thousands(*columns),
                thousands(*rows),
                thousands(*limit)
            ),
            Self::MoreErrors { count } => write!(
                f,
                "… und {} weitere Fehler (nicht einzeln aufgeführt; erst die obigen beheben)",
                thousands(*count as u64)
            ),
        }
    }
}

impl From<ReadMessage> for String {
    fn from(m: ReadMessage) -> Self {
        m.to_string()
    }
}
