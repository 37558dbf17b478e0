//! Lint's findings as LSP diagnostics, one list per file.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::protocol::{Encoding, path_uri, range};
use crate::diag::{Diagnostic, Label, Severity};
use crate::load::{CONFIG, Sources, Span};

/// LSP diagnostics by file, relative to the root.
pub type Published = BTreeMap<String, Vec<Value>>;

/// Converts findings; one that points at no file is shown at the top of the config, which
/// every tree has, so that it is not lost.
pub fn convert(
    findings: &[Diagnostic],
    sources: &Sources,
    root: &Path,
    enc: Encoding,
) -> Published {
    let mut out = Published::new();
    for d in findings {
        let (rel, range) = match d.primary.as_ref().filter(|l| !l.span.is_none()) {
            Some(l) => place(sources, l.span, enc),
            None => (
                CONFIG.to_owned(),
                json!({"start": origin(), "end": origin()}),
            ),
        };
        let related: Vec<Value> = d
            .secondary
            .iter()
            .filter(|l| !l.span.is_none())
            .map(|l| related(sources, l, root, enc))
            .collect();
        let mut diagnostic = json!({
            "range": range,
            "severity": match d.severity { Severity::Error => 1, Severity::Warning => 2 },
            "code": d.code.id,
            "codeDescription": {"href": crate::lint::report::rule_uri(d.code)},
            "source": "taskgen",
            "message": crate::lint::report::text(d, true),
        });
        if !related.is_empty() {
            diagnostic["relatedInformation"] = Value::Array(related);
        }
        out.entry(rel).or_default().push(diagnostic);
    }
    out
}

fn origin() -> Value {
    json!({"line": 0, "character": 0})
}

fn place(sources: &Sources, span: Span, enc: Encoding) -> (String, Value) {
    let file = sources.file(span.file);
    (file.path.clone(), range(file, span, enc))
}

fn related(sources: &Sources, label: &Label, root: &Path, enc: Encoding) -> Value {
    let (rel, range) = place(sources, label.span, enc);
    json!({
        "location": {"uri": path_uri(&root.join(rel)), "range": range},
        "message": label.text,
    })
}
