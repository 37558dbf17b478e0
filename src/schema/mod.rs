//! `taskgen schema`: a JSON Schema (2020-12) for each kind of file taskgen reads, written from
//! the tables the loader checks keys against (`defs::shape`), so that an editor flags what
//! `taskgen lint` would. Rendered values (templates, `by-*` tables) are checked as far as they
//! can be before rendering: an integer field takes an integer, a template or a `by-*` table.

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use crate::defs::shape::{self, Table, Ty};
use crate::defs::{ParamDecl, ParamType};

/// A kind of file, and so a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Config,
    Jobs,
    Graphs,
    Branches,
    Tests,
    Policy,
    Params,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Config,
        Kind::Jobs,
        Kind::Graphs,
        Kind::Branches,
        Kind::Tests,
        Kind::Policy,
        Kind::Params,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Config => "config",
            Kind::Jobs => "jobs",
            Kind::Graphs => "graphs",
            Kind::Branches => "branches",
            Kind::Tests => "tests",
            Kind::Policy => "policy",
            Kind::Params => "params",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The schema's file name: `taskgen-config.schema.json`.
    pub fn file_name(self) -> String {
        format!("taskgen-{}.schema.json", self.name())
    }

    /// Where files of this kind live, relative to the definitions root (none: anywhere).
    pub fn file_match(self) -> &'static [&'static str] {
        match self {
            Kind::Config => &["taskgraph/config.yml"],
            Kind::Jobs => &["taskgraph/jobs/*.yml"],
            Kind::Graphs => &["taskgraph/graphs/*.yml"],
            Kind::Branches => &["branches/*.yml"],
            Kind::Tests => &["taskgraph/tests/*.yml"],
            Kind::Policy | Kind::Params => &[],
        }
    }

    /// The kind of a definitions file, by its path relative to the root (`/`-separated).
    pub fn for_path(path: &str) -> Option<Kind> {
        let in_dir = |dir: &str| {
            path.strip_prefix(dir)
                .is_some_and(|name| name.ends_with(".yml") && !name.contains('/'))
        };
        Kind::ALL.into_iter().find(|k| {
            k.file_match()
                .iter()
                .any(|pattern| match pattern.strip_suffix("*.yml") {
                    Some(dir) => in_dir(dir),
                    None => path == *pattern,
                })
        })
    }

    pub fn title(self) -> &'static str {
        match self {
            Kind::Config => "taskgen tree-wide settings (taskgraph/config.yml)",
            Kind::Jobs => "taskgen job templates (taskgraph/jobs/*.yml)",
            Kind::Graphs => "taskgen graph template (taskgraph/graphs/*.yml)",
            Kind::Branches => "taskgen branch definition (branches/*.yml)",
            Kind::Tests => "taskgen graph tests (taskgraph/tests/*.yml)",
            Kind::Policy => "taskgen trust policy (--policy FILE)",
            Kind::Params => "taskgen run parameters (--params FILE)",
        }
    }

    /// The table of the file's top level; `params` is the tree's own declarations.
    fn table(self) -> Option<&'static Table> {
        Some(match self {
            Kind::Config => &shape::config::CONFIG,
            Kind::Jobs => &shape::jobs::JOB_FILE,
            Kind::Graphs => &shape::graphs::GRAPH_FILE,
            Kind::Branches => &shape::branches::BRANCH_FILE,
            Kind::Tests => &shape::graph_tests::TEST_FILE,
            Kind::Policy => &shape::policy::POLICY,
            Kind::Params => return None,
        })
    }
}

/// The schema of one kind; `params` holds the tree's declared run parameters (`parameters:`
/// of `taskgraph/config.yml`), which only the `params` schema reads.
pub fn schema(kind: Kind, params: &IndexMap<String, ParamDecl>) -> Value {
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    if kind != Kind::Params {
        root.insert(
            "$id".into(),
            format!(
                "{}/raw/main/docs/schemas/{}",
                env!("CARGO_PKG_REPOSITORY"),
                kind.file_name()
            )
            .into(),
        );
    }
    root.insert("title".into(), kind.title().into());
    let mut writer = Gen::default();
    let body = match kind.table() {
        Some(table) => {
            let body = writer.object(table, false);
            // An empty branch or policy file is `~`.
            if matches!(kind, Kind::Branches | Kind::Policy) {
                nullable(body)
            } else {
                body
            }
        }
        None => nullable(parameters(params)),
    };
    if let Value::Object(m) = body {
        root.extend(m);
    }
    if !writer.defs.is_empty() {
        root.insert("$defs".into(), Value::Object(writer.defs));
    }
    Value::Object(root)
}

