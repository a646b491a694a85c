//! Reruns reuse the PDFs whose inputs are unchanged: byte-identical to a fresh rendering,
//! only the documents whose data changed are rendered again, and an earlier PDF that was
//! altered since is never copied.

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::{Fixture, Row, Run};

/// The two NRW Jobcenters of the fixture (Vergleichstyp `IIa`) and a third one of another
/// Land and Vergleichstyp, whose comparisons they do not enter.
fn three_jobcenters() -> Fixture {
    let mut fx = Fixture::new();
    fx.jobcenter
        .push_str("09162,Landkreis Musterstadt,BY,zkT,IIIb,jc@musterstadt.example\n");
    for year in 2016..=2018 {
        for month in 1..=12 {
            fx.rows.push(Row::new("09162", year, month));
        }
    }
    fx.write()
}

/// The documents a run marked "(übernommen)" in its progress lines.
fn reused(run: &Run) -> BTreeSet<String> {
    run.stderr()
        .lines()
        .filter_map(|l| l.strip_suffix(" (übernommen)"))
        .filter_map(|l| l.split_once("] ").map(|(_, f)| f.to_string()))
        .collect()
}

fn set(files: &[&str]) -> BTreeSet<String> {
    files.iter().map(|f| (*f).to_string()).collect()
}

const ALL: [&str; 4] = [
    "05554_kreis-borken.pdf",
    "05558_kreis-coesfeld.pdf",
    "09162_landkreis-musterstadt.pdf",
    "uebersicht.pdf",
];

