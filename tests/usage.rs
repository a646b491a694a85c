//! What the people who run zielbericht meet around the commands (issue 21): the settings
//! file `zielbericht.toml`, `--quiet` for scheduled runs, exit status 3 for an internal
//! error, `--version` with commit and Typst version, completions and the man page.

use crate::util::{Fixture, command};

/// `zielbericht.toml` in the working folder sets the folders and the sender; a flag wins
/// over it; `check` names the file it used.
#[test]
fn the_settings_file_sets_folders_and_sender_and_a_flag_overrides_it() {
    let fx = Fixture::new().write();
    let root = fx.dir.path();
    std::fs::rename(root.join("data"), root.join("daten")).unwrap();
    std::fs::write(
        root.join("zielbericht.toml"),
        "# Arbeitsplatz Zielsteuerung\ndata = \"daten\"\nout = \"berichte\"\n\
         from = \"Zielsteuerung <ziel@mags.example>\"\ntolerance = \"1,5\"\njobs = 2\n",
    )
    .unwrap();
    let check = fx.run(&["check"]);
    check.expect_code(0);
    assert!(
        check
            .stdout()
            .contains("Einstellungen aus zielbericht.toml"),
        "{}",
        check.stdout()
    );
    assert!(
        check.stdout().contains("daten: 2 Jobcenter"),
        "{}",
        check.stdout()
    );
    fx.run(&["run", "--month", "2018-09", "--figures-only"])
        .expect_code(0);
    assert!(root.join("berichte/2018-09/kennzahlen.csv").is_file());
    // The flag wins over the file.
    fx.run(&[
        "run",
        "--month",
        "2018-09",
        "--figures-only",
        "--out",
        "anders",
    ])
    .expect_code(0);
    assert!(root.join("anders/2018-09/kennzahlen.csv").is_file());
    // The sender comes from the file: the drafts are written without --from.
    std::fs::write(
        root.join("termine.csv"),
        "jobcenter,datum,beginn,ort\n05554,2018-10-20,10:00,Borken\n",
    )
    .unwrap();
    fx.run(&["invite", "--month", "2018-09", "--termine", "termine.csv"])
        .expect_code(0);
    let draft =
        std::fs::read_to_string(root.join("berichte/2018-09/einladungen/05554_kreis-borken.eml"))
            .unwrap();
    assert!(draft.contains("ziel@mags.example"), "{draft}");
}

/// A misspelt key is an input error naming file and line; a value of the wrong kind too;
/// a file named by --settings that does not exist is refused.
#[test]
fn a_bad_settings_file_is_an_input_error_with_its_line() {
    let fx = Fixture::new().write();
    let root = fx.dir.path();
    std::fs::write(
        root.join("zielbericht.toml"),
        "data = \"data\"\n\nausgabe = \"x\"\n",
    )
    .unwrap();
    fx.run(&["check"])
        .expect_code(2)
        .expect_stderr("zielbericht.toml:3: unbekannter Schlüssel \"ausgabe\"; erlaubt sind")
        .expect_stderr("Es wurde nichts geschrieben.");
    std::fs::write(root.join("zielbericht.toml"), "smtp = \"mailserver\"\n").unwrap();
    fx.run(&["run", "--figures-only"])
        .expect_code(2)
        .expect_stderr("zielbericht.toml:1: \"smtp\": erwartet wird HOST:PORT");
    assert!(!fx.out().exists());
    std::fs::remove_file(root.join("zielbericht.toml")).unwrap();
    fx.run(&["--settings", "gibtsnicht.toml", "check"])
        .expect_code(2)
        .expect_stderr("gibtsnicht.toml: die Einstellungsdatei gibt es nicht");
    // Another file by option (relative paths count from its folder).
    std::fs::create_dir(root.join("konf")).unwrap();
    std::fs::write(
        root.join("konf/quartal.toml"),
        "data = \"../data\"\nout = \"../q\"\n",
    )
    .unwrap();
    fx.run(&["run", "--settings", "konf/quartal.toml", "--figures-only"])
        .expect_code(0);
    assert!(root.join("q/2018-12/kennzahlen.csv").is_file());
}

