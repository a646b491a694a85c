//! Empty input files to fill in (`zielbericht vorlage`): `jobcenter`, `monatswerte` and
//! `ziele` with every column of contract 1.1, one example row, and — as workbooks — a
//! note on each column title (what it means, its unit) and data validation where Excel
//! offers it (Träger, target codes, year, month). The example rows form a valid data
//! folder: a filled template passes `zielbericht check`.

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, Formula, Note, Workbook, XlsxError,
};

use super::OutFile;
use crate::domain::{Col, Kennzahl, Kind};
use crate::load::xlsx::column_letters;
use crate::load::{JOBCENTER_FILE, MONATSWERTE_FILE, ZIELE_FILE};

/// An example value.
#[derive(Debug, Clone, Copy)]
enum Example {
    Text(&'static str),
    Number(f64),
    /// A date cell (year, month, day).
    Date(u16, u8, u8),
}

/// What Excel checks on entry.
#[derive(Debug, Clone, Copy)]
enum Check {
    None,
    Traeger,
    Ziel,
    Jahr,
    Monat,
}

/// One column of a template.
#[derive(Debug, Clone)]
struct Column {
    name: &'static str,
    required: bool,
    note: String,
    example: Example,
    check: Check,
    /// A number format for the whole column (`@` keeps leading zeros as text).
    format: Option<&'static str>,
}

fn column(name: &'static str, required: bool, note: &str, example: Example) -> Column {
    Column {
        name,
        required,
        note: note.to_string(),
        example,
        check: Check::None,
        format: None,
    }
}

const ID_NOTE: &str = "Kreisschlüssel (AGS) des Jobcenters, 5 Ziffern, z. B. 05554. Als Text eingeben, damit die führende Null bleibt (eine Zahl 5554 wird mit Warnung zu 05554).";

fn id_column(note: &str) -> Column {
    Column {
        format: Some("@"),
        ..column("jobcenter", true, note, Example::Text("05554"))
    }
}

fn jobcenter_columns() -> Vec<Column> {
    vec![
        id_column(ID_NOTE),
        column(
            "name",
            true,
            "Name des Jobcenters, wie er im Bericht erscheint (Text).",
            Example::Text("Kreis Borken"),
        ),
        column(
            "land",
            true,
            "Bundesland (Text, z. B. NRW); bildet das Aggregat LAND:<land>.",
            Example::Text("NRW"),
        ),
        Column {
            check: Check::Traeger,
            ..column(
                "traeger",
                false,
                "Trägerform: zkT (zugelassener kommunaler Träger) oder gE (gemeinsame Einrichtung); leer lassen, wenn unbekannt.",
                Example::Text("zkT"),
            )
        },
        column(
            "vergleichstyp",
            false,
            "Vergleichstyp des Jobcenters (Text, z. B. IIa); bildet das Aggregat VT:<typ>. Leer: in keinem Vergleichstyp.",
            Example::Text("IIa"),
        ),
        column(
            "email",
            false,
            "E-Mail-Adresse für die Einladungen zum Steuerungsdialog.",
            Example::Text("jobcenter@kreis-borken.example"),
        ),
        column(
            "vertreten_durch",
            false,
            "Wer für den Träger unterzeichnet (Text), z. B. Landrat Dr. Kai Zwicker; für die Zielvereinbarung.",
            Example::Text("Landrat Dr. Kai Zwicker"),
        ),
    ]
}

/// Meaning and example of a monthly value column.
fn col_words(c: Col) -> (&'static str, f64) {
    match c {
        Col::Elb => (
            "Erwerbsfähige Leistungsberechtigte (Bestand im Monat)",
            10_500.0,
        ),
        Col::Bg => ("Bedarfsgemeinschaften (Bestand im Monat)", 7_400.0),
        Col::Int => ("Integrationen im Monat", 210.0),
        Col::Lzb => (
            "Langzeitleistungsbeziehende (Bestand; in mindestens 21 der letzten 24 Monate hilfebedürftig)",
            6_300.0,
        ),
        Col::IntLzb => (
            "Integrationen von Langzeitleistungsbeziehenden im Monat",
            80.0,
        ),
        Col::LluEur => (
            "Leistungen zum Lebensunterhalt (§§ 20, 21, 23, 24 Abs. 1 SGB II) im Monat",
            2_500_000.5,
        ),
        Col::KduEur => (
            "Leistungen für Unterkunft und Heizung (§ 22 SGB II) im Monat",
            2_000_000.0,
        ),
        Col::IntSvb => (
            "Integrationen in sozialversicherungspflichtige Beschäftigung im Monat",
            160.0,
        ),
        Col::IntNachhaltig => (
            "Von den int_svb dieses Monats: 12 Monate später noch so beschäftigt (nach dem Monat der Integration)",
            100.0,
        ),
        Col::IntBedarfsdeckend => (
            "Von den int dieses Monats: drei Monate später ohne SGB-II-Leistungen",
            90.0,
        ),
        Col::Lzb4j => (
            "Langzeitleistungsbeziehende mit 4 und mehr Jahren Leistungsbezug (Bestand)",
            2_500.0,
        ),
        Col::ElbAsyl8 => (
            "Erwerbsfähige Leistungsberechtigte aus den acht Asylherkunftsländern (Bestand)",
            1_500.0,
        ),
        Col::IntAsyl8 => (
            "Integrationen von Personen aus den acht Asylherkunftsländern im Monat",
            30.0,
        ),
        Col::LzbAsyl8 => (
            "Langzeitleistungsbeziehende aus den acht Asylherkunftsländern (Bestand)",
            600.0,
        ),
        Col::ElbFrauen => ("elb, nur Frauen", 5_200.0),
        Col::ElbMaenner => ("elb, nur Männer", 5_300.0),
        Col::IntFrauen => ("int, nur Frauen", 90.0),
        Col::IntMaenner => ("int, nur Männer", 120.0),
        Col::LzbFrauen => ("lzb, nur Frauen", 3_300.0),
        Col::LzbMaenner => ("lzb, nur Männer", 3_000.0),
        Col::IntLzbFrauen => ("int_lzb, nur Frauen", 35.0),
        Col::IntLzbMaenner => ("int_lzb, nur Männer", 45.0),
    }
}

const SYMBOLS: &str = "Fehlende Werte: leer, *, ., x, / oder …; - bedeutet 0.";

fn monatswerte_columns() -> Vec<Column> {
    let mut out = vec![
        id_column(ID_NOTE),
        Column {
            check: Check::Monat,
            format: Some("@"),
            ..column(
                "monat",
                true,
                "Monat als JJJJ-MM (z. B. 2018-01); auch ein Datum (der Tag wird ignoriert).",
                Example::Text("2018-01"),
            )
        },
    ];
    for c in Col::ALL {
        let (meaning, example) = col_words(c);
        let unit = match c.kind() {
            Kind::Count => "Einheit: Anzahl (ganze Zahl, mindestens 0).",
            Kind::Money => "Einheit: Euro (Dezimalstellen erlaubt, auch negativ).",
        };
        let required = if c.required() {
            "Pflichtspalte."
        } else {
            "Optionale Spalte."
        };
        out.push(Column {
            format: Some(match c.kind() {
                Kind::Count => "#,##0",
                Kind::Money => "#,##0.00",
            }),
            ..column(
                c.name(),
                c.required(),
                &format!("{meaning}. {unit} {required} {SYMBOLS}"),
                Example::Number(example),
            )
        });
    }
    out.push(Column {
        format: Some("dd.mm.yyyy"),
        ..column(
            "datenstand",
            false,
            "Datum, zu dem die Zahlen abgerufen wurden (Datum, z. B. 30.04.2018).",
            Example::Date(2018, 4, 30),
        )
    });
    out
}

fn ziele_columns() -> Vec<Column> {
    vec![
        Column {
            check: Check::Jahr,
            ..column(
                "jahr",
                true,
                "Jahr der Zielvereinbarung (vierstellig).",
                Example::Number(2018.0),
            )
        },
        id_column(
            "Kreisschlüssel des Jobcenters (5 Ziffern, als Text) oder * für alle Jobcenter ohne eigene Zeile.",
        ),
        Column {
            check: Check::Ziel,
            ..column(
                "ziel",
                true,
                &format!(
                    "Kennzahl des Ziels: int, k2, k3, k3e1, lzb_je oder eine weitere: {}.",
                    codes()[5..].join(", ")
                ),
                Example::Text("int"),
            )
        },
        Column {
            format: Some("0.0#"),
            ..column(
                "soll_pct",
                true,
                "Vereinbarte Veränderung in Prozent, höchstens zwei Dezimalstellen: 2,1 bedeutet +2,1 %, -0,25 bedeutet −0,25 %; - bedeutet 0. Eine als Prozent formatierte Zelle zählt wie angezeigt (2,1 %).",
                Example::Number(2.1),
            )
        },
    ]
}

fn codes() -> Vec<&'static str> {
    Kennzahl::ALL.iter().map(|k| k.code()).collect()
}

