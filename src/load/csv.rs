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

/// A decoded file: header names (trimmed, lower case) and the records below. A CSV file's
/// records are split on demand ([`Table::records`]) so that a large file is never held as
/// cells; a workbook's (see `load::xlsx`) come as cells already.
#[derive(Debug)]
pub struct Table {
    pub delimiter: Delimiter,
    /// The character between cells: the delimiter's, or a tab (Excel's "Unicode text").
    separator: char,
    pub header: Vec<String>,
    /// The line of the header (1 unless blank lines precede it).
    pub header_line: usize,
    body: Body,
}

/// Where a table's records come from.
#[derive(Debug)]
enum Body {
    /// The decoded text, and the byte offset and line number where the records start.
    Text(String, usize, usize),
    /// A worksheet's records, kept compactly (the line is the sheet row).
    Sheet(SheetRows),
}

/// A worksheet's records, compact: every cell text in one string, per record its line and
/// first cell, per cell its header position and the end of its text — a few bytes per
/// cell, never a dense range of rows × columns. Only non-empty cells are kept.
#[derive(Debug, Default)]
pub struct SheetRows {
    text: String,
    /// Per record: its line and the index of its first cell in `cells`.
    rows: Vec<(usize, usize)>,
    /// Per cell: its header position and the end of its text in `text`.
    cells: Vec<(u32, usize)>,
    /// The first rows below the header with all their cells, also those beside the
    /// header's columns (to recognise a header below a title, see [`Table::preview`]).
    preview: Vec<Record>,
}

impl SheetRows {
    /// Starts a record at `line`.
    pub fn push_row(&mut self, line: usize) {
        self.rows.push((line, self.cells.len()));
    }

    /// Adds a cell at header position `position` to the last record.
    pub fn push_cell(&mut self, position: usize, text: &str) {
        self.text.push_str(text);
        let position = u32::try_from(position).unwrap_or(u32::MAX);
        self.cells.push((position, self.text.len()));
    }

    /// Adds a cell of sheet row `line` to the preview, while it holds fewer than
    /// [`PREVIEW_ROWS`] rows.
    pub fn preview_cell(&mut self, line: usize, text: &str) {
        let rows = self.preview.len();
        match self.preview.last_mut() {
            Some(record) if record.line == line => record.cells.push(text.to_string()),
            _ if rows < PREVIEW_ROWS => self.preview.push(Record {
                line,
                cells: vec![text.to_string()],
            }),
            _ => {}
        }
    }

    /// The bytes of cell text kept.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The number of records.
    pub fn count(&self) -> usize {
        self.rows.len()
    }

    /// Record `i` with `width` cells, those not kept empty.
    fn record(&self, i: usize, width: usize) -> Record {
        let (line, first) = self.rows[i];
        let last = self.rows.get(i + 1).map_or(self.cells.len(), |r| r.1);
        let mut cells = vec![String::new(); width];
        let mut start = if first == 0 {
            0
        } else {
            self.cells[first - 1].1
        };
        for &(position, end) in &self.cells[first..last] {
            if let Some(cell) = cells.get_mut(position as usize) {
                self.text[start..end].clone_into(cell);
            }
            start = end;
        }
        Record { line, cells }
    }
}

/// The rows below the header a hint looks at.
pub const PREVIEW_ROWS: usize = 50;

impl Table {
    /// The first [`PREVIEW_ROWS`] records below the header with all their cells (in a
    /// worksheet also those beside the header's columns, in no particular order).
    pub fn preview(&self) -> Vec<Record> {
        match &self.body {
            Body::Sheet(rows) => rows.preview.clone(),
            Body::Text(..) => self.records().take(PREVIEW_ROWS).collect(),
        }
    }

    /// A table of a worksheet's records, read by the rules of a `;` file (a worksheet's
    /// text cells follow German Excel: decimal comma).
    pub fn from_sheet(header: Vec<String>, header_line: usize, rows: SheetRows) -> Self {
        Self {
            delimiter: Delimiter::Semicolon,
            separator: ';',
            header,
            header_line,
            body: Body::Sheet(rows),
        }
    }

