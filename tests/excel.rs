//! Excel in and out: workbooks as input (contract 1.3) give the same figures as their CSV
//! twins and name the cell of a broken value; `kennzahlen.xlsx` holds the values of
//! `kennzahlen.csv`; `vorlage` writes templates that, filled with their example rows,
//! pass `check`. The workbooks are written here with rust_xlsxwriter and read back with
//! calamine, as Excel and any standard reader would.

use std::fmt::Write as _;
use std::io::{Cursor, Read as _};

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use sha2::{Digest, Sha256};

use crate::util::{COLUMNS, Fixture, split_csv_line};

/// A cell to write.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    /// A number shown as a percentage (`0.0%`): 0.021 is shown as 2,1 %.
    Percent(f64),
    /// A date cell (year, month, day) shown as `dd.mm.yyyy`.
    Date(u16, u8, u8),
    /// A time cell (hour, minute) shown as `hh:mm`.
    Time(u16, u8),
    Empty,
}

pub(crate) fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// A workbook whose first sheet holds `rows` from `A1` on (`offset` blank rows above).
#[allow(clippy::many_single_char_names)] // r, c: row and column as in the writer's API
#[allow(clippy::cast_possible_truncation)]
pub(crate) fn workbook(sheet: &str, offset: u32, rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(sheet).unwrap();
    let pct = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let time = Format::new().set_num_format("hh:mm");
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + offset;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                Cell::Number(x) => {
                    ws.write_number(r, c, *x).unwrap();
                }
                Cell::Percent(x) => {
                    ws.write_number_with_format(r, c, *x, &pct).unwrap();
                }
                Cell::Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, c, dt, &date).unwrap();
                }
                Cell::Time(h, m) => {
                    let t = ExcelDateTime::from_hms(*h, *m, 0).unwrap();
                    ws.write_datetime_with_format(r, c, t, &time).unwrap();
                }
                Cell::Empty => {}
            }
        }
    }
    // A second sheet that must not be read.
    wb.add_worksheet()
        .set_name("Notizen")
        .unwrap()
        .write_string(0, 0, "ignoriert")
        .unwrap();
    wb.save_to_buffer().unwrap()
}

/// The fixture's three files as workbooks, the way an office keeps them: ids as numbers
/// (5554, padded with a warning), months as date cells in 2016 and as text after,
/// counts as numbers except `bg`, which is German text with a thousands dot, money as
/// numbers, `datenstand` as date cells, `soll_pct` as a percentage cell (2,1 %), a number
/// and German text.
#[allow(clippy::cast_possible_truncation)]
fn write_workbooks(fx: &Fixture) {
    let jobcenter: Vec<Vec<Cell>> = vec![
        [
            "jobcenter",
            "name",
            "land",
            "traeger",
            "vergleichstyp",
            "email",
        ]
        .map(text)
        .to_vec(),
        vec![
            Cell::Number(5554.0),
            text("Kreis Borken"),
            text("NRW"),
            text("zkT"),
            text("IIa"),
            text("jc@borken.example"),
        ],
        vec![
            Cell::Number(5558.0),
            text("Kreis Coesfeld"),
            text("NRW"),
            text("zkT"),
            text("IIa"),
            text("jc@coesfeld.example"),
        ],
    ];
    fx.file("jobcenter.xlsx", &workbook("Tabelle1", 0, &jobcenter));

    let mut header = vec![text("Jobcenter"), text("Monat")];
    header.extend(COLUMNS.iter().map(|c| text(c)));
    let mut rows = vec![header];
    for r in &fx.rows {
        let (year, month) = r.monat.split_once('-').unwrap();
        let (year, month): (u16, u8) = (year.parse().unwrap(), month.parse().unwrap());
        let mut row = vec![
            Cell::Number(r.jobcenter.parse().unwrap()),
            if year == 2016 {
                Cell::Date(year, month, 1)
            } else {
                text(&r.monat)
            },
        ];
        for c in COLUMNS {
            let v = &r.values.iter().find(|(n, _)| *n == c).unwrap().1;
            row.push(match c {
                "datenstand" => {
                    let p: Vec<u16> = v.split('-').map(|x| x.parse().unwrap()).collect();
                    Cell::Date(p[0], p[1] as u8, p[2] as u8)
                }
                // 700 as text, and a larger stock with a thousands dot.
                "bg" => text(v),
                "elb" if v == "1000" => text("1.000"),
                _ => Cell::Number(v.parse().unwrap()),
            });
        }
        rows.push(row);
    }
    // Two blank rows above the header: record lines are sheet rows.
    fx.file("monatswerte.xlsx", &workbook("Tabelle1", 2, &rows));

    let ziele = vec![
        ["jahr", "jobcenter", "ziel", "soll_pct"].map(text).to_vec(),
        vec![
            Cell::Number(2018.0),
            text("*"),
            text("int"),
            Cell::Percent(0.021),
        ],
        vec![Cell::Number(2018.0), text("*"), text("k2"), text("0,0")],
        vec![Cell::Number(2018.0), text("*"), text("k3"), text("-")],
        vec![
            Cell::Number(2018.0),
            text("*"),
            text("K3E1"),
            Cell::Number(4.0),
        ],
        vec![
            Cell::Number(2018.0),
            text("*"),
            text("lzb_je"),
            Cell::Number(0.0),
        ],
    ];
    fx.file("ziele.xlsx", &workbook("Tabelle1", 0, &ziele));
}

