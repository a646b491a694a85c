use crate::util::{Fixture, run_in};

#[test]
fn default_month_is_the_latest_complete_one() {
    // Coesfeld's December 2018 lacks kdu_eur, so the latest complete month is November.
    let fx = Fixture::new()
        .row("05558", "2018-12", |r| r.set("kdu_eur", "*"))
        .write();
    fx.run(&["run", "--figures-only"]).expect_code(0);
    assert!(fx.out().join("2018-11/kennzahlen.csv").exists());
    assert!(!fx.out().join("2018-12").exists());
    let check = fx.run(&["check"]);
    assert!(
        check
            .expect_code(0)
            .stdout()
            .contains("letzter vollständiger Monat: 2018-11"),
        "{}",
        check.stdout()
    );
}

#[test]
fn no_complete_month_is_an_input_error() {
    let fx = Fixture::new()
        .rows_of("05558", |r| r.set("elb", ""))
        .write();
    fx.run(&["run", "--figures-only"])
        .expect_code(2)
        .expect_stderr(
            "data/monatswerte.csv: erwartet wird ein Monat, in dem jedes Jobcenter eine Zeile",
        );
    assert!(!fx.out().exists());
}

#[test]
fn a_month_without_any_row_is_an_input_error() {
    // Contract 4 (v4): a year typo must not give a folder of „k. A.“ reports. The fixture's
    // data end in December 2018.
    let fx = Fixture::new().write();
    let said = "data/monatswerte.csv: --month 2028-09: monatswerte.csv enthält keine Zeile für \
                September 2028; die letzten Daten sind von Dezember 2018.";
    fx.run(&["run", "--month", "2028-09"])
        .expect_code(2)
        .expect_stderr(said);
    fx.run(&["run", "--quarter", "2028-Q3", "--figures-only"])
        .expect_code(2)
        .expect_stderr("--quarter 2028-Q3: monatswerte.csv enthält keine Zeile für September 2028");
    fx.run(&["archive", "--year", "2028"])
        .expect_code(2)
        .expect_stderr("--year 2028: monatswerte.csv enthält keine Zeile für Dezember 2028");
    std::fs::write(
        fx.dir.path().join("termine.csv"),
        "jobcenter,datum,beginn,ort\n05554,2028-10-20,10:00,Borken\n",
    )
    .unwrap();
    fx.run(&[
        "invite",
        "--month",
        "2028-09",
        "--termine",
        "termine.csv",
        "--from",
        "zielsteuerung@mags.example",
    ])
    .expect_code(2)
    .expect_stderr("--month 2028-09: monatswerte.csv enthält keine Zeile für September 2028");
    assert!(!fx.out().exists(), "nothing written");
    // A month within the data, even one of a single Jobcenter, is not refused.
    let fx = Fixture::new().without_row("05558", "2018-12").write();
    fx.run(&["run", "--month", "2018-12", "--figures-only"])
        .expect_code(0);
}

#[test]
fn unusable_arguments_exit_2_and_write_nothing() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-13"])
        .expect_code(2)
        .expect_stderr("ungültiger Wert \"2018-13\" für --month <YYYY-MM>: erwartet wird JJJJ-MM, gefunden wurde \"2018-13\"");
    fx.run(&["run", "--tolerance", "abc"])
        .expect_code(2)
        .expect_stderr("--tolerance");
    fx.run(&["run", "--jobcenter", "12345"])
        .expect_code(2)
        .expect_stderr("steht nicht in jobcenter.csv");
    fx.run(&["run", "--bogus"]).expect_code(2);
    fx.run(&["run", "--data", "nowhere"])
        .expect_code(2)
        .expect_stderr("nowhere/jobcenter.csv: Datei nicht gefunden");
    assert!(!fx.out().exists());
}