    /// The data records, blank lines skipped, cells trimmed.
    pub fn records(&self) -> impl Iterator<Item = Record> + '_ {
        let (text, sheet) = match &self.body {
            Body::Text(text, offset, line) => (
                Some(Records::new(&text[*offset..], *line, self.separator)),
                None,
            ),
            Body::Sheet(rows) => {
                let width = self.header.len();
                (
                    None,
                    Some((0..rows.count()).map(move |i| rows.record(i, width))),
                )
            }
        };
        text.into_iter()
            .flatten()
            .chain(sheet.into_iter().flatten())
            .filter(|r| !r.cells.iter().all(String::is_empty))
    }

    /// Whether the file has at least one data record.
    pub fn has_records(&self) -> bool {
        self.records().next().is_some()
    }
}

/// The most an input file may hold; a larger one is an input error, read no further.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Reads an input file: only a regular file (a FIFO, a device such as `/dev/zero`, a
/// folder are refused at once, never read), and at most [`MAX_FILE_BYTES`]. The error is
/// the message for an [`InputError`] on the file.
#[allow(clippy::cast_possible_wrap)]
pub fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let not_regular = "erwartet wird eine gewöhnliche Datei, gefunden wurde eine FIFO, ein Gerät, ein Socket oder ein Ordner; nicht gelesen";
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            "Datei nicht gefunden".to_string()
        } else {
            format!("die Datei kann nicht gelesen werden: {e}")
        }
    })?;
    if !meta.is_file() {
        return Err(not_regular.into());
    }
    let too_large =
        || "erwartet wird höchstens 1 GiB, die Datei ist größer; nicht gelesen".to_string();
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    // Opened without blocking: if the path was swapped for a FIFO since the check, the
    // open does not wait for a writer, and the check below refuses it.
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options
        .open(path)
        .map_err(|e| format!("die Datei kann nicht gelesen werden: {e}"))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(not_regular.into());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("die Datei kann nicht gelesen werden: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a text file the user supplies besides the data (a template, `bericht.toml`) by
/// the rules of [`read_file`]: only a regular file, never a FIFO or device, at most 1 GiB.
pub fn read_text(path: &Path) -> Result<String, String> {
    String::from_utf8(read_file(path)?)
        .map_err(|_| "erwartet wird UTF-8-Text (oder Windows-1252)".to_string())
}

/// Decodes bytes: UTF-16 with a byte-order mark (what Excel's "Unicode text" writes), UTF-8
/// (a BOM is dropped), else Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, bool) {
    for (bom, encoding) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, _) = encoding.decode_without_bom_handling(rest);
            return (text.into_owned(), false);
        }
    }
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

/// Parses a file's header and checks its quoting. Fails only on a missing header or an
/// unterminated quote.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Table, InputError> {
    let (text, _windows_1252) = decode(bytes);
    // The header is the first line that is not blank (blank lines count for numbering).
    let first_line = text
        .split(['\n', '\r'])
        .find(|l| !l.chars().all(|c| c.is_whitespace() || c == ';' || c == ','))
        .unwrap_or("");
    let delimiter = sniff_delimiter(first_line);
    // Excel's "Unicode text" (UTF-16) separates cells by tabs and writes numbers as the
    // German locale shows them, as in `;` files.
    let tabs = first_line.matches('\t').count();
    let (delimiter, separator) =
        if tabs > first_line.matches(';').count() && tabs > first_line.matches(',').count() {
            (Delimiter::Semicolon, '\t')
        } else {
            (delimiter, delimiter.byte())
        };
    if let Some(line) = unterminated_quote(&text, separator) {
        return Err(InputError::at(
            path,
            line,
            "erwartet wird ein schließendes Anführungszeichen (\") für die Zelle in Anführungszeichen, gefunden wurde das Dateiende",
        ));
    }
    let mut rows = Records::new(&text, 1, separator);
    let (header, header_line) = loop {
        match rows.next() {
            Some(record) if record.cells.iter().all(String::is_empty) => {}
            Some(record) => {
                let names = record
                    .cells
                    .iter()
                    .map(|c| c.to_lowercase())
                    .collect::<Vec<_>>();
                break (names, record.line);
            }
            None => {
                return Err(InputError::at(
                    path,
                    1,
                    "erwartet wird eine Kopfzeile, die Datei ist leer",
                ));
            }
        }
    };
    let (offset, line) = (rows.pos, rows.line);
    Ok(Table {
        delimiter,
        separator,
        header,
        header_line,
        body: Body::Text(text, offset, line),
    })
}

