use super::{Existing, Staging, parse};

/// A link whose new name does not hold the checked bytes (the old file was swapped
/// after its check) is removed again and refused; the caller then writes the bytes.
#[cfg(unix)]
#[test]
fn a_link_that_does_not_hold_the_checked_bytes_is_undone() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("2018-09");
    let lock = crate::output::lock_folder(&target).unwrap();
    let staging = Staging::begin(
        &lock,
        &["a.pdf".into(), "b.pdf".into()],
        b"{}",
        Existing::Refuse,
    )
    .unwrap();
    let old = dir.path().join("old.pdf");
    std::fs::write(&old, b"swapped in").unwrap();
    // The file's mode as the staging folder's first file has it, so only the bytes differ.
    let mode = std::fs::metadata(staging.path.join(crate::output::manifest::FILE))
        .unwrap()
        .permissions();
    std::fs::set_permissions(&old, mode).unwrap();
    assert!(staging.link(&old, "a.pdf", b"checked").is_err());
    assert!(!staging.path.join("a.pdf").exists());
    staging.link(&old, "b.pdf", b"swapped in").unwrap();
    assert_eq!(
        std::fs::read(staging.path.join("b.pdf")).unwrap(),
        b"swapped in"
    );
}

#[test]
fn leftover_names_parse_with_dashes_in_the_name() {
    assert_eq!(
        parse(".zielbericht-tmp-2018-12-123-456"),
        Some(("tmp", "2018-12"))
    );
    assert_eq!(
        parse(".zielbericht-old-ausgabe-11-1-2"),
        Some(("old", "ausgabe-11"))
    );
    assert_eq!(parse(".zielbericht-probe-1"), None);
    assert_eq!(parse(".zielbericht-tmp-2018-12-x-456"), None);
}

/// A killed writer's staging folder for a folder not yet there, holding its manifest
/// and an empty subfolder it had just made (`eingaben/` of an edition), is removed;
/// an empty folder a user made survives a rerun.
#[test]
fn empty_folders_in_leftovers_and_targets() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("ausgabe-2");
    let leftover = dir.path().join(".zielbericht-tmp-ausgabe-2-1-2");
    std::fs::create_dir_all(leftover.join("eingaben")).unwrap();
    let manifest = crate::output::manifest::Manifest {
        program: String::new(),
        version: String::new(),
        berichtsmonat: String::new(),
        created: String::new(),
        command: Vec::new(),
        datenstand: None,
        vorlaeufig: false,
        edition: None,
        supersedes: None,
        supersede_reason: None,
        inputs: Vec::new(),
        files: Vec::new(),
    };
    std::fs::write(leftover.join("manifest.json"), manifest.to_file().bytes).unwrap();
    let lock = crate::output::lock_folder(&target).unwrap();
    assert!(!leftover.exists());
    drop(lock);

    let month = dir.path().join("2018-03");
    let lock = crate::output::lock_folder(&month).unwrap();
    let write = |lock| {
        let files = [manifest.to_file()];
        super::write_folder(lock, &files, Existing::Replace { keep: &[] }).unwrap()
    };
    write(&lock);
    std::fs::create_dir_all(month.join("leer/tiefer")).unwrap();
    write(&lock);
    assert!(month.join("leer/tiefer").is_dir());
}
