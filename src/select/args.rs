//! Arguments of one run that change jobs: extra command arguments per job, no retries, a
//! lower priority. Each change is recorded as set on the command line. Locked jobs run as
//! defined: the arguments leave them alone, and a note says how many.

use serde::Serialize;

use crate::defs::values::priority_rank;
use crate::expand::Origin;
use crate::graph::TaskGraph;
use crate::load::Span;
use crate::query::glob;

/// The run's job-changing arguments, as the output records them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunArgs {
    /// `(label glob, arguments)`: appended to the command of every matching task.
    pub job_args: Vec<(String, String)>,
    pub no_retry: bool,
    /// Lowers every job's priority to this one (never raises it).
    pub priority: Option<String>,
}

impl RunArgs {
    pub fn is_empty(&self) -> bool {
        self.job_args.is_empty() && !self.no_retry && self.priority.is_none()
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

/// Applies the arguments; `max_priority` is the branch's. A `--job-args` glob that matches no
/// job is an error unless `allow_empty`. Gives notes for stderr.
pub fn apply(
    g: &mut TaskGraph,
    args: &RunArgs,
    max_priority: Option<&str>,
    allow_empty: bool,
) -> Result<Vec<String>, String> {
    let limit = match &args.priority {
        None => None,
        Some(p) => {
            let rank =
                priority_rank(p).ok_or_else(|| format!("`--priority {p}`: unknown priority"))?;
            if let Some(max) = max_priority.and_then(priority_rank) {
                if rank > max {
                    return Err(format!(
                        "`--priority {p}` is above the branch's maximum `{}`",
                        max_priority.unwrap_or("")
                    ));
                }
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
        if let Some((p, rank)) = &limit {
            if priority_rank(&job.priority).is_some_and(|r| r > *rank) {
                job.priority = p.clone();
                set(meta, "priority");
            }
        }
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
