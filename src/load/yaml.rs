//! YAML text to a spanned [`Node`] tree, built from saphyr-parser's event stream so that we
//! control every limit: duplicate keys, alias expansion, nesting depth and file size.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::{Entry, FileId, Map, Node, Sources, Span, Value};
use crate::diag::{self, Diagnostic};

/// Bounds that turn hostile input into an error instead of a hang or an out-of-memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
    /// Nodes created in one file, counting every copy an alias makes.
    pub max_nodes: usize,
    /// Bytes that alias copies of one file add (strings and keys, and a node's own size):
    /// a long string aliased many times costs its length each time.
    pub max_alias_bytes: usize,
    /// The same two, for all the files of a tree together: many small files that each stay
    /// within the per-file bounds must not add up to an unbounded tree.
    pub tree_nodes: usize,
    pub tree_alias_bytes: usize,
}

/// What the files parsed so far spent of the tree's bounds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spent {
    pub nodes: usize,
    pub alias_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 << 20,
            max_depth: 128,
            max_nodes: 2_000_000,
            max_alias_bytes: 64 << 20,
            tree_nodes: 4_000_000,
            tree_alias_bytes: 128 << 20,
        }
    }
}

/// Converts the parser's character indexes to byte offsets.
struct Offsets {
    /// Byte offset of every character; empty when the text is ASCII (index = offset).
    bytes: Vec<u32>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i as u32).collect()
        };
        Offsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.bytes.is_empty() {
            char_index.min(self.len)
        } else {
            self.bytes.get(char_index).map_or(self.len, |&b| b as usize)
        }
    }
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        anchor: usize,
        map: Map,
        key: Option<(String, Span)>,
    },
}

struct Builder<'a> {
    file: FileId,
    /// The file's bytes, to tell flow collections from block ones.
    bytes: &'a [u8],
    offsets: Offsets,
    limits: Limits,
    stack: Vec<Frame>,
    /// Each anchored node, with its weight in nodes and in bytes, so that an alias is
    /// checked against the budget before it is copied.
    anchors: HashMap<usize, (Node, usize, usize)>,
    nodes: usize,
    alias_bytes: usize,
    /// What earlier files of the tree spent.
    before: Spent,
    root: Option<Node>,
}

/// Parses one file of `sources` into a tree. Empty files give `null`.
pub fn parse(sources: &Sources, file: FileId, limits: Limits) -> Result<Node, Diagnostic> {
    parse_within(sources, file, limits, &mut Spent::default())
}

/// Parses one file of a tree, within what `spent` says earlier files left of the tree's
/// bounds, and adds what this file spent.
pub fn parse_within(
    sources: &Sources,
    file: FileId,
    limits: Limits,
    spent: &mut Spent,
) -> Result<Node, Diagnostic> {
    let text: &str = &sources.file(file).text;
    if text.len() > limits.max_bytes {
        return Err(Diagnostic::error(
            diag::YAML_LIMIT,
            format!(
                "`{}` is {} bytes, more than the limit of {} bytes",
                sources.file(file).path,
                text.len(),
                limits.max_bytes
            ),
        )
        .at(Span::new(file, 0, 0), "file too large"));
    }
    let mut b = Builder {
        file,
        bytes: text.as_bytes(),
        offsets: Offsets::new(text),
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_bytes: 0,
        nodes: 0,
        before: *spent,
        root: None,
    };
    let mut documents = 0;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| b.scan_error(&e))?;
        let start = b.offsets.byte(span.start.index());
        let end = b.offsets.byte(span.end.index());
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Diagnostic::error(
                        diag::YAML_SYNTAX,
                        "a definitions file holds one YAML document",
                    )
                    .at(Span::new(file, start, end), "second document starts here")
                    .help("remove the `---` separator or move the document to its own file"));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let node = Node::new(
                    Span::new(file, start, end),
                    scalar(text, style, tag.as_deref()),
                );
                b.anchor(anchor, &node);
                b.push(node)?;
            }
            Event::Alias(id) => {
                let span = Span::new(file, start, end);
                let Some(target) = b.anchors.get(&id) else {
                    return Err(
                        Diagnostic::error(diag::YAML_SYNTAX, "alias to an unknown anchor")
                            .at(span, "unknown anchor"),
                    );
                };
                let (weight, bytes) = (target.1, target.2);
                b.nodes += weight;
                b.alias_bytes += bytes;
                if b.nodes > b.limits.max_nodes || b.alias_bytes > b.limits.max_alias_bytes {
                    return Err(b.limit(
                        span,
                        format!(
                            "aliases expand to more than {} YAML values or {} MiB",
                            b.limits.max_nodes,
                            b.limits.max_alias_bytes >> 20
                        ),
                    ));
                }
                b.within_tree(span)?;
                let mut node = b.anchors[&id].0.clone();
                node.span = span;
                b.push(node)?;
            }
            Event::SequenceStart(anchor, _) => b.open(Frame::Seq {
                start,
                anchor,
                items: Vec::new(),
            })?,
            Event::MappingStart(anchor, _) => b.open(Frame::Map {
                start,
                anchor,
                map: Map::default(),
                key: None,
            })?,
            Event::SequenceEnd | Event::MappingEnd => b.close(end)?,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    spent.nodes += b.nodes;
    spent.alias_bytes += b.alias_bytes;
    Ok(b.root
        .unwrap_or_else(|| Node::new(Span::new(file, 0, 0), Value::Null)))
}

