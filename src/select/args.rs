//! Arguments of one run that change jobs: extra command arguments per job, no retries, a
//! lower priority, and the try workflow's per-job arguments (from the commit message or the
//! command line) for the chosen jobs: test paths and tags for the harness, environment
//! variables, no retries, and several runs of each test. Each change is recorded as set on the
//! command line. Locked jobs run as defined: the arguments leave them alone, and a note says
//! how many.

use std::collections::HashSet;

use serde::Serialize;

use crate::defs::values::priority_rank;
use crate::expand::Origin;
use crate::graph::TaskGraph;
use crate::load::Span;
use crate::query::{field, glob};
use crate::select::try_syntax::JobArgs;

/// The run's job-changing arguments, as the output records them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunArgs {
    /// `(label glob, arguments)`: appended to the command of every matching task.
    pub job_args: Vec<(String, String)>,
    pub no_retry: bool,
    /// Lowers every job's priority to this one (never raises it).
    pub priority: Option<String>,
    /// The try workflow's arguments, for the chosen jobs.
    #[serde(flatten)]
    pub try_args: TryArgs,
}

/// `--try-test-paths`, `--tag`, `--setenv`, `--no-retry` and `--rebuild`, as recorded.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TryArgs {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub try_test_paths: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub setenv: Vec<(String, String)>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_retry_chosen: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebuild: Option<u32>,
}

impl TryArgs {
    pub fn is_empty(&self) -> bool {
        self.try_test_paths.is_empty()
            && self.tags.is_empty()
            && self.setenv.is_empty()
            && !self.no_retry_chosen
            && self.rebuild.is_none()
    }

    /// Adds a try selection's arguments to these; lists add up, a later `--rebuild` wins.
    pub fn add(&mut self, more: JobArgs) {
        self.try_test_paths.extend(more.test_paths);
        self.tags.extend(more.tags);
        self.setenv.extend(more.env);
        self.no_retry_chosen |= more.no_retry;
        self.rebuild = more.rebuild.or(self.rebuild);
    }
}

impl RunArgs {
    pub fn is_empty(&self) -> bool {
        self.job_args.is_empty()
            && !self.no_retry
            && self.priority.is_none()
            && self.try_args.is_empty()
    }
}

fn set(meta: &mut crate::expand::JobMeta, field: &'static str) {
    let mut fields: Vec<_> = meta
        .fields
        .iter()
        .filter(|(f, _, _)| *f != field)
        .copied()
        .collect();
    fields.push((field, Span::none(), Origin::CommandLine));
    meta.fields = fields.into();
}

