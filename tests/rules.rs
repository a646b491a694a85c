//! Issue 19: rules that had no test — at most five Gesprächspunkte, ties in the ranks,
//! the shipped sample as the generator writes it, the PDF/A part every PDF of a run
//! declares, and the wording read once per command.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::util::{Fixture, Row, bin, run_in};

/// The JSON handed to the report template of `file` (`run --emit-data json`).
fn report_data(fx: &Fixture, file: &str) -> serde_json::Value {
    let path = fx.dir.path().join("json").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A Jobcenter's `rang` of the target `kennzahl` in its report data.
fn rang(data: &serde_json::Value, kennzahl: &str) -> String {
    data["ziele"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["kennzahl"] == kennzahl)
        .unwrap_or_else(|| panic!("no target {kennzahl} in {}", data["ziele"]))["rang"]
        .as_str()
        .unwrap_or_else(|| panic!("no rank of {kennzahl} in {}", data["ziele"]))
        // Each rank is held together by no-break spaces (tested with the Textbausteine).
        .replace('\u{a0}', " ")
}

/// Seven points are due for Borken (five targets at risk, the distance to its
/// Vergleichstyp, the provisional months before the Datenstand); the report keeps the
/// first five by the order of the rules: the five targets at risk.
#[test]
fn at_most_five_talking_points_are_kept_of_seven_due() {
    // Every month of 2018 worse than 2017 for Borken: fewer Integrationen (20 → 10) and
    // Integrationen of LZB (8 → 4), more Langzeitleistungsbeziehende (600 → 700), so that
    // int, k2, k3, k3e1 and lzb_je all miss their targets of 2018.
    let fx = Fixture::new()
        .rows_of("05554", |r| {
            if r.monat.starts_with("2018") {
                r.set("int", 10).set("int_lzb", 4).set("lzb", 700)
            } else {
                r
            }
        })
        .write();
    fx.run(&["run", "--month", "2018-09", "--emit-data", "json"])
        .expect_code(0);
    let borken = report_data(&fx, "05554_kreis-borken.json");
    let ziele = borken["ziele"].as_array().unwrap();
    let at_risk: Vec<&str> = ziele
        .iter()
        .filter(|z| z["status"] == "verfehlt")
        .map(|z| z["bezeichnung"].as_str().unwrap())
        .collect();
    assert_eq!(at_risk.len(), 5, "five targets missed: {ziele:?}");
    let points: Vec<&str> = borken["gespraechspunkte"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(points.len(), 5, "{points:#?}");
    for (point, name) in points.iter().zip(&at_risk) {
        assert!(
            point.starts_with(&format!("{name}: ")),
            "{name}: {points:#?}"
        );
    }
    // The two points cut are due: Coesfeld, a member of the same Vergleichstyp with the
    // same Datenstand, gets both.
    let coesfeld = report_data(&fx, "05558_kreis-coesfeld.json");
    let theirs: Vec<&str> = coesfeld["gespraechspunkte"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    for cut in ["Größter Abstand zum Vergleichstyp IIa", "noch vorläufig"] {
        assert!(theirs.iter().any(|p| p.contains(cut)), "{cut}: {theirs:#?}");
        assert!(
            !points.iter().any(|p| p.contains(cut)),
            "{cut}: {points:#?}"
        );
    }
}

/// Competition ranking: ties share a rank and the next rank skips ("1224").
///
/// Four Jobcenters of NRW in Vergleichstyp `IIa`, every month of 2017 as the fixture's
/// default (int 20, lzb 600), 2018 changed:
///
/// | Jobcenter | int 2018 | change  | rank (higher is better) | lzb 2018 | change | rank (lower is better) |
/// |-----------|----------|---------|-------------------------|----------|--------|------------------------|
/// | 05554     | 30       | +50 %   | 1                       | 600      | 0 %    | 3                      |
/// | 05558     | 25       | +25 %   | 2                       | 540      | −10 %  | 1                      |
/// | 05562     | 25       | +25 %   | 2 (tie)                 | 540      | −10 %  | 1 (tie)                |
/// | 05566     | 20       | 0 %     | 4 (3 is skipped)        | 660      | +10 %  | 4                      |
///
/// Rank = 1 + the number of members with a strictly better change.
#[test]
fn rank_ties_share_a_rank_and_the_next_rank_is_skipped() {
    let mut fx = Fixture::new();
    fx.jobcenter.push_str(
        "05562,Kreis Recklinghausen,NRW,zkT,IIa,jc@re.example\n\
         05566,Kreis Steinfurt,NRW,zkT,IIa,jc@st.example\n",
    );
    for id in ["05562", "05566"] {
        for year in 2016..=2018 {
            for month in 1..=12 {
                fx.rows.push(Row::new(id, year, month));
            }
        }
    }
    let changes = [
        ("05554", 30, 600),
        ("05558", 25, 540),
        ("05562", 25, 540),
        ("05566", 20, 660),
    ];
    for (id, int, lzb) in changes {
        fx = fx.rows_of(id, |r| {
            if r.monat.starts_with("2018") {
                r.set("int", int).set("lzb", lzb)
            } else {
                r
            }
        });
    }
    let fx = fx.write();
    fx.run(&["run", "--month", "2018-09", "--emit-data", "json"])
        .expect_code(0);
    let expected = [
        ("05554_kreis-borken.json", 1, 3),
        ("05558_kreis-coesfeld.json", 2, 1),
        ("05562_kreis-recklinghausen.json", 2, 1),
        ("05566_kreis-steinfurt.json", 4, 4),
    ];
    for (file, int_rank, k3_rank) in expected {
        let data = report_data(&fx, file);
        assert_eq!(
            rang(&data, "int"),
            format!(
                "Rang {int_rank} von 4 im Vergleichstyp IIa · Rang {int_rank} von 4 im Land NRW"
            ),
            "{file}"
        );
        assert_eq!(
            rang(&data, "k3"),
            format!("Rang {k3_rank} von 4 im Vergleichstyp IIa · Rang {k3_rank} von 4 im Land NRW"),
            "{file}"
        );
    }
}

/// The shipped sample in `data/` is byte for byte what `generate --sample` writes, plus
/// `bericht.toml`, which the generator does not write (see `data/README.md`).
#[test]
fn shipped_data_folder_is_what_generate_sample_writes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["generate", "--sample", "--out", "sample"]).expect_code(0);
    let generated = dir.path().join("sample");
    let names = |d: &Path| -> BTreeSet<String> {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let written = names(&generated);
    assert_eq!(
        written,
        ["README.md", "jobcenter.csv", "monatswerte.csv", "ziele.csv"]
            .map(String::from)
            .into(),
    );
    let mut shipped = names(&root);
    assert!(shipped.remove("bericht.toml"), "data/bericht.toml");
    assert_eq!(
        shipped, written,
        "data/ holds other files than the generator writes"
    );
    for name in &written {
        let a = std::fs::read(root.join(name)).unwrap();
        let b = std::fs::read(generated.join(name)).unwrap();
        assert!(
            a == b,
            "data/{name} differs from `generate --sample` ({} and {} bytes); regenerate it",
            a.len(),
            b.len()
        );
    }
}

/// Every PDF of a run (reports and overview) declares PDF/A-2a and PDF/UA-1 in its XMP
/// metadata. Regression: the check looked for the text `pdfaid:part` anywhere in the
/// file, which a PDF declaring another part (or none but the name) passed too.
#[test]
fn every_pdf_of_a_run_declares_pdf_a_2a_and_pdf_ua_1() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-09"]).expect_code(0);
    let mut pdfs = 0;
    for entry in std::fs::read_dir(fx.out().join("2018-09")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pdf") {
            let bytes = std::fs::read(&path).unwrap();
            crate::xmp::assert_pdfa_2a_and_ua_1(&bytes, &path.display().to_string());
            pdfs += 1;
        }
    }
    assert_eq!(pdfs, 3, "two reports and the overview");
}

