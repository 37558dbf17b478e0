//! Reading a policy from its spanned YAML, reporting every problem at once.

use super::{BranchGrant, LevelGrant, Lock, Pattern, Policy, Restriction};
use crate::defs::keys::{Spanned, check_keys, expect_map, string_list, suggestion, wrong_type};
use crate::defs::shape::policy::{BRANCH_GRANT, LEVEL, POLICY, RESTRICTION};
use crate::defs::values::{PRIORITIES, priority_rank};
use crate::diag::{self, Diagnostic, Sink};
use crate::load::{Node, Value};
use crate::query::{Query, glob};

fn invalid(node: &Node, message: String) -> Diagnostic {
    Diagnostic::error(diag::INVALID_VALUE, message).at(node.span, "here")
}

/// A glob or a list of globs, each with its span; bad globs are reported and left out.
pub fn patterns(node: &Node, what: &str, sink: &mut Sink) -> Vec<Pattern> {
    let Some(list) = sink.ok(string_list(node, what)) else {
        return Vec::new();
    };
    list.into_iter()
        .filter_map(|s| match glob(&s.value) {
            Ok(matcher) => Some(Pattern {
                text: s.value,
                span: s.span,
                matcher,
            }),
            Err(e) => {
                sink.push(Diagnostic::error(diag::INVALID_VALUE, e).at(s.span, "not a glob"));
                None
            }
        })
        .collect()
}

fn level(node: &Node, what: &str, sink: &mut Sink) -> Option<Spanned<i64>> {
    match node.value {
        Value::Int(n @ 1..=3) => Some(Spanned {
            value: n,
            span: node.span,
        }),
        Value::Int(n) => {
            sink.push(invalid(
                node,
                format!("{what}: trust level {n} is not 1, 2 or 3"),
            ));
            None
        }
        _ => {
            sink.push(wrong_type(node, "a trust level (1, 2 or 3)", what));
            None
        }
    }
}

fn branch_grant(
    key: &str,
    key_span: crate::load::Span,
    node: &Node,
    sink: &mut Sink,
) -> Option<BranchGrant> {
    let what = format!("policy for branches `{key}`");
    let map = sink.ok(expect_map(node, &what))?;
    check_keys(map, &BRANCH_GRANT, &what, sink);
    let matcher = match glob(key) {
        Ok(m) => m,
        Err(e) => {
            sink.push(Diagnostic::error(diag::INVALID_VALUE, e).at(key_span, "not a glob"));
            return None;
        }
    };
    let max_priority = map.get("max_priority").and_then(|p| match p.as_str() {
        Some(s) if priority_rank(s).is_some() => Some(Spanned {
            value: s.to_owned(),
            span: p.span,
        }),
        Some(s) => {
            sink.push(
                invalid(p, format!("unknown priority `{s}`")).help(suggestion(s, PRIORITIES)),
            );
            None
        }
        None => {
            sink.push(wrong_type(p, "a priority", "`max_priority`"));
            None
        }
    });
    let customizable = map.get("customizable").and_then(|c| match c.value {
        Value::Bool(b) => Some(Spanned {
            value: b,
            span: c.span,
        }),
        _ => {
            sink.push(wrong_type(c, "`true` or `false`", "`customizable`"));
            None
        }
    });
    Some(BranchGrant {
        pattern: Pattern {
            text: key.to_owned(),
            span: key_span,
            matcher,
        },
        trust_level: map
            .get("trust_level")
            .and_then(|l| level(l, "`trust_level`", sink)),
        max_priority,
        customizable,
    })
}

