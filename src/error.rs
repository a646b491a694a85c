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
            write!(f, "column \"{column}\": ")?;
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
    #[error("{} input error(s):\n{}", .0.len(), join_lines(.0))]
    Input(Vec<InputError>),
    /// The command line is unusable; exit status 2, nothing written.
    #[error("{0}")]
    Usage(String),
    /// Writing the output failed.
    #[error("cannot write {path}: {source}")]
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

fn join_lines(errors: &[InputError]) -> String {
    const SHOWN: usize = 50;
    let mut out = String::new();
    for error in errors.iter().take(SHOWN) {
        out.push_str("  ");
        out.push_str(&error.to_string());
        out.push('\n');
    }
    if errors.len() > SHOWN {
        let _ = writeln!(out, "  … and {} more", errors.len() - SHOWN);
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
}
