//! `manifest.json`: what a run read and wrote, so that it can be verified years later —
//! the program version, the Berichtsmonat, the SHA-256 of every input file and of every
//! file written beside the manifest.

use serde::{Deserialize, Serialize};

use super::{OutFile, sha256_hex};
use crate::load::InputFile;

pub const FILE: &str = "manifest.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    /// Rendered documents: the SHA-256 of everything the PDF was rendered from (data,
    /// templates, fonts, program version, document date), under which a rerun may reuse
    /// the file instead of rendering it (`report::cache`). Not a checksum of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_key: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub program: String,
    pub version: String,
    pub berichtsmonat: String,
    /// Creation time (RFC 3339, UTC); from `SOURCE_DATE_EPOCH` when set.
    pub created: String,
    /// The command line of the run.
    pub command: Vec<String>,
    /// Latest `datenstand` of the figures used, if the data give one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datenstand: Option<String>,
    /// Marked when the run was made with `--allow-incomplete` on incomplete data.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub vorlaeufig: bool,
    /// Archive editions: the edition number, and what it supersedes and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersede_reason: Option<String>,
    pub inputs: Vec<FileEntry>,
    pub files: Vec<FileEntry>,
}

impl Manifest {
    /// The one builder of every manifest (run folder, archive edition, agreements): this
    /// program and version, what the documents cover (`berichtsmonat`; the year for the
    /// agreements), when and by which command line, and the input files as read. The
    /// rest (Datenstand, marks, edition, files) the caller sets.
    pub fn new(
        berichtsmonat: String,
        created: chrono::DateTime<chrono::Utc>,
        command_line: &[String],
        inputs: &[InputFile],
    ) -> Self {
        Self {
            program: env!("CARGO_PKG_NAME").into(),
            version: crate::build_info::LONG_VERSION.into(),
            berichtsmonat,
            created: created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            command: command_line.to_vec(),
            datenstand: None,
            vorlaeufig: false,
            edition: None,
            supersedes: None,
            supersede_reason: None,
            inputs: self::inputs(inputs),
            files: Vec::new(),
        }
    }
}

pub fn entry(path: String, bytes: &[u8]) -> FileEntry {
    FileEntry {
        path,
        sha256: sha256_hex(bytes),
        bytes: bytes.len() as u64,
        render_key: None,
    }
}

pub fn inputs(files: &[InputFile]) -> Vec<FileEntry> {
    files
        .iter()
        .map(|f| entry(f.path.display().to_string(), &f.bytes))
        .collect()
}

pub fn outputs(files: &[OutFile]) -> Vec<FileEntry> {
    files
        .iter()
        .map(|f| entry(f.path.clone(), &f.bytes))
        .collect()
}

impl Manifest {
    pub fn to_file(&self) -> OutFile {
        let mut bytes = serde_json::to_vec_pretty(self).expect("manifest serialises");
        bytes.push(b'\n');
        OutFile {
            path: FILE.to_string(),
            bytes,
        }
    }
}
