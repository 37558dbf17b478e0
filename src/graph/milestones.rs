//! `<path>:start` and `<path>:end`: every (sub)graph gets a milestone before all its roots and
//! one after all its leaves, so other graphs can wait for "all of PGO" without naming its jobs.

use crate::defs::values::Condition;
use crate::expand::{Expanded, Job, JobMeta, Need, Placed};
use crate::load::Sources;

use super::Edge;

pub fn start(path: &str) -> String {
    format!("{path}:start")
}

pub fn end(path: &str) -> String {
    format!("{path}:end")
}

/// Adds the milestones and wires each graph's roots to its start; ends are wired by
/// [`wire_ends`] once dependencies are resolved.
pub fn add(x: &mut Expanded, sources: &Sources) {
    let mut rooted: Vec<bool> = vec![false; x.graphs.len()];
    for placed in &mut x.jobs {
        if placed.needs.is_empty() {
            let path = &x.graphs[placed.graph].path;
            placed.needs.push(Need::new(
                start(path),
                Condition::SUCCESS,
                placed.label_span,
            ));
            rooted[placed.graph] = true;
        }
    }
    for (gi, g) in x.graphs.iter().enumerate() {
        let source = sources.location(g.site);
        let mut needs = g.needs.clone();
        if let Some(parent) = g.parent {
            needs.push(Need::new(
                start(&x.graphs[parent].path),
                Condition::SUCCESS,
                g.site,
            ));
        }
        let meta = JobMeta {
            label: g.site,
            node: g.site,
            ..JobMeta::default()
        };
        x.jobs.push(Placed {
            job: Box::new(Job::milestone(
                start(&g.path),
                &g.path,
                g.active,
                source.clone(),
            )),
            graph: gi,
            needs,
            label_span: g.site,
            meta: meta.clone(),
        });
        x.jobs.push(Placed {
            job: Box::new(Job::milestone(end(&g.path), &g.path, g.active, source)),
            graph: gi,
            needs: Vec::new(),
            label_span: g.site,
            meta,
        });
    }
}

/// The members of each graph whose end milestone waits on them: its own jobs and its direct
/// subgraphs' ends, minus those another member depends on.
pub fn wire_ends(
    x: &Expanded,
    edges: &mut [Vec<Edge>],
    index_of_start: &[usize],
    index_of_end: &[usize],
) {
    let n = x.jobs.len();
    let graph_of_end: std::collections::HashMap<usize, usize> = index_of_end
        .iter()
        .enumerate()
        .map(|(g, &j)| (j, g))
        .collect();
    // The graph a job counts as a member of, for leaf purposes.
    let member_of = |j: usize| -> Option<usize> {
        match graph_of_end.get(&j) {
            Some(&g) => x.graphs[g].parent,
            None if x.jobs[j].job.kind == "milestone" => None,
            None => Some(x.jobs[j].graph),
        }
    };
    let mut has_member_downstream = vec![false; n];
    for (j, deps) in edges.iter().enumerate() {
        let Some(g) = member_of(j) else { continue };
        for e in deps {
            if member_of(e.from) == Some(g) {
                has_member_downstream[e.from] = true;
            }
        }
    }
    let mut leaves: Vec<Vec<usize>> = vec![Vec::new(); x.graphs.len()];
    for (j, &inner) in has_member_downstream.iter().enumerate() {
        // An active graph does not wait for what will not run.
        if let Some(g) =
            member_of(j).filter(|&g| !inner && (x.jobs[j].job.active || !x.graphs[g].active))
        {
            leaves[g].push(j);
        }
    }
    for (g, &end_index) in index_of_end.iter().enumerate() {
        let span = x.graphs[g].site;
        if leaves[g].is_empty() {
            edges[end_index].push(Edge {
                from: index_of_start[g],
                on: Condition::FINISHED,
                span,
            });
        }
        for &leaf in &leaves[g] {
            edges[end_index].push(Edge {
                from: leaf,
                on: Condition::FINISHED,
                span,
            });
        }
    }
}