/// The fixture with one Jobcenter's values changed so that figures differ between the
/// two, and the CSV twin of [`write_workbooks`].
fn fixture() -> Fixture {
    Fixture::new()
        .rows_of("05558", |r| r.set("int", 25).set("llu_eur", "123456.78"))
        .row("05554", "2018-03", |r| r.set("int", 31))
}

fn read_file(dir: &std::path::Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn workbooks_give_the_same_figures_as_their_csv_twins() {
    let csv = fixture().write();
    csv.run(&["run", "--month", "2018-06", "--figures-only"])
        .expect_code(0);
    let xlsx = fixture();
    write_workbooks(&xlsx);
    let run = xlsx.run(&["run", "--month", "2018-06", "--figures-only"]);
    run.expect_code(0)
        // A numeric id loses its leading zero; it is padded with one warning per file.
        .expect_stderr("data/jobcenter.xlsx: Tabelle1!A2: Spalte \"jobcenter\": Kreisschlüssel mit führenden Nullen ergänzt: \"5554\" gelesen als \"05554\"")
        .expect_stderr("data/monatswerte.xlsx: Tabelle1!A4: Spalte \"jobcenter\": Kreisschlüssel mit führenden Nullen ergänzt");
    let a = read_file(&csv.out().join("2018-06"), "kennzahlen.csv");
    let b = read_file(&xlsx.out().join("2018-06"), "kennzahlen.csv");
    assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());
    // The target of int came from a cell showing 2,1 %: soll 2.1, not 0.021 or 2.1000000000000001.
    let k = xlsx.kennzahlen("2018-06");
    assert_eq!(k.get("05554", "int")[3], "2.1");
    assert_eq!(k.get("05554", "k3")[3], "0");

    // The manifest records the workbooks' SHA-256 like CSV files.
    let manifest: serde_json::Value =
        serde_json::from_slice(&read_file(&xlsx.out().join("2018-06"), "manifest.json")).unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 3);
    for name in ["jobcenter.xlsx", "monatswerte.xlsx", "ziele.xlsx"] {
        let entry = inputs
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in {inputs:?}"));
        let bytes = read_file(&xlsx.data(), name);
        let sha = Sha256::digest(&bytes)
            .iter()
            .fold(String::new(), |mut out, b| {
                let _ = write!(out, "{b:02x}");
                out
            });
        assert_eq!(entry["sha256"], sha.as_str());
        assert_eq!(entry["bytes"], bytes.len());
    }
    // `check` reads them the same way.
    xlsx.run(&["check"])
        .expect_code(0)
        .expect_stderr("monatswerte.xlsx");
}

/// A workbook of the fixture's monthly rows with one cell replaced (sheet row, column).
fn monatswerte_with(fx: &Fixture, row: usize, column: &str, cell: Cell) -> Vec<u8> {
    let mut header = vec![text("jobcenter"), text("monat")];
    // elb in column E, as in the contract's example.
    let columns = ["bg", "int", "elb", "lzb", "int_lzb", "llu_eur", "kdu_eur"];
    header.extend(columns.iter().map(|c| text(c)));
    let mut rows = vec![header];
    for r in &fx.rows {
        let mut cells = vec![text(&r.jobcenter), text(&r.monat)];
        for c in columns {
            let v = &r.values.iter().find(|(n, _)| *n == c).unwrap().1;
            cells.push(Cell::Number(v.parse().unwrap()));
        }
        rows.push(cells);
    }
    let col = 2 + columns.iter().position(|c| *c == column).unwrap();
    rows[row - 1][col] = cell;
    workbook("Tabelle1", 0, &rows)
}

