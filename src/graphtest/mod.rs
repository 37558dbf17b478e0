//! `taskgen test`: graph unit tests kept in the tree (`taskgraph/tests/*.yml`). Each test names
//! the branches (globs) and triggers it runs on, optionally parameters and a selection, and
//! what the generated graph must look like: jobs present or absent, dependencies that must (or
//! must not) exist, counts, subgraphs active or inactive. A failure is a finding like lint's,
//! pointing at the expectation, with what was expected and what was found.

mod check;
mod parse;
mod played;
mod scenario;

use std::collections::{BTreeMap, HashMap};

use crate::check::rules::test_checks_nothing;
use crate::defs::keys::Spanned;
use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::lint::Findings;
use crate::load::{Span, Tree, load_dir};
use crate::pipeline::{self, Request};
use crate::policy::Pattern;
use crate::query::Query;

/// Where the tests live, under the definitions root.
pub const DIR: &str = "taskgraph/tests";

/// One test: where it runs and what it expects.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: Spanned<String>,
    pub branches: Vec<Pattern>,
    pub triggers: Vec<String>,
    /// `--param` values, as text.
    pub params: Vec<(String, String)>,
    /// `--select` values.
    pub select: Vec<String>,
    /// The files the push changed (`--files-changed`); `None`: not told.
    pub files_changed: Option<Vec<String>>,
    /// What `taskgen simulate` assumes when the test's scenario expectations are checked.
    pub scenario: Option<scenario::Spec>,
    pub expect: Vec<Assertion>,
}

/// One expectation, and where it is written.
#[derive(Debug, Clone)]
pub struct Assertion {
    pub span: Span,
    pub check: Check,
}

#[derive(Debug, Clone)]
pub enum Check {
    /// Each query matches at least one job.
    Present(Vec<Spanned<Query>>),
    /// No query matches any job.
    Absent(Vec<Spanned<Query>>),
    /// Every job matching `jobs` depends (`wanted`) or does not depend on a job matching `on`,
    /// directly or transitively, with the same values of the `same` keys.
    Depends {
        jobs: Spanned<Query>,
        on: Spanned<Query>,
        direct: bool,
        same: Vec<String>,
        wanted: bool,
    },
    /// How many jobs match.
    Count {
        jobs: Spanned<Query>,
        min: Option<u64>,
        max: Option<u64>,
    },
    /// Every subgraph whose path matches is active (`true`) or inactive; each glob matches one.
    Active(Vec<Pattern>, bool),
    /// Scenario: every matching job ends with one of these statuses (or `pending`).
    Status {
        jobs: Spanned<Query>,
        is: Vec<String>,
    },
    /// Scenario: how many runs each matching job takes.
    Runs {
        jobs: Spanned<Query>,
        min: Option<u64>,
        max: Option<u64>,
    },
    /// Scenario: when each matching job ends (or is decided), in seconds from the start.
    Ends {
        jobs: Spanned<Query>,
        min: Option<u64>,
        max: Option<u64>,
    },
    /// Scenario: exactly the jobs matching `jobs` end otherwise than when every job succeeds
    /// (the same scenario without its outcomes).
    Changes(Spanned<Query>),
    /// Scenario: when the last job ends.
    Makespan {
        span: Span,
        min: Option<u64>,
        max: Option<u64>,
    },
}

impl Check {
    /// Whether the check needs the graph played.
    fn is_scenario(&self) -> bool {
        matches!(
            self,
            Check::Status { .. }
                | Check::Runs { .. }
                | Check::Ends { .. }
                | Check::Changes(_)
                | Check::Makespan { .. }
        )
    }
}

/// What to run.
#[derive(Debug, Default)]
pub struct Options {
    /// Run only on these branches; empty: every branch the tests name.
    pub branches: Vec<String>,
    /// Run only the tests whose name matches this glob.
    pub filter: Option<String>,
    /// `--policy FILE`, as for `generate`.
    pub policy: Option<std::path::PathBuf>,
}

/// The outcome: findings (failures and broken tests), and what ran.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Findings,
    pub tests: usize,
    /// (test, branch, trigger) runs.
    pub runs: usize,
    pub checks: usize,
}

/// The tests of one parsed test file, with its problems.
pub fn parse(node: &crate::load::Node, sink: &mut Sink) -> Vec<Test> {
    parse::read(node, sink)
}

/// Reads every test file; shape errors are reported all at once.
pub fn read(tree: &mut Tree) -> Result<Vec<Test>, Failure> {
    let docs = load_dir(tree, DIR)?;
    let mut sink = Sink::default();
    let tests: Vec<Test> = docs
        .iter()
        .flat_map(|d| parse::read(&d.node, &mut sink))
        .collect();
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for t in &tests {
        if let Some(first) = seen.insert(&t.name.value, t.name.span) {
            sink.push(
                Diagnostic::error(
                    diag::DUPLICATE_DEFINITION,
                    format!("test `{}` is defined twice", t.name.value),
                )
                .at(t.name.span, "defined again here")
                .also(first, "first defined here"),
            );
        }
    }
    sink.finish(tests)
}

