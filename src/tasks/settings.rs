//! The `taskcluster:` and `worker_pools:` settings of `taskgraph/config.yml`, rendered for one
//! branch and checked against the forms the Taskcluster queue accepts. Each value keeps the
//! span it was written at, so that the trust policy can point at it.

use indexmap::IndexMap;

use crate::branch::Branch;
use crate::defs::Defs;
use crate::defs::keys::{Spanned, check_keys, expect_map, suggestion};
use crate::defs::shape::config::{IMPLEMENTATIONS, POOL, QUEUES, SCRIPTS, TASKCLUSTER};
use crate::defs::values::parse_duration;
use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::load::{Node, Sources, Span};
use crate::render::{Renderer, Scope, environment, fuel, text, to_value};

/// Where the jobs that run on no worker go, as task queue IDs.
#[derive(Debug, Clone)]
pub struct Queues {
    pub dummy: Spanned<String>,
    pub fail: Spanned<String>,
    pub breakpoint: Spanned<String>,
    pub timer: Spanned<String>,
    pub notification: Spanned<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub scheduler_id: Spanned<String>,
    pub project_id: Spanned<String>,
    pub owner: String,
    pub source_base: String,
    pub expires_after_ms: i64,
    pub queues: Queues,
    /// Each worker pool, by name.
    pub pools: IndexMap<String, Pool>,
    /// The deployment's root URL: consumers find their upstream artifacts under it.
    pub root_url: String,
}

/// What runs a pool's tasks, and so the shape of their payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Implementation {
    /// docker-worker: a container `image`, one command, artifacts by name.
    DockerWorker,
    /// generic-worker (multiuser), on POSIX or on Windows: command lines, artifacts listed.
    GenericWorker { windows: bool },
    /// A scriptworker script (`signingscript`, `balrogscript`, `beetmoverscript`): no command,
    /// the artifacts it works on as `upstreamArtifacts`.
    Scriptworker { script: String },
    /// `built-in/succeed` and `built-in/fail`: an empty payload.
    BuiltIn,
}

impl Implementation {
    /// `docker-worker`, `generic-worker/posix`, `scriptworker/signingscript`, `built-in`.
    pub fn name(&self) -> String {
        match self {
            Implementation::DockerWorker => "docker-worker".into(),
            Implementation::GenericWorker { windows: true } => "generic-worker/windows".into(),
            Implementation::GenericWorker { windows: false } => "generic-worker/posix".into(),
            Implementation::Scriptworker { script } => format!("scriptworker/{script}"),
            Implementation::BuiltIn => "built-in".into(),
        }
    }
}

/// One entry of `worker_pools`.
#[derive(Debug, Clone)]
pub struct Pool {
    /// `provisioner/worker-type`.
    pub queue: String,
    pub implementation: Implementation,
    /// docker-worker: the image a job runs in unless its `worker.image` says otherwise.
    pub image: Option<String>,
}

/// A value that takes its default when the tree does not set it.
fn default(value: &str) -> Spanned<String> {
    Spanned {
        value: value.to_owned(),
        span: Span::none(),
    }
}

