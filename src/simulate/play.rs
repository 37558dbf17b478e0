//! Playing a graph: each job's final status, when it started and ended, and why. Workers are
//! never the bottleneck (a job starts as soon as it may), so one pass over the jobs in
//! topological order decides everything: a job's fate depends only on its dependencies'.

use super::scenario::{Plan, Scenario};
use crate::defs::values::{Condition, JobType, Status, format_duration};
use crate::expand::{Job, JobMeta};
use crate::graph::TaskGraph;

/// Whose rules decide when a job may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// taskgen's own: each dependency's condition; a job whose conditions can no longer be met
    /// is skipped; a breakpoint's request timeout runs from when it is reached.
    Taskgen,
    /// Taskcluster's, after lowering: `all-completed` or `all-resolved`; a task that cannot run
    /// waits for its deadline (creation plus its request timeout) and resolves `exception`.
    Taskcluster,
}

/// One job's end in a play.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    /// `None`: still pending when everything that could happen has happened.
    pub status: Option<Status>,
    pub start_s: Option<u64>,
    pub end_s: Option<u64>,
    /// When the job's fate was decided (its end, or when it was skipped).
    pub at_s: Option<u64>,
    pub runs: u32,
    /// This job's own reason; `cause` continues the chain.
    pub reason: Option<String>,
    /// The dependency whose end decided this job's start, skip or wait.
    pub gate: Option<usize>,
    /// Whether the reason continues with the gate's (a skip or a wait inherits its cause).
    pub inherits: bool,
}

impl Played {
    pub(super) fn pending(reason: String, gate: Option<usize>) -> Played {
        Played {
            status: None,
            start_s: None,
            end_s: None,
            at_s: None,
            runs: 0,
            reason: Some(reason),
            gate,
            inherits: gate.is_some(),
        }
    }

    pub(super) fn ran(
        status: Status,
        start: u64,
        end: u64,
        runs: u32,
        reason: Option<String>,
    ) -> Played {
        Played {
            status: Some(status),
            start_s: Some(start),
            end_s: Some(end),
            at_s: Some(end),
            runs,
            reason,
            gate: None,
            inherits: false,
        }
    }

    /// Resolved without running.
    pub(super) fn resolved(status: Status, at: u64, reason: String, gate: Option<usize>) -> Played {
        Played {
            status: Some(status),
            start_s: None,
            end_s: None,
            at_s: Some(at),
            runs: 0,
            reason: Some(reason),
            gate,
            inherits: gate.is_some(),
        }
    }
}

/// What a dependency looks like to the job waiting on it.
pub(super) enum Upstream {
    Done(Status, u64),
    Pending,
    /// Inactive, or not in the graph: it never runs.
    Absent,
}

/// Statuses as Taskcluster resolves them: `completed` (success), `failed` (failure) or
/// `exception`; it has no warnings, timed-out, cancelled or skipped.
pub(super) fn as_resolved(s: Status) -> Status {
    match s {
        Status::Success | Status::Warnings => Status::Success,
        Status::Failure => Status::Failure,
        Status::Exception | Status::TimedOut | Status::Cancelled | Status::Skipped => {
            Status::Exception
        }
    }
}

pub(super) fn words(c: Condition) -> String {
    let names: Vec<&str> = c.statuses().map(Status::name).collect();
    if c == Condition::FINISHED {
        "`finished`".to_owned()
    } else {
        crate::diag::backticked(&names)
    }
}

/// Plays the graph under `rules`. `start_ms` is the graph's start (for timers at a time).
pub fn play(g: &TaskGraph, scenario: &Scenario, rules: Rules, start_ms: i64) -> Vec<Played> {
    let index = g.index();
    let mut out: Vec<Played> = Vec::with_capacity(g.jobs.len());
    for (i, job) in g.jobs.iter().enumerate() {
        let played = if job.active {
            let ups: Vec<(usize, Upstream)> = job
                .dependencies
                .iter()
                .map(|d| match index.get(d.label.as_str()) {
                    // Jobs come in topological order: an upstream is already played.
                    Some(&u) if u < i && g.jobs[u].active => match out[u].status {
                        Some(s) => (u, Upstream::Done(s, out[u].at_s.unwrap_or(0))),
                        None => (u, Upstream::Pending),
                    },
                    Some(&u) => (u, Upstream::Absent),
                    None => (usize::MAX, Upstream::Absent),
                })
                .collect();
            let cx = Cx {
                g,
                job,
                meta: &g.meta[i],
                plan: &scenario.plans[i],
                scenario,
                start_ms,
            };
            match rules {
                Rules::Taskgen => cx.taskgen(&ups),
                Rules::Taskcluster => cx.taskcluster(&ups),
            }
        } else {
            Played::pending("inactive: not part of the run".into(), None)
        };
        out.push(played);
    }
    out
}

