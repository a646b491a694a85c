//! Unambiguous stream ends in a finished PDF.
//!
//! The PDF writer under Typst ends every stream as `data` `LF` `endstream`, the LF being
//! the end-of-line marker that `/Length` does not count. When the (compressed) data
//! happen to end with a CR byte — about one stream in 256 — a reader sees `CR LF` before
//! `endstream`, takes both as the marker and finds the stream one byte shorter than its
//! `/Length`. PDF/A validators (veraPDF's rule 6.1.7.1, `page`'s
//! `PDFA2A-STREAM-LENGTH-001`) then call the archive copy non-conformant. This module
//! inserts a CR before such an LF (`data CR` `CR LF` `endstream`), which every reader
//! parses to exactly `/Length` bytes, and moves the cross-reference offsets behind each
//! insertion. Anything it does not recognise (an xref stream, an indirect `/Length`, an
//! offset that does not point at its object) leaves the file as it was.

/// Returns `pdf` with every stream whose data end in CR given an unambiguous end marker
/// (see the module doc); the file itself when no stream needs it or its layout is not
/// the one the writer produces.
pub fn unambiguous_stream_ends(pdf: Vec<u8>) -> Vec<u8> {
    match fixed(&pdf) {
        Some(out) => out,
        None => pdf,
    }
}

/// The positions (the index of the LF before `endstream`) where a CR is inserted, or
/// `None` when the layout is not understood; an empty list when nothing needs fixing.
fn insertion_points(pdf: &[u8], offsets: &[usize]) -> Option<Vec<usize>> {
    let mut points = Vec::new();
    for &offset in offsets {
        let object = pdf.get(offset..)?;
        let header_end = find(object, b"endobj")?;
        let header = &object[..header_end];
        let Some(stream) = find(header, b">>\nstream\n") else {
            continue; // an object without a stream
        };
        let dict = &header[..stream];
        let length = direct_length(dict)?;
        let data_start = offset + stream + b">>\nstream\n".len();
        let data_end = data_start.checked_add(length)?;
        if pdf.get(data_end..data_end + b"\nendstream".len())? != b"\nendstream" {
            return None;
        }
        if length > 0 && pdf[data_end - 1] == b'\r' {
            points.push(data_end);
        }
    }
    points.sort_unstable();
    Some(points)
}

