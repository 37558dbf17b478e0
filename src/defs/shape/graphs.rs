//! Graph files (`taskgraph/graphs/*.yml`): a graph's includes and nodes.

use super::Ty::{self, *};
use super::jobs::{JOB_FIELDS, PARAM_DECL};
use super::{Key, Table, key};
use crate::defs::values::JobType;

/// What a job or a subgraph waits for: labels (or globs), or labels to conditions.
const NEEDS: Ty = OneOf(&[Strings, MapOf(&Rendered(&Strings))]);

const CONDITION: &str = "a boolean expression (`true`, `false`, or a template that renders to one)";

pub const GRAPH_FILE: Table = Table::of(&[&[
    key("graph", Str, "the graph's name, global across files"),
    key("description", Str, "what the graph is for"),
    key(
        "params",
        MapOf(&PARAM_DECL),
        "the parameters includes pass, declared like a job template's",
    ),
    key(
        "include",
        OneOf(&[List(&Map(&INCLUDE)), Null]),
        "subgraphs: other graphs, included with their parameters",
    ),
    key(
        "nodes",
        OneOf(&[List(&Map(&NODE)), Null]),
        "the graph's jobs",
    ),
]])
.requiring(&["graph"]);

pub const INCLUDE: Table = Table::of(&[&[
    key(
        "graph",
        Str,
        "the graph to include (not a template: includes are static)",
    ),
    key(
        "as",
        Rendered(&Str),
        "the subgraph's path segment (default: the graph's name); needed to include a graph twice",
    ),
    key("when", Rendered(&Bool), CONDITION),
    key(
        "active",
        Rendered(&Bool),
        "false: the subgraph is present, every job in it inactive",
    ),
    key(
        "files_changed",
        Rendered(&Strings),
        "globs: the subgraph is active only when the push changed a matching file",
    ),
    key(
        "params",
        Rendered(&MapOf(&Any)),
        "values for the included graph's parameters",
    ),
    key(
        "needs",
        Rendered(&NEEDS),
        "what the subgraph's `:start` milestone waits for",
    ),
]])
.requiring(&["graph"]);

/// A node's own keys; the job fields follow.
const NODE_KEYS: &[Key] = &[
    key(
        "name",
        Rendered(&Str),
        "the label template; labels are unique across the whole expanded graph",
    ),
    key(
        "job",
        Str,
        "the job template to place; without it the node is its own job",
    ),
    key(
        "type",
        Word(JobType::NAMES),
        "for a job defined on the node: `task`, `breakpoint`, `timer`, `notification` or `dummy`",
    ),
    key("kind", Str, "for a task defined on the node: what it is"),
    key(
        "for",
        Rendered(&OneOf(&[MapOf(&Any), List(&Any)])),
        "the matrix: one job per combination of the values of each key",
    ),
    key(
        "params",
        Rendered(&MapOf(&Any)),
        "values for the job template's parameters",
    ),
    key(
        "when",
        Rendered(&Bool),
        "false: this combination is dropped",
    ),
    key(
        "active",
        Rendered(&Bool),
        "false: the job is present but inactive",
    ),
    key(
        "files_changed",
        Rendered(&Strings),
        "globs: the job is active only when the push changed a matching file",
    ),
    key(
        "needs",
        Rendered(&NEEDS),
        "dependencies: labels or globs, each with a condition (default `success`)",
    ),
];

/// A graph node: its own keys and the job fields, which win over the job template's.
pub const NODE: Table = Table::of(&[NODE_KEYS, JOB_FIELDS]).requiring(&["name"]);
