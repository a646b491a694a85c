//! Under real operation nothing is lost: concurrent runs, SIGKILL at random moments,
//! leftovers of killed runs, user files in run folders, a data folder inside the output,
//! a bad `--out`, hostile input files (FIFO, `/dev/zero`, UTF-16) and template or font
//! folders with symbolic links.

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Fixture, bin, run_in, snapshot_tree};

const LOG: &str = "{\"jobcenter\":\"05554\",\"status\":\"sent\"}\n";

fn spawn(dir: &Path, args: &[&str]) -> Child {
    crate::util::command(dir, args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zielbericht")
}

/// Names beside the run folders in `out` (sorted).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A fixture with a finished run of 2018-03 holding a send log.
fn with_send_log(figures_only: bool) -> Fixture {
    let fx = Fixture::new().write();
    let mut args = vec!["run", "--month", "2018-03"];
    if figures_only {
        args.push("--figures-only");
    }
    fx.run(&args).expect_code(0);
    let log = fx.out().join("2018-03/einladungen/versand.log");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::write(&log, LOG).unwrap();
    fx
}

/// Regression: overlapping runs of one month replaced each other's folders; now the
/// second waits for the lock of the month (held here by the test itself).
#[test]
fn a_run_waits_while_the_month_is_locked() {
    let fx = with_send_log(true);
    let before = snapshot_tree(&fx.out().join("2018-03"));
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(fx.out().join(".2018-03.lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut child = spawn(
        fx.dir.path(),
        &["run", "--month", "2018-03", "--figures-only"],
    );
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run finished although the month was locked"
    );
    assert_eq!(snapshot_tree(&fx.out().join("2018-03")), before);
    lock.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warten: ein anderer zielbericht-Prozess")
    );
    assert_eq!(
        std::fs::read_to_string(fx.out().join("2018-03/einladungen/versand.log")).unwrap(),
        LOG
    );
}

