//! `taskgen explain`: where a job comes from.

use std::path::Path;

use clap::ValueEnum;

use super::output;
use crate::explain::{explain, human};
use crate::pipeline;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The job's label.
    label: String,
    #[command(flatten)]
    target: super::selection::Target,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    selection: super::selection::SelectionArgs,
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let mut tree = super::load_tree(root_arg)?;
    let request = args.selection.request(&args.target);
    let pipeline::Run {
        generated, branch, ..
    } = pipeline::run(&mut tree, &request).map_err(|f| super::report(&f, &tree.sources))?;
    let Some(e) = explain(&generated, &branch, &tree.sources, &args.label) else {
        let labels = generated.graph.jobs.iter().map(|j| j.label.as_str());
        let near = crate::defs::keys::nearest(&args.label, labels);
        eprintln!(
            "taskgen: no job is labelled `{}` on branch `{}` ({}); the nearest labels are {}",
            args.label,
            args.target.branch,
            args.target.trigger,
            crate::diag::backticked(&near)
        );
        return Err(super::EXIT_INPUT);
    };
    let text = match args.format {
        Format::Human => human(&e),
        Format::Json => {
            let mut t = serde_json::to_string_pretty(&e).unwrap_or_default();
            t.push('\n');
            t
        }
    };
    output::emit(None, &text)
}
