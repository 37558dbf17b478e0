//! Stage 4, expand: from the trigger's root graph to every job, following includes (`when`,
//! `active`, parameters), matrices (`for`), chunks and `needs`. Wiring is left to `graph`.

mod changed;
mod combo;
mod fields;
mod graph;
pub mod job;
pub mod label;
mod matrix;
mod needs;
mod overrides;
pub(crate) mod params;

use std::sync::Arc;

use indexmap::IndexMap;
use minijinja::Value;
use rayon::prelude::*;

pub use changed::Touch;
pub use fields::condition_of;
pub use job::{Job, JobMeta, Origin};
pub use needs::Need;

use crate::branch::Branch;
use crate::defs::keys::{Spanned, suggestion};
use crate::defs::{Defs, GraphNode, JobTemplate};
use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::load::{Node, Sources, Span};
use crate::render::{Renderer, Scope, Tracked, environment, fuel, to_value};
use combo::placed_by;
use params::Given;

use crate::budget::{Kind, Limits, Share};

/// Bounds that keep a runaway definition from exhausting memory (jobs, dependencies and fuel
/// are in [`crate::budget`]).
/// Graph instances (the root and every include): each costs two milestones and a path, and
/// includes that include each other ten times per level would otherwise multiply forever.
pub const MAX_GRAPHS: usize = 100_000;
pub const MAX_MATRIX: usize = 1_000_000;
pub const MAX_INCLUDE_DEPTH: usize = 32;
pub const MAX_CHUNKS: u64 = 1000;
/// Matrix combinations expanded in parallel at a time.
const COMBO_BATCH: usize = 512;

/// One (sub)graph of the expanded graph-of-graphs.
#[derive(Debug, Clone)]
pub struct GraphInstance {
    /// `per-checkin`, `per-checkin/pgo`, ...
    pub path: String,
    pub template: String,
    pub active: bool,
    pub parent: Option<usize>,
    /// The include (or trigger) that placed this graph.
    pub site: Span,
    /// What the graph's `:start` milestone waits for, besides its parent's start.
    pub needs: Vec<Need>,
    /// The include's `active` expression, when it made this graph inactive.
    pub inactive_by: Option<Span>,
    /// What the include's `files_changed` decided.
    pub touch: Option<changed::Touch>,
}

/// A job placed in a graph, with its dependencies still unresolved.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Boxed: a job is large, and the list of placed jobs grows by doubling.
    pub job: Box<Job>,
    pub graph: usize,
    pub needs: Vec<Need>,
    /// The node's `name`, where duplicate labels point.
    pub label_span: Span,
    pub meta: JobMeta,
}

/// The result of expansion: graphs in pre-order, jobs in definition order.
#[derive(Debug, Clone, Default)]
pub struct Expanded {
    pub graphs: Vec<GraphInstance>,
    pub jobs: Vec<Placed>,
    /// Top-level branch keys some template read.
    pub used_branch_keys: std::collections::BTreeSet<String>,
}

/// Where a node's jobs come from: the same for each of them.
struct Site<'t> {
    /// The job template's fields (none for inline jobs).
    template_fields: &'t crate::defs::Fields,
    /// The job template (or the node, for inline jobs).
    source: String,
    placed_at: String,
    /// The fields set for the node's jobs, unless customized.
    origins: fields::Origins,
    /// What the node's `files_changed` decided: the same for every combination.
    touch: Option<changed::Touch>,
}

/// What the run asked for.
pub struct Run<'a> {
    pub branch: &'a Branch,
    pub trigger: &'a str,
    /// The run's parameters (`--param`, `--params`), seen by templates as `params`.
    pub params: Value,
    /// Jobs customized for this run (`--set`).
    pub overrides: &'a Overrides,
    /// The files the push changed, when the run was told (`files_changed`).
    pub changed: Option<&'a [String]>,
    /// What this graph may make, with the other graphs the command expands.
    pub budget: &'a crate::budget::Budget,
}

struct Expander<'a, 'e, 't> {
    defs: &'t Defs,
    r: &'a Renderer<'e, 't>,
    sources: &'a Sources,
    root: Arc<Scope>,
    out: Expanded,
    sink: Sink,
    /// Graphs being expanded, with the include that entered each: for cycle reports.
    stack: Vec<(String, Span)>,
    /// The run's `--set` fields, by label, and the labels they were applied to.
    overrides: &'t Overrides,
    used_overrides: std::collections::BTreeSet<String>,
    /// A limit was reached: nothing more is expanded.
    stopped: bool,
    changed: Option<&'t [String]>,
    /// What this graph may make.
    share: Share<'t>,
}