/// What one generated graph of a test run depends on: branch, trigger, parameters, selection.
type GraphKey = (
    String,
    String,
    Vec<(String, String)>,
    Vec<String>,
    Option<Vec<String>>,
);

/// Runs the tests against every branch and trigger they name.
pub fn run(tree: &mut Tree, tests: &[Test], options: &Options) -> Outcome {
    let mut out = Outcome::default();
    let filter = options
        .filter
        .as_deref()
        .and_then(|f| crate::query::glob(f).ok());
    let known = crate::lint::all_branches(tree);
    let mut diagnostics = Vec::new();
    let mut branches_run = std::collections::BTreeSet::new();
    // Tests that share a branch, trigger, parameters and selection share one graph.
    let mut graphs: HashMap<GraphKey, Result<pipeline::Generated, Vec<Diagnostic>>> =
        HashMap::new();
    for test in tests {
        if filter
            .as_ref()
            .is_some_and(|f| !f.is_match(&test.name.value))
        {
            continue;
        }
        out.tests += 1;
        let mut ran = 0;
        let mut unmatched = false;
        // Expectations that checked something on some graph.
        let mut checked = vec![false; test.expect.len()];
        for pattern in &test.branches {
            let matched: Vec<&String> = known
                .iter()
                .filter(|b| pattern.matches(b))
                .filter(|b| options.branches.is_empty() || options.branches.contains(b))
                .collect();
            if matched.is_empty() && options.branches.is_empty() {
                unmatched = true;
                diagnostics.push(
                    test_checks_nothing::RULE
                        .finding(format!(
                            "test `{}`: `{}` matches no branch",
                            test.name.value, pattern.text
                        ))
                        .at(pattern.span, "matches no file in `branches/`")
                        .help(format!("known branches: {}", known.join(", "))),
                );
            }
            for branch in matched {
                for trigger in &test.triggers {
                    let req = Request {
                        branch: branch.clone(),
                        trigger: trigger.clone(),
                        params: test.params.clone(),
                        select: test.select.clone(),
                        policy: options.policy.clone(),
                        changes: test
                            .files_changed
                            .clone()
                            .map_or(pipeline::Changes::Unknown, pipeline::Changes::Paths),
                        ..Request::default()
                    };
                    let key = (
                        req.branch.clone(),
                        req.trigger.clone(),
                        req.params.clone(),
                        req.select.clone(),
                        test.files_changed.clone(),
                    );
                    let generated = graphs.entry(key).or_insert_with(|| {
                        pipeline::generate(tree, &req).map_err(|f| f.diagnostics)
                    });
                    let generated = match generated {
                        Ok(g) => g,
                        // A branch that does not define the trigger is not a place to test it.
                        Err(ds) if ds.iter().all(|d| d.code == diag::UNKNOWN_TRIGGER) => {
                            continue;
                        }
                        Err(ds) => {
                            for d in ds.iter() {
                                let mut d = d.clone();
                                d.branches = vec![branch.clone()];
                                diagnostics.push(d);
                            }
                            ran += 1;
                            continue;
                        }
                    };
                    ran += 1;
                    out.runs += 1;
                    branches_run.insert(branch.clone());
                    let played = test
                        .expect
                        .iter()
                        .any(|a| a.check.is_scenario())
                        .then(|| scenario::play(test, generated));
                    if let Some(Err(d)) = &played {
                        let mut d = d.clone();
                        d.branches = vec![branch.clone()];
                        diagnostics.push(d);
                    }
                    for (k, a) in test.expect.iter().enumerate() {
                        out.checks += 1;
                        let found = match &played {
                            Some(Ok(report)) if a.check.is_scenario() => {
                                played::check(test, a, generated, report)
                            }
                            // The scenario could not be played: reported above.
                            Some(Err(_)) if a.check.is_scenario() => Some(Vec::new()),
                            _ => check::check(test, a, generated),
                        };
                        let Some(found) = found else {
                            continue;
                        };
                        checked[k] = true;
                        for mut d in found {
                            d.branches = vec![branch.clone()];
                            diagnostics.push(d);
                        }
                    }
                }
            }
        }
        if ran > 0 {
            for (k, a) in test.expect.iter().enumerate() {
                if !checked[k] {
                    diagnostics.push(check::vacuous(test, a));
                }
            }
        }
        if ran == 0 && !unmatched && options.branches.is_empty() {
            diagnostics.push(
                test_checks_nothing::RULE
                    .finding(format!(
                        "test `{}` runs nowhere: no branch it names defines {}",
                        test.name.value,
                        diag::backticked(&test.triggers)
                    ))
                    .at(test.name.span, "this test"),
            );
        }
    }
    out.findings = Findings {
        diagnostics: crate::diag::merge(diagnostics, &tree.sources),
        branches: branches_run.into_iter().collect(),
    };
    out
}
