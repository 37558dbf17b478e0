//! Stage 2, branch: `branches/generic.yml` merged with `branches/<name>.yml`.

mod merge;

pub use merge::merge;

use indexmap::IndexMap;

use crate::defs::keys::{Spanned, check_keys, expect_map, spanned_str, suggestion, wrong_type};
use crate::defs::values::priority_rank;
use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::load::{Entry, FileId, Map, Node, Span, Tree, Value};

/// The triggers a branch can start graphs on.
pub const TRIGGERS: &[&str] = &["push", "nightly", "periodic", "manual"];

/// The file every branch starts from.
pub const GENERIC: &str = "generic";

/// Branch keys taskgen itself reads or reserves for its outputs and trust policy; the rest
/// are free for templates.
pub const RESERVED_KEYS: &[&str] = &[
    "name",
    "triggers",
    "max_priority",
    "trust_level",
    "customizable",
    "repo_path",
];

/// Branch keys taskgen sets itself: a branch file that sets one is an error, so that no file
/// can make a branch pass for another (`name: mozilla-central` in `try.yml`).
pub const OWNED_KEYS: &[&str] = &["name"];

/// Reports every key of a branch file that taskgen owns.
fn owned_keys(doc: &Node, file: &str, sink: &mut Sink) {
    let Some(map) = doc.as_map() else {
        return;
    };
    for (key, entry) in map.iter().filter(|(k, _)| OWNED_KEYS.contains(k)) {
        sink.push(
            Diagnostic::error(
                diag::INVALID_VALUE,
                format!("`{key}` is set by taskgen, not by `{file}`"),
            )
            .at(entry.key_span, "a branch file cannot set this key")
            .help("`branch.name` is the name of the branch file; remove this key"),
        );
    }
}

/// A root graph for one trigger.
#[derive(Debug, Clone)]
pub struct TriggerRoot {
    pub graph: Spanned<String>,
    /// When the trigger fires (cron), for `periodic` and `nightly`.
    pub cron: Option<Spanned<String>>,
}

/// One branch's merged definition.
#[derive(Debug, Clone)]
pub struct Branch {
    pub name: String,
    /// The merged map, as templates see it under `branch`.
    pub node: Node,
    /// The branch's own file, if it has one.
    pub file: Option<FileId>,
    pub triggers: IndexMap<String, TriggerRoot>,
    pub max_priority: Option<Spanned<String>>,
    /// What the branch file asks for; the trust policy caps both.
    pub trust_level: Option<Spanned<i64>>,
    pub customizable: Option<Spanned<bool>>,
}

/// Branches with a file of their own, sorted (`generic` excluded).
pub fn known_branches(tree: &Tree) -> Vec<&str> {
    tree.branches
        .keys()
        .map(String::as_str)
        .filter(|b| *b != GENERIC)
        .collect()
}

fn trigger_root(node: &Node, trigger: &str, sink: &mut Sink) -> Option<TriggerRoot> {
    let what = format!("trigger `{trigger}`");
    match &node.value {
        Value::Str(_) => Some(TriggerRoot {
            graph: sink.ok(spanned_str(node, &what))?,
            cron: None,
        }),
        Value::Map(m) => {
            check_keys(m, &["graph", "cron"], &what, sink);
            let graph = sink.ok(crate::defs::keys::required(m, node, "graph", &what))?;
            Some(TriggerRoot {
                graph: sink.ok(spanned_str(graph, "`graph`"))?,
                cron: m
                    .get("cron")
                    .and_then(|c| sink.ok(spanned_str(c, "`cron`"))),
            })
        }
        _ => {
            sink.push(wrong_type(node, "a graph name or `{graph, cron}`", &what));
            None
        }
    }
}

