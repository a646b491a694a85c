//! Typst rendering: JSON data in, tagged PDF (PDF/A-2a + PDF/UA-1) out.
//!
//! Typst runs in process. A [`Renderer`] is built once and holds everything that does
//! not change between documents: the standard library, the font book with all fonts
//! (the embedded Noto Sans and `DejaVu Sans Mono`, and any font files given by the caller), and the
//! parsed templates. Each [`Renderer::render`] call wraps that shared state in a light
//! per-document [`typst::World`] which owns only the document's data bytes, served to
//! the template as the virtual file `/data.json`.
//!
//! The virtual paths are fixed (`/data.json`, `/report.typ`, …) because Typst interns
//! file ids for the life of the process (at most 65 536); only the bytes behind them
//! vary. Typst memoises across compilations in a global cache, so long-running callers
//! should call [`evict_cache`] every few documents to bound memory.
//!
//! The templates read the data with `json("/data.json")` and use its values as strings
//! and content, never as markup, so characters like `#`, `*` or `$` in a Jobcenter's
//! name print literally.

use std::collections::HashMap;
use std::path::PathBuf;

use sha2::{Digest, Sha256};
use typst::diag::{FileError, FileResult, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Features, Library, LibraryExt, World};
use typst_kit::diagnostics::{DiagnosticFormat, DiagnosticWorld, termcolor};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use super::date::DocumentDate;
pub use super::error::RenderError;
use super::files::load_fonts;
use crate::texte::folder::TemplateFolder;

/// File names of the templates; also their virtual paths below `/`.
const REPORT_TEMPLATE: &str = "report.typ";
const OVERVIEW_TEMPLATE: &str = "uebersicht.typ";
const VEREINBARUNG_TEMPLATE: &str = "vereinbarung.typ";
const AENDERUNGEN_TEMPLATE: &str = "aenderungen.typ";
/// Virtual path under which each document's data is served.
const DATA_PATH: &str = "/data.json";

/// The built-in templates, used when no template folder is given.
const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    (REPORT_TEMPLATE, include_str!("../../templates/report.typ")),
    (
        OVERVIEW_TEMPLATE,
        include_str!("../../templates/uebersicht.typ"),
    ),
    ("style.typ", include_str!("../../templates/style.typ")),
    ("seite.typ", include_str!("../../templates/seite.typ")),
    ("masse.typ", include_str!("../../templates/masse.typ")),
    ("diagramm.typ", include_str!("../../templates/diagramm.typ")),
    ("tabellen.typ", include_str!("../../templates/tabellen.typ")),
    (
        VEREINBARUNG_TEMPLATE,
        include_str!("../../templates/vereinbarung.typ"),
    ),
    (
        AENDERUNGEN_TEMPLATE,
        include_str!("../../templates/aenderungen.typ"),
    ),
];

/// Files read from a template folder (sources and what they may load or include).
const TEMPLATE_EXTENSIONS: &[&str] = &[
    "typ", "svg", "png", "jpg", "jpeg", "gif", "webp", "pdf", "json", "csv", "toml", "yaml", "yml",
    "txt", "xml", "bib",
];

/// Shown as the PDF's `/Creator`.
const CREATOR: &str = concat!("zielbericht ", env!("CARGO_PKG_VERSION"), " (Typst)");

/// The export settings of [`Renderer::render_with_warnings`] other than the document's
/// ident and date, as they enter a [`Renderer::cache_key`]. Change it with them.
const PDF_PROFILE: &str = "standards=a-2a,ua-1;tagged=true;pretty=false;page_ranges=all";

/// Which document to typeset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    /// `report.typ`: the progress report of one Jobcenter (A4 portrait).
    Report,
    /// `uebersicht.typ`: the overview across all Jobcenters (A4 landscape).
    Overview,
    /// `vereinbarung.typ`: the target agreement of one Jobcenter (A4 portrait).
    Vereinbarung,
    /// `aenderungen.typ`: what a superseding archive edition changed (A4 portrait).
    Aenderungen,
}

impl Template {
    /// The template's file name, e.g. `report.typ`.
    pub fn file_name(self) -> &'static str {
        match self {
            Template::Report => REPORT_TEMPLATE,
            Template::Overview => OVERVIEW_TEMPLATE,
            Template::Vereinbarung => VEREINBARUNG_TEMPLATE,
            Template::Aenderungen => AENDERUNGEN_TEMPLATE,
        }
    }
}

