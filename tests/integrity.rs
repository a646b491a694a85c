//! Issue 23 (third review): the archive's register committed with its edition (real
//! failed writes and kills between the steps, injected by `strace`), a lost register
//! refused and repaired only explicitly, `diff` exact to the cent, the document date
//! checked before any work (`SOURCE_DATE_EPOCH`, a clock set by `faketime`), and
//! readers that wait for writers.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Fixture, Run, bin};

/// `zielbericht ARGS` in the fixture under `strace -f -P PATH -e EXPR…`: the syscalls
/// on `PATH` (also through a file descriptor) get the injection. The archive is given
/// as an absolute path, which `-P` compares with the path of the call.
fn under_strace(fx: &Fixture, path: &Path, exprs: &[&str], args: &[&str]) -> Run {
    let mut cmd = Command::new("strace");
    // Not --seccomp-bpf: with it strace 6.1 misses the calls of the threads.
    cmd.args(["-f", "-qq", "-o", "/dev/null", "-P"]).arg(path);
    for e in exprs {
        cmd.args(["-e", e]);
    }
    cmd.arg(bin())
        .args(args)
        .current_dir(fx.dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env_remove("ZIELBERICHT_DATA")
        .env_remove("ZIELBERICHT_TEMPLATES")
        .env_remove("TYPST_FONT_PATHS");
    Run {
        output: cmd
            .output()
            .expect("strace (apt-get install strace; .ci/run does)"),
    }
}

fn archive_root(fx: &Fixture) -> PathBuf {
    fx.dir.path().join("out/archiv")
}

/// `archive --year 2017 --archive <absolute>` and more.
fn archive_args<'a>(root: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["archive", "--year", "2017", "--archive", root];
    args.extend_from_slice(extra);
    args
}

