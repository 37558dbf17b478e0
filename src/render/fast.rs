//! A fast path for the commonest templates: a variable or attribute path such as
//! `{{ branch.platform_config[platform].pool }}`, alone or in text (`build-{{ platform }}`).
//! These are evaluated straight against the scope, as minijinja's VM would (the same
//! `get_attr`/`get_item` lookups), without setting up a VM per evaluation. Other expressions
//! in text (`{{ '-' ~ chunk if total_chunks > 1 else '' }}`) are evaluated by minijinja one by
//! one, without rendering a whole template. Whatever the fast path cannot do exactly (a value
//! that is not a string, number or boolean, a lookup that comes up empty, an error) goes to
//! minijinja's rendering of the whole template, which then also reports the error.

use minijinja::Value;
use minijinja::value::ValueKind;

use super::scope::Scope;

/// One step of a path after its root variable.
#[derive(Debug, PartialEq)]
enum Step {
    /// `.name` or `['name']`
    Attr(String),
    /// `[name]`: the value of another variable
    Var(String),
    /// `[3]`
    Index(i64),
}

#[derive(Debug, PartialEq)]
pub struct Path {
    root: String,
    steps: Vec<Step>,
}

#[derive(Debug, PartialEq)]
pub enum Piece {
    Text(String),
    Path(Path),
    /// Any other expression: the `n`th of [`expressions`], which minijinja evaluates.
    Expr(usize),
}

/// A template the fast path can evaluate.
#[derive(Debug, PartialEq)]
pub enum Simple {
    /// The whole string is one path: its value keeps its type.
    Value(Path),
    /// Text with paths in it: rendered to a string.
    Text(Vec<Piece>),
}

/// Words minijinja reads as something other than a variable.
const RESERVED: &[&str] = &[
    "true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if", "else",
    "loop", "self",
];

fn identifier(s: &str) -> Option<(&str, &str)> {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    let (id, rest) = s.split_at(end);
    let first = id.chars().next()?;
    (!first.is_ascii_digit() && !RESERVED.contains(&id)).then_some((id, rest))
}

/// Parses `root(.attr | [var] | ['key'] | [int])*`, the whole of `s` but for spaces.
pub fn path(s: &str) -> Option<Path> {
    let (root, mut rest) = identifier(s.trim())?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let (name, r) = identifier(r)?;
            steps.push(Step::Attr(name.to_owned()));
            rest = r;
        } else if let Some(r) = rest.strip_prefix('[') {
            let (inner, r) = r.split_once(']')?;
            let inner = inner.trim();
            let quoted = inner
                .strip_prefix('\'')
                .and_then(|i| i.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|i| i.strip_suffix('"')));
            steps.push(if let Some(key) = quoted {
                if key.contains(['\\', '\'', '"']) {
                    return None;
                }
                Step::Attr(key.to_owned())
            } else if let Ok(i) = inner.parse::<i64>() {
                Step::Index(i)
            } else {
                match identifier(inner)? {
                    (name, "") => Step::Var(name.to_owned()),
                    _ => return None,
                }
            });
            rest = r;
        } else {
            return None;
        }
    }
    Some(Path {
        root: root.to_owned(),
        steps,
    })
}

/// Parses a template the fast path can evaluate; `expression` is the inside of a template
/// that is one whole `{{ ... }}`. Gives the other expressions' sources, in order.
pub fn parse<'s>(template: &'s str, expression: Option<&str>) -> Option<(Simple, Vec<&'s str>)> {
    if let Some(e) = expression {
        return path(e).map(|p| (Simple::Value(p), Vec::new()));
    }
    // Statements, comments, whitespace control and a trailing newline (which minijinja drops)
    // are left to minijinja.
    if template.contains("{%") || template.contains("{#") || template.ends_with('\n') {
        return None;
    }
    let (mut pieces, mut others) = (Vec::new(), Vec::new());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let (text, after) = rest.split_at(open);
        let (expr, r) = after[2..].split_once("}}")?;
        if text.contains("}}") || expr.starts_with('-') || expr.ends_with('-') {
            return None;
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text.to_owned()));
        }
        pieces.push(match path(expr) {
            Some(p) => Piece::Path(p),
            None => {
                others.push(expr);
                Piece::Expr(others.len() - 1)
            }
        });
        rest = r;
    }
    if rest.contains("}}") {
        return None;
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    Some((Simple::Text(pieces), others))
}

