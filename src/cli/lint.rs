//! `taskgen lint`: what CI runs whenever the definitions change.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::output;
use crate::diag::Severity;
use crate::lint::{self, Options, report};
use crate::load;
use crate::policy::Policy;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum Format {
    /// Rendered diagnostics with source snippets.
    Human,
    /// A JSON document (docs/lint.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Lint only this branch (repeatable); default: every branch in `branches/`.
    #[arg(long, short)]
    branch: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Drop the findings of a rule, by code (`TG601`) or name (`unused-graph`); repeatable.
    #[arg(long, value_name = "CODE|NAME")]
    ignore: Vec<String>,
    /// A trust policy file from outside the tree; it replaces the tree's `policy:`.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    for rule in &args.ignore {
        if crate::check::find(rule).is_none() {
            eprintln!(
                "taskgen: `--ignore {rule}`: no rule has this code or name (see `taskgen rules`)"
            );
            return Err(super::EXIT_INPUT);
        }
    }
    let root = super::generate::root(root_arg)?;
    let mut tree = match load::load(&root) {
        Ok(tree) => tree,
        Err(e) => {
            let findings = lint::Findings {
                diagnostics: crate::diag::merge(e.failure.diagnostics, &e.sources),
                branches: Vec::new(),
            };
            print(args.format, &findings, &e.sources, true)?;
            return Err(super::EXIT_INPUT);
        }
    };
    crate::branch::check_names(&tree, &args.branch)
        .map_err(|f| super::report(&f, &tree.sources))?;
    let policy = match &args.policy {
        Some(path) => match Policy::external(&mut tree.sources, path) {
            Ok(p) => Some(p),
            Err(f) => return Err(super::report(&f, &tree.sources)),
        },
        None => None,
    };
    let options = Options {
        branches: args.branch.clone(),
        ignore: args.ignore.clone(),
        policy,
    };
    let findings = lint::lint(&tree, &options);
    print(args.format, &findings, &tree.sources, true)?;
    let failed = findings.count(Severity::Error) > 0
        || (args.deny_warnings && findings.count(Severity::Warning) > 0);
    if failed {
        Err(super::EXIT_FINDINGS)
    } else {
        Ok(())
    }
}

/// Prints findings in a format; humans get lint's summary line when `summary` says so.
pub(super) fn print(
    format: Format,
    findings: &lint::Findings,
    sources: &load::Sources,
    summary: bool,
) -> Result<(), u8> {
    let text = match format {
        // Findings are the output, on stdout as ruff and actionlint print them (`| less`).
        Format::Human => {
            let (color, width) = (output::stdout_color(), output::width());
            if summary {
                report::human(findings, sources, color, width, output::max_findings())
            } else {
                report::rendered(findings, sources, color, width, output::max_findings())
            }
        }
        Format::Json => report::json(findings, sources),
        Format::Sarif => report::sarif(findings, sources),
        Format::Github => report::github(findings, sources),
    };
    output::emit(None, &text)
}
