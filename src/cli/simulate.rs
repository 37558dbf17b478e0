//! `taskgen simulate`: what runs, what is skipped and when it all ends, given outcomes,
//! approvals and durations (docs/simulate.md).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::output;
use crate::diag::{self, Diagnostic, Failure};
use crate::load::{Span, Tree, Value};
use crate::pipeline::{self, Generated};
use crate::simulate::{Given, Report, Rules, Scenario, scenario};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum As {
    /// taskgen's own conditions on each dependency.
    Taskgen,
    /// The graph as Taskcluster runs it once lowered (`all-completed`, `all-resolved`,
    /// deadlines), with where it differs from taskgen's conditions.
    Taskcluster,
}

/// What happens in a play: outcomes, approvals, durations, rules and the start.
#[derive(Debug, clap::Args)]
pub struct Play {
    /// `QUERY=STATUS`: the jobs the label glob or attribute query matches end so
    /// (`success`, `warnings`, `failure`, `exception`, `exception@N`, `cancelled`,
    /// `timed-out`); repeatable, the last match wins. Every other job succeeds.
    #[arg(long = "outcome", value_name = "QUERY=STATUS")]
    outcomes: Vec<String>,
    /// The breakpoints this query matches are approved in time; repeatable.
    #[arg(long, value_name = "QUERY")]
    approve: Vec<String>,
    /// Every breakpoint is approved in time.
    #[arg(long)]
    approve_all: bool,
    /// A YAML file of `QUERY: DURATION` lines (`"build-*": 1h30m`): how long those jobs run,
    /// over their `expected_duration`.
    #[arg(long, value_name = "FILE")]
    durations: Option<PathBuf>,
    /// Whose rules play the graph.
    #[arg(long = "as", value_enum, default_value = "taskgen")]
    as_: As,
    /// When the graph starts, UTC (for timers set to a time); default: the clock.
    #[arg(long, value_name = "TIME", value_parser = crate::time::parse)]
    now: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: super::selection::Target,
    /// A YAML or JSON file of run parameters (as written by a decision step).
    #[arg(long = "params", value_name = "FILE")]
    params_file: Option<PathBuf>,
    #[command(flatten)]
    play: Play,
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    selection: super::selection::SelectionArgs,
}

/// A command-line value as a source of its own, so that errors point into it.
fn source(tree: &mut Tree, flag: &str, text: &str) -> Span {
    let file = tree.sources.add(format!("{flag} {text}"), text.to_owned());
    Span::new(file, 0, text.len())
}

fn usage(message: String, span: Span) -> Failure {
    let d = Diagnostic::error(diag::INVALID_VALUE, message);
    Failure::usage(if span.is_none() {
        d
    } else {
        d.at(span, "here")
    })
}

/// Reads `--durations FILE`: a mapping of query to duration.
fn durations(tree: &mut Tree, path: &Path, given: &mut Given) -> Result<(), Failure> {
    let node = crate::load::load_extra(&mut tree.sources, path)?;
    let map = match &node.value {
        Value::Map(m) => m,
        Value::Null => return Ok(()),
        _ => {
            return Err(usage(
                "a durations file holds a mapping of query to duration".into(),
                node.span,
            ));
        }
    };
    for (query, entry) in map.iter() {
        let secs = match &entry.value.value {
            Value::Int(n) if *n >= 0 => Ok(*n as u64),
            Value::Str(s) => crate::defs::values::parse_duration(s),
            _ => Err("expected a duration such as `1h30m`".to_owned()),
        }
        .map_err(|e| usage(format!("the duration of `{query}`: {e}"), entry.value.span))?;
        given.durations.push(scenario::Item {
            query: query.to_owned(),
            value: secs,
            span: entry.key_span,
        });
    }
    Ok(())
}

impl Play {
    /// Whether any option asks for something other than every job succeeding.
    pub fn is_set(&self) -> bool {
        !self.outcomes.is_empty()
            || !self.approve.is_empty()
            || self.approve_all
            || self.durations.is_some()
    }

    /// What was given, read against the tree (its errors point into the command line).
    fn given(&self, tree: &mut Tree) -> Result<Given, u8> {
        let report = |f: &Failure, tree: &Tree| super::report(f, &tree.sources);
        let mut given = Given {
            approve_all: self.approve_all,
            ..Given::default()
        };
        for text in &self.outcomes {
            let span = source(tree, "--outcome", text);
            let item =
                scenario::outcome_item(text, span).map_err(|e| report(&usage(e, span), tree))?;
            given.outcomes.push(item);
        }
        for text in &self.approve {
            let span = source(tree, "--approve", text);
            given.approve.push(scenario::Item {
                query: text.clone(),
                value: (),
                span,
            });
        }
        if let Some(path) = &self.durations {
            durations(tree, path, &mut given).map_err(|f| report(&f, tree))?;
        }
        Ok(given)
    }

    /// Plays the generated graph.
    pub fn play(&self, tree: &mut Tree, generated: &Generated) -> Result<Report, u8> {
        let given = self.given(tree)?;
        let scenario = Scenario::resolve(given, &generated.graph.jobs)
            .map_err(|d| super::report(&Failure::usage(d), &tree.sources))?;
        let rules = match self.as_ {
            As::Taskgen => Rules::Taskgen,
            As::Taskcluster => Rules::Taskcluster,
        };
        let now = self.now.unwrap_or_else(crate::time::now_ms);
        Ok(crate::timings::time("simulate", || {
            crate::simulate::simulate(&generated.graph, &scenario, rules, now)
        }))
    }
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let mut tree = super::load_tree(root_arg)?;
    let mut request = args.selection.request(&args.target);
    request.params_file = args.params_file.clone();
    let generated =
        pipeline::generate(&mut tree, &request).map_err(|f| super::report(&f, &tree.sources))?;
    generated.notes.iter().for_each(|n| eprintln!("{n}"));
    let result = args.play.play(&mut tree, &generated)?;
    let (branch, trigger) = (&generated.branch, &generated.trigger);
    let text = match args.format {
        Format::Human => result.human(branch, trigger, output::max_findings()),
        Format::Json => {
            let mut t =
                serde_json::to_string_pretty(&result.to_json(branch, trigger)).unwrap_or_default();
            t.push('\n');
            t
        }
    };
    output::emit(None, &text)
}