/// A rendered PDF together with the template's warnings (formatted like typst-cli).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    /// Empty when the template compiled without warnings.
    pub warnings: String,
}

/// Drops entries older than `max_age` compilations from Typst's global memoisation
/// cache. Call `evict_cache(0)` every ~10 documents (or `evict_cache(10)` after each)
/// in a batch; without it memory grows to gigabytes and compilation gets slower.
pub fn evict_cache(max_age: usize) {
    typst::comemo::evict(max_age);
}

/// Shared, immutable state for rendering many documents, from several threads at once.
pub struct Renderer {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Template sources (`*.typ`) by file id.
    sources: HashMap<FileId, Source>,
    /// Other template files (e.g. images) by file id.
    files: HashMap<FileId, Bytes>,
    /// Display names for diagnostics: the file on disk or `report.typ` (built-in).
    names: HashMap<FileId, String>,
    report: FileId,
    overview: FileId,
    data: FileId,
    /// SHA-256 of everything above that shapes a PDF besides the document's data, ident
    /// and date: program version, export profile, every template file (name and bytes)
    /// and every font (bytes and index); see [`Renderer::cache_key`].
    fingerprint: [u8; 32],
}

impl Renderer {
    /// Builds the renderer.
    ///
    /// `templates_dir`: `Some(dir)` reads every template file in `dir` now, once
    /// (recursively: `.typ` sources and images or data they may load; other files such
    /// as `texte/*.j2` are skipped). A file there replaces the built-in file of the same
    /// name (`report.typ`, `uebersicht.typ`, `style.typ`); built-in files missing in
    /// `dir` stay in use. `None` uses the built-in templates only.
    ///
    /// `font_dirs`: font files, or folders searched recursively for `.ttf`/`.otf`/
    /// `.ttc`, loaded in addition to the embedded fonts (Noto Sans, `DejaVu Sans Mono`).
    /// System fonts are never used, so output does not depend on the host. For tests; a
    /// command hands its [`TemplateFolder`] as read once to [`Renderer::from_folder`].
    #[cfg(test)]
    pub fn new(
        templates_dir: Option<&std::path::Path>,
        font_dirs: &[PathBuf],
    ) -> Result<Self, RenderError> {
        Self::from_folder(templates_dir.map(TemplateFolder::read).as_ref(), font_dirs)
    }

    /// [`Renderer::new`] with the template folder as the command read it once.
    pub fn from_folder(
        templates: Option<&TemplateFolder>,
        font_dirs: &[PathBuf],
    ) -> Result<Self, RenderError> {
        let (fonts, embedded_fonts) = load_fonts(font_dirs)?;
        let book = FontBook::from_fonts(&fonts);

        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        let mut names = HashMap::new();
        for (name, text) in EMBEDDED_TEMPLATES {
            let id = file_id(&format!("/{name}"));
            sources.insert(id, Source::new(id, (*text).to_owned()));
            names.insert(id, (*name).to_owned());
        }
        // A template folder overrides the built-in files of the same name and may add
        // more (a user can change only style.typ); files keep their virtual path.
        if let Some(folder) = templates {
            let dir = folder.dir();
            let found = folder.files().map_err(|e| RenderError::TemplateRead {
                path: dir.to_owned(),
                source: std::io::Error::new(e.kind(), e.to_string()),
            })?;
            for (path, bytes) in found {
                let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if !TEMPLATE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str()) {
                    continue; // README, backups, …: never needed, would only cost file ids
                }
                let Ok(relative) = path.strip_prefix(dir) else {
                    continue;
                };
                let Some(virtual_path) = relative
                    .to_str()
                    .and_then(|r| VirtualPath::new(format!("/{}", r.replace('\\', "/"))).ok())
                else {
                    continue;
                };
                if virtual_path.get_with_slash() == DATA_PATH {
                    continue; // the data file is always the document's own
                }
                let id = RootedPath::new(VirtualRoot::Project, virtual_path).intern();
                let bytes = bytes.as_ref().map_err(|e| RenderError::TemplateRead {
                    path: path.clone(),
                    source: std::io::Error::new(e.kind(), e.to_string()),
                })?;
                if extension == "typ" {
                    let text = String::from_utf8(bytes.clone()).map_err(|_| {
                        RenderError::TemplateRead {
                            path: path.clone(),
                            source: std::io::Error::new(
                                std::io::ErrorKind::InvalidData,
                                "stream did not contain valid UTF-8",
                            ),
                        }
                    })?;
                    sources.insert(id, Source::new(id, text));
                } else {
                    files.insert(id, Bytes::new(bytes.clone()));
                }
                names.insert(id, path.display().to_string());
            }
        }

