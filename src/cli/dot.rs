//! `taskgen dot`: the graph as Graphviz, for `dot -Tsvg`.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::output;
use crate::emit::dot::{View, dot};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Inactive {
    Show,
    Hide,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::selection::Target,
    /// Draw only this (sub)graph, by path (`per-checkin/pgo`).
    #[arg(long, value_name = "PATH")]
    graph: Option<String>,
    /// Draw only the jobs within `--depth` edges of this label.
    #[arg(long, value_name = "LABEL")]
    focus: Option<String>,
    /// How many edges away from `--focus` to draw.
    #[arg(long, default_value_t = 2)]
    depth: usize,
    /// Draw inactive jobs (dashed, grey) or leave them out.
    #[arg(long, value_enum, default_value = "show")]
    inactive: Inactive,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    selection: super::selection::SelectionArgs,
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let (tree, generated) = args.selection.generate(root_arg, &args.target)?;
    let view = View {
        graph: args.graph.clone(),
        focus: args.focus.clone(),
        depth: args.depth,
        hide_inactive: matches!(args.inactive, Inactive::Hide),
    };
    let title = format!("{} {}", generated.branch, generated.trigger);
    // An unknown `--graph` or `--focus` is a usage error.
    let text = dot(&generated.graph, &title, &view)
        .map_err(|d| super::report(&crate::diag::Failure::usage(d), &tree.sources))?;
    output::emit(args.output.as_deref(), &text)
}
