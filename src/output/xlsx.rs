//! `kennzahlen.xlsx`: the table of `kennzahlen.csv` as an Excel workbook for people
//! (contract section 3): German column titles, a frozen header row and an autofilter,
//! numbers stored as numbers (the same values as the CSV file) with German display
//! formats, statuses in words, Jobcenter names beside the ids (the names of the figures:
//! `tabelle` of `templates/texte/kennzahlen.toml`). A second sheet holds one
//! row per Jobcenter with the five targets side by side.
//!
//! The workbook is byte-identical for the same figures and creation time: the creation
//! time is the run's document time (`SOURCE_DATE_EPOCH` when set) and nothing else varies.

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use crate::domain::{Decimal, Formula, Kennzahl, Kind};
use crate::figures::{EntityFigures, EntityKind, Figure, Results, Value};
use crate::texte::Kennzahlnamen;

pub const FILE: &str = "kennzahlen.xlsx";

/// Display formats as stored in the file (Excel shows them in the reader's locale: `#,##0`
/// appears as `#.##0` in German Excel). Percent changes are stored as the percent number
/// of `kennzahlen.csv` (2.05 for +2,05 %), so the format appends the sign instead of
/// multiplying by 100.
const COUNT: &str = "#,##0";
const MEAN: &str = "#,##0.0";
const QUOTA: &str = "0.00";
const SHARE: &str = "0.0";
const MONEY: &str = "#,##0 \"€\"";
const PERCENT: &str = "+0.0\" %\";-0.0\" %\";0.0\" %\"";
const SOLL: &str = "+0.0#\" %\";-0.0#\" %\";0.0#\" %\"";

/// The display format of a figure's values, and of its Zielpfad's remaining need (for a
/// quota that is a number of integrations, not a quota).
fn display_formats(k: Kennzahl) -> (&'static str, &'static str) {
    match k.formula() {
        Formula::Sum(c) if c.kind() == Kind::Money => (MONEY, MONEY),
        Formula::Sum(_) | Formula::Stock(_) | Formula::StockDec(_) => (COUNT, COUNT),
        Formula::Mean(_) => (MEAN, MEAN),
        Formula::Quota { .. } => (QUOTA, MEAN),
        Formula::Share { .. } => (SHARE, SHARE),
    }
}

fn art(kind: &EntityKind) -> &'static str {
    match kind {
        EntityKind::Jobcenter => "Jobcenter",
        EntityKind::Land => "Land",
        EntityKind::Vergleichstyp => "Vergleichstyp",
    }
}

fn name(e: &EntityFigures) -> String {
    match &e.jobcenter {
        Some(jc) => jc.name.clone(),
        None => match e.id.split_once(':') {
            Some(("LAND", land)) => format!("Land {land}"),
            Some(("VT", vt)) => format!("Vergleichstyp {vt}"),
            _ => e.id.clone(),
        },
    }
}

const TITLES: [&str; 16] = [
    "Jobcenter",
    "Name",
    "Art",
    "Berichtsmonat",
    "Kennzahl",
    "Bezeichnung",
    "Wert",
    "Vorjahr",
    "Veränderung",
    "Soll",
    "Status",
    "Mitglieder",
    "Soll-Wert",
    "Jahres-Soll",
    "Restbedarf",
    "Vorjahr Restmonate",
];

/// The workbook's bytes; `created` is its creation time (the document time of the run).
/// Fails only where Excel's limits are exceeded (more than 1,048,575 rows).
pub fn render(
    results: &Results,
    created: DateTime<Utc>,
    namen: &Kennzahlnamen,
) -> Result<Vec<u8>, String> {
    build(results, created, namen).map_err(|e| format!("cannot write {FILE}: {e}"))
}

struct Formats {
    header: Format,
    text: Format,
    by_code: Vec<(&'static str, Format)>,
}

impl Formats {
    fn new() -> Self {
        let by_code = [COUNT, MEAN, QUOTA, SHARE, MONEY, PERCENT, SOLL]
            .into_iter()
            .map(|code| (code, Format::new().set_num_format(code)))
            .collect();
        Self {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            text: Format::new().set_num_format("@"),
            by_code,
        }
    }

