//! `request-timeout-too-long`: a job may wait more than 5 days to start (a limit of Taskcluster's queue).

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::REQUEST_TIMEOUT_TOO_LONG,
    severity: Severity::Error,
    summary: "a job may wait more than 5 days to start",
    docs: r#"## What it does

Reports `request_timeout` above 5 days, Taskcluster's longest deadline.

## Why it matters

The queue rejects a task whose deadline is more than 5 days ahead.

## Example

```yaml
request_timeout: 7d
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.timeouts.request_s > 5 * 86_400)
        .map(|(j, meta)| {
            RULE.finding(format!(
                "`{}` may wait {} to start, more than Taskcluster's 5 days",
                j.label,
                crate::defs::values::format_duration(j.timeouts.request_s)
            ))
            .at(cx.field_span(meta, "request_timeout"), "over the limit")
            .help("at most `request_timeout: 5d`")
        })
        .collect()
}
