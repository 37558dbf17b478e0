//! Dependency cycles: every strongly connected component, each reported as a path that starts
//! at its smallest label, with every edge of it labelled.

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::Edge;
use crate::diag::{self, Diagnostic};
use crate::expand::Expanded;

/// One diagnostic per cycle, sorted by the cycle's smallest label.
pub fn find(x: &Expanded, edges: &[Vec<Edge>]) -> Vec<Diagnostic> {
    let n = x.jobs.len();
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n, edges.iter().map(Vec::len).sum());
    for _ in 0..n {
        g.add_node(());
    }
    for (i, deps) in edges.iter().enumerate() {
        for e in deps {
            g.add_edge(NodeIndex::new(e.from), NodeIndex::new(i), ());
        }
    }
    let label = |i: usize| x.jobs[i].job.label.as_str();
    let mut found: Vec<(String, Diagnostic)> = Vec::new();
    for scc in tarjan_scc(&g) {
        let self_loop = scc.len() == 1
            && edges[scc[0].index()]
                .iter()
                .any(|e| e.from == scc[0].index());
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let members: std::collections::HashSet<usize> = scc.iter().map(|i| i.index()).collect();
        let Some(&first) = members.iter().min_by_key(|&&i| label(i)) else {
            continue;
        };
        let path = cycle_through(first, &members, edges);
        found.push((label(first).to_owned(), report(x, edges, &path)));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.into_iter().map(|(_, d)| d).collect()
}

/// A cycle from `start` back to itself inside the component, following dependency order
/// (upstream to downstream), choosing the smallest label at each step for determinism.
fn cycle_through(
    start: usize,
    members: &std::collections::HashSet<usize>,
    edges: &[Vec<Edge>],
) -> Vec<usize> {
    // Breadth-first from `start` over downstream edges, back to `start`: the shortest cycle.
    let mut downstream: std::collections::HashMap<usize, Vec<usize>> =
        std::collections::HashMap::new();
    for &m in members {
        for e in &edges[m] {
            if members.contains(&e.from) {
                downstream.entry(e.from).or_default().push(m);
            }
        }
    }
    for list in downstream.values_mut() {
        list.sort_unstable();
    }
    let mut prev: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        for &v in downstream.get(&u).map(Vec::as_slice).unwrap_or(&[]) {
            if v == start {
                let mut path = vec![u];
                let mut cur = u;
                while cur != start {
                    cur = prev[&cur];
                    path.push(cur);
                }
                path.reverse();
                return path;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(v) {
                e.insert(u);
                queue.push_back(v);
            }
        }
    }
    vec![start]
}

fn report(x: &Expanded, edges: &[Vec<Edge>], path: &[usize]) -> Diagnostic {
    let label = |i: usize| x.jobs[i].job.label.as_str();
    let mut names: Vec<&str> = path.iter().map(|&i| label(i)).collect();
    names.push(label(path[0]));
    let mut d = Diagnostic::error(
        diag::DEPENDENCY_CYCLE,
        format!("dependency cycle: {}", names.join(" → ")),
    )
    .help("a job cannot wait, directly or through others, for itself: remove one of these `needs`");
    for (k, &up) in path.iter().enumerate() {
        let down = path[(k + 1) % path.len()];
        let Some(edge) = edges[down].iter().find(|e| e.from == up) else {
            continue;
        };
        let text = format!("`{}` needs `{}`", label(down), label(up));
        d = if d.primary.is_none() {
            d.at(edge.span, text)
        } else {
            d.also(edge.span, text)
        };
    }
    d
}
