//! Evaluating one expectation against one generated graph.

use std::collections::HashMap;

use super::{Assertion, Check, Test};
use crate::check::rules::{
    count_mismatch, graph_activity_mismatch, missing_expected_dependency, missing_expected_job,
    test_checks_nothing, unexpected_dependency, unexpected_job,
};
use crate::defs::keys::Spanned;
use crate::diag::{Diagnostic, backticked};
use crate::expand::Job;
use crate::pipeline::Generated;
use crate::query::{Query, field};

/// Labels shown in a finding; the rest are counted.
const SHOWN: usize = 5;

fn some_labels(jobs: &[Box<Job>], found: &[usize]) -> String {
    let mut labels: Vec<&str> = found.iter().map(|&i| jobs[i].label.as_str()).collect();
    labels.sort_unstable();
    let more = labels.len().saturating_sub(SHOWN);
    labels.truncate(SHOWN);
    let mut s = backticked(&labels);
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

fn context(test: &Test, g: &Generated) -> String {
    format!("test `{}` ({} {})", test.name.value, g.branch, g.trigger)
}

/// The findings of one expectation; empty when it holds. `None` when the expectation checks
/// nothing on this graph (a `depends` whose `jobs` match no job): the caller reports it only
/// when that is so on every graph the test runs on.
pub fn check(test: &Test, a: &Assertion, g: &Generated) -> Option<Vec<Diagnostic>> {
    let jobs = &g.graph.jobs;
    let cx = context(test, g);
    Some(match &a.check {
        Check::Present(queries) => queries
            .iter()
            .filter(|q| q.value.select(jobs).is_empty())
            .map(|q| {
                let mut d = missing_expected_job::RULE
                    .finding(format!(
                        "{cx}: expected a job matching `{}`",
                        q.value.text()
                    ))
                    .at(q.span, "no job matches");
                if let Some(best) = crate::defs::keys::did_you_mean(
                    q.value.text(),
                    jobs.iter().map(|j| j.label.as_str()),
                ) {
                    d = d.help(format!("the nearest label is `{best}`"));
                }
                d
            })
            .collect(),
        Check::Absent(queries) => queries
            .iter()
            .filter_map(|q| {
                let found = q.value.select(jobs);
                (!found.is_empty()).then(|| {
                    unexpected_job::RULE
                        .finding(format!(
                            "{cx}: expected no job matching `{}`",
                            q.value.text()
                        ))
                        .at(q.span, format!("{} match", found.len()))
                        .help(format!("found {}", some_labels(jobs, &found)))
                })
            })
            .collect(),
        Check::Count { jobs: q, min, max } => {
            let n = q.value.select(jobs).len() as u64;
            let expected = match (min, max) {
                (Some(a), Some(b)) if a == b => format!("exactly {a}"),
                (Some(a), Some(b)) => format!("{a} to {b}"),
                (Some(a), None) => format!("at least {a}"),
                (None, Some(b)) => format!("at most {b}"),
                (None, None) => return Some(Vec::new()),
            };
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                vec![
                    count_mismatch::RULE
                        .finding(format!(
                            "{cx}: expected {expected} jobs matching `{}`, found {n}",
                            q.value.text()
                        ))
                        .at(q.span, format!("{n} match")),
                ]
            } else {
                Vec::new()
            }
        }
        Check::Active(patterns, wanted) => {
            let word = |active: bool| if active { "active" } else { "inactive" };
            let mut out = Vec::new();
            for p in patterns {
                let graphs: Vec<_> = g
                    .graph
                    .graphs
                    .iter()
                    .filter(|i| p.matches(&i.path))
                    .collect();
                if graphs.is_empty() {
                    let paths: Vec<&str> = g.graph.graphs.iter().map(|i| i.path.as_str()).collect();
                    out.push(
                        graph_activity_mismatch::RULE
                            .finding(format!(
                                "{cx}: expected an {} subgraph matching `{}`; there is none",
                                word(*wanted),
                                p.text
                            ))
                            .at(p.span, "no subgraph matches")
                            .help(format!("the subgraphs are {}", backticked(&paths))),
                    );
                    continue;
                }
                let wrong: Vec<&str> = graphs
                    .iter()
                    .filter(|i| i.active != *wanted)
                    .map(|i| i.path.as_str())
                    .collect();
                if !wrong.is_empty() {
                    out.push(
                        graph_activity_mismatch::RULE
                            .finding(format!(
                                "{cx}: expected `{}` to be {}; {} {} {}",
                                p.text,
                                word(*wanted),
                                backticked(&wrong),
                                if wrong.len() == 1 { "is" } else { "are" },
                                word(!*wanted)
                            ))
                            .at(p.span, word(!*wanted)),
                    );
                }
            }
            out
        }
        Check::Depends {
            jobs: q,
            on,
            direct,
            same,
            wanted,
        } => depends(&cx, g, q, on, *direct, same, *wanted)?,
        // Played and checked by `super::scenario`.
        Check::Status { .. }
        | Check::Runs { .. }
        | Check::Ends { .. }
        | Check::Changes(_)
        | Check::Makespan { .. } => Vec::new(),
    })
}

