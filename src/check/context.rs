//! What the rules look at.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use crate::branch::Branch;
use crate::defs::Defs;
use crate::expand::{Job, JobMeta};
use crate::graph::TaskGraph;
use crate::load::{Span, Tree};
use crate::policy::{Effective, Policy};
use crate::tasks::Settings;

/// One generated graph of one branch and trigger, and the policy it must keep.
pub struct GraphContext<'a> {
    pub graph: &'a TaskGraph,
    pub branch: &'a Branch,
    pub policy: &'a Policy,
    /// What the policy grants this branch.
    pub effective: Effective,
    /// The branch's Taskcluster settings: what each job finally runs as.
    pub settings: &'a Settings,
    index: HashMap<&'a str, usize, crate::load::FastHash>,
    /// Routes notifications put on the jobs they watch, by label.
    notified: HashMap<&'a str, Vec<crate::tasks::Notified>, crate::load::FastHash>,
}

impl<'a> GraphContext<'a> {
    pub fn new(
        graph: &'a TaskGraph,
        branch: &'a Branch,
        policy: &'a Policy,
        settings: &'a Settings,
    ) -> Self {
        let index = graph.index();
        // What cannot be expressed is `taskcluster-cannot-express`'s to report.
        let (notified, _) = crate::tasks::notified_routes(graph);
        GraphContext {
            graph,
            branch,
            policy,
            effective: policy.effective(branch),
            settings,
            index,
            notified,
        }
    }

    /// The index of a job by label.
    pub fn position(&self, label: &str) -> Option<usize> {
        self.index.get(label).copied()
    }

    /// Every job with its metadata.
    pub fn jobs(&self) -> impl Iterator<Item = (&'a Job, &'a JobMeta)> {
        self.graph.jobs.iter().map(|j| &**j).zip(&self.graph.meta)
    }

    pub fn job(&self, label: &str) -> Option<(&'a Job, &'a JobMeta)> {
        let &i = self.index.get(label)?;
        Some((&self.graph.jobs[i], &self.graph.meta[i]))
    }

    /// The task queue a job finally runs on, when it has one (an invalid pool has none).
    pub fn queue(&self, job: &'a Job, meta: &JobMeta) -> Option<&'a str> {
        crate::tasks::queue(job, meta, self.settings).ok()
    }

    /// A job's routes as submitted, with those its notifications put on it.
    pub fn routes<'j>(&self, job: &'j Job) -> Cow<'j, [String]> {
        match self.notified.get(job.label.as_str()) {
            None => Cow::Borrowed(&job.routes),
            notified => Cow::Owned(crate::tasks::routes(job, notified)),
        }
    }

    /// Where the notification that put `route` on a job is placed, if one did.
    pub fn notified_by(&self, job: &Job, route: &str) -> Option<Span> {
        let list = self.notified.get(job.label.as_str())?;
        (!job.routes.iter().any(|r| r == route))
            .then(|| list.iter().find(|n| n.route == route).map(|n| n.by))
            .flatten()
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
