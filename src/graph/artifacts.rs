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
