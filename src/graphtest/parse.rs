//! Reading graph tests from `taskgraph/tests/*.yml`, reporting every problem at once.

use super::{Assertion, Check, Test};
use crate::defs::keys::{
    Spanned, check_keys, expect_map, required, spanned_str, string_list, wrong_type,
};
use crate::defs::shape::graph_tests::{COUNT, DEPENDS, EXPECTATION, TEST, TEST_FILE};
use crate::diag::{self, Diagnostic, Sink};
use crate::load::{Map, Node, Value};
use crate::policy::{Pattern, patterns};
use crate::query::{Query, glob};

pub(super) fn query(node: &Node, what: &str, sink: &mut Sink) -> Option<Spanned<Query>> {
    let text = sink.ok(spanned_str(node, what))?;
    match Query::parse(&text.value) {
        Ok(q) => Some(Spanned {
            value: q,
            span: text.span,
        }),
        Err(e) => {
            sink.push(Diagnostic::error(diag::INVALID_VALUE, e).at(text.span, "not a query"));
            None
        }
    }
}

fn queries(node: &Node, what: &str, sink: &mut Sink) -> Vec<Spanned<Query>> {
    match &node.value {
        Value::Seq(items) => items.iter().filter_map(|n| query(n, what, sink)).collect(),
        _ => query(node, what, sink).into_iter().collect(),
    }
}

fn boolean(map: &Map, key: &str, sink: &mut Sink) -> bool {
    match map.get(key) {
        None => false,
        Some(Node {
            value: Value::Bool(b),
            ..
        }) => *b,
        Some(n) => {
            sink.push(wrong_type(n, "`true` or `false`", &format!("`{key}`")));
            false
        }
    }
}

fn count(map: &Map, key: &str, sink: &mut Sink) -> Option<u64> {
    let n = map.get(key)?;
    match n.value {
        Value::Int(i) if i >= 0 => Some(i as u64),
        _ => {
            sink.push(wrong_type(n, "a count (0 or more)", &format!("`{key}`")));
            None
        }
    }
}

fn check(kind: &str, node: &Node, sink: &mut Sink) -> Option<Check> {
    let what = format!("`{kind}`");
    Some(match kind {
        "present" => Check::Present(queries(node, &what, sink)),
        "absent" => Check::Absent(queries(node, &what, sink)),
        "active" => Check::Active(patterns(node, &what, sink), true),
        "inactive" => Check::Active(patterns(node, &what, sink), false),
        "depends" | "not_depends" => {
            let map = sink.ok(expect_map(node, &what))?;
            check_keys(map, &DEPENDS, &what, sink);
            let jobs = query(sink.ok(required(map, node, "jobs", &what))?, "`jobs`", sink)?;
            let on = query(sink.ok(required(map, node, "on", &what))?, "`on`", sink)?;
            let same = map
                .get("same")
                .and_then(|s| sink.ok(string_list(s, "`same`")))
                .unwrap_or_default()
                .into_iter()
                .map(|s| s.value)
                .collect();
            Check::Depends {
                jobs,
                on,
                direct: boolean(map, "direct", sink),
                same,
                wanted: kind == "depends",
            }
        }
        "count" => {
            let map = sink.ok(expect_map(node, &what))?;
            check_keys(map, &COUNT, &what, sink);
            let jobs = query(sink.ok(required(map, node, "jobs", &what))?, "`jobs`", sink)?;
            let equals = count(map, "equals", sink);
            let (min, max) = (
                equals.or(count(map, "min", sink)),
                equals.or(count(map, "max", sink)),
            );
            if min.is_none() && max.is_none() {
                sink.push(
                    Diagnostic::error(diag::MISSING_KEY, "`count` has no `equals`, `min` or `max`")
                        .at(node.span, "say how many"),
                );
                return None;
            }
            Check::Count { jobs, min, max }
        }
        _ if super::scenario::KINDS.contains(&kind) => {
            return super::scenario::expectation(kind, node, sink);
        }
        _ => unreachable!("kinds are checked by the caller"),
    })
}

