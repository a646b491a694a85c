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
    assert!(!again.stderr().contains("bearbeitet 2"), "{}", again.stderr());
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
