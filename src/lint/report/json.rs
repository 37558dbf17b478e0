//! For machines: a versioned JSON document.

use serde::Serialize;

use super::super::Findings;
use super::place;
use crate::load::Sources;

/// Version of the JSON findings format.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    branches: &'a [String],
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    path: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    message: &'a str,
    help: Option<&'a str>,
    branches: &'a [String],
}

pub fn json(f: &Findings, sources: &Sources) -> String {
    let doc = Document {
        version: VERSION,
        branches: &f.branches,
        findings: f
            .diagnostics
            .iter()
            .map(|d| {
                let p = place(d, sources);
                Finding {
                    code: d.code.id,
                    name: d.code.name,
                    severity: d.severity.name(),
                    path: p.as_ref().map(|p| p.path.clone()),
                    line: p.as_ref().map(|p| p.line),
                    column: p.as_ref().map(|p| p.column),
                    end_line: p.as_ref().map(|p| p.end_line),
                    end_column: p.as_ref().map(|p| p.end_column),
                    message: &d.message,
                    help: d.help.as_deref(),
                    branches: &d.branches,
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