fn assertion(node: &Node, sink: &mut Sink) -> Option<Assertion> {
    let map = sink.ok(expect_map(node, "an expectation"))?;
    check_keys(map, &EXPECTATION, "an expectation", sink);
    let mut kinds = map.iter().filter(|(k, _)| EXPECTATION.has(k));
    let Some((kind, entry)) = kinds.next() else {
        sink.push(
            Diagnostic::error(diag::MISSING_KEY, "an expectation says nothing").at(
                node.span,
                format!("one of {}", diag::backticked(EXPECTATION.names())),
            ),
        );
        return None;
    };
    if let Some((other, e)) = kinds.next() {
        sink.push(
            Diagnostic::error(
                diag::INVALID_VALUE,
                format!("an expectation has both `{kind}` and `{other}`"),
            )
            .at(e.key_span, "one kind per entry")
            .help("write each as its own `- ` entry under `expect`"),
        );
    }
    Some(Assertion {
        span: node.span,
        check: check(kind, &entry.value, sink)?,
    })
}

fn test(node: &Node, sink: &mut Sink) -> Option<Test> {
    let map = sink.ok(expect_map(node, "a test"))?;
    check_keys(map, &TEST, "a test", sink);
    let name_node = sink.ok(required(map, node, "name", "a test"))?;
    let name = sink.ok(spanned_str(name_node, "`name`"))?;
    let what = format!("test `{}`", name.value);
    let expect = sink.ok(required(map, node, "expect", &what))?;
    let Some(items) = expect.as_seq() else {
        sink.push(wrong_type(expect, "a list of expectations", "`expect`"));
        return None;
    };
    let params = match map.get("params") {
        None => Vec::new(),
        Some(p) => sink
            .ok(expect_map(p, "`params`"))?
            .iter()
            .map(|(k, e)| {
                let v = e.value.scalar_text().unwrap_or_default();
                (k.to_owned(), v)
            })
            .collect(),
    };
    Some(Test {
        branches: match map.get("branches") {
            Some(b) => patterns(b, "`branches`", sink),
            None => vec![Pattern::new("*".into(), name.span, glob("*").ok()?)],
        },
        triggers: match map.get("triggers") {
            Some(t) => sink
                .ok(string_list(t, "`triggers`"))?
                .into_iter()
                .map(|s| s.value)
                .collect(),
            None => vec!["push".to_owned()],
        },
        params,
        select: match map.get("select") {
            Some(s) => sink
                .ok(string_list(s, "`select`"))?
                .into_iter()
                .map(|s| s.value)
                .collect(),
            None => Vec::new(),
        },
        files_changed: match map.get("files_changed") {
            Some(f) => Some(
                sink.ok(string_list(f, "`files_changed`"))?
                    .into_iter()
                    .map(|s| s.value)
                    .collect(),
            ),
            None => None,
        },
        scenario: map
            .get("scenario")
            .and_then(|s| super::scenario::spec(s, sink)),
        expect: items.iter().filter_map(|i| assertion(i, sink)).collect(),
        name,
    })
}

/// The tests of one file: `tests:` holds a list.
pub fn read(node: &Node, sink: &mut Sink) -> Vec<Test> {
    let Some(map) = sink.ok(expect_map(node, "a test file")) else {
        return Vec::new();
    };
    check_keys(map, &TEST_FILE, "a test file", sink);
    let Some(list) = map.get("tests") else {
        sink.push(
            Diagnostic::error(diag::MISSING_KEY, "a test file has no `tests`")
                .at(node.span, "add `tests:` with a list of tests"),
        );
        return Vec::new();
    };
    match list.as_seq() {
        Some(items) => items.iter().filter_map(|t| test(t, sink)).collect(),
        None => {
            sink.push(wrong_type(list, "a list of tests", "`tests`"));
            Vec::new()
        }
    }
}
