//! Graph templates: which jobs run together, in what order, and which graphs they include.

use indexmap::IndexMap;

use super::job::{self, Fields, ParamDecl, param_decls};
use super::keys::{Spanned, check_keys, expect_map, required, spanned_str, wrong_type};
use super::shape::graphs::{GRAPH_FILE, INCLUDE, NODE};
use super::values::JobType;
use crate::diag::Sink;
use crate::load::{FileId, Node};

/// An include of another graph, as a subgraph.
#[derive(Debug, Clone)]
pub struct Include {
    pub graph: Spanned<String>,
    /// The subgraph's path segment; defaults to the graph's name.
    pub name: Option<Node>,
    /// False: the subgraph is absent.
    pub when: Option<Node>,
    /// False: the subgraph is present, every job in it inactive.
    pub active: Option<Node>,
    /// Globs: the subgraph is active only when the push changed a matching file.
    pub files_changed: Option<Node>,
    pub params: Option<Node>,
    /// What the subgraph's `:start` milestone waits for.
    pub needs: Option<Node>,
    pub span: Node,
}

/// One node of a graph: a job template placed, possibly many times (matrix and chunks).
#[derive(Debug, Clone)]
pub struct GraphNode {
    pub name: Node,
    /// The job template; `None` makes the node its own (inline) job.
    pub job: Option<Spanned<String>>,
    /// For inline jobs.
    pub kind: Option<Spanned<String>>,
    pub job_type: JobType,
    pub matrix: Option<Node>,
    pub params: Option<Node>,
    pub when: Option<Node>,
    pub active: Option<Node>,
    /// Globs: the jobs are active only when the push changed a matching file.
    pub files_changed: Option<Node>,
    pub needs: Option<Node>,
    /// Job fields set on the node: they win over the job template's.
    pub fields: Fields,
    pub span: Node,
}

/// A graph template from `taskgraph/graphs/*.yml`.
#[derive(Debug, Clone)]
pub struct GraphTemplate {
    pub name: Spanned<String>,
    pub params: IndexMap<String, ParamDecl>,
    pub includes: Vec<Include>,
    pub nodes: Vec<GraphNode>,
    pub file: FileId,
}

fn include(node: &Node, graph: &str, sink: &mut Sink) -> Option<Include> {
    let what = format!("an include of graph `{graph}`");
    let map = sink.ok(expect_map(node, &what))?;
    check_keys(map, &INCLUDE, &what, sink);
    let target = sink.ok(required(map, node, "graph", &what))?;
    Some(Include {
        graph: sink.ok(spanned_str(target, "`graph`"))?,
        name: map.get("as").cloned(),
        when: map.get("when").cloned(),
        active: map.get("active").cloned(),
        files_changed: map.get("files_changed").cloned(),
        params: map.get("params").cloned(),
        needs: map.get("needs").cloned(),
        span: node.clone(),
    })
}

fn graph_node(node: &Node, graph: &str, sink: &mut Sink) -> Option<GraphNode> {
    let what = format!("a node of graph `{graph}`");
    let map = sink.ok(expect_map(node, &what))?;
    check_keys(map, &NODE, &what, sink);
    let name = sink.ok(required(map, node, "name", &what))?.clone();
    let job = match map.get("job") {
        Some(j) => Some(sink.ok(spanned_str(j, "`job`"))?),
        None => None,
    };
    let kind = match map.get("kind") {
        Some(k) => Some(sink.ok(spanned_str(k, "`kind`"))?),
        None => None,
    };
    Some(GraphNode {
        name,
        job,
        kind,
        job_type: job::job_type(map, sink),
        matrix: map.get("for").cloned(),
        params: map.get("params").cloned(),
        when: map.get("when").cloned(),
        active: map.get("active").cloned(),
        files_changed: map.get("files_changed").cloned(),
        needs: map.get("needs").cloned(),
        fields: job::fields_of(map),
        span: node.clone(),
    })
}

/// Reads one graph file.
pub fn graph_template(node: &Node, file: FileId, sink: &mut Sink) -> Option<GraphTemplate> {
    let map = sink.ok(expect_map(node, "a graph file"))?;
    check_keys(map, &GRAPH_FILE, "a graph file", sink);
    let name_node = sink.ok(required(map, node, "graph", "a graph file"))?;
    let name = sink.ok(spanned_str(name_node, "`graph`"))?;
    let what = format!("graph `{}`", name.value);
    let params = map
        .get("params")
        .map(|p| param_decls(p, &what, sink))
        .unwrap_or_default();
    let list = |key: &str, sink: &mut Sink| -> Vec<Node> {
        match map.get(key) {
            None => Vec::new(),
            Some(n) => match n.as_seq() {
                Some(items) => items.to_vec(),
                None if matches!(n.value, crate::load::Value::Null) => Vec::new(),
                None => {
                    sink.push(wrong_type(n, "a list", &format!("`{key}` of {what}")));
                    Vec::new()
                }
            },
        }
    };
    let includes = list("include", sink)
        .iter()
        .filter_map(|n| include(n, &name.value, sink))
        .collect();
    let nodes = list("nodes", sink)
        .iter()
        .filter_map(|n| graph_node(n, &name.value, sink))
        .collect();
    Some(GraphTemplate {
        name,
        params,
        includes,
        nodes,
        file,
    })
}