pub use overrides::Overrides;

static NO_OVERRIDES: std::sync::LazyLock<crate::defs::Fields> =
    std::sync::LazyLock::new(crate::defs::Fields::default);

/// Expands the trigger's root graph for the branch within `share`, and says what that spent,
/// also when it failed: a graph that failed counts against the run's total too.
pub fn expand<'t>(
    defs: &'t Defs,
    sources: &Sources,
    run: &Run<'t>,
    share: &Share,
) -> (Result<Expanded, Failure>, Limits) {
    let mut jobs = 0;
    let (expanded, fuel) = fuel::budgeted(share.limits.fuel, || {
        expand_within(defs, sources, run, share, &mut jobs)
    });
    crate::timings::count("fuel", fuel);
    let expanded = expanded.map_err(|mut f| {
        // The renderer cannot tell whose fuel ran out: the graph's, or the run's.
        for d in f.diagnostics.iter_mut() {
            if d.code == diag::EXPANSION_LIMIT && d.message == crate::render::FUEL_EXHAUSTED {
                d.message = share.over(Kind::Fuel);
                d.help = Some(share.help(Kind::Fuel, &d.help.take().unwrap_or_default()));
            }
        }
        f
    });
    let spent = Limits {
        jobs,
        edges: 0,
        fuel,
    };
    (expanded, spent)
}

fn expand_within<'t>(
    defs: &'t Defs,
    sources: &Sources,
    run: &Run<'t>,
    share: &Share,
    jobs: &mut usize,
) -> Result<Expanded, Failure> {
    let env = environment();
    let mut r = Renderer::new(&env, sources);
    let mut sink = Sink::default();
    prepare(&mut r, defs, &mut sink);
    if !sink.is_empty() {
        return Err(sink.diagnostics.into());
    }
    let root_def = run.branch.root(run.trigger)?;
    let branch = Tracked::new(match run.branch.node.as_map() {
        Some(m) => m
            .iter()
            .map(|(k, e)| (k.to_owned(), to_value(&e.value)))
            .collect(),
        None => IndexMap::default(),
    });
    let branch_value = Value::from_dyn_object(branch.clone());
    let mut x = Expander {
        defs,
        r: &r,
        sources,
        root: Scope::root(branch_value, run.params.clone()),
        out: Expanded::default(),
        sink,
        stack: Vec::new(),
        overrides: run.overrides,
        used_overrides: Default::default(),
        stopped: false,
        changed: run.changed,
        share: *share,
    };
    let graph = &root_def.graph;
    if let Err(d) = label::check(&graph.value, "graph name", graph.span) {
        x.sink.push(d);
        return x.sink.finish(x.out);
    }
    x.graph(
        graph,
        graph.value.clone(),
        true,
        None,
        &IndexMap::new(),
        graph.span,
        Vec::new(),
        None,
    );
    x.out.used_branch_keys = branch.used().map(str::to_owned).collect();
    // Only when every job was placed: a job that failed (maybe through its `--set`) is not
    // missing.
    if x.sink.diagnostics.is_empty() {
        overrides::report_unused(run.overrides, &x.used_overrides, &x.out, &mut x.sink);
    }
    *jobs = x.jobs_so_far();
    x.sink.finish(x.out)
}

/// Compiles every template of the definitions once, reporting every syntax error.
fn prepare<'t>(r: &mut Renderer<'_, 't>, defs: &'t Defs, sink: &mut Sink) {
    defs.config
        .defaults
        .values()
        .for_each(|n| r.prepare(n, sink));
    for job in defs.jobs.values() {
        job.fields.values().for_each(|n| r.prepare(n, sink));
    }
    for graph in defs.graphs.values() {
        for inc in &graph.includes {
            [&inc.name, &inc.when, &inc.active, &inc.params, &inc.needs]
                .into_iter()
                .flatten()
                .for_each(|n| r.prepare(n, sink));
        }
        for node in &graph.nodes {
            r.prepare(&node.name, sink);
            [
                &node.matrix,
                &node.params,
                &node.when,
                &node.active,
                &node.needs,
            ]
            .into_iter()
            .flatten()
            .for_each(|n| r.prepare(n, sink));
            node.fields.values().for_each(|n| r.prepare(n, sink));
        }
    }
}

