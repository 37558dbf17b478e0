//! `taskgen explain`: one job as generated, why it is there and (in)active, its neighbours, and
//! for every field the place that set it.

use serde::Serialize;

use crate::branch::Branch;
use crate::defs::values::{Condition, Status};
use crate::expand::{Job, Origin};
use crate::load::{Sources, Span};
use crate::pipeline::Generated;

#[derive(Serialize)]
pub struct Neighbour {
    pub label: String,
    pub on: Vec<&'static str>,
    /// The `needs` entry that made the edge.
    pub needs_at: String,
}

#[derive(Serialize)]
pub struct BranchKey {
    pub key: String,
    pub set_at: String,
}

#[derive(Serialize)]
pub struct Field {
    pub field: String,
    pub value: serde_json::Value,
    pub set_at: String,
    /// `graph node`, `job template`, `defaults` or `command line`.
    pub by: &'static str,
    /// Branch settings the value's template reads, and where the branch set them.
    pub branch_keys: Vec<BranchKey>,
}

#[derive(Serialize)]
pub struct Explanation<'a> {
    pub label: &'a str,
    pub branch: &'a str,
    pub trigger: &'a str,
    pub presence: Vec<String>,
    pub active: bool,
    pub activity: String,
    pub upstream: Vec<Neighbour>,
    pub downstream: Vec<Neighbour>,
    pub fields: Vec<Field>,
    pub job: &'a Job,
}

/// The statuses a dependency waits for, by name (`finished` for all of them).
pub fn on(c: Condition) -> Vec<&'static str> {
    if c == Condition::FINISHED {
        vec!["finished"]
    } else {
        c.statuses().map(Status::name).collect()
    }
}