impl Path {
    /// The value at this path, or `None` where minijinja must take over.
    fn eval(&self, scope: &Scope) -> Option<Value> {
        let mut v = scope.lookup(&self.root)?;
        for step in &self.steps {
            v = match step {
                Step::Attr(name) => v.get_attr(name).ok()?,
                Step::Var(name) => v.get_item(&scope.lookup(name)?).ok()?,
                Step::Index(i) => v.get_item(&Value::from(*i)).ok()?,
            };
            if v.is_undefined() {
                return None;
            }
        }
        (!v.is_undefined()).then_some(v)
    }
}

impl Simple {
    /// Evaluates the template, or gives `None` where minijinja must take over.
    /// `other(n)` evaluates the `n`th other expression.
    pub fn eval(&self, scope: &Scope, other: &dyn Fn(usize) -> Option<Value>) -> Option<Value> {
        match self {
            Simple::Value(p) => p.eval(scope),
            Simple::Text(pieces) => {
                let mut out = String::with_capacity(64);
                for piece in pieces {
                    let v = match piece {
                        Piece::Text(t) => {
                            out.push_str(t);
                            continue;
                        }
                        Piece::Path(p) => p.eval(scope)?,
                        Piece::Expr(n) => other(*n).filter(|v| !v.is_undefined())?,
                    };
                    match v.kind() {
                        ValueKind::String => out.push_str(v.as_str()?),
                        ValueKind::Number if v.is_integer() => {
                            out.push_str(&v.as_i64()?.to_string())
                        }
                        ValueKind::Bool => out.push_str(if v.is_true() { "true" } else { "false" }),
                        _ => return None,
                    }
                }
                Some(Value::from(out))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(root: &str, steps: Vec<Step>) -> Path {
        Path {
            root: root.into(),
            steps,
        }
    }

    #[test]
    fn paths_parse() {
        assert_eq!(
            path(" branch.platform_config[platform].pool "),
            Some(p(
                "branch",
                vec![
                    Step::Attr("platform_config".into()),
                    Step::Var("platform".into()),
                    Step::Attr("pool".into())
                ]
            ))
        );
        assert_eq!(
            path("a['b'][\"c\"][2]"),
            Some(p(
                "a",
                vec![
                    Step::Attr("b".into()),
                    Step::Attr("c".into()),
                    Step::Index(2)
                ]
            ))
        );
    }

    #[test]
    fn anything_else_is_left_to_minijinja() {
        for e in [
            "a | default(1)",
            "a + 1",
            "a == 'b'",
            "a[b.c]",
            "a[-b]",
            "true",
            "none",
            "loop.index",
            "1a",
            "a.b()",
            "a['b\\'c']",
            "",
        ] {
            assert_eq!(path(e), None, "{e}");
        }
        for t in [
            "{% if a %}x{% endif %}",
            "{# c #}{{ a }}",
            "{{- a }}",
            "{{ a -}}",
            "{{ a }}\n",
            "x }} {{ a }}",
            "{{ a }} }}",
            "{{ a",
        ] {
            assert_eq!(parse(t, None), None, "{t}");
        }
    }

    #[test]
    fn other_expressions_in_text_are_numbered_in_order() {
        let (simple, others) = parse("a{{ x | upper }}b{{ y }}c{{ 1 + 2 }}", None).unwrap();
        assert_eq!(others, [" x | upper ", " 1 + 2 "]);
        let scope = Scope::root(Value::from(()), Value::from(()))
            .with([("y".to_owned(), Value::from("Y"))]);
        let other = |n: usize| Some(Value::from(["X", "3"][n]));
        assert_eq!(simple.eval(&scope, &other), Some(Value::from("aXbYc3")));
        // An expression that fails or is undefined leaves the template to minijinja.
        assert_eq!(simple.eval(&scope, &|_| None), None);
        assert_eq!(simple.eval(&scope, &|_| Some(Value::UNDEFINED)), None);
    }

    #[test]
    fn text_renders_strings_numbers_and_booleans() {
        let scope = Scope::root(Value::from(()), Value::from(())).with([
            ("s".to_owned(), Value::from("linux")),
            ("n".to_owned(), Value::from(3)),
            ("b".to_owned(), Value::from(true)),
            ("l".to_owned(), Value::from(vec![1])),
        ]);
        let none = |_: usize| None;
        let eval = |t: &str, e: Option<&str>| parse(t, e).unwrap().0.eval(&scope, &none);
        assert_eq!(
            eval("build-{{ s }}-{{n}}-{{ b }}", None),
            Some(Value::from("build-linux-3-true"))
        );
        // Lists, missing variables and missing keys go to minijinja.
        assert_eq!(eval("{{ l }}!", None), None);
        assert_eq!(eval("{{ x }}", None), None);
        assert_eq!(eval("x", Some("s.y")), None);
        assert_eq!(eval("x", Some("l")), Some(Value::from(vec![1])));
    }
}
