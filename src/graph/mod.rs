//! Stage 5, graph: milestones, dependencies resolved to labels, and the checks that make the
//! graph a DAG with unique labels; jobs come out in topological order, ties broken by label.

pub mod artifacts;
mod cycles;
mod milestones;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::budget::{Kind, Share};
use crate::defs::values::Condition;
use crate::diag::{self, Diagnostic, Sink};
use crate::expand::job::Dependency;
use crate::expand::{Expanded, Job, JobMeta, Placed};
use crate::glob::Glob;
use crate::load::{FastHash, Sources, Span};

pub use milestones::{end, start};

/// A resolved dependency: the upstream job's index, its condition, and the `needs` that asked.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub from: usize,
    pub on: Condition,
    pub span: Span,
}

/// A (sub)graph as written in the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphInfo {
    pub path: String,
    pub active: bool,
    /// The graph template it expands.
    #[serde(skip)]
    pub template: String,
    /// The include (or trigger) that placed it.
    #[serde(skip)]
    pub site: Span,
    /// The include's `active` expression, when it made the graph inactive.
    #[serde(skip)]
    pub inactive_by: Option<Span>,
    /// What the include's `files_changed` decided.
    #[serde(skip)]
    pub touch: Option<crate::expand::Touch>,
}

/// The finished graph: subgraphs in pre-order, jobs in topological order.
#[derive(Debug, Clone, Default)]
pub struct TaskGraph {
    pub graphs: Vec<GraphInfo>,
    /// Boxed: jobs are large and move around (selection, ordering) as pointers.
    pub jobs: Vec<Box<Job>>,
    /// Where each job came from, parallel to `jobs`.
    pub meta: Vec<JobMeta>,
    /// Top-level branch keys some template read.
    pub used_branch_keys: std::collections::BTreeSet<String>,
}

impl TaskGraph {
    /// Job index by label.
    pub fn index(&self) -> HashMap<&str, usize, FastHash> {
        self.jobs
            .iter()
            .enumerate()
            .map(|(i, j)| (j.label.as_str(), i))
            .collect()
    }
}

/// Whether the graph path `path` is `root` or inside it.
pub fn within(path: &str, root: &str) -> bool {
    path == root || (path.starts_with(root) && path.as_bytes().get(root.len()) == Some(&b'/'))
}

fn duplicates<'x>(x: &'x Expanded, sink: &mut Sink) -> HashMap<&'x str, usize, FastHash> {
    let mut index: HashMap<&str, usize, FastHash> =
        HashMap::with_capacity_and_hasher(x.jobs.len(), FastHash::default());
    for (i, p) in x.jobs.iter().enumerate() {
        if let Some(&first) = index.get(p.job.label.as_str()) {
            let other = &x.jobs[first];
            sink.push(
                Diagnostic::error(diag::DUPLICATE_LABEL, format!("label `{}` is used twice", p.job.label))
                    .at(p.label_span, format!("`{}` again (graph `{}`)", p.job.label, p.job.graph))
                    .also(other.label_span, format!("first `{}` (graph `{}`)", p.job.label, other.job.graph))
                    .help("labels are unique across the whole graph: put a parameter in the node's `name`"),
            );
        } else {
            index.insert(p.job.label.as_str(), i);
        }
    }
    index
}

/// Missing dependencies whose nearest labels are suggested: each suggestion reads every
/// label, so a graph of many missing dependencies would otherwise take quadratic time.
const SUGGESTED: usize = 20;

