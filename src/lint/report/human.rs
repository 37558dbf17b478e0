//! For people: miette's rendering of each finding, then a summary.

use super::super::Findings;
use crate::diag::{Severity, render_capped};
use crate::load::Sources;

/// Every finding, rendered, without a summary.
/// The first `max` findings rendered in full, then a count per code of the rest.
pub fn rendered(f: &Findings, sources: &Sources, color: bool, width: usize, max: usize) -> String {
    let mut out = render_capped(&f.diagnostics, sources, color, width, max);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

pub fn human(f: &Findings, sources: &Sources, color: bool, width: usize, max: usize) -> String {
    let mut out = rendered(f, sources, color, width, max);
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
