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

/// A finding as one text: the message, then what the finding's place says when `label`
/// asks for it, the help, and the branches it was found in.
pub fn text(d: &Diagnostic, label: bool) -> String {
    let mut text = d.message.clone();
    if let Some(l) = d.primary.as_ref().filter(|l| label && !l.text.is_empty()) {
        text.push_str(&format!("\n{}", l.text));
    }
    if let Some(h) = &d.help {
        text.push_str(&format!("\nhelp: {h}"));
    }
    if !d.branches.is_empty() {
        text.push_str(&format!("\nbranches: {}", d.branches.join(", ")));
    }
    text
}

/// Where a rule's documentation is: its heading in docs/rules.md where taskgen lives.
pub fn rule_uri(code: crate::diag::Code) -> String {
    // GitHub's anchor for the heading docs/rules.md gives the rule (`## TG001 `name``).
    let anchor = format!("{}-{}", code.id, code.name).to_lowercase();
    format!(
        "{}/blob/main/docs/rules.md#{anchor}",
        env!("CARGO_PKG_REPOSITORY")
    )
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
