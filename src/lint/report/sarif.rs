//! SARIF 2.1.0, as GitHub code scanning and other viewers read it.

use serde_json::{Value, json};

use super::super::Findings;
use super::place;
use crate::check::RULES;
use crate::load::Sources;

/// Where taskgen lives; the rules' help is docs/rules.md there.
const HOME: &str = env!("CARGO_PKG_REPOSITORY");

fn rules() -> Vec<Value> {
    RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code.id,
                "name": r.code.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": full_description(r.docs)},
                "helpUri": super::rule_uri(r.code),
                "help": {"text": r.docs, "markdown": r.docs},
                "defaultConfiguration": {"level": r.severity.name()},
            })
        })
        .collect()
}

/// The rule's "What it does" and "Why it matters" sections, without their headings.
fn full_description(docs: &str) -> String {
    let mut sections: Vec<String> = Vec::new();
    let mut wanted = false;
    for line in docs.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            wanted = matches!(heading.trim(), "What it does" | "Why it matters");
            if wanted {
                sections.push(String::new());
            }
        } else if let Some(section) = sections.last_mut().filter(|_| wanted) {
            section.push_str(line);
            section.push('\n');
        }
    }
    let sections: Vec<&str> = sections.iter().map(|s| s.trim()).collect();
    sections.join("\n\n")
}

fn location(path: &str, line: usize, column: usize, end_line: usize, end_column: usize) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column.max(1)},
        }
    })
}

pub fn sarif(f: &Findings, sources: &Sources) -> String {
    let results: Vec<Value> = f
        .diagnostics
        .iter()
        .map(|d| {
            let index = RULES.iter().position(|r| r.code == d.code).unwrap_or(0);
            let text = super::text(d, false);
            let mut result = json!({
                "ruleId": d.code.id,
                "ruleIndex": index,
                "level": d.severity.name(),
                "message": {"text": text},
            });
            let loc = place(d, sources)
                .map(|p| location(&p.path, p.line, p.column, p.end_line, p.end_column));
            // Code scanning needs a location on every result: the config file stands in.
            let loc = loc.unwrap_or_else(|| location(crate::load::CONFIG, 1, 1, 1, 1));
            result["locations"] = json!([loc]);
            let related: Vec<Value> = d
                .secondary
                .iter()
                .filter(|l| !l.span.is_none())
                .enumerate()
                .map(|(i, l)| {
                    let file = sources.file(l.span.file);
                    let (line, column) = file.line_col(l.span.start);
                    let (end_line, end_column) = file.line_col(l.span.end);
                    let mut r = location(&file.path, line, column, end_line, end_column);
                    r["id"] = json!(i);
                    r["message"] = json!({"text": l.text});
                    r
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "taskgen",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": HOME,
                "rules": rules(),
            }},
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
