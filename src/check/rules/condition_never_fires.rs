//! `condition-never-fires`: a dependency waits for a status its upstream can never end with.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::{Condition, JobType, Status};
use crate::diag::{self, Diagnostic, Severity};
use crate::expand::Job;

pub static RULE: Rule = Rule {
    code: diag::CONDITION_NEVER_FIRES,
    severity: Severity::Error,
    summary: "a dependency waits for a status its upstream can never end with",
    docs: r#"## What it does

Reports `needs` conditions that no final status of the upstream job satisfies: `failure` from a
dummy or a milestone, which always succeed; `failure` from a timer, which succeeds when its time
comes; anything but the fixed `result` of a dummy that has one.

## Why it matters

The downstream job can never run. It is usually a cleanup or notification job that nobody
notices is dead until the day it was needed.

## Example

```yaml
- name: wait
  type: timer
  delay: 2h
- name: page-someone
  type: notification
  needs: {wait: failure}   # a timer never fails
```
"#,
    check: Check::Graph(check),
};

/// The final statuses a job can end with. Every job can be cancelled or skipped.
pub fn possible(job: &Job) -> Condition {
    let always = [Status::Cancelled, Status::Skipped];
    let statuses: Vec<Status> = match (job.job_type, job.result) {
        (JobType::Dummy, Some(fixed)) => vec![fixed],
        (JobType::Dummy | JobType::Timer, None) => vec![Status::Success],
        (JobType::Breakpoint, _) => vec![Status::Success, Status::Failure, Status::TimedOut],
        (JobType::Notification, _) => vec![Status::Success, Status::Failure, Status::Exception],
        (JobType::Task, _) => return Condition::FINISHED,
        (JobType::Timer, Some(_)) => vec![Status::Success],
    };
    Condition::of(&[&statuses[..], &always[..]].concat())
}

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (job, meta) in cx.jobs() {
        for (dep, &span) in job.dependencies.iter().zip(&meta.dependencies) {
            let Some((up, _)) = cx.job(&dep.label) else {
                continue;
            };
            if dep.on.intersects(possible(up)) {
                continue;
            }
            let can = diag::backticked(possible(up).statuses().map(Status::name));
            let waits = diag::backticked(dep.on.statuses().map(Status::name));
            let what = if up.kind == "milestone" {
                "milestone"
            } else {
                up.job_type.name()
            };
            out.push(
                RULE.finding(format!(
                    "`{}` waits for `{}` to end with {waits}, which a {what} never does",
                    job.label, dep.label
                ))
                .at(span, "this condition can never be met")
                .help(format!("`{}` can only end with {can}", dep.label)),
            );
        }
    }
    out
}