/// Reads the keys taskgen itself interprets; all others are free for templates.
fn interpret(name: &str, node: Node, file: Option<FileId>, sink: &mut Sink) -> Branch {
    let mut triggers = IndexMap::new();
    let mut max_priority = None;
    let mut trust_level = None;
    let mut customizable = None;
    if let Some(map) = node.as_map() {
        if let Some(l) = map.get("trust_level") {
            match l.value {
                Value::Int(n @ 1..=3) => {
                    trust_level = Some(Spanned {
                        value: n,
                        span: l.span,
                    })
                }
                _ => sink.push(wrong_type(l, "a trust level (1, 2 or 3)", "`trust_level`")),
            }
        }
        if let Some(c) = map.get("customizable") {
            match c.value {
                Value::Bool(b) => {
                    customizable = Some(Spanned {
                        value: b,
                        span: c.span,
                    })
                }
                _ => sink.push(wrong_type(c, "`true` or `false`", "`customizable`")),
            }
        }
        if let Some(t) = map.get("triggers") {
            if let Some(tm) = sink.ok(expect_map(t, "`triggers`")) {
                check_keys(tm, TRIGGERS, "`triggers`", sink);
                for (trigger, entry) in tm.iter() {
                    if matches!(entry.value.value, Value::Null) {
                        continue; // `nightly: ~` switches a trigger off in an override
                    }
                    if let Some(root) = trigger_root(&entry.value, trigger, sink) {
                        triggers.insert(trigger.to_owned(), root);
                    }
                }
            }
        }
        if let Some(p) = map.get("max_priority") {
            if let Some(p) = sink.ok(spanned_str(p, "`max_priority`")) {
                if priority_rank(&p.value).is_none() {
                    sink.push(
                        Diagnostic::error(
                            diag::INVALID_VALUE,
                            format!("unknown priority `{}`", p.value),
                        )
                        .at(p.span, "unknown priority")
                        .help(suggestion(&p.value, crate::defs::values::PRIORITIES)),
                    );
                }
                max_priority = Some(p);
            }
        }
    }
    Branch {
        name: name.to_owned(),
        node,
        file,
        triggers,
        max_priority,
        trust_level,
        customizable,
    }
}

/// The merged branch, and a note for stderr when the branch has no file of its own.
pub fn resolve(tree: &Tree, name: &str) -> Result<(Branch, Option<String>), Failure> {
    let mut sink = Sink::default();
    let Some(generic) = tree.branches.get(GENERIC) else {
        return Err(
            Diagnostic::error(diag::NO_DEFINITIONS, "`branches/generic.yml` is missing")
                .help("every branch starts from `branches/generic.yml`")
                .into(),
        );
    };
    sink.ok(expect_map(&generic.node, "`branches/generic.yml`").map(|_| ()));
    owned_keys(&generic.node, "branches/generic.yml", &mut sink);
    let (mut merged, file, note) = match tree.branches.get(name).filter(|_| name != GENERIC) {
        Some(own) => {
            sink.ok(expect_map(&own.node, &format!("`branches/{name}.yml`")).map(|_| ()));
            owned_keys(&own.node, &format!("branches/{name}.yml"), &mut sink);
            let merged = sink.ok(merge(&generic.node, &own.node));
            (
                merged.unwrap_or_else(|| generic.node.clone()),
                Some(own.file),
                None,
            )
        }
        None if name == GENERIC => (generic.node.clone(), Some(generic.file), None),
        None => {
            let known = known_branches(tree);
            let mut note = format!(
                "note: branch `{name}` has no file `branches/{name}.yml`; using `branches/generic.yml` alone"
            );
            if let Some(best) = crate::defs::keys::did_you_mean(name, known.iter().copied()) {
                note.push_str(&format!(" (did you mean `{best}`?)"));
            }
            note.push_str(&format!("\nnote: known branches: {}", known.join(", ")));
            (generic.node.clone(), None, Some(note))
        }
    };
    if let Value::Map(m) = &mut merged.value {
        m.entries.insert(
            "name".to_owned(),
            Entry {
                key_span: Span::none(),
                value: Node::new(Span::none(), Value::Str(name.to_owned())),
            },
        );
    } else {
        merged = Node::new(merged.span, Value::Map(Map::default()));
    }
    let branch = interpret(name, merged, file, &mut sink);
    sink.finish((branch, note))
}

impl Branch {
    /// The root graph for a trigger, or an error naming the triggers this branch defines.
    pub fn root(&self, trigger: &str) -> Result<&TriggerRoot, Diagnostic> {
        self.triggers.get(trigger).ok_or_else(|| {
            let defined: Vec<&str> = self.triggers.keys().map(String::as_str).collect();
            let mut d = Diagnostic::error(
                diag::UNKNOWN_TRIGGER,
                format!("branch `{}` defines no trigger `{trigger}`", self.name),
            );
            d = d.help(if defined.is_empty() {
                "it defines no triggers at all: add `triggers:` to its branch file".to_owned()
            } else {
                format!("it defines {}", crate::diag::backticked(&defined))
            });
            if let Some(t) = self.node.as_map().and_then(|m| m.get("triggers")) {
                d = d.at(t.span, "triggers are defined here");
            }
            d
        })
    }
}
