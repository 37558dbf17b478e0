//! `taskgen diff`: what a change does to a branch's graph, or how two branches differ.

use std::path::Path;

use clap::ValueEnum;
use serde::Serialize;

use super::output;
use crate::compare::{GraphDiff, diff, human};
use crate::load;
use crate::pipeline::{self, Generated};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("against").required(true).args(["against_branch", "against_rev"]))]
pub struct Args {
    /// The branch to compare (the new side).
    #[arg(long, short)]
    branch: String,
    #[arg(long, short, default_value = "push")]
    trigger: String,
    /// Compare against another branch of the same tree (the old side).
    #[arg(long, value_name = "BRANCH")]
    against_branch: Option<String>,
    /// Compare against the same branch at another git revision of the definitions.
    #[arg(long, value_name = "REV")]
    against_rev: Option<String>,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Exit 1 when the graphs differ, like `git diff --exit-code`.
    #[arg(long)]
    exit_code: bool,
    #[command(flatten)]
    selection: super::selection::SelectionArgs,
}

#[derive(Serialize)]
struct Side<'a> {
    branch: &'a str,
    trigger: &'a str,
    revision: Option<&'a str>,
    definitions_sha: &'a str,
}

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    old: Side<'a>,
    new: Side<'a>,
    #[serde(flatten)]
    diff: &'a GraphDiff,
}

fn side<'a>(g: &'a Generated, revision: Option<&'a str>) -> Side<'a> {
    Side {
        branch: &g.branch,
        trigger: &g.trigger,
        revision,
        definitions_sha: &g.definitions_sha,
    }
}

fn generate(root: &Path, branch: &str, args: &Args) -> Result<Generated, u8> {
    let mut tree = super::load_tree_at(root)?;
    let request = args.selection.request_for(branch, &args.trigger, &[]);
    pipeline::generate(&mut tree, &request).map_err(|f| super::report(&f, &tree.sources))
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let root = super::generate::root(root_arg)?;
    let new = generate(&root, &args.branch, args)?;
    let (old, rev) = match (&args.against_branch, &args.against_rev) {
        (Some(b), _) => (generate(&root, b, args)?, None),
        (None, Some(rev)) => {
            let dir = load::git::checkout(&root, rev).map_err(|e| {
                eprintln!("taskgen: --against-rev {rev}: {e}");
                super::EXIT_INPUT
            })?;
            (
                generate(dir.path(), &args.branch, args)?,
                Some(rev.as_str()),
            )
        }
        (None, None) => unreachable!("clap requires one of them"),
    };
    let d = diff(&old.graph, &new.graph);
    let name = |g: &Generated, rev: Option<&str>| {
        format!(
            "{} {}{}",
            g.branch,
            g.trigger,
            rev.map(|r| format!(" at {r}")).unwrap_or_default()
        )
    };
    let text = match args.format {
        Format::Human => human(&d, &name(&old, rev), &name(&new, None)),
        Format::Json => {
            let doc = Document {
                version: 1,
                old: side(&old, rev),
                new: side(&new, None),
                diff: &d,
            };
            let mut t = serde_json::to_string_pretty(&doc).unwrap_or_default();
            t.push('\n');
            t
        }
    };
    output::emit(None, &text)?;
    if args.exit_code && !d.is_empty() {
        Err(super::EXIT_FINDINGS)
    } else {
        Ok(())
    }
}
