//! A fast path for the commonest templates: a variable or attribute path such as
//! `{{ branch.platform_config[platform].pool }}`, alone or in text (`build-{{ platform }}`).
//! These are evaluated straight against the scope, as minijinja's VM would (the same
//! `get_attr`/`get_item` lookups), without setting up a VM per evaluation. Anything else
//! (filters, operators, tests), and any lookup that comes up empty, goes to minijinja, which
//! then also reports the error.

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
/// that is one whole `{{ ... }}`.
pub fn parse(template: &str, expression: Option<&str>) -> Option<Simple> {
    if let Some(e) = expression {
        return path(e).map(Simple::Value);
    }
    // Statements, comments, whitespace control and a trailing newline (which minijinja drops)
    // are left to minijinja.
    if template.contains("{%") || template.contains("{#") || template.ends_with('\n') {
        return None;
    }
    let mut pieces = Vec::new();
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
        pieces.push(Piece::Path(path(expr)?));
        rest = r;
    }
    if rest.contains("}}") {
        return None;
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    Some(Simple::Text(pieces))
}

impl Path {
    /// The variables the path reads.
    fn variables(&self) -> impl Iterator<Item = &str> {
        let indices = self.steps.iter().filter_map(|s| match s {
            Step::Var(name) => Some(name.as_str()),
            _ => None,
        });
        std::iter::once(self.root.as_str()).chain(indices)
    }

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
    /// The variables the template reads.
    pub fn variables(&self) -> Vec<&str> {
        match self {
            Simple::Value(p) => p.variables().collect(),
            Simple::Text(pieces) => pieces
                .iter()
                .flat_map(|piece| match piece {
                    Piece::Path(p) => p.variables().collect(),
                    Piece::Text(_) => Vec::new(),
                })
                .collect(),
        }
    }

    /// Evaluates the template, or gives `None` where minijinja must take over.
    pub fn eval(&self, scope: &Scope) -> Option<Value> {
        match self {
            Simple::Value(p) => p.eval(scope),
            Simple::Text(pieces) => {
                let mut out = String::new();
                for piece in pieces {
                    match piece {
                        Piece::Text(t) => out.push_str(t),
                        Piece::Path(p) => {
                            let v = p.eval(scope)?;
                            match v.kind() {
                                ValueKind::String => out.push_str(v.as_str()?),
                                ValueKind::Number if v.is_integer() => {
                                    out.push_str(&v.as_i64()?.to_string())
                                }
                                ValueKind::Bool => {
                                    out.push_str(if v.is_true() { "true" } else { "false" })
                                }
                                _ => return None,
                            }
                        }
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
    fn text_renders_strings_numbers_and_booleans() {
        let scope = Scope::root(Value::from(()), Value::from(())).with([
            ("s".to_owned(), Value::from("linux")),
            ("n".to_owned(), Value::from(3)),
            ("b".to_owned(), Value::from(true)),
            ("l".to_owned(), Value::from(vec![1])),
        ]);
        let t = parse("build-{{ s }}-{{n}}-{{ b }}", None).unwrap();
        assert_eq!(t.eval(&scope), Some(Value::from("build-linux-3-true")));
        // Lists, missing variables and missing keys go to minijinja.
        assert_eq!(parse("{{ l }}!", None).unwrap().eval(&scope), None);
        assert_eq!(parse("{{ x }}", None).unwrap().eval(&scope), None);
        assert_eq!(parse("x", Some("s.y")).unwrap().eval(&scope), None);
        assert_eq!(
            parse("x", Some("l")).unwrap().eval(&scope),
            Some(Value::from(vec![1]))
        );
    }
}
