//! `--format taskcluster`: label → entry, each `task` a complete createTask body, in
//! submission order. How each part of a job lowers is documented in docs/output.md.

pub mod payload;
pub mod slugid;

use std::collections::HashMap;
use std::io::{self, Write};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::tasks::{MAX_DEADLINE_MS, notified_routes, queue, request_timeout, requires};
pub use crate::tasks::{Settings, settings};

use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::expand::{Job, JobMeta};
use crate::load::FastHash;
use crate::pipeline::Generated;
use crate::time;

/// What one run needs beyond the graph.
pub struct Options {
    pub seed: String,
    pub now_ms: i64,
}

/// The lowered graph, checked and ready to write: the submission, and the inactive jobs in the
/// same shape. Entries are built as they are written, in parallel batches, so a large graph is
/// never held twice in memory.
pub struct Output<'a> {
    g: &'a Generated,
    s: &'a Settings,
    opts: &'a Options,
    /// Each job's taskId, by position in the graph.
    ids: Vec<String>,
    index: HashMap<&'a str, usize, FastHash>,
    group: String,
    created: String,
    active: Vec<Planned<'a>>,
    inactive: Vec<Planned<'a>>,
}

/// One job that passed every check, with what those checks worked out.
struct Planned<'a> {
    job: &'a Job,
    requires: &'static str,
    queue: &'a str,
    pool: Option<&'a crate::tasks::Pool>,
    routes: Vec<String>,
    /// What the notifications watching the task say (`extra.notify`).
    notify: Option<Value>,
}

/// An entry as serialized: built from its plan when written.
struct Lazy<'o, 'a> {
    out: &'o Output<'a>,
    plan: &'o Planned<'a>,
}

impl Serialize for Lazy<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        self.out.entry(self.plan).serialize(ser)
    }
}

impl Output<'_> {
    /// Writes the submission: label → entry, in submission order, ending in a newline.
    pub fn write_active(&self, w: &mut dyn Write) -> io::Result<()> {
        self.write(&self.active, w)
    }

    /// Writes the inactive jobs, in the same shape.
    pub fn write_inactive(&self, w: &mut dyn Write) -> io::Result<()> {
        self.write(&self.inactive, w)
    }

    fn write(&self, plans: &[Planned], w: &mut dyn Write) -> io::Result<()> {
        let entries: Vec<(&str, Lazy)> = plans
            .iter()
            .map(|plan| (plan.job.label.as_str(), Lazy { out: self, plan }))
            .collect();
        crate::emit::pretty::write_map(w, &entries, 0)?;
        w.write_all(b"\n")
    }

    fn entry<'o>(&'o self, plan: &'o Planned) -> Entry<'o> {
        let (g, s, job) = (self.g, self.s, plan.job);
        let id = |label: &str| &self.ids[self.index[label]];
        let upstream = |label: &str| -> (&str, &Job) {
            let i = self.index[label];
            (self.ids[i].as_str(), &*g.graph.jobs[i])
        };
        let built_in = plan.queue.starts_with("built-in/");
        let cx = payload::Context {
            upstream: &upstream,
            root_url: &s.root_url,
        };
        let mut taskgen_extra = json!({
            "label": job.label, "graph": job.graph, "branch": g.branch, "trigger": g.trigger,
            "definitions_sha": g.definitions_sha, "source": job.source, "placed_at": job.placed_at,
        });
        let implementation = match plan.pool.map(|p| &p.implementation) {
            Some(i) => Some(i.name()),
            None if built_in => Some("built-in".to_owned()),
            None => None,
        };
        if let Some(i) = implementation {
            taskgen_extra["implementation"] = json!(i);
        }
        // On a built-in queue the payload is empty: what a special job means goes here.
        if let (true, Some(what)) = (built_in, payload::special(job)) {
            taskgen_extra[job.job_type.name()] = what;
        }
        let deadline = self.opts.now_ms + job.timeouts.request_s as i64 * 1000;
        let mut extra = json!({"taskgen": taskgen_extra});
        if let Some(th) = payload::treeherder(job) {
            extra["treeherder"] = th;
        }
        if let Some(n) = &plan.notify {
            extra["notify"] = n.clone();
        }
        let task = json!({
            "taskQueueId": plan.queue,
            "schedulerId": s.scheduler_id.value,
            "projectId": s.project_id.value,
            "taskGroupId": self.group,
            "dependencies": job.dependencies.iter().map(|d| id(&d.label)).collect::<Vec<_>>(),
            "requires": plan.requires,
            "routes": plan.routes,
            "priority": if job.priority == "normal" { "lowest" } else { job.priority.as_str() },
            "retries": job.retries,
            "created": self.created,
            "deadline": time::format(deadline),
            "expires": time::format(deadline + s.expires_after_ms),
            "scopes": job.scopes,
            "payload": payload::with_task_ids(payload::payload(job, plan.pool, built_in, &cx), &|l| {
                self.index.get(l).map(|&i| self.ids[i].clone())
            }),
            "metadata": {
                "name": job.label.chars().take(255).collect::<String>(),
                "description": job.description.clone().unwrap_or_else(|| job.label.clone()),
                "owner": s.owner,
                "source": source_url(s, &job.source),
            },
            "tags": {"kind": job.kind, "label": job.label, "graph": job.graph, "type": job.job_type.name()},
            "extra": extra,
        });
        let mut attributes: IndexMap<String, Value> = job.attributes.clone();
        attributes.insert("kind".into(), json!(job.kind));
        attributes.insert("graph".into(), json!(job.graph));
        Entry {
            kind: &job.kind,
            label: &job.label,
            description: job.description.as_deref().unwrap_or(""),
            attributes,
            dependencies: job
                .dependencies
                .iter()
                .map(|d| (d.label.as_str(), d.label.as_str()))
                .collect(),
            soft_dependencies: [],
            if_dependencies: [],
            optimization: None,
            task_id: id(&job.label).clone(),
            task,
        }
    }
}

