//! What the rules look at.

use std::collections::{BTreeSet, HashMap};

use crate::branch::Branch;
use crate::defs::Defs;
use crate::expand::{Job, JobMeta};
use crate::graph::TaskGraph;
use crate::load::{Span, Tree};

/// One generated graph of one branch and trigger.
pub struct GraphContext<'a> {
    pub graph: &'a TaskGraph,
    pub branch: &'a Branch,
    index: HashMap<&'a str, usize>,
}

impl<'a> GraphContext<'a> {
    pub fn new(graph: &'a TaskGraph, branch: &'a Branch) -> Self {
        let index = graph.index();
        GraphContext {
            graph,
            branch,
            index,
        }
    }

    /// Every job with its metadata.
    pub fn jobs(&self) -> impl Iterator<Item = (&'a Job, &'a JobMeta)> {
        self.graph.jobs.iter().zip(&self.graph.meta)
    }

    pub fn job(&self, label: &str) -> Option<(&'a Job, &'a JobMeta)> {
        let &i = self.index.get(label)?;
        Some((&self.graph.jobs[i], &self.graph.meta[i]))
    }

    /// The include that placed a job's graph, when that graph is not the root.
    pub fn include_site(&self, job: &Job) -> Option<Span> {
        self.graph
            .graphs
            .iter()
            .find(|g| g.path == job.graph && g.path.contains('/'))
            .map(|g| g.site)
    }

    /// Where a job field's value was written, falling back to the node that placed the job.
    pub fn field_span(&self, meta: &JobMeta, field: &str) -> Span {
        meta.field(field).map_or(meta.node, |(s, _)| s)
    }
}

/// What every branch and trigger used, for the rules about unused definitions.
#[derive(Debug, Default)]
pub struct Usage {
    pub job_templates: BTreeSet<String>,
    pub graphs: BTreeSet<String>,
    /// (branch file, key) pairs read by some template.
    pub branch_keys: BTreeSet<(String, String)>,
}

/// The whole tree, after every branch was expanded.
pub struct TreeContext<'a> {
    pub tree: &'a Tree,
    pub defs: &'a Defs,
    pub usage: &'a Usage,
}
