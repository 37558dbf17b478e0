//! A task's payload, in the shape its pool's worker implementation takes (docs/output.md):
//!
//! - docker-worker: `image`, `command` (one list), `env`, `maxRunTime`, and `artifacts` as a
//!   map from the artifact's name to `{type, path}` under `/builds/worker/artifacts/`;
//! - generic-worker: `command` as a list of command lines (on Windows each a string), `env`,
//!   `maxRunTime`, and
//!   `artifacts` as a list of `{type, path, name}` under the task directory's `artifacts/`;
//! - scriptworker: `upstreamArtifacts`, one `{taskId, taskType, paths}` per producing task
//!   (with the job's `payload.formats` or `payload.locale` in each), and the job's `payload`;
//! - built-in: `{}`.
//!
//! Consumers on docker- and generic-worker find their upstream artifacts in the environment:
//! `TASKGEN_UPSTREAM_ARTIFACTS`, a JSON list of `{artifact, label, taskId, path, url}`.

use indexmap::IndexMap;
use serde_json::{Value, json};

use crate::defs::values::JobType;
use crate::expand::Job;
use crate::tasks::{Implementation, Pool};

/// Where a docker-worker task writes what it uploads.
const DOCKER_ARTIFACTS: &str = "/builds/worker/artifacts/";
/// Where a generic-worker task writes what it uploads, relative to its task directory.
const GENERIC_ARTIFACTS: &str = "artifacts/";

/// What the payload needs from the rest of the graph.
pub struct Context<'a> {
    /// The task ID and the job, by label.
    pub upstream: &'a dyn Fn(&str) -> (&'a str, &'a Job),
    pub root_url: &'a str,
}

/// Each resolved reference: the consumed `<kind>.<name>`, the producer's label, its task ID,
/// kind, and the artifact's name there.
fn references<'j, 'c: 'j>(
    job: &'j Job,
    cx: &'j Context<'c>,
) -> impl Iterator<Item = (&'j str, &'j str, &'j str, &'j str, &'j str)> {
    job.artifacts
        .upstream
        .iter()
        .flat_map(move |(reference, labels)| {
            let name = reference.split_once('.').map_or("", |(_, n)| n);
            labels.iter().filter_map(move |label| {
                let (task_id, producer) = (cx.upstream)(label);
                let path = producer.artifacts.produces.get(name)?;
                Some((
                    reference.as_str(),
                    label.as_str(),
                    task_id,
                    producer.kind.as_str(),
                    path.as_str(),
                ))
            })
        })
}

/// The file an artifact name is written to, below the implementation's artifact directory,
/// and whether it is a directory (`public/build/l10n/`).
fn local(name: &str) -> (&str, &'static str) {
    let rest = name.strip_prefix("public/").unwrap_or(name);
    match rest.strip_suffix('/') {
        Some(dir) => (dir, "directory"),
        None => (rest, "file"),
    }
}

fn artifact_name(name: &str) -> &str {
    name.strip_suffix('/').unwrap_or(name)
}

/// The consumer's upstream artifacts, for its environment.
fn upstream_env(job: &Job, cx: &Context) -> Option<String> {
    if job.artifacts.upstream.is_empty() {
        return None;
    }
    let list: Vec<Value> = references(job, cx)
        .map(|(artifact, label, task_id, _, path)| {
            json!({
                "artifact": artifact,
                "label": label,
                "taskId": task_id,
                "path": path,
                "url": format!("{}/api/queue/v1/task/{task_id}/artifacts/{path}", cx.root_url),
            })
        })
        .collect();
    Some(Value::Array(list).to_string())
}

/// The job's own `payload` keys, on top of the lowered ones.
fn extra(job: &Job, p: &mut Value, skip: &[&str]) {
    if let Some(Value::Object(extra)) = job.payload.as_deref() {
        for (k, v) in extra.iter().filter(|(k, _)| !skip.contains(&k.as_str())) {
            p[k] = v.clone();
        }
    }
}

fn env(job: &Job, cx: &Context) -> IndexMap<String, String> {
    let mut env = job.env.clone();
    if let Some(refs) = upstream_env(job, cx) {
        env.insert("TASKGEN_UPSTREAM_ARTIFACTS".into(), refs);
    }
    env
}

/// docker-worker's payload; `image` is the job's `worker.image`, else the pool's.
fn docker(job: &Job, pool: &Pool, cx: &Context) -> Value {
    let image = job
        .worker
        .as_ref()
        .and_then(|w| w.get("image"))
        .and_then(Value::as_str)
        .or(pool.image.as_deref())
        .unwrap_or_default();
    let mut p = json!({"image": image, "maxRunTime": job.timeouts.max_runtime_s});
    if let Some(c) = &job.command {
        p["command"] = json!(c);
    }
    let env = env(job, cx);
    if !env.is_empty() {
        p["env"] = json!(env);
    }
    if !job.artifacts.produces.is_empty() {
        let artifacts: IndexMap<&str, Value> = job
            .artifacts
            .produces
            .values()
            .map(|name| {
                let (path, kind) = local(name);
                (
                    artifact_name(name),
                    json!({"type": kind, "path": format!("{DOCKER_ARTIFACTS}{path}")}),
                )
            })
            .collect();
        p["artifacts"] = json!(artifacts);
    }
    extra(job, &mut p, &[]);
    p
}

