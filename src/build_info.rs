//! What `--version` and `manifest.json` say about this build (see `build.rs`): the
//! commit it was built from (or "unbekannt") and the version of Typst compiled in.

/// `0.1.0 (Commit 1a2b3c4d5e6f, Typst 0.15.1)`: the text of `--version` after the
/// program's name, and the `version` of `manifest.json`.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (Commit ",
    env!("ZIELBERICHT_COMMIT"),
    ", Typst ",
    env!("ZIELBERICHT_TYPST"),
    ")"
);
