use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use std::path::Path;

use crate::util::{Fixture, bin, pdftotext, run_in, snapshot_tree};

#[test]
fn quarter_means_its_last_month() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--quarter", "2018-Q3", "--figures-only"])
        .expect_code(0);
    assert!(fx.out().join("2018-09/kennzahlen.csv").exists());
    fx.run(&["run", "--quarter", "2018-Q5"])
        .expect_code(2)
        .expect_stderr("--quarter");
}

#[test]
fn incomplete_quarter_is_refused_unless_allowed() {
    let fx = Fixture::new().without_row("05558", "2018-05").write();
    fx.run(&["run", "--quarter", "2018-Q2"])
        .expect_code(2)
        .expect_stderr("05558: 2018-05");
    assert!(!fx.out().exists());
    fx.run(&["run", "--quarter", "2018-Q2", "--allow-incomplete"])
        .expect_code(0);
    let pdf = fx.out().join("2018-06/05554_kreis-borken.pdf");
    let text = pdftotext(&pdf, false)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("vorläufig – Daten unvollständig"), "{text}");
    let manifest = std::fs::read_to_string(fx.out().join("2018-06/manifest.json")).unwrap();
    assert!(manifest.contains("\"vorlaeufig\": true"), "{manifest}");
}

/// Regression (issue 19): the archive's `eingaben/` left out bericht.toml, which sets the
/// Herausgeber, banner and source of every archived PDF.
#[test]
fn the_archive_keeps_bericht_toml_among_its_inputs() {
    let fx = Fixture::new().write();
    fx.file("bericht.toml", b"[bericht]\nbanner = \"B\"\n");
    fx.run(&["archive", "--year", "2018"]).expect_code(0);
    let first = fx.dir.path().join("out/archiv/2018/ausgabe-1");
    assert_eq!(
        std::fs::read(first.join("eingaben/bericht.toml")).unwrap(),
        b"[bericht]\nbanner = \"B\"\n"
    );
    let manifest = std::fs::read_to_string(first.join("manifest.json")).unwrap();
    assert!(manifest.contains("bericht.toml"), "{manifest}");
}