/// One Windows command line: arguments joined by spaces, those with spaces or quotes quoted.
fn command_line(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if a.is_empty() || a.contains([' ', '\t', '"']) {
                format!("\"{}\"", a.replace('"', "\\\""))
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// generic-worker's payload: the command is one command line (POSIX: a list of arguments;
/// Windows: a string).
fn generic(job: &Job, windows: bool, cx: &Context) -> Value {
    let args = job.command.clone().unwrap_or_default();
    let command = if windows {
        json!([command_line(&args)])
    } else {
        json!([args])
    };
    let mut p = json!({"command": command, "maxRunTime": job.timeouts.max_runtime_s});
    let env = env(job, cx);
    if !env.is_empty() {
        p["env"] = json!(env);
    }
    if !job.artifacts.produces.is_empty() {
        let artifacts: Vec<Value> = job
            .artifacts
            .produces
            .values()
            .map(|name| {
                let (path, kind) = local(name);
                json!({"type": kind, "path": format!("{GENERIC_ARTIFACTS}{path}"), "name": artifact_name(name)})
            })
            .collect();
        p["artifacts"] = json!(artifacts);
    }
    extra(job, &mut p, &[]);
    p
}

/// A scriptworker's payload: what it works on, by producing task.
fn script(job: &Job, cx: &Context) -> Value {
    let per_entry: Vec<(&str, Value)> = ["formats", "locale"]
        .into_iter()
        .filter_map(|k| Some((k, job.payload.as_deref()?.get(k)?.clone())))
        .collect();
    let mut by_task: IndexMap<&str, (&str, Vec<&str>)> = IndexMap::new();
    for (_, _, task_id, kind, path) in references(job, cx) {
        let (_, paths) = by_task.entry(task_id).or_insert((kind, Vec::new()));
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    let upstream: Vec<Value> = by_task
        .into_iter()
        .map(|(task_id, (kind, paths))| {
            let mut e = json!({"taskId": task_id, "taskType": kind, "paths": paths});
            for (k, v) in &per_entry {
                e[*k] = v.clone();
            }
            e
        })
        .collect();
    let mut p = json!({"maxRunTime": job.timeouts.max_runtime_s});
    if !upstream.is_empty() {
        p["upstreamArtifacts"] = json!(upstream);
    }
    extra(job, &mut p, &["formats", "locale"]);
    p
}

/// The payload of a task on `pool`; special job types on built-in queues take `{}` (what
/// they mean goes to `extra`), elsewhere their own fields.
pub fn payload(job: &Job, pool: Option<&Pool>, built_in: bool, cx: &Context) -> Value {
    match (job.job_type, pool.map(|p| &p.implementation)) {
        (JobType::Task, Some(Implementation::DockerWorker)) => docker(job, pool.unwrap(), cx),
        (JobType::Task, Some(Implementation::GenericWorker { windows })) => {
            generic(job, *windows, cx)
        }
        (JobType::Task, Some(Implementation::Scriptworker { .. })) => script(job, cx),
        (JobType::Task, Some(Implementation::BuiltIn) | None) => json!({}),
        _ if built_in => json!({}),
        _ => special(job).unwrap_or_else(|| json!({})),
    }
}

/// The payload with every `<task-id:LABEL>` filled in (`crate::graph::artifacts`).
pub fn with_task_ids(mut p: Value, id: &dyn Fn(&str) -> Option<String>) -> Value {
    fn walk(v: &mut Value, id: &dyn Fn(&str) -> Option<String>) {
        match v {
            Value::String(s) if s.contains(crate::graph::artifacts::TASK_ID_OPEN) => {
                *s = crate::graph::artifacts::fill_task_ids(s, id);
            }
            Value::Array(a) => a.iter_mut().for_each(|v| walk(v, id)),
            Value::Object(m) => m.values_mut().for_each(|v| walk(v, id)),
            _ => {}
        }
    }
    walk(&mut p, id);
    p
}

/// Treeherder's `extra.treeherder` from the job's `treeherder` field: `symbol`, `group`
/// (`groupSymbol`), `collection` (`{opt: true}`), `platform` (`machine.platform`) and `tier`.
pub fn treeherder(job: &Job) -> Option<Value> {
    let t = job.treeherder.as_deref()?.as_object()?;
    let mut out = json!({});
    if let Some(s) = t.get("symbol") {
        out["symbol"] = s.clone();
    }
    if let Some(g) = t.get("group") {
        out["groupSymbol"] = g.clone();
    }
    if let Some(Value::String(c)) = t.get("collection") {
        out["collection"] = json!({c.as_str(): true});
    }
    if let Some(p) = t.get("platform") {
        out["machine"] = json!({"platform": p});
    }
    if let Some(tier) = t.get("tier") {
        out["tier"] = tier.clone();
    }
    Some(out)
}

/// What a breakpoint, timer or notification says, for the service that resolves it.
pub fn special(job: &Job) -> Option<Value> {
    match job.job_type {
        JobType::Breakpoint => Some(
            json!({"acl": job.breakpoint.as_ref().map(|b| &b.acl), "timeout": job.timeouts.request_s}),
        ),
        JobType::Timer => Some(json!(job.timer)),
        JobType::Notification => Some(json!(job.notification)),
        JobType::Dummy | JobType::Task => None,
    }
}