/// Renders a `params:` mapping into given values.
fn given_params<'t>(
    r: &Renderer<'_, 't>,
    node: Option<&'t Node>,
    scope: &Arc<Scope>,
) -> Result<IndexMap<String, Given>, Diagnostic> {
    let mut out = IndexMap::new();
    let Some(node) = node else { return Ok(out) };
    let map = crate::defs::keys::expect_map(node, "`params`")?;
    for (key, entry) in map.iter() {
        let value = r.render(&entry.value, scope)?;
        out.insert(
            key.to_owned(),
            Given {
                value,
                span: entry.value.span,
                explicit: true,
            },
        );
    }
    Ok(out)
}

impl<'t> Expander<'_, '_, 't> {
    /// Jobs placed so far, with the two milestones of every graph instance.
    fn jobs_so_far(&self) -> usize {
        self.out.jobs.len() + 2 * self.out.graphs.len()
    }

    fn unknown(
        &self,
        what: &str,
        name: &Spanned<String>,
        known: Vec<&str>,
        code: diag::Code,
    ) -> Diagnostic {
        Diagnostic::error(code, format!("unknown {what} `{}`", name.value))
            .at(name.span, format!("no {what} has this name"))
            .help(suggestion(&name.value, &known))
    }

    fn node(
        &mut self,
        gi: usize,
        node: &'t GraphNode,
        gscope: &Arc<Scope>,
        graph_active: bool,
    ) -> Result<(), Diagnostic> {
        let defs = self.defs;
        let template: Option<&'t JobTemplate> = match &node.job {
            None => None,
            Some(name) => Some(defs.jobs.get(&name.value).ok_or_else(|| {
                self.unknown(
                    "job template",
                    name,
                    defs.jobs.keys().map(String::as_str).collect(),
                    diag::UNKNOWN_JOB,
                )
            })?),
        };
        let source = match template {
            Some(t) => self.sources.location(t.name.span),
            None => self.sources.location(node.span.span),
        };
        let template_fields = template.map_or(&*NO_OVERRIDES, |t| &t.fields);
        let touch = match &node.files_changed {
            Some(f) => Some(changed::touch(f, self.changed)?),
            None => None,
        };
        let site = Site {
            touch,
            template_fields,
            source,
            placed_at: self.sources.location(node.span.span),
            origins: fields::origins([
                &NO_OVERRIDES,
                &node.fields,
                template_fields,
                &defs.config.defaults,
            ]),
        };
        // Combinations render in parallel, a batch at a time so that the job limit still
        // stops a runaway matrix early; results are taken in order, so output and the first
        // error reported do not depend on scheduling.
        for batch in self.matrix(node, gscope)?.chunks(COMBO_BATCH) {
            let placed: Vec<_> = {
                let place = |combo: &Vec<(String, Value)>| -> Result<Vec<Placed>, Diagnostic> {
                    let nscope = gscope.with(combo.clone());
                    if let Some(when) = &node.when
                        && !self.r.render_bool(when, &nscope, "`when`")?
                    {
                        return Ok(Vec::new());
                    }
                    self.combo(
                        gi,
                        node,
                        template,
                        &nscope,
                        combo.clone(),
                        graph_active,
                        &site,
                    )
                    .map_err(|d| placed_by(d, node, combo))
                };
                // Each combination may spend its share of what is left of the run's fuel.
                let share = fuel::left() / batch.len() as u64;
                batch
                    .par_iter()
                    .map(|combo| fuel::budgeted(share, || place(combo)))
                    .collect()
            };
            for (jobs, cost) in placed {
                // Running out was reported by the template that did.
                let _ = fuel::charge(cost);
                let jobs = jobs?;
                let customized = jobs.iter().filter(|p| p.job.customized);
                self.used_overrides
                    .extend(customized.map(|p| p.job.label.clone()));
                self.out.jobs.extend(jobs);
                if self.jobs_so_far() > self.share.limits.jobs {
                    self.stopped = true;
                    return Err(Diagnostic::error(
                        diag::EXPANSION_LIMIT,
                        self.share.over(Kind::Jobs),
                    )
                    .at(node.name.span, "expansion stopped here")
                    .help(
                        self.share
                            .help(Kind::Jobs, "make fewer combinations, or split the graph"),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
