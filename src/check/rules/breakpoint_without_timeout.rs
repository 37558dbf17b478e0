//! `breakpoint-without-timeout`: a breakpoint that relies on the default request timeout.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};
use crate::expand::Origin;

pub static RULE: Rule = Rule {
    code: diag::BREAKPOINT_WITHOUT_TIMEOUT,
    severity: Severity::Error,
    summary: "a breakpoint has no `request_timeout` of its own",
    docs: r#"## What it does

Reports breakpoints whose `request_timeout` is not set on the breakpoint itself (its node or
job template), but left to the tree-wide default.

## Why it matters

How long a release may wait for a human is a decision, not a default: too short and a sign-off
expires over a weekend, too long and a forgotten graph holds resources for days.

## Example

```yaml
- name: qa-signoff
  type: breakpoint
  acl: [project:releng:qa]   # and `request_timeout: 3d`?
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.job_type == JobType::Breakpoint)
        .filter(|(_, m)| {
            m.field("request_timeout")
                .is_none_or(|(_, o)| o == Origin::Defaults)
        })
        .map(|(j, meta)| {
            RULE.finding(format!(
                "breakpoint `{}` has no `request_timeout` of its own",
                j.label
            ))
            .at(meta.label, "this breakpoint")
            .help("say how long it may wait for a human, e.g. `request_timeout: 3d`")
        })
        .collect()
}
