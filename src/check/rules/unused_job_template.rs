//! `unused-job-template`: a job template no branch ever places.

use crate::check::{Check, Rule, TreeContext};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNUSED_JOB_TEMPLATE,
    severity: Severity::Warning,
    summary: "a job template no graph of any branch places",
    docs: r#"## What it does

Reports job templates that no graph places, in any branch and trigger.

Reported only when every branch and trigger generated: what a failing one would have used is
unknown.

## Why it matters

Dead definitions mislead reviewers ("is this what runs?") and rot: nobody notices when they
stop rendering.

## Example

```yaml
jobs:
  valgrind:          # no graph has `job: valgrind`
    kind: build
```
"#,
    check: Check::Tree(check),
};

fn check(cx: &TreeContext) -> Vec<Diagnostic> {
    cx.defs
        .jobs
        .values()
        .filter(|t| !cx.usage.job_templates.contains(&t.name.value))
        .map(|t| {
            RULE.finding(format!("job template `{}` is never used", t.name.value))
                .at(t.name.span, "no graph places this template in any branch")
                .help("remove it, or place it in a graph")
        })
        .collect()
}
