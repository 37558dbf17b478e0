//! Job templates: what a job is, once.

use indexmap::IndexMap;

use super::keys::{self, Spanned, check_keys, expect_map, required, spanned_str};
pub use super::shape::jobs::JOB_FIELDS;
use super::shape::jobs::{PARAM, TEMPLATE};
use super::values::JobType;
use crate::diag::{self, Diagnostic, Sink};
use crate::load::{FileId, Map, Node, Span, Value};

/// Whether `name` is a job field.
pub fn is_job_field(name: &str) -> bool {
    JOB_FIELDS.iter().any(|k| k.name == name)
}

/// Job fields by name, in source order.
pub type Fields = IndexMap<String, Node, crate::load::FastHash>;

/// Splits the job fields out of a map; the caller checks the other keys.
pub fn fields_of(map: &Map) -> Fields {
    map.iter()
        .filter(|(k, _)| is_job_field(k))
        .map(|(k, e)| (k.to_owned(), e.value.clone()))
        .collect()
}

/// The declared type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    String,
    Integer,
    Boolean,
    List,
    Map,
    Any,
}

impl ParamType {
    pub const NAMES: &'static [&'static str] =
        &["string", "integer", "boolean", "list", "map", "any"];

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "string" => ParamType::String,
            "integer" => ParamType::Integer,
            "boolean" => ParamType::Boolean,
            "list" => ParamType::List,
            "map" => ParamType::Map,
            "any" => ParamType::Any,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The type with its article, for messages: "an integer".
    pub fn described(self) -> &'static str {
        [
            "a string",
            "an integer",
            "a boolean",
            "a list",
            "a mapping",
            "anything",
        ][self as usize]
    }
}

/// A declared parameter: `name: string` or `name: {type: string, default: opt}`.
#[derive(Debug, Clone)]
pub struct ParamDecl {
    pub ty: ParamType,
    pub default: Option<Node>,
    /// What the parameter means, when the declaration says.
    pub description: Option<String>,
    /// Where the parameter is declared.
    pub span: Span,
}

/// Reads a `params:` declaration block.
pub fn param_decls(node: &Node, what: &str, sink: &mut Sink) -> IndexMap<String, ParamDecl> {
    let mut out = IndexMap::new();
    let Some(map) = sink.ok(expect_map(node, &format!("`params` of {what}"))) else {
        return out;
    };
    for (name, entry) in map.iter() {
        let (ty_node, default, description) = match &entry.value.value {
            Value::Map(m) => {
                check_keys(m, &PARAM, &format!("parameter `{name}`"), sink);
                match required(m, &entry.value, "type", &format!("parameter `{name}`")) {
                    Ok(t) => (
                        t,
                        m.get("default").cloned(),
                        m.get("description").and_then(Node::scalar_text),
                    ),
                    Err(d) => {
                        sink.push(d);
                        continue;
                    }
                }
            }
            _ => (&entry.value, None, None),
        };
        let Some(ty_name) = sink.ok(keys::expect_str(
            ty_node,
            &format!("the type of parameter `{name}`"),
        )) else {
            continue;
        };
        let Some(ty) = ParamType::parse(ty_name) else {
            sink.push(
                Diagnostic::error(
                    diag::INVALID_VALUE,
                    format!("unknown parameter type `{ty_name}`"),
                )
                .at(ty_node.span, "unknown type")
                .help(keys::suggestion(ty_name, ParamType::NAMES)),
            );
            continue;
        };
        out.insert(
            name.to_owned(),
            ParamDecl {
                ty,
                default,
                description,
                span: entry.key_span,
            },
        );
    }
    out
}

/// A job template from `taskgraph/jobs/*.yml`.
#[derive(Debug, Clone)]
pub struct JobTemplate {
    pub name: Spanned<String>,
    pub kind: Spanned<String>,
    pub job_type: JobType,
    pub params: IndexMap<String, ParamDecl>,
    pub fields: Fields,
    pub file: FileId,
}

/// Reads a `type:` key, defaulting to `task`.
pub fn job_type(map: &Map, sink: &mut Sink) -> JobType {
    let Some(node) = map.get("type") else {
        return JobType::Task;
    };
    let Some(s) = sink.ok(keys::expect_str(node, "`type`")) else {
        return JobType::Task;
    };
    JobType::parse(s).unwrap_or_else(|| {
        sink.push(
            Diagnostic::error(diag::INVALID_VALUE, format!("unknown job type `{s}`"))
                .at(node.span, "unknown job type")
                .help(keys::suggestion(s, JobType::NAMES)),
        );
        JobType::Task
    })
}

/// Reads one job template definition.
pub fn job_template(
    name: Spanned<String>,
    node: &Node,
    file: FileId,
    sink: &mut Sink,
) -> Option<JobTemplate> {
    let what = format!("job template `{}`", name.value);
    let map = sink.ok(expect_map(node, &what))?;
    check_keys(map, &TEMPLATE, &what, sink);
    let job_type = job_type(map, sink);
    let kind = match map.get("kind") {
        Some(k) => sink.ok(spanned_str(k, "`kind`"))?,
        None if job_type != JobType::Task => Spanned {
            value: job_type.name().to_owned(),
            span: name.span,
        },
        None => {
            sink.push(required(map, node, "kind", &what).err()?);
            return None;
        }
    };
    let params = map
        .get("params")
        .map(|p| param_decls(p, &what, sink))
        .unwrap_or_default();
    Some(JobTemplate {
        name,
        kind,
        job_type,
        params,
        fields: fields_of(map),
        file,
    })
}
