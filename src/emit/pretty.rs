//! Large JSON maps written fast: each value serialized on its own, in parallel, a batch at a
//! time, then indented and written in order. The bytes are exactly serde_json's pretty
//! printing of the whole document (`tests/generate.rs` compares them), without one thread
//! building it all in one string first.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

/// Values serialized in parallel at a time: enough to keep both cores busy, few enough that
/// the buffered text stays small.
const BATCH: usize = 2048;

/// `{"key": value, ...}` as pretty-printed at nesting `depth` (the map itself starts where the
/// caller left off, its entries are indented `depth + 1` levels), without a trailing newline.
pub fn write_map<V: Serialize + Sync>(
    w: &mut dyn Write,
    entries: &[(&str, V)],
    depth: usize,
) -> io::Result<()> {
    if entries.is_empty() {
        return w.write_all(b"{}");
    }
    let inner = "  ".repeat(depth + 1);
    w.write_all(b"{")?;
    for (b, batch) in entries.chunks(BATCH).enumerate() {
        let texts: Vec<Vec<u8>> = batch
            .par_iter()
            .enumerate()
            .map(|(i, (key, value))| entry(key, value, &inner, b == 0 && i == 0))
            .collect::<Result<_, _>>()?;
        for t in texts {
            w.write_all(&t)?;
        }
    }
    w.write_all(b"\n")?;
    w.write_all(&inner.as_bytes()[2..])?;
    w.write_all(b"}")
}

/// One entry: separator, indentation, key, and the value re-indented to its depth. A pretty
/// printed value has raw newlines only between its tokens (strings escape theirs), so
/// indenting after each newline is exact.
fn entry<V: Serialize>(key: &str, value: &V, indent: &str, first: bool) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(if first { b"\n" } else { b",\n" });
    out.extend_from_slice(indent.as_bytes());
    serde_json::to_writer(&mut out, key)?;
    out.extend_from_slice(b": ");
    let text = serde_json::to_vec_pretty(value)?;
    for (i, line) in text.split(|&c| c == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(indent.as_bytes());
        }
        out.extend_from_slice(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_as_serde_json() {
        let values = [
            serde_json::json!({"a": [1, {"b": "x\ny"}], "c": {}, "d": []}),
            serde_json::json!("s"),
            serde_json::json!({"e": {"f": null}}),
        ];
        let labels = ["one", "tw\"o", "three"];
        let entries: Vec<(&str, &serde_json::Value)> =
            labels.iter().copied().zip(&values).collect();
        let whole: indexmap::IndexMap<&str, &serde_json::Value> = entries.iter().copied().collect();
        let doc = serde_json::json!({"head": 1, "jobs": whole});
        let mut ours = b"{\n  \"head\": 1,\n  \"jobs\": ".to_vec();
        write_map(&mut ours, &entries, 1).unwrap();
        ours.extend_from_slice(b"\n}");
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string_pretty(&doc).unwrap()
        );
        let mut empty = Vec::new();
        write_map::<u8>(&mut empty, &[], 0).unwrap();
        assert_eq!(empty, b"{}");
    }
}
