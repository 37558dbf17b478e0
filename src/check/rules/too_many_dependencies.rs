//! `too-many-dependencies`: a job has more than 10,000 dependencies (a limit of Taskcluster's queue).

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::TOO_MANY_DEPENDENCIES,
    severity: Severity::Error,
    summary: "a job has more than 10,000 dependencies",
    docs: r#"## What it does

Reports jobs with more than 10,000 dependencies, the most a Taskcluster task may have.

## Why it matters

The queue rejects such a task, and with it the whole graph's submission.

## Example

```yaml
- name: all-done
  type: dummy
  needs: {"*": finished}   # in a graph of 20,000 jobs
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.dependencies.len() > 10_000)
        .map(|(j, meta)| {
            RULE.finding(format!(
                "`{}` has {} dependencies, more than Taskcluster's 10,000",
                j.label,
                j.dependencies.len()
            ))
            .at(meta.node, "over the limit")
            .help("wait on a milestone (`<graph>:end`) instead of on every job")
        })
        .collect()
}
