//! Excel workbooks as input (contract 1.3): the first visible worksheet of an `.xlsx` file
//! becomes the same [`Table`] a CSV file gives, so every rule of the readers holds
//! unchanged.
//!
//! The header is the first row holding a non-empty cell; a record's line is its row in the
//! sheet. Each cell becomes the text a `;` file would hold: numbers in their shortest
//! decimal form with a decimal comma (`2.1` → `2,1`), a percentage-formatted number as
//! what it shows (0.021 shown as 2,1 % → `2,1`, by moving the decimal point in the text,
//! never by multiplying a float), date cells as `YYYY-MM-DD` (a month reads its year and
//! month from it), time cells (a time of day without a date) as `HH:MM`. Errors are then
//! located as the cell the user sees ([`locate`]).
//!
//! Bounded (contract v4, 1.3): the container is checked before calamine opens it — no
//! part may decompress to more than 1 GiB (its declared size; the zip reader refuses a
//! part that inflates beyond what it declares), the parts calamine reads whole at opening
//! (relationships, workbook, styles, shared strings) may hold only so many elements —
//! and the worksheet is streamed cell by cell (never a dense range of rows × columns),
//! at most 10 million cells with content, kept compactly.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, SheetType, SheetVisible, Xlsx};

use super::csv::{SheetRows, Table};
use crate::error::{InputError, ReadMessage};

/// The file extension of workbooks.
pub const EXTENSION: &str = "xlsx";

/// The most one part of a workbook may decompress to.
pub const MAX_PART_BYTES: u64 = 1 << 30;
/// The most cells with content the worksheet read may hold.
pub const MAX_CELLS: u64 = 10_000_000;
/// The most cells of the table (header columns × data rows) handed to the readers.
pub const MAX_TABLE_CELLS: u64 = 4 * MAX_CELLS;
/// The most bytes between two `<` of an XML part: a cell holds at most 32,767
/// characters in Excel, a few bytes each in XML.
const MAX_RUN_BYTES: u64 = 1 << 20;
/// The most bytes of one shared string element (with its formatting runs).
const MAX_SI_BYTES: u64 = 16 << 20;
/// The most elements in a relationships, workbook or styles part (Excel allows 64,000
/// cell formats; a workbook of data needs a few hundred elements).
const MAX_ELEMENTS: u64 = 2_000_000;
/// The most strings in the shared strings part (no more than cells are useful).
const MAX_SHARED_STRINGS: u64 = MAX_CELLS;
/// The most bytes of cell text kept for the readers.
const MAX_TEXT_BYTES: usize = 512 << 20;

/// Where a table's cells sit in its worksheet, to name them in messages.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The workbook's path, as the errors about it carry it.
    pub path: PathBuf,
    /// The worksheet's name (`Tabelle1`).
    pub name: String,
    /// Per header position, the sheet column (0 = `A`).
    pub columns: Vec<u32>,
    /// Per header position, the column name (lower case) as in the table.
    pub names: Vec<String>,
    /// Hidden worksheets before the one read (contract v4, 1.3: named in a warning).
    pub hidden: Vec<String>,
}

impl Sheet {
    /// The location of `line` and, if given, of column `name` of the header: `Tabelle1!E17`
    /// or `Tabelle1 row 17`. A column named twice is located at its second occurrence
    /// (the one the duplicate-column error is about).
    fn location(&self, line: usize, column: Option<&str>) -> String {
        let position = column.and_then(|c| self.names.iter().rposition(|n| n == c));
        match position {
            Some(i) => self.header_cell(line, i),
            None => format!("{} row {line}", quoted_sheet(&self.name)),
        }
    }

    /// The cell of header position `position` in row `line`: `Tabelle1!E1`.
    pub fn header_cell(&self, line: usize, position: usize) -> String {
        match self.columns.get(position) {
            Some(&column) => format!(
                "{}!{}{line}",
                quoted_sheet(&self.name),
                column_letters(column)
            ),
            None => format!("{} row {line}", quoted_sheet(&self.name)),
        }
    }
}