/// The three templates: (file name without extension, columns).
fn templates() -> [(&'static str, Vec<Column>); 3] {
    let stem = |file: &'static str| file.strip_suffix(".csv").unwrap_or(file);
    [
        (stem(JOBCENTER_FILE), jobcenter_columns()),
        (stem(MONATSWERTE_FILE), monatswerte_columns()),
        (stem(ZIELE_FILE), ziele_columns()),
    ]
}

/// The names of the files [`render`] writes.
pub fn file_names(csv: bool) -> Vec<String> {
    let ext = if csv { "csv" } else { "xlsx" };
    templates()
        .iter()
        .map(|(stem, _)| format!("{stem}.{ext}"))
        .collect()
}

/// The templates as workbooks, or with `csv` as `;`-separated UTF-8 files (with a
/// byte-order mark, so that German Excel opens them with their umlauts).
pub fn render(csv: bool, created: DateTime<Utc>) -> Result<Vec<OutFile>, String> {
    let names = file_names(csv);
    templates()
        .into_iter()
        .zip(names)
        .map(|((_, columns), path)| {
            let bytes = if csv {
                csv_bytes(&columns)
            } else {
                workbook(&columns, created).map_err(|e| format!("cannot write {path}: {e}"))?
            };
            Ok(OutFile { path, bytes })
        })
        .collect()
}

fn csv_bytes(columns: &[Column]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
    out.push_str(&names.join(";"));
    out.push_str("\r\n");
    let cells: Vec<String> = columns
        .iter()
        .map(|c| match c.example {
            Example::Text(t) => super::csv_field(t, ';').into_owned(),
            // The `;` dialect: decimal comma (numbers carry no grouping here).
            Example::Number(x) => format!("{x}").replace('.', ","),
            Example::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        })
        .collect();
    out.push_str(&cells.join(";"));
    out.push_str("\r\n");
    out.into_bytes()
}

/// Rows that carry the data validation (all but the header).
const LAST_ROW: u32 = 1_048_575;

#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
fn workbook(columns: &[Column], created: DateTime<Utc>) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_author("zielbericht")
            .set_creation_datetime(&ExcelDateTime::from_timestamp(created.timestamp())?),
    );
    let sheet = workbook.add_worksheet().set_name("Tabelle1")?;
    let required = Format::new().set_bold().set_align(FormatAlign::Center);
    let optional = Format::new().set_italic().set_align(FormatAlign::Center);
    for (i, c) in columns.iter().enumerate() {
        let col = i as u16;
        let title = if c.required { &required } else { &optional };
        sheet.write_string_with_format(0, col, c.name, title)?;
        let note = Note::new(&c.note)
            .set_author("zielbericht")
            .add_author_prefix(false)
            .set_width(320)
            .set_height(110);
        sheet.insert_note(0, col, &note)?;
        let format = Format::new().set_num_format(c.format.unwrap_or("General"));
        sheet.set_column_format(col, &format)?;
        sheet.set_column_width(col, (c.name.len() + 4).max(12) as f64)?;
        match c.example {
            Example::Text(t) => {
                sheet.write_string_with_format(1, col, t, &format)?;
            }
            Example::Number(x) => {
                sheet.write_number_with_format(1, col, x, &format)?;
            }
            Example::Date(y, m, d) => {
                sheet.write_datetime_with_format(
                    1,
                    col,
                    ExcelDateTime::from_ymd(y, m, d)?,
                    &format,
                )?;
            }
        }
        if let Some(validation) = validation(c.check, &column_letters(u32::from(col)))? {
            sheet.add_data_validation(1, col, LAST_ROW, col, &validation)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// The data validation of a column whose cells start at `letters`2.
fn validation(check: Check, letters: &str) -> Result<Option<DataValidation>, XlsxError> {
    let v = match check {
        Check::None => return Ok(None),
        Check::Traeger => DataValidation::new()
            .allow_list_strings(&["zkT", "gE"])?
            .set_error_message("Bitte zkT oder gE eintragen (oder leer lassen).")?,
        Check::Ziel => DataValidation::new()
            .allow_list_strings(codes().as_slice())?
            .set_error_message("Bitte eine Kennzahl aus der Liste wählen.")?,
        Check::Jahr => DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(2000, 2100))
            .set_error_message("Bitte ein vierstelliges Jahr eintragen.")?,
        Check::Monat => DataValidation::new()
            .allow_custom(Formula::new(format!(
                "=OR(ISNUMBER({letters}2),AND(LEN({letters}2)=7,MID({letters}2,5,1)=\"-\",ISNUMBER(VALUE(LEFT({letters}2,4))),ISNUMBER(VALUE(RIGHT({letters}2,2)))))"
            )))
            .set_error_message("Bitte den Monat als JJJJ-MM eintragen, z. B. 2018-01.")?
            .set_error_style(DataValidationErrorStyle::Warning),
    };
    Ok(Some(v))
}
