//! Rendering a job's fields into typed values. A field comes from the highest layer that sets
//! it: the graph node, then the job template, then the tree-wide defaults; each layer renders
//! in its own scope (a job template sees only its declared parameters).

use std::sync::Arc;

use indexmap::IndexMap;
use minijinja::Value;
use minijinja::value::ValueKind;

use super::job::{Artifacts, Breakpoint, Notification, Timeouts, Timer};
use crate::defs::Fields;
use crate::defs::keys::suggestion;
use crate::defs::shape::jobs::{NOTIFY, TREEHERDER};
use crate::defs::values::{
    self, Condition, JobType, NOTIFY_CHANNELS, ON_REQUEST_TIMEOUT, Status, parse_duration,
};
use crate::diag::{self, Diagnostic};
use crate::load::Node;
use crate::render::{Renderer, Scope, text, to_json};

/// The fields of breakpoints, timers, notifications and dummies.
#[derive(Debug, Default)]
pub struct TypeFields {
    pub breakpoint: Option<Breakpoint>,
    pub timer: Option<Timer>,
    pub notification: Option<Notification>,
    pub result: Option<Status>,
}

/// One source of fields and the scope its templates see.
pub struct Layer<'a, 't> {
    pub fields: &'t Fields,
    pub scope: &'a Arc<Scope>,
}

/// The field values of one job, read through its layers (highest first): the run's `--set`
/// values, the graph node, the job template, the tree-wide defaults.
pub struct FieldReader<'a, 'e, 't> {
    pub r: &'a Renderer<'e, 't>,
    pub layers: [Layer<'a, 't>; 4],
}