/// Branch keys a template reads (`branch.x`, `by-branch.x`), with where the branch set them.
fn branch_keys(text: &str, branch: &Branch, sources: &Sources) -> Vec<BranchKey> {
    let mut keys: Vec<String> = Vec::new();
    for (i, _) in text.match_indices("branch.") {
        let key: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    let Some(map) = branch.node.as_map() else {
        return Vec::new();
    };
    keys.into_iter()
        .filter_map(|k| {
            let e = map.entries.get(&k)?;
            let set_at = if e.key_span.is_none() {
                "the branch's name".to_owned()
            } else {
                sources.location(e.key_span)
            };
            Some(BranchKey { key: k, set_at })
        })
        .collect()
}

/// What a job field became in the job as serialized (`job`): a field of the same name, or the
/// output field it sets.
pub fn field_value(job: &serde_json::Value, field: &str) -> serde_json::Value {
    match field {
        "max_runtime" => job["timeouts"]["max_runtime_s"].clone(),
        "expected_duration" => job["expected_duration_s"].clone(),
        "idle_timeout" => job["timeouts"]["idle_s"].clone(),
        "request_timeout" => job["timeouts"]["request_s"].clone(),
        "on_request_timeout" => job["timeouts"]["on_request_timeout"].clone(),
        "acl" => job["breakpoint"].clone(),
        "chunks" => job["chunk"].clone(),
        "at" | "delay" => job["timer"].clone(),
        "notify" => job["notification"].clone(),
        f => job[f].clone(),
    }
}

/// Explains `label`, or `None` when no job has it.
pub fn explain<'a>(
    g: &'a Generated,
    branch: &Branch,
    sources: &Sources,
    label: &str,
) -> Option<Explanation<'a>> {
    let i = g.graph.jobs.iter().position(|j| j.label == label)?;
    let (job, meta) = (&g.graph.jobs[i], &g.graph.meta[i]);
    let loc = |s: Span| sources.location(s);
    // The chain of graphs from the root to the job's, each with where it was placed.
    let mut presence = Vec::new();
    let mut inactive_graph = None;
    let mut touches: Vec<String> = Vec::new();
    let parts: Vec<&str> = job.graph.split('/').collect();
    for n in 1..=parts.len() {
        let path = parts[..n].join("/");
        let Some(info) = g.graph.graphs.iter().find(|p| p.path == path) else {
            continue;
        };
        presence.push(if n == 1 {
            format!(
                "graph `{path}` is the `{}` trigger's root graph ({})",
                g.trigger,
                loc(info.site)
            )
        } else {
            format!(
                "graph `{path}` (template `{}`) is included at {}",
                info.template,
                loc(info.site)
            )
        });
        if let (Some(by), true) = (info.inactive_by, inactive_graph.is_none()) {
            inactive_graph = Some((path.clone(), by));
        }
        if let Some(t) = &info.touch {
            touches.push(format!(
                "graph `{path}`'s `files_changed`: {}",
                t.describe()
            ));
        }
    }
    if job.kind != "milestone" {
        let params: Vec<String> = job.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        presence.push(format!(
            "placed by the node at {}{}{}",
            job.placed_at,
            job.job
                .as_ref()
                .map(|t| format!(", job template `{t}` ({})", job.source))
                .unwrap_or_default(),
            if params.is_empty() {
                String::new()
            } else {
                format!(", with {}", params.join(", "))
            }
        ));
    } else {
        presence.push(format!("a milestone of graph `{}`", job.graph));
    }
    let activity = match (
        &meta.selection,
        job.active,
        meta.inactive_by,
        inactive_graph,
    ) {
        (Some(s), _, _, _) if job.active || s.starts_with("not chosen") => s.clone(),
        (_, true, _, _) => "its graphs and node are active".to_owned(),
        (_, false, Some(by), _) => format!(
            "the node's `active: {}` ({}) is false here",
            sources.slice(by),
            loc(by)
        ),
        (_, false, None, Some((path, by))) => {
            format!(
                "graph `{path}` is included with `active: {}` ({}), which is false for branch `{}`",
                sources.slice(by),
                loc(by),
                g.branch
            )
        }
        _ => "inactive".to_owned(),
    };
    if let Some(t) = &meta.touch {
        touches.push(format!("the node's `files_changed`: {}", t.describe()));
    }
    let activity = match (touches.is_empty(), activity.as_str()) {
        (true, _) => activity,
        (false, "inactive") => touches.join("; "),
        (false, _) => format!("{activity}; {}", touches.join("; ")),
    };
    let upstream = job
        .dependencies
        .iter()
        .zip(&meta.dependencies)
        .map(|(d, &s)| Neighbour {
            label: d.label.clone(),
            on: on(d.on),
            needs_at: loc(s),
        })
        .collect();
    let downstream = g
        .graph
        .jobs
        .iter()
        .zip(&g.graph.meta)
        .flat_map(|(j, m)| {
            j.dependencies
                .iter()
                .zip(&m.dependencies)
                .filter(|(d, _)| d.label == label)
                .map(move |(d, &s)| Neighbour {
                    label: j.label.clone(),
                    on: on(d.on),
                    needs_at: loc(s),
                })
        })
        .collect();
    let value = serde_json::to_value(job).unwrap_or_default();
    let fields = meta
        .fields
        .iter()
        .map(|&(field, span, origin)| {
            // `--set` values are sources of their own; run arguments have no place.
            let set_at = if origin == Origin::CommandLine && span.is_none() {
                "the command line".to_owned()
            } else {
                loc(span)
            };
            let by = origin.name();
            let shown = field_value(&value, field);
            let keys = if span.is_none() {
                Vec::new()
            } else {
                branch_keys(sources.slice(span), branch, sources)
            };
            Field {
                field: field.to_owned(),
                value: shown,
                set_at,
                by,
                branch_keys: keys,
            }
        })
        .collect();
    Some(Explanation {
        label: &job.label,
        branch: &g.branch,
        trigger: &g.trigger,
        presence,
        active: job.active,
        activity,
        upstream,
        downstream,
        fields,
        job,
    })
}

/// The explanation for people.
pub fn human(e: &Explanation) -> String {
    let mut out = format!(
        "{} (branch {}, trigger {})\n\nwhy it is here:\n",
        e.label, e.branch, e.trigger
    );
    e.presence
        .iter()
        .for_each(|p| out.push_str(&format!("  {p}\n")));
    out.push_str(&format!(
        "\n{}: {}\n",
        if e.active { "active" } else { "inactive" },
        e.activity
    ));
    for (title, list) in [("upstream", &e.upstream), ("downstream", &e.downstream)] {
        out.push_str(&format!("\n{title} ({}):\n", list.len()));
        for n in list {
            out.push_str(&format!(
                "  {} [{}]  needs at {}\n",
                n.label,
                n.on.join(", "),
                n.needs_at
            ));
        }
    }
    out.push_str("\nfields:\n");
    for f in &e.fields {
        let by = if f.by == "command line" && f.set_at == "the command line" {
            "set on the command line".to_owned()
        } else if f.by == "command line" {
            format!("set on the command line by `{}`", f.set_at)
        } else {
            format!("set by the {} at {}", f.by, f.set_at)
        };
        out.push_str(&format!(
            "  {:<18} {}\n  {:<18}   {by}\n",
            f.field, f.value, ""
        ));
        for k in &f.branch_keys {
            out.push_str(&format!(
                "  {:<18}   reads `branch.{}`, set at {}\n",
                "", k.key, k.set_at
            ));
        }
    }
    out.push_str("\njob as generated:\n");
    out.push_str(&serde_json::to_string_pretty(e.job).unwrap_or_default());
    out.push('\n');
    out
}
