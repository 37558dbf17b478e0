//! Stage 3, render: minijinja over spanned values. Every string is a template; a string that is
//! one whole `{{ expression }}` keeps the expression's type (a list stays a list); a map with a
//! single `by-<var>` key picks a value by a variable. Templates are compiled once per distinct
//! source string, and strings without template syntax are never compiled at all.

mod bytable;
mod compiled;
pub mod convert;
mod error;
mod fast;
pub mod fuel;
mod kept;
mod limits;
mod scope;
mod tracked;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use minijinja::{Environment, Value};

use compiled::{Compiled, whole_expression};
pub use compiled::{environment, is_template};
pub use kept::FUEL_EXHAUSTED;
use kept::{Constant, Kept, exhausted, pay_for, through};

pub use convert::{from_json, text, to_json, to_value};
pub use scope::Scope;
pub use tracked::Tracked;

use crate::diag::{self, Diagnostic, Sink};
use crate::glob::Glob;
use crate::load::{FastHash, Node, Sources, Span, Value as Yaml};
use scope::CHUNK_VARIABLES;

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
        Compiled::new(self.env, s)
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
                fuel::charge_ops(cost).ok()?;
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
                if let Some(at) = self.sources.slice(span).find(expr)
                    && let Some(p) = d.primary.as_mut()
                {
                    p.span.start = span.start + at as u32;
                    p.span.end = p.span.start + expr.len() as u32;
                }
                Err(d)
            }
            Ok(v) => Ok(v),
            Err(e) => Err(self.error(span, s, &e, Some(scope))),
        }
    }

    /// Renders any node: templates evaluated, `by-*` tables resolved, containers recursed.
    pub fn render(&self, node: &'t Node, scope: &Arc<Scope>) -> Result<Value, Diagnostic> {
        through(
            self.kept(node, scope),
            node.span,
            |c| &c.value,
            |r| &mut r.value,
            || self.render_each(node, scope),
        )
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
        through(
            self.kept(node, scope),
            node.span,
            |c| &c.json,
            |r| &mut r.json,
            || self.render_json_each(node, scope),
        )
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
        if let Yaml::Str(s) = &node.value
            && !is_template(s)
        {
            return Ok(s.clone());
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
}

#[cfg(test)]
mod tests;