/// Where each set field of a job comes from.
pub type Origins = Arc<[(&'static str, crate::load::Span, super::job::Origin)]>;

/// Every field set on any of the layers (highest first): its value's span and layer.
pub fn origins(layers: [&Fields; 4]) -> Origins {
    use super::job::Origin;
    let names = [
        Origin::CommandLine,
        Origin::Node,
        Origin::Template,
        Origin::Defaults,
    ];
    crate::defs::job::JOB_FIELDS
        .iter()
        .map(|k| k.name)
        .filter_map(|f| {
            layers
                .iter()
                .zip(names)
                .find_map(|(l, o)| l.get(f).map(|n| (f, n.span, o)))
        })
        .collect()
}

fn invalid(node: &Node, message: String, label: &str) -> Diagnostic {
    Diagnostic::error(diag::INVALID_VALUE, message).at(node.span, label.to_owned())
}

impl<'t> FieldReader<'_, '_, 't> {
    /// The node setting `field`, with its scope; the node layer wins.
    pub fn pick(&self, field: &str) -> Option<(&'t Node, &Arc<Scope>)> {
        self.layers
            .iter()
            .find_map(|l| l.fields.get(field).map(|n| (n, l.scope)))
    }

    /// Every field set on any layer: its value's span and layer, the highest layer winning.
    pub fn origins(&self) -> Origins {
        origins(self.layers.each_ref().map(|l| l.fields))
    }

    /// A field set by the run, the node or the template (not by the tree-wide defaults).
    pub fn explicit(&self, field: &str) -> Option<&'t Node> {
        self.layers[..3].iter().find_map(|l| l.fields.get(field))
    }

    fn value(&self, field: &str) -> Result<Option<(Value, &'t Node)>, Diagnostic> {
        match self.pick(field) {
            None => Ok(None),
            Some((node, scope)) => Ok(Some((self.r.render(node, scope)?, node))),
        }
    }

    pub fn string(&self, field: &str) -> Result<Option<String>, Diagnostic> {
        match self.value(field)? {
            None => Ok(None),
            Some((v, _)) if v.is_none() => Ok(None),
            Some((v, node)) => match v.kind() {
                ValueKind::String | ValueKind::Number | ValueKind::Bool => Ok(Some(text(&v))),
                _ => Err(self.r.not_a(node, &v, "a string", &format!("`{field}`"))),
            },
        }
    }

    pub fn strings(&self, field: &str) -> Result<Vec<String>, Diagnostic> {
        // A list written out renders item by item, straight to strings.
        if let Some((node, scope)) = self.pick(field)
            && let Some(items) = self.r.items(node, scope)
        {
            return items.iter().map(|n| self.r.render_text(n, scope)).collect();
        }
        match self.value(field)? {
            None => Ok(Vec::new()),
            Some((v, _)) if v.is_none() => Ok(Vec::new()),
            Some((v, node)) => strings_of(self.r, &v, node, field),
        }
    }

    pub fn json(&self, field: &str) -> Result<Option<serde_json::Value>, Diagnostic> {
        self.pick(field)
            .map(|(node, scope)| self.r.render_json(node, scope))
            .transpose()
    }

    /// `treeherder`, checked here so that every command reports a bad one, not only the
    /// Taskcluster output that uses it.
    pub fn treeherder(&self) -> Result<Option<serde_json::Value>, Diagnostic> {
        let Some((node, scope)) = self.pick("treeherder") else {
            return Ok(None);
        };
        let v = self.r.render_json(node, scope)?;
        match treeherder_problem(&v) {
            Some(why) => Err(invalid(node, format!("`treeherder`: {why}"), "here")),
            None => Ok(Some(v)),
        }
    }

    pub fn map(&self, field: &str) -> Result<IndexMap<String, serde_json::Value>, Diagnostic> {
        let Some((node, scope)) = self.pick(field) else {
            return Ok(IndexMap::new());
        };
        match self.r.render_json(node, scope)? {
            serde_json::Value::Object(m) => Ok(m.into_iter().collect()),
            serde_json::Value::Null => Ok(IndexMap::new()),
            _ => {
                let v = self.r.render(node, scope)?;
                Err(self.r.not_a(node, &v, "a mapping", &format!("`{field}`")))
            }
        }
    }

    pub fn boolean(&self, field: &str) -> Result<bool, Diagnostic> {
        match self.pick(field) {
            None => Ok(false),
            Some((node, scope)) => self.r.render_bool(node, scope, &format!("`{field}`")),
        }
    }

    pub fn integer(&self, field: &str, max: u64) -> Result<Option<u64>, Diagnostic> {
        match self.value(field)? {
            None => Ok(None),
            Some((v, node)) => integer_of(self.r, &v, node, field, max).map(Some),
        }
    }

    /// An RFC 3339 time, as written (`2025-01-01T00:00:00Z`); an impossible date or a time
    /// without an offset is an error.
    pub fn timestamp(&self, field: &str) -> Result<Option<String>, Diagnostic> {
        let Some(text) = self.string(field)? else {
            return Ok(None);
        };
        match crate::time::parse(&text) {
            Ok(_) => Ok(Some(text)),
            Err(why) => {
                let node = self.pick(field).map(|(n, _)| n);
                Err(match node {
                    Some(n) => invalid(n, why, "not an RFC 3339 time"),
                    None => Diagnostic::error(diag::INVALID_VALUE, why),
                })
            }
        }
    }

    pub fn duration(&self, field: &str) -> Result<Option<u64>, Diagnostic> {
        match self.value(field)? {
            None => Ok(None),
            Some((v, _)) if v.is_none() => Ok(None),
            Some((v, node)) => match v.kind() {
                ValueKind::Number => integer_of(self.r, &v, node, field, u64::MAX).map(Some),
                ValueKind::String => parse_duration(v.as_str().unwrap_or(""))
                    .map(Some)
                    .map_err(|why| invalid(node, why, "not a duration")),
                _ => Err(self
                    .r
                    .not_a(node, &v, "a duration such as `2h`", &format!("`{field}`"))),
            },
        }
    }

    /// A field whose value is one word of a fixed list.
    fn word(
        &self,
        field: &str,
        allowed: &[&str],
        code: diag::Code,
        what: &str,
    ) -> Result<Option<String>, Diagnostic> {
        let Some((node, scope)) = self.pick(field) else {
            return Ok(None);
        };
        let word = text(&self.r.render(node, scope)?);
        if !allowed.contains(&word.as_str()) {
            return Err(Diagnostic::error(code, format!("unknown {what} `{word}`"))
                .at(node.span, format!("unknown {what}"))
                .help(suggestion(&word, allowed)));
        }
        Ok(Some(word))
    }

    pub fn priority(&self) -> Result<String, Diagnostic> {
        Ok(self
            .word(
                "priority",
                values::PRIORITY_WORDS,
                diag::INVALID_VALUE,
                "priority",
            )?
            .unwrap_or_else(|| "lowest".to_owned()))
    }

    pub fn timeouts(&self) -> Result<Timeouts, Diagnostic> {
        let on = self
            .word(
                "on_request_timeout",
                ON_REQUEST_TIMEOUT,
                diag::INVALID_VALUE,
                "`on_request_timeout`",
            )?
            .unwrap_or_else(|| "skip-failure".to_owned());
        Ok(Timeouts {
            max_runtime_s: self.duration("max_runtime")?.unwrap_or(3600),
            idle_s: self.duration("idle_timeout")?,
            request_s: self.duration("request_timeout")?.unwrap_or(86_400),
            on_request_timeout: on,
        })
    }

    pub fn env(&self) -> Result<IndexMap<String, String>, Diagnostic> {
        Ok(self
            .map("env")?
            .into_iter()
            .map(|(k, v)| (k, json_text(v)))
            .collect())
    }

    pub fn artifacts(&self) -> Result<Artifacts, Diagnostic> {
        let Some((v, node)) = self.value("artifacts")? else {
            return Ok(Artifacts::default());
        };
        let mut out = Artifacts::default();
        let Ok(keys) = v.try_iter() else {
            return Err(self.r.not_a(node, &v, "a mapping", "`artifacts`"));
        };
        for key in keys {
            let item = v.get_item(&key).unwrap_or_default();
            match key.as_str() {
                Some("produces") => match to_json(&item) {
                    serde_json::Value::Object(m) => {
                        for (name, path) in m {
                            out.produces.insert(name, json_text(path));
                        }
                    }
                    serde_json::Value::Array(names) => {
                        for name in names {
                            let name = json_text(name);
                            out.produces.insert(name.clone(), format!("public/{name}"));
                        }
                    }
                    _ => {
                        return Err(self.r.not_a(
                            node,
                            &item,
                            "a mapping of name to path",
                            "`artifacts.produces`",
                        ));
                    }
                },
                Some("consumes") => {
                    out.consumes = strings_of(self.r, &item, node, "artifacts.consumes")?
                }
                _ => {
                    return Err(Diagnostic::error(
                        diag::UNKNOWN_KEY,
                        format!("unknown key `{key}` in `artifacts`"),
                    )
                    .at(node.span, "in this mapping")
                    .help(suggestion(&text(&key), &["produces", "consumes"])));
                }
            }
        }
        Ok(out)
    }

    /// The fields that belong to one job type only.
    pub fn type_specific(&self, job_type: JobType) -> Result<TypeFields, Diagnostic> {
        let owners: [(&str, JobType); 5] = [
            ("acl", JobType::Breakpoint),
            ("at", JobType::Timer),
            ("delay", JobType::Timer),
            ("notify", JobType::Notification),
            ("result", JobType::Dummy),
        ];
        for (field, owner) in owners {
            if let Some(node) = self.explicit(field)
                && owner != job_type
            {
                return Err(Diagnostic::error(
                    diag::INVALID_VALUE,
                    format!("`{field}` applies to `{owner}` jobs, and this job is a `{job_type}`"),
                )
                .at(node.span, "not for this job type"));
            }
        }
        let mut out = TypeFields::default();
        match job_type {
            JobType::Breakpoint => {
                out.breakpoint = Some(Breakpoint {
                    acl: self.strings("acl")?,
                });
            }
            JobType::Timer => {
                out.timer = Some(Timer {
                    at: self.timestamp("at")?,
                    delay_s: self.duration("delay")?,
                });
            }
            JobType::Notification => out.notification = Some(self.notification()?),
            JobType::Dummy => out.result = self.result()?,
            JobType::Task => {}
        }
        Ok(out)
    }

    fn result(&self) -> Result<Option<Status>, Diagnostic> {
        let word = self.word("result", Status::NAMES, diag::UNKNOWN_STATUS, "status")?;
        Ok(word.and_then(|w| Status::ALL.into_iter().find(|s| s.name() == w)))
    }

    fn notification(&self) -> Result<Notification, Diagnostic> {
        let Some((v, node)) = self.value("notify")? else {
            return Err(Diagnostic::error(
                diag::MISSING_KEY,
                "a notification job needs `notify: {channel, target, on}`",
            ));
        };
        // The mapping is rendered: its keys are known only now, and none may be misspelt.
        if v.kind() == ValueKind::Map {
            let keys = v.try_iter().into_iter().flatten().map(|k| text(&k));
            if let Some(k) = keys.into_iter().find(|k| !NOTIFY.has(k)) {
                return Err(Diagnostic::error(
                    diag::UNKNOWN_KEY,
                    format!("unknown key `{k}` in `notify`"),
                )
                .at(node.span, "in this mapping")
                .help(suggestion(&k, &NOTIFY.names())));
            }
        }
        let get = |key: &str| {
            v.get_attr(key)
                .ok()
                .filter(|x| !x.is_undefined() && !x.is_none())
        };
        let channel = get("channel")
            .map(|c| text(&c))
            .unwrap_or_else(|| "email".to_owned());
        if !NOTIFY_CHANNELS.contains(&channel.as_str()) {
            return Err(invalid(
                node,
                format!("unknown notification channel `{channel}`"),
                "unknown channel",
            )
            .help(suggestion(&channel, NOTIFY_CHANNELS)));
        }
        let target = get("target").map(|t| text(&t)).ok_or_else(|| {
            Diagnostic::error(diag::MISSING_KEY, "`notify` has no `target`").at(
                node.span,
                "add `target:` (an address, channel or bug number)",
            )
        })?;
        let on = match get("on") {
            Some(on) => condition_of(self.r, &on, node)?,
            None => Condition::FINISHED,
        };
        Ok(Notification {
            channel,
            target,
            on,
            message: get("message").map(|m| text(&m)),
        })
    }
}

pub fn strings_of(
    r: &Renderer,
    v: &Value,
    node: &Node,
    field: &str,
) -> Result<Vec<String>, Diagnostic> {
    match v.kind() {
        ValueKind::String | ValueKind::Number | ValueKind::Bool => Ok(vec![text(v)]),
        ValueKind::Seq => Ok(v
            .try_iter()
            .map(|it| it.map(|x| text(&x)).collect())
            .unwrap_or_default()),
        ValueKind::None => Ok(Vec::new()),
        _ => Err(r.not_a(node, v, "a list of strings", &format!("`{field}`"))),
    }
}

pub fn integer_of(
    r: &Renderer,
    v: &Value,
    node: &Node,
    field: &str,
    max: u64,
) -> Result<u64, Diagnostic> {
    let n = i64::try_from(v.clone())
        .ok()
        .filter(|_| v.kind() == ValueKind::Number)
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
    match n {
        Some(n) if n >= 0 && n as u64 <= max => Ok(n as u64),
        Some(n) => Err(invalid(
            node,
            format!("`{field}` is {n}, outside 0..={max}"),
            "out of range",
        )),
        None => Err(r.not_a(node, v, "an integer", &format!("`{field}`"))),
    }
}

/// A dependency condition: a status, a group, or a list of them.
pub fn condition_of(r: &Renderer, v: &Value, node: &Node) -> Result<Condition, Diagnostic> {
    let words = strings_of(r, v, node, "condition")?;
    if words.is_empty() {
        return Err(invalid(
            node,
            "an empty condition never fires".to_owned(),
            "empty condition",
        )
        .help("write `success`, `finished`, or a list of statuses"));
    }
    words.iter().try_fold(Condition::default(), |acc, w| {
        Condition::parse_word(w)
            .map(|c| acc.union(c))
            .ok_or_else(|| {
                Diagnostic::error(
                    diag::UNKNOWN_STATUS,
                    format!("unknown status `{w}` in a condition"),
                )
                .at(node.span, "unknown status")
                .help(suggestion(w, Status::CONDITION_WORDS))
            })
    })
}

fn json_text(v: serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Why a job's `treeherder` cannot show on Treeherder, if it cannot: a mapping with a `symbol`
/// of 1 to 25 characters, and, when given, a `tier` of 1 to 3 and string `group`, `collection`
/// and `platform`.
fn treeherder_problem(t: &serde_json::Value) -> Option<String> {
    let Some(t) = t.as_object() else {
        return Some("a mapping `{symbol, group, collection, platform, tier}`".into());
    };
    if let Some(k) = t.keys().find(|k| !TREEHERDER.has(k)) {
        return Some(format!(
            "`{k}` is not one of {}",
            crate::diag::backticked(TREEHERDER.names())
        ));
    }
    match t.get("symbol").and_then(serde_json::Value::as_str) {
        Some(s) if (1..=25).contains(&s.chars().count()) => {}
        _ => return Some("`symbol` must be a string of 1 to 25 characters".into()),
    }
    if let Some(k) = ["group", "collection", "platform"]
        .into_iter()
        .find(|k| t.get(*k).is_some_and(|v| !v.is_string()))
    {
        return Some(format!("`{k}` must be a string"));
    }
    match t.get("tier") {
        None => None,
        Some(v) if v.as_u64().is_some_and(|n| (1..=3).contains(&n)) => None,
        Some(_) => Some("`tier` must be 1, 2 or 3".into()),
    }
}
