//! `expected-over-max-runtime`: a task is expected to run longer than its `max_runtime` allows.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::{JobType, format_duration};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::EXPECTED_OVER_MAX_RUNTIME,
    severity: Severity::Warning,
    summary: "a task's `expected_duration` is longer than its `max_runtime`",
    docs: r#"## What it does

Reports every task whose `expected_duration` (how long a run usually takes, for
`taskgen simulate`) is longer than its `max_runtime` (when the worker kills the run).

## Why it matters

Either the estimate is wrong, and every simulation of the graph is too, or the task is
killed on most runs and ends `timed-out`: `taskgen simulate` plays it so.

## Example

```yaml
jobs:
  build:
    expected_duration: 3h
    max_runtime: 2h      # raise it, or correct the estimate
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.job_type == JobType::Task)
        .filter_map(|(j, meta)| {
            let expected = j.expected_duration_s?;
            let max = j.timeouts.max_runtime_s;
            (expected > max).then(|| {
                let at = meta
                    .field("expected_duration")
                    .map_or(meta.label, |(s, _)| s);
                let mut d = RULE
                    .finding(format!(
                        "`{}` is expected to run {}, longer than its `max_runtime` ({})",
                        j.label,
                        format_duration(expected),
                        format_duration(max)
                    ))
                    .at(at, "the estimate");
                if let Some((s, _)) = meta.field("max_runtime") {
                    d = d.also(s, "the limit");
                }
                d.help("raise `max_runtime`, or correct `expected_duration`")
            })
        })
        .collect()
}
