//! `timer-without-time`: a timer with neither `at` nor `delay`.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::TIMER_WITHOUT_TIME,
    severity: Severity::Error,
    summary: "a timer has neither `at` nor `delay`",
    docs: r#"## What it does

Reports timers that say neither when (`at`, an absolute time) nor how long after their
upstreams (`delay`) they fire.

## Why it matters

A timer without a time either fires at once, which defeats it, or never.

## Example

```yaml
- name: publish-window
  type: timer
  needs: {qa-signoff: success}   # and `delay: 2h`?
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.job_type == JobType::Timer)
        .filter(|(j, _)| {
            j.timer
                .as_ref()
                .is_none_or(|t| t.at.is_none() && t.delay_s.is_none())
        })
        .map(|(j, meta)| {
            RULE.finding(format!("timer `{}` has neither `at` nor `delay`", j.label))
                .at(meta.label, "this timer")
                .help("add `delay: 2h`, or `at:` with an absolute time")
        })
        .collect()
}
