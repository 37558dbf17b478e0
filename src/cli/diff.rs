//! `taskgen diff`: what a change does to a branch's graph, or how two branches differ.

use std::path::Path;

use clap::ValueEnum;
use serde::Serialize;

use super::output;
use super::selection::{SelectionArgs, Target};
use crate::compare::{GraphDiff, diff, human};
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
    #[command(flatten)]
    against: Against,
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

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let root = super::generate::root(root_arg)?;
    let target = Target {
        branch: args.branch.clone(),
        trigger: args.trigger.clone(),
        params: Vec::new(),
    };
    let new = generate_at(&root, &target, &args.selection)?;
    let Some((old, rev)) = args.against.generate(&root, &target, &args.selection)? else {
        unreachable!("clap requires one of them")
    };
    let d = diff(&old.graph, &new.graph);
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

/// A side's name: `mozilla-inbound push`, `try push at HEAD~1`.
pub fn name(g: &Generated, rev: Option<&str>) -> String {
    format!(
        "{} {}{}",
        g.branch,
        g.trigger,
        rev.map(|r| format!(" at {r}")).unwrap_or_default()
    )
}

/// The other side of a comparison: another branch, or this branch at another revision.
#[derive(Debug, clap::Args)]
pub struct Against {
    /// Compare against another branch of the same tree (the old side).
    #[arg(long, value_name = "BRANCH")]
    against_branch: Option<String>,
    /// Compare against the same branch at another git revision of the definitions.
    #[arg(long, value_name = "REV", conflicts_with = "against_branch")]
    against_rev: Option<String>,
}

impl Against {
    /// The old side's graph with the same choices, and the revision it was read at; `None`
    /// when no comparison was asked for.
    pub fn generate<'a>(
        &'a self,
        root: &Path,
        target: &Target,
        selection: &SelectionArgs,
    ) -> Result<Option<(Generated, Option<&'a str>)>, u8> {
        match (&self.against_branch, &self.against_rev) {
            (Some(b), _) => {
                let other = Target {
                    branch: b.clone(),
                    trigger: target.trigger.clone(),
                    params: target.params.clone(),
                };
                Ok(Some((generate_at(root, &other, selection)?, None)))
            }
            (None, Some(rev)) => {
                let dir = crate::load::git::checkout(root, rev).map_err(|e| {
                    eprintln!("taskgen: --against-rev {rev}: {e}");
                    super::EXIT_INPUT
                })?;
                Ok(Some((
                    generate_at(dir.path(), target, selection)?,
                    Some(rev),
                )))
            }
            (None, None) => Ok(None),
        }
    }
}

/// The target's graph in the tree at `root`.
fn generate_at(root: &Path, target: &Target, selection: &SelectionArgs) -> Result<Generated, u8> {
    let mut tree = super::load_tree_at(root)?;
    pipeline::generate(&mut tree, &selection.request(target))
        .map_err(|f| super::report(&f, &tree.sources))
}