#[test]
fn a_broken_cell_is_named_by_file_sheet_and_cell() {
    let fx = Fixture::new().write();
    std::fs::remove_file(fx.data().join("monatswerte.csv")).unwrap();
    let mut bytes = monatswerte_with(&fx, 17, "elb", text("12a"));
    fx.file("monatswerte.xlsx", &bytes);
    let before = crate::util::snapshot_tree(fx.dir.path());
    fx.run(&["run", "--figures-only"])
        .expect_code(2)
        .expect_stderr(
            "data/monatswerte.xlsx: Tabelle1!E17: Spalte \"elb\": erwartet wird eine ganze Zahl, gefunden wurde \"12a\"",
        )
        .expect_stderr("Es wurde nichts geschrieben.");
    assert_eq!(
        before,
        crate::util::snapshot_tree(fx.dir.path()),
        "nothing written"
    );

    // A count stored as a fraction, and a negative money amount (allowed).
    bytes = monatswerte_with(&fx, 9, "int", Cell::Number(12.5));
    fx.file("monatswerte.xlsx", &bytes);
    fx.run(&["check"]).expect_code(2).expect_stderr(
        "data/monatswerte.xlsx: Tabelle1!D9: Spalte \"int\": erwartet wird eine ganze Zahl, gefunden wurde \"12,5\"",
    );
    bytes = monatswerte_with(&fx, 9, "llu_eur", Cell::Number(-12.5));
    fx.file("monatswerte.xlsx", &bytes);
    fx.run(&["check"]).expect_code(0);

    // A sheet name with a space is quoted as in an Excel reference; a row-level warning
    // names the row.
    let mut rows = vec![["jobcenter", "name", "land"].map(text).to_vec()];
    rows.push(vec![text("05554"), text("Kreis Borken"), text("NRW")]);
    rows.push(vec![text("05558"), Cell::Empty, text("NRW")]);
    std::fs::remove_file(fx.data().join("jobcenter.csv")).unwrap();
    fx.file("jobcenter.xlsx", &workbook("Daten 2018", 0, &rows));
    fx.run(&["check"]).expect_code(2).expect_stderr(
        "data/jobcenter.xlsx: 'Daten 2018'!B3: Spalte \"name\": erwartet wird ein Wert, gefunden wurde eine leere Zelle",
    );

    // Not a workbook at all.
    fx.file(
        "jobcenter.xlsx",
        b"jobcenter;name;land\n05554;Kreis Borken;NRW\n",
    );
    fx.run(&["check"])
        .expect_code(2)
        .expect_stderr("data/jobcenter.xlsx: erwartet wird eine Excel-Arbeitsmappe (.xlsx), sie kann nicht gelesen werden");
    // An empty workbook.
    let mut wb = Workbook::new();
    wb.add_worksheet();
    fx.file("jobcenter.xlsx", &wb.save_to_buffer().unwrap());
    fx.run(&["check"])
        .expect_code(2)
        .expect_stderr("data/jobcenter.xlsx: erwartet wird eine Kopfzeile im ersten sichtbaren Tabellenblatt \"Sheet1\", das Blatt ist leer");
}

#[test]
fn csv_errors_keep_their_form_and_both_twins_are_ambiguous() {
    let fx = Fixture::new()
        .row("05554", "2016-07", |r| r.set("elb", "12a"))
        .write();
    // CSV line 8 (header + 6 rows of 2016 before July + 1).
    fx.run(&["check"]).expect_code(2).expect_stderr(
        "  data/monatswerte.csv:8: Spalte \"elb\": erwartet wird eine ganze Zahl, gefunden wurde \"12a\"\n",
    );
    let fx = Fixture::new().write();
    fx.file(
        "ziele.xlsx",
        &workbook(
            "Tabelle1",
            0,
            &[["jahr", "jobcenter", "ziel", "soll_pct"].map(text).to_vec()],
        ),
    );
    fx.run(&["check"]).expect_code(2).expect_stderr(
        "data/ziele.xlsx: erwartet wird entweder data/ziele.csv oder diese Arbeitsmappe, gefunden wurden beide",
    );
    // Without the CSV twin, a workbook of targets without rows is fine (no targets).
    std::fs::remove_file(fx.data().join("ziele.csv")).unwrap();
    fx.run(&["check"]).expect_code(0);
}

/// The first sheet of a workbook as rows of cells.
fn sheet(bytes: &[u8], index: usize) -> (String, Vec<Vec<Data>>) {
    let mut wb = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[index].clone();
    let range = wb.worksheet_range(&name).unwrap();
    (name, range.rows().map(<[Data]>::to_vec).collect())
}

/// One part of a workbook (a zip file) as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut out = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut out)
        .unwrap();
    out
}

