//! Graphviz: one nested `cluster` per (sub)graph, node shapes per job type, inactive jobs dashed
//! and grey, edge styles per condition, a legend. Everything in a stable order.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Write;

use crate::defs::values::{Condition, JobType};
use crate::diag::{self, Diagnostic};
use crate::expand::Job;
use crate::graph::{TaskGraph, within};

/// Which part of the graph to draw.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// Only this (sub)graph and what it includes.
    pub graph: Option<String>,
    /// Only jobs within `depth` edges of this label, up or down.
    pub focus: Option<String>,
    pub depth: usize,
    pub hide_inactive: bool,
}

/// A DOT string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn shape(job: &Job) -> &'static str {
    match job.job_type {
        _ if job.kind == "milestone" => "Mdiamond",
        JobType::Task => "box",
        JobType::Breakpoint => "octagon",
        JobType::Timer => "ellipse",
        JobType::Notification => "note",
        JobType::Dummy => "diamond",
    }
}

/// The edge attributes for a condition.
fn edge_style(on: Condition) -> &'static str {
    if on == Condition::SUCCESS {
        "style=solid"
    } else if on == Condition::FINISHED {
        "style=dotted"
    } else if !on.intersects(Condition::SUCCESS) {
        "style=solid, color=red, fontcolor=red"
    } else {
        "style=dashed, color=blue"
    }
}

/// The labels to draw.
fn selected(g: &TaskGraph, view: &View) -> Result<HashSet<usize>, Diagnostic> {
    let mut keep: HashSet<usize> = (0..g.jobs.len())
        .filter(|&i| {
            view.graph
                .as_deref()
                .is_none_or(|root| within(&g.jobs[i].graph, root))
        })
        .filter(|&i| !view.hide_inactive || g.jobs[i].active)
        .collect();
    if let Some(root) = &view.graph
        && !g.graphs.iter().any(|p| &p.path == root)
    {
        let paths: Vec<&str> = g.graphs.iter().map(|p| p.path.as_str()).collect();
        return Err(Diagnostic::error(
            diag::UNKNOWN_GRAPH,
            format!("no subgraph has the path `{root}`"),
        )
        .help(format!("the paths are {}", diag::backticked(paths))));
    }
    let Some(focus) = &view.focus else {
        return Ok(keep);
    };
    let index = g.index();
    let Some(&start) = index.get(focus.as_str()) else {
        let near = crate::defs::keys::did_you_mean(focus, index.keys().copied());
        return Err(Diagnostic::error(
            diag::MISSING_DEPENDENCY,
            format!("no job is labelled `{focus}`"),
        )
        .help(near.map_or_else(
            || "see `taskgen generate --format labels`".to_owned(),
            |n| format!("did you mean `{n}`?"),
        )));
    };
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); g.jobs.len()];
    for (i, j) in g.jobs.iter().enumerate() {
        for d in &j.dependencies {
            if let Some(&u) = index.get(d.label.as_str()) {
                down[u].push(i);
            }
        }
    }
    let mut near = HashSet::from([start]);
    let mut queue = VecDeque::from([(start, 0)]);
    while let Some((i, dist)) = queue.pop_front() {
        if dist == view.depth {
            continue;
        }
        let up = g.jobs[i]
            .dependencies
            .iter()
            .filter_map(|d| index.get(d.label.as_str()).copied());
        for n in up.chain(down[i].iter().copied()) {
            if keep.contains(&n) && near.insert(n) {
                queue.push_back((n, dist + 1));
            }
        }
    }
    keep.retain(|i| near.contains(i));
    Ok(keep)
}

