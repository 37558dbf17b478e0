//! Large JSON maps written fast: each value serialized on its own, in parallel, a batch at a
//! time, at its depth, and written in order. The bytes are exactly serde_json's pretty printing
//! of the whole document (the tests below, and every output snapshot, compare them), without
//! one thread building it all in one string first.

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
    w.write_all(b"{")?;
    for (b, batch) in entries.chunks(BATCH).enumerate() {
        let texts: Vec<Vec<u8>> = batch
            .par_iter()
            .enumerate()
            .map(|(i, (key, value))| entry(key, value, depth + 1, b == 0 && i == 0))
            .collect::<Result<_, _>>()?;
        for t in texts {
            w.write_all(&t)?;
        }
    }
    w.write_all(b"\n")?;
    indent(w, depth)?;
    w.write_all(b"}")
}

/// One entry: separator, indentation, key, and the value pretty-printed at `depth`.
fn entry<V: Serialize>(key: &str, value: &V, depth: usize, first: bool) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(2048);
    out.extend_from_slice(if first { b"\n" } else { b",\n" });
    indent(&mut out, depth)?;
    serde_json::to_writer(&mut out, key)?;
    out.extend_from_slice(b": ");
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        Pretty {
            depth,
            has_value: false,
        },
    );
    value.serialize(&mut ser)?;
    Ok(out)
}

fn indent<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
    (0..depth).try_for_each(|_| w.write_all(b"  "))
}

/// serde_json's `PrettyFormatter` (two-space indent), starting `depth` levels in.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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