#[test]
#[allow(clippy::float_cmp)] // the workbook must hold exactly the numbers of the CSV file
#[allow(clippy::cast_precision_loss)]
fn kennzahlen_xlsx_holds_the_values_of_kennzahlen_csv() {
    let fx = fixture().write();
    fx.run(&["run", "--month", "2018-06", "--figures-only"])
        .expect_code(0);
    let folder = fx.out().join("2018-06");
    let bytes = read_file(&folder, "kennzahlen.xlsx");
    let csv = String::from_utf8(read_file(&folder, "kennzahlen.csv")).unwrap();
    let (name, rows) = sheet(&bytes, 0);
    assert_eq!(name, "Kennzahlen");
    let titles: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(
        titles,
        [
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
            "Vorjahr Restmonate"
        ]
    );
    let lines: Vec<Vec<String>> = csv.lines().skip(1).map(split_csv_line).collect();
    assert_eq!(
        rows.len() - 1,
        lines.len(),
        "one row per entity and Kennzahl"
    );
    // CSV field → xlsx column: wert 3→6, vorjahr 4→7, veraenderung 5→8, soll 6→9,
    // mitglieder 8→11, soll_wert 9→12, jahres_soll 10→13, rest_bedarf 11→14, vorjahr_rest 12→15.
    let numeric = [
        (3, 6),
        (4, 7),
        (5, 8),
        (6, 9),
        (8, 11),
        (9, 12),
        (10, 13),
        (11, 14),
        (12, 15),
    ];
    let mut compared = 0;
    for (line, row) in lines.iter().zip(&rows[1..]) {
        assert_eq!(row[0], Data::String(line[0].clone()));
        assert_eq!(row[3], Data::String(line[1].clone()));
        assert_eq!(row[4], Data::String(line[2].clone()));
        for (c, x) in numeric {
            match (&line[c], &row[x]) {
                (v, Data::Empty) => {
                    assert!(v.is_empty(), "{line:?} field {c}: {v} missing in xlsx");
                }
                (v, Data::Float(f)) => {
                    assert_eq!(v.parse::<f64>().unwrap(), *f, "{line:?} field {c}");
                    compared += 1;
                }
                (v, Data::Int(i)) => {
                    assert_eq!(v.parse::<f64>().unwrap(), *i as f64, "{line:?} field {c}");
                    compared += 1;
                }
                (v, other) => panic!("{line:?} field {c}: {v} vs {other:?}"),
            }
        }
        let words = match line[7].as_str() {
            "" => "",
            "erreicht" => "erreicht",
            "knapp_verfehlt" => "knapp verfehlt",
            "verfehlt" => "verfehlt",
            "kein_ziel" => "kein Ziel",
            "keine_daten" => "keine Daten",
            other => panic!("status {other}"),
        };
        let status = match &row[10] {
            Data::Empty => String::new(),
            d => d.to_string(),
        };
        assert_eq!(status, words, "{line:?}");
    }
    assert!(compared > 100, "compared {compared} numbers");
    // Names beside ids; aggregates named.
    assert_eq!(rows[1][1], Data::String("Kreis Borken".into()));
    assert!(rows.iter().any(
        |r| r[0] == Data::String("LAND:NRW".into()) && r[1] == Data::String("Land NRW".into())
    ));

    // Frozen header, autofilter, German display formats (Excel shows #,##0 as #.##0).
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("state=\"frozen\""), "{xml:.400}");
    assert!(xml.contains("<autoFilter ref=\"A1:P"), "autofilter");
    let styles = part(&bytes, "xl/styles.xml");
    for code in ["#,##0", "#,##0 &quot;€&quot;", "+0.0&quot; %&quot;"] {
        assert!(styles.contains(code), "{code} in {styles:.2000}");
    }

    // The second sheet: one row per Jobcenter, the five targets side by side.
    let (name, rows) = sheet(&bytes, 1);
    assert_eq!(name, "Ziele");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][3].to_string(), "int: Wert");
    assert_eq!(rows[0][22].to_string(), "lzb_je: Status");
    let int = fx.kennzahlen("2018-06").get("05558", "int");
    assert_eq!(rows[2][0], Data::String("05558".into()));
    assert_eq!(rows[2][3], Data::Float(int[0].parse().unwrap()));
    assert_eq!(rows[2][4], Data::Float(int[2].parse().unwrap()));
    assert_eq!(rows[2][5], Data::Float(2.1));

    // Listed in the manifest; byte-identical on a rerun (SOURCE_DATE_EPOCH is set).
    let manifest = String::from_utf8(read_file(&folder, "manifest.json")).unwrap();
    assert!(
        manifest.contains("\"path\": \"kennzahlen.xlsx\""),
        "{manifest}"
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    fx.run(&["run", "--month", "2018-06", "--figures-only"])
        .expect_code(0);
    assert_eq!(
        bytes,
        read_file(&folder, "kennzahlen.xlsx"),
        "byte-identical rerun"
    );
    fx.run(&["verify", "out/2018-06"]).expect_code(0);
}