/// Two real processes writing the same month at once: both succeed, nothing is lost.
#[test]
fn concurrent_runs_of_one_month_keep_the_send_log_and_user_files() {
    let fx = with_send_log(true);
    std::fs::write(fx.out().join("2018-03/notiz.txt"), "meine Notiz").unwrap();
    for _ in 0..4 {
        let args = ["run", "--month", "2018-03", "--figures-only"];
        let a = spawn(fx.dir.path(), &args);
        let b = spawn(fx.dir.path(), &args);
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let dir = fx.out().join("2018-03");
    assert_eq!(
        std::fs::read_to_string(dir.join("einladungen/versand.log")).unwrap(),
        LOG
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notiz.txt")).unwrap(),
        "meine Notiz"
    );
    assert!(dir.join("kennzahlen.csv").exists());
    assert_eq!(names(&fx.out()), [".2018-03.lock", "2018-03"]);
}

/// A small deterministic generator for kill delays (no crate for two numbers).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Regression: a SIGKILL between the renames of the old `write_folder` lost `versand.log`
/// and the earlier output. Killed at random moments — many of them while the folder is
/// being written — the run folder is always a complete one (old or new), and the send
/// log is never lost.
#[test]
#[allow(clippy::cast_possible_truncation)]
fn sigkill_at_random_moments_never_loses_the_folder_or_the_send_log() {
    let fx = with_send_log(false);
    let out = fx.out();
    let args = ["run", "--month", "2018-03", "--jobs", "1"];
    // Half the kills hit a run that renders and writes every PDF, half one that takes them
    // from the previous run (hard links), each at a random moment or during the write.
    let fresh = ["run", "--month", "2018-03", "--jobs", "1", "--no-reuse"];
    let started = Instant::now();
    run_in(fx.dir.path(), &fresh).expect_code(0);
    let full = started.elapsed().as_millis() as u64;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Lcg(seed);
    let mut during_write = 0;
    for round in 0..20 {
        let earlier = names(&out);
        let mut child = spawn(
            fx.dir.path(),
            if round % 4 < 2 { &args[..] } else { &fresh[..] },
        );
        if round % 2 == 0 {
            // Any moment of the run.
            std::thread::sleep(Duration::from_millis(rng.below(full + 50)));
        } else {
            // A moment of the write: once the staging folder appears.
            let t = Instant::now();
            while !names(&out)
                .iter()
                .any(|n| n.starts_with(".zielbericht-tmp") && !earlier.contains(n))
                && child.try_wait().unwrap().is_none()
                && t.elapsed() < Duration::from_mins(1)
            {
                std::thread::yield_now();
            }
            std::thread::sleep(Duration::from_micros(rng.below(20_000)));
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if names(&out).iter().any(|n| n.starts_with(".zielbericht-")) {
            during_write += 1; // killed while writing: a leftover to recover
        }
        // The folder is a complete one at once, without any recovery.
        let verify = run_in(fx.dir.path(), &["verify", "out/2018-03"]);
        assert_eq!(
            verify.code(),
            0,
            "seed {seed}, round {round}: {}",
            verify.stdout()
        );
        // The send log is in the folder or in a leftover the next run brings back.
        let anywhere = snapshot_tree(&out)
            .iter()
            .any(|(p, b)| p.ends_with("einladungen/versand.log") && b == LOG.as_bytes());
        assert!(anywhere, "seed {seed}, round {round}: send log lost");
    }
    assert!(during_write > 0);
    run_in(fx.dir.path(), &args).expect_code(0);
    assert_eq!(
        std::fs::read_to_string(out.join("2018-03/einladungen/versand.log")).unwrap(),
        LOG,
        "seed {seed}"
    );
    run_in(fx.dir.path(), &["verify", "out/2018-03"]).expect_code(0);
    assert_eq!(names(&out), [".2018-03.lock", "2018-03"], "seed {seed}");
}

/// Regression: a run deleted a `.zielbericht-*` folder of a killed run as stale although it
/// held the only copy of the send log; now the log is brought back.
#[test]
fn a_leftover_holding_the_only_send_log_is_recovered() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    // The state after a SIGKILL between moving einladungen/ and the swap.
    let leftover = fx.out().join(".zielbericht-tmp-2018-03-999999-1");
    std::fs::create_dir_all(leftover.join("einladungen")).unwrap();
    std::fs::copy(
        fx.out().join("2018-03/manifest.json"),
        leftover.join("manifest.json"),
    )
    .unwrap();
    std::fs::write(leftover.join("einladungen/versand.log"), LOG).unwrap();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    assert_eq!(
        std::fs::read_to_string(fx.out().join("2018-03/einladungen/versand.log")).unwrap(),
        LOG
    );
    assert!(!leftover.exists());
}

/// Where the file system cannot exchange, the old folder is retired before the new one
/// moves in; a kill in between leaves no run folder. The next run restores the retired
/// one first, so its send log and user files stay.
#[test]
fn a_retired_folder_is_restored_when_the_run_folder_is_missing() {
    let fx = with_send_log(true);
    let dir = fx.out().join("2018-03");
    std::fs::write(dir.join("notiz.txt"), "Notiz").unwrap();
    std::fs::rename(&dir, fx.out().join(".zielbericht-old-2018-03-999999-7")).unwrap();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0)
        .expect_stderr("notiz.txt");
    assert_eq!(
        std::fs::read_to_string(dir.join("einladungen/versand.log")).unwrap(),
        LOG
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notiz.txt")).unwrap(),
        "Notiz"
    );
    assert_eq!(names(&fx.out()), [".2018-03.lock", "2018-03"]);
}

/// A leftover whose content cannot be told apart is named, and nothing is deleted.
#[test]
fn an_unknown_leftover_is_named_and_kept() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let leftover = fx.out().join(".zielbericht-old-2018-03-999999-1");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("wichtig.txt"), "einzige Kopie").unwrap();
    let before = snapshot_tree(&fx.out());
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(2)
        .expect_stderr(".zielbericht-old-2018-03-999999-1");
    assert_eq!(snapshot_tree(&fx.out()), before);
}

/// Regression: `run --data out/2018-12 --out out` deleted its own input files.
#[test]
fn a_data_folder_inside_the_run_folder_is_refused() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    for sub in ["2018-03", "2018-03/daten"] {
        let inside = fx.out().join(sub);
        std::fs::create_dir_all(&inside).unwrap();
        for f in ["jobcenter.csv", "monatswerte.csv", "ziele.csv"] {
            std::fs::copy(fx.data().join(f), inside.join(f)).unwrap();
        }
        let before = snapshot_tree(&fx.out());
        let data = format!("out/{sub}");
        fx.run(&["run", "--month", "2018-03", "--data", &data, "--out", "out"])
            .expect_code(2)
            .expect_stderr("inside");
        assert_eq!(snapshot_tree(&fx.out()), before, "{sub}");
    }
}

