//! `taskgen view`: the graph as one self-contained HTML page (docs/view.md).

use std::path::{Path, PathBuf};

use super::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::selection::Target,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    selection: super::selection::SelectionArgs,
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let (tree, generated) = args.selection.generate(root_arg, &args.target)?;
    let page = crate::timings::time("view", || crate::view::page(&generated, &tree.sources));
    output::emit(args.output.as_deref(), &page)
}