#[test]
fn vorlage_writes_templates_that_pass_check_when_filled() {
    let dir = tempfile::tempdir().unwrap();
    crate::util::run_in(dir.path(), &["vorlage", "--out", "vorlage"]).expect_code(0);
    let folder = dir.path().join("vorlage");
    let mw = read_file(&folder, "monatswerte.xlsx");
    let (_, rows) = sheet(&mw, 0);
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    for c in [
        "jobcenter",
        "monat",
        "elb",
        "llu_eur",
        "lzb_asyl8",
        "elb_frauen",
        "int_lzb_maenner",
        "datenstand",
    ] {
        assert!(header.iter().any(|h| h == c), "{c} in {header:?}");
    }
    assert_eq!(header.len(), 25);
    assert_eq!(rows.len(), 2, "one example row");
    // The example month is text, the Datenstand a date cell.
    assert_eq!(rows[1][1], Data::String("2018-01".into()));
    assert!(
        matches!(rows[1][24], Data::DateTime(_)),
        "{:?}",
        rows[1][24]
    );
    // Notes on the column titles, a month check.
    let notes = part(&mw, "xl/comments1.xml");
    assert!(
        notes.contains("Erwerbsfähige Leistungsberechtigte"),
        "{notes:.500}"
    );
    assert!(notes.contains("Einheit: Euro"));
    let xml = part(&mw, "xl/worksheets/sheet1.xml");
    assert!(
        xml.contains("<dataValidation type=\"custom\""),
        "month check"
    );

    let jc = read_file(&folder, "jobcenter.xlsx");
    let (_, rows) = sheet(&jc, 0);
    assert_eq!(rows[0].last().unwrap().to_string(), "vertreten_durch");
    assert_eq!(rows[1][0], Data::String("05554".into()));
    assert!(part(&jc, "xl/worksheets/sheet1.xml").contains("<formula1>\"zkT,gE\"</formula1>"));
    let zi = read_file(&folder, "ziele.xlsx");
    let xml = part(&zi, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("int,k2,k3,k3e1,lzb_je,llu"), "ziel list");
    assert!(xml.contains("k3e1_maenner"), "every Kennzahl in the list");

    // The example rows are a valid data folder, and a run over it works.
    let check = crate::util::run_in(dir.path(), &["check", "--data", "vorlage"]);
    check.expect_code(0);
    assert!(check.stdout().contains("1 Jobcenter, 1 Monatszeile, 1 Zielzeile, 0 Warnungen; letzter vollständiger Monat: 2018-01"), "{}", check.stdout());
    crate::util::run_in(dir.path(), &["run", "--data", "vorlage", "--figures-only"]).expect_code(0);
    // A second vorlage into the same folder refuses and leaves the files as they were.
    crate::util::run_in(dir.path(), &["vorlage", "--out", "vorlage", "--csv"])
        .expect_code(2)
        .expect_stderr("gibt es schon; es wurde nichts geschrieben");
    assert_eq!(mw, read_file(&folder, "monatswerte.xlsx"));

    // CSV templates: `;`-separated with the same columns, also valid.
    crate::util::run_in(dir.path(), &["vorlage", "--out", "csv", "--csv"]).expect_code(0);
    let text = String::from_utf8(read_file(&dir.path().join("csv"), "monatswerte.csv")).unwrap();
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert_eq!(first.split(';').collect::<Vec<_>>(), header);
    assert!(text.contains(";2500000,5;"), "decimal comma: {text}");
    let check = crate::util::run_in(dir.path(), &["check", "--data", "csv"]);
    check.expect_code(0);
    assert!(
        check
            .stdout()
            .contains("1 Jobcenter, 1 Monatszeile, 1 Zielzeile, 0 Warnungen"),
        "{}",
        check.stdout()
    );
}

/// A `,`-separated CSV file (no quoting, as `generate` writes it) as a workbook: numbers
/// as numeric cells, ids and months as text.
fn csv_to_workbook(text: &str) -> Vec<u8> {
    let rows: Vec<Vec<Cell>> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            line.split(',')
                .map(|v| match v.parse::<f64>() {
                    // Ids with a leading zero stay text.
                    Ok(x) if i > 0 && !(v.len() > 1 && v.starts_with('0') && !v.contains('.')) => {
                        Cell::Number(x)
                    }
                    _ => text_cell(v),
                })
                .collect()
        })
        .collect();
    workbook("Tabelle1", 0, &rows)
}