/// `zielbericht ARGS` in the fixture under `strace`; the opens of the files below `tpl/`
/// that succeeded, by path.
fn opens_below_tpl(fx: &Fixture, args: &[&str]) -> Vec<String> {
    let trace = fx.dir.path().join("trace.txt");
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=open,openat,openat2", "-o"])
        .arg(&trace)
        .arg(bin())
        .args(args)
        .current_dir(fx.dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("ZIELBERICHT_DATA")
        .env_remove("ZIELBERICHT_TEMPLATES")
        .env_remove("TYPST_FONT_PATHS")
        .env_remove("ZIELBERICHT_SETTINGS")
        .output()
        .expect("strace (apt-get install strace; .ci/run does)");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let trace = std::fs::read_to_string(trace).unwrap();
    trace
        .lines()
        .filter(|l| !l.contains("= -1"))
        .filter_map(|l| Some(l.split_once("\"tpl")?.1.split_once('"')?.0))
        .map(|rest| format!("tpl{rest}"))
        .collect()
}

/// `run` and `archive` with `--templates DIR` holding its own `texte/kennzahlen.toml`:
/// the folder is walked once and the file opened once per command. Regression (issue 19):
/// `run` parsed it, the report planner parsed it again, and the Typst renderer read the
/// folder again (three opens). Counted with `strace`, which CI installs.
#[test]
fn the_templates_folder_and_kennzahlen_toml_are_read_once_per_command() {
    let fx = Fixture::new().write();
    let texte = fx.dir.path().join("tpl/texte");
    std::fs::create_dir_all(&texte).unwrap();
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/texte/kennzahlen.toml");
    std::fs::copy(builtin, texte.join("kennzahlen.toml")).unwrap();
    for args in [
        &["run", "--month", "2018-09", "--templates", "tpl"][..],
        &["archive", "--year", "2017", "--templates", "tpl"][..],
    ] {
        let opens = opens_below_tpl(&fx, args);
        let count = |path: &str| opens.iter().filter(|p| *p == path).count();
        assert_eq!(
            count("tpl/texte/kennzahlen.toml"),
            1,
            "{args:?}: {opens:#?}"
        );
        assert_eq!(
            count("tpl"),
            1,
            "{args:?}: the folder walked once: {opens:#?}"
        );
    }
    assert!(fx.out().join("2018-09/uebersicht.pdf").is_file());
}