        let report = file_id(&format!("/{REPORT_TEMPLATE}"));
        let overview = file_id(&format!("/{OVERVIEW_TEMPLATE}"));
        let fingerprint = fingerprint(&sources, &files, &fonts, embedded_fonts);

        Ok(Self {
            // `a11y-extras`: `pdf.header-cell` and `pdf.data-cell`, with which the overview
            // marks its row headers and the values in its group rows.
            library: LazyHash::new(
                Library::builder()
                    .with_features(Features::from_iter([Feature::A11yExtras]))
                    .build(),
            ),
            book: LazyHash::new(book),
            fonts,
            sources,
            files,
            names,
            report,
            overview,
            data: file_id(DATA_PATH),
            fingerprint,
        })
    }

    /// The SHA-256 (hex) of exactly what [`Renderer::render`] makes a PDF from: the
    /// renderer's fingerprint (program version, export profile, templates, fonts), the
    /// template, `ident`, `date` and `data_json`. Equal keys give byte-identical PDFs, so a
    /// PDF rendered earlier under the same key can stand in for a new rendering.
    pub fn cache_key(
        &self,
        template: Template,
        data_json: &[u8],
        ident: &str,
        date: DocumentDate,
    ) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.fingerprint);
        for part in [
            template.file_name().as_bytes(),
            ident.as_bytes(),
            date.to_string().as_bytes(),
        ] {
            hash_field(&mut hasher, part);
        }
        hash_field(&mut hasher, data_json);
        hex(&hasher.finalize())
    }

    /// Compiles one document and exports it as PDF/A-2a + PDF/UA-1 (tagged).
    ///
    /// `data_json` is served to the template as `/data.json`. `ident` is a stable
    /// document id (e.g. `05554-2018-09`) from which the PDF's file identifier is
    /// derived; with the same `ident`, `date` and data the bytes are identical.
    #[cfg(test)]
    pub fn render(
        &self,
        template: Template,
        data_json: &[u8],
        ident: &str,
        date: DocumentDate,
    ) -> Result<Vec<u8>, RenderError> {
        self.render_with_warnings(template, data_json, ident, date)
            .map(|rendered| rendered.pdf)
    }

    /// Like [`Renderer::render`], but also returns the template's warnings.
    pub fn render_with_warnings(
        &self,
        template: Template,
        data_json: &[u8],
        ident: &str,
        date: DocumentDate,
    ) -> Result<Rendered, RenderError> {
        let datetime = date.to_datetime().ok_or(RenderError::InvalidDate(date))?;
        let world = DocumentWorld {
            renderer: self,
            main: match template {
                Template::Report => self.report,
                Template::Overview => self.overview,
                Template::Vereinbarung => file_id(&format!("/{VEREINBARUNG_TEMPLATE}")),
                Template::Aenderungen => file_id(&format!("/{AENDERUNGEN_TEMPLATE}")),
            },
            data: Bytes::new(data_json.to_vec()),
            today: Datetime::from_ymd(date.year, date.month, date.day),
        };
        let name = template.file_name();

        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let warnings = format_diagnostics(&world, &warnings);
        let document = output.map_err(|errors| RenderError::Compile {
            template: name,
            diagnostics: format_diagnostics(&world, &errors),
        })?;

        let options = PdfOptions {
            ident: Smart::Custom(ident.to_owned()),
            creator: Smart::Custom(Some(CREATOR.to_owned())),
            timestamp: Some(Timestamp::new_utc(datetime)),
            page_ranges: None,
            standards: pdf_standards(),
            tagged: true,
            pretty: false,
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| RenderError::Pdf {
            template: name,
            diagnostics: format_diagnostics(&world, &errors),
        })?;
        let pdf = super::pdf_eol::unambiguous_stream_ends(pdf);
        Ok(Rendered { pdf, warnings })
    }
}

