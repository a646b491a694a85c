//! Issue 23, classes 13, 8 and 6: what a user changed in a run folder survives a rerun
//! (empty folders, an edited `kennzahlen.xlsx`), reuse trusts only PDFs this
//! installation recorded, and a document over its time limit fails alone.

use crate::util::Fixture;

/// Class 13: empty folders a user made survive a rerun; a `kennzahlen.xlsx` they edited
/// is kept under a clear name and named, and a fresh one is written.
#[test]
fn empty_folders_and_an_edited_workbook_survive_a_rerun() {
    let fx = Fixture::new().write();
    let args = ["run", "--month", "2018-03", "--figures-only"];
    fx.run(&args).expect_code(0);
    let dir = fx.out().join("2018-03");
    let fresh = std::fs::read(dir.join("kennzahlen.xlsx")).unwrap();
    std::fs::create_dir(dir.join("leer")).unwrap();
    std::fs::create_dir_all(dir.join("ablage/2018")).unwrap();
    let mut edited = fresh.clone();
    edited.extend_from_slice(b"meine Anmerkungen");
    std::fs::write(dir.join("kennzahlen.xlsx"), &edited).unwrap();

    let rerun = fx.run(&args);
    rerun
        .expect_code(0)
        .expect_stderr("kennzahlen.xlsx")
        .expect_stderr("„kennzahlen (bearbeitet).xlsx“");
    assert!(dir.join("leer").is_dir());
    assert!(dir.join("ablage/2018").is_dir());
    assert_eq!(
        std::fs::read(dir.join("kennzahlen (bearbeitet).xlsx")).unwrap(),
        edited
    );
    assert_eq!(std::fs::read(dir.join("kennzahlen.xlsx")).unwrap(), fresh);

    // Unchanged since: nothing renamed again; the kept copy is a user file like others.
    let again = fx.run(&args);
    again.expect_code(0);
    assert!(
        !again.stderr().contains("bearbeitet 2"),
        "{}",
        again.stderr()
    );
    assert!(dir.join("leer").is_dir());
    // Edited once more: a second name, the first copy stays.
    std::fs::write(dir.join("kennzahlen.xlsx"), b"neu").unwrap();
    fx.run(&args)
        .expect_code(0)
        .expect_stderr("kennzahlen (bearbeitet 2).xlsx");
    assert_eq!(
        std::fs::read(dir.join("kennzahlen (bearbeitet).xlsx")).unwrap(),
        edited
    );
    assert_eq!(
        std::fs::read(dir.join("kennzahlen (bearbeitet 2).xlsx")).unwrap(),
        b"neu"
    );
}

/// Class 6: a template that never ends for one Jobcenter. With a limit of 2 s that
/// document fails alone and is named; the other report, the overview and the figure files
/// are written, and the run ends (exit 1, as for any failed document) well within the
/// time another rendering would take.
#[test]
fn a_document_over_its_time_limit_fails_alone() {
    let fx = Fixture::new().write();
    let templates = fx.dir.path().join("vorlagen");
    std::fs::create_dir(&templates).unwrap();
    let report = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/report.typ"),
    )
    .unwrap();
    let endless = report.replacen(
        "#let jc = data.jobcenter\n",
        "#let jc = data.jobcenter\n#if jc.id == \"05558\" { for i in range(100000) { for j in \
         range(100000) { } } }\n",
        1,
    );
    assert_ne!(endless, report, "the hook line moved in report.typ");
    std::fs::write(templates.join("report.typ"), endless).unwrap();
    let started = std::time::Instant::now();
    let output = crate::util::command(
        fx.dir.path(),
        &[
            "run",
            "--month",
            "2018-03",
            "--templates",
            "vorlagen",
            "--jobs",
            "2",
        ],
    )
    .env("ZIELBERICHT_DOCUMENT_TIMEOUT", "2")
    .output()
    .unwrap();
    let elapsed = started.elapsed();
    let run = crate::util::Run { output };
    run.expect_code(1)
        .expect_stderr("05558_kreis-coesfeld.pdf: abgebrochen nach 2 s");
    assert!(elapsed.as_secs() < 60, "took {elapsed:?}");
    let dir = fx.out().join("2018-03");
    for file in [
        "05554_kreis-borken.pdf",
        "uebersicht.pdf",
        "kennzahlen.csv",
        "kennzahlen.xlsx",
        "manifest.json",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    assert!(!dir.join("05558_kreis-coesfeld.pdf").exists());
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(!manifest.contains("05558_kreis-coesfeld.pdf"));
    // The option says the same as the variable; the month is not left locked.
    fx.run(&[
        "run",
        "--month",
        "2018-03",
        "--templates",
        "vorlagen",
        "--document-timeout",
        "1",
        "--jobs",
        "1",
    ])
    .expect_code(1)
    .expect_stderr("abgebrochen nach 1 s");
}

