//! The two things of LSP that are not JSON plumbing: `file://` URIs and positions, whose
//! column counts UTF-16 code units unless the client agreed to UTF-8.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::load::{SourceFile, Span};

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (LSP 3.17 `general.positionEncodings`), else the
    /// protocol's default, UTF-16.
    pub fn negotiate(init: &Value) -> Encoding {
        let offered = init["capabilities"]["general"]["positionEncodings"]
            .as_array()
            .is_some_and(|a| a.iter().any(|e| e == "utf-8"));
        if offered {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// A byte offset of `text` as an LSP position.
pub fn position(text: &str, offset: usize, enc: Encoding) -> Value {
    let offset = floor_char(text, offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..start].matches('\n').count();
    at_line(text, line, start, offset, enc)
}

fn at_line(text: &str, line: usize, start: usize, offset: usize, enc: Encoding) -> Value {
    let offset = floor_char(text, offset.clamp(start, text.len()));
    let character: usize = text[start..offset].chars().map(|c| enc.width(c)).sum();
    json!({"line": line, "character": character})
}

/// An LSP position as a byte offset of `text`; past a line's end is its end.
pub fn offset(text: &str, pos: &Value, enc: Encoding) -> usize {
    let line = pos["line"].as_u64().unwrap_or(0) as usize;
    let mut character = pos["character"].as_u64().unwrap_or(0) as usize;
    let Some(start) = line_start(text, line) else {
        return text.len();
    };
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut at = start;
    for c in text[start..end].chars() {
        let w = enc.width(c);
        if character < w {
            break;
        }
        character -= w;
        at += c.len_utf8();
    }
    at
}

fn line_start(text: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 1).map(|(i, _)| i + 1)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A span of `file` as an LSP range.
pub fn range(file: &SourceFile, span: Span, enc: Encoding) -> Value {
    let at = |offset: u32| {
        let line = file.line_of(offset as usize);
        at_line(
            &file.text,
            line,
            file.line_start(line),
            offset as usize,
            enc,
        )
    };
    json!({"start": at(span.start), "end": at(span.end)})
}

/// The path a `file://` URI names, percent-decoded; `None` for any other scheme.
pub fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file://host/path`: only the local host is a path here.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The `file://` URI of a path, with every byte but the unreserved ones and `/` escaped.
pub fn path_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_unless_utf8_was_agreed() {
        let text = "a: é𝄞x\nb: 1\n";
        let x = text.find('x').unwrap();
        assert_eq!(
            position(text, x, Encoding::Utf16),
            json!({"line": 0, "character": 6})
        );
        assert_eq!(
            position(text, x, Encoding::Utf8),
            json!({"line": 0, "character": 9})
        );
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for i in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                assert_eq!(offset(text, &position(text, i, enc), enc), i, "{enc:?} {i}");
            }
        }
        // Past the end of a line is its end; past the last line is the text's end.
        let past = json!({"line": 1, "character": 99});
        assert_eq!(offset(text, &past, Encoding::Utf16), text.len() - 1);
        let below = json!({"line": 9, "character": 0});
        assert_eq!(offset(text, &below, Encoding::Utf16), text.len());
    }

    #[test]
    fn uris_round_trip_through_percent_escapes() {
        let path = Path::new("/tmp/my tree/branches/ü.yml");
        let uri = path_uri(path);
        assert_eq!(uri, "file:///tmp/my%20tree/branches/%C3%BC.yml");
        assert_eq!(uri_path(&uri).as_deref(), Some(path));
        assert_eq!(
            uri_path("file://localhost/a/b.yml").as_deref(),
            Some(Path::new("/a/b.yml"))
        );
        assert_eq!(uri_path("untitled:Untitled-1"), None);
    }
}
