//! A job as generated: the native JSON shape of one entry of `jobs`.

use indexmap::IndexMap;
use serde::Serialize;

use crate::defs::values::{Condition, JobType, Status};

/// One dependency edge, as written in the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    pub label: String,
    pub on: Condition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chunk {
    pub this: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeouts {
    pub max_runtime_s: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_s: Option<u64>,
    pub request_s: u64,
    pub on_request_timeout: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Artifacts {
    /// Artifact name → path in the job's output.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub produces: IndexMap<String, String>,
    /// `<upstream kind>.<artifact name>` of upstream jobs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consumes: Vec<String>,
    /// `consumes`, resolved to the producing jobs (`crate::graph::artifacts`).
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub upstream: crate::graph::artifacts::Upstream,
}

impl Artifacts {
    pub fn is_empty(&self) -> bool {
        self.produces.is_empty() && self.consumes.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakpoint {
    pub acl: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_s: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub channel: String,
    pub target: String,
    pub on: Condition,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One customized field of a job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// What the definitions give (`null` when they leave the field unset).
    pub defined: serde_json::Value,
    pub set: serde_json::Value,
}

/// A generated job. Field order is output order. The parts few jobs have are boxed: a graph
/// holds many jobs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    pub label: String,
    pub graph: String,
    pub job: Option<String>,
    pub kind: String,
    #[serde(rename = "type")]
    pub job_type: JobType,
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub params: IndexMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chunk: Option<Chunk>,
    pub dependencies: Vec<Dependency>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<Box<serde_json::Value>>,
    /// How the task shows on Treeherder: `{symbol, group, collection, platform, tier}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treeherder: Option<Box<serde_json::Value>>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub env: IndexMap<String, String>,
    pub priority: String,
    pub retries: u32,
    /// How long a run is expected to take (`expected_duration`), for `taskgen simulate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_duration_s: Option<u64>,
    pub timeouts: Timeouts,
    #[serde(skip_serializing_if = "Artifacts::is_empty")]
    pub artifacts: Artifacts,
    pub locked: bool,
    /// Changed for this run by `--set`.
    pub customized: bool,
    /// Each customized field: the value the definitions give, and the value set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customization: Option<Box<IndexMap<String, Change>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub attributes: IndexMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakpoint: Option<Box<Breakpoint>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timer: Option<Box<Timer>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification: Option<Box<Notification>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Status>,
    /// Where the job template is defined (the node, for inline jobs and milestones).
    pub source: String,
    /// Where the graph node that placed this job is defined.
    pub placed_at: String,
}

impl Job {
    /// A `<path>:start` or `<path>:end` milestone: a dummy on no worker.
    pub fn milestone(label: String, graph: &str, active: bool, source: String) -> Job {
        Job {
            label,
            graph: graph.to_owned(),
            job: None,
            kind: "milestone".to_owned(),
            job_type: JobType::Dummy,
            active,
            description: None,
            params: IndexMap::new(),
            chunk: None,
            dependencies: Vec::new(),
            worker: None,
            command: None,
            payload: None,
            treeherder: None,
            env: IndexMap::new(),
            priority: "lowest".to_owned(),
            retries: 0,
            expected_duration_s: None,
            timeouts: Timeouts {
                max_runtime_s: 0,
                idle_s: None,
                request_s: 86_400,
                on_request_timeout: "skip-failure".to_owned(),
            },
            artifacts: Artifacts::default(),
            locked: false,
            customized: false,
            customization: None,
            scopes: Vec::new(),
            routes: Vec::new(),
            attributes: IndexMap::new(),
            breakpoint: None,
            timer: None,
            notification: None,
            result: None,
            placed_at: source.clone(),
            source,
        }
    }
}

/// The output fields in which `set` differs from `defined`: a customization's diff.
pub fn changes(defined: &Job, set: &Job) -> IndexMap<String, Change> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(defined), serde_json::to_value(set))
    else {
        return IndexMap::new();
    };
    let keys: Vec<&String> = b
        .keys()
        .chain(a.keys().filter(|k| !b.contains_key(*k)))
        .collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| {
            let get = |m: &serde_json::Map<String, serde_json::Value>| {
                m.get(k).cloned().unwrap_or(serde_json::Value::Null)
            };
            (
                k.clone(),
                Change {
                    defined: get(&a),
                    set: get(&b),
                },
            )
        })
        .collect()
}

/// Which layer set a field: the graph node, the job template, or the tree-wide defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Node,
    Template,
    Defaults,
    /// Set by the run's arguments (`--job-args`, `--no-retry`, `--priority`).
    CommandLine,
}

impl Origin {
    /// The layer, as `explain` and `view` name it.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Node => "graph node",
            Origin::Template => "job template",
            Origin::Defaults => "defaults",
            Origin::CommandLine => "command line",
        }
    }
}

/// Where each part of a job came from, for findings to point at. Not part of the output.
#[derive(Debug, Clone, Default)]
pub struct JobMeta {
    /// The node's `name` (the label template).
    pub label: crate::load::Span,
    /// The job template's name, when the job has one.
    pub template: Option<crate::load::Span>,
    /// The graph node that placed the job.
    pub node: crate::load::Span,
    /// Every job field that was set, with the value's span and its layer; shared by the jobs
    /// of one node.
    pub fields: std::sync::Arc<[(&'static str, crate::load::Span, Origin)]>,
    /// The `needs` entry behind each of `Job::dependencies`, in the same order.
    pub dependencies: Vec<crate::load::Span>,
    /// The node's `active` expression, when it made the job inactive.
    pub inactive_by: Option<crate::load::Span>,
    /// What the node's `files_changed` decided.
    pub touch: Option<super::changed::Touch>,
    /// How a selection decided the job, when there was one.
    pub selection: Option<String>,
    /// The trust policy's `locked` entry that locks this job, when one does.
    pub locked_by: Option<crate::load::Span>,
    /// The `--set` values that customized this job.
    pub customized_by: Vec<crate::load::Span>,
}

impl JobMeta {
    /// The span and layer of the value that set `field`.
    pub fn field(&self, field: &str) -> Option<(crate::load::Span, Origin)> {
        self.fields
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|&(_, s, o)| (s, o))
    }
}
