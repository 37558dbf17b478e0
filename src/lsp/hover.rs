//! Hover: what a template, node, `needs` entry or branch key makes of each branch.

use std::collections::{BTreeMap, BTreeSet};

use super::analysis::{Placed, World};
use super::cursor::Target;
use crate::load::Span;

/// Labels shown per branch before the rest are counted.
const SHOWN: usize = 5;
/// Characters of a value shown in a table cell.
const WIDTH: usize = 70;

/// The hover's markdown.
pub fn markdown(world: &World, target: &Target) -> String {
    match target {
        Target::Node(graph, node) => {
            let jobs = world.jobs_of_node(node.name.span);
            let mut out = format!(
                "**node** {} in graph `{}`{}\n\n",
                code(written(world, node.name.span)),
                graph.name.value,
                node.job
                    .as_ref()
                    .map(|j| format!(" · job template `{}`", j.value))
                    .unwrap_or_default()
            );
            out.push_str(&per_branch(world, &jobs));
            if let Some(first) = jobs.first() {
                out.push_str(&fields(world, first));
            }
            out
        }
        Target::JobTemplate(name) => {
            let Some(t) = world.defs.jobs.get(*name) else {
                return format!("no job template is named `{name}`");
            };
            let jobs: Vec<Placed> = world
                .jobs()
                .filter(|p| p.meta.template == Some(t.name.span))
                .collect();
            let params: Vec<String> = t
                .params
                .iter()
                .map(|(k, d)| format!("`{k}` ({})", d.ty.name()))
                .collect();
            let nodes: BTreeSet<Span> = jobs.iter().map(|p| p.meta.label).collect();
            let mut out = format!(
                "**job template** `{name}` · kind `{}` · {}\n\n{}used by {} node{}\n\n{}",
                t.kind.value,
                world.sources.location(t.name.span),
                if params.is_empty() {
                    String::new()
                } else {
                    format!("params: {}\n\n", params.join(", "))
                },
                nodes.len(),
                plural(nodes.len()),
                per_branch(world, &jobs)
            );
            if let Some(first) = jobs.first() {
                out.push_str(&fields(world, first));
            }
            out
        }
        Target::Graph(name) => {
            let jobs: Vec<Placed> = world
                .graphs
                .iter()
                .flat_map(|x| {
                    let paths: BTreeSet<&str> = x
                        .graph
                        .graphs
                        .iter()
                        .filter(|g| g.template == *name)
                        .map(|g| g.path.as_str())
                        .collect();
                    world.jobs().filter(move |p| {
                        p.branch == x.branch
                            && p.trigger == x.trigger
                            && paths.contains(p.job.graph.as_str())
                    })
                })
                .collect();
            format!("**graph** `{name}`\n\n{}", per_branch(world, &jobs))
        }
        Target::Needs(node, span) => {
            let mut matched: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for (branch, label) in world.resolved(node, *span) {
                matched.entry(branch).or_default().insert(label);
            }
            let mut out = format!(
                "**needs** {} of node {}\n\n",
                code(written(world, *span)),
                code(written(world, node.name.span))
            );
            out.push_str(&table(world, "upstream jobs", &matched));
            out
        }
        Target::BranchKey(key) => branch_key(world, key),
    }
}

/// Per branch: how many jobs, and the first labels.
fn per_branch(world: &World, jobs: &[Placed]) -> String {
    let mut by_branch: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for p in jobs {
        by_branch.entry(p.branch).or_default().insert(&p.job.label);
    }
    table(world, "jobs", &by_branch)
}

fn table(world: &World, what: &str, rows: &BTreeMap<&str, BTreeSet<&str>>) -> String {
    let total: usize = rows.values().map(BTreeSet::len).sum();
    let mut out = format!(
        "**{total} {what} on {} branch{}**",
        rows.len(),
        if rows.len() == 1 { "" } else { "es" }
    );
    let none: Vec<&str> = world
        .branch_names()
        .into_iter()
        .filter(|b| !rows.contains_key(b))
        .collect();
    if !none.is_empty() {
        out.push_str(&format!("; none on {}", none.join(", ")));
    }
    out.push_str("\n\n");
    if rows.is_empty() {
        return out;
    }
    out.push_str(&format!("| branch | {what} |\n|---|---|\n"));
    for (branch, labels) in rows {
        let mut shown: Vec<String> = labels.iter().take(SHOWN).map(|l| code(l)).collect();
        if labels.len() > SHOWN {
            shown.push(format!("and {} more", labels.len() - SHOWN));
        }
        out.push_str(&format!(
            "| {branch} | {}: {} |\n",
            labels.len(),
            shown.join(", ")
        ));
    }
    out.push('\n');
    out
}

/// One job's fields: the value generated, and the layer and place that set it.
fn fields(world: &World, p: &Placed) -> String {
    let value = serde_json::to_value(p.job).unwrap_or_default();
    let mut out = format!(
        "{} on {} (trigger `{}`):\n\n| field | value | set by |\n|---|---|---|\n",
        code(&p.job.label),
        p.branch,
        p.trigger
    );
    for &(field, span, origin) in p.meta.fields.iter() {
        let shown = crate::explain::field_value(&value, field);
        let place = if span.is_none() {
            "the command line".to_owned()
        } else {
            world.sources.location(span)
        };
        out.push_str(&format!(
            "| `{field}` | {} | {}, {place} |\n",
            code(&shown.to_string()),
            origin.name()
        ));
    }
    out
}

/// A branch key's value in each branch, and where it was set.
fn branch_key(world: &World, key: &str) -> String {
    let mut out = format!("**branch key** `{key}`\n\n| branch | value | set at |\n|---|---|---|\n");
    for b in &world.branches {
        let entry = b.node.as_map().and_then(|m| m.entries.get(key));
        let (value, at) = match entry {
            Some(e) => (
                code(&crate::render::to_json(&crate::render::to_value(&e.value)).to_string()),
                if e.key_span.is_none() {
                    "the branch's name".to_owned()
                } else {
                    world.sources.location(e.key_span)
                },
            ),
            None => ("not set".to_owned(), String::new()),
        };
        out.push_str(&format!("| {} | {value} | {at} |\n", b.name));
    }
    out
}

/// A scalar as written, without its quotes.
fn written(world: &World, span: Span) -> &str {
    let text = world.sources.slice(span);
    ['"', '\'']
        .iter()
        .find_map(|q| text.strip_prefix(*q).and_then(|t| t.strip_suffix(*q)))
        .unwrap_or(text)
}

/// Text as inline code in a table cell: shortened, without the characters that would end it.
fn code(text: &str) -> String {
    let mut s: String = text
        .chars()
        .map(|c| match c {
            '`' => '\'',
            '|' => '¦',
            '\n' => ' ',
            c => c,
        })
        .take(WIDTH)
        .collect();
    if text.chars().count() > WIDTH {
        s.push('…');
    }
    format!("`{s}`")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
