//! The header of an input file: which known column stands where, what an unknown header
//! name may have meant, and the hint for a title row or German labels in place of the
//! header (contract v4, 1.2).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::csv::{self, Table};
use super::{cells, xlsx};
use crate::error::{InputError, ReadMessage, Warning};

/// The known column `name` may have meant (contract v4, 1.2): one equal to it after
/// removing spaces, `_` and `-`, else the nearest within an edit distance of 2 (an
/// adjacent swap counts one) that is less than the length of the shorter name, so that
/// `id` is not taken for `bg`. Names come lower case.
pub(crate) fn close_to<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-') && !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let squashed = squash(name);
    if let Some(k) = known.iter().find(|k| squash(k) == squashed) {
        return Some(*k);
    }
    let length = name.chars().count();
    known
        .iter()
        .filter(|k| k.len().abs_diff(length) <= 2)
        .map(|k| (strsim::osa_distance(name, k), *k))
        .filter(|&(d, k)| d <= 2 && d < length.min(k.len()))
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// Warnings for the header names of `table` that are no known column, each with the
/// known column it may have meant; in a workbook located at the header cell.
pub(crate) fn unknown_columns(
    path: &Path,
    table: &Table,
    sheet: Option<&xlsx::Sheet>,
    known: &[&str],
    warnings: &mut Vec<Warning>,
) {
    for (i, name) in table.header.iter().enumerate() {
        if name.is_empty() || known.contains(&name.as_str()) {
            continue;
        }
        let message = ReadMessage::UnknownColumn {
            name: name.clone(),
            meant: close_to(name, known).map(str::to_string),
        };
        let mut w = InputError::at(path, table.header_line, message);
        w.cell = sheet.map(|s| s.header_cell(table.header_line, i));
        warnings.push(w);
    }
}

/// German words that mark a header of labels rather than column names.
const LABEL_WORDS: [&str; 12] = [
    "integrationen",
    "monat",
    "jahr",
    "kreis",
    "kreisschlüssel",
    "bundesland",
    "bedarfsgemeinschaften",
    "leistungsberechtigte",
    "langzeitleistungsbeziehende",
    "zielwert",
    "kennzahl",
    "datum",
];

/// Why the required columns are missing, if a hint can say it in one message: a row
/// below the header holds them (a title above the header), or the header holds German
/// labels instead of the column names.
fn header_hint(
    table: &Table,
    required: &[&str],
    known: &[&str],
    missing: &[&str],
) -> Option<ReadMessage> {
    // A title row: a row further down holds every required name (also split by `;`,
    // `,` or tab, as a CSV file's delimiter was taken from the title line).
    for record in table.preview() {
        let names: HashSet<String> = record
            .cells
            .iter()
            .flat_map(|c| c.split([';', ',', '\t']))
            .map(|c| c.trim().trim_matches('"').trim().to_lowercase())
            .collect();
        if required.iter().all(|r| names.contains(*r)) {
            return Some(ReadMessage::TitleRow {
                header_row: record.line,
            });
        }
    }
    let labels: Vec<String> = table
        .header
        .iter()
        .filter(|n| !n.is_empty() && !known.contains(&n.as_str()) && close_to(n, known).is_none())
        .filter(|n| {
            !n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                || LABEL_WORDS.contains(&n.as_str())
        })
        .cloned()
        .collect();
    if labels.is_empty() {
        return None;
    }
    Some(ReadMessage::GermanLabels {
        labels: labels.into_iter().take(6).collect(),
        missing: missing.iter().map(|m| (*m).to_string()).collect(),
    })
}

/// Column lookup for one file: header name → cell index (shared with the termine file of
/// `invite`).
pub(crate) struct Columns<'a> {
    path: &'a Path,
    index: HashMap<&'a str, usize>,
    width: usize,
    names: &'a [String],
}

impl<'a> Columns<'a> {
    /// Maps the known columns; a missing required or doubled known column is an error.
    /// Missing required columns are one hint where the header is a title or German
    /// labels, else one error each, naming a header name close to it.
    pub(crate) fn new(
        path: &'a Path,
        table: &'a Table,
        required: &[&'a str],
        optional: &[&'a str],
        errors: &mut Vec<InputError>,
    ) -> Option<Self> {
        let mut index = HashMap::new();
        let mut ok = true;
        for (i, name) in table.header.iter().enumerate() {
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                continue;
            }
            if index.insert(name.as_str(), i).is_some() {
                errors.push(InputError::cell(
                    path,
                    table.header_line,
                    name,
                    "erwartet wird jede bekannte Spalte einmal, sie steht zweimal in der Kopfzeile",
                ));
                ok = false;
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|name| !index.contains_key(name))
            .collect();
        if !missing.is_empty() {
            ok = false;
            let known: Vec<&str> = required.iter().chain(optional).copied().collect();
            if let Some(hint) = header_hint(table, required, &known, &missing) {
                errors.push(InputError::at(path, table.header_line, hint));
            } else {
                for name in missing {
                    // A header name close to the missing column, itself no known column.
                    let near = table
                        .header
                        .iter()
                        .filter(|h| !h.is_empty() && !known.contains(&h.as_str()))
                        .find(|h| close_to(h, &[name]).is_some())
                        .cloned();
                    errors.push(InputError::at(
                        path,
                        table.header_line,
                        ReadMessage::MissingColumn {
                            name: name.to_string(),
                            near,
                        },
                    ));
                }
            }
        }
        ok.then_some(Self {
            path,
            index,
            width: table.header.len(),
            names: &table.header,
        })
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The cell of `name` in `record`, if the column exists.
    pub(crate) fn get<'r>(&self, record: &'r csv::Record, name: &str) -> Option<&'r str> {
        self.index.get(name).map(|&i| record.cells[i].as_str())
    }

    /// A cell of a known column holding a control character or a character no report can
    /// show is an error (with its code point); returns false then.
    pub(crate) fn check_text(&self, record: &csv::Record, errors: &mut Vec<InputError>) -> bool {
        let mut ok = true;
        for (name, &i) in &self.index {
            if let Some(c) = record
                .cells
                .get(i)
                .and_then(|cell| cells::unprintable(cell))
            {
                errors.push(InputError::cell(
                    self.path,
                    record.line,
                    name,
                    cells::unprintable_message(c),
                ));
                ok = false;
            }
        }
        ok
    }

    /// A short record is an error; returns false then.
    pub(crate) fn check_width(&self, record: &csv::Record, errors: &mut Vec<InputError>) -> bool {
        if record.cells.len() < self.width {
            errors.push(InputError::cell(
                self.path,
                record.line,
                &self.names[record.cells.len()],
                format!(
                    "erwartet werden {} Zellen wie in der Kopfzeile, gefunden wurden {}",
                    self.width,
                    record.cells.len()
                ),
            ));
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Col;

    /// `Col::required()` picks the seven value columns the contract requires of
    /// `monatswerte.csv` (data-contract.md 1.1: `jobcenter`, `monat`, `elb`, `bg`, `int`,
    /// `lzb`, `int_lzb`, `llu_eur`, `kdu_eur`; the first two are the row's key). It is
    /// `index < 7`, so a column inserted before `kdu_eur` would silently become required.
    #[test]
    fn required_columns_are_the_seven_of_the_contract() {
        let required: Vec<&str> = Col::ALL
            .iter()
            .filter(|c| c.required())
            .map(|c| c.name())
            .collect();
        assert_eq!(
            required,
            ["elb", "bg", "int", "lzb", "int_lzb", "llu_eur", "kdu_eur"]
        );
    }
}