#[test]
fn manifest_names_inputs_and_outputs_with_sha256() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let text = std::fs::read_to_string(fx.out().join("2018-03/manifest.json")).unwrap();
    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(m["berichtsmonat"], "2018-03");
    // The version with the commit and the Typst version, as `--version` prints it.
    let version = m["version"].as_str().unwrap();
    assert!(
        version.starts_with(concat!(env!("CARGO_PKG_VERSION"), " (Commit "))
            && version.contains(", Typst 0.15."),
        "{version}"
    );
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 3);
    let kz = std::fs::read(fx.out().join("2018-03/kennzahlen.csv")).unwrap();
    let files = m["files"].as_array().unwrap();
    let entry = files
        .iter()
        .find(|f| f["path"] == "kennzahlen.csv")
        .unwrap();
    assert_eq!(entry["sha256"].as_str().unwrap(), sha256(&kz));
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[test]
fn shipped_sample_data_is_clean_and_complete_for_december_2018() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = run_in(root, &["check", "--data", "data"]);
    run.expect_code(0);
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    assert!(run.stdout().contains("18 Jobcenter"), "{}", run.stdout());
    assert!(
        run.stdout()
            .contains("letzter vollständiger Monat: 2018-12"),
        "{}",
        run.stdout()
    );
}

#[test]
fn generator_writes_a_loadable_synthetic_set() {
    let dir = tempfile::tempdir().unwrap();
    run_in(
        dir.path(),
        &[
            "generate",
            "--out",
            "gen",
            "--jobcenters",
            "30",
            "--years",
            "3",
            "--first-year",
            "2016",
        ],
    )
    .expect_code(0);
    let run = run_in(dir.path(), &["run", "--data", "gen", "--figures-only"]);
    run.expect_code(0);
    assert!(dir.path().join("out/2018-12/kennzahlen.csv").exists());

    // Regression: `generate --out data` silently replaced delivered figures. An existing
    // data file is refused (exit 2, untouched) unless --force is given.
    let before = std::fs::read(dir.path().join("gen/monatswerte.csv")).unwrap();
    run_in(
        dir.path(),
        &[
            "generate",
            "--out",
            "gen",
            "--jobcenters",
            "3",
            "--years",
            "1",
        ],
    )
    .expect_code(2)
    .expect_stderr("liegen schon");
    assert_eq!(
        std::fs::read(dir.path().join("gen/monatswerte.csv")).unwrap(),
        before
    );
    run_in(
        dir.path(),
        &[
            "generate",
            "--out",
            "gen",
            "--jobcenters",
            "3",
            "--years",
            "1",
            "--force",
        ],
    )
    .expect_code(0);
    assert_ne!(
        std::fs::read(dir.path().join("gen/monatswerte.csv")).unwrap(),
        before
    );
}

/// The figures of the shipped sample for December 2018, as a reviewed snapshot.
#[test]
fn kennzahlen_of_the_sample_data() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let data = root.join("data");
    let run = run_in(
        dir.path(),
        &[
            "run",
            "--data",
            data.to_str().unwrap(),
            "--month",
            "2018-12",
            "--figures-only",
        ],
    );
    run.expect_code(0);
    let csv = std::fs::read_to_string(dir.path().join("out/2018-12/kennzahlen.csv")).unwrap();
    // Contract v4, checked by hand on Gelsenkirchen (05113): soll_wert = jahres_soll =
    // vorjahr × (1 + T/100) in December, T = soll_pct ∓ half a unit of its last decimal.
    // int +2,1 (T 2,05): 16.776 × 1,0205 = 17.119,908.
    // k2 0 (higher is better, T −0,05): 21,644240642 × 0,9995 = 21,633418522.
    // k3 −0,25 (lower is better, two decimals, T −0,245): 57.759,6667 × 0,99755 = 57.618,1555.
    // k3e1 4 (T 3,95): 13,879471390 × 1,0395 = 14,427710510.
    // lzb_je 0 (lower is better, T +0,05): 57.678 × 1,0005 = 57.706,839.
    // k2_frauen +2,5 (T 2,45): 17,606313481 × 1,0245 = 18,037668161.
    for (kennzahl, soll_wert) in [
        ("int", "17119.908"),
        ("k2", "21.633418521763907"),
        ("k3", "57618.155483333336"),
        ("k3e1", "14.427710509928735"),
        ("lzb_je", "57706.839"),
        ("k2_frauen", "18.03766816143498"),
    ] {
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("05113,2018-12,{kennzahl},")))
            .expect("row");
        let cells: Vec<&str> = row.split(',').collect();
        assert_eq!((cells[9], cells[10]), (soll_wert, soll_wert), "{row}");
    }
    insta::assert_snapshot!("kennzahlen_2018_12", csv);
}

