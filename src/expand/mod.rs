//! Stage 4, expand: from the trigger's root graph to every job, following includes (`when`,
//! `active`, parameters), matrices (`for`), chunks and `needs`. Wiring is left to `graph`.

mod fields;
pub mod job;
pub mod label;
mod needs;
mod overrides;
pub(crate) mod params;

use std::sync::Arc;

use indexmap::IndexMap;
use minijinja::Value;
use minijinja::value::ValueKind;
use rayon::prelude::*;

pub use fields::condition_of;
pub use job::{Job, JobMeta, Origin};
pub use needs::Need;

use crate::branch::Branch;
use crate::defs::keys::{Spanned, suggestion};
use crate::defs::{Defs, GraphNode, Include, JobTemplate};
use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::load::{Node, Sources, Span};
use crate::render::{Renderer, Scope, Tracked, environment, fuel, text, to_json, to_value};
use fields::{FieldReader, Layer, integer_of};
use params::{Given, bind};

/// Bounds that keep a runaway definition from exhausting memory.
pub const MAX_JOBS: usize = 2_000_000;
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
}

/// What the run asked for.
pub struct Run<'a> {
    pub branch: &'a Branch,
    pub trigger: &'a str,
    /// The run's parameters (`--param`, `--params`), seen by templates as `params`.
    pub params: Value,
    /// Jobs customized for this run (`--set`).
    pub overrides: &'a Overrides,
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
}

pub use overrides::Overrides;

static NO_OVERRIDES: std::sync::LazyLock<crate::defs::Fields> =
    std::sync::LazyLock::new(crate::defs::Fields::default);

/// Expands the trigger's root graph for the branch, within one run's template fuel.
pub fn expand<'t>(defs: &'t Defs, sources: &Sources, run: &Run<'t>) -> Result<Expanded, Failure> {
    fuel::budgeted(fuel::PER_RUN, || expand_within(defs, sources, run)).0
}