/// A parameters file: the declared parameters, each of its declared type.
fn parameters(params: &IndexMap<String, ParamDecl>) -> Value {
    let properties: Map<String, Value> = params
        .iter()
        .map(|(name, d)| {
            let mut p = match d.ty {
                ParamType::String => json!({"type": "string"}),
                ParamType::Integer => json!({"type": "integer"}),
                ParamType::Boolean => json!({"type": "boolean"}),
                ParamType::List => json!({"type": "array"}),
                ParamType::Map => json!({"type": "object"}),
                ParamType::Any => json!({}),
            };
            if let Some(text) = &d.description {
                p["description"] = text.clone().into();
            }
            if let Some(default) = &d.default {
                p["default"] = crate::render::to_json(&crate::render::to_value(default));
            }
            (name.clone(), p)
        })
        .collect();
    json!({"type": "object", "properties": properties, "additionalProperties": false})
}

/// Writes types out as schemas, each rendered value's schema once, under `$defs`.
#[derive(Default)]
struct Gen {
    defs: Map<String, Value>,
    /// Each schema's text to its name in `defs`.
    names: std::collections::HashMap<String, String>,
}

impl Gen {
    /// A mapping of a table's keys.
    fn object(&mut self, table: &Table, rendered: bool) -> Value {
        let properties: Map<String, Value> = table
            .keys()
            .map(|k| {
                let mut p = match k.ty {
                    // `false` would forbid the key too, with no room for the reason.
                    Ty::Forbidden => json!({"not": {}}),
                    ty => self.of(&ty, rendered),
                };
                p["description"] = k.doc.into();
                (k.name.to_owned(), p)
            })
            .collect();
        let mut o = json!({"type": "object", "properties": properties});
        if !table.open {
            o["additionalProperties"] = false.into();
        }
        if !table.required.is_empty() {
            o["required"] = table.required.into();
        }
        if let Some((key, other, value)) = table.required_when {
            o["if"] = json!({"anyOf": [
                {"not": {"required": [other]}},
                {"required": [other], "properties": {other: {"const": value}}},
            ]});
            o["then"] = json!({"required": [key]});
        }
        if table.exactly_one {
            o["minProperties"] = 1.into();
            o["maxProperties"] = 1.into();
        }
        o
    }

    /// `s` under `$defs` (once), as a reference.
    fn define(&mut self, prefix: &str, s: Value) -> Value {
        let text = s.to_string();
        let name = match self.names.get(&text) {
            Some(name) => name.clone(),
            None => {
                let name = format!("{prefix}-{}", self.defs.len() + 1);
                self.defs.insert(name.clone(), s);
                self.names.insert(text, name.clone());
                name
            }
        };
        json!({"$ref": format!("#/$defs/{name}")})
    }

    /// Before rendering, a value may also be a template, a `by-*` table choosing among values,
    /// or `~` (unset). Both schemas go to `$defs` once, as many fields share them.
    fn or_rendered(&mut self, s: Value) -> Value {
        let s = self.define("value", s);
        let by_table = json!({
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "propertyNames": {"pattern": "^by-"},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {"anyOf": [
                    s.clone(),
                    template(),
                    {"type": "null"},
                    {"type": "object", "propertyNames": {"pattern": "^by-"}},
                ]},
            },
        });
        let rendered = json!({"anyOf": [s, template(), by_table, {"type": "null"}]});
        self.define("rendered", rendered)
    }

    /// The schema of one type; `rendered`: the value is rendered, so it and every value inside
    /// it may be a template or a `by-*` table.
    fn of(&mut self, ty: &Ty, rendered: bool) -> Value {
        let s = match ty {
            Ty::Rendered(inner) => return self.of(inner, true),
            Ty::Any => return json!({}),
            Ty::Forbidden => return json!({"not": {}}),
            // What renders to a string may be written as a number or a boolean.
            Ty::Str if rendered => json!({"type": ["string", "number", "boolean"]}),
            Ty::Str => json!({"type": "string"}),
            Ty::Bool if rendered => json!({"anyOf": [
                {"type": "boolean"},
                {"enum": ["true", "True", "false", "False", ""]},
            ]}),
            Ty::Bool => json!({"type": "boolean"}),
            Ty::Int if rendered => json!({"anyOf": [
                {"type": "integer"},
                {"type": "string", "pattern": r"^\s*-?[0-9]+\s*$"},
            ]}),
            Ty::Int => json!({"type": "integer"}),
            Ty::Count if rendered => json!({"anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^\s*[0-9]+\s*$"},
            ]}),
            Ty::Count => json!({"type": "integer", "minimum": 0}),
            Ty::Level => json!({"enum": [1, 2, 3]}),
            Ty::Duration => json!({"anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": r"^\s*([0-9]+|[0-9]+[smhdw]( *[0-9]+[smhdw])*)\s*$"},
            ]}),
            Ty::Word(words) => json!({"enum": words}),
            Ty::Number(numbers) => json!({"enum": numbers}),
            Ty::Strings if rendered => {
                let item = self.of(&Ty::Str, true);
                json!({"anyOf": [
                    {"type": ["string", "number", "boolean"]},
                    {"type": "array", "items": item},
                ]})
            }
            Ty::Strings => json!({"anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
            ]}),
            Ty::List(item) => json!({"type": "array", "items": self.of(item, rendered)}),
            Ty::Map(table) => self.object(table, rendered),
            Ty::MapOf(value) => {
                json!({"type": "object", "additionalProperties": self.of(value, rendered)})
            }
            // A pattern, not an enum: YAML editors read a key like `1:` as a number, which
            // an enum of strings rejects and a pattern (for strings only) lets through.
            Ty::Keyed(names, value) => json!({
                "type": "object",
                "propertyNames": {"pattern": format!("^({})$", names.iter().map(|n| regex::escape(n)).collect::<Vec<_>>().join("|"))},
                "additionalProperties": self.of(value, rendered),
            }),
            Ty::OneOf([ty, Ty::Null]) if !rendered => nullable(self.of(ty, false)),
            Ty::OneOf(types) => {
                let each: Vec<Value> = types.iter().map(|t| self.of(t, rendered)).collect();
                json!({"anyOf": each})
            }
            Ty::Null => json!({"type": "null"}),
        };
        if rendered { self.or_rendered(s) } else { s }
    }
}