impl Builder<'_> {
    fn scan_error(&self, e: &ScanError) -> Diagnostic {
        let at = self.offsets.byte(e.marker().index());
        let end = (at + 1).min(self.offsets.len).max(at);
        let span = Span::new(self.file, at, end);
        if e.info().contains("recursion limit") {
            return self.limit(span, "YAML nesting too deep".to_owned());
        }
        Diagnostic::error(diag::YAML_SYNTAX, format!("invalid YAML: {}", e.info())).at(span, "here")
    }

    /// Whether this file, with the tree's files before it, stays within the tree's bounds.
    fn within_tree(&self, span: Span) -> Result<(), Diagnostic> {
        let (l, before) = (&self.limits, &self.before);
        if before.nodes + self.nodes > l.tree_nodes
            || before.alias_bytes + self.alias_bytes > l.tree_alias_bytes
        {
            return Err(self.limit(
                span,
                format!(
                    "the definitions' files together hold more than {} YAML values or {} MiB of alias copies",
                    l.tree_nodes,
                    l.tree_alias_bytes >> 20
                ),
            ));
        }
        Ok(())
    }

    fn limit(&self, span: Span, what: String) -> Diagnostic {
        Diagnostic::error(diag::YAML_LIMIT, what)
            .at(span, "limit reached here")
            .help("simplify the file: taskgen bounds nesting and alias expansion to stay safe on hostile input")
    }

    fn open(&mut self, frame: Frame) -> Result<(), Diagnostic> {
        let start = match &frame {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
        };
        if self.stack.len() >= self.limits.max_depth {
            return Err(self.limit(
                Span::new(self.file, start, start + 1),
                format!("YAML nesting deeper than {} levels", self.limits.max_depth),
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// A block collection's end event sits at the next token, often lines later: end the
    /// span at its last child instead. Flow collections end at their closing bracket.
    fn end_of(&self, start: usize, end: usize, last: Option<Span>) -> usize {
        let flow = matches!(self.bytes.get(start), Some(b'{' | b'['));
        match last {
            Some(child) if !flow => child.end as usize,
            _ => end,
        }
    }

    fn close(&mut self, end: usize) -> Result<(), Diagnostic> {
        let node = match self.stack.pop() {
            Some(Frame::Seq {
                start,
                anchor,
                items,
            }) => {
                let end = self.end_of(start, end, items.last().map(|n| n.span));
                let node = Node::new(Span::new(self.file, start, end), Value::Seq(items));
                self.anchor(anchor, &node);
                node
            }
            Some(Frame::Map {
                start, anchor, map, ..
            }) => {
                let last = map.entries.last().map(|(_, e)| e.value.span);
                let end = self.end_of(start, end, last);
                let node = Node::new(Span::new(self.file, start, end), Value::Map(map));
                self.anchor(anchor, &node);
                node
            }
            None => return Ok(()),
        };
        self.push(node)
    }

    fn anchor(&mut self, id: usize, node: &Node) {
        if id != 0 {
            self.anchors
                .insert(id, (node.clone(), node.weight(), node.bytes()));
        }
    }

    fn push(&mut self, node: Node) -> Result<(), Diagnostic> {
        self.nodes += 1;
        if self.nodes > self.limits.max_nodes {
            return Err(self.limit(
                node.span,
                format!(
                    "more than {} YAML values (counting alias expansions)",
                    self.limits.max_nodes
                ),
            ));
        }
        self.within_tree(node.span)?;
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { map, key, .. }) => match key.take() {
                None => {
                    let Some(text) = node.scalar_text() else {
                        return Err(Diagnostic::error(
                            diag::YAML_SYNTAX,
                            "mapping keys must be plain scalars",
                        )
                        .at(node.span, format!("this key is {}", node.type_name())));
                    };
                    *key = Some((text, node.span));
                }
                Some((k, key_span)) => {
                    if let Some(first) = map.entries.get(&k) {
                        return Err(Diagnostic::error(
                            diag::DUPLICATE_KEY,
                            format!("duplicate key `{k}`"),
                        )
                        .at(key_span, "defined again here")
                        .also(first.key_span, "first defined here")
                        .help("YAML keeps only one of them; remove or rename one"));
                    }
                    map.entries.insert(
                        k,
                        Entry {
                            key_span,
                            value: node,
                        },
                    );
                }
            },
        }
        Ok(())
    }
}

/// Resolves a scalar with the YAML 1.2 core schema; quoted scalars are always strings.
fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&saphyr_parser::Tag>) -> Value {
    let forced_string = tag.is_some_and(|t| t.suffix == "str") || style != ScalarStyle::Plain;
    if forced_string {
        return Value::Str(text.into_owned());
    }
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" => return Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(i) = parse_int(&text) {
        return Value::Int(i);
    }
    if looks_like_float(&text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::Str(text.into_owned())
}

