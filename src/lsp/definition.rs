//! Go to definition: where a name is defined, or the nodes a `needs` entry depends on.

use std::collections::{BTreeSet, HashSet};

use super::analysis::World;
use super::cursor::Target;
use crate::load::Span;

/// The places a target leads to, in order.
pub fn spans(world: &World, target: &Target) -> Vec<Span> {
    match target {
        Target::JobTemplate(name) => world
            .defs
            .jobs
            .get(*name)
            .map(|t| t.name.span)
            .into_iter()
            .collect(),
        Target::Graph(name) => world
            .defs
            .graphs
            .get(*name)
            .map(|g| g.name.span)
            .into_iter()
            .collect(),
        // A node's name is its own definition: its jobs' upstream nodes are one step away.
        Target::Node(_, node) => vec![node.name.span],
        // The nodes that generate the labels this entry resolved to, in every branch, in one
        // pass over the jobs whatever a glob matched: a glob can match thousands.
        Target::Needs(node, span) => {
            let wanted: HashSet<(&str, &str)> = world.resolved(node, *span).into_iter().collect();
            let nodes: BTreeSet<Span> = world
                .jobs()
                .filter(|p| p.job.kind != "milestone")
                .filter(|p| wanted.contains(&(p.branch, p.job.label.as_str())))
                .map(|p| p.meta.label)
                .collect();
            nodes.into_iter().collect()
        }
        // One key a file: each place once.
        Target::BranchKey(key) => world.branch_key_sites(key),
    }
}
