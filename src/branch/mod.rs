//! Stage 2, branch: `branches/generic.yml` merged with `branches/<name>.yml`.

mod merge;

pub use merge::merge;

use indexmap::IndexMap;

use crate::defs::keys::{Spanned, check_keys, expect_map, spanned_str, suggestion, wrong_type};
use crate::defs::shape::Ty;
use crate::defs::shape::branches::{BRANCH_FILE, TRIGGER, TRIGGERS};
use crate::defs::values::priority_rank;
use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::load::{Entry, FileId, Map, Node, Span, Tree, Value};

/// The file every branch starts from.
pub const GENERIC: &str = "generic";

/// Whether taskgen itself reads or reserves a branch key (for its outputs and trust policy);
/// the rest are free for templates.
pub fn reserved(key: &str) -> bool {
    BRANCH_FILE.has(key)
}

/// Reports every key of a branch file that taskgen owns (sets itself), so that no file can make
/// a branch pass for another (`name: mozilla-central` in `try.yml`).
fn owned_keys(doc: &Node, file: &str, sink: &mut Sink) {
    let Some(map) = doc.as_map() else {
        return;
    };
    let owned = |k: &str| {
        BRANCH_FILE
            .get(k)
            .is_some_and(|k| matches!(k.ty, Ty::Forbidden))
    };
    for (key, entry) in map.iter().filter(|(k, _)| owned(k)) {
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
            check_keys(m, &TRIGGER, &what, sink);
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
        if let Some(t) = map.get("triggers")
            && let Some(tm) = sink.ok(expect_map(t, "`triggers`"))
        {
            check_keys(tm, &TRIGGERS, "`triggers`", sink);
            for (trigger, entry) in tm.iter() {
                if matches!(entry.value.value, Value::Null) {
                    continue; // `nightly: ~` switches a trigger off in an override
                }
                if let Some(root) = trigger_root(&entry.value, trigger, sink) {
                    triggers.insert(trigger.to_owned(), root);
                }
            }
        }
        if let Some(p) = map.get("max_priority")
            && let Some(p) = sink.ok(spanned_str(p, "`max_priority`"))
        {
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

/// Every branch that can be generated, sorted: those with a file of their own (`generic`
/// excluded) and the project branches `taskgraph/config.yml` declares.
pub fn all_names(tree: &Tree, projects: &[String]) -> Vec<String> {
    let mut names: Vec<String> = known_branches(tree)
        .into_iter()
        .map(str::to_owned)
        .chain(projects.iter().cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The project branches `taskgraph/config.yml` declares (its shape is checked with the rest of
/// the config, in `defs`).
pub fn declared_projects(tree: &Tree) -> Vec<String> {
    let list = tree
        .config
        .as_ref()
        .and_then(|c| c.node.as_map())
        .and_then(|m| m.get("project_branches"));
    match list.map(|l| &l.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every `--branch` name must be a branch: `generic`, a branch file, or a project branch.
pub fn check_names(tree: &Tree, names: &[String]) -> Result<(), Failure> {
    let projects = declared_projects(tree);
    match names
        .iter()
        .find(|n| *n != GENERIC && !tree.branches.contains_key(*n) && !projects.contains(n))
    {
        Some(unknown) => Err(unknown_branch(tree, &projects, unknown)),
        None => Ok(()),
    }
}

/// A branch name that is neither a branch file nor a declared project branch (exit 2).
fn unknown_branch(tree: &Tree, projects: &[String], name: &str) -> Failure {
    let names = all_names(tree, projects);
    let mut d = Diagnostic::error(diag::INVALID_VALUE, format!("unknown branch `{name}`"));
    d = d.help(
        match crate::defs::keys::did_you_mean(name, names.iter().map(String::as_str)) {
            Some(best) => format!(
                "did you mean `{best}`? A branch has a file `branches/<name>.yml`, or is declared in `project_branches` of `taskgraph/config.yml`"
            ),
            None => format!(
                "the branches are {}; a branch with no file of its own is declared in `project_branches` of `taskgraph/config.yml`",
                crate::diag::backticked(&names)
            ),
        },
    );
    Failure::usage(d)
}

/// The merged branch: `generic.yml` with the branch's own file over it. A project branch
/// (declared, with no file) is `generic.yml` alone; any other name is an error.
pub fn resolve(tree: &Tree, name: &str) -> Result<Branch, Failure> {
    let projects = declared_projects(tree);
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
    let (mut merged, file) = match tree.branches.get(name).filter(|_| name != GENERIC) {
        Some(own) => {
            sink.ok(expect_map(&own.node, &format!("`branches/{name}.yml`")).map(|_| ()));
            owned_keys(&own.node, &format!("branches/{name}.yml"), &mut sink);
            let merged = sink.ok(merge(&generic.node, &own.node));
            (
                merged.unwrap_or_else(|| generic.node.clone()),
                Some(own.file),
            )
        }
        None if name == GENERIC => (generic.node.clone(), Some(generic.file)),
        None if projects.iter().any(|p| p == name) => (generic.node.clone(), None),
        None => return Err(unknown_branch(tree, &projects, name)),
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
    sink.finish(branch)
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
                let guess = crate::defs::keys::did_you_mean(trigger, TRIGGERS.names())
                    .filter(|t| defined.contains(t))
                    .map(|t| format!("did you mean `{t}`? It defines "))
                    .unwrap_or_default();
                let lead = if guess.is_empty() { "it defines " } else { "" };
                format!("{guess}{lead}{}", crate::diag::backticked(&defined))
            });
            if let Some(t) = self.node.as_map().and_then(|m| m.get("triggers")) {
                d = d.at(t.span, "triggers are defined here");
            }
            d
        })
    }
}

impl Branch {
    /// The branch as a decision task at `level` sees it (the `level` run parameter): it can
    /// lower the trust level the policy grants, never raise it. Templates see the lowered
    /// level as `branch.trust_level`.
    pub fn at_level(&mut self, level: Spanned<i64>, granted: i64) -> Result<(), Diagnostic> {
        if !(1..=granted).contains(&level.value) {
            return Err(Diagnostic::error(
                diag::INVALID_VALUE,
                format!(
                    "the run parameter `level` is {}, but branch `{}` has trust level {granted}",
                    level.value, self.name
                ),
            )
            .at(level.span, format!("expected 1 to {granted}"))
            .help("a decision task can run below its branch's trust level, never above it; 0 means the branch's own level"));
        }
        if let Value::Map(m) = &mut self.node.value {
            m.entries.insert(
                "trust_level".to_owned(),
                Entry {
                    key_span: level.span,
                    value: Node::new(level.span, Value::Int(level.value)),
                },
            );
        }
        self.trust_level = Some(level);
        Ok(())
    }
}
