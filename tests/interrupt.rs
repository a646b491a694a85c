//! Issue 23, classes 10 and 11: Ctrl-C and SIGTERM clean up what the process made and
//! publish nothing; what a SIGKILL left is cleared by the next command of any kind
//! (`run` of another month, `verify`, `archive`); an output folder moved away while a run
//! renders makes the run fail with nothing published.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use crate::util::{command, generated, run_in, snapshot_tree};

/// Starts `zielbericht ARGS` with `--jobs 1` added when it renders, and returns it once
/// its progress shows `[5/`: PDFs are then streaming into its staging folder. The rest
/// of its stderr is collected by a thread (returned).
fn started(dir: &Path, args: &[&str]) -> (Child, std::thread::JoinHandle<String>) {
    let mut child = command(dir, args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "ended before rendering: {seen}"
        );
        seen.push_str(&line);
        if line.starts_with("[5/") {
            break;
        }
    }
    let rest = std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = stderr.read_to_string(&mut rest);
        seen + &rest
    });
    (child, rest)
}

fn signal(child: &Child, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The leftovers `.zielbericht-*` in `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".zielbericht-"))
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

#[test]
fn ctrl_c_and_sigterm_remove_the_staging_folder_and_publish_nothing() {
    let dir = generated(40);
    let out = dir.path().join("out");
    // Ctrl-C during the first run of a month: no month folder, no staging folder.
    let (mut child, stderr) = started(dir.path(), &["run", "--month", "2018-12", "--jobs", "1"]);
    assert!(!leftovers(&out).is_empty(), "no staging folder to clean");
    signal(&child, "INT");
    let status = child.wait().unwrap();
    let stderr = stderr.join().unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("Abgebrochen (Strg+C): nichts veröffentlicht."),
        "{stderr}"
    );
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
    assert!(!out.join("2018-12").exists());

    // SIGTERM during a rerun: the earlier folder stays as it was, byte for byte.
    run_in(dir.path(), &["run", "--month", "2018-12", "--figures-only"]).expect_code(0);
    std::fs::write(out.join("2018-12/notizen.txt"), b"meine Notiz").unwrap();
    let before = snapshot_tree(&out.join("2018-12"));
    let (mut child, stderr) = started(dir.path(), &["run", "--month", "2018-12", "--jobs", "1"]);
    signal(&child, "TERM");
    let status = child.wait().unwrap();
    let stderr = stderr.join().unwrap();
    assert_eq!(status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("Abgebrochen (SIGTERM)"), "{stderr}");
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
    assert_eq!(snapshot_tree(&out.join("2018-12")), before);
}

#[test]
fn what_a_sigkill_left_is_cleared_by_the_next_command_of_any_kind() {
    let dir = generated(40);
    let out = dir.path().join("out");
    run_in(dir.path(), &["run", "--month", "2018-12", "--figures-only"]).expect_code(0);
    // Killed while rendering 2018-11: its staging folder (megabytes of PDFs) stays.
    let (mut child, _) = started(dir.path(), &["run", "--month", "2018-11", "--jobs", "1"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(leftovers(&out).len(), 1);
    // `verify` of the other month clears it, says so, and is not failed by it.
    let verified = run_in(dir.path(), &["verify", "out"]);
    verified
        .expect_code(0)
        .expect_stderr("Aufgeräumt: in out lagen Zwischenordner abgebrochener");
    assert!(
        verified.stderr().contains("2018-11 (1)"),
        "{}",
        verified.stderr()
    );
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());

    // Killed again; this time a run of another month clears it.
    let (mut child, _) = started(dir.path(), &["run", "--month", "2018-11", "--jobs", "1"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(leftovers(&out).len(), 1);
    run_in(dir.path(), &["run", "--month", "2018-10", "--figures-only"])
        .expect_code(0)
        .expect_stderr("Aufgeräumt");
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
    // A folder of that kind whose content cannot be told apart is named and kept, and
    // `verify` is not failed by it (it is beside the run folders, not in them).
    let foreign = out.join(".zielbericht-tmp-2018-09-1-2");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("wichtig.txt"), b"x").unwrap();
    let verified = run_in(dir.path(), &["verify", "out"]);
    verified.expect_code(0).expect_stderr("cannot be put back");
    assert!(foreign.join("wichtig.txt").exists());
}

#[test]
fn an_interrupted_supersede_leaves_nothing_that_fails_verify() {
    let dir = generated(40);
    let archive = ["archive", "--year", "2018", "--archive", "out/archiv"];
    run_in(dir.path(), &archive).expect_code(0);
    let year = dir.path().join("out/archiv/2018");
    let mut args = archive.to_vec();
    args.extend(["--supersede", "Korrektur", "--no-reuse", "--jobs", "1"]);
    // Ctrl-C: the process removes its own staging folder.
    let (mut child, stderr) = started(dir.path(), &args);
    signal(&child, "INT");
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(stderr.join().unwrap().contains("nichts veröffentlicht"));
    assert_eq!(leftovers(&year), Vec::<PathBuf>::new());
    run_in(dir.path(), &["verify", "out/archiv"]).expect_code(0);
    // SIGKILL the moment the staging folder would become the edition (`strace` kills at
    // the second rename: the first puts the register's journal in place). The next
    // `verify` clears the staging folder; it still names the interrupted publication
    // (the journal), which the next `archive` rolls back.
    let root = dir.path().join("out/archiv");
    let mut traced = std::process::Command::new("strace");
    traced
        .args(["-f", "-qq", "-o", "/dev/null", "-e", "trace=rename"])
        .args(["-e", "inject=rename:signal=KILL:when=2", crate::util::bin()])
        .args([
            "archive",
            "--year",
            "2018",
            "--supersede",
            "Korrektur",
            "--archive",
        ])
        .arg(&root)
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000");
    let killed = traced.output().expect("strace (.ci/run installs it)");
    assert_ne!(killed.status.code(), Some(0));
    assert_eq!(leftovers(&year).len(), 1);
    let verified = run_in(dir.path(), &["verify", "out/archiv"]);
    verified.expect_code(1).expect_stderr("Aufgeräumt");
    assert!(
        verified.stdout().contains("unterbrochen"),
        "{}",
        verified.stdout()
    );
    assert!(
        !verified.stdout().contains(".zielbericht-"),
        "{}",
        verified.stdout()
    );
    assert_eq!(leftovers(&year), Vec::<PathBuf>::new());
    run_in(dir.path(), &archive).expect_code(2);
    run_in(dir.path(), &["verify", "out/archiv"]).expect_code(0);
    // Anything else unexpected in the year's folder still fails it.
    std::fs::create_dir(year.join("kopie")).unwrap();
    run_in(dir.path(), &["verify", "out/archiv"]).expect_code(1);
}

/// Class 10: `--out` moved away (and made anew, empty) while the first run of a month
/// renders: the run must not publish a month folder without the PDFs written before.
#[test]
fn an_output_folder_moved_during_the_first_run_publishes_nothing() {
    let dir = generated(40);
    let (mut child, stderr) = started(
        dir.path(),
        &["run", "--month", "2018-12", "--jobs", "1", "--out", "o/out"],
    );
    std::fs::rename(dir.path().join("o"), dir.path().join("o-verschoben")).unwrap();
    std::fs::create_dir_all(dir.path().join("o/out")).unwrap();
    let status = child.wait().unwrap();
    let stderr = stderr.join().unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nichts wurde veröffentlicht"), "{stderr}");
    assert!(!stderr.contains("written to"), "{stderr}");
    assert!(!dir.path().join("o/out/2018-12").exists());
    assert!(!dir.path().join("o-verschoben/out/2018-12").exists());
    assert_eq!(
        std::fs::read_dir(dir.path().join("o/out")).unwrap().count(),
        0,
        "something was made in the new folder"
    );
}

/// Ctrl-C while the finished folder is being swapped into place (the rename delayed 3 s
/// by `strace`): the swap is not cut in half; the process ends after it with 130 and
/// says what was published, and the folder verifies.
#[test]
fn ctrl_c_during_the_swap_waits_for_it_and_names_what_was_published() {
    let fx = crate::util::Fixture::new().write();
    let mut traced = std::process::Command::new("strace");
    traced
        .args(["-f", "-qq", "-o", "/dev/null", "-e", "trace=rename"])
        // The first rename puts the final manifest in place, the second swaps the folder.
        .args([
            "-e",
            "inject=rename:delay_enter=3000000:when=2",
            crate::util::bin(),
        ])
        .args(["run", "--month", "2018-03", "--jobs", "1"])
        .current_dir(fx.dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut strace = traced.spawn().expect("strace (.ci/run installs it)");
    let mut stderr = BufReader::new(strace.stderr.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("[3/3]") {
        assert!(stderr.read_line(&mut seen).unwrap() > 0, "{seen}");
    }
    std::thread::sleep(std::time::Duration::from_secs(1));
    let spid = strace.id();
    let children =
        std::fs::read_to_string(format!("/proc/{spid}/task/{spid}/children")).unwrap_or_default();
    let pid = children
        .split_whitespace()
        .next()
        .expect("the traced zielbericht");
    let status = std::process::Command::new("kill")
        .args(["-INT", pid])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let code = strace.wait().unwrap().code();
    assert_eq!(code, Some(130), "{seen}{rest}");
    assert!(
        rest.contains("Abgebrochen (Strg+C): out/2018-03 war schon vollständig geschrieben"),
        "{rest}"
    );
    assert_eq!(leftovers(&fx.out()), Vec::<PathBuf>::new());
    run_in(fx.dir.path(), &["verify", "out/2018-03"]).expect_code(0);
}