fn text_cell(v: &str) -> Cell {
    if v.is_empty() { Cell::Empty } else { text(v) }
}

/// Times `check` and `run --figures-only` on the synthetic 405 Jobcenters × 10 years, as
/// CSV and as workbooks (`cargo test --release --test integration excel::timing -- --ignored --nocapture`).
#[test]
#[ignore = "a measurement, not a check"]
fn timing_405_jobcenters_from_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    crate::util::run_in(dir.path(), &["generate", "--out", "csv"]).expect_code(0);
    let xlsx = dir.path().join("xlsx");
    std::fs::create_dir_all(&xlsx).unwrap();
    for stem in ["jobcenter", "monatswerte", "ziele"] {
        let text =
            std::fs::read_to_string(dir.path().join("csv").join(format!("{stem}.csv"))).unwrap();
        std::fs::write(xlsx.join(format!("{stem}.xlsx")), csv_to_workbook(&text)).unwrap();
    }
    for data in ["csv", "xlsx"] {
        for args in [
            vec!["check", "--data", data],
            vec![
                "run",
                "--data",
                data,
                "--out",
                data,
                "--figures-only",
                "--month",
                "2018-06",
            ],
        ] {
            let started = std::time::Instant::now();
            crate::util::run_in(dir.path(), &args).expect_code(0);
            eprintln!(
                "{}: {:.2} s",
                args.join(" "),
                started.elapsed().as_secs_f64()
            );
        }
    }
    let a = std::fs::read(dir.path().join("csv/2018-06/kennzahlen.csv")).unwrap();
    let b = std::fs::read(dir.path().join("xlsx/2018-06/kennzahlen.csv")).unwrap();
    assert!(a == b, "same figures from workbooks");
    let size = std::fs::metadata(xlsx.join("monatswerte.xlsx"))
        .unwrap()
        .len();
    eprintln!("monatswerte.xlsx: {} KiB", size / 1024);
}

/// The fixture's monthly rows as a workbook with the given header (the required columns
/// and `extra` after them, whose cells hold 1), `title` rows above it.
fn monatswerte_workbook(fx: &Fixture, header: &[&str], title: &[&str]) -> Vec<u8> {
    let mut rows: Vec<Vec<Cell>> = title.iter().map(|t| vec![text(t)]).collect();
    rows.push(header.iter().map(|h| text(h)).collect());
    for r in &fx.rows {
        let mut cells = vec![text(&r.jobcenter), text(&r.monat)];
        for c in ["elb", "bg", "int", "lzb", "int_lzb", "llu_eur", "kdu_eur"] {
            let v = &r.values.iter().find(|(n, _)| *n == c).unwrap().1;
            cells.push(Cell::Number(v.parse().unwrap()));
        }
        cells.extend(header[9..].iter().map(|_| Cell::Number(1.0)));
        rows.push(cells);
    }
    workbook("Tabelle1", 0, &rows)
}

const REQUIRED: [&str; 9] = [
    "jobcenter",
    "monat",
    "elb",
    "bg",
    "int",
    "lzb",
    "int_lzb",
    "llu_eur",
    "kdu_eur",
];

/// A fixture whose monthly rows are a workbook written by `f`.
fn with_monatswerte_workbook(f: impl FnOnce(&Fixture) -> Vec<u8>) -> Fixture {
    let fx = Fixture::new().write();
    std::fs::remove_file(fx.data().join("monatswerte.csv")).unwrap();
    let bytes = f(&fx);
    fx.file("monatswerte.xlsx", &bytes);
    fx
}

#[test]
fn a_misspelt_column_of_a_workbook_is_named_by_its_cell() {
    // int_svp (for int_svb) in column J, and a column nothing is close to in K.
    let mut header = REQUIRED.to_vec();
    header.extend(["int_svp", "Bemerkung"]);
    let fx = with_monatswerte_workbook(|fx| monatswerte_workbook(fx, &header, &[]));
    let check = fx.run(&["check"]);
    check
        .expect_code(0)
        .expect_stderr("data/monatswerte.xlsx: Tabelle1!J1: unbekannte Spalte \"int_svp\" wird nicht gelesen – gemeint ist vermutlich \"int_svb\"")
        .expect_stderr("data/monatswerte.xlsx: Tabelle1!K1: unbekannte Spalte \"bemerkung\" wird nicht gelesen\n");
    assert!(check.stdout().contains("2 Warnungen"), "{}", check.stdout());
}

