//! What each job finally is on Taskcluster: the queue it runs on, the routes it carries
//! (its own and those its notifications put on it), and the scheduler and project of its
//! branch, from the `taskcluster:` and `worker_pools:` settings of `taskgraph/config.yml`.
//! The trust policy's rules and the Taskcluster output both read it, so what the policy checks
//! is what is submitted.

mod settings;

use std::collections::HashMap;

use serde_json::Value;

pub use settings::{Implementation, Pool, Queues, Settings, settings, unknown_pool};

use crate::defs::keys::Spanned;
use crate::defs::values::{Condition, JobType, Status};
use crate::diag::{self, Diagnostic, backticked};
use crate::expand::{Job, JobMeta};
use crate::graph::TaskGraph;
use crate::load::FastHash;

/// Taskcluster's longest deadline after a task's creation.
pub const MAX_DEADLINE_MS: i64 = 5 * 86_400_000;

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

/// The worker pool a task names, if it names one: `worker.pool`, a string naming a key of
/// `worker_pools`. Anything else is an error in every command; naming none is one only where a
/// queue is needed (Taskcluster output).
pub fn pool<'a>(
    job: &'a Job,
    meta: &JobMeta,
    s: &'a Settings,
) -> Result<Option<&'a str>, Diagnostic> {
    let at = worker_span(meta);
    match job.worker.as_ref().and_then(|w| w.get("pool")) {
        None => Ok(None),
        Some(Value::String(p)) if s.pools.contains_key(p) => Ok(Some(p)),
        Some(Value::String(p)) => {
            let mut d = unknown_pool(p, s, at);
            d.code = diag::INVALID_WORKER_POOL;
            Err(d)
        }
        Some(other) => Err(Diagnostic::error(
            diag::INVALID_WORKER_POOL,
            format!(
                "`worker.pool` of `{}` is {}, not the name of a worker pool",
                job.label,
                json_kind(other)
            ),
        )
        .at(at, "`pool` must be a string")
        .help("name one of the `worker_pools` of `taskgraph/config.yml`")),
    }
}

/// The `worker_pools` entry of a task's `worker.pool`, when it names one (errors are TG408's).
pub fn pool_entry<'a>(job: &Job, meta: &JobMeta, s: &'a Settings) -> Option<&'a Pool> {
    pool(job, meta, s)
        .ok()
        .flatten()
        .and_then(|p| s.pools.get(p))
}

/// Where a job's `worker` is written, else the node that placed it.
fn worker_span(meta: &JobMeta) -> crate::load::Span {
    meta.field("worker").map_or(meta.node, |(sp, _)| sp)
}

/// The task queue a job runs on: its pool's, or the configured queue of its special type.
pub fn queue<'a>(job: &'a Job, meta: &JobMeta, s: &'a Settings) -> Result<&'a str, Diagnostic> {
    match queue_setting(job, s) {
        Some(q) => Ok(&q.value),
        None => match pool(job, meta, s)? {
            Some(p) => Ok(&s.pools[p].queue),
            None => Err(Diagnostic::error(
                diag::INVALID_WORKER_POOL,
                format!("task `{}` names no `worker.pool`", job.label),
            )
            .at(worker_span(meta), "add `worker: {pool: ...}`")),
        },
    }
}

/// The `taskcluster.queues` entry a special job type runs on; `None` for a task.
pub fn queue_setting<'a>(job: &Job, s: &'a Settings) -> Option<&'a Spanned<String>> {
    Some(match job.job_type {
        JobType::Task => return None,
        JobType::Dummy if job.result.is_some_and(|r| r != Status::Success) => &s.queues.fail,
        JobType::Dummy => &s.queues.dummy,
        JobType::Breakpoint => &s.queues.breakpoint,
        JobType::Timer => &s.queues.timer,
        JobType::Notification => &s.queues.notification,
    })
}

/// A route a notification puts on a task it watches, and where that notification is placed.
#[derive(Debug, Clone)]
pub struct Notified {
    pub route: String,
    pub by: crate::load::Span,
    /// The notification's channel and message, for `extra.notify`.
    pub channel: String,
    pub message: Option<String>,
}

/// The routes notification jobs put on the tasks they watch, by watched label, and why a
/// notification Taskcluster cannot express puts none.
pub fn notified_routes(g: &TaskGraph) -> (HashMap<&str, Vec<Notified>, FastHash>, Vec<Diagnostic>) {
    let mut routes: HashMap<&str, Vec<Notified>, FastHash> = HashMap::default();
    let mut unexpressed = Vec::new();
    for (job, meta) in g.jobs.iter().zip(&g.meta) {
        if job.notification.is_none() {
            continue;
        }
        let rs = match notify_routes(job, meta) {
            Ok(rs) => rs,
            Err(d) => {
                unexpressed.push(d);
                continue;
            }
        };
        for dep in &job.dependencies {
            let list = routes.entry(dep.label.as_str()).or_default();
            for r in &rs {
                if !list.iter().any(|n| &n.route == r) {
                    let n = job.notification.as_deref();
                    list.push(Notified {
                        route: r.clone(),
                        by: meta.label,
                        channel: n.map(|n| n.channel.clone()).unwrap_or_default(),
                        message: n.and_then(|n| n.message.clone()),
                    });
                }
            }
        }
    }
    (routes, unexpressed)
}

/// The message each channel sends about a watched task (`extra.notify`, which the notify
/// service reads): the first notification's message per channel.
pub fn notify_extra(notified: Option<&Vec<Notified>>) -> Option<Value> {
    let mut out = serde_json::Map::new();
    for n in notified.into_iter().flatten() {
        let Some(message) = &n.message else { continue };
        let (key, value) = match n.channel.as_str() {
            "email" => (
                "email",
                serde_json::json!({"subject": message, "content": message}),
            ),
            "irc" => ("ircChannelMessage", Value::String(message.clone())),
            "matrix" => ("matrixBody", Value::String(message.clone())),
            _ => continue,
        };
        out.entry(key).or_insert(value);
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// A job's routes as submitted: its own, then those its notifications add.
pub fn routes(job: &Job, notified: Option<&Vec<Notified>>) -> Vec<String> {
    let mut routes = job.routes.clone();
    for n in notified.into_iter().flatten() {
        if !routes.contains(&n.route) {
            routes.push(n.route.clone());
        }
    }
    routes
}

/// What a JSON value is, for messages.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
