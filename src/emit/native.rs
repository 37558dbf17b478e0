//! The native JSON format: lossless, versioned, deterministic.

use indexmap::IndexMap;
use serde::Serialize;

use crate::expand::Job;
use crate::pipeline::Generated;

/// Version of the native output format; bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Native<'a> {
    format_version: u32,
    branch: &'a str,
    trigger: &'a str,
    definitions_sha: &'a str,
    /// The trust policy in force: `none`, `in-tree`, or `sha256:<hex>` of a `--policy` file.
    policy: String,
    parameters: &'a serde_json::Value,
    options: &'a crate::pipeline::Options,
    graphs: &'a [crate::graph::GraphInfo],
    jobs: IndexMap<&'a str, &'a Job>,
}

/// The native JSON document, pretty-printed, ending in a newline.
pub fn native_json(g: &Generated) -> String {
    let doc = Native {
        format_version: FORMAT_VERSION,
        branch: &g.branch,
        trigger: &g.trigger,
        definitions_sha: &g.definitions_sha,
        policy: g.policy.describe(),
        parameters: &g.parameters,
        options: &g.options,
        graphs: &g.graph.graphs,
        jobs: g.graph.jobs.iter().map(|j| (j.label.as_str(), j)).collect(),
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
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