fn expand_within<'t>(
    defs: &'t Defs,
    sources: &Sources,
    run: &Run<'t>,
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

    #[expect(
        clippy::too_many_arguments,
        reason = "one call site per kind of graph entry"
    )]
    fn graph(
        &mut self,
        name: &Spanned<String>,
        path: String,
        active: bool,
        parent: Option<usize>,
        given: &IndexMap<String, Given>,
        site: Span,
        needs: Vec<Need>,
        inactive_by: Option<Span>,
    ) {
        let defs = self.defs;
        let Some(graph) = defs.graphs.get(&name.value) else {
            let known = defs.graphs.keys().map(String::as_str).collect();
            let d = self.unknown("graph", name, known, diag::UNKNOWN_GRAPH);
            self.sink.push(d);
            return;
        };
        if let Some(pos) = self.stack.iter().position(|(g, _)| *g == name.value) {
            self.include_cycle(pos, name);
            return;
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            self.sink.push(
                Diagnostic::error(
                    diag::INCLUDE_DEPTH,
                    format!("includes nest deeper than {MAX_INCLUDE_DEPTH} graphs"),
                )
                .at(site, "this include is too deep")
                .help("flatten the chain of includes"),
            );
            return;
        }
        if self.out.graphs.len() >= MAX_GRAPHS || self.jobs_so_far() + 2 > MAX_JOBS {
            if !self.stopped {
                self.sink.push(
                    Diagnostic::error(
                        diag::EXPANSION_LIMIT,
                        format!(
                            "the graph has more than {MAX_GRAPHS} subgraphs or {MAX_JOBS} jobs (milestones counted)"
                        ),
                    )
                    .at(site, "expansion stopped here")
                    .help("include fewer graphs, or include them fewer times"),
                );
            }
            self.stopped = true;
            return;
        }
        let owner = format!("graph `{}`", name.value);
        let bound = bind(&graph.params, given, &owner, site, &mut self.sink);
        let scope = self.root.with(bound);
        let index = self.out.graphs.len();
        self.out.graphs.push(GraphInstance {
            path: path.clone(),
            template: name.value.clone(),
            active,
            parent,
            site,
            needs,
            inactive_by,
        });
        self.stack.push((name.value.clone(), site));
        for node in &graph.nodes {
            if self.stopped || self.jobs_so_far() > MAX_JOBS || fuel::check().is_err() {
                break;
            }
            if let Err(d) = self.node(index, node, &scope, active) {
                // Say which include produced the value, when the graph is a subgraph.
                let d = match parent {
                    Some(_) if d.primary.as_ref().is_some_and(|p| p.span != site) => d.also(
                        site,
                        format!("graph `{}` is included here, as `{path}`", name.value),
                    ),
                    _ => d,
                };
                self.sink.push(d);
            }
        }
        for inc in &graph.includes {
            if self.stopped || fuel::check().is_err() {
                break;
            }
            if let Err(d) = self.include(index, &path, inc, &scope, active) {
                self.sink.push(d);
            }
        }
        self.stack.pop();
    }

    fn include_cycle(&mut self, pos: usize, name: &Spanned<String>) {
        let mut chain: Vec<&str> = self.stack[pos..].iter().map(|(g, _)| g.as_str()).collect();
        chain.push(&name.value);
        let mut d = Diagnostic::error(
            diag::INCLUDE_CYCLE,
            format!(
                "graphs include each other in a cycle: {}",
                chain.join(" → ")
            ),
        )
        .at(
            name.span,
            format!("`{}` is included again here", name.value),
        )
        .help("a graph cannot include itself, directly or through other graphs");
        for (g, span) in &self.stack[pos + 1..] {
            d = d.also(*span, format!("`{g}` included here"));
        }
        self.sink.push(d);
    }

    fn include(
        &mut self,
        parent: usize,
        path: &str,
        inc: &'t Include,
        scope: &Arc<Scope>,
        active: bool,
    ) -> Result<(), Diagnostic> {
        let r = self.r;
        if let Some(when) = &inc.when {
            if !r.render_bool(when, scope, "`when`")? {
                return Ok(());
            }
        }
        let own_active = match &inc.active {
            Some(a) => r.render_bool(a, scope, "`active`")?,
            None => true,
        };
        let segment = match &inc.name {
            Some(n) => r.render_text(n, scope)?,
            None => inc.graph.value.clone(),
        };
        let segment_at = inc.name.as_ref().map_or(inc.graph.span, |n| n.span);
        label::check(&segment, "graph path segment", segment_at)?;
        let given = given_params(r, inc.params.as_ref(), scope)?;
        let needs = match &inc.needs {
            Some(n) => needs::render_needs(r, n, scope)?,
            None => Vec::new(),
        };
        self.graph(
            &inc.graph,
            format!("{path}/{segment}"),
            active && own_active,
            Some(parent),
            &given,
            inc.span.span,
            needs,
            inc.active.as_ref().filter(|_| !own_active).map(|a| a.span),
        );
        Ok(())
    }

    /// The matrix of a node: one set of variables per combination. Keys of a `for` mapping
    /// iterate like nested loops, outer first, and a later key's list may use earlier keys.
    /// A `for` that renders to a list of mappings gives the combinations explicitly.
    fn matrix(
        &self,
        node: &'t GraphNode,
        scope: &Arc<Scope>,
    ) -> Result<Vec<Vec<(String, Value)>>, Diagnostic> {
        let Some(m) = &node.matrix else {
            return Ok(vec![Vec::new()]);
        };
        let r = self.r;
        if let Some(map) = m
            .as_map()
            .filter(|map| !map.iter().any(|(k, _)| k.starts_with("by-")))
        {
            let mut combos: Vec<Vec<(String, Value)>> = vec![Vec::new()];
            for (key, entry) in map.iter() {
                let mut next = Vec::new();
                for combo in combos {
                    let inner = scope.with(combo.clone());
                    let values = r.render(&entry.value, &inner)?;
                    for v in as_list(&values) {
                        let mut c = combo.clone();
                        c.push((key.to_owned(), v));
                        next.push(c);
                    }
                    if next.len() > MAX_MATRIX {
                        return Err(Diagnostic::error(
                            diag::EXPANSION_LIMIT,
                            format!("`for` makes more than {MAX_MATRIX} combinations"),
                        )
                        .at(m.span, "this matrix is too large"));
                    }
                }
                combos = next;
            }
            return Ok(combos);
        }
        let rendered = r.render(m, scope)?;
        if rendered.kind() != ValueKind::Seq {
            return Err(r.not_a(
                m,
                &rendered,
                "a mapping of variable to values, or a list of mappings",
                "`for`",
            ));
        }
        let mut combos = Vec::new();
        for item in rendered.try_iter().into_iter().flatten() {
            if item.kind() != ValueKind::Map {
                return Err(r.not_a(m, &item, "a mapping of variables", "each entry of `for`"));
            }
            let keys = item.try_iter().into_iter().flatten();
            combos.push(
                keys.map(|k| (text(&k), item.get_item(&k).unwrap_or_default()))
                    .collect(),
            );
        }
        Ok(combos)
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
        let site = Site {
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
                    if let Some(when) = &node.when {
                        if !self.r.render_bool(when, &nscope, "`when`")? {
                            return Ok(Vec::new());
                        }
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
                if self.jobs_so_far() > MAX_JOBS {
                    self.stopped = true;
                    return Err(Diagnostic::error(
                        diag::EXPANSION_LIMIT,
                        format!("the graph has more than {MAX_JOBS} jobs (milestones counted)"),
                    )
                    .at(node.name.span, "expansion stopped here"));
                }
            }
        }
        Ok(())
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "the parts of one node combination"
    )]
    fn combo(
        &self,
        gi: usize,
        node: &'t GraphNode,
        template: Option<&'t JobTemplate>,
        nscope: &Arc<Scope>,
        combo: Vec<(String, Value)>,
        graph_active: bool,
        site: &Site<'t>,
    ) -> Result<Vec<Placed>, Diagnostic> {
        let r = self.r;
        let explicit = given_params(r, node.params.as_ref(), nscope)?;
        let nscope = nscope.with(explicit.iter().map(|(k, g)| (k.clone(), g.value.clone())));
        // The job template sees only its declared parameters.
        let (jscope, params, kind, job_type) = match template {
            Some(t) => {
                let mut given: IndexMap<String, Given> = combo
                    .into_iter()
                    .map(|(k, value)| {
                        (
                            k,
                            Given {
                                value,
                                span: node.span.span,
                                explicit: false,
                            },
                        )
                    })
                    .collect();
                given.extend(explicit);
                // Graph parameters flow into the job's declared parameters too.
                for name in t.params.keys() {
                    if !given.contains_key(name) {
                        if let Some(value) = nscope
                            .lookup(name)
                            .filter(|_| name != "branch" && name != "params")
                        {
                            given.insert(
                                name.clone(),
                                Given {
                                    value,
                                    span: node.span.span,
                                    explicit: false,
                                },
                            );
                        }
                    }
                }
                let mut sink = Sink::default();
                let bound = bind(
                    &t.params,
                    &given,
                    &format!("job template `{}`", t.name.value),
                    node.name.span,
                    &mut sink,
                );
                if let Some(d) = sink.diagnostics.into_iter().next() {
                    return Err(d);
                }
                let params: IndexMap<String, serde_json::Value> =
                    bound.iter().map(|(k, v)| (k.clone(), to_json(v))).collect();
                (
                    self.root.with(bound),
                    params,
                    t.kind.value.clone(),
                    t.job_type,
                )
            }
            None => {
                let kind = node
                    .kind
                    .as_ref()
                    .map_or_else(|| node.job_type.name().to_owned(), |k| k.value.clone());
                (nscope.clone(), IndexMap::new(), kind, node.job_type)
            }
        };
        let template_fields = site.template_fields;
        let defaults = &self.defs.config.defaults;
        let total = self.chunks(node, template_fields, defaults, &nscope, &jscope)?;
        let node_active = match &node.active {
            Some(a) => r.render_bool(a, &nscope, "`active`")?,
            None => true,
        };
        let active = graph_active && node_active;
        let name_has_chunk = node.name.as_str().is_some_and(|s| s.contains("chunk"));
        let graph_path = self.out.graphs[gi].path.clone();
        let mut placed = Vec::with_capacity(total as usize);
        // What does not read `chunk` renders once for all the chunks (when there are several).
        let (nchunks, jchunks) = match total {
            1 => (nscope.clone(), jscope.clone()),
            _ => (nscope.chunks(), jscope.chunks()),
        };
        for c in 1..=total {
            let nscope_c = nchunks.chunk(c, total);
            let jscope_c = jchunks.chunk(c, total);
            let mut label = r.render_text(&node.name, &nscope_c)?;
            if total > 1 && !name_has_chunk {
                label = format!("{label}-{c}");
            }
            label::check(&label, "label", node.name.span)?;
            let needs = match &node.needs {
                Some(n) => needs::render_needs(r, n, &nscope_c)?,
                None => Vec::new(),
            };
            let reader = |over: &'t crate::defs::Fields| FieldReader {
                r,
                layers: [
                    Layer {
                        fields: over,
                        scope: &jscope_c,
                    },
                    Layer {
                        fields: &node.fields,
                        scope: &nscope_c,
                    },
                    Layer {
                        fields: template_fields,
                        scope: &jscope_c,
                    },
                    Layer {
                        fields: defaults,
                        scope: &jscope_c,
                    },
                ],
            };
            let build = |f: &FieldReader| -> Result<Job, Diagnostic> {
                let special = f.type_specific(job_type)?;
                let is_task = job_type == crate::defs::values::JobType::Task;
                Ok(Job {
                    label: label.clone(),
                    graph: graph_path.clone(),
                    job: template.map(|t| t.name.value.clone()),
                    kind: kind.clone(),
                    job_type,
                    active,
                    description: f.string("description")?,
                    params: params.clone(),
                    chunk: (total > 1).then_some(job::Chunk {
                        this: c as u32,
                        total: total as u32,
                    }),
                    dependencies: Vec::new(),
                    worker: if is_task { f.json("worker")? } else { None },
                    command: if is_task && f.pick("command").is_some() {
                        Some(f.strings("command")?)
                    } else {
                        None
                    },
                    payload: if is_task {
                        f.json("payload")?.map(Box::new)
                    } else {
                        None
                    },
                    env: if is_task { f.env()? } else { IndexMap::new() },
                    priority: f.priority()?,
                    retries: f.integer("retries", u64::from(u32::MAX))?.unwrap_or(5) as u32,
                    timeouts: f.timeouts()?,
                    artifacts: f.artifacts()?,
                    locked: f.boolean("locked")?,
                    customized: false,
                    customization: None,
                    scopes: f.strings("scopes")?,
                    routes: f.strings("routes")?,
                    attributes: f.map("attributes")?,
                    breakpoint: special.breakpoint.map(Box::new),
                    timer: special.timer.map(Box::new),
                    notification: special.notification.map(Box::new),
                    result: special.result,
                    source: site.source.clone(),
                    placed_at: site.placed_at.clone(),
                })
            };
            let over = self.overrides.get(label.as_str());
            let f = reader(over.unwrap_or(&NO_OVERRIDES));
            let mut job = build(&f)?;
            let mut customized_by = Vec::new();
            if let Some(over) = over {
                let defined = build(&reader(&NO_OVERRIDES))?;
                let changes = job::changes(&defined, &job);
                job.customization = Some(Box::new(changes)).filter(|c| !c.is_empty());
                job.customized = true;
                customized_by = over.values().map(|n| n.span).collect();
            }
            let meta = JobMeta {
                label: node.name.span,
                template: template.map(|t| t.name.span),
                node: node.span.span,
                // Only a customized job's fields come from elsewhere than its node's.
                fields: match over {
                    Some(_) => f.origins(),
                    None => site.origins.clone(),
                },
                dependencies: Vec::new(),
                inactive_by: node
                    .active
                    .as_ref()
                    .filter(|_| !node_active)
                    .map(|a| a.span),
                selection: None,
                locked_by: None,
                customized_by,
            };
            placed.push(Placed {
                job: Box::new(job),
                graph: gi,
                needs,
                label_span: node.name.span,
                meta,
            });
        }
        Ok(placed)
    }

    /// The number of chunks: fixed, `{min, max, count}`, an expression or a `by-*` table.
    fn chunks(
        &self,
        node: &'t GraphNode,
        template: &'t crate::defs::Fields,
        defaults: &'t crate::defs::Fields,
        nscope: &Arc<Scope>,
        jscope: &Arc<Scope>,
    ) -> Result<u64, Diagnostic> {
        let r = self.r;
        let picked = node
            .fields
            .get("chunks")
            .map(|n| (n, nscope))
            .or_else(|| template.get("chunks").map(|n| (n, jscope)))
            .or_else(|| defaults.get("chunks").map(|n| (n, jscope)));
        let Some((node, scope)) = picked else {
            return Ok(1);
        };
        let v = r.render(node, scope)?;
        let bounds = |message: String| {
            Diagnostic::error(diag::CHUNK_BOUNDS, message)
                .at(node.span, "these chunks")
                .help(format!("chunk counts run from 1 to {MAX_CHUNKS}"))
        };
        let total = if v.kind() == ValueKind::Map {
            let get = |k: &str| -> Result<Option<u64>, Diagnostic> {
                match v.get_attr(k) {
                    Ok(x) if !x.is_undefined() && !x.is_none() => {
                        integer_of(r, &x, node, &format!("chunks.{k}"), MAX_CHUNKS).map(Some)
                    }
                    _ => Ok(None),
                }
            };
            let (Some(min), Some(max)) = (get("min")?, get("max")?) else {
                return Err(Diagnostic::error(
                    diag::MISSING_KEY,
                    "dynamic `chunks` need both `min` and `max`",
                )
                .at(node.span, "add `min:` and `max:`"));
            };
            if min == 0 || min > max {
                return Err(bounds(format!("`chunks` has min {min} and max {max}")));
            }
            let count = get("count")?.unwrap_or(min);
            if count < min || count > max {
                return Err(bounds(format!(
                    "`chunks` count {count} is outside {min}..={max}"
                )));
            }
            count
        } else {
            integer_of(r, &v, node, "chunks", u64::MAX)?
        };
        if total == 0 || total > MAX_CHUNKS {
            return Err(bounds(format!("`chunks` is {total}")));
        }
        Ok(total)
    }
}

/// An error inside a job template says which node placed the job, with which variables.
fn placed_by(d: Diagnostic, node: &GraphNode, combo: &[(String, Value)]) -> Diagnostic {
    let inside_node = d.primary.as_ref().is_some_and(|p| {
        p.span.file == node.span.span.file
            && p.span.start >= node.span.span.start
            && p.span.end <= node.span.span.end
    });
    if inside_node {
        return d;
    }
    let vars: Vec<String> = combo.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let text = if vars.is_empty() {
        "placed by this node".to_owned()
    } else {
        format!("placed by this node with {}", vars.join(", "))
    };
    d.also(node.name.span, text)
}

/// A `for` value as the list it iterates: a list, a mapping's keys, or one value.
fn as_list(v: &Value) -> Vec<Value> {
    match v.kind() {
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => {
            v.try_iter().into_iter().flatten().collect()
        }
        ValueKind::None | ValueKind::Undefined => Vec::new(),
        _ => vec![v.clone()],
    }
}

#[cfg(test)]
mod tests;