/// Feeds one length-prefixed field (so that fields cannot run into each other).
fn hash_field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// See [`Renderer::fingerprint`]: template files in the order of their virtual paths.
fn fingerprint(
    sources: &HashMap<FileId, Source>,
    files: &HashMap<FileId, Bytes>,
    fonts: &[Font],
    embedded_fonts: usize,
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in [
        "zielbericht render cache 1",
        env!("CARGO_PKG_VERSION"),
        CREATOR,
        PDF_PROFILE,
    ] {
        hash_field(&mut hasher, part.as_bytes());
    }
    let mut templates: Vec<(String, &[u8])> = sources
        .iter()
        .map(|(id, s)| (id.vpath().get_with_slash().to_owned(), s.text().as_bytes()))
        .chain(
            files
                .iter()
                .map(|(id, b)| (id.vpath().get_with_slash().to_owned(), b.as_slice())),
        )
        .collect();
    templates.sort_unstable();
    hash_field(&mut hasher, &(templates.len() as u64).to_le_bytes());
    for (name, bytes) in templates {
        hash_field(&mut hasher, name.as_bytes());
        hash_field(&mut hasher, bytes);
    }
    // The embedded fonts (Noto Sans, DejaVu Sans Mono) are the bytes of the crate versions
    // Cargo.lock pins with their checksums: hashing the lock file stands for them without
    // reading 2 MB (which would also bring all of them into memory). Fonts given with
    // --font-path are hashed by content.
    hash_field(&mut hasher, CARGO_LOCK);
    hash_field(&mut hasher, &(fonts.len() as u64).to_le_bytes());
    for (i, font) in fonts.iter().enumerate() {
        hash_field(&mut hasher, &font.index().to_le_bytes());
        if i >= embedded_fonts {
            hash_field(&mut hasher, font.data().as_slice());
        }
    }
    hasher.finalize().into()
}

fn pdf_standards() -> PdfStandards {
    PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
        .expect("PDF/A-2a and PDF/UA-1 can be combined")
}

/// Interns a fixed virtual path in the project root.
fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("fixed virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Formats diagnostics like typst-cli does, without colours.
fn format_diagnostics(world: &DocumentWorld<'_>, diagnostics: &[SourceDiagnostic]) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let mut buffer = termcolor::NoColor::new(Vec::new());
    if let Err(err) =
        typst_kit::diagnostics::emit(&mut buffer, world, diagnostics, DiagnosticFormat::Human)
    {
        // Fall back to bare messages rather than losing them.
        let mut text = format!("(diagnostics could not be formatted: {err})\n");
        for diagnostic in diagnostics {
            text.push_str("error: ");
            text.push_str(&diagnostic.message);
            text.push('\n');
        }
        return text;
    }
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}

/// The dependency versions and checksums the binary was built with (see [`fingerprint`]).
const CARGO_LOCK: &[u8] = include_bytes!("../../Cargo.lock");

/// The world of one document: the shared renderer plus this document's data.
struct DocumentWorld<'a> {
    renderer: &'a Renderer,
    main: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

impl DocumentWorld<'_> {
    fn not_found(id: FileId) -> FileError {
        FileError::NotFound(PathBuf::from(id.vpath().get_without_slash()))
    }
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        match self.renderer.sources.get(&id) {
            Some(source) => Ok(source.clone()),
            None if id == self.renderer.data || self.renderer.files.contains_key(&id) => {
                Err(FileError::NotSource)
            }
            None => Err(Self::not_found(id)),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.renderer.data {
            return Ok(self.data.clone());
        }
        if let Some(bytes) = self.renderer.files.get(&id) {
            return Ok(bytes.clone());
        }
        match self.renderer.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.text().to_owned())),
            None => Err(Self::not_found(id)),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.renderer.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

impl DiagnosticWorld for DocumentWorld<'_> {
    fn name(&self, id: FileId) -> String {
        self.renderer
            .names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.vpath().get_without_slash().to_owned())
    }
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
