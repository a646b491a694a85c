use super::*;

#[test]
fn percentages_move_the_point_in_the_text() {
    assert_eq!(shift_percent("0.021"), "2.1");
    assert_eq!(shift_percent("-0.0025"), "-0.25");
    assert_eq!(shift_percent("2"), "200");
    assert_eq!(shift_percent("0"), "0");
    assert_eq!(shift_percent("0.5"), "50");
    assert_eq!(shift_percent("1.23456"), "123.456");
    // 0.021 as a float times 100 is 2.1000000000000001: not what the cell shows.
    assert_eq!(number(0.021, true), "2,1");
    assert_eq!(number(2.1, false), "2,1");
    assert_eq!(number(12.0, false), "12");
    assert_eq!(number(-1234.5, false), "-1234,5");
    assert_eq!(number(0.1 + 0.2, false), "0,30000000000000004");
}

#[test]
fn time_cells_as_a_time_of_day_and_date_cells_as_a_date() {
    use calamine::{
        ExcelDateTime,
        ExcelDateTimeType::{DateTime, TimeDelta},
    };
    let cell = |serial, kind| {
        text(
            &Data::DateTime(ExcelDateTime::new(serial, kind, false)),
            || false,
        )
    };
    // 9:30 is 9.5 / 24 of a day = 0.395833…; Excel stores it rounded.
    assert_eq!(cell(9.5 / 24.0, DateTime), "09:30");
    assert_eq!(cell(9.5 / 24.0, TimeDelta), "09:30");
    assert_eq!(cell(0.0, DateTime), "00:00");
    assert_eq!(
        cell((10.0 * 3600.0 + 15.0) / 86_400.0, DateTime),
        "10:00:15"
    );
    // 2018-10-09 is serial 43382; with a time of day it is still that date.
    assert_eq!(cell(43_382.0, DateTime), "2018-10-09");
    assert_eq!(cell(43_382.4, DateTime), "2018-10-09");
    // A duration of more than a day is a number.
    assert_eq!(cell(1.5, TimeDelta), "1,5");
}

#[test]
fn percent_formats() {
    assert!(is_percent_format("0%"));
    assert!(is_percent_format("0.00%"));
    assert!(is_percent_format("0.0 %"));
    assert!(!is_percent_format("0.0\"%\""));
    assert!(!is_percent_format("0.0\\%"));
    assert!(!is_percent_format("General"));
    assert!(!is_percent_format("#,##0;[Red]-#,##0%"));
}

#[test]
fn parts_are_scanned_across_chunks() {
    // 70,000 strings: the 64 KiB chunks cut `<si>` at every possible place.
    let mut xml = String::from("<sst>");
    for i in 0..70_000 {
        if i % 3 == 0 {
            xml.push_str("<x:si><x:t>a</x:t></x:si>");
        } else if i % 3 == 1 {
            xml.push_str("<si/>");
        } else {
            xml.push_str("<si>\n<t xml:space=\"preserve\">si </t></si>");
        }
    }
    xml.push_str("</sst>");
    let scan = Scan::of(xml.as_bytes()).unwrap();
    assert_eq!(scan.strings, 70_000);
    // <sst>, four for each of 23,334 + 23,333 strings with a text, one for each of
    // 23,333 `<si/>`, </sst>.
    assert_eq!(scan.elements, 2 + 4 * 46_667 + 23_333);
    assert_eq!(
        scan.longest_run,
        "<t xml:space=\"preserve\">si ".len() as u64
    );
    let long = format!("<sst><si><t>{}</t></si><si/></sst>", "a".repeat(200_000));
    let scan = Scan::of(long.as_bytes()).unwrap();
    assert_eq!(scan.longest_run, 200_003);
    // From the end of `<si` to the end of the next `<si`: `>`, `<t>`, the text,
    // `</t></si>`, `<si`.
    assert_eq!(scan.longest_si, 1 + 3 + 200_000 + 9 + 3);
}

#[test]
fn letters() {
    assert_eq!(column_letters(0), "A");
    assert_eq!(column_letters(4), "E");
    assert_eq!(column_letters(25), "Z");
    assert_eq!(column_letters(26), "AA");
    assert_eq!(column_letters(701), "ZZ");
    assert_eq!(column_letters(702), "AAA");
    assert_eq!(column_letters(16_383), "XFD");
}

#[test]
fn sheet_names_are_quoted_where_excel_quotes_them() {
    assert_eq!(quoted_sheet("Tabelle1"), "Tabelle1");
    assert_eq!(quoted_sheet("Daten 2018"), "'Daten 2018'");
    assert_eq!(quoted_sheet("Jan's"), "'Jan''s'");
}