/// Sets the SHA-256 and length of `file` in the manifest of `dir` to those of its bytes
/// now (what someone covering an edit would do).
fn reseal(dir: &std::path::Path, file: &str) {
    use sha2::Digest as _;
    let bytes = std::fs::read(dir.join(file)).unwrap();
    let sha = sha2::Sha256::digest(&bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        });
    let path = dir.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let entry = manifest["files"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f["path"] == file)
        .unwrap();
    entry["sha256"] = sha.into();
    entry["bytes"] = bytes.len().into();
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

/// Class 8: a PDF edited together with its manifest entry is not reused: reuse needs the
/// keyed record this installation wrote of the folder.
#[test]
fn a_pdf_edited_with_its_manifest_entry_is_rendered_again() {
    let fx = Fixture::new().write();
    let keys = fx.dir.path().join("schluessel");
    let run = || {
        let output = crate::util::command(fx.dir.path(), &["run", "--month", "2018-03"])
            .env("XDG_DATA_HOME", &keys)
            .output()
            .unwrap();
        crate::util::Run { output }
    };
    run().expect_code(0);
    let dir = fx.out().join("2018-03");
    let original = std::fs::read(dir.join("05554_kreis-borken.pdf")).unwrap();
    run()
        .expect_code(0)
        .expect_stderr("3 Dokumente aus dem vorigen Lauf übernommen");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let key = keys.join("zielbericht/schluessel");
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", key.display());
    }
    // The record lies with the key, not in the output folder.
    let records: Vec<_> = std::fs::read_dir(keys.join("zielbericht/wiederverwendung"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(records.len(), 1, "{records:?}");
    let names: Vec<String> = std::fs::read_dir(fx.out())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}"); // the month and its lock file

    // The PDF changed (same length), its manifest entry recomputed: rendered again.
    let mut forged = original.clone();
    let at = forged.windows(4).position(|w| w == b"Info").unwrap_or(100);
    forged[at] ^= 0x20;
    std::fs::write(dir.join("05554_kreis-borken.pdf"), &forged).unwrap();
    reseal(&dir, "05554_kreis-borken.pdf");
    run()
        .expect_code(0)
        .expect_stderr("2 Dokumente aus dem vorigen Lauf übernommen");
    assert_eq!(
        std::fs::read(dir.join("05554_kreis-borken.pdf")).unwrap(),
        original
    );
    // A record copied from elsewhere (or written by hand) vouches for nothing.
    std::fs::write(
        &records[0],
        "0000000000000000000000000000000000000000000000000000000000000000\n",
    )
    .unwrap();
    let rerun = run();
    rerun.expect_code(0);
    assert!(!rerun.stderr().contains("übernommen"), "{}", rerun.stderr());
    // And after that rerun everything is vouched for again.
    run()
        .expect_code(0)
        .expect_stderr("3 Dokumente aus dem vorigen Lauf übernommen");
}