/// `s` or `~`; said with `type` where `s` has one, for errors that name the key at fault.
fn nullable(mut s: Value) -> Value {
    match s.get("type").and_then(Value::as_str) {
        Some(t) => {
            s["type"] = json!([t, "null"]);
            s
        }
        None => json!({"anyOf": [s, {"type": "null"}]}),
    }
}

/// A string that renders: it holds `{{` or `{%`.
fn template() -> Value {
    json!({"type": "string", "pattern": r"\{\{|\{%"})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a document, written as JSON, is valid.
    fn valid(kind: Kind, json: &str) -> bool {
        let value: Value = serde_json::from_str(json).unwrap();
        jsonschema::is_valid(&schema(kind, &IndexMap::new()), &value)
    }

    #[test]
    fn a_rendered_integer_takes_a_number_a_template_or_a_by_table() {
        let job = |retries: &str| {
            format!(r#"{{"jobs": {{"build": {{"kind": "build", "retries": {retries}}}}}}}"#)
        };
        assert!(valid(Kind::Jobs, &job("3")));
        assert!(valid(Kind::Jobs, &job(r#""{{ n }}""#)));
        assert!(valid(
            Kind::Jobs,
            &job(r#"{"by-platform": {"linux": 2, "default": 1}}"#)
        ));
        assert!(!valid(Kind::Jobs, &job(r#""many""#)));
        assert!(!valid(
            Kind::Jobs,
            &job(r#"{"by-platform": {"linux": "many"}}"#)
        ));
        assert!(!valid(Kind::Jobs, &job(r#"{"linux": 2}"#)));
    }

    #[test]
    fn unknown_and_forbidden_keys_fail() {
        assert!(valid(
            Kind::Graphs,
            r#"{"graph": "g", "nodes": [{"name": "a"}]}"#
        ));
        assert!(!valid(Kind::Graphs, r#"{"graph": "g", "nodez": []}"#));
        assert!(!valid(Kind::Graphs, r#"{"nodes": []}"#));
        assert!(valid(
            Kind::Branches,
            r#"{"anything": [1, 2], "trust_level": 2}"#
        ));
        assert!(!valid(Kind::Branches, r#"{"name": "mozilla-central"}"#));
        assert!(!valid(Kind::Branches, r#"{"trust_level": 4}"#));
    }

    #[test]
    fn an_expectation_holds_exactly_one_kind() {
        let test = |e: &str| format!(r#"{{"tests": [{{"name": "t", "expect": [{e}]}}]}}"#);
        assert!(valid(Kind::Tests, &test(r#"{"present": "kind=build"}"#)));
        assert!(!valid(Kind::Tests, &test(r#"{}"#)));
        assert!(!valid(
            Kind::Tests,
            &test(r#"{"present": "a", "absent": "b"}"#)
        ));
    }

    #[test]
    fn a_path_has_the_kind_of_its_directory() {
        assert_eq!(Kind::for_path("taskgraph/config.yml"), Some(Kind::Config));
        assert_eq!(
            Kind::for_path("taskgraph/jobs/builds.yml"),
            Some(Kind::Jobs)
        );
        assert_eq!(Kind::for_path("branches/try.yml"), Some(Kind::Branches));
        assert_eq!(Kind::for_path("taskgraph/tests/a/b.yml"), None);
        assert_eq!(Kind::for_path("taskgraph/graphs/x.yaml"), None);
        assert_eq!(Kind::for_path("params.yml"), None);
    }

    #[test]
    fn kinds_parse_their_names() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.name()), Some(k));
        }
        assert_eq!(Kind::parse("branch"), None);
    }
}
