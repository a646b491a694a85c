//! The CSV dialects German offices deliver: UTF-8 (with or without byte-order mark) or
//! Windows-1252, `;` or `,` taken from the header line, RFC 4180 quoting, LF/CRLF/CR line
//! ends. Every record keeps the line it starts on, so that later messages can name it.

use std::path::Path;

use crate::error::InputError;

/// The field delimiter, which also fixes the number format of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `;`: decimal comma, `.` groups thousands.
    Semicolon,
    /// `,`: decimal point, no grouping.
    Comma,
}

impl Delimiter {
    fn byte(self) -> char {
        match self {
            Self::Semicolon => ';',
            Self::Comma => ',',
        }
    }
}

/// One data record: the line it starts on and its trimmed cells.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A decoded file: header names (trimmed, lower case) and records.
#[derive(Debug)]
pub struct Table {
    pub delimiter: Delimiter,
    pub header: Vec<String>,
    /// The line of the header (1 unless blank lines precede it).
    pub header_line: usize,
    pub records: Vec<Record>,
    /// True when the bytes were not UTF-8 and were read as Windows-1252.
    pub windows_1252: bool,
}

/// Decodes bytes: UTF-8 (a BOM is dropped), else Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, bool) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_string(), false)
    } else {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        (text.into_owned(), true)
    }
}

/// Picks the delimiter from the header line: `;` when it holds at least one `;` and no
/// fewer `;` than `,`.
pub fn sniff_delimiter(header_line: &str) -> Delimiter {
    let semicolons = header_line.matches(';').count();
    let commas = header_line.matches(',').count();
    if semicolons >= 1 && semicolons >= commas {
        Delimiter::Semicolon
    } else {
        Delimiter::Comma
    }
}

/// Parses a whole file. Fails only on a missing header or an unterminated quote.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Table, InputError> {
    let (text, windows_1252) = decode(bytes);
    // The header is the first line that is not blank (blank lines count for numbering).
    let first_line = text
        .split(['\n', '\r'])
        .find(|l| !l.chars().all(|c| c.is_whitespace() || c == ';' || c == ','))
        .unwrap_or("");
    let delimiter = sniff_delimiter(first_line);
    let mut rows = split_records(path, &text, delimiter.byte())?.into_iter();

    let (header, header_line) = loop {
        match rows.next() {
            Some(record) if record.cells.iter().all(|c| c.trim().is_empty()) => {}
            Some(record) => {
                let names = record
                    .cells
                    .iter()
                    .map(|c| c.trim().to_lowercase())
                    .collect::<Vec<_>>();
                break (names, record.line);
            }
            None => {
                return Err(InputError::at(
                    path,
                    1,
                    "expected a header line, found an empty file",
                ));
            }
        }
    };
    let records = rows
        .filter(|r| !r.cells.iter().all(|c| c.trim().is_empty()))
        .map(|mut r| {
            for cell in &mut r.cells {
                let trimmed = cell.trim();
                if trimmed.len() != cell.len() {
                    *cell = trimmed.to_string();
                }
            }
            r
        })
        .collect();
    Ok(Table {
        delimiter,
        header,
        header_line,
        records,
        windows_1252,
    })
}

/// RFC 4180 splitting with line tracking. Blank lines yield records whose cells are all
/// empty (callers skip them); they still advance the line counter.
fn split_records(path: &Path, text: &str, delimiter: char) -> Result<Vec<Record>, InputError> {
    let mut records = Vec::new();
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut in_quotes = false;
    let mut quote_line = 0;
    let mut chars = text.chars().peekable();
    let mut at_record_start = true;

    while let Some(c) = chars.next() {
        at_record_start = false;
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => in_quotes = false,
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    cell.push('\n');
                }
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.trim().is_empty() => {
                cell.clear();
                in_quotes = true;
                quote_line = line;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                cells.push(std::mem::take(&mut cell));
                records.push(Record {
                    line: record_line,
                    cells: std::mem::take(&mut cells),
                });
                line += 1;
                record_line = line;
                at_record_start = true;
            }
            c if c == delimiter => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    if in_quotes {
        return Err(InputError::at(
            path,
            quote_line,
            "expected a closing quote (\") for the quoted cell, found the end of the file",
        ));
    }
    if !at_record_start {
        cells.push(cell);
        records.push(Record {
            line: record_line,
            cells,
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &[u8]) -> Table {
        parse(Path::new("t.csv"), text).unwrap()
    }

    #[test]
    fn semicolon_wins_ties_and_needs_at_least_one() {
        assert_eq!(sniff_delimiter("a;b,c"), Delimiter::Semicolon);
        assert_eq!(sniff_delimiter("a;b,c,d"), Delimiter::Comma);
        assert_eq!(sniff_delimiter("abc"), Delimiter::Comma);
    }

    #[test]
    fn line_numbers_count_blank_lines_and_all_line_ends() {
        let t = table(b"A ; B\r\n1;2\r\n\r\n;;\n3;4\r5;\"x\ny\"\n6;7");
        assert_eq!(t.header, vec!["a", "b"]);
        let lines: Vec<_> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 5, 6, 8]);
        assert_eq!(t.records[2].cells, vec!["5", "x\ny"]);
    }

    #[test]
    fn quotes_escape_and_delimiters_inside() {
        let t = table(b"name,land\n\"Kreis \"\"A\"\", B\",NRW\n");
        assert_eq!(t.records[0].cells, vec!["Kreis \"A\", B", "NRW"]);
    }

    #[test]
    fn windows_1252_is_the_fallback_and_bom_is_dropped() {
        let t = table(b"name;land\nK\xf6ln;NRW\n");
        assert!(t.windows_1252);
        assert_eq!(t.records[0].cells[0], "Köln");
        let t = table("\u{feff}name;land\nKöln;NRW\n".as_bytes());
        assert!(!t.windows_1252);
        assert_eq!(t.header[0], "name");
    }

    #[test]
    fn unterminated_quote_names_its_line() {
        let e = parse(Path::new("t.csv"), b"a;b\n1;2\n\"open;3\n").unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}
