//! taskgen: an offline, in-tree CI graph generator and linter.
//!
//! The pipeline, one module per stage: [`load`] (files to spanned YAML) → [`defs`] (job and graph
//! templates) → [`branch`] (generic + override) → [`render`] (minijinja) → [`expand`] (graphs,
//! includes, matrices, chunks) → [`graph`] (dependencies, milestones, order) → [`emit`].

pub mod branch;
pub mod budget;
pub mod check;
pub mod cli;
pub mod compare;
pub mod defs;
pub mod diag;
pub mod emit;
pub mod expand;
pub mod explain;
#[doc(hidden)]
pub mod fixture;
pub mod glob;
pub mod graph;
pub mod graphtest;
pub mod lint;
pub mod load;
pub mod lsp;
pub mod pipeline;
pub mod policy;
pub mod query;
pub mod render;
pub mod schema;
pub mod select;
pub mod simulate;
pub mod tasks;
pub mod time;
pub mod timings;
pub mod view;