/// A sheet name as Excel writes it in a reference: quoted when it holds anything but
/// letters, digits and `_` (`'Daten 2018'!B4`).
fn quoted_sheet(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Excel's column letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).expect("below 26");
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// Sets the sheet location of every error about `sheet`'s workbook that names a line
/// (and has none yet).
pub fn locate(errors: &mut [InputError], sheet: &Sheet) {
    for e in errors
        .iter_mut()
        .filter(|e| e.file == sheet.path && e.cell.is_none())
    {
        if let Some(line) = e.line {
            e.cell = Some(sheet.location(line, e.column.as_deref()));
        }
    }
}

/// Checks the zip container of a workbook before it is opened: every part's declared
/// decompressed size, and all parts together, at most [`MAX_PART_BYTES`]; then every XML
/// part is scanned (streaming) before calamine reads it: no text or tag longer than
/// [`MAX_RUN_BYTES`] (so no string calamine builds is larger), no shared string element
/// larger than [`MAX_SI_BYTES`], at most [`MAX_SHARED_STRINGS`] shared strings and at
/// most [`MAX_ELEMENTS`] elements in the parts read whole (relationships, workbook,
/// styles). A part that inflates beyond its declared size fails while it is read (the zip
/// reader enforces the declared size).
fn check_container(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        InputError::file(
            path,
            format!(
                "erwartet wird eine Excel-Arbeitsmappe (.xlsx), sie kann nicht gelesen werden: {e}"
            ),
        )
    };
    let too_large =
        |part: String, size: u64| InputError::file(path, ReadMessage::PartTooLarge { part, size });
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut scanned = Vec::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| unreadable(&e))?;
        let name = part.name().map_err(|e| unreadable(&e))?.into_owned();
        total = total.saturating_add(part.size());
        if part.size() > MAX_PART_BYTES {
            return Err(too_large(name, part.size()));
        }
        if total > MAX_PART_BYTES {
            return Err(too_large("alle Teile zusammen".to_string(), total));
        }
        let extension = Path::new(&name).extension();
        if extension
            .is_some_and(|e| e.eq_ignore_ascii_case("xml") || e.eq_ignore_ascii_case("rels"))
        {
            scanned.push((i, name));
        }
    }
    for (i, name) in scanned {
        let lower = name.to_ascii_lowercase();
        let whole = !lower.contains("worksheets/") && !lower.ends_with("sharedstrings.xml");
        let part = zip.by_index(i).map_err(|e| unreadable(&e))?;
        let scan = Scan::of(part).map_err(|e| unreadable(&e))?;
        let too_many = |limit| {
            Err(InputError::file(
                path,
                ReadMessage::PartTooManyElements {
                    part: name.clone(),
                    limit,
                },
            ))
        };
        if scan.longest_run > MAX_RUN_BYTES || scan.longest_si > MAX_SI_BYTES {
            return Err(InputError::file(
                path,
                ReadMessage::PartLongText {
                    part: name.clone(),
                    limit: MAX_RUN_BYTES,
                },
            ));
        }
        if scan.strings > MAX_SHARED_STRINGS {
            return too_many(MAX_SHARED_STRINGS);
        }
        if whole && scan.elements > MAX_ELEMENTS {
            return too_many(MAX_ELEMENTS);
        }
    }
    Ok(())
}

/// What a streaming scan of an XML part found: its elements (`<`), its `si` elements
/// (`<si>`, `<si/>`, `<x:si …>`), the longest run of bytes between two `<` and the
/// longest span from one `si` element's start to the next.
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    elements: u64,
    strings: u64,
    longest_run: u64,
    longest_si: u64,
}

