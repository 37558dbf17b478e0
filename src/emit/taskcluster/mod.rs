//! `--format taskcluster`: label → entry, each `task` a complete createTask body, in
//! submission order. How each part of a job lowers is documented in docs/output.md.

mod settings;
pub mod slugid;
pub mod time;

use std::collections::HashMap;
use std::io::{self, Write};

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

pub use settings::{Settings, settings};

use crate::defs::values::{Condition, JobType, Status};
use crate::diag::{self, Diagnostic, Failure, Sink, backticked};
use crate::expand::{Job, JobMeta};
use crate::load::FastHash;
use crate::pipeline::Generated;

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
    routes: Vec<String>,
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
        let deadline = self.opts.now_ms + job.timeouts.request_s as i64 * 1000;
        let task = json!({
            "taskQueueId": plan.queue,
            "schedulerId": s.scheduler_id,
            "projectId": s.project_id,
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
            "payload": payload(job),
            "metadata": {
                "name": job.label.chars().take(255).collect::<String>(),
                "description": job.description.clone().unwrap_or_else(|| job.label.clone()),
                "owner": s.owner,
                "source": source_url(s, &job.source),
            },
            "tags": {"kind": job.kind, "label": job.label, "graph": job.graph, "type": job.job_type.name()},
            "extra": {"taskgen": {
                "label": job.label, "graph": job.graph, "branch": g.branch, "trigger": g.trigger,
                "definitions_sha": g.definitions_sha, "source": job.source, "placed_at": job.placed_at,
            }},
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

const MAX_DEADLINE_MS: i64 = 5 * 86_400_000;

/// Taskcluster's `requires` for a job's dependencies, or why it has none.
pub fn requires(job: &Job, meta: &JobMeta) -> Result<&'static str, Diagnostic> {
    let completed = |c: Condition| {
        c.statuses()
            .all(|s| matches!(s, Status::Success | Status::Warnings))
            && c.intersects(Condition::SUCCESS)
    };
    let mut kinds = Vec::new();
    for (dep, &span) in job.dependencies.iter().zip(&meta.dependencies) {
        let kind = if dep.on == Condition::FINISHED {
            "all-resolved"
        } else if completed(dep.on) {
            "all-completed"
        } else {
            let on = backticked(dep.on.statuses().map(Status::name));
            return Err(Diagnostic::error(
                diag::TASKCLUSTER_CANNOT_EXPRESS,
                format!("Taskcluster cannot express `{}` waiting for `{}` on {on}", job.label, dep.label),
            )
            .at(span, "this condition")
            .help("Taskcluster runs a task when all its dependencies completed (`success`) or all resolved (`finished`); a job that reacts to failure needs `finished` and must look at its upstream itself"));
        };
        kinds.push((kind, span, &dep.label));
    }
    let Some(&(first, _, _)) = kinds.first() else {
        return Ok("all-completed");
    };
    if let Some(&(_, span, label)) = kinds.iter().find(|(k, _, _)| *k != first) {
        return Err(Diagnostic::error(
            diag::TASKCLUSTER_CANNOT_EXPRESS,
            format!("Taskcluster cannot express `{}` waiting for some dependencies to succeed and others to finish", job.label),
        )
        .at(span, format!("`{label}` differs from the other conditions"))
        .help("`requires` applies to all of a task's dependencies: use one condition, or wait on a milestone"));
    }
    Ok(first)
}

/// Taskcluster resolves a task whose deadline passes as `exception`: it has no `skip-success`.
pub fn request_timeout(job: &Job, meta: &JobMeta) -> Result<(), Diagnostic> {
    if job.timeouts.on_request_timeout != "skip-success" {
        return Ok(());
    }
    let at = meta
        .field("on_request_timeout")
        .map_or(meta.label, |(s, _)| s);
    Err(Diagnostic::error(
        diag::TASKCLUSTER_CANNOT_EXPRESS,
        format!("Taskcluster cannot express `{}` succeeding when it expires", job.label),
    )
    .at(at, "`skip-success`")
    .help("a Taskcluster task that reaches its deadline resolves as `exception`; use `skip-failure`, and let downstream jobs wait for `finished`"))
}

/// Notify routes a notification job puts on each of its upstream tasks.
pub fn notify_routes(job: &Job, meta: &JobMeta) -> Result<Vec<String>, Diagnostic> {
    let Some(n) = &job.notification else {
        return Ok(Vec::new());
    };
    let kind = match n.channel.as_str() {
        "email" => "email",
        "irc" => "irc-channel",
        "matrix" => "matrix-room",
        "pulse" => "pulse",
        other => {
            return Err(Diagnostic::error(
                diag::TASKCLUSTER_CANNOT_EXPRESS,
                format!(
                    "Taskcluster has no `{other}` notifications (`{}`)",
                    job.label
                ),
            )
            .at(meta.label, "this notification")
            .help("use `email`, `irc`, `matrix` or `pulse`"));
        }
    };
    let mut events: Vec<&str> = Vec::new();
    if n.on == Condition::FINISHED {
        events.push("on-resolved");
    } else {
        for s in n.on.statuses() {
            events.push(match s {
                Status::Success => "on-completed",
                Status::Failure => "on-failed",
                Status::Exception | Status::TimedOut => "on-exception",
                other => {
                    return Err(Diagnostic::error(
                        diag::TASKCLUSTER_CANNOT_EXPRESS,
                        format!("Taskcluster cannot notify on `{}` (`{}`)", other.name(), job.label),
                    )
                    .at(meta.label, "this notification")
                    .help("notify `on` success, failure, exception, timed-out, unsuccessful or finished"));
                }
            });
        }
    }
    events.dedup();
    Ok(events
        .iter()
        .map(|e| format!("notify.{kind}.{}.{e}", n.target))
        .collect())
}

fn queue<'a>(job: &Job, meta: &JobMeta, s: &'a Settings) -> Result<&'a str, Diagnostic> {
    Ok(match job.job_type {
        JobType::Task => {
            let pool = job
                .worker
                .as_ref()
                .and_then(|w| w.get("pool"))
                .and_then(Value::as_str);
            let at = meta.field("worker").map_or(meta.node, |(sp, _)| sp);
            let Some(pool) = pool else {
                return Err(Diagnostic::error(
                    diag::MISSING_KEY,
                    format!("task `{}` names no `worker.pool`", job.label),
                )
                .at(at, "add `worker: {pool: ...}`"));
            };
            &s.pools
                .get(pool)
                .ok_or_else(|| settings::unknown_pool(pool, s, at))?
                .task_queue_id
        }
        JobType::Dummy if job.result.is_some_and(|r| r != Status::Success) => &s.queues.fail,
        JobType::Dummy => &s.queues.dummy,
        JobType::Breakpoint => &s.queues.breakpoint,
        JobType::Timer => &s.queues.timer,
        JobType::Notification => &s.queues.notification,
    })
}

