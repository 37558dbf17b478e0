//! The arguments that choose and change jobs, shared by `generate`, `dot`, `diff` and `explain`.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::pipeline::{Changes, Request};
use crate::select::Unselected;
use crate::select::args::{RunArgs, TryArgs};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum UnselectedArg {
    /// Leave the jobs no selection chose out of the graph.
    Drop,
    /// Keep them, marked inactive.
    Inactive,
}

/// `KEY=VALUE` (`--param`, `--job-args`).
fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

/// Which graph: a branch, a trigger, and the run's parameters.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// The branch: a file in `branches/`, `generic`, or a declared project branch.
    #[arg(long, short)]
    pub branch: String,
    /// The trigger whose root graph to expand.
    #[arg(long, short, default_value = "push")]
    pub trigger: String,
    /// A run parameter `KEY=VALUE`, seen by templates as `params.KEY`; repeatable.
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_pair)]
    pub params: Vec<(String, String)>,
}

#[derive(Debug, clap::Args)]
pub struct SelectionArgs {
    /// Keep these jobs and everything they depend on: label globs (`test-linux64-*`), an
    /// attribute query (`kind=test platform=linux64`) or try syntax (`try: -b do -p linux64`);
    /// repeatable.
    #[arg(long, value_name = "SELECTION")]
    select: Vec<String>,
    /// A commit message whose `try:` syntax selects the jobs, as on the try branch.
    #[arg(long, value_name = "TEXT")]
    message: Option<String>,
    /// What happens to the jobs no selection chose.
    #[arg(long, value_enum, default_value = "drop")]
    unselected: UnselectedArg,
    /// `GLOB=ARGS`: append ARGS to the command of every task whose label matches GLOB; repeatable.
    #[arg(long = "job-args", value_name = "GLOB=ARGS", value_parser = parse_pair)]
    job_args: Vec<(String, String)>,
    /// Set every job's retries to 0.
    #[arg(long)]
    no_retry: bool,
    /// Lower every job's priority to this one (never raises one; never above the branch's maximum).
    #[arg(long, value_name = "PRIORITY")]
    priority: Option<String>,
    /// `SUITE:PATH` or `PATH`: run only these tests, as harness arguments of the chosen test
    /// jobs (of that suite); repeatable.
    #[arg(long = "try-test-paths", value_name = "PATHS")]
    try_test_paths: Vec<String>,
    /// Run only the tests with this tag (a harness argument of the chosen test jobs); repeatable.
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
    /// `KEY=VALUE` in the environment of the chosen jobs; repeatable.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_pair)]
    setenv: Vec<(String, String)>,
    /// Run each chosen test and talos job N times (1 to 20).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    rebuild: Option<u32>,
    /// Every part of try syntax that would be ignored, or that names nothing, is an error.
    #[arg(long)]
    strict: bool,
    /// The files the push changed, one path a line: `files_changed` jobs run only when one
    /// matches.
    #[arg(long, value_name = "FILE", conflicts_with = "changed_since")]
    files_changed: Option<PathBuf>,
    /// The files changed since this git revision (`git diff --name-only REV`).
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// `LABEL.FIELD=VALUE`: customize one job for this run (VALUE is YAML); repeatable. The
    /// output marks it `customized`; locked jobs and branches that are not `customizable`
    /// refuse it.
    #[arg(long = "set", value_name = "LABEL.FIELD=VALUE")]
    set: Vec<String>,
    /// A trust policy file from outside the tree; it replaces the tree's `policy:`.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// A `--select` or `--job-args` that matches no job is not an error (an empty selection
    /// is meant).
    #[arg(long)]
    allow_empty: bool,
}

impl SelectionArgs {
    /// Loads the tree and generates the target's graph with these choices, saying its notes;
    /// an error is reported and becomes the exit code.
    pub fn generate(
        &self,
        root_arg: Option<&std::path::Path>,
        target: &Target,
    ) -> Result<(crate::load::Tree, crate::pipeline::Generated), u8> {
        let mut tree = super::load_tree(root_arg)?;
        let generated = crate::pipeline::generate(&mut tree, &self.request(target))
            .map_err(|f| super::report(&f, &tree.sources))?;
        generated.notes.iter().for_each(|n| eprintln!("{n}"));
        Ok((tree, generated))
    }

    /// A request for the target with these choices.
    pub fn request(&self, target: &Target) -> Request {
        self.request_for(&target.branch, &target.trigger, &target.params)
    }

    /// A request for `branch` and `trigger` with these choices.
    pub fn request_for(&self, branch: &str, trigger: &str, params: &[(String, String)]) -> Request {
        Request {
            branch: branch.to_owned(),
            trigger: trigger.to_owned(),
            params: params.to_vec(),
            params_file: None,
            select: self.select.clone(),
            message: self.message.clone(),
            unselected: match self.unselected {
                UnselectedArg::Drop => Unselected::Drop,
                UnselectedArg::Inactive => Unselected::Inactive,
            },
            args: RunArgs {
                job_args: self.job_args.clone(),
                no_retry: self.no_retry,
                priority: self.priority.clone(),
                try_args: TryArgs {
                    try_test_paths: self.try_test_paths.clone(),
                    tags: self.tag.clone(),
                    setenv: self.setenv.clone(),
                    no_retry_chosen: false,
                    rebuild: self.rebuild,
                },
            },
            set: self.set.clone(),
            policy: self.policy.clone(),
            allow_empty: self.allow_empty,
            strict: self.strict,
            changes: match (&self.files_changed, &self.changed_since) {
                (Some(f), _) => Changes::File(f.clone()),
                (None, Some(rev)) => Changes::Since(rev.clone()),
                (None, None) => Changes::Unknown,
            },
        }
    }
}
