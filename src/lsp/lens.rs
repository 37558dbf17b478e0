//! A code lens on each node: how many jobs it makes on how many branches.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::analysis::World;
use super::protocol::{Encoding, range};
use crate::load::{FileId, Span};

/// The lenses of one graph file.
pub fn lenses(world: &World, file: FileId, enc: Encoding) -> Vec<Value> {
    let Some(graph) = world.defs.graphs.values().find(|g| g.file == file) else {
        return Vec::new();
    };
    // Labels per node and branch, in one pass over every job.
    let mut made: BTreeMap<Span, BTreeMap<&str, BTreeSet<&str>>> = BTreeMap::new();
    for p in world.jobs().filter(|p| p.meta.label.file == file) {
        made.entry(p.meta.label)
            .or_default()
            .entry(p.branch)
            .or_default()
            .insert(&p.job.label);
    }
    let source = world.sources.file(file);
    let all = world.branch_names().len();
    graph
        .nodes
        .iter()
        .map(|node| {
            let per_branch = made.get(&node.name.span);
            let jobs: usize = per_branch.map_or(0, |b| b.values().map(BTreeSet::len).sum());
            let branches = per_branch.map_or(0, BTreeMap::len);
            let title = format!(
                "{jobs} job{} on {branches} of {all} branches",
                if jobs == 1 { "" } else { "s" },
            );
            // The command is the title's: it names no action, so clients show it as text.
            json!({
                "range": range(source, node.name.span, enc),
                "command": {"title": title, "command": ""},
            })
        })
        .collect()
}