fn restriction(
    name: &str,
    key_span: crate::load::Span,
    node: &Node,
    sink: &mut Sink,
) -> Option<Restriction> {
    let what = format!("restriction `{name}`");
    let map = sink.ok(expect_map(node, &what))?;
    check_keys(map, &RESTRICTION, &what, sink);
    let list = |k: &str, sink: &mut Sink| {
        map.get(k)
            .map(|n| patterns(n, &format!("`{k}` of {what}"), sink))
    };
    let pools = list("pools", sink).unwrap_or_default();
    let workers = list("workers", sink).unwrap_or_default();
    let kinds = list("kinds", sink).unwrap_or_default();
    if pools.is_empty() && workers.is_empty() && kinds.is_empty() {
        sink.push(
            Diagnostic::error(diag::MISSING_KEY, format!("{what} restricts nothing"))
                .at(key_span, "add `pools`, `workers` or `kinds`"),
        );
    }
    let trust_levels = map.get("trust_levels").map(|n| match &n.value {
        Value::Seq(items) => Spanned {
            value: items
                .iter()
                .filter_map(|i| level(i, "`trust_levels`", sink).map(|l| l.value))
                .collect(),
            span: n.span,
        },
        _ => Spanned {
            value: level(n, "`trust_levels`", sink)
                .map(|l| vec![l.value])
                .unwrap_or_default(),
            span: n.span,
        },
    });
    Some(Restriction {
        name: name.to_owned(),
        span: key_span,
        pools,
        workers,
        kinds,
        branches: list("branches", sink),
        trust_levels,
        chain_of_trust: map
            .get("chain_of_trust")
            .map(|n| (n.span, patterns(n, "`chain_of_trust`", sink))),
    })
}

/// Reads a policy from the value of `policy:` (or the top level of a `--policy` file).
pub fn read(node: &Node, sink: &mut Sink) -> Policy {
    let mut policy = Policy {
        span: node.span,
        ..Policy::default()
    };
    if matches!(node.value, Value::Null) {
        return policy;
    }
    let Some(map) = sink.ok(expect_map(node, "the policy")) else {
        return policy;
    };
    check_keys(map, &POLICY, "the policy", sink);
    if let Some(b) = map
        .get("branches")
        .and_then(|b| sink.ok(expect_map(b, "`branches`")))
    {
        policy.branches = b
            .iter()
            .filter_map(|(k, e)| branch_grant(k, e.key_span, &e.value, sink))
            .collect();
    }
    if let Some(levels) = map
        .get("trust_levels")
        .and_then(|t| sink.ok(expect_map(t, "`trust_levels`")))
    {
        for (k, e) in levels.iter() {
            let what = format!("trust level `{k}`");
            let Some(n) = k.parse::<i64>().ok().filter(|n| (1..=3).contains(n)) else {
                sink.push(
                    Diagnostic::error(diag::INVALID_VALUE, format!("{what} is not 1, 2 or 3"))
                        .at(e.key_span, "not a trust level"),
                );
                continue;
            };
            let Some(m) = sink.ok(expect_map(&e.value, &what)) else {
                continue;
            };
            check_keys(m, &LEVEL, &what, sink);
            policy.trust_levels.push(LevelGrant {
                level: n,
                span: e.key_span,
                scopes: m.get("scopes").map(|s| patterns(s, "`scopes`", sink)),
                routes: m.get("routes").map(|r| patterns(r, "`routes`", sink)),
                scheduler_ids: m
                    .get("scheduler_ids")
                    .map(|r| patterns(r, "`scheduler_ids`", sink)),
                project_ids: m
                    .get("project_ids")
                    .map(|r| patterns(r, "`project_ids`", sink)),
            });
        }
    }
    if let Some(r) = map
        .get("restricted")
        .and_then(|r| sink.ok(expect_map(r, "`restricted`")))
    {
        policy.restricted = r
            .iter()
            .filter_map(|(k, e)| restriction(k, e.key_span, &e.value, sink))
            .collect();
    }
    if let Some(l) = map.get("locked") {
        for q in sink.ok(string_list(l, "`locked`")).unwrap_or_default() {
            match Query::parse(&q.value) {
                Ok(query) => policy.locked.push(Lock {
                    query,
                    span: q.span,
                }),
                Err(e) => {
                    sink.push(Diagnostic::error(diag::INVALID_VALUE, e).at(q.span, "not a query"))
                }
            }
        }
    }
    policy.breakpoint_acl = map
        .get("breakpoint_acl")
        .map(|a| patterns(a, "`breakpoint_acl`", sink));
    policy
}
