//! Tests of the Typst renderer: templates, fonts, data, errors with file and line.
use super::*;
use std::fs;
use std::process::Command;
use std::sync::OnceLock;

#[path = "../../tests/xmp.rs"]
mod xmp;

const REPORT_EXAMPLE: &str = include_str!("../../docs/report-data.example.json");
const OVERVIEW_EXAMPLE: &str = include_str!("../../docs/overview-data.example.json");
const DATE: DocumentDate = DocumentDate {
    year: 2018,
    month: 10,
    day: 16,
    hour: 8,
    minute: 0,
    second: 0,
};

/// Typst needs deeper stacks than the 2 MiB of test threads; run on 16 MiB.
fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(None, &[]).unwrap())
}

fn render(template: Template, json: String) -> Rendered {
    on_big_stack(move || {
        renderer()
            .render_with_warnings(template, json.as_bytes(), "test", DATE)
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

fn with_name(name: &str) -> String {
    let mut data: serde_json::Value = serde_json::from_str(REPORT_EXAMPLE).unwrap();
    data["jobcenter"]["name"] = name.into();
    data["vergleich_namen"]["jc"] = name.into();
    data.to_string()
}

/// The text of a PDF as `pdftotext` (poppler-utils) extracts it. A missing tool fails the
/// test: CI installs it (`.ci/run`), and a check that passes without looking is no check.
fn pdf_text(pdf: &[u8]) -> String {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!("render-test-{}-{n}.pdf", std::process::id()));
    fs::write(&file, pdf).unwrap();
    let output = Command::new("pdftotext").arg(&file).arg("-").output();
    fs::remove_file(&file).ok();
    let output = output.unwrap_or_else(|e| {
        panic!("pdftotext (apt-get install poppler-utils; .ci/run does) cannot run: {e}")
    });
    assert!(output.status.success(), "pdftotext failed");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn renderer_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Renderer>();
}

#[test]
fn builtin_templates_compile_without_warnings() {
    let report = render(Template::Report, REPORT_EXAMPLE.to_owned());
    assert!(report.pdf.starts_with(b"%PDF-"));
    assert_eq!(report.warnings, "", "report.typ warns");
    let overview = render(Template::Overview, OVERVIEW_EXAMPLE.to_owned());
    assert!(overview.pdf.starts_with(b"%PDF-"));
    assert_eq!(overview.warnings, "", "uebersicht.typ warns");
}

#[test]
fn markup_characters_in_names_print_literally() {
    let name = r"Kreis #x *y* $z$ <a> @b \ ] _u_ = [l](m) // n -- ... ~ {c}";
    let mut data: serde_json::Value = serde_json::from_str(&with_name(name)).unwrap();
    data["meta"]["dokument_titel"] = format!("Bericht {name}").into();
    let pdf = render(Template::Report, data.to_string()).pdf;

    // The document title lands in the uncompressed XMP metadata (XML-escaped).
    let escaped = name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let needle = format!("Bericht {escaped}");
    assert!(
        pdf.windows(needle.len()).any(|w| w == needle.as_bytes()),
        "document title not literal in the XMP metadata"
    );

    // The visible text, as a reader would copy it.
    let text = pdf_text(&pdf);
    // Lines may wrap; compare with whitespace collapsed.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(name), "name not found literally in:\n{text}");
}

#[test]
fn pdf_declares_pdfa_and_pdfua() {
    for (template, data) in [
        (Template::Report, REPORT_EXAMPLE),
        (Template::Overview, OVERVIEW_EXAMPLE),
    ] {
        let pdf = render(template, data.to_owned()).pdf;
        // PDF/A-2a: part 2, conformance level A (accessible); PDF/UA-1.
        xmp::assert_pdfa_2a_and_ua_1(&pdf, &format!("{template:?}"));
        assert!(
            pdf.windows(15).any(|w| w == b"/StructTreeRoot"),
            "{template:?} not tagged"
        );
    }
}

#[test]
fn identical_input_gives_identical_bytes() {
    let first = render(Template::Report, REPORT_EXAMPLE.to_owned()).pdf;
    let second = render(Template::Report, REPORT_EXAMPLE.to_owned()).pdf;
    assert!(first == second, "output differs between two runs");
    let other = render(Template::Report, with_name("Stadt Bonn")).pdf;
    assert!(first != other, "different data gave the same PDF");
}

#[test]
fn template_syntax_error_names_file_and_line() {
    let dir = std::env::temp_dir().join(format!("render-tpl-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    for (name, text) in EMBEDDED_TEMPLATES {
        fs::write(dir.join(name), text).unwrap();
    }
    // Line 3 gets an unclosed call.
    let broken = format!(
        "// kaputt\n\n#let x = (\n{}",
        include_str!("../../templates/report.typ")
    );
    fs::write(dir.join(REPORT_TEMPLATE), broken).unwrap();
    let renderer = Renderer::new(Some(&dir), &[]).unwrap();
    let error = on_big_stack(move || {
        renderer.render(Template::Report, REPORT_EXAMPLE.as_bytes(), "x", DATE)
    })
    .unwrap_err();
    fs::remove_dir_all(&dir).ok();
    let RenderError::Compile { diagnostics, .. } = &error else {
        panic!("expected a compile error, got {error}");
    };
    assert!(diagnostics.starts_with("error: "), "{diagnostics}");
    let location = format!("{}:3:", dir.join(REPORT_TEMPLATE).display());
    assert!(
        diagnostics.contains(&location),
        "no {location} in:\n{diagnostics}"
    );
}

#[test]
fn bad_data_is_a_diagnostic_not_a_panic() {
    let error = on_big_stack(|| renderer().render(Template::Report, br#"{"meta": {}}"#, "x", DATE))
        .unwrap_err();
    let RenderError::Compile { diagnostics, .. } = &error else {
        panic!("expected a compile error, got {error}");
    };
    // The missing field, at its line of the template that reads it (was: any mention of
    // report.typ or style.typ, which a diagnostic about anything else passed too).
    assert!(
        diagnostics.contains("dictionary does not contain key \"jobcenter\""),
        "{diagnostics}"
    );
    assert!(diagnostics.contains("report.typ:"), "{diagnostics}");
}

#[test]
fn template_folder_overrides_single_files_and_must_exist() {
    // Only style.typ is customised (broken on purpose): report.typ stays built-in
    // and the error names the customised file on disk.
    let dir = std::env::temp_dir().join(format!("render-style-{}", std::process::id()));
    fs::create_dir_all(dir.join("texte")).unwrap();
    fs::write(dir.join("style.typ"), "#let akzent = (\n").unwrap();
    fs::write(dir.join("texte/ziel.txt.j2"), "{{ not typst }}").unwrap();
    let renderer = Renderer::new(Some(&dir), &[]).unwrap();
    let error = on_big_stack(move || {
        renderer.render(Template::Report, REPORT_EXAMPLE.as_bytes(), "x", DATE)
    })
    .unwrap_err();
    fs::remove_dir_all(&dir).ok();
    let location = format!("{}:1:", dir.join("style.typ").display());
    assert!(
        error.to_string().contains(&location),
        "no {location} in:\n{error}"
    );

    let error = Renderer::new(Some(std::path::Path::new("/nonexistent/templates")), &[])
        .err()
        .expect("a missing template folder must fail");
    assert!(
        error.to_string().contains("/nonexistent/templates"),
        "{error}"
    );
}

#[test]
fn renders_from_several_threads() {
    let pdfs: Vec<Vec<u8>> = (0..2)
        .map(|i| {
            std::thread::Builder::new()
                .stack_size(16 << 20)
                .spawn(move || {
                    let json = with_name(&format!("Jobcenter {i}"));
                    renderer()
                        .render(Template::Report, json.as_bytes(), "t", DATE)
                        .unwrap()
                })
                .unwrap()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert!(pdfs[0] != pdfs[1]);
    evict_cache(0);
}

#[test]
fn unix_seconds_convert_to_utc() {
    let date = DocumentDate::from_unix_seconds(1_539_676_800 + 3_723);
    assert_eq!(date.to_string(), "2018-10-16T09:02:03Z");
    assert_eq!(
        DocumentDate::from_unix_seconds(0).to_string(),
        "1970-01-01T00:00:00Z"
    );
    assert_eq!(
        DocumentDate::from_unix_seconds(951_782_400).to_string(),
        "2000-02-29T00:00:00Z"
    );
}

/// The render key changes with every input that shapes the PDF and with nothing else.
#[test]
fn the_cache_key_covers_data_ident_date_template_and_template_files() {
    let r = renderer();
    let data = REPORT_EXAMPLE.as_bytes();
    let key = r.cache_key(Template::Report, data, "05554-2018-09", DATE);
    assert_eq!(key.len(), 64);
    assert_eq!(
        key,
        r.cache_key(Template::Report, data, "05554-2018-09", DATE)
    );
    let later = DocumentDate { second: 1, ..DATE };
    let mut edited = REPORT_EXAMPLE.to_owned();
    edited.push(' ');
    for other in [
        r.cache_key(Template::Overview, data, "05554-2018-09", DATE),
        r.cache_key(Template::Report, edited.as_bytes(), "05554-2018-09", DATE),
        r.cache_key(Template::Report, data, "05558-2018-09", DATE),
        r.cache_key(Template::Report, data, "05554-2018-09", later),
    ] {
        assert_ne!(key, other);
    }
    // A template folder whose style.typ differs by one comment gives other keys; one
    // with the built-in bytes gives the same.
    let dir = tempfile::tempdir().unwrap();
    let style = include_str!("../../templates/style.typ");
    std::fs::write(dir.path().join("style.typ"), style).unwrap();
    let same = Renderer::new(Some(dir.path()), &[]).unwrap();
    assert_eq!(
        key,
        same.cache_key(Template::Report, data, "05554-2018-09", DATE)
    );
    std::fs::write(dir.path().join("style.typ"), format!("{style}\n// x\n")).unwrap();
    let changed = Renderer::new(Some(dir.path()), &[]).unwrap();
    assert_ne!(
        key,
        changed.cache_key(Template::Report, data, "05554-2018-09", DATE)
    );
}
