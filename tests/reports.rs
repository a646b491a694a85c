use std::path::Path;
use std::process::Command;

use crate::util::{Fixture, snapshot_tree};

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .replace('\u{a0}', " ")
}

/// Text with all whitespace runs collapsed (pdftotext breaks lines at will).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

const MARKUP_NAME: &str = r"Kreis #x *y* $z$ <a> @b \ ]";

fn fixture_with_names() -> Fixture {
    let mut fx = Fixture::new()
        .row("05554", "2018-01", |r| r.set("int", 25))
        .without_row("05558", "2018-02");
    fx.jobcenter = format!(
        "jobcenter,name,land,traeger,vergleichstyp\n05554,\"{MARKUP_NAME}\",NRW,zkT,IIa\n05558,\"{}\",NRW,zkT,IIa\n",
        "Stadt Mülheim an der Ruhr und Umgebung mit einem außergewöhnlich langen Namen, der nicht umbrechen darf ohne Grund",
    );
    fx.write()
}

#[test]
fn reports_hold_names_literally_and_german_figures() {
    let fx = fixture_with_names();
    fx.run(&["run", "--month", "2018-03"]).expect_code(0);
    let dir = fx.out().join("2018-03");
    let pdf = dir.join("05554_kreis-x-y-z-a-b.pdf");
    let text = flat(&pdftotext(&pdf));
    assert!(text.contains(MARKUP_NAME), "name not literal in:\n{text}");
    assert!(
        text.contains("Jahresfortschritt Januar bis März 2018"),
        "{text}"
    );
    // int: 65 against 60 → +8,3 %, soll +2,1 % (German format, real minus where negative).
    assert!(text.contains("+8,3 %"), "{text}");
    assert!(text.contains("+2,1 %"), "{text}");
    let kz = fx.kennzahlen("2018-03");
    assert_eq!(kz.get("05554", "int")[4], "erreicht");
    assert!(text.contains("auf Kurs"), "{text}");
    // No English chart or figure words.
    for english in ["Figure", "Table", "Page "] {
        assert!(!text.contains(english), "found {english:?}");
    }
}

#[test]
fn missing_values_print_as_k_a_with_footnote() {
    let fx = fixture_with_names();
    fx.run(&["run", "--month", "2018-03"]).expect_code(0);
    let dir = fx.out().join("2018-03");
    let long = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("05558_"))
        .expect("report of 05558");
    let name = long.file_name().to_string_lossy().into_owned();
    assert!(name.len() <= 5 + 1 + 60 + 4, "{name}");
    let text = flat(&pdftotext(&long.path()));
    assert!(text.contains("k. A."), "{text}");
    assert!(text.contains("keine Angabe"), "footnote missing:\n{text}");
    assert!(
        text.contains("Stadt Mülheim an der Ruhr und Umgebung"),
        "{text}"
    );
    let overview = flat(&pdftotext(&dir.join("uebersicht.pdf")));
    assert!(overview.contains("k. A."), "{overview}");
    assert!(overview.contains(MARKUP_NAME), "{overview}");
}

#[test]
fn pdfs_declare_pdf_a_and_ua_and_stay_small() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-09"]).expect_code(0);
    for entry in std::fs::read_dir(fx.out().join("2018-09"))
        .unwrap()
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "pdf") {
            let bytes = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                text.contains("pdfaid:part") || text.contains("pdfaid:part=\"2\""),
                "{} lacks PDF/A id",
                path.display()
            );
            assert!(
                text.contains("pdfuaid:part"),
                "{} lacks PDF/UA id",
                path.display()
            );
            assert!(
                bytes.len() <= 150 * 1024,
                "{} has {} bytes",
                path.display(),
                bytes.len()
            );
        }
    }
}

#[test]
fn reruns_with_source_date_epoch_are_byte_identical() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-06", "--out", "a"])
        .expect_code(0);
    fx.run(&["run", "--month", "2018-06", "--out", "b", "--jobs", "1"])
        .expect_code(0);
    let a = snapshot_tree(&fx.dir.path().join("a/2018-06"));
    let b = snapshot_tree(&fx.dir.path().join("b/2018-06"));
    assert_eq!(
        a.len(),
        6,
        "two reports, overview, kennzahlen.csv, kennzahlen.xlsx, manifest.json"
    );
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        if pa.ends_with("manifest.json") {
            continue; // names the --out folder in its command line
        }
        assert!(ba == bb, "{} differs", pa.display());
    }
}

#[test]
fn december_words_the_annual_outcome() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-12", "--jobcenter", "5554"])
        .expect_code(0);
    let dir = fx.out().join("2018-12");
    assert!(
        !dir.join("05558_kreis-coesfeld.pdf").exists(),
        "--jobcenter limits the reports"
    );
    let text = flat(&pdftotext(&dir.join("05554_kreis-borken.pdf")));
    assert!(text.contains("Jahresergebnis 2018"), "{text}");
    assert!(!text.contains("auf Kurs"), "{text}");
    // kennzahlen.csv still covers Coesfeld.
    assert!(fx.kennzahlen("2018-12").has("05558", "int"));
}

#[test]
fn a_broken_template_fails_its_reports_names_the_line_and_exits_1() {
    let fx = Fixture::new().write();
    let templates = fx.dir.path().join("vorlagen");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("report.typ"),
        "#let data = json(\"/data.json\")\n\n#data.nope.more\n",
    )
    .unwrap();
    let run = fx.run(&["run", "--month", "2018-03", "--templates", "vorlagen"]);
    run.expect_code(1)
        .expect_stderr("report.typ:3")
        .expect_stderr("2 document(s) failed");
    let dir = fx.out().join("2018-03");
    assert!(
        dir.join("uebersicht.pdf").exists(),
        "the overview still renders"
    );
    assert!(dir.join("kennzahlen.csv").exists());
    assert!(!dir.join("05554_kreis-borken.pdf").exists());
}

#[test]
fn textbausteine_can_be_customised() {
    let fx = Fixture::new().write();
    let texte = fx.dir.path().join("vorlagen/texte");
    std::fs::create_dir_all(&texte).unwrap();
    std::fs::write(
        texte.join("bewertung.txt.j2"),
        "Eigener Baustein für {{ kennzahl }}: {{ wert }}.",
    )
    .unwrap();
    fx.run(&["run", "--month", "2018-03", "--templates", "vorlagen"])
        .expect_code(0);
    let text = flat(&pdftotext(&fx.out().join("2018-03/05554_kreis-borken.pdf")));
    assert!(text.contains("Eigener Baustein für int: 60."), "{text}");
}
