//! `too-many-retries`: a job retries more than 49 times (a limit of Taskcluster's queue).

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::TOO_MANY_RETRIES,
    severity: Severity::Error,
    summary: "a job retries more than 49 times",
    docs: r#"## What it does

Reports `retries` above 49, the most Taskcluster allows.

## Why it matters

The queue rejects the task.

## Example

```yaml
retries: 100
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.retries > 49)
        .map(|(j, meta)| {
            RULE.finding(format!(
                "`{}` retries {} times, more than Taskcluster's 49",
                j.label, j.retries
            ))
            .at(cx.field_span(meta, "retries"), "over the limit")
            .help("at most `retries: 49`; a job that needs more is broken")
        })
        .collect()
}
