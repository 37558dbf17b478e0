//! `taskgen test`: run the graph tests of `taskgraph/tests/` (docs/tests.md).

use std::path::{Path, PathBuf};

use super::lint::{Format, print};
use crate::diag::Severity;
use crate::graphtest::{self, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run only on this branch (repeatable); default: every branch the tests name.
    #[arg(long, short)]
    branch: Vec<String>,
    /// Run only the tests whose name matches this glob.
    #[arg(long, value_name = "GLOB")]
    filter: Option<String>,
    /// A trust policy file from outside the tree; it replaces the tree's `policy:`.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Output format of the failures.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    if let Some(f) = &args.filter
        && let Err(e) = crate::query::glob(f)
    {
        eprintln!("taskgen: --filter: {e}");
        return Err(super::EXIT_INPUT);
    }
    let mut tree = super::load_tree(root_arg)?;
    crate::branch::check_names(&tree, &args.branch)
        .map_err(|f| super::report(&f, &tree.sources))?;
    let tests = graphtest::read(&mut tree).map_err(|f| super::report(&f, &tree.sources))?;
    if tests.is_empty() {
        eprintln!(
            "taskgen test: no tests in `{}/*.yml` (docs/tests.md)",
            graphtest::DIR
        );
        return Ok(());
    }
    let options = Options {
        branches: args.branch.clone(),
        filter: args.filter.clone(),
        policy: args.policy.clone(),
    };
    let outcome = graphtest::run(&mut tree, &tests, &options);
    if let (Some(filter), 0) = (&args.filter, outcome.tests) {
        let names: Vec<&str> = tests.iter().map(|t| t.name.value.as_str()).collect();
        eprintln!(
            "taskgen: --filter `{filter}` matches no test; {}",
            crate::defs::keys::suggestion(filter, &names)
        );
        return Err(super::EXIT_INPUT);
    }
    let f = &outcome.findings;
    print(args.format, f, &tree.sources, false)?;
    let failed = f.count(Severity::Error);
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let summary = format!(
        "taskgen test: {} ({}) on {}: {}",
        count(outcome.tests, "test", "tests"),
        count(outcome.checks, "check", "checks"),
        count(f.branches.len(), "branch", "branches"),
        if failed == 0 {
            "all passed".to_owned()
        } else {
            format!("FAILED ({})", count(failed, "finding", "findings"))
        }
    );
    // The summary follows human findings on stdout; beside a machine format, it is a note.
    if matches!(args.format, Format::Human) {
        println!("{summary}");
    } else {
        eprintln!("{summary}");
    }
    if failed > 0 {
        Err(super::EXIT_FINDINGS)
    } else {
        Ok(())
    }
}
