//! Scenarios in graph tests: reading a test's `scenario:` (outcomes, approvals, durations, whose
//! rules) and its `status`, `runs`, `ends`, `changes` and `makespan` expectations, and playing
//! it with `taskgen simulate`'s engine; `super::played` checks what happened.

use super::parse::query;
use super::{Check, Test};
use crate::defs::keys::{check_keys, expect_map, spanned_str, string_list, wrong_type};
use crate::defs::shape::graph_tests::{ENDS, MAKESPAN, RUNS, SCENARIO, STATUS, STATUS_WORDS};
use crate::defs::values::parse_duration;
use crate::diag::{Diagnostic, Sink, backticked};
use crate::load::{Map, Node, Value};
use crate::pipeline::Generated;
use crate::simulate::{self, Given, Report, Rules, Scenario, scenario};

/// What a test's `scenario:` says.
#[derive(Debug, Clone)]
pub struct Spec {
    pub given: Given,
    pub rules: Rules,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            given: Given::default(),
            rules: Rules::Taskgen,
        }
    }
}

fn items<T>(
    node: &Node,
    what: &str,
    sink: &mut Sink,
    value: impl Fn(&Node) -> Result<T, String>,
) -> Vec<scenario::Item<T>> {
    let Some(map) = sink.ok(expect_map(node, what)) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(query, e)| match value(&e.value) {
            Ok(v) => Some(scenario::Item {
                query: query.to_owned(),
                value: v,
                span: e.key_span,
            }),
            Err(why) => {
                sink.push(
                    Diagnostic::error(crate::diag::INVALID_VALUE, why).at(e.value.span, "here"),
                );
                None
            }
        })
        .collect()
}

fn duration(node: &Node) -> Result<u64, String> {
    match &node.value {
        Value::Int(n) if *n >= 0 => Ok(*n as u64),
        Value::Str(s) => parse_duration(s),
        _ => Err("expected a duration such as `1h30m`".into()),
    }
}

/// Reads `scenario:`.
pub fn spec(node: &Node, sink: &mut Sink) -> Option<Spec> {
    let map = sink.ok(expect_map(node, "`scenario`"))?;
    check_keys(map, &SCENARIO, "`scenario`", sink);
    let mut spec = Spec::default();
    if let Some(o) = map.get("outcomes") {
        spec.given.outcomes = items(o, "`outcomes`", sink, |n| {
            let text = n.scalar_text().unwrap_or_default();
            scenario::Outcome::parse(&text)
        });
    }
    if let Some(a) = map.get("approve") {
        spec.given.approve = sink
            .ok(string_list(a, "`approve`"))
            .unwrap_or_default()
            .into_iter()
            .map(|s| scenario::Item {
                query: s.value,
                value: (),
                span: s.span,
            })
            .collect();
    }
    match map.get("approve_all").map(|n| &n.value) {
        None => {}
        Some(Value::Bool(b)) => spec.given.approve_all = *b,
        Some(_) => sink.push(wrong_type(
            &map.get("approve_all")?.clone(),
            "`true` or `false`",
            "`approve_all`",
        )),
    }
    if let Some(d) = map.get("durations") {
        spec.given.durations = items(d, "`durations`", sink, duration);
    }
    if let Some(r) = map.get("as") {
        match r.as_str() {
            Some("taskgen") => spec.rules = Rules::Taskgen,
            Some("taskcluster") => spec.rules = Rules::Taskcluster,
            _ => sink.push(wrong_type(r, "`taskgen` or `taskcluster`", "`as`")),
        }
    }
    Some(spec)
}

fn bound(
    map: &Map,
    key: &str,
    sink: &mut Sink,
    read: fn(&Node) -> Result<u64, String>,
) -> Option<u64> {
    let n = map.get(key)?;
    match read(n) {
        Ok(v) => Some(v),
        Err(why) => {
            sink.push(Diagnostic::error(crate::diag::INVALID_VALUE, why).at(n.span, "here"));
            None
        }
    }
}