impl Scan {
    #[allow(clippy::naive_bytecount)] // one pass per part; no crate for it
    fn of(mut part: impl std::io::Read) -> std::io::Result<Self> {
        let mut scan = Scan::default();
        let mut buf = vec![0u8; 1 << 16];
        // The name of the tag being read (after `<`, its first 16 bytes) and its length;
        // None outside a tag name.
        let mut tag = [0u8; 16];
        let mut length: Option<usize> = None;
        let mut run = 0u64;
        let mut si: Option<u64> = None;
        loop {
            let read = part.read(&mut buf)?;
            if read == 0 {
                scan.longest_run = scan.longest_run.max(run);
                scan.longest_si = scan.longest_si.max(si.unwrap_or(0));
                return Ok(scan);
            }
            for &b in &buf[..read] {
                run += 1;
                if let Some(n) = &mut si {
                    *n += 1;
                }
                match (length, b) {
                    (_, b'<') => {
                        scan.elements += 1;
                        scan.longest_run = scan.longest_run.max(run);
                        run = 0;
                        length = Some(0);
                    }
                    (Some(len), b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r') => {
                        // An end tag starts with `/`, so its name is empty here.
                        let name = &tag[..len];
                        let local = name.rsplit(|&c| c == b':').next().unwrap_or(name);
                        if local == b"si" {
                            scan.strings += 1;
                            scan.longest_si = scan.longest_si.max(si.unwrap_or(0));
                            si = Some(0);
                        }
                        length = None;
                    }
                    (Some(len), _) if len < tag.len() => {
                        tag[len] = b;
                        length = Some(len + 1);
                    }
                    (Some(_), _) => length = None,
                    (None, _) => {}
                }
            }
        }
    }
}

/// Reads the first visible worksheet of a workbook as a [`Table`]. Fails on bytes that
/// are no readable workbook, on a workbook beyond the bounds above, and on a workbook
/// without a visible worksheet or without a header row.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(Table, Sheet), InputError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        InputError::file(
            path,
            format!(
                "erwartet wird eine Excel-Arbeitsmappe (.xlsx), sie kann nicht gelesen werden: {e}"
            ),
        )
    };
    check_container(path, bytes)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let sheets = workbook.sheets_metadata().to_vec();
    let Some(read) = sheets
        .iter()
        .position(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
    else {
        return Err(if sheets.is_empty() {
            InputError::file(
                path,
                "erwartet wird mindestens ein Tabellenblatt, gefunden wurde keines",
            )
        } else {
            InputError::file(path, ReadMessage::NoVisibleSheet)
        });
    };
    let hidden: Vec<String> = sheets[..read]
        .iter()
        .filter(|s| s.visible != SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let name = sheets[read].name.clone();
    let too_many_cells = || {
        InputError::file(
            path,
            ReadMessage::TooManyCells {
                sheet: name.clone(),
                limit: MAX_CELLS,
            },
        )
    };
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| unreadable(&e))?;
    // The header: the first row with a non-empty cell, as (sheet column, name) sorted by
    // column; then each later cell under a header cell is kept by its header position.
    let mut header: Option<(u32, Vec<(u32, String)>)> = None;
    let mut positions: Vec<u32> = Vec::new();
    let mut rows = SheetRows::default();
    let mut current_row: Option<u32> = None;
    let mut cells = 0u64;
    loop {
        let next = reader
            .next_cell_with_style_id()
            .map_err(|e| unreadable(&e))?;
        let Some((cell, style)) = next else { break };
        let (row, column) = cell.get_position();
        let value = cell.get_value();
        if matches!(value, calamine::DataRef::Empty) {
            continue;
        }
        cells += 1;
        if cells > MAX_CELLS {
            return Err(too_many_cells());
        }
        let percent = || {
            reader
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code))
        };
        let cell_text = text_ref(value, percent);
        if cell_text.is_empty() {
            continue;
        }
        let Some((header_row, names)) = header.as_mut() else {
            header = Some((row, vec![(column, cell_text)]));
            continue;
        };
        if *header_row == row && positions.is_empty() {
            names.push((column, cell_text));
            continue;
        }
        rows.preview_cell(row as usize + 1, &cell_text);
        if positions.is_empty() {
            names.sort_by_key(|(c, _)| *c);
            names.dedup_by_key(|(c, _)| *c);
            positions = names.iter().map(|(c, _)| *c).collect();
        }
        let Ok(position) = positions.binary_search(&column) else {
            continue;
        };
        if current_row != Some(row) {
            current_row = Some(row);
            rows.push_row(row as usize + 1);
        }
        rows.push_cell(position, &cell_text);
        if rows.text_len() > MAX_TEXT_BYTES {
            return Err(too_many_cells());
        }
    }
    drop(reader);
    let Some((header_row, mut names)) = header else {
        return Err(InputError::file(
            path,
            format!(
                "erwartet wird eine Kopfzeile im ersten sichtbaren Tabellenblatt \"{name}\", das Blatt ist leer"
            ),
        ));
    };
    names.sort_by_key(|(c, _)| *c);
    names.dedup_by_key(|(c, _)| *c);
    let (columns, names): (Vec<u32>, Vec<String>) = names
        .into_iter()
        .map(|(c, n)| (c, n.to_lowercase()))
        .unzip();
    let table_cells = (columns.len() as u64).saturating_mul(rows.count() as u64);
    if table_cells > MAX_TABLE_CELLS {
        return Err(InputError::file(
            path,
            ReadMessage::TableTooLarge {
                sheet: name,
                columns: columns.len() as u64,
                rows: rows.count() as u64,
                limit: MAX_TABLE_CELLS,
            },
        ));
    }
    let sheet = Sheet {
        path: path.to_path_buf(),
        name,
        columns,
        names: names.clone(),
        hidden,
    };
    Ok((
        Table::from_sheet(names, header_row as usize + 1, rows),
        sheet,
    ))
}

