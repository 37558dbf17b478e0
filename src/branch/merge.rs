//! Merging a branch override over `generic.yml`: maps merge deeply, scalars and lists replace,
//! and a list is edited in place with `{$add: [...], $remove: [...]}`.
//! Every value keeps the span of the file that set it, so provenance comes for free.

use crate::diag::{self, Diagnostic};
use crate::load::{Map, Node, Value};

const ADD: &str = "$add";
const REMOVE: &str = "$remove";

/// `{$add: [...], $remove: [...]}` and nothing else.
fn list_edit(map: &Map) -> bool {
    !map.is_empty() && map.iter().all(|(k, _)| k == ADD || k == REMOVE)
}

fn items<'a>(node: &'a Node, key: &str) -> Result<&'a [Node], Diagnostic> {
    node.as_seq().ok_or_else(|| {
        Diagnostic::error(
            diag::WRONG_TYPE,
            format!("`{key}` takes a list, not {}", node.type_name()),
        )
        .at(node.span, "expected a list")
    })
}

fn same(a: &Node, b: &Node) -> bool {
    match (a.scalar_text(), b.scalar_text()) {
        (Some(x), Some(y)) => x == y,
        _ => a.value == b.value,
    }
}

fn edit(base: &Node, list: &[Node], over: &Node, edits: &Map) -> Result<Node, Diagnostic> {
    let mut out: Vec<Node> = list.to_vec();
    if let Some(remove) = edits.get(REMOVE) {
        for r in items(remove, REMOVE)? {
            let before = out.len();
            out.retain(|item| !same(item, r));
            if out.len() == before {
                return Err(Diagnostic::error(
                    diag::INVALID_VALUE,
                    format!(
                        "cannot remove `{}`: the list does not hold it",
                        r.scalar_text().unwrap_or_default()
                    ),
                )
                .at(r.span, "not in the list")
                .also(base.span, "the list being edited"));
            }
        }
    }
    if let Some(add) = edits.get(ADD) {
        for a in items(add, ADD)? {
            if !out.iter().any(|item| same(item, a)) {
                out.push(a.clone());
            }
        }
    }
    Ok(Node::new(over.span, Value::Seq(out)))
}

/// Rejects list edits that have no list to edit.
fn no_edits(node: &Node) -> Result<(), Diagnostic> {
    match &node.value {
        Value::Map(m) if list_edit(m) => Err(Diagnostic::error(
            diag::INVALID_VALUE,
            "`$add`/`$remove` edit a list inherited from `generic.yml`, and there is none here",
        )
        .at(node.span, "nothing to edit")
        .help("write the list itself instead")),
        Value::Map(m) => m.entries.values().try_for_each(|e| no_edits(&e.value)),
        Value::Seq(items) => items.iter().try_for_each(no_edits),
        _ => Ok(()),
    }
}

/// Merges `over` onto `base`.
pub fn merge(base: &Node, over: &Node) -> Result<Node, Diagnostic> {
    match (&base.value, &over.value) {
        (Value::Seq(list), Value::Map(edits)) if list_edit(edits) => edit(base, list, over, edits),
        (Value::Map(b), Value::Map(o)) => {
            let mut out = Map::default();
            for (key, entry) in b.iter() {
                let mut entry = entry.clone();
                if let Some(theirs) = o.entries.get(key) {
                    // `~` removes an inherited key: a trigger, a platform.
                    if matches!(theirs.value.value, Value::Null) {
                        continue;
                    }
                    entry.value = merge(&entry.value, &theirs.value)?;
                    entry.key_span = theirs.key_span;
                }
                out.entries.insert(key.to_owned(), entry);
            }
            for (key, entry) in o.iter() {
                if b.entries.contains_key(key) {
                    continue;
                }
                if matches!(entry.value.value, Value::Null) {
                    let known: Vec<&str> = b.entries.keys().map(String::as_str).collect();
                    return Err(Diagnostic::error(
                        diag::INVALID_VALUE,
                        format!("`{key}: ~` removes nothing: `generic.yml` has no `{key}` here"),
                    )
                    .at(entry.key_span, "not inherited")
                    .help(crate::defs::keys::suggestion(key, &known)));
                }
                no_edits(&entry.value)?;
                out.entries.insert(key.to_owned(), entry.clone());
            }
            Ok(Node::new(over.span, Value::Map(out)))
        }
        _ => {
            no_edits(over)?;
            Ok(over.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Limits, Sources, parse};

    fn merged(base: &str, over: &str) -> Result<(Node, Sources), Diagnostic> {
        let mut sources = Sources::default();
        let b = sources.add("generic.yml", base);
        let o = sources.add("over.yml", over);
        let b = parse(&sources, b, Limits::default()).unwrap();
        let o = parse(&sources, o, Limits::default()).unwrap();
        merge(&b, &o).map(|n| (n, sources))
    }

    fn get<'a>(n: &'a Node, key: &str) -> &'a Node {
        n.as_map().unwrap().get(key).unwrap()
    }

    fn texts(n: &Node) -> Vec<String> {
        n.as_seq()
            .unwrap()
            .iter()
            .filter_map(Node::scalar_text)
            .collect()
    }

    #[test]
    fn null_removes_an_inherited_key_and_only_that() {
        let (n, _) = merged("a: {x: 1, y: 2}\n", "a: {y: ~}\n").unwrap();
        assert!(get(&n, "a").as_map().unwrap().get("y").is_none());
        assert!(get(&n, "a").as_map().unwrap().get("x").is_some());
        let err = merged("a: {x: 1, y: 2}\n", "a: {z: ~}\n").unwrap_err();
        assert!(
            err.message.contains("`z: ~` removes nothing"),
            "{}",
            err.message
        );
    }

    #[test]
    fn maps_merge_deeply_and_scalars_replace() {
        let (n, sources) = merged("a: {x: 1, y: 2}\nb: 3\n", "a: {y: 5, z: 6}\n").unwrap();
        let a = get(&n, "a");
        assert_eq!(get(a, "x").value, Value::Int(1));
        assert_eq!(get(a, "y").value, Value::Int(5));
        assert_eq!(get(a, "z").value, Value::Int(6));
        assert_eq!(sources.location(get(a, "x").span), "generic.yml:1:8");
        assert_eq!(sources.location(get(a, "y").span), "over.yml:1:8");
        assert_eq!(get(&n, "b").value, Value::Int(3));
    }

    #[test]
    fn lists_replace_unless_edited() {
        let (n, _) = merged("l: [a, b, c]\n", "l: [d]\n").unwrap();
        assert_eq!(texts(get(&n, "l")), ["d"]);
        let (n, _) = merged("l: [a, b, c]\n", "l: {$add: [d, a], $remove: [b]}\n").unwrap();
        assert_eq!(texts(get(&n, "l")), ["a", "c", "d"]);
    }

    #[test]
    fn removing_a_missing_item_is_an_error() {
        let err = merged("l: [a]\n", "l: {$remove: [z]}\n").unwrap_err();
        assert_eq!(err.code, diag::INVALID_VALUE);
    }

    #[test]
    fn edits_without_a_list_are_errors() {
        assert!(merged("x: 1\n", "l: {$add: [a]}\n").is_err());
    }
}
