//! Conversions between YAML nodes, template values and JSON.

use minijinja::Value;
use minijinja::value::ValueKind;

use crate::load::{Node, Value as Yaml};

/// A YAML node as a template value (for `branch` and parameters: data, not templates).
pub fn to_value(node: &Node) -> Value {
    match &node.value {
        Yaml::Null => Value::from(()),
        Yaml::Bool(b) => Value::from(*b),
        Yaml::Int(i) => Value::from(*i),
        Yaml::Float(f) => Value::from(*f),
        Yaml::Str(s) => Value::from(s.as_str()),
        Yaml::Seq(items) => Value::from(items.iter().map(to_value).collect::<Vec<_>>()),
        Yaml::Map(m) => {
            Value::from_pairs(m.iter().map(|(k, e)| (k.to_owned(), to_value(&e.value))))
        }
    }
}

/// A template value as JSON; undefined and non-data values become null.
pub fn to_json(value: &Value) -> serde_json::Value {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => serde_json::Value::Null,
        ValueKind::Bool => serde_json::Value::Bool(value.is_true()),
        ValueKind::Number => {
            if let Ok(i) = i64::try_from(value.clone()) {
                serde_json::Value::from(i)
            } else {
                f64::try_from(value.clone())
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        ValueKind::String => {
            serde_json::Value::String(value.as_str().unwrap_or_default().to_owned())
        }
        ValueKind::Seq | ValueKind::Iterable => serde_json::Value::Array(
            value
                .try_iter()
                .map(|it| it.map(|v| to_json(&v)).collect())
                .unwrap_or_default(),
        ),
        ValueKind::Map => {
            let pairs = value.as_object().and_then(|o| o.try_iter_pairs());
            serde_json::Value::Object(
                pairs
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (text(&k), to_json(&v)))
                    .collect(),
            )
        }
        _ => serde_json::Value::String(value.to_string()),
    }
}

/// A scalar value as the text a label or table key would hold.
pub fn text(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_owned(),
        None if value.is_none() || value.is_undefined() => String::new(),
        None => value.to_string(),
    }
}

/// JSON (run parameters) as a template value.
pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(b) => Value::from(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Value::from)
            .or_else(|| n.as_f64().map(Value::from))
            .unwrap_or_default(),
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(items) => {
            Value::from(items.iter().map(from_json).collect::<Vec<_>>())
        }
        serde_json::Value::Object(m) => {
            Value::from_pairs(m.iter().map(|(k, v)| (k.clone(), from_json(v))))
        }
    }
}