/// Every PDF of `a` equals the one of the same name in `b`.
fn same_pdfs(a: &Path, b: &Path) {
    for file in ALL {
        let (x, y) = (std::fs::read(a.join(file)), std::fs::read(b.join(file)));
        assert!(
            x.as_ref().unwrap() == y.as_ref().unwrap(),
            "{file} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn a_rerun_reuses_every_pdf_byte_identical_to_a_fresh_rendering() {
    let fx = three_jobcenters();
    let first = fx.run(&["run", "--month", "2018-06"]);
    first.expect_code(0);
    assert!(reused(&first).is_empty(), "{}", first.stderr());
    let manifest = std::fs::read_to_string(fx.out().join("2018-06/manifest.json")).unwrap();
    assert_eq!(manifest.matches("\"render_key\"").count(), 4, "{manifest}");

    let again = fx.run(&["run", "--month", "2018-06"]);
    again
        .expect_code(0)
        .expect_stderr("4 Dokumente aus dem vorigen Lauf übernommen");
    assert_eq!(reused(&again), set(&ALL));
    fx.run(&["verify", "out/2018-06"]).expect_code(0);

    let fresh = fx.run(&["run", "--month", "2018-06", "--out", "frisch", "--no-reuse"]);
    fresh.expect_code(0);
    assert!(reused(&fresh).is_empty());
    same_pdfs(
        &fx.out().join("2018-06"),
        &fx.dir.path().join("frisch/2018-06"),
    );
    // --no-reuse in the same folder renders all again, to the same bytes.
    let no_reuse = fx.run(&["run", "--month", "2018-06", "--no-reuse"]);
    no_reuse.expect_code(0);
    assert!(reused(&no_reuse).is_empty(), "{}", no_reuse.stderr());
    same_pdfs(
        &fx.out().join("2018-06"),
        &fx.dir.path().join("frisch/2018-06"),
    );
}

#[test]
fn a_changed_jobcenter_rerenders_its_report_its_comparisons_and_the_overview() {
    let fx = three_jobcenters();
    fx.run(&["run", "--month", "2018-06"]).expect_code(0);
    // One cell of Kreis Borken: it enters the NRW and `IIa` averages Kreis Coesfeld is
    // compared with, not those of the Bavarian `IIIb` Landkreis.
    let fx = fx.row("05554", "2018-05", |r| r.set("int", "31")).write();
    let run = fx.run(&["run", "--month", "2018-06"]);
    run.expect_code(0)
        .expect_stderr("1 Dokument aus dem vorigen Lauf übernommen");
    assert_eq!(reused(&run), set(&["09162_landkreis-musterstadt.pdf"]));
    let fresh = fx.run(&["run", "--month", "2018-06", "--out", "frisch", "--no-reuse"]);
    fresh.expect_code(0);
    same_pdfs(
        &fx.out().join("2018-06"),
        &fx.dir.path().join("frisch/2018-06"),
    );
    fx.run(&["verify", "out/2018-06"]).expect_code(0);
}

#[test]
fn an_altered_earlier_pdf_is_rendered_again_not_copied() {
    let fx = three_jobcenters();
    fx.run(&["run", "--month", "2018-06"]).expect_code(0);
    let dir = fx.out().join("2018-06");
    let original = std::fs::read(dir.join("05554_kreis-borken.pdf")).unwrap();
    // One flipped bit (same length) and one truncated file.
    let mut bytes = original.clone();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(dir.join("05554_kreis-borken.pdf"), bytes).unwrap();
    let coesfeld = std::fs::read(dir.join("05558_kreis-coesfeld.pdf")).unwrap();
    std::fs::write(
        dir.join("05558_kreis-coesfeld.pdf"),
        &coesfeld[..coesfeld.len() - 10],
    )
    .unwrap();
    let run = fx.run(&["run", "--month", "2018-06"]);
    run.expect_code(0);
    assert_eq!(
        reused(&run),
        set(&["09162_landkreis-musterstadt.pdf", "uebersicht.pdf"])
    );
    assert!(std::fs::read(dir.join("05554_kreis-borken.pdf")).unwrap() == original);
    assert!(std::fs::read(dir.join("05558_kreis-coesfeld.pdf")).unwrap() == coesfeld);
    fx.run(&["verify", "out/2018-06"]).expect_code(0);
}

/// Without `SOURCE_DATE_EPOCH` the PDFs carry the start of the day, so a rerun on the
/// same day reuses every one of them.
#[test]
fn a_rerun_on_the_same_day_without_source_date_epoch_reuses() {
    let fx = three_jobcenters();
    let run = || {
        let day = chrono::Utc::now().date_naive();
        let out = crate::util::command(fx.dir.path(), &["run", "--month", "2018-06"])
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        (day, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (day1, first) = run();
    assert!(!first.contains("(übernommen)"), "{first}");
    let (day2, second) = run();
    if day1 == day2 && chrono::Utc::now().date_naive() == day2 {
        for file in ALL {
            assert!(second.contains(&format!("{file} (übernommen)")), "{second}");
        }
    }
}

#[test]
fn another_document_date_renders_again() {
    let fx = three_jobcenters();
    fx.run(&["run", "--month", "2018-06"]).expect_code(0);
    // SOURCE_DATE_EPOCH one second later: the PDFs' creation date differs.
    let out = crate::util::command(fx.dir.path(), &["run", "--month", "2018-06"])
        .env("SOURCE_DATE_EPOCH", "1700000001")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("(übernommen)"), "{stderr}");
}

#[test]
fn a_changed_template_renders_again() {
    let fx = three_jobcenters();
    let tpl = fx.dir.path().join("vorlagen");
    std::fs::create_dir_all(&tpl).unwrap();
    let style = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/style.typ");
    std::fs::copy(&style, tpl.join("style.typ")).unwrap();
    fx.run(&["run", "--month", "2018-06", "--templates", "vorlagen"])
        .expect_code(0);
    // The same template folder: everything reused.
    let same = fx.run(&["run", "--month", "2018-06", "--templates", "vorlagen"]);
    assert_eq!(reused(&same), set(&ALL));
    // A comment added to style.typ changes no page, but it is another input.
    let mut text = std::fs::read_to_string(&style).unwrap();
    text.push_str("\n// geändert\n");
    std::fs::write(tpl.join("style.typ"), text).unwrap();
    let changed = fx.run(&["run", "--month", "2018-06", "--templates", "vorlagen"]);
    changed.expect_code(0);
    assert!(reused(&changed).is_empty(), "{}", changed.stderr());
}

/// Regression (hostile test): `archive --supersede` reused a PDF of the superseded
/// edition whose bytes and manifest entry had both been replaced (another Jobcenter's
/// report), so the new edition carried the wrong report, sealed it in the register and
/// verified `ok`. An edition whose manifest is not the one the register recorded is now
/// never reused from.
#[test]
fn supersede_does_not_reuse_from_an_edition_that_fails_the_register() {
    let fx = Fixture::new().write();
    fx.run(&["archive", "--year", "2018"]).expect_code(0);
    let old = fx.out().join("archiv/2018/ausgabe-1");
    let (borken, coesfeld) = ("05554_kreis-borken.pdf", "05558_kreis-coesfeld.pdf");
    let wrong = std::fs::read(old.join(coesfeld)).unwrap();
    let right = std::fs::read(old.join(borken)).unwrap();
    std::fs::write(old.join(borken), &wrong).unwrap();
    let manifest_path = old.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let hash = {
        use sha2::Digest as _;
        sha2::Sha256::digest(&wrong)
            .iter()
            .fold(String::new(), |mut s, b| {
                use std::fmt::Write as _;
                let _ = write!(s, "{b:02x}");
                s
            })
    };
    for f in m["files"].as_array_mut().unwrap() {
        if f["path"] == borken {
            f["sha256"] = hash.clone().into();
            f["bytes"] = wrong.len().into();
        }
    }
    std::fs::write(&manifest_path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let run = fx.run(&["archive", "--year", "2018", "--supersede", "Korrektur"]);
    run.expect_code(0).expect_stderr(
        "weicht von register.txt ab (oder steht nicht darin); daraus wird nichts übernommen",
    );
    assert!(reused(&run).is_empty(), "{}", run.stderr());
    let new = std::fs::read(fx.out().join("archiv/2018/ausgabe-2").join(borken)).unwrap();
    assert!(
        new != wrong,
        "the altered PDF was passed on to the new edition"
    );
    assert!(
        new == right,
        "the new edition's report differs from a fresh rendering"
    );
}

/// Regression (hostile test): a reused PDF was a hard link to the old file, so a
/// `chmod 000` of the previous run's PDF was carried into the new folder (mode 000 where
/// a fresh rendering gets the usual mode). Such a file is now copied, not linked.
#[test]
fn a_reused_pdf_gets_the_mode_of_a_new_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-06"]).expect_code(0);
    let dir = fx.out().join("2018-06");
    let pdf = dir.join("05554_kreis-borken.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    std::fs::set_permissions(&pdf, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
    // Root reads a file of mode 000; another user cannot, and renders it again.
    let again = fx.run(&["run", "--month", "2018-06"]);
    again.expect_code(0);
    assert_eq!(
        mode(&pdf),
        mode(&dir.join("kennzahlen.csv")),
        "{}",
        again.stderr()
    );
    std::fs::set_permissions(&pdf, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(std::fs::read(&pdf).unwrap() == bytes);
}