/// Resolves every job's `needs` to edges, jobs in parallel; a missing label or a bad glob is
/// reported (in job order) and skipped. Returns the edges and what they cost.
fn resolve(
    x: &Expanded,
    index: &HashMap<&str, usize, FastHash>,
    by_label: &[usize],
    share: &Share,
    sink: &mut Sink,
) -> (Vec<Vec<Edge>>, usize) {
    let mut globs: Globs = HashMap::default();
    for need in x.jobs.iter().flat_map(|p| &p.needs).filter(|n| n.glob) {
        globs.entry(need.pattern.as_str()).or_insert_with(|| {
            let candidates = with_prefix(x, by_label, literal_prefix(&need.pattern)).len();
            (LabelGlob::new(&need.pattern), candidates)
        });
    }
    // What resolving costs is known before anything is matched: a dependency for each plain
    // `needs`, and for a glob each label it must be matched against (the labels that start
    // with its literal prefix). Over the budget, nothing is matched, and the job that crosses
    // it is the same on every run.
    let costs: Vec<usize> = x
        .jobs
        .par_iter()
        .map(|p| {
            p.needs
                .iter()
                .map(|n| {
                    if n.glob {
                        globs[n.pattern.as_str()].1
                    } else {
                        1
                    }
                })
                .fold(0, usize::saturating_add)
        })
        .collect();
    let (max, mut sum) = (share.limits.edges, 0usize);
    if let Some(i) = costs.iter().position(|c| {
        sum = sum.saturating_add(*c);
        sum > max
    }) {
        sink.push(
            Diagnostic::error(diag::EXPANSION_LIMIT, share.over(Kind::Edges))
                .at(x.jobs[i].label_span, format!("`{}` crosses the limit", x.jobs[i].job.label))
                .help(share.help(Kind::Edges, "glob `needs` over many jobs multiply: wait on a milestone (`<graph>:end`) instead")),
        );
        let cost = costs.iter().fold(0usize, |a, c| a.saturating_add(*c));
        return (vec![Vec::new(); x.jobs.len()], cost);
    }
    let resolved: Vec<(Vec<Edge>, Vec<Found>)> = (0..x.jobs.len())
        .into_par_iter()
        .map(|i| needs_of(x, i, index, by_label, &globs))
        .collect();
    let mut suggested = 0;
    let edges = resolved
        .into_iter()
        .map(|(edges, found)| {
            for (d, missing) in found {
                let d = match missing {
                    Some(label) if suggested < SUGGESTED => {
                        suggested += 1;
                        let near = crate::defs::keys::nearest(label, index.keys().copied());
                        d.help(format!("the nearest labels are {}", diag::backticked(&near)))
                    }
                    Some(_) => d.help(format!(
                        "the nearest labels are suggested for the first {SUGGESTED} missing dependencies"
                    )),
                    None => d,
                };
                sink.push(d);
            }
            edges
        })
        .collect();
    (edges, sum)
}

/// Compiled `needs` globs, with how many labels each must be matched against.
type Globs<'x> = HashMap<&'x str, (Option<LabelGlob>, usize), FastHash>;

/// A finding about a job's `needs`, with the label it needs when that is missing (the
/// nearest labels are added in job order).
type Found<'x> = (Diagnostic, Option<&'x str>);

/// The edges of job `i`, and what is wrong with its `needs`.
fn needs_of<'x>(
    x: &'x Expanded,
    i: usize,
    index: &HashMap<&str, usize, FastHash>,
    by_label: &[usize],
    globs: &Globs,
) -> (Vec<Edge>, Vec<Found<'x>>) {
    let p = &x.jobs[i];
    let (mut edges, mut found) = (Vec::new(), Vec::new());
    for need in &p.needs {
        let edge = |from| Edge {
            from,
            on: need.on,
            span: need.span,
        };
        if !need.glob {
            match index.get(need.pattern.as_str()) {
                Some(&d) => edges.push(edge(d)),
                None => found.push((
                    Diagnostic::error(
                        diag::MISSING_DEPENDENCY,
                        format!(
                            "`{}` needs `{}`, which is not defined",
                            p.job.label, need.pattern
                        ),
                    )
                    .at(need.span, format!("no job is labelled `{}`", need.pattern)),
                    Some(need.pattern.as_str()),
                )),
            }
            continue;
        }
        let Some((Some(matcher), _)) = globs.get(need.pattern.as_str()) else {
            found.push((
                Diagnostic::error(
                    diag::INVALID_VALUE,
                    format!("`{}` is not a valid label glob", need.pattern),
                )
                .at(need.span, "invalid glob"),
                None,
            ));
            continue;
        };
        // A glob matches within the graph that wrote it and its subgraphs; an active job's
        // glob matches only active jobs (the others will not run). Only the labels that start
        // with the glob's literal prefix can match: a binary search finds them, so a graph of
        // many `build-{{ platform }}-*` globs stays linear.
        let scope = &x.graphs[p.graph].path;
        for &d in with_prefix(x, by_label, literal_prefix(&need.pattern)) {
            let q = &x.jobs[d];
            if d != i
                && (q.job.active || !p.job.active)
                && within(&q.job.graph, scope)
                && matcher.is_match(&q.job.label)
            {
                edges.push(edge(d));
                if edges.len() > MAX_EDGES_PER_JOB {
                    found.push((
                        Diagnostic::error(
                            diag::EXPANSION_LIMIT,
                            format!(
                                "`{}` depends on more than {MAX_EDGES_PER_JOB} jobs",
                                p.job.label
                            ),
                        )
                        .at(need.span, "this glob"),
                        None,
                    ));
                    edges.clear();
                    return (edges, found);
                }
            }
        }
    }
    (edges, found)
}

