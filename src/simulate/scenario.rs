//! What a simulation assumes: the outcomes, approvals and durations it is given, each a query
//! over the graph's jobs, resolved to one plan per job. A query that matches no job is an error
//! naming it, with the nearest matches: a misspelt label must not simulate a different graph.

use crate::defs::values::{JobType, Status};
use crate::diag::{self, Diagnostic};
use crate::expand::Job;
use crate::load::Span;
use crate::query::Query;

/// How a job ends when it runs, as `--outcome QUERY=STATUS` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    /// `exception@N`: the first N runs end in exception, then the job succeeds; `None` with
    /// `exception`: every run does.
    pub exceptions: Option<u32>,
}

impl Outcome {
    /// `success`, `failure`, ..., `exception@2`.
    pub fn parse(text: &str) -> Result<Outcome, String> {
        let (word, count) = match text.split_once('@') {
            Some((w, n)) => (w, Some(n)),
            None => (text, None),
        };
        let status = Status::ALL
            .into_iter()
            .find(|s| s.name() == word)
            .ok_or_else(|| {
                let near = crate::defs::keys::did_you_mean(word, Status::NAMES.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                format!(
                    "`{word}` is not a status: {near}the statuses are {}",
                    crate::diag::backticked(Status::NAMES)
                )
            })?;
        if status == Status::Skipped {
            return Err(
                "`skipped` is not an outcome: a job is skipped when its conditions can no longer be met"
                    .into(),
            );
        }
        let exceptions = match count {
            None => None,
            Some(_) if status != Status::Exception => {
                return Err(format!(
                    "`@N` goes with `exception` only (`exception@2`: two runs end in exception, then the job succeeds), not `{word}`"
                ));
            }
            Some(n) => {
                Some(n.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    format!("`{n}` in `{text}` is not a count of runs (1 or more)")
                })?)
            }
        };
        Ok(Outcome { status, exceptions })
    }
}

/// One thing the scenario says of the jobs a query matches, and where it was written.
#[derive(Debug, Clone)]
pub struct Item<T> {
    pub query: String,
    pub value: T,
    pub span: Span,
}

/// The scenario as given: queries and what they say, in order (the last that matches a job
/// wins).
#[derive(Debug, Clone, Default)]
pub struct Given {
    pub outcomes: Vec<Item<Outcome>>,
    pub approve: Vec<Item<()>>,
    pub approve_all: bool,
    /// Durations in seconds.
    pub durations: Vec<Item<u64>>,
}

/// `QUERY=STATUS`: the status after the last `=` (queries hold `=` themselves).
pub fn outcome_item(text: &str, span: Span) -> Result<Item<Outcome>, String> {
    let (query, status) = text
        .rsplit_once('=')
        .filter(|(q, _)| !q.trim().is_empty())
        .ok_or_else(|| format!("`{text}` is not QUERY=STATUS (`build-linux64-opt=failure`)"))?;
    let value = Outcome::parse(status.trim()).map_err(|e| format!("`{text}`: {e}"))?;
    Ok(Item {
        query: query.trim().to_owned(),
        value,
        span,
    })
}

/// What the simulation assumes of one job.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plan {
    pub outcome: Option<Outcome>,
    /// The `--outcome` that set it (an index into `Given::outcomes`), for `because`.
    pub outcome_by: Option<usize>,
    pub approved: bool,
    pub duration_s: Option<u64>,
}

/// The scenario resolved against a graph: one plan per job, parallel to its jobs.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub given: Given,
    pub plans: Vec<Plan>,
}

fn located(message: String, span: Span) -> Diagnostic {
    let d = Diagnostic::error(diag::INVALID_VALUE, message);
    if span.is_none() {
        d
    } else {
        d.at(span, "here")
    }
}

/// The indices of the active jobs an item's query matches, or an error naming it.
fn matching<T>(item: &Item<T>, jobs: &[Box<Job>], what: &str) -> Result<Vec<usize>, Diagnostic> {
    let query = Query::parse(&item.query)
        .map_err(|e| located(format!("{what} `{}`: {e}", item.query), item.span))?;
    let hits: Vec<usize> = (0..jobs.len())
        .filter(|&i| jobs[i].active && query.matches(&jobs[i]))
        .collect();
    if hits.is_empty() {
        let why = query.why_empty(jobs);
        return Err(located(
            format!("{what} `{}` matches no job of the graph", item.query),
            item.span,
        )
        .help(why));
    }
    Ok(hits)
}

impl Scenario {
    /// Resolves every query of `given` against `jobs`.
    pub fn resolve(given: Given, jobs: &[Box<Job>]) -> Result<Scenario, Diagnostic> {
        let mut plans = vec![Plan::default(); jobs.len()];
        for (k, item) in given.outcomes.iter().enumerate() {
            for i in matching(item, jobs, "the outcome for")? {
                plans[i].outcome = Some(item.value);
                plans[i].outcome_by = Some(k);
            }
        }
        for item in &given.approve {
            let breakpoints: Vec<usize> = matching(item, jobs, "the approval of")?
                .into_iter()
                .filter(|&i| jobs[i].job_type == JobType::Breakpoint)
                .collect();
            if breakpoints.is_empty() {
                return Err(located(
                    format!("the approval of `{}` matches no breakpoint", item.query),
                    item.span,
                )
                .help("only breakpoints wait for a person"));
            }
            breakpoints
                .into_iter()
                .for_each(|i| plans[i].approved = true);
        }
        if given.approve_all {
            for (plan, job) in plans.iter_mut().zip(jobs) {
                plan.approved |= job.job_type == JobType::Breakpoint;
            }
        }
        for item in &given.durations {
            for i in matching(item, jobs, "the duration of")? {
                plans[i].duration_s = Some(item.value);
            }
        }
        Ok(Scenario { given, plans })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_parse() {
        let o = Outcome::parse("exception@2").unwrap();
        assert_eq!((o.status, o.exceptions), (Status::Exception, Some(2)));
        assert_eq!(
            Outcome::parse("timed-out").unwrap().status,
            Status::TimedOut
        );
        assert!(
            Outcome::parse("failure@2")
                .unwrap_err()
                .contains("`exception` only")
        );
        assert!(Outcome::parse("exception@0").is_err());
        assert!(
            Outcome::parse("skipped")
                .unwrap_err()
                .contains("not an outcome")
        );
        assert!(
            Outcome::parse("failur")
                .unwrap_err()
                .contains("did you mean `failure`")
        );
        let item = outcome_item("kind=build platform=linux64=failure", Span::none()).unwrap();
        assert_eq!(item.query, "kind=build platform=linux64");
        assert!(outcome_item("=failure", Span::none()).is_err());
        assert!(outcome_item("failure", Span::none()).is_err());
    }
}