pub(super) struct Cx<'a> {
    pub(super) g: &'a TaskGraph,
    pub(super) job: &'a Job,
    pub(super) meta: &'a JobMeta,
    pub(super) plan: &'a Plan,
    pub(super) scenario: &'a Scenario,
    pub(super) start_ms: i64,
}

impl Cx<'_> {
    pub(super) fn label(&self, u: usize) -> &str {
        self.g.jobs.get(u).map_or("?", |j| j.label.as_str())
    }

    fn dep_label(&self, k: usize) -> &str {
        &self.job.dependencies[k].label
    }

    fn taskgen(&self, ups: &[(usize, Upstream)]) -> Played {
        // A condition that can no longer be met skips the job, as soon as that is known.
        let mut skip: Option<(u64, usize, Status, Condition)> = None;
        let mut waiting: Option<(usize, usize, bool)> = None;
        let mut ready = 0;
        let mut gate = None;
        for (k, (u, up)) in ups.iter().enumerate() {
            let on = self.job.dependencies[k].on;
            match up {
                Upstream::Done(s, at) if !on.statuses().any(|x| x == *s) => {
                    if skip.is_none_or(|(t, ..)| *at < t) {
                        skip = Some((*at, *u, *s, on));
                    }
                }
                Upstream::Done(_, at) => {
                    if gate.is_none() || *at > ready {
                        ready = *at;
                        gate = Some(*u);
                    }
                }
                Upstream::Pending => waiting = waiting.or(Some((k, *u, true))),
                Upstream::Absent => waiting = waiting.or(Some((k, *u, false))),
            }
        }
        if let Some((at, u, s, on)) = skip {
            let reason = format!(
                "`{}` ended `{}`; `{}` needs {}",
                self.label(u),
                s.name(),
                self.job.label,
                words(on)
            );
            return Played::resolved(Status::Skipped, at, reason, Some(u));
        }
        if let Some((k, u, pending)) = waiting {
            return if pending {
                Played::pending(
                    format!("waits on `{}`, which is pending", self.dep_label(k)),
                    Some(u),
                )
            } else {
                Played::pending(
                    format!(
                        "waits on `{}`, which does not run (inactive)",
                        self.dep_label(k)
                    ),
                    None,
                )
            };
        }
        let mut p = self.run(ready, None, ups);
        p.gate = gate;
        p
    }

    fn taskcluster(&self, ups: &[(usize, Upstream)]) -> Played {
        let deadline = self.job.timeouts.request_s;
        let (requires, fallback) = match crate::tasks::requires(self.job, self.meta) {
            Ok(r) => (r, None),
            Err(_) => (
                "all-resolved",
                Some("(TG505: taskgen's conditions cannot be lowered; played as `all-resolved`)"),
            ),
        };
        let mut ready = 0;
        let mut gate = None;
        let mut blocked: Option<(usize, Status)> = None;
        let mut waiting: Option<usize> = None;
        for (u, up) in ups {
            match up {
                Upstream::Done(s, at) => {
                    let s = as_resolved(*s);
                    if requires == "all-completed" && s != Status::Success {
                        blocked = blocked.or(Some((*u, s)));
                    }
                    if gate.is_none() || *at > ready {
                        ready = *at;
                        gate = Some(*u);
                    }
                }
                Upstream::Pending | Upstream::Absent => waiting = waiting.or(Some(*u)),
            }
        }
        let expired = |why: String, gate: Option<usize>| {
            let mut reason = format!("deadline-exceeded at {}: {why}", format_duration(deadline));
            if let Some(f) = fallback {
                reason = format!("{reason} {f}");
            }
            Played::resolved(Status::Exception, deadline, reason, gate)
        };
        if let Some((u, s)) = blocked {
            return expired(
                format!(
                    "`{}` ended `{}`, and `all-completed` never runs this task",
                    self.label(u),
                    s.name()
                ),
                Some(u),
            );
        }
        if let Some(u) = waiting {
            return expired(format!("still waiting on `{}`", self.label(u)), Some(u));
        }
        if ready > deadline {
            return expired(
                format!(
                    "its dependencies resolved at {}, after its deadline",
                    format_duration(ready)
                ),
                gate,
            );
        }
        let mut p = self.run(ready, Some(deadline), ups);
        p.gate = gate;
        if let Some(s) = p.status {
            p.status = Some(if self.job.job_type == JobType::Notification {
                s
            } else {
                as_resolved(s)
            });
        }
        // A task still running at its deadline is resolved then.
        if p.end_s.is_some_and(|e| e > deadline) {
            return Played::ran(
                Status::Exception,
                p.start_s.unwrap_or(ready),
                deadline,
                p.runs,
                Some(format!(
                    "deadline-exceeded at {} while running",
                    format_duration(deadline)
                )),
            );
        }
        if let (Some(f), Some(r)) = (fallback, p.reason.as_mut()) {
            r.push(' ');
            r.push_str(f);
        }
        p
    }
}
