//! The `taskcluster:` and `worker_pools:` settings of `taskgraph/config.yml`, rendered for one
//! branch.

use indexmap::IndexMap;

use crate::branch::Branch;
use crate::defs::Defs;
use crate::defs::keys::{check_keys, expect_map, suggestion};
use crate::defs::values::parse_duration;
use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::load::{Node, Sources, Span};
use crate::render::{Renderer, Scope, environment, text, to_value};

/// Where the jobs that run on no worker go.
#[derive(Debug, Clone)]
pub struct Queues {
    pub dummy: String,
    pub fail: String,
    pub breakpoint: String,
    pub timer: String,
    pub notification: String,
}

/// A worker pool as a task queue.
#[derive(Debug, Clone)]
pub struct Pool {
    pub task_queue_id: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub scheduler_id: String,
    pub project_id: String,
    pub owner: String,
    pub source_base: String,
    pub expires_after_ms: i64,
    pub queues: Queues,
    pub pools: IndexMap<String, Pool>,
    /// `taskgraph/config.yml`, where settings errors point.
    pub config: Span,
}

const KEYS: &[&str] = &[
    "scheduler_id",
    "project_id",
    "owner",
    "source_base",
    "expires_after",
    "queues",
];
const QUEUE_KEYS: &[&str] = &["dummy", "fail", "breakpoint", "timer", "notification"];
const POOL_KEYS: &[&str] = &["provisioner", "worker_type", "os", "description"];

/// Renders the settings for `branch`, reporting every problem.
pub fn settings(
    defs: &Defs,
    branch: &Branch,
    sources: &Sources,
    config: Span,
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
    let scope = Scope::root(to_value(&branch.node), minijinja::Value::from(()));
    let mut s = Settings {
        scheduler_id: "taskgen".into(),
        project_id: "none".into(),
        owner: "nobody@example.com".into(),
        source_base: "https://example.com/".into(),
        expires_after_ms: 28 * 86_400_000,
        queues: Queues {
            dummy: "built-in/succeed".into(),
            fail: "built-in/fail".into(),
            breakpoint: "built-in/succeed".into(),
            timer: "built-in/succeed".into(),
            notification: "built-in/succeed".into(),
        },
        pools: IndexMap::new(),
        config,
    };
    let string = |node: &Node, sink: &mut Sink| sink.ok(r.render(node, &scope).map(|v| text(&v)));
    if let Some(tc) = defs
        .config
        .taskcluster
        .as_ref()
        .and_then(|n| sink.ok(expect_map(n, "`taskcluster`")))
    {
        check_keys(tc, KEYS, "`taskcluster`", &mut sink);
        for (key, entry) in tc.iter() {
            let node = &entry.value;
            match key {
                "scheduler_id" => s.scheduler_id = string(node, &mut sink).unwrap_or_default(),
                "project_id" => s.project_id = string(node, &mut sink).unwrap_or_default(),
                "owner" => s.owner = string(node, &mut sink).unwrap_or_default(),
                "source_base" => s.source_base = string(node, &mut sink).unwrap_or_default(),
                "expires_after" => {
                    let t = string(node, &mut sink).unwrap_or_default();
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
                    if let Some(q) = sink.ok(expect_map(node, "`taskcluster.queues`")) {
                        check_keys(q, QUEUE_KEYS, "`taskcluster.queues`", &mut sink);
                        for (which, e) in q.iter() {
                            let v = string(&e.value, &mut sink).unwrap_or_default();
                            match which {
                                "dummy" => s.queues.dummy = v,
                                "fail" => s.queues.fail = v,
                                "breakpoint" => s.queues.breakpoint = v,
                                "timer" => s.queues.timer = v,
                                _ => s.queues.notification = v,
                            }
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
            let Some(pool) = sink.ok(expect_map(&entry.value, &format!("worker pool `{name}`")))
            else {
                continue;
            };
            check_keys(pool, POOL_KEYS, &format!("worker pool `{name}`"), &mut sink);
            let field = |k: &str, sink: &mut Sink| {
                pool.get(k).map_or_else(
                    || {
                        sink.push(
                            Diagnostic::error(
                                diag::MISSING_KEY,
                                format!("worker pool `{name}` has no `{k}`"),
                            )
                            .at(entry.key_span, format!("add `{k}:`")),
                        );
                        None
                    },
                    |n| Some(n.scalar_text().unwrap_or_default()),
                )
            };
            if let (Some(p), Some(w)) = (
                field("provisioner", &mut sink),
                field("worker_type", &mut sink),
            ) {
                s.pools.insert(
                    name.to_owned(),
                    Pool {
                        task_queue_id: format!("{p}/{w}"),
                        span: entry.key_span,
                    },
                );
            }
        }
    }
    sink.finish(s)
}

/// "unknown worker pool" with the nearest names.
pub fn unknown_pool(pool: &str, s: &Settings, at: Span) -> Diagnostic {
    let names: Vec<&str> = s.pools.keys().map(String::as_str).collect();
    Diagnostic::error(diag::INVALID_VALUE, format!("unknown worker pool `{pool}`"))
        .at(at, "not in `worker_pools` of `taskgraph/config.yml`")
        .help(suggestion(pool, &names))
}
