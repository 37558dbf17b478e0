//! The stages run in order for one branch and trigger.

use std::path::PathBuf;

use crate::defs::keys::Spanned;
use crate::diag::{self, Diagnostic, Failure};
use crate::load::{Node, Span, Tree, Value as Yaml, load_extra};
use crate::policy::Policy;
use crate::select::Unselected;
use crate::select::args::RunArgs;
use crate::tasks::Settings;
use crate::timings::time;
use crate::{branch, defs, expand, graph, render};

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub branch: String,
    pub trigger: String,
    /// `--param k=v`, in order; they win over `params_file`.
    pub params: Vec<(String, String)>,
    pub params_file: Option<PathBuf>,
    /// `--select`: label globs, attribute queries or try syntax; empty keeps every job.
    pub select: Vec<String>,
    /// A commit message whose `try:` syntax is a selection.
    pub message: Option<String>,
    pub unselected: Unselected,
    pub args: RunArgs,
    /// `--set LABEL.FIELD=VALUE`, in order.
    pub set: Vec<String>,
    /// `--policy FILE`: a trust policy from outside the tree, replacing the tree's.
    pub policy: Option<PathBuf>,
    /// `--allow-empty`: a selection or `--job-args` glob that matches no job is not an error.
    pub allow_empty: bool,
    /// `--strict`: a part of try syntax that would be ignored, or names nothing, is an error.
    pub strict: bool,
    /// What the push changed, for `files_changed`.
    pub changes: Changes,
}

/// What the push changed: not known (every `files_changed` job runs), or a list of paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Changes {
    #[default]
    Unknown,
    /// `--files-changed FILE`: one path a line.
    File(PathBuf),
    /// `--changed-since REV`: `git diff --name-only REV` in the definitions' repository.
    Since(String),
    /// The paths themselves (graph tests).
    Paths(Vec<String>),
}

/// The changed paths, when the run was told.
fn changed_files(tree: &Tree, changes: &Changes) -> Result<Option<Vec<String>>, Failure> {
    Ok(Some(match changes {
        Changes::Unknown => return Ok(None),
        Changes::Paths(p) => p.clone(),
        Changes::File(path) => {
            let shown = path.display().to_string();
            let text =
                crate::load::read_text(path, &shown, crate::load::Limits::default().max_bytes)
                    .map_err(|d| Failure {
                        diagnostics: vec![d],
                        unreadable: true,
                    })?;
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        }
        Changes::Since(rev) => {
            crate::load::changed_since(&tree.root, rev).map_err(|e| usage("--changed-since", e))?
        }
    }))
}

/// The note for the `files_changed` subgraphs and jobs that run because the run was not told
/// what changed.
fn untold_changes(graph: &graph::TaskGraph) -> Option<String> {
    let unknown = Some(expand::Touch::Unknown);
    let untold = graph.graphs.iter().filter(|g| g.touch == unknown).count()
        + graph.meta.iter().filter(|m| m.touch == unknown).count();
    (untold > 0).then(|| {
        format!(
            "note: {untold} subgraph{s} or job{s} with `files_changed` {run} because the run was not told what changed (`--files-changed FILE` or `--changed-since REV`)",
            s = if untold == 1 { "" } else { "s" },
            run = if untold == 1 { "runs" } else { "run" }
        )
    })
}

/// How a run chose and changed jobs, as the output records it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Options {
    pub select: Vec<String>,
    pub unselected: &'static str,
    #[serde(flatten)]
    pub args: RunArgs,
}

/// A generated graph and what produced it.
#[derive(Debug, Clone)]
pub struct Generated {
    pub branch: String,
    pub trigger: String,
    pub definitions_sha: String,
    pub parameters: serde_json::Value,
    pub graph: graph::TaskGraph,
    /// How jobs were chosen and changed.
    pub options: Options,
    /// Said on stderr, not an error (a branch with no file of its own).
    pub notes: Vec<String>,
    /// Where the trust policy in force came from.
    pub policy: crate::policy::Origin,
    /// The try chooser's settings, when this branch reads try syntax (a customizable branch).
    pub try_syntax: Option<defs::TryConfig>,
}