fn parse_int(s: &str) -> Option<i64> {
    if let Some(hex) = s.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = s.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn looks_like_float(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = body.splitn(2, ['e', 'E']);
    let mantissa = parts.next().unwrap_or("");
    let exponent_ok = parts.next().is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    exponent_ok
        && (!int.is_empty() || !frac.is_empty())
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (mantissa.contains('.') || s.contains(['e', 'E']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Node, Diagnostic> {
        let mut sources = Sources::default();
        let id = sources.add("t.yml", text);
        parse(&sources, id, Limits::default())
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let node = load("a: 1\nb: true\nc: '1'\nd: 2h\ne: 1.5\nf: ~\ng: on\n").unwrap();
        let m = node.as_map().unwrap();
        assert_eq!(m.get("a").unwrap().value, Value::Int(1));
        assert_eq!(m.get("b").unwrap().value, Value::Bool(true));
        assert_eq!(m.get("c").unwrap().value, Value::Str("1".into()));
        assert_eq!(m.get("d").unwrap().value, Value::Str("2h".into()));
        assert_eq!(m.get("e").unwrap().value, Value::Float(1.5));
        assert_eq!(m.get("f").unwrap().value, Value::Null);
        assert_eq!(m.get("g").unwrap().value, Value::Str("on".into()));
    }

    #[test]
    fn spans_are_byte_ranges_even_after_unicode() {
        let text = "é: x\nkey: value\n";
        let node = load(text).unwrap();
        let v = node.as_map().unwrap().get("key").unwrap();
        assert_eq!(&text[v.span.start as usize..v.span.end as usize], "value");
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let err = load("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.code, diag::DUPLICATE_KEY);
        assert_eq!(err.secondary.len(), 1);
    }

    #[test]
    fn alias_bombs_hit_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert_eq!(load(&text).unwrap_err().code, diag::YAML_LIMIT);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(5000) + &"]".repeat(5000);
        assert_eq!(load(&text).unwrap_err().code, diag::YAML_LIMIT);
    }

    #[test]
    fn aliases_copy_their_anchor() {
        let node = load("a: &x {k: 1}\nb: *x\n").unwrap();
        let b = node.as_map().unwrap().get("b").unwrap();
        assert_eq!(b.as_map().unwrap().get("k").unwrap().value, Value::Int(1));
    }
}