#[test]
fn archive_is_write_once_and_supersede_adds_an_edition() {
    let fx = Fixture::new().write();
    fx.run(&["archive", "--year", "2018"]).expect_code(0);
    let first = fx.dir.path().join("out/archiv/2018/ausgabe-1");
    for f in [
        "05554_kreis-borken.pdf",
        "05558_kreis-coesfeld.pdf",
        "uebersicht.pdf",
        "kennzahlen.csv",
        "manifest.json",
        "eingaben/monatswerte.csv",
    ] {
        assert!(first.join(f).exists(), "{f} missing");
    }
    assert_eq!(
        std::fs::read(first.join("eingaben/monatswerte.csv")).unwrap(),
        std::fs::read(fx.data().join("monatswerte.csv")).unwrap()
    );
    let before = snapshot_tree(&first);

    fx.run(&["archive", "--year", "2018"])
        .expect_code(2)
        .expect_stderr("write-once");
    assert_eq!(snapshot_tree(&first), before);

    // The correction: Borken's December integrations revised 20 → 30.
    let mw = Fixture::new()
        .row("05554", "2018-12", |r| r.set("int", 30))
        .monatswerte_csv(&crate::util::COLUMNS);
    fx.file("monatswerte.csv", mw.as_bytes());
    fx.run(&[
        "archive",
        "--year",
        "2018",
        "--supersede",
        "Korrektur der Dezemberwerte",
    ])
    .expect_code(0)
    .expect_stderr("gegenüber ausgabe-1:");
    assert_eq!(snapshot_tree(&first), before);
    // The reason is printed on the page of changes: what its fonts cannot show is refused
    // before anything is rendered.
    fx.run(&["archive", "--year", "2018", "--supersede", "Korrektur 😀"])
        .expect_code(2)
        .expect_stderr("--supersede: erwartet wird druckbarer Text, gefunden wurde ein Zeichen, das die Berichte nicht darstellen können (U+1F600");
    assert!(!fx.dir.path().join("out/archiv/2018/ausgabe-3").exists());
    // The new edition says what changed against the one it supersedes.
    let changes = std::fs::read_to_string(
        fx.dir
            .path()
            .join("out/archiv/2018/ausgabe-2/aenderungen.csv"),
    )
    .unwrap();
    assert!(
        changes.starts_with("jobcenter,kennzahl,feld,alt,neu\n"),
        "{changes}"
    );
    assert!(changes.contains("05554,int,wert,240,250\n"), "{changes}");
    assert!(!changes.contains("05558,"), "{changes}");
    // … and says it in German: the reason, both editions, the summary and the revised
    // figure old → new (Borken's integrations of 2018: twelve months of 20 are 240,
    // with December 30 they are 250).
    let page = pdftotext(
        &fx.dir
            .path()
            .join("out/archiv/2018/ausgabe-2/aenderungen.pdf"),
        true,
    );
    let words = page.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Änderungen gegenüber Ausgabe 1",
        "Grund der Neuausgabe Korrektur der Dezemberwerte",
        "Ersetzte Ausgabe Ausgabe 1, Datenstand",
        "Diese Ausgabe Ausgabe 2, Datenstand",
        "05554 Kreis Borken",
        "Integrationen Wert 240 → 250",
    ] {
        assert!(words.contains(needle), "{needle:?} not in\n{page}");
    }
    // The page counts the figures by code (3) and, apart, their values across the
    // Jobcenter and the aggregates (9): no longer „9 Kennzahlen“ that are three.
    assert!(
        words.contains(
            "haben sich 3 Kennzahlen geändert (9 Kennzahlwerte bei 1 Jobcenter und 2 Aggregaten)"
        ),
        "{page}"
    );
    assert!(!words.contains("Kreis Coesfeld"), "{page}");
    let manifest = std::fs::read_to_string(
        fx.dir
            .path()
            .join("out/archiv/2018/ausgabe-2/manifest.json"),
    )
    .unwrap();
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(m["supersedes"], "ausgabe-1");
    assert_eq!(m["supersede_reason"], "Korrektur der Dezemberwerte");
    assert_eq!(m["edition"], 2);
    assert!(
        m["command"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "--supersede")
    );

    let listed = m["files"].as_array().unwrap();
    assert!(
        listed.iter().any(|f| f["path"] == "aenderungen.pdf"),
        "{manifest}"
    );

    let text = run_in(fx.dir.path(), &["verify", "out/archiv"]);
    text.expect_code(0);
    // Two editions and the register.
    assert_eq!(
        text.stdout().matches("in Ordnung ").count(),
        3,
        "{}",
        text.stdout()
    );

    // The page's wording is a template like the others: a --templates folder replaces it.
    let dir = fx.dir.path().join("vorlagen");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("aenderungen.typ"),
        "#let data = json(\"/data.json\")\n#set document(title: \"Eigene Seite\")\n\
         #set text(lang: \"de\")\nEigene Seite zu Ausgabe #data.ausgabe: #data.grund\n",
    )
    .unwrap();
    fx.run(&[
        "archive",
        "--year",
        "2018",
        "--supersede",
        "Neue Gestaltung",
        "--templates",
        "vorlagen",
    ])
    .expect_code(0)
    .expect_stderr("gegenüber ausgabe-2: 0 Kennzahlwert(e)");
    let page = pdftotext(
        &fx.dir
            .path()
            .join("out/archiv/2018/ausgabe-3/aenderungen.pdf"),
        false,
    );
    assert!(
        page.contains("Eigene Seite zu Ausgabe 3: Neue Gestaltung"),
        "{page}"
    );
    run_in(fx.dir.path(), &["verify", "out/archiv"]).expect_code(0);

    // Regression (review): a truncated kennzahlen.csv in the superseded edition made the
    // supersede exit 2 (the one way to correct the archive), and an altered but
    // well-formed one gave a false aenderungen.pdf. Either is now a warning and the new
    // edition has no comparison.
    let third = fx
        .dir
        .path()
        .join("out/archiv/2018/ausgabe-3/kennzahlen.csv");
    let csv = std::fs::read(&third).unwrap();
    std::fs::write(&third, &csv[..csv.len() - 20]).unwrap();
    fx.run(&["archive", "--year", "2018", "--supersede", "Korrektur"])
        .expect_code(0)
        .expect_stderr("weicht von dem ab, was das Register besiegelt");
    let fourth = fx.dir.path().join("out/archiv/2018/ausgabe-4");
    assert!(fourth.join("manifest.json").is_file());
    assert!(!fourth.join("aenderungen.pdf").exists());
    let altered = String::from_utf8(std::fs::read(fourth.join("kennzahlen.csv")).unwrap())
        .unwrap()
        .replacen(",int,", ",int,9", 1);
    std::fs::write(fourth.join("kennzahlen.csv"), altered).unwrap();
    fx.run(&["archive", "--year", "2018", "--supersede", "Korrektur"])
        .expect_code(0)
        .expect_stderr("weicht von dem ab, was das Register besiegelt");
    assert!(
        !fx.dir
            .path()
            .join("out/archiv/2018/ausgabe-5/aenderungen.pdf")
            .exists()
    );
}

