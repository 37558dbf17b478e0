//! The spanned YAML tree every later stage reads.

use indexmap::IndexMap;

use super::Span;

/// A YAML value and the span of its source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Map),
}

/// A mapping in source order; keys are strings and unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    pub entries: IndexMap<String, Entry, crate::load::FastHash>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key_span: Span,
    pub value: Node,
}

impl Map {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.get(key).map(|e| &e.value)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(k, e)| (k.as_str(), e))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Node {
    pub fn new(span: Span, value: Value) -> Self {
        Node { span, value }
    }

    /// What kind of value this is, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// Number of nodes in this subtree, for the alias-expansion budget.
    pub fn weight(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::weight).sum(),
            Value::Map(m) => m.entries.values().map(|e| 1 + e.value.weight()).sum(),
            _ => 0,
        }
    }

    /// What a copy of this node costs in memory, roughly: its strings and keys, and a fixed
    /// size per node.
    pub fn bytes(&self) -> usize {
        const NODE: usize = std::mem::size_of::<Node>();
        NODE + match &self.value {
            Value::Str(s) => s.len(),
            Value::Seq(items) => items.iter().map(Node::bytes).sum(),
            Value::Map(m) => m
                .entries
                .iter()
                .map(|(k, e)| k.len() + NODE + e.value.bytes())
                .sum(),
            _ => 0,
        }
    }

    /// Scalars as the text a user would write in a template or label.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Null => Some(String::new()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Str(s) => Some(s.clone()),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }
}
