//! Compiled templates: minijinja's, each reporting the fuel it spent, and the fast path's.

use minijinja::{Environment, Expression, Template, UndefinedBehavior, Value};

use super::fuel::{self, Exhausted};
use super::{fast, limits};

/// A string holds template syntax.
pub fn is_template(s: &str) -> bool {
    s.contains("{{") || s.contains("{%")
}

/// The expression inside `{{ ... }}` when that is the whole string.
pub(super) fn whole_expression(s: &str) -> Option<&str> {
    let inner = s.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner);
    (!inner.contains("{{") && !inner.contains("}}") && !inner.contains("{%")).then_some(inner)
}

/// The minijinja environment shared by a run: strict undefined, bounded fuel and recursion.
pub fn environment<'t>() -> Environment<'t> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    fuel::install(&mut env);
    env.set_recursion_limit(64);
    env
}

pub(super) enum Slow<'e, 't> {
    Text(Template<'e, 't>),
    Expr(Probed<'e, 't>),
}

impl Slow<'_, '_> {
    /// Evaluates with minijinja, charging what that spent.
    pub(super) fn eval(&self, ctx: Value) -> Result<Result<Value, minijinja::Error>, Exhausted> {
        let (result, cost) = match self {
            Slow::Expr(e) => e.eval(ctx),
            Slow::Text(t) => match t.render_captured(ctx) {
                Ok(out) => {
                    let cost = out.state().fuel_levels().map_or(0, |(used, _)| used);
                    (Ok(Value::from(out.into_output())), cost)
                }
                Err(e) => (Err(e), fuel::PER_EVALUATION),
            },
        };
        fuel::charge_ops(cost)?;
        Ok(result)
    }
}

/// An expression wrapped in the fuel probe (`probe((expr))`), so that it reports what it spent.
pub(super) struct Probed<'e, 't>(Expression<'e, 't>);

/// Where the expression starts in its probed source.
pub(super) const PROBE_PREFIX: usize = fuel::PROBE.len() + 2;

impl<'e, 't> Probed<'e, 't> {
    /// Compiles `expr`, reporting its own syntax errors, not the wrapper's.
    pub(super) fn compile(
        env: &'e Environment<'t>,
        expr: &'t str,
    ) -> Result<Self, minijinja::Error> {
        env.compile_expression(expr)?;
        env.compile_expression_owned(format!("{}(({expr}))", fuel::PROBE))
            .map(Probed)
    }

    pub(super) fn eval(&self, ctx: Value) -> (Result<Value, minijinja::Error>, u64) {
        fuel::probed(|| self.0.eval(ctx))
    }
}

/// A compiled template: minijinja's, and the fast path's when the template is that simple
/// (with the other expressions of a text template, compiled on their own).
pub(super) struct Compiled<'e, 't> {
    pub(super) fast: Option<(fast::Simple, Vec<Probed<'e, 't>>)>,
    pub(super) slow: Slow<'e, 't>,
}

impl<'e, 't> Compiled<'e, 't> {
    /// The top-level variables the template reads.
    pub(super) fn variables(&self) -> Vec<String> {
        match &self.slow {
            Slow::Text(t) => t.undeclared_variables(false).into_iter().collect(),
            Slow::Expr(e) => {
                e.0.undeclared_variables(false)
                    .into_iter()
                    .filter(|v| v != fuel::PROBE)
                    .collect()
            }
        }
    }

    /// Compiles `s`, once it is known to be small enough.
    pub(super) fn new(env: &'e Environment<'t>, s: &'t str) -> Result<Self, minijinja::Error> {
        limits::check(s)?;
        let expr = whole_expression(s);
        let slow = match expr {
            Some(expr) => Slow::Expr(Probed::compile(env, expr)?),
            None => Slow::Text(env.template_from_str(s)?),
        };
        // An expression the fast path cannot compile on its own leaves the template to
        // minijinja whole.
        let fast = fast::parse(s, expr).and_then(|(simple, others)| {
            let compiled: Result<Vec<_>, _> = others
                .into_iter()
                .map(|e| Probed::compile(env, e))
                .collect();
            Some((simple, compiled.ok()?))
        });
        Ok(Compiled { fast, slow })
    }
}
