//! Reading spanned maps: known keys, "did you mean", and typed scalars.

use super::shape::Table;
use crate::diag::{self, Diagnostic, Sink};
use crate::load::{Map, Node, Span, Value};

/// The closest candidate to a misspelt name, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, c)| d <= (name.len().max(c.len()) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

/// The three candidates nearest to `name` (by edit distance, ties by name).
pub fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (strsim::levenshtein(name, c), c))
        .collect();
    scored.sort_unstable();
    scored.dedup();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "did you mean `x`?" help, or a list of what is allowed.
pub fn suggestion(name: &str, candidates: &[&str]) -> String {
    match did_you_mean(name, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if candidates.len() <= 12 => {
            format!("expected one of {}", crate::diag::backticked(candidates))
        }
        None => format!("there are {} known names", candidates.len()),
    }
}

/// Reports every key of `map` that `table` does not list (unless the table is open).
pub fn check_keys(map: &Map, table: &Table, what: &str, sink: &mut Sink) {
    if table.open {
        return;
    }
    for (key, entry) in map.iter() {
        if !table.has(key) {
            sink.push(
                Diagnostic::error(diag::UNKNOWN_KEY, format!("unknown key `{key}` in {what}"))
                    .at(entry.key_span, "unknown key")
                    .help(suggestion(key, &table.names())),
            );
        }
    }
}

pub fn wrong_type(node: &Node, expected: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        diag::WRONG_TYPE,
        format!("{what} must be {expected}, not {}", node.type_name()),
    )
    .at(node.span, format!("expected {expected}"))
}

pub fn expect_map<'a>(node: &'a Node, what: &str) -> Result<&'a Map, Diagnostic> {
    node.as_map()
        .ok_or_else(|| wrong_type(node, "a mapping", what))
}

pub fn expect_str<'a>(node: &'a Node, what: &str) -> Result<&'a str, Diagnostic> {
    node.as_str()
        .ok_or_else(|| wrong_type(node, "a string", what))
}

/// A string value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

pub fn spanned_str(node: &Node, what: &str) -> Result<Spanned<String>, Diagnostic> {
    Ok(Spanned {
        value: expect_str(node, what)?.to_owned(),
        span: node.span,
    })
}

/// A required key: reports its absence at the map.
pub fn required<'a>(
    map: &'a Map,
    map_node: &Node,
    key: &str,
    what: &str,
) -> Result<&'a Node, Diagnostic> {
    map.get(key).ok_or_else(|| {
        Diagnostic::error(diag::MISSING_KEY, format!("{what} has no `{key}`"))
            .at(map_node.span, format!("`{key}` is required here"))
    })
}

/// A list of strings (a single string counts as a list of one).
pub fn string_list(node: &Node, what: &str) -> Result<Vec<Spanned<String>>, Diagnostic> {
    match &node.value {
        Value::Str(s) => Ok(vec![Spanned {
            value: s.clone(),
            span: node.span,
        }]),
        Value::Seq(items) => items.iter().map(|n| spanned_str(n, what)).collect(),
        _ => Err(wrong_type(node, "a list of strings", what)),
    }
}
