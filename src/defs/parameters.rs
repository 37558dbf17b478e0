//! The run's parameters, declared in `parameters:` of `taskgraph/config.yml` (as taskgraph's
//! parameters schema): name, type, default and description. `--param`, `--params FILE` and
//! graph tests may only give declared parameters, of their declared type; a template that
//! reads an undeclared `params.x` is an error wherever it is written, whichever branch uses it.

use std::sync::OnceLock;

use indexmap::IndexMap;
use regex::Regex;

use super::ParamDecl;
use crate::defs::keys::did_you_mean;
use crate::diag::{self, Diagnostic, Sink};
use crate::load::{Node, Span, Tree, Value};

/// Reads `parameters:`; absent, the run takes no parameters.
pub fn read(node: Option<&Node>, sink: &mut Sink) -> IndexMap<String, ParamDecl> {
    node.map(|n| super::job::param_decls(n, "`taskgraph/config.yml` (`parameters`)", sink))
        .unwrap_or_default()
}

/// `params.name` and `params['name']` in template text.
fn reads() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"\bparams\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([^"']*)["']\s*\])"#)
            .expect("a valid regex")
    })
}

/// Reports every `params.x` that a job or graph template reads and `parameters:` does not
/// declare.
pub fn check_reads(tree: &Tree, decls: &IndexMap<String, ParamDecl>, sink: &mut Sink) {
    let names: Vec<&str> = decls.keys().map(String::as_str).collect();
    let visit = |text: &str, at: Span, sink: &mut Sink| {
        if !text.contains("{{") && !text.contains("{%") {
            return;
        }
        for c in reads().captures_iter(text) {
            let Some(name) = c.get(1).or_else(|| c.get(2)).map(|m| m.as_str()) else {
                continue;
            };
            if decls.contains_key(name) {
                continue;
            }
            // The span of the read itself, when the text is written as is in the file.
            let whole = c.get(0).map_or(0..0, |m| m.range());
            let at = tree.sources.slice(at).find(text).map_or(at, |b| {
                Span::new(
                    at.file,
                    at.start as usize + b + whole.start,
                    at.start as usize + b + whole.end,
                )
            });
            sink.push(
                Diagnostic::error(
                    diag::UNDECLARED_PARAMETER,
                    format!("`params.{name}` is not a declared run parameter"),
                )
                .at(at, format!("reads `params.{name}`"))
                .help(match did_you_mean(name, names.iter().copied()) {
                    Some(best) => format!("did you mean `params.{best}`? Otherwise declare `{name}` in `parameters:` of `taskgraph/config.yml`"),
                    None => format!("declare it in `parameters:` of `taskgraph/config.yml`: `{name}: {{type: string, default: ..., description: ...}}`"),
                }),
            );
        }
    };
    for doc in tree.jobs.iter().chain(&tree.graphs) {
        walk(&doc.node, &mut |text, at| visit(text, at, sink));
    }
}

/// Every string of a tree, values and keys, with its span.
fn walk(node: &Node, f: &mut dyn FnMut(&str, Span)) {
    match &node.value {
        Value::Str(s) => f(s, node.span),
        Value::Seq(items) => items.iter().for_each(|n| walk(n, f)),
        Value::Map(m) => {
            for (key, entry) in m.iter() {
                f(key, entry.key_span);
                walk(&entry.value, f);
            }
        }
        _ => {}
    }
}

/// The declared defaults, as a run that gives no parameters sees them (`lint`).
pub fn defaults(decls: &IndexMap<String, ParamDecl>) -> serde_json::Value {
    decls
        .iter()
        .filter_map(|(name, d)| {
            let v = crate::render::to_json(&crate::render::to_value(d.default.as_ref()?));
            Some((name.clone(), v))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}
