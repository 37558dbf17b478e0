//! One combination of a node: the job template's parameters bound, its fields read in
//! layers, and a job per chunk.

use std::sync::Arc;

use indexmap::IndexMap;
use minijinja::Value;

use super::fields::{FieldReader, Layer};
use super::params::{Given, bind};
use super::{Expander, Job, JobMeta, NO_OVERRIDES, Placed, Site, given_params, job, label, needs};
use crate::defs::{GraphNode, JobTemplate};
use crate::diag::{Diagnostic, Sink};
use crate::render::{Scope, to_json};

impl<'t> Expander<'_, '_, 't> {
    #[expect(
        clippy::too_many_arguments,
        reason = "the parts of one node combination"
    )]
    pub(super) fn combo(
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
                    if !given.contains_key(name)
                        && let Some(value) = nscope
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
        let touch = &site.touch;
        let active =
            graph_active && node_active && touch.as_ref().is_none_or(super::changed::Touch::runs);
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
                    treeherder: if is_task {
                        f.treeherder()?.map(Box::new)
                    } else {
                        None
                    },
                    env: if is_task { f.env()? } else { IndexMap::new() },
                    priority: f.priority()?,
                    retries: f.integer("retries", u64::from(u32::MAX))?.unwrap_or(5) as u32,
                    expected_duration_s: f.duration("expected_duration")?,
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
                touch: touch.clone(),
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
}

/// An error inside a job template says which node placed the job, with which variables.
pub(super) fn placed_by(d: Diagnostic, node: &GraphNode, combo: &[(String, Value)]) -> Diagnostic {
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