#[test]
fn a_title_row_above_the_header_is_one_hint() {
    let fx = with_monatswerte_workbook(|fx| {
        monatswerte_workbook(fx, &REQUIRED, &["Monatswerte 2016 bis 2018", ""])
    });
    let check = fx.run(&["check"]);
    check.expect_code(2).expect_stderr(
        "data/monatswerte.xlsx: Tabelle1 row 1: die Pflichtspalten fehlen in der ersten Zeile, aber Zeile 3 sieht aus wie die Kopfzeile",
    );
    let stderr = check.stderr();
    assert!(!stderr.contains("missing required column"), "{stderr}");
    assert_eq!(stderr.matches("monatswerte.xlsx").count(), 1, "{stderr}");
}

#[test]
fn german_labels_in_the_header_point_to_vorlage() {
    let labels = [
        "Jobcenter",
        "Monat",
        "ELB",
        "BG",
        "Integrationen",
        "LZB",
        "Integrationen LZB",
        "LLU (€)",
        "KdU (€)",
    ];
    let fx = with_monatswerte_workbook(|fx| monatswerte_workbook(fx, &labels, &[]));
    let check = fx.run(&["check"]);
    check
        .expect_code(2)
        .expect_stderr("data/monatswerte.xlsx: Tabelle1 row 1: die Kopfzeile enthält Bezeichnungen (\"integrationen\", \"integrationen lzb\", \"llu (€)\", \"kdu (€)\") statt der Spaltennamen; es fehlen die Pflichtspalten \"int\", \"int_lzb\", \"llu_eur\", \"kdu_eur\"")
        .expect_stderr("`zielbericht vorlage` schreibt eine Vorlage mit der richtigen Kopfzeile");
    let stderr = check.stderr();
    assert!(!stderr.contains("missing required column"), "{stderr}");
}

#[test]
#[allow(clippy::cast_possible_truncation)] // a few rows and columns
fn a_hidden_first_sheet_is_skipped_and_named() {
    let fx = Fixture::new().write();
    std::fs::remove_file(fx.data().join("jobcenter.csv")).unwrap();
    let mut wb = Workbook::new();
    // Stale figures in a hidden first sheet: a Jobcenter that no longer exists.
    let stale = wb.add_worksheet().set_name("Alt 2017").unwrap();
    for (c, v) in ["jobcenter", "name", "land"].iter().enumerate() {
        stale.write_string(0, c as u16, *v).unwrap();
    }
    for (c, v) in ["09999", "Kreis Alt", "BY"].iter().enumerate() {
        stale.write_string(1, c as u16, *v).unwrap();
    }
    stale.set_hidden(true);
    let ws = wb.add_worksheet().set_name("Aktuell").unwrap();
    let rows = [
        ["jobcenter", "name", "land"],
        ["05554", "Kreis Borken", "NRW"],
        ["05558", "Kreis Coesfeld", "NRW"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    ws.set_active(true);
    fx.file("jobcenter.xlsx", &wb.save_to_buffer().unwrap());
    let check = fx.run(&["check"]);
    check
        .expect_code(0)
        .expect_stderr("data/jobcenter.xlsx: das Tabellenblatt \"Alt 2017\" ist ausgeblendet und wird nicht gelesen; gelesen wird das erste sichtbare Tabellenblatt \"Aktuell\"");
    assert!(
        check.stdout().contains(": 2 Jobcenter,"),
        "{}",
        check.stdout()
    );
}

#[test]
#[allow(clippy::cast_possible_truncation)] // the fixture's rows and columns
fn a_cell_at_the_last_row_and_column_costs_nothing() {
    use std::time::{Duration, Instant};
    // A header cell at A1 and one cell at XFD1048576: a dense range would be 17 billion
    // cells (it was: "memory allocation of 549755813888 bytes failed").
    let fx = with_monatswerte_workbook(|_| {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "jobcenter").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        wb.save_to_buffer().unwrap()
    });
    assert!(
        std::fs::metadata(fx.data().join("monatswerte.xlsx"))
            .unwrap()
            .len()
            < 10_000
    );
    let start = Instant::now();
    fx.run(&["check"]).expect_code(2).expect_stderr(
        "data/monatswerte.xlsx: Sheet1 row 1: Pflichtspalte \"monat\" fehlt in der Kopfzeile",
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );

    // The same stray cell beside the real table is ignored.
    let fx = with_monatswerte_workbook(|fx| {
        let mut bytes = monatswerte_workbook(fx, &REQUIRED, &[]);
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("Tabelle1").unwrap();
        let (_, rows) = sheet(&bytes, 0);
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Data::String(s) => {
                        ws.write_string(r as u32, c as u16, s).unwrap();
                    }
                    Data::Float(x) => {
                        ws.write_number(r as u32, c as u16, *x).unwrap();
                    }
                    _ => {}
                }
            }
        }
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        bytes = wb.save_to_buffer().unwrap();
        bytes
    });
    let start = Instant::now();
    fx.run(&["check"]).expect_code(0);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