/// `diff` after one value of one month was revised names exactly the figures that use it.
#[test]
fn diff_names_exactly_the_revised_figures() {
    let fx = crate::util::Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only", "--out", "a"])
        .expect_code(0);
    // Revise Borken's integrations of February 2018: 20 → 26.
    let mw = crate::util::Fixture::new()
        .row("05554", "2018-02", |r| r.set("int", 26))
        .monatswerte_csv(&crate::util::COLUMNS);
    fx.file("monatswerte.csv", mw.as_bytes());
    fx.run(&["run", "--month", "2018-03", "--figures-only", "--out", "b"])
        .expect_code(0);
    // A rerun over an earlier run of the month says how much changed.
    fx.run(&["run", "--month", "2018-03", "--figures-only", "--out", "b"])
        .expect_code(0)
        .expect_stderr("Vergleich mit dem vorigen Lauf für 2018-03: 0 Kennzahlwert(e)");
    let same = fx.run(&["diff", "a/2018-03", "a/2018-03"]);
    same.expect_code(0);
    assert!(
        same.stdout().contains("0 Kennzahlwert(e)"),
        "{}",
        same.stdout()
    );
    let run = fx.run(&["diff", "a/2018-03", "b/2018-03", "--format", "csv"]);
    run.expect_code(1);
    let changed: std::collections::BTreeSet<(String, String)> = run
        .stdout()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    // int 60 → 66 and K2 (its numerator) and bedarfsdeckend (int is its denominator), for
    // Borken and both aggregates; nothing else (k3, elb, llu … do not read int).
    let mut expected = std::collections::BTreeSet::new();
    for e in ["05554", "LAND:NRW", "VT:IIa"] {
        for k in ["int", "k2", "bedarfsdeckend"] {
            expected.insert((e.to_string(), k.to_string()));
        }
    }
    assert_eq!(changed, expected, "{}", run.stdout());
    // In words: old → new in German format.
    let text = fx.run(&["diff", "a/2018-03", "b/2018-03"]);
    assert!(
        text.stdout().contains("Integrationen, wert: 60 → 66"),
        "{}",
        text.stdout()
    );
    // Data folders with --month give the same comparison.
    fx.run(&["diff", "data", "b/2018-03"])
        .expect_code(2)
        .expect_stderr("--month");
    fx.run(&["diff", "data", "b/2018-03", "--month", "2018-03"])
        .expect_code(0);
    // Regression (review): a reader that stops early (`| head -1`) made diff panic on the
    // closed pipe (exit 2, "internal error"). The read end is closed before diff writes.
    let mut child = crate::util::command(fx.dir.path(), &["diff", "a/2018-03", "b/2018-03"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panic"), "{err}");
}

/// `--font-path` and `TYPST_FONT_PATHS` hold several paths separated as `PATH` separates
/// them (`:` here, `;` on Windows, where `C:\…` holds a colon): each is checked on its own.
#[test]
fn font_path_lists_are_split_like_path() {
    let fx = Fixture::new().write();
    std::fs::create_dir_all(fx.dir.path().join("schriften")).unwrap();
    let list = std::env::join_paths(["schriften", "fehlt"]).unwrap();
    let list = list.to_str().unwrap();
    fx.run(&["run", "--font-path", list])
        .expect_code(2)
        .expect_stderr("--font-path: fehlt gibt es nicht");
    let out = crate::util::command(fx.dir.path(), &["run"])
        .env("TYPST_FONT_PATHS", list)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--font-path: fehlt gibt es nicht"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
