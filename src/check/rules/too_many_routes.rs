//! `too-many-routes`: a job has more than 64 routes (a limit of Taskcluster's queue).

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::TOO_MANY_ROUTES,
    severity: Severity::Error,
    summary: "a job has more than 64 routes",
    docs: r#"## What it does

Reports jobs with more than 64 routes, the most a Taskcluster task may have.

## Why it matters

The queue rejects the task.

## Example

```yaml
routes: "{{ range(100) | map('string') | list }}"
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.routes.len() > 64)
        .map(|(j, meta)| {
            RULE.finding(format!(
                "`{}` has {} routes, more than Taskcluster's 64",
                j.label,
                j.routes.len()
            ))
            .at(cx.field_span(meta, "routes"), "over the limit")
            .help("index under fewer routes")
        })
        .collect()
}