fn fixed(pdf: &[u8]) -> Option<Vec<u8>> {
    let startxref_at = rfind(pdf, b"startxref")?;
    let xref_at = parse_usize(pdf.get(startxref_at + b"startxref".len()..)?)?;
    if !pdf.get(xref_at..)?.starts_with(b"xref") {
        return None; // an xref stream: not what the writer makes, leave it
    }
    let entries = xref_entries(pdf, xref_at)?;
    let offsets: Vec<usize> = entries.iter().filter_map(|e| e.offset).collect();
    let points = insertion_points(pdf, &offsets)?;
    if points.is_empty() {
        return None;
    }
    let shift = |at: usize| at + points.partition_point(|&p| p < at);

    let mut out = Vec::with_capacity(pdf.len() + points.len() + 8);
    let mut from = 0;
    for &p in &points {
        out.extend_from_slice(&pdf[from..p]);
        out.push(b'\r');
        from = p;
    }
    // Copy up to the xref table, then rewrite its entries and the trailer's startxref.
    out.extend_from_slice(&pdf[from..xref_at]);
    let mut pos = xref_at;
    for entry in &entries {
        out.extend_from_slice(&pdf[pos..entry.at]);
        match entry.offset {
            Some(offset) => out.extend_from_slice(format!("{:010}", shift(offset)).as_bytes()),
            None => out.extend_from_slice(&pdf[entry.at..entry.at + 10]),
        }
        pos = entry.at + 10;
    }
    out.extend_from_slice(&pdf[pos..startxref_at]);
    // `startxref`, its whitespace, the moved offset, and the rest (`%%EOF`) as it was.
    let number_at = startxref_at + b"startxref".len();
    let digits_at = number_at
        + pdf[number_at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    let digits_end = digits_at
        + pdf[digits_at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    out.extend_from_slice(&pdf[startxref_at..digits_at]);
    out.extend_from_slice(shift(xref_at).to_string().as_bytes());
    out.extend_from_slice(&pdf[digits_end..]);
    Some(out)
}

/// One entry of the classic xref table: where its ten offset digits stand, and the
/// offset of an object in use (`n`), or `None` for a free entry (`f`).
struct Entry {
    at: usize,
    offset: Option<usize>,
}

fn xref_entries(pdf: &[u8], xref_at: usize) -> Option<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut pos = xref_at + b"xref".len();
    loop {
        pos = skip_eol(pdf, pos);
        if pdf.get(pos..)?.starts_with(b"trailer") {
            return Some(entries);
        }
        // A subsection header: first object number and count.
        let line_end = pos + find(pdf.get(pos..)?, b"\n")?;
        let header = std::str::from_utf8(&pdf[pos..line_end]).ok()?;
        let mut parts = header.split_whitespace();
        let _first: usize = parts.next()?.parse().ok()?;
        let count: usize = parts.next()?.parse().ok()?;
        pos = line_end + 1;
        for _ in 0..count {
            let entry = pdf.get(pos..pos + 20)?;
            let digits = std::str::from_utf8(&entry[..10]).ok()?;
            let offset: usize = digits.parse().ok()?;
            let used = match entry[17] {
                b'n' => true,
                b'f' => false,
                _ => return None,
            };
            entries.push(Entry {
                at: pos,
                offset: used.then_some(offset),
            });
            pos += 20;
        }
    }
}

/// The `/Length` of a stream dictionary when it is a direct integer.
fn direct_length(dict: &[u8]) -> Option<usize> {
    let at = find(dict, b"/Length")? + b"/Length".len();
    let rest = &dict[at..];
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    // `/Length 12 0 R` is an indirect reference: not understood here.
    let after = &rest[digits..];
    let after = &after[after.iter().take_while(|b| **b == b' ').count()..];
    if digits == 0 || after.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

fn parse_usize(bytes: &[u8]) -> Option<usize> {
    let bytes = &bytes[bytes.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&bytes[..digits]).ok()?.parse().ok()
}

fn skip_eol(pdf: &[u8], mut pos: usize) -> usize {
    while pdf.get(pos).is_some_and(|b| *b == b'\n' || *b == b'\r') {
        pos += 1;
    }
    pos
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PDF in the writer's layout: objects, a classic xref table, a trailer.
    fn pdf(streams: &[&[u8]]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, data) in streams.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(
                format!("{} 0 obj\n<</Length {}>>\nstream\n", i + 1, data.len()).as_bytes(),
            );
            out.extend_from_slice(data);
            out.extend_from_slice(b"\nendstream\nendobj\n\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", streams.len() + 1).as_bytes(),
        );
        for offset in &offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<</Size {}>>\nstartxref\n{xref}\n%%EOF\n",
                streams.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    /// What a reader that strips CR LF, CR or LF before `endstream` takes as the data
    /// of each stream, found through the xref table.
    fn read_streams(pdf: &[u8]) -> Vec<Vec<u8>> {
        let startxref = rfind(pdf, b"startxref").unwrap();
        let xref = parse_usize(&pdf[startxref + 9..]).unwrap();
        assert!(
            pdf[xref..].starts_with(b"xref"),
            "startxref points at the table"
        );
        xref_entries(pdf, xref)
            .unwrap()
            .iter()
            .filter_map(|e| e.offset)
            .map(|offset| {
                assert!(
                    find(&pdf[offset..], b" 0 obj") == Some(1),
                    "offset at its object"
                );
                let start = offset + find(&pdf[offset..], b"stream\n").unwrap() + 7;
                let mut end = start + find(&pdf[start..], b"endstream").unwrap();
                if pdf[end - 1] == b'\n' {
                    end -= 1;
                }
                if pdf[end - 1] == b'\r' {
                    end -= 1;
                }
                pdf[start..end].to_vec()
            })
            .collect()
    }

    #[test]
    fn data_ending_in_cr_read_back_at_their_length() {
        let streams: [&[u8]; 3] = [b"abc\r", b"plain", b"x\r\r"];
        let before = pdf(&streams);
        // The ambiguity: read as written, the first stream loses its CR.
        assert_eq!(read_streams(&before)[0], b"abc");
        let after = unambiguous_stream_ends(before.clone());
        assert_eq!(
            after.len(),
            before.len() + 2,
            "one CR for each stream ending in CR"
        );
        let read = read_streams(&after);
        assert_eq!(read, streams.iter().map(|s| s.to_vec()).collect::<Vec<_>>());
    }

    #[test]
    fn a_file_without_such_a_stream_is_returned_unchanged() {
        let before = pdf(&[b"abc", b"def\n"]);
        assert_eq!(unambiguous_stream_ends(before.clone()), before);
    }

    #[test]
    fn an_unknown_layout_is_left_alone() {
        let mut before = pdf(&[b"abc\r"]);
        // An xref stream instead of a table: not the writer's layout.
        let at = rfind(&before, b"xref\n0").unwrap();
        before[at..at + 4].copy_from_slice(b"XREF");
        assert_eq!(unambiguous_stream_ends(before.clone()), before);
        // An indirect /Length (the layout is otherwise the writer's).
        let direct = pdf(&[b"abc\r"]);
        let indirect = String::from_utf8(direct.clone())
            .unwrap()
            .replacen("/Length 4>>", "/Length 9>>", 1)
            .into_bytes();
        assert_eq!(
            unambiguous_stream_ends(indirect.clone()),
            indirect,
            "a /Length that does not end at `endstream` is not touched"
        );
        let reference = String::from_utf8(direct)
            .unwrap()
            .replacen("/Length 4>>", "/Length 2 0 R>>", 1)
            .into_bytes();
        assert_eq!(unambiguous_stream_ends(reference.clone()), reference);
    }
}
