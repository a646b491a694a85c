//! The PDF/A and PDF/UA identification in a PDF's XMP metadata, read the same way by the
//! integration tests (`mod xmp` in tests/main.rs) and the print shop's unit tests
//! (`src/typeset/render_tests.rs` includes this file by path).

/// The value of the XMP property `name` (`pdfaid:part`, `pdfaid:conformance`,
/// `pdfuaid:part`) in the metadata packet of a PDF, written as an element
/// (`<pdfaid:part>2</pdfaid:part>`) or as an attribute (`pdfaid:part="2"`); `None` when
/// the packet or the property is missing. Only the packet between `<x:xmpmeta` and
/// `</x:xmpmeta>` counts, so the name in a content stream or a file name does not.
pub fn xmp_property(pdf: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(pdf);
    let start = text.find("<x:xmpmeta")?;
    let end = start + text[start..].find("</x:xmpmeta>")?;
    let packet = &text[start..end];
    let element = format!("<{name}>");
    if let Some(at) = packet.find(&element) {
        let rest = &packet[at + element.len()..];
        return Some(rest[..rest.find('<')?].trim().to_owned());
    }
    let attribute = format!("{name}=\"");
    let at = packet.find(&attribute)?;
    let rest = &packet[at + attribute.len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// Asserts that `pdf` declares PDF/A-2a and PDF/UA-1 in its XMP metadata.
#[track_caller]
pub fn assert_pdfa_2a_and_ua_1(pdf: &[u8], what: &str) {
    assert_eq!(
        xmp_property(pdf, "pdfaid:part").as_deref(),
        Some("2"),
        "{what}: PDF/A part"
    );
    assert_eq!(
        xmp_property(pdf, "pdfaid:conformance").as_deref(),
        Some("A"),
        "{what}: PDF/A conformance level"
    );
    assert_eq!(
        xmp_property(pdf, "pdfuaid:part").as_deref(),
        Some("1"),
        "{what}: PDF/UA part"
    );
}

/// Regression: the PDF/A checks once looked for `pdfaid:part` anywhere in the file, so a
/// PDF declaring another part (or the name in any text) passed.
#[test]
fn xmp_reader_tells_pdf_a_parts_apart() {
    let packet =
        |body: &str| format!("%PDF-1.7\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">{body}</x:xmpmeta>");
    let element = packet("<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>");
    assert_eq!(
        xmp_property(element.as_bytes(), "pdfaid:part").as_deref(),
        Some("3")
    );
    assert_eq!(
        xmp_property(element.as_bytes(), "pdfaid:conformance").as_deref(),
        Some("B")
    );
    let attribute = packet("<rdf:Description pdfaid:part=\"1\" pdfaid:conformance=\"A\"/>");
    assert_eq!(
        xmp_property(attribute.as_bytes(), "pdfaid:part").as_deref(),
        Some("1")
    );
    let outside = "BT (<pdfaid:part>2</pdfaid:part>) Tj ET <x:xmpmeta></x:xmpmeta>";
    assert_eq!(xmp_property(outside.as_bytes(), "pdfaid:part"), None);
}