/// Applies the arguments; `max_priority` is the branch's, `chosen` the labels a selection chose
/// (`None`: every job). A `--job-args` glob that matches no job is an error unless
/// `allow_empty`. Gives notes for stderr.
pub fn apply(
    g: &mut TaskGraph,
    args: &RunArgs,
    chosen: Option<&HashSet<String>>,
    max_priority: Option<&str>,
    allow_empty: bool,
) -> Result<Vec<String>, String> {
    let limit = match &args.priority {
        None => None,
        Some(p) => {
            let rank =
                priority_rank(p).ok_or_else(|| format!("`--priority {p}`: unknown priority"))?;
            if let Some(max) = max_priority.and_then(priority_rank)
                && rank > max
            {
                return Err(format!(
                    "`--priority {p}` is above the branch's maximum `{}`",
                    max_priority.unwrap_or("")
                ));
            }
            Some((p.clone(), rank))
        }
    };
    let globs = args
        .job_args
        .iter()
        .map(|(pattern, extra)| {
            let words: Vec<String> = extra.split_whitespace().map(str::to_owned).collect();
            glob(pattern)
                .map(|g| (g, words))
                .map_err(|e| format!("`--job-args {}=…`: {e}", crate::query::shorten(pattern)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut matched = vec![false; globs.len()];
    let mut untouched = 0;
    for (job, meta) in g.jobs.iter_mut().zip(g.meta.iter_mut()) {
        for (m, (glob, _)) in matched.iter_mut().zip(&globs) {
            *m |= glob.is_match(&job.label);
        }
        if job.locked {
            untouched += usize::from(!args.is_empty());
            continue;
        }
        for (glob, extra) in &globs {
            if let (true, Some(command)) = (glob.is_match(&job.label), job.command.as_mut()) {
                command.extend(extra.iter().cloned());
                set(meta, "command");
            }
        }
        if args.no_retry && job.retries != 0 {
            job.retries = 0;
            set(meta, "retries");
        }
        if let Some((p, rank)) = &limit
            && priority_rank(&job.priority).is_some_and(|r| r > *rank)
        {
            job.priority = p.clone();
            set(meta, "priority");
        }
        if chosen.is_none_or(|c| c.contains(&job.label)) {
            try_workflow(job, meta, &args.try_args);
        }
    }
    if let Some(n) = args.try_args.rebuild.filter(|&n| n > 1) {
        rebuild(g, n, chosen)?;
    }
    if let Some(i) = matched.iter().position(|m| !m).filter(|_| !allow_empty) {
        let pattern = &args.job_args[i].0;
        let near = crate::defs::keys::nearest(pattern, g.jobs.iter().map(|j| j.label.as_str()));
        return Err(format!(
            "`--job-args {}=…` matches no job; the nearest labels are {} (with `--allow-empty`, this is not an error)",
            crate::query::shorten(pattern),
            crate::diag::backticked(&near)
        ));
    }
    Ok(if untouched > 0 {
        vec![format!(
            "note: {untouched} locked job{} run as defined: run arguments do not change them",
            if untouched == 1 { "" } else { "s" }
        )]
    } else {
        Vec::new()
    })
}

/// The harness arguments of `--try-test-paths` (`SUITE:PATH` for that suite's tests, `PATH`
/// for every test) and `--tag`, the environment of `--setenv`, and `--no-retry`.
fn try_workflow(job: &mut crate::expand::Job, meta: &mut crate::expand::JobMeta, a: &TryArgs) {
    if job.job_type != crate::defs::values::JobType::Task {
        return;
    }
    if job.kind == "test" {
        let suite = field(job, "suite").unwrap_or_default();
        let mut extra: Vec<String> = a
            .try_test_paths
            .iter()
            .filter_map(|p| match p.split_once(':') {
                Some((s, path)) if crate::select::try_match::suite_matches(&suite, s) => Some(path),
                Some(_) => None,
                None => Some(p.as_str()),
            })
            .map(|path| format!("--test-path={path}"))
            .collect();
        extra.extend(a.tags.iter().map(|t| format!("--tag={t}")));
        if let (false, Some(command)) = (extra.is_empty(), job.command.as_mut()) {
            command.extend(extra);
            set(meta, "command");
        }
    }
    if !a.setenv.is_empty() {
        for (k, v) in &a.setenv {
            job.env.insert(k.clone(), v.clone());
        }
        set(meta, "env");
    }
    if a.no_retry_chosen && job.retries != 0 {
        job.retries = 0;
        set(meta, "retries");
    }
}

/// `--rebuild N`: N runs of every chosen test and talos job, the copies labelled
/// `<label>-rebuild-<k>` (k from 2 to N), with the same dependencies.
fn rebuild(g: &mut TaskGraph, n: u32, chosen: Option<&HashSet<String>>) -> Result<(), String> {
    let labels: HashSet<String> = g.jobs.iter().map(|j| j.label.clone()).collect();
    let mut jobs = Vec::with_capacity(g.jobs.len());
    let mut meta = Vec::with_capacity(g.meta.len());
    for (job, m) in std::mem::take(&mut g.jobs)
        .into_iter()
        .zip(std::mem::take(&mut g.meta))
    {
        let again = matches!(job.kind.as_str(), "test" | "talos")
            && !job.locked
            && chosen.is_none_or(|c| c.contains(&job.label));
        let copies: Vec<(Box<crate::expand::Job>, crate::expand::JobMeta)> = if again {
            (2..=n)
                .map(|k| {
                    let mut copy = job.clone();
                    copy.label = format!("{}-rebuild-{k}", job.label);
                    (copy, m.clone())
                })
                .collect()
        } else {
            Vec::new()
        };
        jobs.push(job);
        meta.push(m);
        for (copy, m) in copies {
            if labels.contains(&copy.label) {
                return Err(format!(
                    "`--rebuild {n}`: the copy `{}` would have the label of a job that exists",
                    copy.label
                ));
            }
            if jobs.len() >= crate::budget::max_jobs() {
                return Err(format!(
                    "`--rebuild {n}`: the graph would have more than {} jobs",
                    crate::budget::max_jobs()
                ));
            }
            jobs.push(copy);
            meta.push(m);
        }
    }
    g.jobs = jobs;
    g.meta = meta;
    Ok(())
}
