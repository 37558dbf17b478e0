//! The view's layout, computed once when the page is written so that the browser never lays
//! out the whole graph: jobs are grouped (graph, kind, platform, build type), chunks of one
//! node fold into one item, and groups are placed in layers (columns) by their jobs' longest
//! path from a root, ordered within a layer by where their upstream groups are.

use std::collections::BTreeMap;

use crate::expand::Job;

/// One group: the jobs of a graph with the same kind, platform and build type.
#[derive(Debug)]
pub struct Group {
    pub name: String,
    pub kind: String,
    pub graph: usize,
    pub layer: usize,
    /// Place within its layer, from the top.
    pub order: usize,
    pub items: Vec<Item>,
}

/// A job, or the chunks of one node folded together ("mochitest 1–5").
#[derive(Debug)]
pub struct Item {
    pub name: String,
    pub jobs: Vec<usize>,
}

#[derive(Debug)]
pub struct Layout {
    pub groups: Vec<Group>,
    /// Each job's group and item.
    pub place: Vec<(usize, usize)>,
    /// Each job's layer: the longest path of dependencies from a root.
    pub layer: Vec<usize>,
    /// Group to group: the distinct pairs some dependency joins, downstream group first.
    pub edges: Vec<(usize, usize)>,
}

/// A job attribute or parameter as text, if it has one.
fn attr(job: &Job, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        let v = job.attributes.get(*k).or_else(|| job.params.get(*k))?;
        Some(v.as_str().map_or_else(|| v.to_string(), str::to_owned))
    })
}

/// The group a job belongs to, by name. A milestone is a group of its own: a graph's start
/// and end are at either side of it.
fn group_name(job: &Job) -> String {
    if job.kind == "milestone" {
        return job.label.clone();
    }
    let mut parts = vec![job.kind.clone()];
    parts.extend(attr(job, &["test_platform", "platform", "build_platform"]));
    parts.extend(attr(job, &["build_type"]));
    parts.join(" ")
}

/// The item a job belongs to within its group: its label, without the chunk number.
fn item_name(job: &Job) -> String {
    match &job.chunk {
        Some(c) => {
            let suffix = format!("-{}", c.this);
            job.label
                .strip_suffix(&suffix)
                .unwrap_or(&job.label)
                .to_owned()
        }
        None => job.label.clone(),
    }
}

/// `deps[i]`: the indexes of job `i`'s dependencies (jobs come in topological order).
pub fn layout(jobs: &[Box<Job>], graphs: &[String], deps: &[Vec<usize>]) -> Layout {
    let graph_index: BTreeMap<&str, usize> = graphs
        .iter()
        .enumerate()
        .map(|(i, g)| (g.as_str(), i))
        .collect();
    let mut layer = vec![0usize; jobs.len()];
    for i in 0..jobs.len() {
        layer[i] = deps[i].iter().map(|&d| layer[d] + 1).max().unwrap_or(0);
    }
    // Groups and items, in the order their first job comes.
    let mut by_name: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut items_by_name: Vec<BTreeMap<String, usize>> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut place = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        let graph = graph_index.get(job.graph.as_str()).copied().unwrap_or(0);
        let key = (graph, group_name(job));
        let g = match by_name.get(&key) {
            Some(&g) => g,
            None => {
                groups.push(Group {
                    name: key.1.clone(),
                    kind: job.kind.clone(),
                    graph,
                    layer: layer[i],
                    order: 0,
                    items: Vec::new(),
                });
                items_by_name.push(BTreeMap::new());
                by_name.insert(key, groups.len() - 1);
                groups.len() - 1
            }
        };
        let group = &mut groups[g];
        group.layer = group.layer.min(layer[i]);
        let name = item_name(job);
        let it = match items_by_name[g].get(&name) {
            Some(&it) => it,
            None => {
                group.items.push(Item {
                    name: name.clone(),
                    jobs: Vec::new(),
                });
                items_by_name[g].insert(name, group.items.len() - 1);
                group.items.len() - 1
            }
        };
        group.items[it].jobs.push(i);
        place.push((g, it));
    }
    let mut edges: Vec<(usize, usize)> = deps
        .iter()
        .enumerate()
        .flat_map(|(i, ds)| {
            let to = place[i].0;
            ds.iter().map(move |&d| (to, d))
        })
        .map(|(to, d)| (to, place[d].0))
        .filter(|(a, b)| a != b)
        .collect();
    edges.sort_unstable();
    edges.dedup();
    order(&mut groups, &edges);
    for g in &mut groups {
        for it in &mut g.items {
            it.name = fold(&it.name, it.jobs.len(), jobs, &it.jobs);
        }
    }
    Layout {
        groups,
        place,
        layer,
        edges,
    }
}

/// An item's name: the label, or for folded chunks "label 1–5".
fn fold(name: &str, n: usize, jobs: &[Box<Job>], members: &[usize]) -> String {
    if n < 2 {
        return jobs[members[0]].label.clone();
    }
    let chunks: Vec<u32> = members
        .iter()
        .filter_map(|&j| jobs[j].chunk.as_ref().map(|c| c.this))
        .collect();
    let (lo, hi) = (chunks.iter().min(), chunks.iter().max());
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{name} {lo}\u{2013}{hi}"),
        _ => name.to_owned(),
    }
}

/// Orders each layer's groups by the mean place of their upstream groups in earlier layers
/// (one barycentre sweep), ties by graph and name, so the picture is the same on every run.
fn order(groups: &mut [Group], edges: &[(usize, usize)]) {
    let layers = groups.iter().map(|g| g.layer).max().map_or(0, |m| m + 1);
    let mut by_layer: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (i, g) in groups.iter().enumerate() {
        by_layer[g.layer].push(i);
    }
    let mut upstream: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for &(to, from) in edges {
        upstream[to].push(from);
    }
    let mut pos = vec![0f64; groups.len()];
    for members in &mut by_layer {
        let key = |g: usize, groups: &[Group], pos: &[f64]| {
            let ups: Vec<f64> = upstream[g]
                .iter()
                .filter(|&&u| groups[u].layer < groups[g].layer)
                .map(|&u| pos[u])
                .collect();
            if ups.is_empty() {
                f64::MAX
            } else {
                ups.iter().sum::<f64>() / ups.len() as f64
            }
        };
        let mut keyed: Vec<(f64, usize)> =
            members.iter().map(|&g| (key(g, groups, &pos), g)).collect();
        keyed.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then_with(|| groups[a.1].graph.cmp(&groups[b.1].graph))
                .then_with(|| groups[a.1].name.cmp(&groups[b.1].name))
        });
        for (o, &(_, g)) in keyed.iter().enumerate() {
            groups[g].order = o;
            pos[g] = o as f64;
        }
        *members = keyed.into_iter().map(|(_, g)| g).collect();
    }
}
