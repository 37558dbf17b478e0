//! Declared parameters: binding given values to declarations, with defaults and type checks.

use indexmap::IndexMap;
use minijinja::Value;
use minijinja::value::ValueKind;

use crate::defs::keys::suggestion;
use crate::defs::{ParamDecl, ParamType};
use crate::diag::{self, Diagnostic, Sink};
use crate::load::Span;
use crate::render::to_value;

fn fits(value: &Value, ty: ParamType) -> bool {
    match ty {
        ParamType::Any => true,
        ParamType::String => value.kind() == ValueKind::String,
        ParamType::Integer => {
            value.kind() == ValueKind::Number && i64::try_from(value.clone()).is_ok()
        }
        ParamType::Boolean => value.kind() == ValueKind::Bool,
        ParamType::List => value.kind() == ValueKind::Seq,
        ParamType::Map => value.kind() == ValueKind::Map,
    }
}

/// A value offered for a parameter, and where it was written.
pub struct Given {
    pub value: Value,
    pub span: Span,
    /// Offered explicitly (`params:`), so an undeclared name is an error; matrix variables are
    /// offered implicitly and only bound when declared.
    pub explicit: bool,
}

/// Binds `given` to `decls`; `owner` names the template for messages, `site` is where it is used.
pub fn bind(
    decls: &IndexMap<String, ParamDecl>,
    given: &IndexMap<String, Given>,
    owner: &str,
    site: Span,
    sink: &mut Sink,
) -> Vec<(String, Value)> {
    let names: Vec<&str> = decls.keys().map(String::as_str).collect();
    for (name, g) in given {
        if g.explicit && !decls.contains_key(name) {
            sink.push(
                Diagnostic::error(
                    diag::UNKNOWN_PARAM,
                    format!("{owner} has no parameter `{name}`"),
                )
                .at(g.span, "unknown parameter")
                .help(if names.is_empty() {
                    format!("{owner} declares no parameters")
                } else {
                    suggestion(name, &names)
                }),
            );
        }
    }
    let mut out = Vec::with_capacity(decls.len());
    for (name, decl) in decls {
        let (value, span) = match (given.get(name), &decl.default) {
            (Some(g), _) => (g.value.clone(), g.span),
            (None, Some(d)) => (to_value(d), d.span),
            (None, None) => {
                sink.push(
                    Diagnostic::error(
                        diag::MISSING_PARAM,
                        format!("{owner} needs parameter `{name}`, and it is not given"),
                    )
                    .at(site, format!("`{name}` is not given here"))
                    .also(decl.span, "declared here")
                    .help(format!(
                        "pass `{name}` in `params:` or in `for:`, or give it a default"
                    )),
                );
                continue;
            }
        };
        if !fits(&value, decl.ty) {
            sink.push(
                Diagnostic::error(
                    diag::WRONG_TYPE,
                    format!(
                        "parameter `{name}` of {owner} must be {}, but it is `{value}`",
                        decl.ty.described()
                    ),
                )
                .at(span, format!("expected {}", decl.ty.described()))
                .also(decl.span, "declared here"),
            );
            continue;
        }
        out.push((name.clone(), value));
    }
    out
}
