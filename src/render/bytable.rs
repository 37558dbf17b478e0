//! `by-<var>` tables: a value chosen by a variable — exact key, then glob, then `default`.

use std::sync::Arc;

use super::{Renderer, Scope, text};
use crate::diag::{self, Diagnostic};
use crate::load::{Map, Node};

/// `{by-var: {...}}` as (`var`, table), when the map is exactly that.
pub fn split(map: &Map) -> Option<(&str, &Map)> {
    if map.len() != 1 {
        return None;
    }
    let (key, entry) = map.iter().next()?;
    let var = key.strip_prefix("by-")?;
    Some((var, entry.value.as_map()?))
}

pub fn is_glob(key: &str) -> bool {
    key.contains(['*', '?', '['])
}

/// Picks the table entry for the variable's current value.
pub fn choose<'t>(
    r: &Renderer<'_, 't>,
    node: &'t Node,
    var: &str,
    table: &'t Map,
    scope: &Arc<Scope>,
) -> Result<&'t Node, Diagnostic> {
    let path_value = var
        .split('.')
        .try_fold(None::<minijinja::Value>, |acc, part| match acc {
            None => scope.lookup(part).map(Some),
            Some(v) => v
                .get_attr(part)
                .ok()
                .filter(|v| !v.is_undefined())
                .map(Some),
        })
        .flatten();
    let Some(value) = path_value else {
        return Err(Diagnostic::error(
            diag::UNDEFINED_VARIABLE,
            format!("`by-{var}` selects by `{var}`, which is undefined here"),
        )
        .at(node.span, "this table")
        .help(scope.help()));
    };
    let key = text(&value);
    if let Some(hit) = table.get(&key) {
        return Ok(hit);
    }
    let globs: Vec<(&str, &Node)> = table
        .iter()
        .filter(|(k, _)| is_glob(k) && r.glob(k).is_some_and(|g| g.is_match(&key)))
        .map(|(k, e)| (k, &e.value))
        .collect();
    match globs.as_slice() {
        [(_, hit)] => Ok(hit),
        [] => table.get("default").ok_or_else(|| {
            Diagnostic::error(
                diag::BY_TABLE_NO_MATCH,
                format!("`by-{var}` has no entry for `{key}` and no `default`"),
            )
            .at(node.span, format!("no entry matches `{key}`"))
            .help(format!("add `{key}:` or `default:` to the table"))
        }),
        many => Err(Diagnostic::error(
            diag::BY_TABLE_NO_MATCH,
            format!(
                "`by-{var}`: `{key}` matches {} patterns: {}",
                many.len(),
                crate::diag::backticked(many.iter().map(|(k, _)| *k))
            ),
        )
        .at(node.span, "ambiguous table")
        .help(format!(
            "add an exact `{key}:` entry, or make the patterns disjoint"
        ))),
    }
}