/// The line of a quote that is never closed, if any.
fn unterminated_quote(text: &str, delimiter: char) -> Option<usize> {
    let mut line = 1;
    let mut in_quotes = false;
    let mut quote_line = 0;
    let mut cell_blank = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                }
                '"' => in_quotes = false,
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                }
                '\n' => line += 1,
                _ => {}
            }
            continue;
        }
        match c {
            '"' if cell_blank => {
                in_quotes = true;
                quote_line = line;
                cell_blank = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line += 1;
                cell_blank = true;
            }
            c if c == delimiter => cell_blank = true,
            c if c.is_whitespace() => {}
            _ => cell_blank = false,
        }
    }
    in_quotes.then_some(quote_line)
}

/// RFC 4180 splitting with line tracking, one record at a time. Blank lines yield
/// records whose cells are all empty; they still advance the line counter. Cells come
/// trimmed.
struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    delimiter: char,
}

impl<'a> Records<'a> {
    fn new(text: &'a str, line: usize, delimiter: char) -> Self {
        Self {
            text,
            pos: 0,
            line,
            delimiter,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.pos >= self.text.len() {
            return None;
        }
        let record_line = self.line;
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut in_quotes = false;
        let mut chars = self.text[self.pos..].char_indices().peekable();
        let mut end = self.text.len() - self.pos;
        while let Some((i, c)) = chars.next() {
            if in_quotes {
                match c {
                    '"' if chars.peek().map(|p| p.1) == Some('"') => {
                        chars.next();
                        cell.push('"');
                    }
                    '"' => in_quotes = false,
                    '\r' | '\n' => {
                        if c == '\r' && chars.peek().map(|p| p.1) == Some('\n') {
                            chars.next();
                        }
                        self.line += 1;
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
                }
                '\r' | '\n' => {
                    let mut next = i + 1;
                    if c == '\r' && chars.peek().map(|p| p.1) == Some('\n') {
                        next += 1;
                    }
                    self.line += 1;
                    end = next;
                    break;
                }
                c if c == self.delimiter => cells.push(trimmed(std::mem::take(&mut cell))),
                _ => cell.push(c),
            }
        }
        cells.push(trimmed(cell));
        self.pos += end;
        Some(Record {
            line: record_line,
            cells,
        })
    }
}

fn trimmed(cell: String) -> String {
    let t = cell.trim();
    if t.len() == cell.len() {
        cell
    } else {
        t.to_string()
    }
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
        let records: Vec<Record> = t.records().collect();
        let lines: Vec<_> = records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 5, 6, 8]);
        assert_eq!(records[2].cells, vec!["5", "x\ny"]);
    }

    #[test]
    fn quotes_escape_and_delimiters_inside() {
        let t = table(b"name,land\n\"Kreis \"\"A\"\", B\",NRW\n");
        assert_eq!(
            t.records().next().unwrap().cells,
            vec!["Kreis \"A\", B", "NRW"]
        );
    }

    #[test]
    fn windows_1252_is_the_fallback_and_bom_is_dropped() {
        assert!(decode(b"K\xf6ln").1);
        let t = table(b"name;land\nK\xf6ln;NRW\n");
        assert_eq!(t.records().next().unwrap().cells[0], "Köln");
        assert!(!decode("\u{feff}Köln".as_bytes()).1);
        let t = table("\u{feff}name;land\nKöln;NRW\n".as_bytes());
        assert_eq!(t.header[0], "name");
    }

    #[test]
    fn unterminated_quote_names_its_line() {
        let e = parse(Path::new("t.csv"), b"a;b\n1;2\n\"open;3\n").unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}
