//! Stage 3, render: minijinja over spanned values. Every string is a template; a string that is
//! one whole `{{ expression }}` keeps the expression's type (a list stays a list); a map with a
//! single `by-<var>` key picks a value by a variable. Templates are compiled once per distinct
//! source string, and strings without template syntax are never compiled at all.

mod bytable;
pub mod convert;
mod fast;
pub mod fuel;
mod limits;
mod scope;
mod tracked;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use minijinja::{Environment, Expression, Template, UndefinedBehavior, Value};

use fuel::Exhausted;

pub use convert::{from_json, text, to_json, to_value};
pub use scope::Scope;
pub use tracked::Tracked;

use crate::diag::{self, Diagnostic, Sink};
use crate::glob::Glob;
use crate::load::{FastHash, Node, Sources, Span, Value as Yaml};
use scope::CHUNK_VARIABLES;

/// A string holds template syntax.
pub fn is_template(s: &str) -> bool {
    s.contains("{{") || s.contains("{%")
}

/// The expression inside `{{ ... }}` when that is the whole string.
fn whole_expression(s: &str) -> Option<&str> {
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

enum Slow<'e, 't> {
    Text(Template<'e, 't>),
    Expr(Probed<'e, 't>),
}

impl Slow<'_, '_> {
    /// Evaluates with minijinja, charging what that spent.
    fn eval(&self, ctx: Value) -> Result<Result<Value, minijinja::Error>, Exhausted> {
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
        fuel::charge(cost)?;
        Ok(result)
    }
}

/// An expression wrapped in the fuel probe (`probe((expr))`), so that it reports what it spent.
struct Probed<'e, 't>(Expression<'e, 't>);

/// Where the expression starts in its probed source.
const PROBE_PREFIX: usize = fuel::PROBE.len() + 2;

impl<'e, 't> Probed<'e, 't> {
    /// Compiles `expr`, reporting its own syntax errors, not the wrapper's.
    fn compile(env: &'e Environment<'t>, expr: &'t str) -> Result<Self, minijinja::Error> {
        env.compile_expression(expr)?;
        env.compile_expression_owned(format!("{}(({expr}))", fuel::PROBE))
            .map(Probed)
    }

    fn eval(&self, ctx: Value) -> (Result<Value, minijinja::Error>, u64) {
        fuel::probed(|| self.0.eval(ctx))
    }
}

/// A compiled template: minijinja's, and the fast path's when the template is that simple
/// (with the other expressions of a text template, compiled on their own).
struct Compiled<'e, 't> {
    fast: Option<(fast::Simple, Vec<Probed<'e, 't>>)>,
    slow: Slow<'e, 't>,
}

impl Compiled<'_, '_> {
    /// The top-level variables the template reads.
    fn variables(&self) -> Vec<String> {
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
}

/// Renders spanned nodes in a scope, with every template of the definitions compiled once.
pub struct Renderer<'e, 't> {
    env: &'e Environment<'t>,
    sources: &'e Sources,
    compiled: HashMap<&'t str, Compiled<'e, 't>, FastHash>,
    /// The limit on distinct templates was reached (and reported).
    too_many: bool,
    globs: HashMap<&'t str, Glob, FastHash>,
    /// The values of prepared nodes that read nothing but `branch` and `params`, by address:
    /// the same for every job of a run, so rendered once (when first needed, and only when
    /// that succeeds: an error is reported where it happens, every time).
    constants: HashMap<usize, Constant, FastHash>,
    /// Prepared nodes that do not read `chunk` or `total_chunks`: rendered once for all the
    /// chunks of a node combination.
    chunk_free: HashSet<usize, FastHash>,
}

/// The value and JSON of a node that reads only `branch` and `params`, kept once rendered
/// (only when that succeeds: an error is reported where it happens, every time).
#[derive(Default)]
struct Constant {
    value: OnceLock<(Value, u64)>,
    json: OnceLock<(serde_json::Value, u64)>,
}

/// Where renders of a node are kept.
enum Kept<'s> {
    /// For the whole run.
    Run(&'s Constant),
    /// For the chunks of one node combination.
    Chunks(&'s scope::Memo, usize),
    No,
}

/// A kept value costs its reader the fuel it cost to compute: what a run spends does not
/// depend on which thread happened to compute it first.
fn reuse<T: Clone>((v, cost): &(T, u64), at: Span) -> Result<T, Diagnostic> {
    fuel::charge(*cost).map_err(|_| exhausted(at))?;
    Ok(v.clone())
}

fn computed<T>(f: impl FnOnce() -> Result<T, Diagnostic>) -> Result<(T, u64), Diagnostic> {
    let (v, cost) = fuel::nested(f);
    Ok((v?, cost))
}

fn once<T: Clone>(
    cell: &OnceLock<(T, u64)>,
    at: Span,
    f: impl FnOnce() -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    if let Some(kept) = cell.get() {
        return reuse(kept, at);
    }
    let kept = computed(f)?;
    Ok(cell.get_or_init(|| kept).0.clone())
}

/// Not locked while rendering: a render may render other nodes.
fn memo<T: Clone>(
    m: &scope::Memo,
    at: usize,
    span: Span,
    slot: fn(&mut scope::Rendered) -> &mut Option<(T, u64)>,
    f: impl FnOnce() -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    let known = m
        .lock()
        .ok()
        .and_then(|mut m| slot(m.entry(at).or_default()).clone());
    if let Some(kept) = known {
        return reuse(&kept, span);
    }
    let kept = computed(f)?;
    if let Ok(mut m) = m.lock() {
        *slot(m.entry(at).or_default()) = Some(kept.clone());
    }
    Ok(kept.0)
}

/// Rendered bytes are paid for in fuel too: a value copied into every job costs every job.
fn pay_for(bytes: u64, at: Span) -> Result<(), Diagnostic> {
    fuel::charge(1 + bytes / fuel::BYTES_PER_FUEL).map_err(|_| exhausted(at))
}

/// The run's template budget ran out.
fn exhausted(at: Span) -> Diagnostic {
    Diagnostic::error(
        diag::EXPANSION_LIMIT,
        format!(
            "this run's templates and rendered values need more than {} fuel",
            fuel::PER_RUN
        ),
    )
    .at(at, "the budget ran out here")
    .help("every job pays for what it renders: a long value or a costly template in a job template costs that for every job")
}

/// What every job of a run sees alike.
const RUN_VARIABLES: [&str; 2] = ["branch", "params"];

impl<'e, 't> Renderer<'e, 't> {
    pub fn new(env: &'e Environment<'t>, sources: &'e Sources) -> Self {
        Renderer {
            env,
            sources,
            compiled: HashMap::default(),
            too_many: false,
            globs: HashMap::default(),
            constants: HashMap::default(),
            chunk_free: HashSet::default(),
        }
    }

    /// Whether every variable a node's templates and `by-*` tables read is `allowed`.
    fn reads_only(&self, node: &Node, allowed: &dyn Fn(&str) -> bool) -> bool {
        let text = |s: &str| {
            !is_template(s)
                || self
                    .compiled
                    .get(s)
                    .is_some_and(|c| c.variables().iter().all(|v| allowed(v)))
        };
        match &node.value {
            Yaml::Str(s) => text(s),
            Yaml::Seq(items) => items.iter().all(|n| self.reads_only(n, allowed)),
            Yaml::Map(m) => {
                let by = bytable::split(m).map(|(var, _)| var.split('.').next().unwrap_or(var));
                by.is_none_or(allowed)
                    && m.iter()
                        .all(|(k, e)| text(k) && self.reads_only(&e.value, allowed))
            }
            _ => true,
        }
    }

    /// Compiles every template under `node` (and the glob keys of its `by-*` tables),
    /// reporting every syntax error, and notes whether its value is the same for every job.
    pub fn prepare(&mut self, node: &'t Node, sink: &mut Sink) {
        self.compile_all(node, sink);
        let at = std::ptr::from_ref(node) as usize;
        if self.reads_only(node, &|v| RUN_VARIABLES.contains(&v)) {
            self.constants.insert(at, Constant::default());
        } else if self.reads_only(node, &|v| !CHUNK_VARIABLES.contains(&v)) {
            self.chunk_free.insert(at);
        }
    }

    fn compile_all(&mut self, node: &'t Node, sink: &mut Sink) {
        match &node.value {
            Yaml::Str(s) if is_template(s) && !self.compiled.contains_key(s.as_str()) => {
                if !self.room_for_one_more(node.span, sink) {
                    return;
                }
                match self.compile(s) {
                    Ok(c) => {
                        self.compiled.insert(s, c);
                    }
                    Err(e) => sink.push(self.error(node.span, s, &e, None)),
                }
            }
            Yaml::Seq(items) => items.iter().for_each(|n| self.compile_all(n, sink)),
            Yaml::Map(m) => {
                if let Some((_, table)) = bytable::split(m) {
                    for (key, entry) in table.iter() {
                        if !bytable::is_glob(key) || self.globs.contains_key(key) {
                            continue;
                        }
                        match crate::query::glob(key) {
                            Ok(g) => {
                                self.globs.insert(key, g);
                            }
                            Err(e) => sink.push(
                                Diagnostic::error(diag::INVALID_VALUE, e)
                                    .at(entry.key_span, "not a glob"),
                            ),
                        }
                    }
                }
                for (key, entry) in m.iter() {
                    if is_template(key) && !self.compiled.contains_key(key) {
                        if !self.room_for_one_more(entry.key_span, sink) {
                            return;
                        }
                        match self.compile(key) {
                            Ok(c) => {
                                self.compiled.insert(key, c);
                            }
                            Err(e) => sink.push(self.error(entry.key_span, key, &e, None)),
                        }
                    }
                    self.compile_all(&entry.value, sink);
                }
            }
            _ => {}
        }
    }

    /// Each compiled template holds its own code buffers: a tree of very many distinct
    /// templates is refused, once, before they exhaust memory.
    fn room_for_one_more(&mut self, at: Span, sink: &mut Sink) -> bool {
        if self.compiled.len() < limits::MAX_TEMPLATES {
            return true;
        }
        if !self.too_many {
            self.too_many = true;
            sink.push(
                Diagnostic::error(
                    diag::TEMPLATE_SYNTAX,
                    format!(
                        "the definitions hold more than {} distinct templates",
                        limits::MAX_TEMPLATES
                    ),
                )
                .at(at, "compilation stopped here")
                .help("share templates between definitions: vary them with parameters and `for:`"),
            );
        }
        false
    }

    fn compile(&self, s: &'t str) -> Result<Compiled<'e, 't>, minijinja::Error> {
        limits::check(s)?;
        let expr = whole_expression(s);
        let slow = match expr {
            Some(expr) => Slow::Expr(Probed::compile(self.env, expr)?),
            None => Slow::Text(self.env.template_from_str(s)?),
        };
        // An expression the fast path cannot compile on its own leaves the template to
        // minijinja whole.
        let fast = fast::parse(s, expr).and_then(|(simple, others)| {
            let compiled: Result<Vec<_>, _> = others
                .into_iter()
                .map(|e| Probed::compile(self.env, e))
                .collect();
            Some((simple, compiled.ok()?))
        });
        Ok(Compiled { fast, slow })
    }

    /// Renders a template string written at `span` (a value, or a mapping key), paying for
    /// the bytes it makes.
    pub fn render_str(
        &self,
        span: Span,
        s: &'t str,
        scope: &Arc<Scope>,
    ) -> Result<Value, Diagnostic> {
        let v = self.evaluate(span, s, scope)?;
        pay_for(fuel::weight(&v), span)?;
        Ok(v)
    }

    fn evaluate(&self, span: Span, s: &'t str, scope: &Arc<Scope>) -> Result<Value, Diagnostic> {
        if !is_template(s) {
            return Ok(Value::from(s));
        }
        let compiled = self.compiled.get(s);
        let fast = compiled.and_then(|c| {
            let (simple, others) = c.fast.as_ref()?;
            simple.eval(scope, &|n| {
                let (v, cost) = others[n].eval(scope.value());
                fuel::charge(cost).ok()?;
                v.ok()
            })
        });
        if let Some(v) = fast {
            return Ok(v);
        }
        fuel::check().map_err(|_| exhausted(span))?;
        let ctx = scope.value();
        let result = match compiled {
            Some(c) => c.slow.eval(ctx),
            None => match self.compile(s) {
                Ok(c) => c.slow.eval(ctx),
                Err(e) => Ok(Err(e)),
            },
        };
        match result.map_err(|_| exhausted(span))? {
            // Strict mode lets an expression *return* undefined; a typo must not pass silently.
            Ok(v) if v.is_undefined() => {
                let expr = whole_expression(s).unwrap_or(s).trim();
                let e =
                    minijinja::Error::new(minijinja::ErrorKind::UndefinedError, "undefined value");
                let mut d = self.error(span, s, &e, Some(scope));
                d.message = format!("`{expr}` is undefined");
                if let Some(at) = self.sources.slice(span).find(expr) {
                    if let Some(p) = d.primary.as_mut() {
                        p.span.start = span.start + at as u32;
                        p.span.end = p.span.start + expr.len() as u32;
                    }
                }
                Err(d)
            }
            Ok(v) => Ok(v),
            Err(e) => Err(self.error(span, s, &e, Some(scope))),
        }
    }

    /// Renders any node: templates evaluated, `by-*` tables resolved, containers recursed.
    pub fn render(&self, node: &'t Node, scope: &Arc<Scope>) -> Result<Value, Diagnostic> {
        match self.kept(node, scope) {
            Kept::Run(c) => once(&c.value, node.span, || self.render_each(node, scope)),
            Kept::Chunks(m, at) => memo(
                m,
                at,
                node.span,
                |r| &mut r.value,
                || self.render_each(node, scope),
            ),
            Kept::No => self.render_each(node, scope),
        }
    }

    /// The items of a list written out in the definitions, to render one by one; `None` for
    /// anything else, and for a list whose whole value is kept.
    pub fn items(&self, node: &'t Node, scope: &Scope) -> Option<&'t [Node]> {
        match &node.value {
            Yaml::Seq(items) if matches!(self.kept(node, scope), Kept::No) => Some(items),
            _ => None,
        }
    }

    /// Where renders of the node in this scope are kept.
    fn kept<'s>(&'s self, node: &Node, scope: &'s Scope) -> Kept<'s> {
        let at = std::ptr::from_ref(node) as usize;
        if let Some(c) = self.constants.get(&at).filter(|_| scope.sees_run()) {
            return Kept::Run(c);
        }
        match scope.chunk_memo() {
            Some(m) if self.chunk_free.contains(&at) => Kept::Chunks(m, at),
            _ => Kept::No,
        }
    }

    fn render_each(&self, node: &'t Node, scope: &Arc<Scope>) -> Result<Value, Diagnostic> {
        // Every value made costs, a literal string its bytes too (a template pays for what it
        // makes in `render_str`).
        let literal = match &node.value {
            Yaml::Str(s) if !is_template(s) => s.len(),
            _ => 0,
        };
        pay_for(literal as u64, node.span)?;
        Ok(match &node.value {
            Yaml::Str(s) if is_template(s) => self.render_str(node.span, s, scope)?,
            Yaml::Str(s) => Value::from(s.as_str()),
            Yaml::Null => Value::from(()),
            Yaml::Bool(b) => Value::from(*b),
            Yaml::Int(i) => Value::from(*i),
            Yaml::Float(f) => Value::from(*f),
            Yaml::Seq(items) => Value::from(
                items
                    .iter()
                    .map(|n| self.render(n, scope))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Yaml::Map(m) => match bytable::split(m) {
                Some((var, table)) => {
                    let chosen = bytable::choose(self, node, var, table, scope)?;
                    self.render(chosen, scope)?
                }
                None => Value::from_pairs(
                    m.iter()
                        .map(|(k, e)| {
                            pay_for(k.len() as u64, e.key_span)?;
                            Ok((k.to_owned(), self.render(&e.value, scope)?))
                        })
                        .collect::<Result<Vec<(String, Value)>, Diagnostic>>()?,
                ),
            },
        })
    }

    /// Renders a node straight to JSON. Maps and lists written in the definitions (the
    /// commonest job fields) are built as JSON directly, without a template value in between.
    pub fn render_json(
        &self,
        node: &'t Node,
        scope: &Arc<Scope>,
    ) -> Result<serde_json::Value, Diagnostic> {
        match self.kept(node, scope) {
            Kept::Run(c) => once(&c.json, node.span, || self.render_json_each(node, scope)),
            Kept::Chunks(m, at) => memo(
                m,
                at,
                node.span,
                |r| &mut r.json,
                || self.render_json_each(node, scope),
            ),
            Kept::No => self.render_json_each(node, scope),
        }
    }

    fn render_json_each(
        &self,
        node: &'t Node,
        scope: &Arc<Scope>,
    ) -> Result<serde_json::Value, Diagnostic> {
        match &node.value {
            Yaml::Seq(items) => items
                .iter()
                .map(|n| self.render_json(n, scope))
                .collect::<Result<_, _>>()
                .map(serde_json::Value::Array),
            Yaml::Map(m) => match bytable::split(m) {
                None => {
                    let mut out = serde_json::Map::with_capacity(m.len());
                    for (k, e) in m.iter() {
                        pay_for(k.len() as u64, e.key_span)?;
                        out.insert(k.to_owned(), self.render_json(&e.value, scope)?);
                    }
                    Ok(serde_json::Value::Object(out))
                }
                Some((var, table)) => {
                    let chosen = bytable::choose(self, node, var, table, scope)?;
                    self.render_json(chosen, scope)
                }
            },
            _ => Ok(to_json(&self.render_each(node, scope)?)),
        }
    }

    /// Renders a node to the text a label or key holds.
    pub fn render_text(&self, node: &'t Node, scope: &Arc<Scope>) -> Result<String, Diagnostic> {
        if let Yaml::Str(s) = &node.value {
            if !is_template(s) {
                return Ok(s.clone());
            }
        }
        Ok(text(&self.render(node, scope)?))
    }

    /// Evaluates a `when`/`active`-style condition.
    pub fn render_bool(
        &self,
        node: &'t Node,
        scope: &Arc<Scope>,
        what: &str,
    ) -> Result<bool, Diagnostic> {
        let v = self.render(node, scope)?;
        match v.kind() {
            minijinja::value::ValueKind::Bool => Ok(v.is_true()),
            minijinja::value::ValueKind::String => match v.as_str() {
                Some("true" | "True") => Ok(true),
                Some("false" | "False" | "") => Ok(false),
                _ => Err(self.not_a(node, &v, "a boolean", what)),
            },
            _ => Err(self.not_a(node, &v, "a boolean", what)),
        }
    }

    pub fn not_a(&self, node: &Node, v: &Value, expected: &str, what: &str) -> Diagnostic {
        Diagnostic::error(
            diag::WRONG_TYPE,
            format!("{what} must be {expected}, but it is `{v}`"),
        )
        .at(node.span, format!("expected {expected}"))
    }

    pub(crate) fn glob(&self, key: &str) -> Option<&Glob> {
        self.globs.get(key)
    }

    /// A template error, pointing into the template text where the source allows. An error
    /// while evaluating comes with the `scope`; an expression's errors count from the
    /// expression, and evaluated, from its probe wrapper.
    fn error(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Limits, parse};

    fn run(yaml: &str, vars: Vec<(&str, Value)>) -> Result<Value, Diagnostic> {
        let mut sources = Sources::default();
        let id = sources.add("t.yml", yaml);
        let node = parse(&sources, id, Limits::default()).unwrap();
        let env = environment();
        let mut r = Renderer::new(&env, &sources);
        let mut sink = Sink::default();
        r.prepare(&node, &mut sink);
        if let Some(d) = sink.diagnostics.into_iter().next() {
            return Err(d);
        }
        let scope = Scope::root(Value::from(()), Value::from(()))
            .with(vars.into_iter().map(|(k, v)| (k.to_owned(), v)));
        let v = node.as_map().unwrap().get("v").unwrap();
        r.render(v, &scope)
    }

    #[test]
    fn whole_expressions_keep_their_type() {
        let v = run("v: \"{{ xs }}\"\n", vec![("xs", Value::from(vec![1, 2]))]).unwrap();
        assert_eq!(v.len(), Some(2));
        let v = run(
            "v: \"{{ 2 if p == 'linux32' else 1 }}\"\n",
            vec![("p", Value::from("linux32"))],
        )
        .unwrap();
        assert_eq!(v, Value::from(2));
    }

    #[test]
    fn text_templates_render_strings() {
        let v = run(
            "v: \"build-{{ p }}-{{ t }}\"\n",
            vec![("p", Value::from("linux64")), ("t", Value::from("opt"))],
        )
        .unwrap();
        assert_eq!(v.as_str(), Some("build-linux64-opt"));
    }

    #[test]
    fn undefined_variables_are_errors_pointing_into_the_template() {
        let err = run(
            "v: \"build-{{ platfrom }}\"\n",
            vec![("platform", Value::from("x"))],
        )
        .unwrap_err();
        assert_eq!(err.code, diag::UNDEFINED_VARIABLE);
        let primary = err.primary.clone().unwrap();
        assert_eq!(
            primary.span.start, 13,
            "points at the variable, not the whole value"
        );
        assert!(err.help.as_deref().unwrap().contains("`platform`"));
    }

    #[test]
    fn syntax_errors_are_reported_at_prepare() {
        let err = run("v: \"{{ a + }}\"\n", vec![]).unwrap_err();
        assert_eq!(err.code, diag::TEMPLATE_SYNTAX);
    }

    #[test]
    fn by_tables_match_exact_then_glob_then_default() {
        let table = "v: {by-p: {linux32: 2, \"android-*\": 8, default: 1}}\n";
        assert_eq!(
            run(table, vec![("p", Value::from("linux32"))]).unwrap(),
            Value::from(2)
        );
        assert_eq!(
            run(table, vec![("p", Value::from("android-api-9"))]).unwrap(),
            Value::from(8)
        );
        assert_eq!(
            run(table, vec![("p", Value::from("win32"))]).unwrap(),
            Value::from(1)
        );
        let strict = "v: {by-p: {linux32: 2}}\n";
        assert_eq!(
            run(strict, vec![("p", Value::from("win32"))])
                .unwrap_err()
                .code,
            diag::BY_TABLE_NO_MATCH
        );
    }

    #[test]
    fn nested_by_tables() {
        let table = "v: {by-p: {linux: {by-t: {opt: 1, debug: 3}}, default: 0}}\n";
        let v = run(
            table,
            vec![("p", Value::from("linux")), ("t", Value::from("debug"))],
        )
        .unwrap();
        assert_eq!(v, Value::from(3));
    }

    #[test]
    fn strict_mode_still_allows_defaults_and_defined_tests() {
        let p = Value::from_pairs([("x", 1)]);
        assert_eq!(
            run(
                "v: \"{{ params.y | default(2) }}\"\n",
                vec![("params", p.clone())]
            )
            .unwrap(),
            Value::from(2)
        );
        assert_eq!(
            run("v: \"{{ params.y is defined }}\"\n", vec![("params", p)]).unwrap(),
            Value::from(false)
        );
    }

    #[test]
    fn expression_errors_point_into_the_expression() {
        let x = Value::from_pairs([("a", 1)]);
        let err = run("v: \"{{ 1 + x.b.c }}\"\n", vec![("x", x)]).unwrap_err();
        let p = err.primary.clone().unwrap().span;
        let yaml = "v: \"{{ 1 + x.b.c }}\"\n";
        let pointed = &yaml[p.start as usize..p.end as usize];
        assert_eq!(
            pointed, ".b.c",
            "the lookup that failed, not the wrapper's code"
        );
    }

    #[test]
    fn a_kept_value_costs_every_reader_what_it_cost_to_compute() {
        let yaml = "v: \"{{ (params.s * 3) ~ params.s }}\"\n";
        let mut sources = Sources::default();
        let id = sources.add("t.yml", yaml);
        let node = parse(&sources, id, Limits::default()).unwrap();
        let env = environment();
        let mut r = Renderer::new(&env, &sources);
        let v = node.as_map().unwrap().get("v").unwrap();
        r.prepare(v, &mut Sink::default());
        let scope = Scope::root(Value::from(()), Value::from_pairs([("s", "abc")]));
        let (first, computed) = fuel::budgeted(fuel::PER_RUN, || r.render(v, &scope));
        let (again, reused) = fuel::budgeted(fuel::PER_RUN, || r.render(v, &scope));
        assert_eq!(first.unwrap(), again.unwrap());
        assert!(computed > 0);
        assert_eq!(computed, reused);
        let (short, _) = fuel::budgeted(computed - 1, || r.render(v, &scope));
        assert_eq!(short.unwrap_err().code, diag::EXPANSION_LIMIT);
    }

    #[test]
    fn runaway_templates_run_out_of_fuel() {
        let err = run("v: \"{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\"\n", vec![]).unwrap_err();
        assert_eq!(err.code, diag::TEMPLATE_ERROR);
    }
}