/// Sets the declared decompressed size of part `name` in both zip headers (local and
/// central directory) of `bytes`, as a hostile workbook would.
fn declare_size(bytes: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    let u16_at = |b: &[u8], i: usize| usize::from(u16::from_le_bytes([b[i], b[i + 1]]));
    for i in 0..bytes.len().saturating_sub(46) {
        let (size_at, name_len_at, name_at) = match &bytes[i..i + 4] {
            b"PK\x03\x04" => (22, 26, 30),
            b"PK\x01\x02" => (24, 28, 46),
            _ => continue,
        };
        let len = u16_at(bytes, i + name_len_at);
        if bytes.get(i + name_at..i + name_at + len) == Some(name.as_bytes()) {
            bytes[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "{name} in both headers");
}

#[test]
fn a_workbook_of_a_huge_string_is_refused() {
    // A part that would decompress to 1.5 GB: refused before it is read.
    let fx = with_monatswerte_workbook(|fx| {
        let mut bytes = monatswerte_workbook(fx, &REQUIRED, &[]);
        declare_size(&mut bytes, "xl/sharedStrings.xml", 1_500_000_000);
        bytes
    });
    fx.run(&["check"]).expect_code(2).expect_stderr(
        "data/monatswerte.xlsx: die Arbeitsmappe wird nicht gelesen: ihr Teil \"xl/sharedStrings.xml\" wäre entpackt 1.500.000.000 Bytes groß, erlaubt ist höchstens 1 GiB",
    );

    // A part whose header lies (declares less than it holds) is never inflated beyond
    // what it declares.
    let fx = with_monatswerte_workbook(|fx| {
        let mut bytes = monatswerte_workbook(fx, &REQUIRED, &[]);
        declare_size(&mut bytes, "xl/sharedStrings.xml", 100);
        bytes
    });
    fx.run(&["check"])
        .expect_code(2)
        .expect_stderr("data/monatswerte.xlsx: erwartet wird eine Excel-Arbeitsmappe (.xlsx), sie kann nicht gelesen werden");
}

/// `bytes` with part `name` replaced by `content`.
fn replace_part(bytes: &[u8], name: &str, content: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut from = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut to = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..from.len() {
        let mut part = from.by_index(i).unwrap();
        let part_name = part.name().unwrap().into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        to.start_file(part_name.as_str(), options).unwrap();
        to.write_all(if part_name == name { content } else { &data })
            .unwrap();
    }
    to.finish().unwrap().into_inner()
}

#[test]
fn a_text_longer_than_any_cell_is_refused() {
    // One shared string of 2 MiB (Excel stops at 32,767 characters a cell).
    let fx = with_monatswerte_workbook(|fx| {
        let bytes = monatswerte_workbook(fx, &REQUIRED, &[]);
        let sst = format!(
            "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>{}</t></si></sst>",
            "a".repeat(2 << 20)
        );
        replace_part(&bytes, "xl/sharedStrings.xml", sst.as_bytes())
    });
    fx.run(&["check"]).expect_code(2).expect_stderr(
        "data/monatswerte.xlsx: die Arbeitsmappe wird nicht gelesen: ihr Teil \"xl/sharedStrings.xml\" enthält einen Text von mehr als 1.048.576 Bytes",
    );
}

#[test]
fn a_real_huge_string_is_refused_in_seconds() {
    use std::io::Write as _;
    use std::time::{Duration, Instant};
    // A real workbook whose one shared string is 1.1 GiB of one letter: a 1.1 MB file.
    let fx = with_monatswerte_workbook(|_| {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .large_file(true);
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        zip.write_all(b"<sst><si><t>").unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..1100 {
            zip.write_all(&chunk).unwrap();
        }
        zip.write_all(b"</t></si></sst>").unwrap();
        zip.finish().unwrap().into_inner()
    });
    let start = Instant::now();
    fx.run(&["check"])
        .expect_code(2)
        .expect_stderr("data/monatswerte.xlsx: die Arbeitsmappe wird nicht gelesen: ihr Teil \"xl/sharedStrings.xml\" wäre entpackt");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}
