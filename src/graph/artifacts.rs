//! Artifact references: each `consumes` entry `<kind>.<name>` of a job resolves to the nearest
//! upstream jobs of kind `<kind>` that produce `<name>`: upstream transitively (everything
//! upstream has finished), not past a producer. A test's `build.installer` is its build's; a
//! release's push to the mirrors takes the signed builds of every platform, behind its QA
//! sign-off. The output records each reference by label (`artifacts.upstream`), and
//! Taskcluster lowers it to task IDs.

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::expand::Job;
use crate::graph::TaskGraph;

/// A job's resolved references: each consumed `<kind>.<name>` to the labels producing it.
pub type Upstream = IndexMap<String, Vec<String>>;

/// The nearest upstream jobs of `kind` producing `name`.
pub fn producers<'a>(
    job: &'a Job,
    kind: &str,
    name: &str,
    lookup: &dyn Fn(&str) -> Option<&'a Job>,
) -> Vec<&'a Job> {
    let mut found = Vec::new();
    // Most walks meet a handful of jobs: a list is cheaper than a set.
    let mut seen: Vec<&str> = Vec::new();
    let mut stack: Vec<&Job> = vec![job];
    while let Some(j) = stack.pop() {
        for dep in &j.dependencies {
            let Some(up) = lookup(&dep.label) else {
                continue;
            };
            if seen.contains(&up.label.as_str()) {
                continue;
            }
            seen.push(&up.label);
            if up.kind == kind && up.artifacts.produces.contains_key(name) {
                found.push(up);
            } else {
                stack.push(up);
            }
        }
    }
    found.sort_by(|a, b| a.label.cmp(&b.label));
    found
}

/// Resolves every job's `consumes`; an entry nothing produces stays unresolved (lint rule
/// `unproduced-artifact` reports it).
pub fn resolve(g: &mut TaskGraph) {
    let index = g.index();
    let lookup = |l: &str| index.get(l).map(|&i| &*g.jobs[i]);
    let resolved: Vec<Upstream> = g
        .jobs
        .par_iter()
        .map(|job| {
            job.artifacts
                .consumes
                .iter()
                .filter_map(|c| {
                    let (kind, name) = c.split_once('.')?;
                    let labels: Vec<String> = producers(job, kind, name, &lookup)
                        .into_iter()
                        .map(|up| up.label.clone())
                        .collect();
                    (!labels.is_empty()).then(|| (c.clone(), labels))
                })
                .collect()
        })
        .collect();
    drop(index);
    for (job, upstream) in g.jobs.iter_mut().zip(resolved) {
        job.artifacts.upstream = upstream;
    }
}

/// `<task-id:LABEL>` in a task's command, environment or payload: the task ID of the upstream
/// job `LABEL`, filled in when task IDs are assigned (as taskgraph's `task-reference`).
pub const TASK_ID_OPEN: &str = "<task-id:";

/// The labels a string refers to by `<task-id:LABEL>`.
pub fn task_references(s: &str) -> impl Iterator<Item = &str> {
    s.match_indices(TASK_ID_OPEN).filter_map(move |(at, open)| {
        let rest = &s[at + open.len()..];
        rest.find('>').map(|end| &rest[..end])
    })
}

/// Replaces every `<task-id:LABEL>` in `s` by `id(LABEL)`; unknown labels stay as written.
pub fn fill_task_ids(s: &str, id: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(TASK_ID_OPEN) {
        let after = &rest[at + TASK_ID_OPEN.len()..];
        match after
            .find('>')
            .and_then(|end| Some((end, id(&after[..end])?)))
        {
            Some((end, task_id)) => {
                out.push_str(&rest[..at]);
                out.push_str(&task_id);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[..at + TASK_ID_OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `label` is upstream of `job`, transitively.
pub fn is_upstream<'a>(
    job: &'a Job,
    label: &str,
    lookup: &dyn Fn(&str) -> Option<&'a Job>,
) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut stack: Vec<&Job> = vec![job];
    while let Some(j) = stack.pop() {
        for dep in &j.dependencies {
            if dep.label == label {
                return true;
            }
            if seen.contains(&dep.label.as_str()) {
                continue;
            }
            seen.push(&dep.label);
            if let Some(up) = lookup(&dep.label) {
                stack.push(up);
            }
        }
    }
    false
}

/// Every string of a job that may hold task references: its command, environment values and
/// payload strings, with the field each is in.
pub fn referring_strings(job: &Job) -> Vec<(&'static str, &str)> {
    fn walk<'v>(v: &'v serde_json::Value, out: &mut Vec<(&'static str, &'v str)>) {
        match v {
            serde_json::Value::String(s) => out.push(("payload", s)),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(m) => m.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out: Vec<(&'static str, &str)> = Vec::new();
    for c in job.command.iter().flatten() {
        out.push(("command", c));
    }
    for v in job.env.values() {
        out.push(("env", v));
    }
    if let Some(p) = job.payload.as_deref() {
        walk(p, &mut out);
    }
    out.retain(|(_, s)| s.contains(TASK_ID_OPEN));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_references_are_found_and_filled() {
        let s = "--installer=<task-id:build-linux64-opt>/x <task-id:b> <task-id:unclosed";
        assert_eq!(
            task_references(s).collect::<Vec<_>>(),
            ["build-linux64-opt", "b"]
        );
        let id = |l: &str| (l == "build-linux64-opt").then(|| "ID".to_owned());
        assert_eq!(
            fill_task_ids(s, &id),
            "--installer=ID/x <task-id:b> <task-id:unclosed"
        );
    }
}