/// Regression: files a user kept in a run folder vanished on the next run.
#[test]
fn files_a_user_put_in_a_run_folder_are_kept_and_named() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let dir = fx.out().join("2018-03");
    std::fs::write(dir.join("notiz.txt"), "Notiz").unwrap();
    std::fs::create_dir_all(dir.join("eigenes")).unwrap();
    std::fs::write(dir.join("eigenes/anhang.pdf"), "%PDF").unwrap();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0)
        .expect_stderr("notiz.txt")
        .expect_stderr("eigenes/anhang.pdf");
    assert_eq!(
        std::fs::read_to_string(dir.join("notiz.txt")).unwrap(),
        "Notiz"
    );
    assert_eq!(
        std::fs::read(dir.join("eigenes/anhang.pdf")).unwrap(),
        b"%PDF"
    );
}

/// Regression: a folder a user made in the place of a report PDF (with a file in it) was
/// found only when the PDF was written, with the hidden staging path in the message.
/// Now it is refused before rendering, named, and nothing is changed.
#[test]
fn a_user_folder_in_place_of_a_report_is_refused_before_rendering() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03"]).expect_code(0);
    let dir = fx.out().join("2018-03");
    let report = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .find(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "pdf")
                && n != "uebersicht.pdf"
        })
        .expect("a report");
    let manifest = std::fs::read(dir.join("manifest.json")).unwrap();
    std::fs::remove_file(dir.join(&report)).unwrap();
    std::fs::create_dir(dir.join(&report)).unwrap();
    std::fs::write(dir.join(&report).join("notiz.txt"), "Notiz").unwrap();
    let run = fx.run(&["run", "--month", "2018-03"]);
    run.expect_code(2)
        .expect_stderr("was not written by zielbericht");
    let err = run.stderr();
    assert!(
        err.contains(&format!("{report}/notiz.txt")) && !err.contains(".zielbericht-tmp"),
        "{err}"
    );
    // Refused before rendering: no progress line.
    assert!(!err.contains("uebersicht.pdf"), "{err}");
    assert_eq!(std::fs::read(dir.join("manifest.json")).unwrap(), manifest);
    assert_eq!(
        std::fs::read_to_string(dir.join(&report).join("notiz.txt")).unwrap(),
        "Notiz"
    );
}

/// Regression: a bad `--out` was found only after every report was rendered.
#[test]
fn a_bad_out_is_found_before_rendering() {
    let fx = Fixture::new().write();
    std::fs::write(fx.dir.path().join("datei"), "x").unwrap();
    for out in ["datei", "datei/unter", "/proc/zielbericht-out"] {
        let run = fx.run(&["run", "--month", "2018-03", "--out", out]);
        run.expect_code(2).expect_stderr("--out");
        assert!(
            !run.stderr().contains("[1/"),
            "rendering started for --out {out}:\n{}",
            run.stderr()
        );
    }
}

/// Regression: a FIFO or `/dev/zero` as an input file blocked forever or read until
/// memory ran out. Each is an input error at once.
#[test]
fn a_fifo_or_dev_zero_as_input_is_an_error_at_once() {
    let fx = Fixture::new().write();
    let mw = fx.data().join("monatswerte.csv");
    for make in ["fifo", "zero"] {
        std::fs::remove_file(&mw).unwrap();
        if make == "fifo" {
            let ok = Command::new("mkfifo").arg(&mw).status().unwrap();
            assert!(ok.success());
        } else {
            symlink("/dev/zero", &mw).unwrap();
        }
        let started = Instant::now();
        let out = Command::new("timeout")
            .args(["20", bin(), "check"])
            .current_dir(fx.dir.path())
            .env_remove("ZIELBERICHT_DATA")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{make}: {stderr}");
        assert!(stderr.contains("monatswerte.csv"), "{stderr}");
        assert!(stderr.contains("gewöhnliche Datei"), "{stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{make} took too long"
        );
    }
}

/// Regression: a UTF-16 file (Excel's "Unicode text": a byte-order mark, tabs between
/// cells, numbers as the German locale shows them) failed with "missing column jobcenter".
/// It is read like its UTF-8 twin.
#[test]
fn utf16_files_with_bom_are_read() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    let utf8 = fx.kennzahlen("2018-03").text;
    let utf16 = |text: &str, big_endian: bool| {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    // "250000.50" → "250000,50"; cells separated by tabs.
    let mw = std::fs::read_to_string(fx.data().join("monatswerte.csv"))
        .unwrap()
        .replace(',', "\t")
        .replace('.', ",");
    assert!(mw.contains("250000,50\t"), "{mw}");
    fx.file("monatswerte.csv", &utf16(&mw, false));
    let jc = std::fs::read_to_string(fx.data().join("jobcenter.csv")).unwrap();
    fx.file("jobcenter.csv", &utf16(&jc, true));
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    assert_eq!(fx.kennzahlen("2018-03").text, utf8);
}

