//! Stage 6, check: the rules. Each rule is one file under `rules/` with its code, severity and
//! docs; the ones that look at a generated graph or at the whole tree carry a check function,
//! the others are found by the pipeline stage named in their `Check::Stage`.

mod context;
mod registry;
pub mod rules;

pub use context::{GraphContext, TreeContext, Usage};
pub use registry::{RULES, find};

use crate::diag::{Code, Diagnostic, Severity};

/// Where a rule's findings come from.
#[derive(Clone, Copy)]
pub enum Check {
    /// Found by a pipeline stage (`load`, `defs`, `branch`, `render`, `expand`, `graph`).
    Stage(&'static str),
    /// Run over every generated graph.
    Graph(fn(&GraphContext) -> Vec<Diagnostic>),
    /// Run once, over the whole tree and what every branch used.
    Tree(fn(&TreeContext) -> Vec<Diagnostic>),
}

/// A rule: a stable code and name, a default severity, docs in fixed sections.
pub struct Rule {
    pub code: Code,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Markdown with the sections `## What it does`, `## Why it matters` and `## Example`.
    pub docs: &'static str,
    pub check: Check,
}

impl Rule {
    /// A finding of this rule, at its default severity.
    pub fn finding(&self, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::error(self.code, message);
        d.severity = self.severity;
        d
    }
}

/// Runs every graph rule over one generated graph.
pub fn check_graph(cx: &GraphContext) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // Rules are independent: they run in parallel, and their findings come out in rule order.
    let found: Vec<Vec<Diagnostic>> = RULES
        .par_iter()
        .filter_map(|r| match r.check {
            Check::Graph(f) => Some(f(cx)),
            _ => None,
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// Runs every tree rule.
pub fn check_tree(cx: &TreeContext) -> Vec<Diagnostic> {
    RULES
        .iter()
        .filter_map(|r| match r.check {
            Check::Tree(f) => Some(f(cx)),
            _ => None,
        })
        .flatten()
        .collect()
}
