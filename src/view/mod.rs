//! `taskgen view`: the generated graph as one self-contained HTML page (docs/view.md). The
//! layout is computed here, so the page only draws what is on screen; the page's data is the
//! graph with every job's fields, its dependencies with their conditions, and where each field
//! was set.

mod clusters;
mod extra;
mod layout;

pub use extra::Extra;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::load::Sources;
use crate::pipeline::Generated;

const PAGE: &str = include_str!("page.html");
/// The script: the page, its try syntax line, then the start, which runs what both define.
const SCRIPT: &str = concat!(
    include_str!("page.js"),
    include_str!("try.js"),
    include_str!("start.js")
);
const STYLE: &str = include_str!("page.css");

/// Values seen once, kept once: most fields of a node's jobs are the same, so the page holds
/// each distinct value a single time, as JSON text, and jobs refer to it by number.
#[derive(Default)]
struct Interned {
    index: HashMap<String, usize>,
    values: Vec<String>,
}

impl Interned {
    fn add(&mut self, json: String) -> usize {
        if let Some(&i) = self.index.get(&json) {
            return i;
        }
        self.values.push(json.clone());
        self.index.insert(json, self.values.len() - 1);
        self.values.len() - 1
    }

    /// The values as one JSON array.
    fn array(&self) -> String {
        format!("[{}]", self.values.join(","))
    }
}

/// Each job's fields but its label and dependencies, as (name, JSON text) pairs; serialized
/// on every core, since this is most of the page's cost.
fn job_fields(jobs: &[Box<crate::expand::Job>]) -> Vec<Vec<(String, String)>> {
    use rayon::prelude::*;
    jobs.par_iter()
        .map(|job| match serde_json::to_value(job) {
            Ok(Value::Object(fields)) => fields
                .into_iter()
                .filter(|(k, _)| k != "label" && k != "dependencies")
                .map(|(k, v)| (k, v.to_string()))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// The page's data, as JSON text: see `page.js` for how each array is read.
fn data(g: &Generated, sources: &Sources, extra: &Extra) -> String {
    let graphs: Vec<String> = g.graph.graphs.iter().map(|p| p.path.clone()).collect();
    let index = g.graph.index();
    let deps: Vec<Vec<usize>> = g
        .graph
        .jobs
        .iter()
        .map(|j| {
            j.dependencies
                .iter()
                .filter_map(|d| index.get(d.label.as_str()).copied())
                .collect()
        })
        .collect();
    let layout = layout::layout(&g.graph.jobs, &graphs, &deps);
    let mut names = Interned::default();
    let mut values = Interned::default();
    // Where each field was set: shared by the jobs of one node, as the fields are.
    let mut sites: Vec<Value> = Vec::new();
    let mut site_of: HashMap<*const (), usize> = HashMap::new();
    let mut jobs = Vec::with_capacity(g.graph.jobs.len());
    let all_fields = job_fields(&g.graph.jobs);
    for (i, ((job, meta), fields)) in g
        .graph
        .jobs
        .iter()
        .zip(&g.graph.meta)
        .zip(all_fields)
        .enumerate()
    {
        let fields: Vec<[usize; 2]> = fields
            .into_iter()
            .map(|(k, v)| [names.add(Value::String(k).to_string()), values.add(v)])
            .collect();
        let key = Arc::as_ptr(&meta.fields) as *const ();
        let site = *site_of.entry(key).or_insert_with(|| {
            sites.push(Value::Array(
                meta.fields
                    .iter()
                    .map(|&(field, span, origin)| {
                        let by = origin.name();
                        let at = if span.is_none() {
                            "the command line".to_owned()
                        } else {
                            sources.location(span)
                        };
                        json!([field, at, by])
                    })
                    .collect(),
            ));
            sites.len() - 1
        });
        let dependencies: Vec<Value> = job
            .dependencies
            .iter()
            .zip(&deps[i])
            .map(|(d, &from)| json!([from, crate::explain::on(d.on).join("|")]))
            .collect();
        let (group, item) = layout.place[i];
        jobs.push(json!([
            job.label,
            group,
            item,
            layout.layer[i],
            job.active as u8,
            dependencies,
            fields,
            site
        ]));
    }
    let groups: Vec<Value> = layout
        .groups
        .iter()
        .map(|gr| {
            let items: Vec<Value> = gr
                .items
                .iter()
                .map(|it| json!([it.name, it.jobs]))
                .collect();
            json!([gr.name, gr.graph, gr.layer, gr.order, items])
        })
        .collect();
    let (clusters, home) = clusters::clusters(&layout.groups, &graphs);
    let clusters: Vec<Value> = clusters
        .iter()
        .map(|c| {
            json!([
                c.name,
                c.parent.map_or(-1, |p| p as i64),
                c.graph,
                c.children
            ])
        })
        .collect();
    let head = json!({
        "branch": g.branch,
        "trigger": g.trigger,
        "graphs": graphs,
        "sites": sites,
        "jobs": jobs,
        "groups": groups,
        "clusters": clusters,
        "home": home,
        "edges": layout.edges,
        "compare": extra.compared.map(|(name, d)| extra::compared(&g.graph, name, d)),
        "simulate": extra.played.map(|r| extra::played(&g.graph, r)),
        "try": g.try_syntax.as_ref().map(|c| extra::try_chooser(c, &g.graph.jobs)),
    })
    .to_string();
    // The head ends in `}`: the interned arrays go before it.
    format!(
        "{},\"fieldNames\":{},\"values\":{}}}",
        &head[..head.len() - 1],
        names.array(),
        values.array()
    )
}

/// The page: one HTML file with its script, style and data inline.
pub fn page(g: &Generated, sources: &Sources, extra: &Extra) -> String {
    // `<` only occurs within JSON strings, where `\u003c` means the same: no `</script>` can
    // end the data early.
    let data = data(g, sources, extra).replace('<', "\\u003c");
    let title = html_escape(&format!("taskgen view: {} {}", g.branch, g.trigger));
    // Each slot is filled from the template alone, never from what was put in before it.
    let mut out = String::with_capacity(PAGE.len() + STYLE.len() + SCRIPT.len() + data.len());
    let mut rest = PAGE;
    for (slot, fill) in [
        ("{{title}}", title.as_str()),
        ("{{style}}", STYLE),
        ("{{data}}", data.as_str()),
        ("{{script}}", SCRIPT),
    ] {
        let (before, after) = rest.split_once(slot).expect("page.html has every slot");
        out.push_str(before);
        out.push_str(fill);
        rest = after;
    }
    out.push_str(rest);
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