    fn num(&self, code: &str) -> &Format {
        &self
            .by_code
            .iter()
            .find(|(c, _)| *c == code)
            .expect("a known format")
            .1
    }
}

fn value(v: Option<Value>) -> Option<f64> {
    v.map(Value::as_f64).filter(|x| x.is_finite())
}

fn write_num(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    x: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    if let Some(x) = x.filter(|x| x.is_finite()) {
        sheet.write_number_with_format(row, col, x, format)?;
    }
    Ok(())
}

#[allow(clippy::cast_possible_truncation)]
fn header(sheet: &mut Worksheet, titles: &[&str], formats: &Formats) -> Result<(), XlsxError> {
    for (col, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[allow(clippy::cast_possible_truncation)]
fn build(
    results: &Results,
    created: DateTime<Utc>,
    namen: &Kennzahlnamen,
) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let properties = DocProperties::new()
        .set_title(format!("Kennzahlen {}", results.berichtsmonat))
        .set_author("zielbericht")
        .set_creation_datetime(&ExcelDateTime::from_timestamp(created.timestamp())?);
    workbook.set_properties(&properties);

    let month = results.berichtsmonat.to_string();
    let sheet = workbook.add_worksheet().set_name("Kennzahlen")?;
    header(sheet, &TITLES, &formats)?;
    let mut row = 0u32;
    for entity in &results.entities {
        let entity_name = name(entity);
        for f in &entity.figures {
            row += 1;
            write_figure(
                sheet,
                row,
                (entity, &entity_name),
                &month,
                f,
                &formats,
                namen,
            )?;
        }
    }
    sheet.autofilter(0, 0, row, TITLES.len() as u16 - 1)?;
    for (col, width) in [9, 28, 13, 13, 15, 40, 14, 14, 12, 9, 14, 11, 14, 14, 14, 14]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }

    let sheet = workbook.add_worksheet().set_name("Ziele")?;
    let mut titles = vec!["Jobcenter".to_string(), "Name".into(), "Land".into()];
    for k in Kennzahl::TARGETS {
        for what in ["Wert", "Veränderung", "Soll", "Status"] {
            titles.push(format!("{}: {what}", k.code()));
        }
    }
    let title_refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    header(sheet, &title_refs, &formats)?;
    let mut row = 0u32;
    for entity in results
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Jobcenter)
    {
        row += 1;
        sheet.write_string_with_format(row, 0, &entity.id, &formats.text)?;
        sheet.write_string(row, 1, name(entity))?;
        if let Some(jc) = &entity.jobcenter {
            sheet.write_string(row, 2, &jc.land)?;
        }
        for (i, k) in Kennzahl::TARGETS.into_iter().enumerate() {
            let col = 3 + 4 * i as u16;
            let Some(f) = entity.figure(k) else { continue };
            let (fmt, _) = display_formats(k);
            write_num(sheet, row, col, value(f.wert), formats.num(fmt))?;
            write_num(
                sheet,
                row,
                col + 1,
                f.veraenderung_pct,
                formats.num(PERCENT),
            )?;
            if let Some(z) = &f.ziel {
                write_num(
                    sheet,
                    row,
                    col + 2,
                    z.soll.map(Decimal::as_f64),
                    formats.num(SOLL),
                )?;
                sheet.write_string(row, col + 3, &namen.status(z.status).tabelle)?;
            }
        }
    }
    sheet.autofilter(0, 0, row, titles.len() as u16 - 1)?;
    sheet.set_column_width(1, 28)?;
    for col in 3..titles.len() as u16 {
        sheet.set_column_width(col, 13)?;
    }
    workbook.save_to_buffer()
}

#[allow(clippy::cast_precision_loss)]
fn write_figure(
    sheet: &mut Worksheet,
    row: u32,
    (entity, entity_name): (&EntityFigures, &str),
    month: &str,
    f: &Figure,
    formats: &Formats,
    namen: &Kennzahlnamen,
) -> Result<(), XlsxError> {
    let (fmt, rest_fmt) = display_formats(f.kennzahl);
    sheet.write_string_with_format(row, 0, &entity.id, &formats.text)?;
    sheet.write_string(row, 1, entity_name)?;
    sheet.write_string(row, 2, art(&entity.kind))?;
    sheet.write_string_with_format(row, 3, month, &formats.text)?;
    sheet.write_string(row, 4, f.kennzahl.code())?;
    sheet.write_string(row, 5, &namen.get(f.kennzahl).tabelle)?;
    write_num(sheet, row, 6, value(f.wert), formats.num(fmt))?;
    write_num(sheet, row, 7, value(f.vorjahr), formats.num(fmt))?;
    write_num(sheet, row, 8, f.veraenderung_pct, formats.num(PERCENT))?;
    if let Some(z) = &f.ziel {
        write_num(
            sheet,
            row,
            9,
            z.soll.map(Decimal::as_f64),
            formats.num(SOLL),
        )?;
        sheet.write_string(row, 10, &namen.status(z.status).tabelle)?;
    }
    if let Some(m) = f.mitglieder {
        sheet.write_number_with_format(row, 11, m as f64, formats.num(COUNT))?;
    }
    let pfad = f.pfad.unwrap_or_default();
    write_num(sheet, row, 12, value(pfad.soll_wert), formats.num(fmt))?;
    write_num(sheet, row, 13, value(pfad.jahres_soll), formats.num(fmt))?;
    write_num(
        sheet,
        row,
        14,
        value(pfad.rest_bedarf),
        formats.num(rest_fmt),
    )?;
    write_num(
        sheet,
        row,
        15,
        value(pfad.vorjahr_rest),
        formats.num(rest_fmt),
    )?;
    Ok(())
}
