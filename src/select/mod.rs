//! Stage 5b, select: keep the chosen jobs and everything they depend on. A selection is label
//! globs (`test-linux64-*`), an attribute query (`kind=test platform=linux64`), or classic try
//! syntax (`try: -b do -p linux64 -u mochitest-3`); several selections add up. A chosen job is
//! active, even where its subgraph was included inactive: choosing it asks for it to run.

pub mod args;
pub mod customize;
pub mod try_syntax;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;

use crate::defs::TryAlias;
use crate::expand::Job;
use crate::graph::TaskGraph;
use crate::query::{Query, field};
use try_syntax::{Choice, TrySpec};

/// What happens to the jobs no selection chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unselected {
    #[default]
    Drop,
    Inactive,
}

/// Names an alias stands for, among `known`.
fn expand(
    name: &str,
    aliases: &IndexMap<String, TryAlias>,
    known: &BTreeSet<String>,
) -> Vec<String> {
    match aliases.get(name) {
        Some(TryAlias::Name(n)) => vec![n.clone()],
        Some(TryAlias::List(l)) => l.clone(),
        Some(TryAlias::Pattern(re)) => known.iter().filter(|k| re.is_match(k)).cloned().collect(),
        None => vec![name.to_owned()],
    }
}

/// A resolved test or talos selection: suite → (chunks, platforms), `None` meaning all.
type Wanted = BTreeMap<String, (Option<BTreeSet<u32>>, Option<BTreeSet<String>>)>;

fn wanted(
    choice: &Choice,
    known: &BTreeSet<String>,
    aliases: &IndexMap<String, TryAlias>,
    notes: &mut Vec<String>,
) -> Option<Wanted> {
    let entries = match choice {
        Choice::All => return None,
        Choice::None => return Some(Wanted::new()),
        Choice::Some(e) => e,
    };
    let is_known = |n: &str| known.contains(n) || aliases.contains_key(n);
    let mut out = Wanted::new();
    for e in entries {
        let readings = try_syntax::readings(&e.name, &is_known);
        let names: Vec<(String, Option<u32>)> = readings
            .iter()
            .flat_map(|&(base, chunk)| {
                expand(base, aliases, known)
                    .into_iter()
                    .map(move |n| (n, chunk))
            })
            .collect();
        if !names.iter().any(|(n, _)| known.contains(n)) {
            notes.push(format!("note: try: `{}` matches nothing here", e.name));
        }
        let platforms: Option<BTreeSet<String>> = (!e.platforms.is_empty()).then(|| {
            e.platforms
                .iter()
                .flat_map(|p| expand(p, aliases, &BTreeSet::new()))
                .collect()
        });
        for (n, chunk) in names {
            let slot = out
                .entry(n)
                .or_insert_with(|| (Some(BTreeSet::new()), Some(BTreeSet::new())));
            // Repeats accumulate; an entry without a chunk (or restriction) widens to all.
            match (chunk, &mut slot.0) {
                (Some(c), Some(set)) => {
                    set.insert(c);
                }
                (None, s) => *s = None,
                (Some(_), None) => {}
            }
            match (&platforms, &mut slot.1) {
                (Some(p), Some(set)) => set.extend(p.iter().cloned()),
                (None, s) => *s = None,
                (Some(_), None) => {}
            }
        }
    }
    Some(out)
}

/// The jobs a try selection chooses.
fn try_select(
    jobs: &[Box<Job>],
    spec: &TrySpec,
    aliases: &IndexMap<String, TryAlias>,
    notes: &mut Vec<String>,
) -> HashSet<usize> {
    let names = |kind: &str, key: &str| -> BTreeSet<String> {
        jobs.iter()
            .filter(|j| j.kind == kind)
            .filter_map(|j| field(j, key))
            .collect()
    };
    let platforms_known = names("build", "platform");
    let platforms: Option<BTreeSet<String>> = match &spec.platforms {
        Choice::All => None,
        Choice::None => Some(BTreeSet::new()),
        Choice::Some(list) => {
            let mut set = BTreeSet::new();
            for e in list {
                let found = expand(&e.name, aliases, &platforms_known);
                if !found.iter().any(|p| platforms_known.contains(p)) {
                    notes.push(format!(
                        "note: try: platform `{}` matches nothing here",
                        e.name
                    ));
                }
                set.extend(found);
            }
            Some(set)
        }
    };
    let tests = wanted(&spec.tests, &names("test", "suite"), aliases, notes);
    let talos = wanted(&spec.talos, &names("talos", "suite"), aliases, notes);
    let on_platform = |j: &Job| {
        field(j, "platform").is_some_and(|p| platforms.as_ref().is_none_or(|s| s.contains(&p)))
    };
    let of_type = |j: &Job| field(j, "build_type").is_some_and(|t| spec.build_types.contains(&t));
    let suite_ok = |j: &Job, w: &Option<Wanted>| {
        let Some(suite) = field(j, "suite") else {
            return false;
        };
        let Some(w) = w else { return true };
        let Some((chunks, restrict)) = w.get(&suite) else {
            return false;
        };
        let chunk_ok = match (chunks, &j.chunk) {
            (Some(set), Some(c)) => set.contains(&c.this),
            // A suite that is not chunked here runs whole for any chunk number.
            _ => true,
        };
        let place_ok = restrict.as_ref().is_none_or(|r| {
            [field(j, "platform"), field(j, "test_platform")]
                .iter()
                .flatten()
                .any(|p| r.contains(p))
        });
        chunk_ok && place_ok
    };
    (0..jobs.len())
        .filter(|&i| {
            let j = &jobs[i];
            on_platform(j)
                && of_type(j)
                && match j.kind.as_str() {
                    "build" => true,
                    "test" => suite_ok(j, &tests),
                    "talos" => suite_ok(j, &talos),
                    _ => false,
                }
        })
        .collect()
}

