//! The definitions model: the spanned trees of `load`, checked for shape and indexed by name.
//! Values stay as spanned nodes here: they are templates, rendered per job later.

pub mod graph;
pub mod job;
pub mod keys;
pub mod parameters;
pub mod shape;
pub mod values;

use indexmap::IndexMap;

pub use graph::{GraphNode, GraphTemplate, Include};
pub use job::{Fields, JobTemplate, ParamDecl, ParamType};
use keys::{Spanned, check_keys, expect_map};
use shape::config::{CONFIG, DEFAULTS, NOT_BY_DEFAULT, TRY};

use crate::diag::{self, Diagnostic, Failure, Sink};
use crate::load::{Node, Span, Tree, Value, file_start};

/// The format versions this build of taskgen reads.
pub const SUPPORTED_FORMAT_VERSIONS: &[i64] = &[1];

/// A try-syntax alias: a plain rename, a list, or a `/regex/` matched against every name.
#[derive(Debug, Clone)]
pub enum TryAlias {
    Name(String),
    List(Vec<String>),
    Pattern(regex::Regex),
}

/// The try chooser's settings (`try:` in config.yml).
#[derive(Debug, Clone, Default)]
pub struct TryConfig {
    /// Extra names, by name.
    pub aliases: IndexMap<String, TryAlias>,
    pub not_by_default: NotByDefault,
}

/// What `-p all` leaves out (buildbot-configs' `try_by_default: False`): build platforms, and
/// test platforms whose suites run only when a restriction names them (globs).
#[derive(Debug, Clone, Default)]
pub struct NotByDefault {
    pub platforms: Vec<crate::glob::Glob>,
    pub test_platforms: Vec<crate::glob::Glob>,
}

fn try_config(node: &Node, sink: &mut Sink) -> TryConfig {
    let Some(map) = sink.ok(expect_map(node, "`try`")) else {
        return TryConfig::default();
    };
    check_keys(map, &TRY, "`try`", sink);
    let mut not_by_default = NotByDefault::default();
    if let Some(n) = map
        .get("not_by_default")
        .and_then(|n| sink.ok(expect_map(n, "`try.not_by_default`")))
    {
        check_keys(n, &NOT_BY_DEFAULT, "`try.not_by_default`", sink);
        for (key, slot) in [
            ("platforms", &mut not_by_default.platforms),
            ("test_platforms", &mut not_by_default.test_platforms),
        ] {
            let what = format!("`try.not_by_default.{key}`");
            let list = n
                .get(key)
                .and_then(|l| sink.ok(keys::string_list(l, &what)));
            for g in list.into_iter().flatten() {
                match crate::glob::Glob::new(&g.value) {
                    Ok(glob) => slot.push(glob),
                    Err(e) => sink.push(
                        Diagnostic::error(diag::INVALID_VALUE, format!("{what}: {e}"))
                            .at(g.span, "this glob"),
                    ),
                }
            }
        }
    }
    TryConfig {
        aliases: map
            .get("aliases")
            .map(|a| try_aliases(a, sink))
            .unwrap_or_default(),
        not_by_default,
    }
}

fn try_aliases(node: &Node, sink: &mut Sink) -> IndexMap<String, TryAlias> {
    let mut out = IndexMap::new();
    let Some(aliases) = sink.ok(expect_map(node, "`try.aliases`")) else {
        return out;
    };
    for (name, entry) in aliases.iter() {
        let v = &entry.value;
        let alias = match &v.value {
            Value::Str(s) if s.len() > 1 && s.starts_with('/') && s.ends_with('/') => {
                match regex::Regex::new(&format!("^(?:{})$", &s[1..s.len() - 1])) {
                    Ok(re) => TryAlias::Pattern(re),
                    Err(e) => {
                        sink.push(
                            Diagnostic::error(
                                diag::INVALID_VALUE,
                                format!("alias `{name}`: invalid regex: {e}"),
                            )
                            .at(v.span, "this regex"),
                        );
                        continue;
                    }
                }
            }
            Value::Str(s) => TryAlias::Name(s.clone()),
            Value::Seq(_) => match sink.ok(keys::string_list(v, &format!("alias `{name}`"))) {
                Some(list) => TryAlias::List(list.into_iter().map(|s| s.value).collect()),
                None => continue,
            },
            _ => {
                sink.push(keys::wrong_type(
                    v,
                    "a name, a list of names or a `/regex/`",
                    &format!("alias `{name}`"),
                ));
                continue;
            }
        };
        out.insert(name.to_owned(), alias);
    }
    out
}

/// Tree-wide settings from `taskgraph/config.yml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Job fields every job starts from.
    pub defaults: job::Fields,
    pub worker_pools: Option<Node>,
    pub taskcluster: Option<Node>,
    /// The try chooser's settings.
    pub try_config: TryConfig,
    /// The in-tree trust policy (`crate::policy`), read when it is the one in force.
    pub policy: Option<Node>,
    /// The run's parameters (`--param`, `--params`), by name.
    pub parameters: IndexMap<String, ParamDecl>,
}

