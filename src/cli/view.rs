//! `taskgen view`: the graph as one self-contained HTML page (docs/view.md).

use std::path::{Path, PathBuf};

use super::output;
use crate::view::Extra;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::selection::Target,
    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Colour jobs by their status in a play of the graph (`taskgen simulate`); implied by
    /// any of the play's options.
    #[arg(long)]
    simulate: bool,
    #[command(flatten)]
    play: super::simulate::Play,
    #[command(flatten)]
    against: super::diff::Against,
    #[command(flatten)]
    selection: super::selection::SelectionArgs,
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let (mut tree, generated) = args.selection.generate(root_arg, &args.target)?;
    let root = super::generate::root(root_arg)?;
    let against = args
        .against
        .generate(&root, &args.target, &args.selection)?;
    let played = if args.simulate || args.play.is_set() {
        Some(args.play.play(&mut tree, &generated)?)
    } else {
        None
    };
    let compared = against.as_ref().map(|(old, rev)| {
        let name = super::diff::name(old, *rev);
        (name, crate::compare::diff(&old.graph, &generated.graph))
    });
    let extra = Extra {
        compared: compared.as_ref().map(|(n, d)| (n.as_str(), d)),
        played: played.as_ref(),
    };
    let page = crate::timings::time("view", || {
        crate::view::page(&generated, &tree.sources, &extra)
    });
    output::emit(args.output.as_deref(), &page)
}