/// Applies the selections to the graph; gives notes for stderr.
pub fn apply(
    g: &mut TaskGraph,
    selections: &[String],
    unselected: Unselected,
    aliases: &IndexMap<String, TryAlias>,
    allow_empty: bool,
) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    if selections.is_empty() {
        return Ok(notes);
    }
    let mut chosen: HashSet<usize> = HashSet::new();
    let mut reason: HashMap<usize, String> = HashMap::new();
    for s in selections {
        let s = s.trim();
        let (found, why_empty) = if s.starts_with("try:") {
            let spec = try_syntax::parse(s)?;
            let found: HashSet<usize> = try_select(&g.jobs, &spec, aliases, &mut notes);
            (
                found,
                "no build, test or talos job matches its platforms and suites".to_owned(),
            )
        } else {
            let query = Query::parse(s)?;
            let found: HashSet<usize> = query.select(&g.jobs).into_iter().collect();
            let why = if found.is_empty() {
                query.why_empty(&g.jobs)
            } else {
                String::new()
            };
            (found, why)
        };
        if found.is_empty() {
            if !allow_empty {
                return Err(format!(
                    "`{}` selects no job: {why_empty} (with `--allow-empty`, an empty selection is not an error)",
                    crate::query::shorten(s)
                ));
            }
            notes.push(format!("note: `{s}` selects no job"));
        }
        for &i in &found {
            reason
                .entry(i)
                .or_insert_with(|| format!("chosen by `--select {s}`"));
        }
        chosen.extend(found);
    }
    // Everything a chosen job depends on, transitively.
    let index = g.index();
    let mut stack: Vec<usize> = chosen.iter().copied().collect();
    while let Some(i) = stack.pop() {
        for d in &g.jobs[i].dependencies {
            if let Some(&u) = index.get(d.label.as_str()) {
                if chosen.insert(u) {
                    stack.push(u);
                }
            }
        }
    }
    drop(index);
    // Choosing a job asks for it to run: what was inactive (PGO on try) becomes active.
    for &i in &chosen {
        g.jobs[i].active = true;
    }
    for (i, meta) in g.meta.iter_mut().enumerate() {
        meta.selection = Some(match (reason.remove(&i), chosen.contains(&i)) {
            (Some(r), _) => r,
            (None, true) => "needed by a chosen job".to_owned(),
            (None, false) => "not chosen by the selection (`--unselected inactive`)".to_owned(),
        });
    }
    match unselected {
        Unselected::Inactive => {
            for (i, j) in g.jobs.iter_mut().enumerate() {
                if !chosen.contains(&i) {
                    j.active = false;
                }
            }
        }
        Unselected::Drop => {
            let keep: Vec<bool> = (0..g.jobs.len()).map(|i| chosen.contains(&i)).collect();
            let mut k = keep.iter();
            g.jobs.retain(|_| *k.next().unwrap_or(&false));
            let mut k = keep.iter();
            g.meta.retain(|_| *k.next().unwrap_or(&false));
            let paths: HashSet<&str> = g.jobs.iter().map(|j| j.graph.as_str()).collect();
            let kept: Vec<bool> = g
                .graphs
                .iter()
                .map(|p| paths.contains(p.path.as_str()))
                .collect();
            let mut k = kept.iter();
            g.graphs.retain(|_| *k.next().unwrap_or(&false));
        }
    }
    Ok(notes)
}