/// The run's parameters: `--params FILE`, then `--param k=v` over it, bound to the
/// declarations of `parameters:` (an undeclared name or a wrong type is an error, exit 2), with
/// the declared defaults filled in, so that the output records every value the run used.
fn run_params(
    tree: &mut Tree,
    decls: &indexmap::IndexMap<String, defs::ParamDecl>,
    req: &Request,
) -> Result<(serde_json::Value, Vec<(String, Span)>), Failure> {
    use crate::expand::params::{Given, bind};
    let mut given: indexmap::IndexMap<String, Given> = indexmap::IndexMap::new();
    if let Some(path) = &req.params_file {
        let node: Node = load_extra(&mut tree.sources, path)?;
        match &node.value {
            Yaml::Map(m) => {
                for (k, e) in m.iter() {
                    given.insert(
                        k.to_owned(),
                        Given {
                            value: render::to_value(&e.value),
                            span: e.key_span,
                            explicit: true,
                        },
                    );
                }
            }
            Yaml::Null => {}
            _ => {
                return Err(Diagnostic::error(
                    diag::WRONG_TYPE,
                    "a parameters file holds a mapping",
                )
                .at(node.span, format!("this is {}", node.type_name()))
                .into());
            }
        }
    }
    for (k, v) in &req.params {
        // The value is YAML (`3`, `true`, `[a, b]`), or the text itself for a string parameter.
        let file = tree.sources.add(format!("--param {k}"), v.clone());
        let span = crate::load::Span::new(file, 0, v.len());
        let value = match decls.get(k).map(|d| d.ty) {
            Some(defs::ParamType::String) => minijinja::Value::from(v.as_str()),
            _ => crate::load::parse(&tree.sources, file, crate::load::Limits::default())
                .map(|n| render::to_value(&n))
                .map_err(Failure::usage)?,
        };
        given.insert(
            k.clone(),
            Given {
                value,
                span,
                explicit: true,
            },
        );
    }
    let mut sink = diag::Sink::default();
    let bound = bind(
        decls,
        &given,
        "the run",
        crate::load::Span::none(),
        &mut sink,
    );
    let bound = sink.finish(bound).map_err(|mut f| {
        f.unreadable = true;
        f
    })?;
    let map: serde_json::Map<String, serde_json::Value> = bound
        .into_iter()
        .map(|(k, v)| (k, render::to_json(&v)))
        .collect();
    let spans = given.into_iter().map(|(k, g)| (k, g.span)).collect();
    Ok((serde_json::Value::Object(map), spans))
}

/// The commit message whose try syntax selects the jobs: `--message`, else the `try_message`
/// run parameter a decision task writes in its params file (when the tree declares it and the
/// run gives a non-empty one). A branch that is not customizable reads no try message, as only
/// try pushes carry one; the note says it was ignored.
fn decision_message(
    req: &Request,
    parameters: &serde_json::Value,
    customizable: bool,
    notes: &mut Vec<String>,
) -> Option<String> {
    if req.message.is_some() {
        return req.message.clone();
    }
    let message = parameters
        .get("try_message")
        .and_then(serde_json::Value::as_str)
        .filter(|m| !m.is_empty())?;
    if !customizable {
        notes.push(format!(
            "note: branch `{}` is not customizable: the `try_message` parameter is ignored",
            req.branch
        ));
        return None;
    }
    Some(message.to_owned())
}

/// Lowers the branch to the `level` run parameter, when the tree declares it and the run gives
/// a level (0, the default, keeps the branch's own).
fn decision_level(
    branch: &mut branch::Branch,
    policy: &Policy,
    parameters: &serde_json::Value,
    spans: &[(String, Span)],
) -> Result<(), Failure> {
    let Some(level) = parameters.get("level").and_then(serde_json::Value::as_i64) else {
        return Ok(());
    };
    if level == 0 {
        return Ok(());
    }
    let span = spans
        .iter()
        .find(|(k, _)| k == "level")
        .map_or(Span::none(), |(_, s)| *s);
    let granted = policy.effective(branch).trust_level;
    branch
        .at_level(Spanned { value: level, span }, granted)
        .map_err(Failure::usage)
}

/// A usage error: a command-line value that is wrong (exit 2).
fn usage(what: &str, message: String) -> Failure {
    Failure {
        diagnostics: vec![Diagnostic::error(
            diag::INVALID_VALUE,
            format!("{what}: {message}"),
        )],
        unreadable: true,
    }
}

/// Runs every stage for one branch and trigger.
pub fn generate(tree: &mut Tree, req: &Request) -> Result<Generated, Failure> {
    run(tree, req).map(|r| r.generated)
}

/// A generated graph with what produced it: the merged branch and its Taskcluster settings
/// (for `explain` and [`crate::emit::taskcluster::lower`]).
pub struct Run {
    pub generated: Generated,
    pub branch: branch::Branch,
    pub settings: Settings,
}

/// One branch's graph for a trigger, every graph rule's findings over it (at any severity),
/// and the Taskcluster settings those rules checked it against.
pub struct Checked {
    pub graph: graph::TaskGraph,
    pub findings: Vec<Diagnostic>,
    pub settings: Settings,
}