fn count(n: &Node) -> Result<u64, String> {
    match n.value {
        Value::Int(i) if i >= 0 => Ok(i as u64),
        _ => Err("expected a count (0 or more)".into()),
    }
}

/// The scenario expectation kinds.
pub const KINDS: &[&str] = &["status", "runs", "ends", "changes", "makespan"];

/// Reads one scenario expectation.
pub fn expectation(kind: &str, node: &Node, sink: &mut Sink) -> Option<Check> {
    let what = format!("`{kind}`");
    if kind == "changes" {
        return query(node, "`changes`", sink).map(Check::Changes);
    }
    let map = sink.ok(expect_map(node, &what))?;
    let jobs = |sink: &mut Sink| {
        let n = map.get("jobs").or_else(|| {
            sink.push(
                Diagnostic::error(crate::diag::MISSING_KEY, format!("{what} has no `jobs`"))
                    .at(node.span, "add `jobs: QUERY`"),
            );
            None
        })?;
        query(n, "`jobs`", sink)
    };
    Some(match kind {
        "status" => {
            check_keys(map, &STATUS, &what, sink);
            let jobs = jobs(sink)?;
            let is_node = map.get("is").or_else(|| {
                sink.push(
                    Diagnostic::error(crate::diag::MISSING_KEY, "`status` has no `is`")
                        .at(node.span, "add `is: STATUS`"),
                );
                None
            })?;
            let is = match &is_node.value {
                Value::Seq(_) => sink.ok(string_list(is_node, "`is`"))?,
                _ => vec![sink.ok(spanned_str(is_node, "`is`"))?],
            };
            for w in &is {
                if !STATUS_WORDS.contains(&w.value.as_str()) {
                    sink.push(
                        Diagnostic::error(
                            crate::diag::UNKNOWN_STATUS,
                            format!("unknown status `{}`", w.value),
                        )
                        .at(w.span, "not a status")
                        .help(format!("the statuses are {}", backticked(STATUS_WORDS))),
                    );
                }
            }
            Check::Status {
                jobs,
                is: is.into_iter().map(|s| s.value).collect(),
            }
        }
        "runs" | "ends" => {
            check_keys(map, if kind == "runs" { &RUNS } else { &ENDS }, &what, sink);
            let jobs = jobs(sink)?;
            let read = if kind == "runs" { count } else { duration };
            let equals = bound(map, "equals", sink, read);
            let (min, max) = (
                equals.or(bound(map, "min", sink, read)),
                equals.or(bound(map, "max", sink, read)),
            );
            if kind == "runs" {
                Check::Runs { jobs, min, max }
            } else {
                Check::Ends { jobs, min, max }
            }
        }
        "makespan" => {
            check_keys(map, &MAKESPAN, &what, sink);
            Check::Makespan {
                span: node.span,
                min: bound(map, "min", sink, duration),
                max: bound(map, "max", sink, duration),
            }
        }
        _ => unreachable!("kinds are checked by the caller"),
    })
}

/// Plays the test's scenario on a generated graph; an error is the test's finding.
pub fn play(test: &Test, g: &Generated) -> Result<Report, Diagnostic> {
    play_spec(test, g, test.scenario.clone().unwrap_or_default())
}

/// The same scenario without its outcomes: what `changes` compares with.
pub(super) fn plain(test: &Test, g: &Generated) -> Result<Report, Diagnostic> {
    let mut spec = test.scenario.clone().unwrap_or_default();
    spec.given.outcomes.clear();
    play_spec(test, g, spec)
}

fn play_spec(test: &Test, g: &Generated, spec: Spec) -> Result<Report, Diagnostic> {
    let scenario = Scenario::resolve(spec.given, &g.graph.jobs).map_err(|d| {
        let mut d = d;
        d.message = format!(
            "test `{}` ({} {}): {}",
            test.name.value, g.branch, g.trigger, d.message
        );
        d
    })?;
    // Tests start the graph at the epoch: timers set to a time are not deterministic otherwise.
    Ok(simulate::simulate(&g.graph, &scenario, spec.rules, 0))
}