/// Regression: a symbolic link in a template folder let a template read `/etc/passwd`
/// into the PDF. Only regular files inside the template folder are served.
#[test]
fn a_template_cannot_read_through_a_symlink_out_of_its_folder() {
    let fx = Fixture::new().write();
    let templates = fx.dir.path().join("vorlagen");
    std::fs::create_dir_all(&templates).unwrap();
    let builtin =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/report.typ"))
            .unwrap();
    std::fs::write(
        templates.join("report.typ"),
        format!("{builtin}\n#read(\"geheim.txt\")\n"),
    )
    .unwrap();
    symlink("/etc/passwd", templates.join("geheim.txt")).unwrap();
    let run = fx.run(&["run", "--month", "2018-03", "--templates", "vorlagen"]);
    run.expect_code(1).expect_stderr("geheim.txt");
    assert!(!fx.out().join("2018-03/05554_kreis-borken.pdf").exists());
}

/// A symbolic link loop in a font folder ends the search at once.
#[test]
fn a_symlink_loop_in_a_font_folder_terminates() {
    let fx = Fixture::new().write();
    let fonts = fx.dir.path().join("schriften");
    std::fs::create_dir_all(&fonts).unwrap();
    symlink(&fonts, fonts.join("schleife")).unwrap();
    symlink("schleife", fonts.join("zweite")).unwrap();
    let out = Command::new("timeout")
        .args([
            "60",
            bin(),
            "run",
            "--month",
            "2018-03",
            "--font-path",
            "schriften",
        ])
        .current_dir(fx.dir.path())
        .env_remove("ZIELBERICHT_DATA")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Regression: a FIFO as a Textbaustein under --templates blocked the run forever; a
/// `SOURCE_DATE_EPOCH` in the year 10000 failed every PDF after the arguments were accepted.
#[test]
fn template_fifo_and_far_epoch_are_refused_at_once() {
    let fx = crate::util::Fixture::new().write();
    let texte = fx.dir.path().join("tpl/texte");
    std::fs::create_dir_all(&texte).unwrap();
    let fifo = texte.join("ziel.txt.j2");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let started = std::time::Instant::now();
    fx.run(&["run", "--month", "2018-03", "--templates", "tpl"])
        .expect_code(2)
        .expect_stderr(
            "tpl/texte/ziel.txt.j2 kann nicht gelesen werden: erwartet wird eine gewöhnliche Datei",
        );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(!fx.out().join("2018-03").exists());

    let run = std::process::Command::new(crate::util::bin())
        .current_dir(fx.dir.path())
        .args(["run", "--month", "2018-03", "--figures-only"])
        .env("SOURCE_DATE_EPOCH", "253402300800")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("nach dem Jahr 9999"));
}

/// Regression (hostile test): a customised Textbaustein with a nested loop of 10^10 steps
/// hung the run, and one that writes 9 MB of text made Typst take minutes and 11 GB; a
/// failing one was named `templates/texte/ziel.txt.j2` instead of the user's file. Each
/// now fails its document at once (exit 1), naming the file of `--templates`.
#[test]
fn runaway_textbausteine_fail_fast_and_name_the_users_file() {
    let cases = [
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "tpl/texte/ziel.txt.j2: line 1: engine ran out of fuel",
        ),
        (
            "{% for i in range(100000) %}{{ \"x\" * 90 }}{% endfor %}",
            "tpl/texte/ziel.txt.j2: erwartet wird ein Text von höchstens 100000 Bytes, die Vorlage ergab 9000000",
        ),
        (
            "{{ nicht_definiert }}",
            "tpl/texte/ziel.txt.j2: line 1: undefined value",
        ),
    ];
    for (source, message) in cases {
        let fx = crate::util::Fixture::new().write();
        let texte = fx.dir.path().join("tpl/texte");
        std::fs::create_dir_all(&texte).unwrap();
        std::fs::write(texte.join("ziel.txt.j2"), source).unwrap();
        let started = std::time::Instant::now();
        fx.run(&["run", "--month", "2018-03", "--templates", "tpl"])
            .expect_code(1)
            .expect_stderr(message);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{source}: took {:?}",
            started.elapsed()
        );
    }
}