/// Expands and builds one branch's graph for a trigger (`run`), locks what the policy locks,
/// and runs every graph rule over it.
pub fn build_checked(
    sources: &crate::load::Sources,
    defs: &defs::Defs,
    run: &expand::Run,
    policy: &Policy,
) -> Result<Checked, Failure> {
    let branch = run.branch;
    let settings = crate::tasks::settings(defs, branch, &run.params, sources)?;
    let share = run.budget.share();
    let (expanded, mut spent) = time("expand", || expand::expand(defs, sources, run, &share));
    let expanded = expanded.inspect_err(|_| run.budget.spend(spent))?;
    // A graph with a cycle or a missing dependency is still checked by every rule.
    let (graph, structural, edges) = time("graph", || graph::build(expanded, sources, &share));
    spent.edges = edges;
    run.budget.spend(spent);
    let Some(mut graph) = graph else {
        return Err(structural.into());
    };
    policy.lock(&mut graph);
    let cx = crate::check::GraphContext::new(&graph, branch, policy, &settings);
    let mut findings = structural;
    findings.extend(time("check", || crate::check::check_graph(&cx)));
    Ok(Checked {
        graph,
        findings,
        settings,
    })
}

/// Generates, keeping the definitions and the branch (for `explain`).
pub fn run(tree: &mut Tree, req: &Request) -> Result<Run, Failure> {
    let defs = time("definitions", || defs::read(tree))?;
    let (parameters, given) = run_params(tree, &defs.config.parameters, req)?;
    let overrides = crate::select::customize::parse(&mut tree.sources, &req.set)?;
    let policy = Policy::resolve(&mut tree.sources, &defs, req.policy.as_deref())?;
    let mut branch = branch::resolve(tree, &req.branch)?;
    decision_level(&mut branch, &policy, &parameters, &given)?;
    // A trigger the branch does not define is a usage error, before anything is expanded.
    branch.root(&req.trigger).map_err(Failure::usage)?;
    let changed = changed_files(tree, &req.changes)?;
    let Checked {
        graph,
        findings,
        settings,
    } = build_checked(
        &tree.sources,
        &defs,
        &expand::Run {
            branch: &branch,
            trigger: &req.trigger,
            params: render::from_json(&parameters),
            overrides: &overrides,
            changed: changed.as_deref(),
            budget: &tree.budget,
        },
        &policy,
    )?;
    // A graph that breaks a rule at error severity is not written.
    let errors: Vec<_> = findings
        .into_iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(diag::merge(errors, &tree.sources).into());
    }
    let mut graph = graph;
    let mut notes: Vec<String> = Vec::new();
    notes.extend(untold_changes(&graph));
    let mut select = req.select.clone();
    let effective = policy.effective(&branch);
    if let Some(message) = &decision_message(req, &parameters, effective.customizable, &mut notes) {
        match crate::select::try_syntax::find(message) {
            Some(found) => select.push(format!("try: {found}")),
            // As on the try server: a push without try syntax runs the defaults.
            None => {
                if req.strict {
                    return Err(usage(
                        "--message",
                        "the commit message holds no `try: ` syntax (`--strict`)".into(),
                    ));
                }
                notes.push("note: the commit message holds no `try: ` syntax: the defaults run (`-b do -p all -u all -t none`)".into());
                select.push("try:".into());
            }
        }
    }
    let selected = crate::select::apply(
        &mut graph,
        &select,
        req.unselected,
        crate::select::Reading {
            try_config: Some(&defs.config.try_config),
            strict: req.strict,
            allow_empty: req.allow_empty,
        },
    )
    .map_err(|e| usage("--select", e))?;
    notes.extend(selected.notes);
    let mut args = req.args.clone();
    selected.args.into_iter().for_each(|a| args.try_args.add(a));
    notes.extend(
        crate::select::args::apply(
            &mut graph,
            &args,
            selected.chosen.as_ref(),
            effective.max_priority.as_ref().map(|p| p.value.as_str()),
            req.allow_empty,
        )
        .map_err(|e| usage("arguments", e))?,
    );
    let options = Options {
        select,
        unselected: match req.unselected {
            Unselected::Drop => "drop",
            Unselected::Inactive => "inactive",
        },
        args,
    };
    let generated = Generated {
        branch: req.branch.clone(),
        trigger: req.trigger.clone(),
        definitions_sha: tree.sha.clone(),
        parameters,
        graph,
        options,
        notes,
        policy: policy.origin.clone(),
        try_syntax: effective
            .customizable
            .then(|| defs.config.try_config.clone()),
    };
    Ok(Run {
        generated,
        branch,
        settings,
    })
}