/// Dependency edges of one job (those of a graph are in [`crate::budget`]).
pub const MAX_EDGES_PER_JOB: usize = 100_000;

/// Job indices in label order.
fn sorted_by_label(x: &Expanded) -> Vec<usize> {
    let mut sorted: Vec<usize> = (0..x.jobs.len()).collect();
    sorted.par_sort_unstable_by(|&a, &b| x.jobs[a].job.label.cmp(&x.jobs[b].job.label));
    sorted
}

/// The jobs of `sorted` whose label starts with `prefix`.
fn with_prefix<'a>(x: &Expanded, sorted: &'a [usize], prefix: &str) -> &'a [usize] {
    let label = |d: &usize| x.jobs[*d].job.label.as_str();
    let lo = sorted.partition_point(|d| label(d) < prefix);
    let len = sorted[lo..].partition_point(|d| label(d).starts_with(prefix));
    &sorted[lo..lo + len]
}

/// A compiled `needs` glob.
enum LabelGlob {
    /// `prefix*`, the commonest: every label with the prefix matches, no regex needed.
    Prefix,
    Matcher(Glob),
}

impl LabelGlob {
    fn new(pattern: &str) -> Option<LabelGlob> {
        if &pattern[literal_prefix(pattern).len()..] == "*" {
            return Some(LabelGlob::Prefix);
        }
        Glob::new(pattern).ok().map(LabelGlob::Matcher)
    }

    /// Whether a label that starts with the glob's literal prefix matches.
    fn is_match(&self, label: &str) -> bool {
        match self {
            LabelGlob::Prefix => true,
            LabelGlob::Matcher(m) => m.is_match(label),
        }
    }
}

/// The part of a glob before its first special character: every match starts with it.
fn literal_prefix(glob: &str) -> &str {
    let end = glob.find(['*', '?', '[', '{', '\\']).unwrap_or(glob.len());
    &glob[..end]
}

