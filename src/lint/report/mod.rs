//! Findings written for people and machines: one file per format.

mod github;
mod human;
mod json;
mod sarif;

pub use github::github;
pub use human::{human, rendered};
pub use json::json;
pub use sarif::sarif;

use crate::diag::Diagnostic;
use crate::load::Sources;

/// Where a finding points: path, 1-based line and column, and its end.
pub struct Place {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

pub fn place(d: &Diagnostic, sources: &Sources) -> Option<Place> {
    let label = d.primary.as_ref().filter(|l| !l.span.is_none())?;
    let file = sources.file(label.span.file);
    let (line, column) = file.line_col(label.span.start);
    let (end_line, end_column) = file.line_col(label.span.end);
    Some(Place {
        path: file.path.clone(),
        line,
        column,
        end_line,
        end_column,
    })
}
