//! The native JSON format: lossless, versioned, deterministic.

use std::io::{self, Write};

use serde::Serialize;

use crate::expand::Job;
use crate::pipeline::Generated;

/// Version of the native output format; bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

/// Everything but the jobs, which follow it.
#[derive(Serialize)]
struct Head<'a> {
    format_version: u32,
    branch: &'a str,
    trigger: &'a str,
    definitions_sha: &'a str,
    /// The trust policy in force: `none`, `in-tree`, or `sha256:<hex>` of a `--policy` file.
    policy: String,
    parameters: &'a serde_json::Value,
    options: &'a crate::pipeline::Options,
    graphs: &'a [crate::graph::GraphInfo],
}

/// Writes the native JSON document: `{...head, "jobs": {label: job, ...}}`, pretty-printed,
/// ending in a newline; the jobs are serialized in parallel.
pub fn write_native_json(g: &Generated, w: &mut dyn Write) -> io::Result<()> {
    let head = Head {
        format_version: FORMAT_VERSION,
        branch: &g.branch,
        trigger: &g.trigger,
        definitions_sha: &g.definitions_sha,
        policy: g.policy.describe(),
        parameters: &g.parameters,
        options: &g.options,
        graphs: &g.graph.graphs,
    };
    let head = serde_json::to_vec_pretty(&head)?;
    // The head ends in `\n}`: the jobs go before that brace.
    w.write_all(&head[..head.len() - 2])?;
    w.write_all(b",\n  \"jobs\": ")?;
    let jobs: Vec<(&str, &Job)> = g
        .graph
        .jobs
        .iter()
        .map(|j| (j.label.as_str(), &**j))
        .collect();
    super::pretty::write_map(w, &jobs, 1)?;
    w.write_all(b"\n}\n")
}

/// One label per line, in topological order.
pub fn labels(g: &Generated) -> String {
    let mut out = String::with_capacity(g.graph.jobs.len() * 32);
    for job in &g.graph.jobs {
        out.push_str(&job.label);
        out.push('\n');
    }
    out
}
