//! The clusters the view nests its groups in: each (sub)graph inside the graph that includes
//! it, and within a graph, the groups of one kind when there are several (`build`, 20 groups).
//! The page collapses a cluster into one node, so that a graph of 9,000 groups still opens on
//! an overview that fits a screen.

use std::collections::BTreeMap;

use super::layout::Group;

#[derive(Debug)]
pub struct Cluster {
    pub name: String,
    /// The enclosing cluster, if any.
    pub parent: Option<usize>,
    pub graph: usize,
    /// Node ids in the order the page stacks them: a group's index, or `groups.len()` plus a
    /// cluster's index.
    pub children: Vec<usize>,
}

/// The clusters of `groups` (in a graph of `graphs`, pre-order paths); each group's cluster
/// is returned beside them.
pub fn clusters(groups: &[Group], graphs: &[String]) -> (Vec<Cluster>, Vec<usize>) {
    let mut out: Vec<Cluster> = Vec::with_capacity(graphs.len());
    for (i, path) in graphs.iter().enumerate() {
        // Pre-order: the innermost enclosing graph is the last one before it that contains it.
        let parent = (0..i)
            .rev()
            .find(|&p| crate::graph::within(path, &graphs[p]));
        out.push(Cluster {
            name: path.clone(),
            parent,
            graph: i,
            children: Vec::new(),
        });
    }
    let mut per_kind: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for group in groups {
        *per_kind.entry((group.graph, &group.kind)).or_default() += 1;
    }
    let mut kind_cluster: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for (&(graph, kind), &n) in &per_kind {
        if n > 1 && kind != "milestone" {
            out.push(Cluster {
                name: kind.to_owned(),
                parent: Some(graph),
                graph,
                children: Vec::new(),
            });
            kind_cluster.insert((graph, kind), out.len() - 1);
        }
    }
    let home: Vec<usize> = groups
        .iter()
        .map(|group| {
            kind_cluster
                .get(&(group.graph, group.kind.as_str()))
                .copied()
                .unwrap_or(group.graph)
        })
        .collect();
    order_children(&mut out, groups, &home);
    (out, home)
}

/// Each cluster's children, ordered by their first layer and then the mean place of their
/// groups within their layers (the layout's barycentre order), ties by node id.
fn order_children(clusters: &mut [Cluster], groups: &[Group], home: &[usize]) {
    let n = groups.len();
    // (first layer, sum of orders, number of groups) per node, clusters summed bottom-up:
    // a cluster comes after its parent, so walking them backwards sees children first.
    let mut key: Vec<(usize, f64, usize)> = groups
        .iter()
        .map(|g| (g.layer, g.order as f64, 1))
        .chain(clusters.iter().map(|_| (usize::MAX, 0.0, 0)))
        .collect();
    for (g, &c) in home.iter().enumerate() {
        let k = key[g];
        add(&mut key, n + c, k);
    }
    for c in (0..clusters.len()).rev() {
        if let Some(p) = clusters[c].parent {
            let k = key[n + c];
            add(&mut key, n + p, k);
        }
    }
    for (g, &c) in home.iter().enumerate() {
        clusters[c].children.push(g);
    }
    for c in 0..clusters.len() {
        if let Some(p) = clusters[c].parent {
            clusters[p].children.push(n + c);
        }
    }
    let mean = |k: &(usize, f64, usize)| k.1 / k.2.max(1) as f64;
    for c in clusters.iter_mut() {
        c.children.sort_by(|&a, &b| {
            key[a]
                .0
                .cmp(&key[b].0)
                .then_with(|| mean(&key[a]).total_cmp(&mean(&key[b])))
                .then_with(|| a.cmp(&b))
        });
    }
}

fn add(key: &mut [(usize, f64, usize)], to: usize, from: (usize, f64, usize)) {
    let k = &mut key[to];
    k.0 = k.0.min(from.0);
    k.1 += from.1;
    k.2 += from.2;
}