#[derive(Serialize)]
struct Entry<'a> {
    kind: &'a str,
    label: &'a str,
    description: &'a str,
    attributes: IndexMap<String, Value>,
    dependencies: IndexMap<&'a str, &'a str>,
    soft_dependencies: [&'a str; 0],
    if_dependencies: [&'a str; 0],
    optimization: Option<()>,
    task_id: String,
    task: Value,
}

fn source_url(s: &Settings, location: &str) -> String {
    let (path, line) = location
        .rsplit_once(':')
        .and_then(|(rest, _col)| rest.rsplit_once(':'))
        .unwrap_or((location, "1"));
    format!("{}{path}#l{line}", s.source_base)
}

/// Lowers the generated graph to Taskcluster task definitions, checking every job (in
/// parallel) and reporting every problem before anything is written.
pub fn lower<'a>(
    g: &'a Generated,
    s: &'a Settings,
    opts: &'a Options,
) -> Result<Output<'a>, Failure> {
    let mut sink = Sink::default();
    let jobs = &g.graph.jobs;
    let ids: Vec<String> = jobs
        .par_iter()
        .map(|j| slugid::derive(&opts.seed, &j.label))
        .collect();
    let index = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.label.as_str(), i))
        .collect();
    // Notifications put their routes on the tasks they watch.
    let (routes, unexpressed) = notified_routes(&g.graph);
    unexpressed.into_iter().for_each(|d| sink.push(d));
    let planned: Vec<(Option<Planned>, Vec<Diagnostic>)> = jobs
        .par_iter()
        .zip(&g.graph.meta)
        .map(|(job, meta)| plan(job, meta, s, routes.get(job.label.as_str())))
        .collect();
    let (mut active, mut inactive) = (Vec::new(), Vec::new());
    for (p, found) in planned {
        found.into_iter().for_each(|d| sink.push(d));
        match p {
            Some(p) if p.job.active => active.push(p),
            Some(p) => inactive.push(p),
            None => {}
        }
    }
    sink.finish(Output {
        g,
        s,
        opts,
        ids,
        index,
        group: slugid::derive(&opts.seed, "taskGroupId"),
        created: time::format(opts.now_ms),
        active,
        inactive,
    })
}

/// Checks one job for Taskcluster: its plan, or why it cannot be expressed.
fn plan<'a>(
    job: &'a Job,
    meta: &JobMeta,
    s: &'a Settings,
    notified: Option<&Vec<crate::tasks::Notified>>,
) -> (Option<Planned<'a>>, Vec<Diagnostic>) {
    let mut sink = Sink::default();
    if job.timeouts.request_s as i64 * 1000 > MAX_DEADLINE_MS {
        sink.push(
            Diagnostic::error(
                diag::REQUEST_TIMEOUT_TOO_LONG,
                format!("`{}` may wait more than Taskcluster's 5 days", job.label),
            )
            .at(
                meta.field("request_timeout")
                    .map_or(meta.node, |(sp, _)| sp),
                "too long",
            ),
        );
        return (None, sink.diagnostics);
    }
    let expiry = sink.ok(request_timeout(job, meta));
    let (Some(requires), Some(queue), Some(())) = (
        sink.ok(requires(job, meta)),
        sink.ok(queue(job, meta, s)),
        expiry,
    ) else {
        return (None, sink.diagnostics);
    };
    let routes = crate::tasks::routes(job, notified);
    let notify = crate::tasks::notify_extra(notified);
    if routes.len() > 64 {
        sink.push(
            Diagnostic::error(
                diag::TOO_MANY_ROUTES,
                format!(
                    "`{}` has {} routes with its notifications, more than Taskcluster's 64",
                    job.label,
                    routes.len()
                ),
            )
            .at(meta.label, "this job"),
        );
        return (None, sink.diagnostics);
    }
    let pool = crate::tasks::pool_entry(job, meta, s);
    let planned = Planned {
        job,
        requires,
        queue,
        pool,
        routes,
        notify,
    };
    (Some(planned), sink.diagnostics)
}
