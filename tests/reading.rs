use crate::util::{COLUMNS, Fixture};

/// The same figures as an Excel export: Windows-1252, `;`, decimal commas with thousands
/// dots, ids without leading zeros, months as dates, CRLF, a BOM-less header in mixed case.
#[test]
fn excel_dialect_gives_the_same_figures_as_plain_csv() {
    let plain = Fixture::new()
        .row("05554", "2018-02", |r| r.set("llu_eur", "1234567.89"))
        .write();
    plain
        .run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);

    let excel = Fixture::new();
    let mut mw = String::from("Jobcenter ; Monat;");
    mw.push_str(&COLUMNS.map(str::to_uppercase).join(";"));
    mw.push_str(";Bemerkung\r\n");
    for (i, r) in plain.rows.iter().enumerate() {
        let id = r.jobcenter.trim_start_matches('0');
        let (y, m) = r.monat.split_once('-').unwrap();
        let monat = if i % 2 == 0 {
            format!("01.{m}.{y}")
        } else {
            format!("{m}.{y}")
        };
        let mut line = format!("{id};{monat}");
        for c in COLUMNS {
            let v = r.values.iter().find(|(n, _)| *n == c).unwrap().1.clone();
            let v = match (c, v.as_str()) {
                ("llu_eur", "1234567.89") => "1.234.567,89".to_string(),
                ("llu_eur" | "kdu_eur", v) => v.replace('.', ","),
                ("elb", "1000") => "1.000".to_string(),
                _ => v,
            };
            line.push(';');
            line.push_str(&v);
        }
        line.push_str(";Köln\r\n");
        mw.push_str(&line);
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&mw);
    let excel = excel.write();
    excel.file("monatswerte.csv", &bytes);
    excel.file(
        "jobcenter.csv",
        &encoding_rs::WINDOWS_1252
            .encode("jobcenter;name;land;vergleichstyp\r\n5554;Kreis Borken;NRW;IIa\r\n5558;Kreis Coesfeld;NRW;IIa\r\n")
            .0,
    );
    excel.file("ziele.csv", b"jahr;jobcenter;ziel;soll_pct\r\n2018;*;int;2,1\r\n2018;*;k2;0,0\r\n2018;*;k3;0\r\n2018;*;k3e1;4,0\r\n2018;*;lzb_je;0,0\r\n");
    let run = excel.run(&["run", "--month", "2018-03", "--figures-only"]);
    run.expect_code(0)
        .expect_stderr("mit führenden Nullen ergänzt");
    assert_eq!(
        excel.kennzahlen("2018-03").text,
        plain.kennzahlen("2018-03").text
    );
}

#[test]
fn symbols_for_missing_and_zero() {
    let fx = Fixture::new()
        .row("05554", "2018-01", |r| r.set("int", "–"))
        .row("05554", "2018-02", |r| r.set("int", "-"))
        .row("05558", "2018-01", |r| r.set("int", "…"))
        .write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let k = fx.kennzahlen("2018-03");
    assert_eq!(k.get("05554", "int")[0], "20");
    assert_eq!(k.get("05558", "int")[0], "");
}

/// Regression: this test asserted only exit 0, so a quoted name cut at its comma or left
/// with its doubled quotes, or the row after a blank CR line dropped, passed. The name
/// must arrive intact in the data handed to the report, the next row must be read.
#[test]
fn cr_line_ends_and_quoted_cells_arrive_intact() {
    let fx = Fixture::new().write();
    fx.file(
        "jobcenter.csv",
        b"jobcenter,name,land,vergleichstyp\r05554,\"Kreis \"\"Borken\"\", Westf.\",NRW,IIa\r\r05558,Kreis Coesfeld,NRW,IIa\r",
    );
    fx.run(&["run", "--month", "2018-03", "--emit-data", "json"])
        .expect_code(0);
    let json = fx.dir.path().join("json");
    let mut names: Vec<String> = std::fs::read_dir(&json)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "05554_kreis-borken-westf.json",
            "05558_kreis-coesfeld.json",
            "uebersicht.json"
        ]
    );
    let report = std::fs::read_to_string(json.join("05554_kreis-borken-westf.json")).unwrap();
    let data: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(data["jobcenter"]["name"], "Kreis \"Borken\", Westf.");
    assert_eq!(data["jobcenter"]["land"], "NRW");
    // The Vergleichstyp after the quoted cell is its own column: both Jobcenters are
    // members of IIa.
    let k = fx.kennzahlen("2018-03");
    assert_eq!(k.get("VT:IIa", "int")[5], "2", "{}", k.text);
}
