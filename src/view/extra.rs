//! What the page shows besides the graph itself: a comparison with another graph
//! (`--against-branch`, `--against-rev`), a play of it (`taskgen simulate`'s options), and on
//! a branch that reads try syntax, the try chooser's names for the page's try syntax line.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::compare::GraphDiff;
use crate::defs::values::format_duration;
use crate::defs::{TryAlias, TryConfig};
use crate::expand::Job;
use crate::graph::TaskGraph;
use crate::query::field;
use crate::simulate::Report;

#[derive(Default)]
pub struct Extra<'a> {
    /// The other side's name and what differs from it.
    pub compared: Option<(&'a str, &'a GraphDiff)>,
    pub played: Option<&'a Report>,
}

/// The comparison as the page reads it: jobs by index, removed jobs by label (they are not in
/// this graph), changed jobs with the fields that differ.
pub fn compared(g: &TaskGraph, against: &str, d: &GraphDiff) -> Value {
    let index = g.index();
    let at = |l: &String| index.get(l.as_str()).copied();
    let changed: Vec<Value> = d
        .jobs_changed
        .iter()
        .filter_map(|(l, fields)| {
            let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
            Some(json!([at(l)?, names]))
        })
        .collect();
    json!({
        "against": against,
        "added": d.jobs_added.iter().filter_map(at).collect::<Vec<_>>(),
        "changed": changed,
        "removed": d.jobs_removed,
        "graphsAdded": d.graphs_added,
        "graphsRemoved": d.graphs_removed,
    })
}

/// The play as the page reads it: each job's status as an index into `statuses` (-1: not
/// played, an inactive job), start and end in seconds, and why it did not succeed.
pub fn played(g: &TaskGraph, r: &Report) -> Value {
    let statuses: Vec<&str> = crate::defs::values::Status::NAMES
        .iter()
        .copied()
        .chain(["pending"])
        .collect();
    let index = g.index();
    let mut status = vec![-1i64; g.jobs.len()];
    let mut times = vec![Value::Null; g.jobs.len()];
    let mut because = Vec::new();
    for j in &r.jobs {
        let Some(&i) = index.get(j.label.as_str()) else {
            continue;
        };
        status[i] = statuses.iter().position(|s| *s == j.status()).unwrap_or(0) as i64;
        times[i] = json!([j.played.start_s, j.played.end_s]);
        if !j.because.is_empty() {
            because.push(json!([i, j.because]));
        }
    }
    let critical: Vec<usize> = r
        .critical_path
        .iter()
        .filter_map(|&k| index.get(r.jobs[k].label.as_str()).copied())
        .collect();
    json!({
        "rules": r.rules_name(),
        "statuses": statuses,
        "status": status,
        "times": times,
        "because": because,
        "summary": r.summary,
        "makespan": format_duration(r.makespan_s),
        "critical": critical,
    })
}

/// The try chooser's names, for the page to write a try syntax line and check what it
/// chooses: each alias as `["name", n]`, `["list", [n...]]` or `["pattern", regex]`; the build
/// platforms `-p all` chooses; the test platforms tried only when a restriction names them.
pub fn try_chooser(c: &TryConfig, jobs: &[Box<Job>]) -> Value {
    let aliases: serde_json::Map<String, Value> = c
        .aliases
        .iter()
        .map(|(k, a)| {
            let v = match a {
                TryAlias::Name(n) => json!(["name", n]),
                TryAlias::List(l) => json!(["list", l]),
                TryAlias::Pattern(re) => json!(["pattern", re.as_str()]),
            };
            (k.clone(), v)
        })
        .collect();
    use crate::select::try_match;
    let all = try_match::all_platforms(&try_match::build_platforms(jobs), c);
    let test_platforms: BTreeSet<String> = jobs
        .iter()
        .filter_map(|j| field(j, "test_platform"))
        .collect();
    let not_by_default: Vec<&String> = test_platforms
        .iter()
        .filter(|tp| try_match::not_by_default(tp, c))
        .collect();
    json!({
        "aliases": aliases,
        "all": all,
        "notByDefault": not_by_default,
    })
}