/// Every job and graph template of the tree, by name.
#[derive(Debug, Clone, Default)]
pub struct Defs {
    pub config: Config,
    pub jobs: IndexMap<String, JobTemplate>,
    pub graphs: IndexMap<String, GraphTemplate>,
}

fn config(tree: &Tree, sink: &mut Sink) -> Config {
    let Some(doc) = &tree.config else {
        sink.push(Diagnostic::error(
            diag::NO_DEFINITIONS,
            format!("`{}` is missing", crate::load::CONFIG),
        ));
        return Config::default();
    };
    let Some(map) = sink.ok(expect_map(&doc.node, "`taskgraph/config.yml`")) else {
        return Config::default();
    };
    check_keys(map, &CONFIG, "`taskgraph/config.yml`", sink);
    match map.get("format_version") {
        None => sink.push(
            Diagnostic::error(
                diag::FORMAT_VERSION,
                "`taskgraph/config.yml` has no `format_version`",
            )
            .at(file_start(doc.file), "add `format_version: 1` here"),
        ),
        Some(v) if matches!(v.value, Value::Int(n) if SUPPORTED_FORMAT_VERSIONS.contains(&n)) => {}
        Some(v) => sink.push(
            Diagnostic::error(
                diag::FORMAT_VERSION,
                format!(
                    "unsupported format version `{}`",
                    v.scalar_text().unwrap_or_else(|| v.type_name().into())
                ),
            )
            .at(v.span, "this version")
            .help(format!(
                "this taskgen reads format version {}",
                SUPPORTED_FORMAT_VERSIONS
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ),
    }
    // Branches with no file of their own; `branch::declared_projects` reads them.
    if let Some(p) = map.get("project_branches") {
        sink.ok(keys::string_list(p, "`project_branches`"));
    }
    let defaults = match map.get("defaults") {
        Some(d) => match sink.ok(expect_map(d, "`defaults`")) {
            Some(m) => {
                check_keys(m, &DEFAULTS, "`defaults`", sink);
                job::fields_of(m)
            }
            None => job::Fields::default(),
        },
        None => job::Fields::default(),
    };
    Config {
        defaults,
        worker_pools: map.get("worker_pools").cloned(),
        taskcluster: map.get("taskcluster").cloned(),
        policy: map.get("policy").cloned(),
        parameters: parameters::read(map.get("parameters"), sink),
        try_config: map
            .get("try")
            .map(|t| try_config(t, sink))
            .unwrap_or_default(),
    }
}

fn duplicate(what: &str, name: &str, again: Span, first: Span) -> Diagnostic {
    Diagnostic::error(
        diag::DUPLICATE_DEFINITION,
        format!("{what} `{name}` is defined twice"),
    )
    .at(again, "defined again here")
    .also(first, "first defined here")
    .help("names are global across all files: rename or remove one")
}

/// Reads the definitions, failing on any shape error (all of them reported).
pub fn read(tree: &Tree) -> Result<Defs, Failure> {
    let (defs, diagnostics) = read_all(tree);
    let mut sink = Sink::default();
    diagnostics.into_iter().for_each(|d| sink.push(d));
    sink.finish(defs)
}

/// Reads what can be read of the definitions, with every shape error found.
pub fn read_all(tree: &Tree) -> (Defs, Vec<Diagnostic>) {
    let mut sink = Sink::default();
    let config = config(tree, &mut sink);
    parameters::check_reads(tree, &config.parameters, &mut sink);
    let mut jobs: IndexMap<String, JobTemplate> = IndexMap::new();
    for doc in &tree.jobs {
        let Some(map) = sink.ok(expect_map(&doc.node, "a job file")) else {
            continue;
        };
        check_keys(map, &shape::jobs::JOB_FILE, "a job file", &mut sink);
        let Some(list) = map.get("jobs") else {
            continue;
        };
        let Some(list) = sink.ok(expect_map(list, "`jobs`")) else {
            continue;
        };
        for (name, entry) in list.iter() {
            let name = Spanned {
                value: name.to_owned(),
                span: entry.key_span,
            };
            if let Some(first) = jobs.get(&name.value) {
                sink.push(duplicate(
                    "job template",
                    &name.value,
                    name.span,
                    first.name.span,
                ));
                continue;
            }
            if let Some(job) = job::job_template(name, &entry.value, doc.file, &mut sink) {
                jobs.insert(job.name.value.clone(), job);
            }
        }
    }
    let mut graphs: IndexMap<String, GraphTemplate> = IndexMap::new();
    for doc in &tree.graphs {
        let Some(graph) = graph::graph_template(&doc.node, doc.file, &mut sink) else {
            continue;
        };
        if let Some(first) = graphs.get(&graph.name.value) {
            sink.push(duplicate(
                "graph",
                &graph.name.value,
                graph.name.span,
                first.name.span,
            ));
            continue;
        }
        graphs.insert(graph.name.value.clone(), graph);
    }
    (
        Defs {
            config,
            jobs,
            graphs,
        },
        sink.diagnostics,
    )
}
