//! For GitHub Actions: workflow commands that annotate the lines of a pull request.

use super::super::Findings;
use super::place;
use crate::load::Sources;

/// Escaping of a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a workflow command's property values.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github(f: &Findings, sources: &Sources) -> String {
    let mut out = String::new();
    for d in &f.diagnostics {
        let command = d.severity.name();
        let mut props = Vec::new();
        if let Some(p) = place(d, sources) {
            props.push(format!("file={}", property(&p.path)));
            props.push(format!("line={}", p.line));
            props.push(format!("col={}", p.column));
            props.push(format!("endLine={}", p.end_line));
            props.push(format!("endColumn={}", p.end_column));
        }
        props.push(format!(
            "title={}",
            property(&format!("{} {}", d.code.id, d.code.name))
        ));
        let message = super::text(d, false);
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            data(&message)
        ));
    }
    out
}