/// The values of the `same` keys of a job.
fn key(job: &Job, same: &[String]) -> Vec<Option<String>> {
    same.iter().map(|k| field(job, k)).collect()
}

/// For each job of `from`, whether it depends (directly, or through any path) on a job of `to`
/// with the same key.
fn reaches(
    g: &Generated,
    from: &[usize],
    to: &[usize],
    direct: bool,
    same: &[String],
) -> Vec<bool> {
    let jobs = &g.graph.jobs;
    let index = g.graph.index();
    let mut targets: HashMap<Vec<Option<String>>, Vec<usize>> = HashMap::new();
    for &t in to {
        targets.entry(key(&jobs[t], same)).or_default().push(t);
    }
    let upstream = |i: usize| {
        jobs[i]
            .dependencies
            .iter()
            .filter_map(|d| index.get(d.label.as_str()).copied())
    };
    if direct {
        return from
            .iter()
            .map(|&i| {
                let k = key(&jobs[i], same);
                targets
                    .get(&k)
                    .is_some_and(|ts| upstream(i).any(|u| ts.contains(&u)))
            })
            .collect();
    }
    // Downstream closure of the targets, once per key.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); jobs.len()];
    for i in 0..jobs.len() {
        for u in upstream(i) {
            children[u].push(i);
        }
    }
    let mut closures: HashMap<&Vec<Option<String>>, Vec<bool>> = HashMap::new();
    for (k, ts) in &targets {
        let mut seen = vec![false; jobs.len()];
        let mut stack: Vec<usize> = ts.clone();
        while let Some(n) = stack.pop() {
            for &c in &children[n] {
                if !seen[c] {
                    seen[c] = true;
                    stack.push(c);
                }
            }
        }
        closures.insert(k, seen);
    }
    from.iter()
        .map(|&i| {
            closures
                .get(&key(&jobs[i], same))
                .is_some_and(|seen| seen[i])
        })
        .collect()
}

fn depends(
    cx: &str,
    g: &Generated,
    q: &Spanned<Query>,
    on: &Spanned<Query>,
    direct: bool,
    same: &[String],
    wanted: bool,
) -> Option<Vec<Diagnostic>> {
    let jobs = &g.graph.jobs;
    let from = q.value.select(jobs);
    if from.is_empty() {
        return None;
    }
    let to = on.value.select(jobs);
    let hits = reaches(g, &from, &to, direct, same);
    let wrong: Vec<usize> = from
        .iter()
        .zip(&hits)
        .filter(|(_, h)| **h != wanted)
        .map(|(&i, _)| i)
        .collect();
    if wrong.is_empty() {
        return Some(Vec::new());
    }
    let how = if direct {
        "directly"
    } else {
        "directly or not"
    };
    let same_text = if same.is_empty() {
        String::new()
    } else {
        format!(" with the same {}", backticked(same))
    };
    let (rule, expected) = if wanted {
        (&missing_expected_dependency::RULE, "to depend")
    } else {
        (&unexpected_dependency::RULE, "not to depend")
    };
    Some(vec![rule
        .finding(format!(
            "{cx}: expected every job matching `{}` {expected} ({how}) on a job matching `{}`{same_text}; {} of {} {}",
            q.value.text(),
            on.value.text(),
            wrong.len(),
            from.len(),
            if wanted { "do not" } else { "do" }
        ))
        .at(q.span, format!("{} of {} jobs", wrong.len(), from.len()))
        .also(on.span, format!("{} jobs match", to.len()))
        .help(format!("found {}", some_labels(jobs, &wrong)))])
}

/// The finding for an expectation that checked nothing on every graph it ran on.
pub fn vacuous(test: &Test, a: &Assertion) -> Diagnostic {
    let (text, span) = match &a.check {
        Check::Depends { jobs, .. }
        | Check::Status { jobs, .. }
        | Check::Runs { jobs, .. }
        | Check::Ends { jobs, .. }
        | Check::Changes(jobs) => (jobs.value.text(), jobs.span),
        _ => ("", a.span),
    };
    test_checks_nothing::RULE
        .finding(format!(
            "test `{}`: no job matches `{text}` on any branch it runs on, so this checks nothing",
            test.name.value
        ))
        .at(span, "matches no job")
        .help("fix the query, or remove the expectation")
}
