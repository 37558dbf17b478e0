//! `needs`: what a job (or a subgraph's start) waits for, and on which upstream statuses.

use std::sync::Arc;

use super::fields::condition_of;
use crate::defs::values::Condition;
use crate::diag::Diagnostic;
use crate::load::{Node, Span, Value as Yaml};
use crate::render::{Renderer, Scope, text};

/// One rendered dependency: a label or a label glob, and its condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub pattern: String,
    pub glob: bool,
    pub on: Condition,
    pub span: Span,
}

impl Need {
    pub fn new(pattern: String, on: Condition, span: Span) -> Self {
        Need {
            glob: pattern.contains(['*', '?', '[']),
            pattern,
            on,
            span,
        }
    }
}

/// Renders a `needs` value: `{label: condition}`, a list of labels (or of such maps), or one label.
pub fn render_needs<'t>(
    r: &Renderer<'_, 't>,
    node: &'t Node,
    scope: &Arc<Scope>,
) -> Result<Vec<Need>, Diagnostic> {
    let mut out = Vec::new();
    collect(r, node, scope, &mut out)?;
    Ok(out)
}

fn collect<'t>(
    r: &Renderer<'_, 't>,
    node: &'t Node,
    scope: &Arc<Scope>,
    out: &mut Vec<Need>,
) -> Result<(), Diagnostic> {
    match &node.value {
        Yaml::Null => {}
        Yaml::Str(s) => {
            let label = text(&r.render_str(node.span, s, scope)?);
            out.push(Need::new(label, Condition::SUCCESS, node.span));
        }
        Yaml::Seq(items) => {
            for item in items {
                collect(r, item, scope, out)?;
            }
        }
        Yaml::Map(m) => {
            for (key, entry) in m.iter() {
                let label = text(&r.render_str(entry.key_span, key, scope)?);
                let on = condition_of(r, &r.render(&entry.value, scope)?, &entry.value)?;
                out.push(Need::new(label, on, entry.key_span));
            }
        }
        _ => {
            return Err(crate::defs::keys::wrong_type(
                node,
                "a mapping of label to condition, or a list of labels",
                "`needs`",
            ));
        }
    }
    Ok(())
}