/// Builds the graph: wires milestones, resolves `needs`, and checks labels and cycles,
/// reporting every problem found.
/// Builds the graph and reports every structural problem at once. A missing dependency or a
/// cycle still gives a graph (the edge left out; jobs on or behind a cycle last, in label
/// order), so that every rule can run over it and `lint` reports everything it can; labels
/// that are not unique give none.
///
/// Dependencies are made within `share`; how many were made is returned too.
pub fn build(
    mut x: Expanded,
    sources: &Sources,
    share: &Share,
) -> (Option<TaskGraph>, Vec<Diagnostic>, usize) {
    milestones::add(&mut x, sources);
    let mut sink = Sink::default();
    // Each job's rank in label order: ties in the topological order and dependency lists are
    // broken by label, and comparing ranks is cheaper than comparing labels.
    let by_label = sorted_by_label(&x);
    let mut rank = vec![0u32; x.jobs.len()];
    for (r, &i) in by_label.iter().enumerate() {
        rank[i] = r as u32;
    }
    let index = duplicates(&x, &mut sink);
    let unique = sink.is_empty();
    let (mut edges, made) = resolve(&x, &index, &by_label, share, &mut sink);
    let lookup = |label: String| index.get(label.as_str()).copied();
    let starts: Option<Vec<usize>> = x.graphs.iter().map(|g| lookup(start(&g.path))).collect();
    let ends: Option<Vec<usize>> = x.graphs.iter().map(|g| lookup(end(&g.path))).collect();
    if let (Some(starts), Some(ends)) = (starts, ends) {
        milestones::wire_ends(&x, &mut edges, &starts, &ends);
    }
    drop(index);
    let mut order = topological(&rank, &edges);
    // Only a graph with a cycle leaves jobs out of the order; then say where every cycle is.
    if order.len() < x.jobs.len() {
        cycles::find(&x, &edges)
            .into_iter()
            .for_each(|d| sink.push(d));
        let mut placed = vec![false; x.jobs.len()];
        order.iter().for_each(|&i| placed[i] = true);
        order.extend(by_label.iter().copied().filter(|&i| !placed[i]));
    }
    if !unique {
        return (None, sink.diagnostics, made);
    }
    let graphs = x
        .graphs
        .iter()
        .map(|g| GraphInfo {
            path: g.path.clone(),
            active: g.active,
            template: g.template.clone(),
            site: g.site,
            inactive_by: g.inactive_by,
            touch: g.touch.clone(),
        })
        .collect();
    let dependencies: Vec<Wired> = edges
        .par_iter_mut()
        .map(|deps| dependencies(&x, &rank, deps))
        .collect();
    let mut slots: Vec<Option<(Placed, Wired)>> =
        x.jobs.into_iter().zip(dependencies).map(Some).collect();
    let mut jobs = Vec::with_capacity(order.len());
    let mut meta = Vec::with_capacity(order.len());
    for i in order {
        let Some((placed, (deps, spans))) = slots[i].take() else {
            continue;
        };
        let (mut job, mut m) = (placed.job, placed.meta);
        job.dependencies = deps;
        m.dependencies = spans;
        jobs.push(job);
        meta.push(m);
    }
    let mut graph = TaskGraph {
        graphs,
        jobs,
        meta,
        used_branch_keys: x.used_branch_keys,
    };
    artifacts::resolve(&mut graph);
    (Some(graph), sink.diagnostics, made)
}

/// A job's dependencies, and the span of the `needs` behind each.
type Wired = (Vec<Dependency>, Vec<Span>);

/// A job's dependencies in label order, one per upstream (the conditions of several `needs` of
/// the same job merged), with the span of the `needs` behind each.
fn dependencies(x: &Expanded, rank: &[u32], edges: &mut [Edge]) -> Wired {
    edges.sort_by_key(|e| rank[e.from]);
    let (mut deps, mut spans) = (Vec::<Dependency>::with_capacity(edges.len()), Vec::new());
    for e in edges.iter() {
        let label = &x.jobs[e.from].job.label;
        match deps.last_mut() {
            Some(last) if last.label == *label => last.on = last.on.union(e.on),
            _ => {
                deps.push(Dependency {
                    label: label.clone(),
                    on: e.on,
                });
                spans.push(e.span);
            }
        }
    }
    (deps, spans)
}

/// Kahn's algorithm, always taking the smallest ready label: deterministic order. Jobs on or
/// behind a cycle are left out.
fn topological(rank: &[u32], edges: &[Vec<Edge>]) -> Vec<usize> {
    let n = rank.len();
    let mut indegree = vec![0usize; n];
    let mut downstream: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, deps) in edges.iter().enumerate() {
        for e in deps {
            indegree[i] += 1;
            downstream[e.from].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<(u32, usize)>> = (0..n)
        .filter(|&i| indegree[i] == 0)
        .map(|i| Reverse((rank[i], i)))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, i))) = ready.pop() {
        order.push(i);
        for &d in &downstream[i] {
            indegree[d] -= 1;
            if indegree[d] == 0 {
                ready.push(Reverse((rank[d], d)));
            }
        }
    }
    order
}

#[cfg(test)]
mod tests;