fn registered(root: &Path) -> Vec<String> {
    std::fs::read_to_string(root.join("register.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

fn first_edition() -> (Fixture, PathBuf, String) {
    let fx = Fixture::new().write();
    let root = archive_root(&fx);
    let root_text = root.display().to_string();
    fx.run(&archive_args(&root_text, &[])).expect_code(0);
    (fx, root, root_text)
}

/// A write of the register that fails (ENOSPC) after the new edition is in place takes
/// the edition back: „nichts veröffentlicht“ is true, the register is as before, and
/// `verify` stays green.
#[test]
fn a_failed_register_write_takes_the_new_edition_back() {
    let (fx, root, root_text) = first_edition();
    let before = std::fs::read(root.join("register.txt")).unwrap();
    let run = under_strace(
        &fx,
        &root.join(".register.txt.neu"),
        &["trace=write", "inject=write:error=ENOSPC"],
        &archive_args(&root_text, &["--supersede", "Korrektur"]),
    );
    run.expect_code(2)
        .expect_stderr("konnte nicht geschrieben werden")
        .expect_stderr("nichts wurde veröffentlicht");
    assert!(!root.join("2017/ausgabe-2").exists());
    assert_eq!(std::fs::read(root.join("register.txt")).unwrap(), before);
    assert!(!root.join("register.ausstehend").exists());
    fx.run(&["verify", "out/archiv"]).expect_code(0);
    // And the next attempt publishes it.
    fx.run(&archive_args(&root_text, &["--supersede", "Korrektur"]))
        .expect_code(0);
    assert_eq!(registered(&root), ["2017/ausgabe-1", "2017/ausgabe-2"]);
}

/// Killed after the edition is in place and before its register entry: `verify` names
/// the interrupted publication, and the next `archive` completes it.
#[test]
fn a_kill_between_edition_and_register_entry_is_completed_by_the_next_archive() {
    let (fx, root, root_text) = first_edition();
    let run = under_strace(
        &fx,
        &root.join(".register.txt.neu"),
        &[
            "trace=rename,renameat,renameat2",
            "inject=rename,renameat,renameat2:signal=KILL",
        ],
        &archive_args(&root_text, &["--supersede", "Korrektur"]),
    );
    assert_ne!(run.output.status.code(), Some(0), "{}", run.stderr());
    assert!(root.join("2017/ausgabe-2/manifest.json").exists());
    assert!(root.join("register.ausstehend").exists());
    assert_eq!(registered(&root), ["2017/ausgabe-1"]);
    let verify = fx.run(&["verify", "out/archiv"]);
    verify.expect_code(1);
    assert!(
        verify.stdout().contains("unterbrochen") && verify.stdout().contains("2017/ausgabe-2"),
        "{}",
        verify.stdout()
    );
    // Any archive command completes it first (this one then refuses, as it should).
    fx.run(&archive_args(&root_text, &[]))
        .expect_code(2)
        .expect_stderr("ist abgeschlossen");
    assert_eq!(registered(&root), ["2017/ausgabe-1", "2017/ausgabe-2"]);
    assert!(!root.join("register.ausstehend").exists());
    fx.run(&["verify", "out/archiv"]).expect_code(0);
}

/// Killed (SIGKILL) the moment the journal appears, wherever that leaves the edition:
/// the next `archive` completes or rolls back, and the archive verifies with every
/// edition on disk registered.
#[test]
fn a_kill_during_publication_is_completed_or_rolled_back_by_the_next_archive() {
    let (fx, root, root_text) = first_edition();
    let journal = root.join("register.ausstehend");
    let mut child = crate::util::command(
        fx.dir.path(),
        &archive_args(&root_text, &["--supersede", "Korrektur"]),
    )
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    let started = std::time::Instant::now();
    while !journal.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "archive ended before publishing"
        );
        assert!(started.elapsed() < std::time::Duration::from_mins(2));
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let in_place = root.join("2017/ausgabe-2").exists();
    let journal_left = journal.exists();
    let next = fx.run(&archive_args(&root_text, &["--supersede", "Korrektur"]));
    next.expect_code(0);
    if journal_left {
        next.expect_stderr(if in_place {
            "ist abgeschlossen"
        } else {
            "zurückgenommen"
        });
    }
    let expected: Vec<String> = (1..=if in_place { 3 } else { 2 })
        .map(|n| format!("2017/ausgabe-{n}"))
        .collect();
    assert_eq!(registered(&root), expected);
    assert!(!journal.exists());
    fx.run(&["verify", "out/archiv"]).expect_code(0);
}

/// Regression (hostile review): with `register.txt` deleted, the next `archive` adopted
/// every edition on disk — a forged one included — and `verify` turned green. Now it is
/// refused; `--repair-register` re-checks each edition against its own manifest, leaves
/// out what does not check, names what it cannot vouch for, and logs it.
#[test]
fn a_lost_register_is_refused_and_repaired_only_explicitly() {
    let (fx, root, root_text) = first_edition();
    // A forged edition with a consistent manifest, and one whose PDF was altered.
    let copy = |to: &str, month: &str| {
        let to = root.join(to);
        std::fs::create_dir_all(&to).unwrap();
        for e in walk(&root.join("2017/ausgabe-1")) {
            let rel = e.strip_prefix(root.join("2017/ausgabe-1")).unwrap();
            std::fs::create_dir_all(to.join(rel).parent().unwrap()).unwrap();
            std::fs::copy(&e, to.join(rel)).unwrap();
        }
        let m = to.join("manifest.json");
        let text = std::fs::read_to_string(&m)
            .unwrap()
            .replace("\"2017-12\"", &format!("\"{month}\""));
        std::fs::write(m, text).unwrap();
        to
    };
    copy("2016/ausgabe-1", "2016-12");
    let damaged = copy("2015/ausgabe-1", "2015-12");
    std::fs::write(damaged.join("kennzahlen.csv"), "gefälscht\n").unwrap();
    std::fs::remove_file(root.join("register.txt")).unwrap();

    let refused = fx.run(&["archive", "--year", "2018", "--archive", &root_text]);
    refused
        .expect_code(2)
        .expect_stderr("fehlt")
        .expect_stderr("--repair-register");
    assert!(!root.join("2018").exists());
    assert!(!root.join("register.txt").exists());
    fx.run(&["verify", "out/archiv"]).expect_code(1);

    let repair = fx.run(&["archive", "--archive", &root_text, "--repair-register"]);
    repair
        .expect_code(1)
        .expect_stderr("NICHT aufgenommen: 2015/ausgabe-1")
        .expect_stderr("NICHT verbürgt (nur gegen das eigene Manifest geprüft): 2016/ausgabe-1")
        .expect_stderr("NICHT verbürgt (nur gegen das eigene Manifest geprüft): 2017/ausgabe-1");
    assert_eq!(registered(&root), ["2016/ausgabe-1", "2017/ausgabe-1"]);
    let log = std::fs::read_to_string(root.join("register-reparatur.log")).unwrap();
    assert!(log.contains("bisheriges Register: fehlt"), "{log}");
    assert!(log.contains("NICHT aufgenommen: 2015/ausgabe-1"), "{log}");
    assert!(log.contains("--repair-register"), "{log}");

    // verify names the unvouched editions and the one left out.
    let verify = fx.run(&["verify", "out/archiv"]);
    verify.expect_code(1);
    assert!(
        verify
            .stdout()
            .contains("Hinweis: nicht verbürgt (nur gegen ihr eigenes Manifest geprüft): 2016/ausgabe-1, 2017/ausgabe-1"),
        "{}",
        verify.stdout()
    );
    assert!(
        verify.stdout().contains("nicht registriert"),
        "{}",
        verify.stdout()
    );
    std::fs::remove_dir_all(&damaged).unwrap();
    std::fs::remove_dir(root.join("2015")).unwrap();
    fx.run(&["verify", "out/archiv"]).expect_code(0);

    // A register that checks is not touched.
    let register = std::fs::read(root.join("register.txt")).unwrap();
    fx.run(&["archive", "--archive", &root_text, "--repair-register"])
        .expect_code(0)
        .expect_stderr("nichts wurde geändert");
    assert_eq!(std::fs::read(root.join("register.txt")).unwrap(), register);
    fx.run(&["archive", "--year", "2018", "--archive", &root_text])
        .expect_code(0);
    fx.run(&["verify", "out/archiv"]).expect_code(0);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

/// Regression (hostile review, class 5): +0,03 € on 38 Mio. € was „0 changed“, exit 0.
#[test]
fn diff_finds_a_cent_on_millions_and_shows_the_value() {
    let big = |fx: Fixture| fx.rows_of("05554", |r| r.set("llu_eur", "38000000"));
    let a = big(Fixture::new()).write();
    let b = big(Fixture::new())
        .row("05554", "2018-12", |r| r.set("llu_eur", "38000000.03"))
        .write();
    for (fx, name) in [(&a, "a"), (&b, "b")] {
        fx.run(&["run", "--month", "2018-12", "--figures-only"])
            .expect_code(0);
        std::fs::rename(fx.out().join("2018-12"), a.dir.path().join(name)).unwrap();
    }
    let diff = a.run(&["diff", "a", "b"]);
    diff.expect_code(1);
    let out = diff.stdout();
    assert!(out.contains("456.000.000,00 → 456.000.000,03"), "{out}");
    assert!(!out.contains("\n0 Kennzahlwert(e)"), "{out}");
    let csv = a.run(&["diff", "a", "b", "--format", "csv"]);
    assert!(
        csv.stdout()
            .contains("05554,llu,wert,456000000,456000000.03"),
        "{}",
        csv.stdout()
    );
}

/// Regression (hostile review, classes 7 and 14): `SOURCE_DATE_EPOCH` of the year 1
/// passed the check and failed after rendering, `-1` dated every document 1969. Each is
/// refused at once, naming the range, with nothing written.
#[test]
fn source_date_epoch_outside_1970_to_9999_is_refused_before_any_work() {
    let fx = Fixture::new().write();
    for value in ["-62135596800", "-1", "253402300800", "1.5e9", "heute"] {
        for args in [
            &["run", "--month", "2018-03"][..],
            &["run", "--month", "2018-03", "--figures-only"],
            &["archive", "--year", "2017"],
            &["vereinbarung", "--year", "2019"],
        ] {
            let out = crate::util::command(fx.dir.path(), args)
                .env("SOURCE_DATE_EPOCH", value)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{value} {args:?}: {stderr}");
            assert!(
                stderr.contains("0 (1970-01-01T00:00:00Z) bis 253402300799 (9999-12-31T23:59:59Z)"),
                "{value} {args:?}: {stderr}"
            );
            assert!(
                !fx.out().exists(),
                "{value} {args:?}: something was written"
            );
        }
    }
}

/// A system clock before 1970 panicked (exit 101); one in the year 10000 failed after
/// rendering. Both are refused at once (the clock set by libfaketime).
#[test]
fn a_clock_before_1970_or_after_9999_is_refused_not_a_panic() {
    let fx = Fixture::new().write();
    for (fake, why) in [
        ("1960-01-01 00:00:00", "vor 1970"),
        ("@253402400000", "nach dem Jahr 9999"),
    ] {
        let out = Command::new("faketime")
            .arg(fake)
            .arg(bin())
            .args(["run", "--month", "2018-03"])
            .current_dir(fx.dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("faketime (apt-get install faketime; .ci/run does)");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{fake}: {stderr}");
        assert!(
            stderr.contains("Systemuhr") && stderr.contains(why),
            "{fake}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!fx.out().exists());
    }
}

/// Runs `args` while this test holds the exclusive lock `lock` (as a writer does): the
/// reader must still be waiting after a second, and finish with `code` once released.
fn waits_for_the_writer(fx: &Fixture, lock: &Path, args: &[&str], code: i32) {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock)
        .unwrap();
    file.lock().unwrap();
    let mut child = crate::util::command(fx.dir.path(), args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "{args:?} did not wait for the writer"
    );
    file.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(
        stderr.contains("warten: ein anderer zielbericht-Prozess schreibt"),
        "{stderr}"
    );
}

/// Regression (hostile review, class 12): `verify` and `diff` took no lock and read
/// half of a rerun or of an edition being published. They now wait for the writer.
#[test]
fn verify_and_diff_wait_for_a_writer() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    fx.run(&["archive", "--year", "2017"]).expect_code(0);
    let month_lock = fx.out().join(".2018-03.lock");
    let archive_lock = fx.out().join("archiv/.register.txt.lock");
    waits_for_the_writer(&fx, &month_lock, &["verify", "out/2018-03"], 0);
    waits_for_the_writer(&fx, &month_lock, &["diff", "out/2018-03", "out/2018-03"], 0);
    waits_for_the_writer(&fx, &archive_lock, &["verify", "out/archiv"], 0);
    waits_for_the_writer(
        &fx,
        &archive_lock,
        &[
            "diff",
            "out/archiv/2017/ausgabe-1",
            "out/2018-03/kennzahlen.csv",
        ],
        1,
    );
    // Readers do not wait for each other.
    let file = std::fs::File::open(&month_lock).unwrap();
    file.lock_shared().unwrap();
    fx.run(&["verify", "out/2018-03"]).expect_code(0);
}
