//! Artifact references: each `consumes` entry `<kind>.<name>` of a job resolves to the nearest
//! upstream jobs of kind `<kind>` that produce `<name>`: upstream transitively (everything
//! upstream has finished), not past a producer. A test's `build.installer` is its build's; a
//! release's push to the mirrors takes the signed builds of every platform, behind its QA
//! sign-off. The output records each reference by label, and Taskcluster lowers it to task IDs.

use std::collections::HashSet;

use serde::Serialize;

use crate::expand::Job;
use crate::graph::TaskGraph;

/// One resolved artifact reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upstream {
    /// As consumed: `build.installer`.
    pub artifact: String,
    /// The producing job.
    pub label: String,
    /// The artifact's name there: `public/build/target.tar.bz2`.
    pub path: String,
}

/// The nearest upstream jobs of `kind` producing `name`.
pub fn producers<'a>(
    job: &'a Job,
    kind: &str,
    name: &str,
    lookup: &dyn Fn(&str) -> Option<&'a Job>,
) -> Vec<&'a Job> {
    let mut found = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut stack: Vec<&Job> = vec![job];
    while let Some(j) = stack.pop() {
        for dep in &j.dependencies {
            let Some(up) = lookup(&dep.label) else {
                continue;
            };
            if !seen.insert(up.label.as_str()) {
                continue;
            }
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
    let resolved: Vec<Vec<Upstream>> = g
        .jobs
        .iter()
        .map(|job| {
            let lookup = |l: &str| index.get(l).map(|&i| &*g.jobs[i]);
            job.artifacts
                .consumes
                .iter()
                .filter_map(|c| c.split_once('.').map(|(k, n)| (c, k, n)))
                .flat_map(|(c, kind, name)| {
                    producers(job, kind, name, &lookup)
                        .into_iter()
                        .map(move |up| Upstream {
                            artifact: c.clone(),
                            label: up.label.clone(),
                            path: up.artifacts.produces[name].clone(),
                        })
                })
                .collect()
        })
        .collect();
    drop(index);
    for (job, upstream) in g.jobs.iter_mut().zip(resolved) {
        job.artifacts.upstream = upstream;
    }
}