/// The DOT text for the graph of `title`.
pub fn dot(g: &TaskGraph, title: &str, view: &View) -> Result<String, Diagnostic> {
    let keep = selected(g, view)?;
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(title));
    let _ = writeln!(
        out,
        "  graph [label={}, labelloc=t, fontname=\"Helvetica\", rankdir=LR, compound=true, newrank=true];",
        quote(title)
    );
    out.push_str("  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=white];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.6];\n");
    // Jobs by graph path, in output (topological) order.
    let mut by_graph: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in (0..g.jobs.len()).filter(|i| keep.contains(i)) {
        by_graph
            .entry(g.jobs[i].graph.as_str())
            .or_default()
            .push(i);
    }
    let shown: BTreeSet<&str> = g
        .graphs
        .iter()
        .map(|p| p.path.as_str())
        .filter(|p| by_graph.keys().any(|k| within(k, p)))
        .collect();
    let roots: Vec<usize> = (0..g.graphs.len())
        .filter(|&i| shown.contains(g.graphs[i].path.as_str()))
        .filter(|&i| {
            !g.graphs.iter().any(|p| {
                p.path != g.graphs[i].path
                    && within(&g.graphs[i].path, &p.path)
                    && shown.contains(p.path.as_str())
            })
        })
        .collect();
    for r in roots {
        cluster(&mut out, g, r, &by_graph, &shown, 1);
    }
    let index = g.index();
    for (_, job) in g.jobs.iter().enumerate().filter(|(i, _)| keep.contains(i)) {
        for d in &job.dependencies {
            let Some(&u) = index.get(d.label.as_str()).filter(|u| keep.contains(u)) else {
                continue;
            };
            let inactive = if g.jobs[u].active && job.active {
                ""
            } else {
                ", color=gray60"
            };
            let _ = writeln!(
                out,
                "  {} -> {} [{}{inactive}];",
                quote(&g.jobs[u].label),
                quote(&job.label),
                edge_style(d.on)
            );
        }
    }
    legend(&mut out);
    out.push_str("}\n");
    Ok(out)
}

fn cluster(
    out: &mut String,
    g: &TaskGraph,
    gi: usize,
    by_graph: &HashMap<&str, Vec<usize>>,
    shown: &BTreeSet<&str>,
    depth: usize,
) {
    let info = &g.graphs[gi];
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}subgraph {} {{", quote(&format!("cluster_{gi}")));
    let style = if info.active {
        "rounded"
    } else {
        "rounded,dashed"
    };
    let color = if info.active { "gray40" } else { "gray70" };
    let _ = writeln!(
        out,
        "{pad}  label={}; style={}; color={color}; fontcolor={color};",
        quote(&info.path),
        quote(style)
    );
    for &i in by_graph
        .get(info.path.as_str())
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let job = &g.jobs[i];
        let mut attrs = format!("shape={}", shape(job));
        if job.kind == "milestone" {
            let end = job.label.rsplit(':').next().unwrap_or("");
            let _ = write!(attrs, ", label={}, fontsize=8", quote(end));
        }
        if !job.active {
            attrs.push_str(", style=\"dashed,filled\", color=gray60, fontcolor=gray50");
        }
        let _ = writeln!(out, "{pad}  {} [{attrs}];", quote(&job.label));
    }
    // Direct subgraphs, in pre-order.
    for (ci, child) in g.graphs.iter().enumerate() {
        let is_child = child
            .path
            .rsplit_once('/')
            .is_some_and(|(parent, _)| parent == info.path);
        if is_child && shown.contains(child.path.as_str()) {
            cluster(out, g, ci, by_graph, shown, depth + 1);
        }
    }
    let _ = writeln!(out, "{pad}}}");
}

fn legend(out: &mut String) {
    out.push_str(concat!(
        "  subgraph \"cluster_legend\" {\n",
        "    label=\"legend\"; style=\"rounded\"; color=gray70; fontcolor=gray40;\n",
        "    node [fontsize=8, width=0.3, height=0.2];\n",
        "    \"legend: task\" [shape=box, label=\"task\"];\n",
        "    \"legend: breakpoint\" [shape=octagon, label=\"breakpoint\"];\n",
        "    \"legend: timer\" [shape=ellipse, label=\"timer\"];\n",
        "    \"legend: notification\" [shape=note, label=\"notification\"];\n",
        "    \"legend: dummy\" [shape=diamond, label=\"dummy\"];\n",
        "    \"legend: milestone\" [shape=Mdiamond, label=\"milestone\"];\n",
        "    \"legend: inactive\" [shape=box, label=\"inactive\", style=\"dashed,filled\", color=gray60, fontcolor=gray50];\n",
        "    \"legend: task\" -> \"legend: breakpoint\" [label=\"success\", style=solid];\n",
        "    \"legend: breakpoint\" -> \"legend: timer\" [label=\"finished\", style=dotted];\n",
        "    \"legend: timer\" -> \"legend: notification\" [label=\"failure\", style=solid, color=red, fontcolor=red];\n",
        "    \"legend: notification\" -> \"legend: dummy\" [label=\"other\", style=dashed, color=blue];\n",
        "    \"legend: dummy\" -> \"legend: milestone\" [style=invis];\n",
        "    \"legend: milestone\" -> \"legend: inactive\" [style=invis];\n",
        "  }\n",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
