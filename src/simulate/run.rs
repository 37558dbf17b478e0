//! How one job plays once its dependencies let it start: by its type, its outcome, its
//! duration and, under Taskcluster's rules, its deadline.

use super::play::{Cx, Played, Upstream, as_resolved, words};
use super::scenario::Outcome;
use crate::defs::values::{JobType, Status, format_duration};

/// How long a job runs when neither `--durations` nor its `expected_duration` says: a task
/// half an hour, every other type at once (a timer waits for its time).
pub const DEFAULT_TASK_S: u64 = 1800;

impl Cx<'_> {
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
    pub(super) fn run(
        &self,
        ready: u64,
        deadline: Option<u64>,
        ups: &[(usize, Upstream)],
    ) -> Played {
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