/// Whether a number format shows its value as a percentage: a `%` outside quotes and
/// escapes in its first section (`0.0%`, `0,00 %`, `#,##0.0" "%`).
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '"' => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' => escaped = true,
            ';' => return false,
            '%' => return true,
            _ => {}
        }
    }
    false
}

/// The text a `;` file would hold for a cell; `percent` tells whether its number format
/// is a percentage (asked only for numbers).
fn text(cell: &Data, percent: impl Fn() -> bool) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Int(i) => {
            let t = i.to_string();
            semicolon_dialect(&if percent() { shift_percent(&t) } else { t })
        }
        Data::Float(f) => number(*f, percent()),
        Data::Bool(b) => (if *b { "WAHR" } else { "FALSCH" }).to_string(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            if (0.0..1.0).contains(&serial) {
                // A time of day without a date (`9:30`, also as a duration `[h]:mm`).
                let (.., h, min, sec, milli) = dt.to_ymd_hms_milli();
                time_text(h, min, sec, milli)
            } else if dt.is_datetime() && (0.0..2_958_466.0).contains(&serial) {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                number(serial, false)
            }
        }
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((date, _)) => date.to_string(),
            None => s.trim().to_string(),
        },
        Data::Error(e) => e.to_string(),
    }
}

/// [`text`] of a streamed cell, without copying a string cell's text first.
fn text_ref(cell: &calamine::DataRef<'_>, percent: impl Fn() -> bool) -> String {
    use calamine::DataRef;
    match cell {
        DataRef::String(s) | DataRef::DurationIso(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::DateTimeIso(s) => match s.split_once('T') {
            Some((date, _)) => date.to_string(),
            None => s.trim().to_string(),
        },
        other => text(&Data::from(other.clone()), percent),
    }
}

/// A time of day as `HH:MM`, with `:SS` (and `.mmm`) only when the cell holds them.
fn time_text(h: u8, min: u8, sec: u8, milli: u16) -> String {
    match (sec, milli) {
        (0, 0) => format!("{h:02}:{min:02}"),
        (_, 0) => format!("{h:02}:{min:02}:{sec:02}"),
        _ => format!("{h:02}:{min:02}:{sec:02}.{milli:03}"),
    }
}

/// A stored number as text of a `;` file: its shortest decimal form (Rust's `{}` for
/// `f64`, never an exponent), as a percentage's shown value if so formatted, with a
/// decimal comma.
fn number(value: f64, percent: bool) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    let t = format!("{value}");
    semicolon_dialect(&if percent { shift_percent(&t) } else { t })
}

fn semicolon_dialect(text: &str) -> String {
    text.replace('.', ",")
}

/// Moves the decimal point of a number written with `.` two places to the right, in the
/// text: `0.021` → `2.1`, `-0.0025` → `-0.25`, `2` → `200`.
fn shift_percent(text: &str) -> String {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let frac = format!("{frac:0<2}");
    let (moved, rest) = frac.split_at(2);
    let int = format!("{int}{moved}");
    let int = match int.trim_start_matches('0') {
        "" => "0",
        digits => digits,
    };
    let rest = rest.trim_end_matches('0');
    if rest.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{rest}")
    }
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
