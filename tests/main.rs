//! The one integration-test binary: every test runs the real `zielbericht` binary on a
//! data folder written by the fixture builder in `util`.

mod util;

/// Quarterly runs, the write-once archive, verify, interrupted runs.
mod archive;
/// Command line: default month, `check`, arguments, exit codes, the shipped sample.
mod cli;
/// The comparison with the Vergleichstyp and the Land: the Jobcenter's share, small groups.
mod comparison;
/// Excel workbooks in (contract 1.3), `kennzahlen.xlsx` out, `vorlage` templates.
mod excel;
/// Hand-worked figures, attainment and aggregates against `kennzahlen.csv`.
mod figures;
/// Broken data folders: exit 2, messages with file, line and column, nothing written.
mod inputs;
/// Issue 23: register and edition together, exact diff, dates checked first, readers wait.
mod integrity;
/// Issue 23: Ctrl-C and SIGTERM, debris of killed commands, an output folder that vanishes.
mod interrupt;
/// Invitations: .eml drafts and sending through a real SMTP server.
mod invite;
/// The overview: a column for every agreed target, groups by Vergleichstyp, status words.
mod overview;
/// Reading rules: dialects, encodings, symbols, ids and months as Excel writes them.
mod reading;
/// Nothing lost: locks, SIGKILL, leftovers, user files, hostile input files and folders.
mod reliability;
/// Rendered PDFs: text, German formats, k. A., PDF/A + UA, reproducibility, failures.
mod reports;
/// Reruns reuse unchanged PDFs; changed data, templates or dates render again.
mod reuse;
/// Issue 19: rules that had no test (five Gesprächspunkte, rank ties, the shipped sample,
/// PDF/A parts, the wording read once).
mod rules;
/// Issue 23: user changes survive a rerun, what reuse trusts, a time limit per document.
mod trust;
/// For the people who run it: the settings file, --quiet, exit 3, --version, completions.
mod usage;
/// Target agreements: parties, targets worded by direction, notes, config errors.
mod vereinbarung;
/// The PDF/A and PDF/UA identification in the XMP metadata (shared with the unit tests).
mod xmp;