#[test]
fn verify_names_changed_missing_and_unexpected_files() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03"]).expect_code(0);
    let dir = fx.out().join("2018-03");
    fx.run(&["verify", "out/2018-03"]).expect_code(0);

    let pdf = dir.join("05554_kreis-borken.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&pdf, bytes).unwrap();
    std::fs::remove_file(dir.join("kennzahlen.csv")).unwrap();
    std::fs::write(dir.join("notiz.txt"), "hinzugefügt").unwrap();

    let run = fx.run(&["verify", "out/2018-03"]);
    run.expect_code(1);
    let out = run.stdout();
    assert!(
        out.contains("geändert   out/2018-03/05554_kreis-borken.pdf"),
        "{out}"
    );
    assert!(
        out.contains("fehlt      out/2018-03/kennzahlen.csv"),
        "{out}"
    );
    // A file of the user in a run folder is named as kept, not counted.
    assert!(out.contains("behalten   out/2018-03/notiz.txt"), "{out}");
    assert!(
        out.contains("FEHLER      out/2018-03 (2 Abweichungen)"),
        "{out}"
    );
}

#[test]
fn sigkill_while_rendering_leaves_the_earlier_output() {
    let dir = crate::util::generated(120);
    run_in(dir.path(), &["run", "--month", "2018-12", "--figures-only"]).expect_code(0);
    let before = snapshot_tree(&dir.path().join("out"));

    let mut child = Command::new(bin())
        .args(["run", "--month", "2018-12", "--jobs", "1"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    for line in BufReader::new(stderr).lines() {
        if line.unwrap().starts_with("[5/") {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    // Finished PDFs stream into a hidden staging folder beside the run folder; killed,
    // the run leaves that folder and nothing else, and the run folder as it was.
    let staged = |p: &Path| p.to_string_lossy().starts_with(".zielbericht-tmp-2018-12-");
    let mut after = snapshot_tree(&dir.path().join("out"));
    after.retain(|(p, _)| !staged(p));
    assert_eq!(after, before, "output changed");
    let names = || {
        let mut entries: Vec<String> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        entries.sort();
        entries
    };
    let mut left = names();
    let staging = left.iter().filter(|n| staged(Path::new(n))).count();
    left.retain(|n| !staged(Path::new(n)));
    assert!(staging <= 1, "{staging} staging folders");
    assert_eq!(
        left,
        [".2018-12.lock", "2018-12"],
        "something else was left beside the run folder"
    );
    run_in(dir.path(), &["verify", "out/2018-12"]).expect_code(0);
    // The next run of the month removes the staging folder (it holds rendered files only).
    run_in(dir.path(), &["run", "--month", "2018-12", "--figures-only"]).expect_code(0);
    assert_eq!(names(), [".2018-12.lock", "2018-12"]);
}

/// Regression: a rerun of `run` deleted `einladungen/` with its send log, so a later
/// `invite --send` would have sent every invitation again; `verify` flagged it.
#[test]
fn rerun_keeps_the_invitations_and_verify_ignores_them() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let log = fx.out().join("2018-03/einladungen/versand.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(&log, "{\"jobcenter\":\"05554\",\"status\":\"sent\"}\n").unwrap();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    assert!(log.exists(), "send log lost");
    fx.run(&["verify", "out/2018-03"]).expect_code(0);
}

/// An archive with two editions of 2018 and one of 2017.
fn archived() -> Fixture {
    let fx = Fixture::new().write();
    fx.run(&["archive", "--year", "2018"]).expect_code(0);
    fx.run(&["archive", "--year", "2018", "--supersede", "Korrektur"])
        .expect_code(0);
    fx.run(&["archive", "--year", "2017"]).expect_code(0);
    fx.run(&["verify", "out/archiv"]).expect_code(0);
    fx
}

/// A way to damage an archive.
type Tamper = fn(&Path);

/// Regression: deleting an edition's manifest, emptying an edition, renaming it to a
/// hidden name or removing its register entry made `verify archiv` exit 0.
#[test]
fn verify_finds_removed_emptied_hidden_and_unregistered_editions() {
    let archiv = |fx: &Fixture| fx.dir.path().join("out/archiv");
    let cases: [(&str, Tamper); 4] = [
        ("deleted manifest", |a| {
            std::fs::remove_file(a.join("2018/ausgabe-1/manifest.json")).unwrap();
        }),
        ("emptied", |a| {
            std::fs::remove_dir_all(a.join("2018/ausgabe-1")).unwrap();
            std::fs::create_dir(a.join("2018/ausgabe-1")).unwrap();
        }),
        ("hidden", |a| {
            std::fs::rename(a.join("2018/ausgabe-1"), a.join("2018/.ausgabe-1")).unwrap();
        }),
        ("register entry removed", |a| {
            let register = a.join("register.txt");
            let text = std::fs::read_to_string(&register).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("2018/ausgabe-1\t"))
                .collect();
            std::fs::write(&register, kept.join("\n") + "\n").unwrap();
        }),
    ];
    for (what, tamper) in cases {
        let fx = archived();
        tamper(&archiv(&fx));
        let run = fx.run(&["verify", "out/archiv"]);
        assert_eq!(run.code(), 1, "{what}: {}", run.stdout());
        assert!(
            run.stdout().contains("ausgabe-1"),
            "{what}: {}",
            run.stdout()
        );
        // The year and the edition alone fail as well.
        let year = fx.run(&["verify", "out/archiv/2018"]);
        assert_eq!(year.code(), 1, "{what} (year): {}", year.stdout());
    }
}

/// Regression: `einladungen/` was skipped inside archive editions too, so a forged PDF
/// there passed.
#[test]
fn verify_checks_einladungen_inside_an_edition() {
    let fx = archived();
    let forged = fx.dir.path().join("out/archiv/2018/ausgabe-2/einladungen");
    std::fs::create_dir_all(&forged).unwrap();
    std::fs::write(forged.join("05554_kreis-borken.pdf"), "%PDF-gefälscht").unwrap();
    let run = fx.run(&["verify", "out/archiv/2018/ausgabe-2"]);
    run.expect_code(1);
    assert!(
        run.stdout()
            .contains("unerwartet out/archiv/2018/ausgabe-2/einladungen/05554_kreis-borken.pdf"),
        "{}",
        run.stdout()
    );
    // Also when the archive is verified as part of the output folder.
    fx.run(&["verify", "out"]).expect_code(1);
    fx.run(&["verify", "out/archiv"]).expect_code(1);
}

/// Manifest paths that leave the folder are refused; symbolic links are reported, not
/// followed, and a link loop ends the check at once.
#[test]
fn verify_refuses_escaping_paths_and_reports_symlinks() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let dir = fx.out().join("2018-03");
    let manifest_path = dir.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let passwd = std::fs::read("/etc/passwd").unwrap();
    let hash = {
        use sha2::Digest as _;
        let d = sha2::Sha256::digest(&passwd);
        d.iter().fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
    };
    for path in ["../../../../../../../../etc/passwd", "/etc/passwd"] {
        m["files"].as_array_mut().unwrap().push(serde_json::json!({
            "path": path, "sha256": hash, "bytes": passwd.len()
        }));
    }
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("schleife")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("kennwort.txt")).unwrap();
    let out = Command::new("timeout")
        .args(["20", bin(), "verify", "out/2018-03"])
        .current_dir(fx.dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("abgelehnt") && stdout.contains("\"/etc/passwd\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("../../../../../../../../etc/passwd"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Verknüpfung out/2018-03/schleife"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Verknüpfung out/2018-03/kennwort.txt"),
        "{stdout}"
    );
}

/// An archive without a register (lost, or written before registers existed) is not
/// adopted silently by the next `archive` (issue 23: a forged edition would be sealed);
/// `verify` names the missing register, and `archive --repair-register` rebuilds it,
/// naming the editions it could check only against their own manifests.
#[test]
fn an_archive_without_register_is_refused_until_repaired() {
    let fx = Fixture::new().write();
    fx.run(&["archive", "--year", "2017"]).expect_code(0);
    let register = fx.dir.path().join("out/archiv/register.txt");
    std::fs::remove_file(&register).unwrap();
    let run = fx.run(&["verify", "out/archiv"]);
    run.expect_code(1);
    assert!(
        run.stdout().contains("fehlt      out/archiv/register.txt"),
        "{}",
        run.stdout()
    );
    fx.run(&["archive", "--year", "2018"])
        .expect_code(2)
        .expect_stderr("--repair-register");
    assert!(!register.exists());
    fx.run(&["archive", "--repair-register"])
        .expect_code(0)
        .expect_stderr("NICHT verbürgt (nur gegen das eigene Manifest geprüft): 2017/ausgabe-1");
    fx.run(&["archive", "--year", "2018"]).expect_code(0);
    let text = std::fs::read_to_string(&register).unwrap();
    let editions: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(editions, ["2017/ausgabe-1", "2018/ausgabe-1"]);
    fx.run(&["verify", "out/archiv"]).expect_code(0);
}
