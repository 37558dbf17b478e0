//! `taskgen lint`: every branch, every trigger, every rule, in one run. Branches are expanded
//! in parallel; findings are tagged with their branch, merged where the same definition is
//! wrong in several branches, and sorted so that the output is deterministic.

pub mod report;
mod suppress;

use rayon::prelude::*;

use crate::branch::{self, GENERIC};
use crate::check::{self, TreeContext, Usage};
use crate::defs::{self, Defs};
use crate::diag::{self, Diagnostic, Severity};
use crate::load::Tree;
use crate::policy::Policy;
use crate::{expand, render};

/// What to lint.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Branches to lint; empty: every branch in `branches/`.
    pub branches: Vec<String>,
    /// Codes or names of rules whose findings are dropped.
    pub ignore: Vec<String>,
    /// A trust policy from outside the tree (`--policy`), replacing the tree's.
    pub policy: Option<Policy>,
}

/// Every finding of one run, sorted, and the branches that were linted.
#[derive(Debug, Default)]
pub struct Findings {
    pub diagnostics: Vec<Diagnostic>,
    pub branches: Vec<String>,
}

impl Findings {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// The branches to lint: every branch file but `generic.yml`, or generic alone when it is the
/// only one.
pub fn all_branches(tree: &Tree) -> Vec<String> {
    let named: Vec<String> = branch::known_branches(tree)
        .into_iter()
        .map(str::to_owned)
        .collect();
    if named.is_empty() {
        vec![GENERIC.to_owned()]
    } else {
        named
    }
}

/// One graph lint generated, for a caller that asks to keep them (`taskgen lsp`).
#[derive(Debug)]
pub struct Expansion {
    pub branch: String,
    pub trigger: String,
    pub graph: crate::graph::TaskGraph,
}

/// What one branch produced: its findings and what it used.
#[derive(Default)]
struct BranchResult {
    diagnostics: Vec<Diagnostic>,
    usage: Usage,
    /// Some trigger did not generate, so what it would have used is unknown.
    incomplete: bool,
    /// The graphs, when kept.
    graphs: Vec<Expansion>,
}

fn lint_branch(tree: &Tree, defs: &Defs, policy: &Policy, name: &str, keep: bool) -> BranchResult {
    let mut out = expand_branch(tree, defs, policy, name, keep);
    for d in &mut out.diagnostics {
        d.branches = vec![name.to_owned()];
    }
    out
}

fn expand_branch(
    tree: &Tree,
    defs: &Defs,
    policy: &Policy,
    name: &str,
    keep: bool,
) -> BranchResult {
    let mut out = BranchResult::default();
    let branch = match branch::resolve(tree, name) {
        Ok(b) => b,
        Err(f) => {
            out.diagnostics = f.diagnostics;
            out.incomplete = true;
            return out;
        }
    };
    for trigger in branch.triggers.keys() {
        let built = crate::pipeline::build_checked(
            &tree.sources,
            defs,
            &expand::Run {
                branch: &branch,
                trigger,
                params: render::from_json(&defs::parameters::defaults(&defs.config.parameters)),
                overrides: &expand::Overrides::new(),
                changed: None,
                budget: &tree.budget,
            },
            policy,
        );
        match built {
            Err(f) => {
                out.diagnostics.extend(f.diagnostics);
                out.incomplete = true;
            }
            Ok(crate::pipeline::Checked {
                graph: g, findings, ..
            }) => {
                out.diagnostics.extend(findings);
                out.usage
                    .job_templates
                    .extend(g.jobs.iter().filter_map(|j| j.job.clone()));
                out.usage
                    .graphs
                    .extend(g.graphs.iter().map(|i| i.template.clone()));
                out.usage.branch_keys.extend(
                    g.used_branch_keys
                        .iter()
                        .map(|k| (name.to_owned(), k.clone())),
                );
                if keep {
                    out.graphs.push(Expansion {
                        branch: name.to_owned(),
                        trigger: trigger.clone(),
                        graph: g,
                    });
                }
            }
        }
    }
    out
}

/// The one finding of a lint whose graphs together made more than a run may.
fn over_budget(tree: &Tree, branches: usize) -> Diagnostic {
    let run = tree.budget.run;
    let at = tree
        .branches
        .get(GENERIC)
        .map_or(crate::load::Span::none(), |d| {
            crate::load::file_start(d.file)
        });
    Diagnostic::error(
        diag::EXPANSION_LIMIT,
        format!(
            "the graphs of the {branches} branches lint checks have together more than {} jobs, {} dependencies or {} fuel",
            run.jobs, run.edges, run.fuel
        ),
    )
    .at(at, "the branches lint checks")
    .help("lint fewer branches at a time (`--branch`), or raise every limit with `--max-jobs` for a tree you trust")
}

/// What a lint read and, when asked, generated: for a caller that goes on (`taskgen lsp`).
pub struct Kept {
    pub defs: Defs,
    /// The graphs, in branch order, then trigger order; empty unless asked for.
    pub graphs: Vec<Expansion>,
}

/// Lints the tree.
pub fn lint(tree: &Tree, options: &Options) -> Findings {
    lint_keeping(tree, options, false).0
}

/// Lints the tree, and keeps its definitions and, when `keep` says so, the graphs it generated.
pub fn lint_keeping(tree: &Tree, options: &Options, keep: bool) -> (Findings, Kept) {
    let (defs, mut diagnostics) = defs::read_all(tree);
    let mut sink = crate::diag::Sink::default();
    let in_tree;
    let policy = match &options.policy {
        Some(p) => p,
        None => {
            in_tree = Policy::in_tree(&defs, &mut sink);
            &in_tree
        }
    };
    diagnostics.extend(sink.diagnostics);
    let branches = if options.branches.is_empty() {
        all_branches(tree)
    } else {
        options.branches.clone()
    };
    let results: Vec<BranchResult> = branches
        .par_iter()
        .map(|b| lint_branch(tree, &defs, policy, b, keep))
        .collect();
    // Branches are linted two at a time, so which graph crossed the run's total depends on
    // timing; that it was crossed does not (docs/format.md#limits): say only that.
    if tree.budget.overspent() {
        let findings = Findings {
            diagnostics: vec![over_budget(tree, branches.len())],
            branches,
        };
        let graphs = Vec::new();
        return (findings, Kept { defs, graphs });
    }
    let mut usage = Usage::default();
    let complete = results.iter().all(|r| !r.incomplete);
    let mut graphs = Vec::new();
    for r in results {
        graphs.extend(r.graphs);
        diagnostics.extend(r.diagnostics);
        usage.job_templates.extend(r.usage.job_templates);
        usage.graphs.extend(r.usage.graphs);
        usage.branch_keys.extend(r.usage.branch_keys);
    }
    // What is unused can only be told after every branch generated.
    let whole = options.branches.is_empty() && complete;
    if whole {
        diagnostics.extend(check::check_tree(&TreeContext {
            tree,
            defs: &defs,
            usage: &usage,
        }));
    }
    let suppressions = suppress::Suppressions::read(tree, &mut diagnostics);
    let mut diagnostics = suppressions.apply(diagnostics, tree, whole);
    diagnostics.retain(|d| {
        !options
            .ignore
            .iter()
            .any(|i| i.eq_ignore_ascii_case(d.code.id) || i.eq_ignore_ascii_case(d.code.name))
    });
    let findings = Findings {
        diagnostics: crate::diag::merge(diagnostics, &tree.sources),
        branches,
    };
    (findings, Kept { defs, graphs })
}