/// `--quiet` prints the one closing line on success (no progress, no warnings shown, but
/// counted) and still every error.
#[test]
fn quiet_prints_one_line_on_success() {
    // A implausible row gives one warning.
    let fx = Fixture::new()
        .row("05554", "2017-04", |r| r.set("int_lzb", 30).set("int", 20))
        .write();
    let run = fx.run(&["run", "--month", "2018-03", "--quiet"]);
    run.expect_code(0);
    let lines: Vec<String> = run.stderr().lines().map(String::from).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("2 Berichte, uebersicht.pdf, kennzahlen.csv")
            && lines[0].ends_with("(1 Warnung(en) nicht angezeigt; ohne --quiet sichtbar)"),
        "{lines:?}"
    );
    assert!(run.stdout().is_empty());
    let loud = fx.run(&["run", "--month", "2018-03"]);
    assert!(loud.stderr().lines().count() > 3, "{}", loud.stderr());
    // Errors are printed under --quiet.
    fx.run(&["-q", "run", "--month", "2028-03"])
        .expect_code(2)
        .expect_stderr("Fehler: 1 Eingabefehler");
}

/// An internal error (here a forced panic) exits 3, distinct from bad input (2), with a
/// German line naming it; nothing is written.
#[test]
fn a_panic_exits_3_with_a_german_message() {
    let fx = Fixture::new().write();
    let out = command(fx.dir.path(), &["run", "--month", "2018-03"])
        .env("ZIELBERICHT_TEST_PANIC", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("Fehler: interner Fehler des Programms"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Programmfehler an der Stelle src/"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert!(!fx.out().exists());
}

/// `--version` tells two builds apart: the commit and the Typst version.
#[test]
fn version_names_commit_and_typst() {
    let fx = Fixture::new();
    let run = fx.run(&["--version"]);
    run.expect_code(0);
    let line = run.stdout();
    assert!(
        line.starts_with(concat!(
            "zielbericht ",
            env!("CARGO_PKG_VERSION"),
            " (Commit "
        )) && line.trim_end().ends_with(", Typst 0.15.1)"),
        "{line}"
    );
}

/// Completions for the shells and the man page come from the one clap definition.
#[test]
fn completions_and_man_page_are_generated() {
    let fx = Fixture::new();
    let bash = fx.run(&["completions", "bash"]);
    bash.expect_code(0);
    assert!(bash.stdout().contains("vereinbarung"), "{}", bash.stdout());
    assert!(bash.stdout().contains("--settings"));
    let ps = fx.run(&["completions", "powershell"]);
    ps.expect_code(0);
    assert!(ps.stdout().contains("Register-ArgumentCompleter"));
    let man = fx.run(&["manpage"]);
    man.expect_code(0);
    assert!(man.stdout().starts_with(".ie"), "{}", &man.stdout()[..40]);
    assert!(man.stdout().contains(".TH zielbericht 1"));
    fx.run(&["completions", "cmd"]).expect_code(2);
}

/// `verify` names a file the user keeps in a run folder as kept, and exits 0 when every
/// file of the manifest matches.
#[test]
fn verify_names_user_files_as_kept_and_passes() {
    let fx = Fixture::new().write();
    fx.run(&["run", "--month", "2018-03", "--figures-only"])
        .expect_code(0);
    std::fs::write(
        fx.out().join("2018-03/notizen.txt"),
        "Rückfrage an Borken\n",
    )
    .unwrap();
    let verify = fx.run(&["verify", "out/2018-03"]);
    verify.expect_code(0);
    assert!(
        verify
            .stdout()
            .contains("behalten   out/2018-03/notizen.txt")
            && verify.stdout().contains("in Ordnung  out/2018-03"),
        "{}",
        verify.stdout()
    );
}
