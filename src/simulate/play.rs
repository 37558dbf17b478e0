//! Playing a graph: each job's final status, when it started and ended, and why. Workers are
//! never the bottleneck (a job starts as soon as it may), so one pass over the jobs in
//! topological order decides everything: a job's fate depends only on its dependencies'.

use super::scenario::{Outcome, Plan, Scenario};
use crate::defs::values::{Condition, JobType, Status, format_duration};
use crate::expand::{Job, JobMeta};
use crate::graph::TaskGraph;

/// How long a job runs when neither `--durations` nor its `expected_duration` says: a task
/// half an hour, every other type at once (a timer waits for its time).
pub const DEFAULT_TASK_S: u64 = 1800;

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
    fn pending(reason: String, gate: Option<usize>) -> Played {
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

    fn ran(status: Status, start: u64, end: u64, runs: u32, reason: Option<String>) -> Played {
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
    fn resolved(status: Status, at: u64, reason: String, gate: Option<usize>) -> Played {
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
enum Upstream {
    Done(Status, u64),
    Pending,
    /// Inactive, or not in the graph: it never runs.
    Absent,
}

/// Statuses as Taskcluster resolves them: `completed` (success), `failed` (failure) or
/// `exception`; it has no warnings, timed-out, cancelled or skipped.
fn as_resolved(s: Status) -> Status {
    match s {
        Status::Success | Status::Warnings => Status::Success,
        Status::Failure => Status::Failure,
        Status::Exception | Status::TimedOut | Status::Cancelled | Status::Skipped => {
            Status::Exception
        }
    }
}

fn words(c: Condition) -> String {
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

struct Cx<'a> {
    g: &'a TaskGraph,
    job: &'a Job,
    meta: &'a JobMeta,
    plan: &'a Plan,
    scenario: &'a Scenario,
    start_ms: i64,
}

impl Cx<'_> {
    fn label(&self, u: usize) -> &str {
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

    fn outcome_reason(&self, o: &Outcome) -> String {
        match self
            .plan
            .outcome_by
            .and_then(|k| self.scenario.given.outcomes.get(k))
        {
            Some(item) => format!("outcome `{}={}`", item.query, outcome_text(o)),
            None => "its outcome".to_owned(),
        }
    }

    fn duration(&self, default: u64) -> u64 {
        self.plan
            .duration_s
            .or(self.job.expected_duration_s)
            .unwrap_or(default)
    }

    /// The job runs from `ready`. `deadline` is set under Taskcluster's rules.
    fn run(&self, ready: u64, deadline: Option<u64>, ups: &[(usize, Upstream)]) -> Played {
        let job = self.job;
        match job.job_type {
            JobType::Task => self.task(ready),
            JobType::Dummy => {
                let d = self.duration(0);
                let status = self
                    .plan
                    .outcome
                    .map(|o| o.status)
                    .or(job.result)
                    .unwrap_or(Status::Success);
                let reason = match (&self.plan.outcome, job.result) {
                    (Some(o), _) => Some(self.outcome_reason(o)),
                    (None, Some(r)) if r != Status::Success => {
                        Some(format!("its fixed `result: {}`", r.name()))
                    }
                    _ => None,
                };
                Played::ran(status, ready, ready + d, 1, reason)
            }
            JobType::Breakpoint => {
                if let Some(o) = self.plan.outcome.filter(|o| o.status != Status::TimedOut) {
                    let d = self.duration(0);
                    return Played::ran(
                        o.status,
                        ready,
                        ready + d,
                        1,
                        Some(self.outcome_reason(&o)),
                    );
                }
                if self.plan.approved {
                    let d = self.duration(0);
                    return Played::ran(
                        Status::Success,
                        ready,
                        ready + d,
                        1,
                        Some("approved".into()),
                    );
                }
                let wait = job.timeouts.request_s;
                match deadline {
                    // Taskcluster: the breakpoint task's deadline runs from the graph's creation.
                    Some(dl) => Played::ran(
                        Status::Exception,
                        ready,
                        dl.max(ready),
                        0,
                        Some(format!(
                            "not approved: deadline-exceeded at {}",
                            format_duration(dl)
                        )),
                    ),
                    None => {
                        let skip_success = job.timeouts.on_request_timeout == "skip-success";
                        let status = if skip_success {
                            Status::Success
                        } else {
                            Status::Failure
                        };
                        Played::ran(
                            status,
                            ready,
                            ready + wait,
                            0,
                            Some(format!(
                                "not approved within its request timeout ({}): `{}`",
                                format_duration(wait),
                                job.timeouts.on_request_timeout
                            )),
                        )
                    }
                }
            }
            JobType::Timer => {
                if let Some(o) = self.plan.outcome {
                    return Played::ran(o.status, ready, ready, 1, Some(self.outcome_reason(&o)));
                }
                let timer = job.timer.as_deref();
                let at = timer
                    .and_then(|t| t.at.as_deref())
                    .and_then(|a| crate::time::parse(a).ok())
                    .map(|ms| ((ms - self.start_ms).max(0) / 1000) as u64);
                let end = match (at, timer.and_then(|t| t.delay_s)) {
                    (Some(at), _) => at.max(ready),
                    (None, Some(delay)) => ready + delay,
                    (None, None) => ready,
                };
                let end = self.plan.duration_s.map_or(end, |d| ready + d);
                Played::ran(
                    Status::Success,
                    ready,
                    end,
                    1,
                    Some(format!("timer: released at {}", format_duration(end))),
                )
            }
            JobType::Notification => self.notification(ready, ups, deadline.is_some()),
        }
    }

    fn task(&self, ready: u64) -> Played {
        let job = self.job;
        let d = self.duration(DEFAULT_TASK_S);
        let max = job.timeouts.max_runtime_s;
        let run = d.min(max);
        let outcome = self.plan.outcome;
        let tries = job.retries + 1;
        match outcome {
            Some(o) if o.status == Status::Exception => {
                let failing = o.exceptions.unwrap_or(u32::MAX);
                let by = self.outcome_reason(&o);
                if failing < tries {
                    let runs = failing + 1;
                    let (status, why) = if d > max {
                        (
                            Status::TimedOut,
                            format!(
                                "; then the run passes `max_runtime` ({})",
                                format_duration(max)
                            ),
                        )
                    } else {
                        (Status::Success, "; then it succeeds".to_owned())
                    };
                    Played::ran(
                        status,
                        ready,
                        ready + u64::from(runs) * run,
                        runs,
                        Some(format!(
                            "{by}: {failing} run{} ended `exception` and {} retried{why}",
                            plural(failing),
                            if failing == 1 { "was" } else { "were" }
                        )),
                    )
                } else {
                    Played::ran(
                        Status::Exception,
                        ready,
                        ready + u64::from(tries) * run,
                        tries,
                        Some(format!(
                            "{by}: every run ended `exception`, {tries} run{} (`retries: {}`)",
                            plural(tries),
                            job.retries
                        )),
                    )
                }
            }
            Some(o) if o.status == Status::TimedOut => Played::ran(
                Status::TimedOut,
                ready,
                ready + max,
                1,
                Some(format!(
                    "{}: ran its `max_runtime` ({})",
                    self.outcome_reason(&o),
                    format_duration(max)
                )),
            ),
            Some(o) if matches!(o.status, Status::Cancelled | Status::Skipped) => {
                Played::ran(o.status, ready, ready, 0, Some(self.outcome_reason(&o)))
            }
            _ if d > max => Played::ran(
                Status::TimedOut,
                ready,
                ready + max,
                1,
                Some(format!(
                    "its duration ({}) passes its `max_runtime` ({})",
                    format_duration(d),
                    format_duration(max)
                )),
            ),
            Some(o) => Played::ran(o.status, ready, ready + d, 1, Some(self.outcome_reason(&o))),
            None => Played::ran(Status::Success, ready, ready + d, 1, None),
        }
    }

    /// A notification fires when one of the jobs it watches ended as its `on` says (under
    /// Taskcluster's rules, as Taskcluster resolved it: its notify routes are on those tasks).
    fn notification(&self, ready: u64, ups: &[(usize, Upstream)], tc: bool) -> Played {
        if let Some(o) = self.plan.outcome {
            return Played::ran(o.status, ready, ready, 1, Some(self.outcome_reason(&o)));
        }
        let Some(n) = self.job.notification.as_deref() else {
            return Played::ran(Status::Success, ready, ready, 1, None);
        };
        let seen = |s: Status| if tc { as_resolved(s) } else { s };
        let on: Vec<Status> = n.on.statuses().map(seen).collect();
        let fired = ups.iter().find_map(|(u, up)| match up {
            Upstream::Done(s, _) if on.contains(&seen(*s)) => Some((*u, seen(*s))),
            _ => None,
        });
        match fired {
            Some((u, s)) => Played::ran(
                Status::Success,
                ready,
                ready,
                1,
                Some(format!(
                    "fired ({} `{}`): `{}` ended `{}`",
                    n.channel,
                    n.target,
                    self.label(u),
                    s.name()
                )),
            ),
            None => Played::resolved(
                Status::Skipped,
                ready,
                format!("not sent: no job it watches ended {}", words(n.on)),
                None,
            ),
        }
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn outcome_text(o: &Outcome) -> String {
    match o.exceptions {
        Some(n) => format!("{}@{n}", o.status.name()),
        None => o.status.name().to_owned(),
    }
}
