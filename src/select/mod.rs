//! Stage 5b, select: keep the chosen jobs and everything they depend on. A selection is label
//! globs (`test-linux64-*`), an attribute query (`kind=test platform=linux64`), or classic try
//! syntax (`try: -b do -p linux64 -u mochitest-3`); several selections add up. A chosen job is
//! active, even where its subgraph was included inactive: choosing it asks for it to run.

pub mod args;
pub mod customize;
pub mod try_match;
pub mod try_syntax;

use std::collections::{HashMap, HashSet};

use crate::defs::TryConfig;
use crate::graph::TaskGraph;
use crate::query::Query;
use try_syntax::{JobArgs, TrySpec};

/// What happens to the jobs no selection chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unselected {
    #[default]
    Drop,
    Inactive,
}

/// How selections are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading<'a> {
    pub try_config: Option<&'a TryConfig>,
    /// Every part of try syntax that is ignored, or names nothing, is an error.
    pub strict: bool,
    pub allow_empty: bool,
}

/// What the selections chose: the chosen jobs (not those merely needed), and the try syntax's
/// per-job arguments for them.
#[derive(Debug, Clone, Default)]
pub struct Selected {
    pub chosen: Option<HashSet<String>>,
    /// Each try selection's, in order (`crate::select::args::TryArgs::add` adds them up).
    pub args: Vec<JobArgs>,
    pub notes: Vec<String>,
}

/// Parses try syntax (the text after `try:`), noting or, when strict, refusing what is ignored.
fn read_try(text: &str, strict: bool, notes: &mut Vec<String>) -> Result<TrySpec, String> {
    let spec = try_syntax::parse(&try_syntax::tokens(text));
    for part in &spec.ignored {
        if strict {
            return Err(format!("try: {part} (`--strict`)"));
        }
        notes.push(format!(
            "note: try: {part}; ignored, as buildbot's parser did"
        ));
    }
    Ok(spec)
}

/// Applies the selections to the graph.
pub fn apply(
    g: &mut TaskGraph,
    selections: &[String],
    unselected: Unselected,
    reading: Reading,
) -> Result<Selected, String> {
    let default_config = TryConfig::default();
    let config = reading.try_config.unwrap_or(&default_config);
    let mut out = Selected::default();
    let mut notes: Vec<String> = Vec::new();
    if selections.is_empty() {
        return Ok(out);
    }
    let mut chosen: HashSet<usize> = HashSet::new();
    let mut reason: HashMap<usize, String> = HashMap::new();
    for s in selections {
        let s = s.trim();
        let (found, why_empty) = if let Some(text) = s.strip_prefix("try:") {
            let spec = read_try(text, reading.strict, &mut notes)?;
            let (found, missing) = try_match::select(&g.jobs, &spec, config);
            if let (true, Some(m)) = (reading.strict, missing.first()) {
                return Err(format!("try: {m} (`--strict`)"));
            }
            let why = match missing.as_slice() {
                [] => "no build, test or talos job matches its platforms and suites".to_owned(),
                _ => missing.join("; "),
            };
            notes.extend(missing.into_iter().map(|m| format!("note: try: {m}")));
            out.args.push(spec.args);
            (found, why)
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
            if !reading.allow_empty {
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
    out.chosen = Some(chosen.iter().map(|&i| g.jobs[i].label.clone()).collect());
    // Everything a chosen job depends on, transitively.
    let index = g.index();
    let mut stack: Vec<usize> = chosen.iter().copied().collect();
    while let Some(i) = stack.pop() {
        for d in &g.jobs[i].dependencies {
            if let Some(&u) = index.get(d.label.as_str())
                && chosen.insert(u)
            {
                stack.push(u);
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
    out.notes = notes;
    Ok(out)
}
