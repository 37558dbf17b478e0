//! `priority-above-maximum`: a job's priority is above its branch's maximum.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::priority_rank;
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::PRIORITY_ABOVE_MAXIMUM,
    severity: Severity::Error,
    summary: "a job's priority is above its branch's `max_priority`",
    docs: r#"## What it does

Reports jobs whose `priority` ranks above the `max_priority` of the branch they are generated
for: the lower of the branch file's and the trust policy's.

## Why it matters

Priority is shared capacity: a try push must not outrank the release branches, whatever its
definitions say.

## Example

```yaml
# branches/try.yml
max_priority: low
# taskgraph/jobs/builds.yml
jobs:
  build: {kind: build, priority: high}   # above `low` on try
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let Some(max) = &cx.effective.max_priority else {
        return Vec::new();
    };
    let Some(limit) = priority_rank(&max.value) else {
        return Vec::new();
    };
    cx.jobs()
        .filter(|(j, _)| priority_rank(&j.priority).is_some_and(|r| r > limit))
        .map(|(j, meta)| {
            RULE.finding(format!(
                "priority `{}` is above the maximum `{}` of branch `{}`",
                j.priority, max.value, cx.branch.name
            ))
            .at(cx.field_span(meta, "priority"), format!("`{}` for `{}`", j.priority, j.label))
            .also(max.span, "the branch's maximum")
            .help("lower the priority, or vary it by branch: `priority: {by-branch.name: {try: low, default: high}}`")
        })
        .collect()
}