fn payload(job: &Job) -> Value {
    match job.job_type {
        JobType::Task => {
            let mut p = json!({"maxRunTime": job.timeouts.max_runtime_s});
            if let Some(c) = &job.command {
                p["command"] = json!(c);
            }
            if !job.env.is_empty() {
                p["env"] = json!(job.env);
            }
            if !job.artifacts.produces.is_empty() {
                let artifacts: IndexMap<&str, Value> = job
                    .artifacts
                    .produces
                    .iter()
                    .map(|(name, path)| (name.as_str(), json!({"type": "file", "path": path})))
                    .collect();
                p["artifacts"] = json!(artifacts);
            }
            if let Some(Value::Object(extra)) = job.payload.as_deref() {
                for (k, v) in extra {
                    p[k] = v.clone();
                }
            }
            p
        }
        JobType::Breakpoint => {
            json!({"acl": job.breakpoint.as_ref().map(|b| &b.acl), "timeout": job.timeouts.request_s})
        }
        JobType::Timer => json!(job.timer),
        JobType::Notification => json!(job.notification),
        JobType::Dummy => json!({}),
    }
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
    if !s.source_base.starts_with("https://") && !s.source_base.starts_with("http://") {
        sink.push(
            Diagnostic::error(
                diag::INVALID_VALUE,
                format!(
                    "`taskcluster.source_base` must be an http(s) URL, not `{}`",
                    s.source_base
                ),
            )
            .at(s.config, "in this file"),
        );
    }
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
    let mut routes: HashMap<&str, Vec<String>, FastHash> = HashMap::default();
    for (job, meta) in jobs.iter().zip(&g.graph.meta) {
        match notify_routes(job, meta) {
            Ok(rs) if !rs.is_empty() => {
                for dep in &job.dependencies {
                    routes
                        .entry(dep.label.as_str())
                        .or_default()
                        .extend(rs.iter().cloned());
                }
            }
            Ok(_) => {}
            Err(d) => sink.push(d),
        }
    }
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
    notified: Option<&Vec<String>>,
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
    let mut routes: Vec<String> = job.routes.clone();
    for r in notified.into_iter().flatten() {
        if !routes.contains(r) {
            routes.push(r.clone());
        }
    }
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
    let planned = Planned {
        job,
        requires,
        queue,
        routes,
    };
    (Some(planned), sink.diagnostics)
}
