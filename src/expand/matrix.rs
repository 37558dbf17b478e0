//! The combinations of a node (`for`) and its number of chunks.

use std::sync::Arc;

use minijinja::Value;
use minijinja::value::ValueKind;

use super::fields::integer_of;
use super::{Expander, MAX_CHUNKS, MAX_MATRIX};
use crate::defs::GraphNode;
use crate::diag::{self, Diagnostic};
use crate::render::{Scope, text};

impl<'t> Expander<'_, '_, 't> {
    /// The matrix of a node: one set of variables per combination. Keys of a `for` mapping
    /// iterate like nested loops, outer first, and a later key's list may use earlier keys.
    /// A `for` that renders to a list of mappings gives the combinations explicitly.
    pub(super) fn matrix(
        &self,
        node: &'t GraphNode,
        scope: &Arc<Scope>,
    ) -> Result<Vec<Vec<(String, Value)>>, Diagnostic> {
        let Some(m) = &node.matrix else {
            return Ok(vec![Vec::new()]);
        };
        let r = self.r;
        if let Some(map) = m
            .as_map()
            .filter(|map| !map.iter().any(|(k, _)| k.starts_with("by-")))
        {
            let mut combos: Vec<Vec<(String, Value)>> = vec![Vec::new()];
            for (key, entry) in map.iter() {
                let mut next = Vec::new();
                for combo in combos {
                    let inner = scope.with(combo.clone());
                    let values = r.render(&entry.value, &inner)?;
                    for v in as_list(&values) {
                        let mut c = combo.clone();
                        c.push((key.to_owned(), v));
                        next.push(c);
                    }
                    if next.len() > MAX_MATRIX {
                        return Err(Diagnostic::error(
                            diag::EXPANSION_LIMIT,
                            format!("`for` makes more than {MAX_MATRIX} combinations"),
                        )
                        .at(m.span, "this matrix is too large"));
                    }
                }
                combos = next;
            }
            return Ok(combos);
        }
        let rendered = r.render(m, scope)?;
        if rendered.kind() != ValueKind::Seq {
            return Err(r.not_a(
                m,
                &rendered,
                "a mapping of variable to values, or a list of mappings",
                "`for`",
            ));
        }
        let mut combos = Vec::new();
        for item in rendered.try_iter().into_iter().flatten() {
            if item.kind() != ValueKind::Map {
                return Err(r.not_a(m, &item, "a mapping of variables", "each entry of `for`"));
            }
            let keys = item.try_iter().into_iter().flatten();
            combos.push(
                keys.map(|k| (text(&k), item.get_item(&k).unwrap_or_default()))
                    .collect(),
            );
        }
        Ok(combos)
    }

    /// The number of chunks: fixed, `{min, max, count}`, an expression or a `by-*` table.
    pub(super) fn chunks(
        &self,
        node: &'t GraphNode,
        template: &'t crate::defs::Fields,
        defaults: &'t crate::defs::Fields,
        nscope: &Arc<Scope>,
        jscope: &Arc<Scope>,
    ) -> Result<u64, Diagnostic> {
        let r = self.r;
        let picked = node
            .fields
            .get("chunks")
            .map(|n| (n, nscope))
            .or_else(|| template.get("chunks").map(|n| (n, jscope)))
            .or_else(|| defaults.get("chunks").map(|n| (n, jscope)));
        let Some((node, scope)) = picked else {
            return Ok(1);
        };
        let v = r.render(node, scope)?;
        let bounds = |message: String| {
            Diagnostic::error(diag::CHUNK_BOUNDS, message)
                .at(node.span, "these chunks")
                .help(format!("chunk counts run from 1 to {MAX_CHUNKS}"))
        };
        let total = if v.kind() == ValueKind::Map {
            let get = |k: &str| -> Result<Option<u64>, Diagnostic> {
                match v.get_attr(k) {
                    Ok(x) if !x.is_undefined() && !x.is_none() => {
                        integer_of(r, &x, node, &format!("chunks.{k}"), MAX_CHUNKS).map(Some)
                    }
                    _ => Ok(None),
                }
            };
            let (Some(min), Some(max)) = (get("min")?, get("max")?) else {
                return Err(Diagnostic::error(
                    diag::MISSING_KEY,
                    "dynamic `chunks` need both `min` and `max`",
                )
                .at(node.span, "add `min:` and `max:`"));
            };
            if min == 0 || min > max {
                return Err(bounds(format!("`chunks` has min {min} and max {max}")));
            }
            let count = get("count")?.unwrap_or(min);
            if count < min || count > max {
                return Err(bounds(format!(
                    "`chunks` count {count} is outside {min}..={max}"
                )));
            }
            count
        } else {
            integer_of(r, &v, node, "chunks", u64::MAX)?
        };
        if total == 0 || total > MAX_CHUNKS {
            return Err(bounds(format!("`chunks` is {total}")));
        }
        Ok(total)
    }
}

/// A `for` value as the list it iterates: a list, a mapping's keys, or one value.
pub(super) fn as_list(v: &Value) -> Vec<Value> {
    match v.kind() {
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => {
            v.try_iter().into_iter().flatten().collect()
        }
        ValueKind::None | ValueKind::Undefined => Vec::new(),
        _ => vec![v.clone()],
    }
}
