//! For people: miette's rendering of each finding, then a summary.

use super::super::Findings;
use crate::diag::{Severity, render_to_string};
use crate::load::Sources;

/// Every finding, rendered, without a summary.
pub fn rendered(f: &Findings, sources: &Sources, color: bool, width: usize) -> String {
    let mut out = String::new();
    for d in &f.diagnostics {
        out.push_str(&render_to_string(d, sources, color, width));
        out.push('\n');
    }
    out
}

pub fn human(f: &Findings, sources: &Sources, color: bool, width: usize) -> String {
    let mut out = rendered(f, sources, color, width);
    let (errors, warnings) = (f.count(Severity::Error), f.count(Severity::Warning));
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let scope = match f.branches.len() {
        0 => "; the definitions could not be read".to_owned(),
        1 => " in 1 branch".to_owned(),
        n => format!(" in {n} branches"),
    };
    out.push_str(&format!(
        "taskgen lint: {}, {}{scope}\n",
        plural(errors, "error"),
        plural(warnings, "warning")
    ));
    out
}
