//! Template errors as diagnostics, pointing into the template text.

use std::sync::Arc;

use super::compiled::{PROBE_PREFIX, whole_expression};
use super::{Renderer, Scope};
use crate::diag::{self, Diagnostic};
use crate::load::Span;

impl Renderer<'_, '_> {
    /// A template error, pointing into the template text where the source allows. An error
    /// while evaluating comes with the `scope`; an expression's errors count from the
    /// expression, and evaluated, from its probe wrapper.
    pub(super) fn error(
        &self,
        at: Span,
        template: &str,
        e: &minijinja::Error,
        scope: Option<&Arc<Scope>>,
    ) -> Diagnostic {
        let raw = self.sources.slice(at);
        let shift = whole_expression(template).map_or(0, |inner| {
            let start = inner.as_ptr() as usize - template.as_ptr() as usize;
            start as isize
                - if scope.is_some() {
                    PROBE_PREFIX as isize
                } else {
                    0
                }
        });
        let range = e.range().map(|r| {
            let at = |i: usize| (i as isize + shift).clamp(0, template.len() as isize) as usize;
            at(r.start)..at(r.end.max(r.start))
        });
        let span = match (range.clone(), raw.find(template)) {
            (Some(r), Some(base)) if !template.is_empty() => Span {
                file: at.file,
                start: at.start + (base + r.start) as u32,
                end: at.start + (base + r.end) as u32,
            },
            _ => at,
        };
        let detail = e
            .detail()
            .map(str::to_owned)
            .unwrap_or_else(|| e.kind().to_string());
        let what = template.get(range.unwrap_or(0..0)).unwrap_or("").trim();
        match e.kind() {
            minijinja::ErrorKind::SyntaxError | minijinja::ErrorKind::BadEscape => {
                Diagnostic::error(
                    diag::TEMPLATE_SYNTAX,
                    format!("template syntax error: {detail}"),
                )
                .at(span, "here")
            }
            minijinja::ErrorKind::UndefinedError => {
                let mut d = Diagnostic::error(
                    diag::UNDEFINED_VARIABLE,
                    if what.is_empty() {
                        "undefined variable in template".to_owned()
                    } else {
                        format!("`{what}` is undefined")
                    },
                )
                .at(span, "undefined here");
                if let Some(scope) = scope {
                    d = d.help(scope.help());
                }
                d
            }
            _ => Diagnostic::error(diag::TEMPLATE_ERROR, format!("template failed: {detail}"))
                .at(span, "while evaluating this"),
        }
    }
}
