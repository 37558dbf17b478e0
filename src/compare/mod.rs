//! Comparing two generated graphs: jobs added, removed and changed (field by field), edges
//! added and removed, subgraphs that appeared, went or changed their active state.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::defs::values::Status;
use crate::graph::TaskGraph;

/// One field that differs: a path such as `timeouts.max_runtime_s` or `command[3]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EdgeKey {
    pub from: String,
    pub to: String,
    pub on: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphChange {
    pub path: String,
    pub old_active: bool,
    pub new_active: bool,
}

/// Everything that differs between two graphs, each list sorted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GraphDiff {
    pub jobs_added: Vec<String>,
    pub jobs_removed: Vec<String>,
    pub jobs_changed: BTreeMap<String, Vec<FieldChange>>,
    pub edges_added: Vec<EdgeKey>,
    pub edges_removed: Vec<EdgeKey>,
    pub graphs_added: Vec<String>,
    pub graphs_removed: Vec<String>,
    pub graphs_changed: Vec<GraphChange>,
}

impl GraphDiff {
    pub fn is_empty(&self) -> bool {
        *self == GraphDiff::default()
    }
}

/// Fields that say where a job came from, not what it does: a moved line is no change.
const PROVENANCE: &[&str] = &["dependencies", "source", "placed_at"];

fn fields(old: &Value, new: &Value, path: &str, out: &mut Vec<FieldChange>) {
    let at = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                if path.is_empty() && PROVENANCE.contains(&k.as_str()) {
                    continue;
                }
                let (x, y) = (
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                );
                fields(x, y, &at(k), out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                fields(x, y, &format!("{path}[{i}]"), out);
            }
        }
        (a, b) if a != b => out.push(FieldChange {
            field: path.to_owned(),
            old: a.clone(),
            new: b.clone(),
        }),
        _ => {}
    }
}

fn edges(g: &TaskGraph) -> BTreeSet<EdgeKey> {
    g.jobs
        .iter()
        .flat_map(|j| {
            j.dependencies.iter().map(|d| EdgeKey {
                from: d.label.clone(),
                to: j.label.clone(),
                on: if d.on == crate::defs::values::Condition::FINISHED {
                    vec!["finished"]
                } else {
                    d.on.statuses().map(Status::name).collect()
                },
            })
        })
        .collect()
}

/// What changed from `old` to `new`.
pub fn diff(old: &TaskGraph, new: &TaskGraph) -> GraphDiff {
    let index = |g: &TaskGraph| -> BTreeMap<String, Value> {
        g.jobs
            .iter()
            .map(|j| {
                (
                    j.label.clone(),
                    serde_json::to_value(j).unwrap_or(Value::Null),
                )
            })
            .collect()
    };
    let (a, b) = (index(old), index(new));
    let mut d = GraphDiff {
        jobs_added: b.keys().filter(|k| !a.contains_key(*k)).cloned().collect(),
        jobs_removed: a.keys().filter(|k| !b.contains_key(*k)).cloned().collect(),
        ..GraphDiff::default()
    };
    for (label, x) in &a {
        if let Some(y) = b.get(label) {
            let mut changes = Vec::new();
            fields(x, y, "", &mut changes);
            if !changes.is_empty() {
                d.jobs_changed.insert(label.clone(), changes);
            }
        }
    }
    let (ea, eb) = (edges(old), edges(new));
    d.edges_added = eb.difference(&ea).cloned().collect();
    d.edges_removed = ea.difference(&eb).cloned().collect();
    let graphs = |g: &TaskGraph| -> BTreeMap<String, bool> {
        g.graphs
            .iter()
            .map(|p| (p.path.clone(), p.active))
            .collect()
    };
    let (ga, gb) = (graphs(old), graphs(new));
    d.graphs_added = gb
        .keys()
        .filter(|k| !ga.contains_key(*k))
        .cloned()
        .collect();
    d.graphs_removed = ga
        .keys()
        .filter(|k| !gb.contains_key(*k))
        .cloned()
        .collect();
    d.graphs_changed = ga
        .iter()
        .filter_map(|(p, &x)| {
            gb.get(p).filter(|&&y| y != x).map(|&y| GraphChange {
                path: p.clone(),
                old_active: x,
                new_active: y,
            })
        })
        .collect();
    d
}

/// The diff for people.
pub fn human(d: &GraphDiff, old_name: &str, new_name: &str) -> String {
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    if d.is_empty() {
        out.push_str("no differences\n");
        return out;
    }
    let section = |out: &mut String, title: &str, n: usize| {
        if n > 0 {
            out.push_str(&format!("\n{title} ({n}):\n"));
        }
    };
    section(&mut out, "jobs added", d.jobs_added.len());
    d.jobs_added
        .iter()
        .for_each(|l| out.push_str(&format!("  + {l}\n")));
    section(&mut out, "jobs removed", d.jobs_removed.len());
    d.jobs_removed
        .iter()
        .for_each(|l| out.push_str(&format!("  - {l}\n")));
    section(&mut out, "jobs changed", d.jobs_changed.len());
    for (label, changes) in &d.jobs_changed {
        out.push_str(&format!("  ~ {label}\n"));
        for c in changes {
            out.push_str(&format!("      {}: {} → {}\n", c.field, c.old, c.new));
        }
    }
    let edge = |e: &EdgeKey| format!("{} → {} [{}]", e.from, e.to, e.on.join(", "));
    section(&mut out, "edges added", d.edges_added.len());
    d.edges_added
        .iter()
        .for_each(|e| out.push_str(&format!("  + {}\n", edge(e))));
    section(&mut out, "edges removed", d.edges_removed.len());
    d.edges_removed
        .iter()
        .for_each(|e| out.push_str(&format!("  - {}\n", edge(e))));
    let n = d.graphs_added.len() + d.graphs_removed.len() + d.graphs_changed.len();
    section(&mut out, "subgraphs", n);
    d.graphs_added
        .iter()
        .for_each(|p| out.push_str(&format!("  + {p}\n")));
    d.graphs_removed
        .iter()
        .for_each(|p| out.push_str(&format!("  - {p}\n")));
    let state = |a: bool| if a { "active" } else { "inactive" };
    for c in &d.graphs_changed {
        out.push_str(&format!(
            "  ~ {}: {} → {}\n",
            c.path,
            state(c.old_active),
            state(c.new_active)
        ));
    }
    out.push_str(&format!(
        "\n{} added, {} removed, {} changed; {} edges added, {} removed\n",
        d.jobs_added.len(),
        d.jobs_removed.len(),
        d.jobs_changed.len(),
        d.edges_added.len(),
        d.edges_removed.len()
    ));
    out
}