/// Whether `s` is 1 to `max` characters, each ASCII alphanumeric or one of `extra`.
fn identifier(s: &str, max: usize, extra: &str) -> bool {
    (1..=max).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// Whether `s` is a task queue ID (`provisioner/worker-type`) as the queue's schema says.
pub fn is_task_queue_id(s: &str) -> bool {
    let Some((p, w)) = s.split_once('/') else {
        return false;
    };
    let worker_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    identifier(p, 38, "-_")
        && (1..=38).contains(&w.len())
        && w.starts_with(|c: char| c.is_ascii_lowercase())
        && !w.ends_with('-')
        && w.chars().all(worker_char)
}

/// What each setting must look like, or why it does not.
fn check_form(key: &str, v: &str) -> Result<(), String> {
    let plain = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    let ok = match key {
        "scheduler_id" => identifier(v, 38, "-_"),
        "project_id" => identifier(v, 500, "._/-"),
        "owner" => {
            plain(v) && v.split('@').count() == 2 && !v.starts_with('@') && !v.ends_with('@')
        }
        "source_base" | "root_url" => {
            plain(v) && (v.starts_with("https://") || v.starts_with("http://"))
        }
        _ => is_task_queue_id(v),
    };
    if ok {
        return Ok(());
    }
    Err(match key {
        "scheduler_id" => "a scheduler ID is 1 to 38 letters, digits, `-` or `_`",
        "project_id" => "a project ID is 1 to 500 letters, digits, `.`, `_`, `/` or `-`",
        "owner" => "the owner is an email address",
        "source_base" | "root_url" => "an http(s) URL without spaces",
        _ => "a task queue ID is `provisioner/worker-type` (lowercase worker type)",
    }
    .to_owned())
}

/// Renders the settings for `branch` and the run's `params`, reporting every problem.
pub fn settings(
    defs: &Defs,
    branch: &Branch,
    params: &minijinja::Value,
    sources: &Sources,
) -> Result<Settings, Failure> {
    fuel::budgeted(fuel::PER_GRAPH, || {
        settings_within(defs, branch, params, sources)
    })
    .0
}

fn settings_within(
    defs: &Defs,
    branch: &Branch,
    params: &minijinja::Value,
    sources: &Sources,
) -> Result<Settings, Failure> {
    let env = environment();
    let mut r = Renderer::new(&env, sources);
    let mut sink = Sink::default();
    let nodes: Vec<&Node> = defs
        .config
        .taskcluster
        .iter()
        .chain(&defs.config.worker_pools)
        .collect();
    nodes.iter().for_each(|n| r.prepare(n, &mut sink));
    let scope = Scope::root(to_value(&branch.node), params.clone());
    let mut s = Settings {
        scheduler_id: default("taskgen"),
        project_id: default("none"),
        owner: "nobody@example.com".into(),
        source_base: "https://example.com/".into(),
        expires_after_ms: 28 * 86_400_000,
        queues: Queues {
            dummy: default("built-in/succeed"),
            fail: default("built-in/fail"),
            breakpoint: default("built-in/succeed"),
            timer: default("built-in/succeed"),
            notification: default("built-in/succeed"),
        },
        pools: IndexMap::new(),
        root_url: "https://taskcluster.example.com".into(),
    };
    // A setting rendered and checked for its form; `None` when it is wrong (reported).
    let value = |key: &str, node: &Node, sink: &mut Sink| -> Option<Spanned<String>> {
        let v = sink.ok(r.render(node, &scope).map(|v| text(&v)))?;
        if let Err(why) = check_form(key, &v) {
            sink.push(
                Diagnostic::error(
                    diag::INVALID_VALUE,
                    format!("`{v}` is not valid here: {why}"),
                )
                .at(node.span, format!("`{key}` for branch `{}`", branch.name)),
            );
            return None;
        }
        Some(Spanned {
            value: v,
            span: node.span,
        })
    };
    if let Some(tc) = defs
        .config
        .taskcluster
        .as_ref()
        .and_then(|n| sink.ok(expect_map(n, "`taskcluster`")))
    {
        check_keys(tc, &TASKCLUSTER, "`taskcluster`", &mut sink);
        for (key, entry) in tc.iter() {
            let node = &entry.value;
            match key {
                "scheduler_id" | "project_id" | "owner" | "source_base" | "root_url" => {
                    let Some(v) = value(key, node, &mut sink) else {
                        continue;
                    };
                    match key {
                        "scheduler_id" => s.scheduler_id = v,
                        "project_id" => s.project_id = v,
                        "owner" => s.owner = v.value,
                        "root_url" => s.root_url = v.value.trim_end_matches('/').to_owned(),
                        _ => s.source_base = v.value,
                    }
                }
                "expires_after" => {
                    let Some(t) = sink.ok(r.render(node, &scope).map(|v| text(&v))) else {
                        continue;
                    };
                    match parse_duration(&t) {
                        Ok(secs) if secs >= 5 * 86_400 => s.expires_after_ms = secs as i64 * 1000,
                        Ok(_) => sink.push(
                            Diagnostic::error(diag::INVALID_VALUE, "`expires_after` must be at least 5 days")
                                .at(node.span, "too short")
                                .help("a task must outlive every deadline that depends on it (at most 5 days)"),
                        ),
                        Err(why) => sink.push(Diagnostic::error(diag::INVALID_VALUE, why).at(node.span, "not a duration")),
                    }
                }
                "queues" => {
                    let Some(q) = sink.ok(expect_map(node, "`taskcluster.queues`")) else {
                        continue;
                    };
                    check_keys(q, &QUEUES, "`taskcluster.queues`", &mut sink);
                    for (which, e) in q.iter() {
                        let Some(v) = value(which, &e.value, &mut sink) else {
                            continue;
                        };
                        match which {
                            "dummy" => s.queues.dummy = v,
                            "fail" => s.queues.fail = v,
                            "breakpoint" => s.queues.breakpoint = v,
                            "timer" => s.queues.timer = v,
                            "notification" => s.queues.notification = v,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(pools) = defs
        .config
        .worker_pools
        .as_ref()
        .and_then(|n| sink.ok(expect_map(n, "`worker_pools`")))
    {
        for (name, entry) in pools.iter() {
            if let Some(pool) = pool(name, entry, &mut sink) {
                s.pools.insert(name.to_owned(), pool);
            }
        }
    }
    sink.finish(s)
}

/// One entry of `worker_pools`: `provisioner` and `worker_type` are strings that make a task
/// queue ID; `implementation` says what runs it.
fn pool(name: &str, entry: &crate::load::Entry, sink: &mut Sink) -> Option<Pool> {
    let what = format!("worker pool `{name}`");
    let pool = sink.ok(expect_map(&entry.value, &what))?;
    check_keys(pool, &POOL, &what, sink);
    let mut field = |k: &str, required: bool| match pool.get(k) {
        None if required => {
            sink.push(
                Diagnostic::error(diag::MISSING_KEY, format!("{what} has no `{k}`"))
                    .at(entry.key_span, format!("add `{k}:`")),
            );
            None
        }
        None => None,
        Some(n) => match n.as_str() {
            Some(s) => Some((s.to_owned(), n.span)),
            None => {
                sink.push(crate::defs::keys::wrong_type(
                    n,
                    "a string",
                    &format!("`{k}` of {what}"),
                ));
                None
            }
        },
    };
    let (p, w) = (field("provisioner", true), field("worker_type", true));
    let implementation = field("implementation", true);
    let (os, image, script) = (
        field("os", false),
        field("image", false),
        field("script", false),
    );
    let ((p, _), (w, _), (imp, imp_span)) = (p?, w?, implementation?);
    let task_queue_id = format!("{p}/{w}");
    if let Err(why) = check_form("pool", &task_queue_id) {
        sink.push(
            Diagnostic::error(
                diag::INVALID_VALUE,
                format!("`{task_queue_id}` is not valid here: {why}"),
            )
            .at(entry.key_span, what),
        );
        return None;
    }
    let one_of = |value: &str, span: Span, names: &[&str], key: &str| {
        Diagnostic::error(
            diag::INVALID_VALUE,
            format!("`{key}` of {what} is `{value}`, not one taskgen knows"),
        )
        .at(span, "here")
        .help(suggestion(value, names))
    };
    let implementation = match imp.as_str() {
        "docker-worker" => Implementation::DockerWorker,
        "generic-worker" => Implementation::GenericWorker {
            windows: os.is_some_and(|(os, _)| os == "windows"),
        },
        "built-in" => Implementation::BuiltIn,
        "scriptworker" => match script {
            Some((s, _)) if SCRIPTS.contains(&s.as_str()) => {
                Implementation::Scriptworker { script: s }
            }
            Some((s, span)) => {
                sink.push(one_of(&s, span, SCRIPTS, "script"));
                return None;
            }
            None => {
                sink.push(
                    Diagnostic::error(
                        diag::MISSING_KEY,
                        format!("{what} is a scriptworker and has no `script`"),
                    )
                    .at(
                        imp_span,
                        "add `script:` (signingscript, balrogscript or beetmoverscript)",
                    ),
                );
                return None;
            }
        },
        other => {
            sink.push(one_of(other, imp_span, IMPLEMENTATIONS, "implementation"));
            return None;
        }
    };
    Some(Pool {
        queue: task_queue_id,
        implementation,
        image: image.map(|(i, _)| i),
    })
}

/// "unknown worker pool" with the nearest names.
pub fn unknown_pool(pool: &str, s: &Settings, at: Span) -> Diagnostic {
    let names: Vec<&str> = s.pools.keys().map(String::as_str).collect();
    Diagnostic::error(diag::INVALID_VALUE, format!("unknown worker pool `{pool}`"))
        .at(at, "not in `worker_pools` of `taskgraph/config.yml`")
        .help(suggestion(pool, &names))
}
