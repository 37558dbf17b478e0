//! `breakpoint-without-acl`: a breakpoint nobody may resume.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::BREAKPOINT_WITHOUT_ACL,
    severity: Severity::Error,
    summary: "a breakpoint has no `acl`",
    docs: r#"## What it does

Reports breakpoints with no role in `acl`.

## Why it matters

A breakpoint pauses the graph until someone with one of its roles resumes it. Without roles,
nobody can, and everything after it waits until it expires.

## Example

```yaml
- name: qa-signoff
  type: breakpoint
  request_timeout: 3d   # and `acl: [project:releng:qa]`?
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.job_type == JobType::Breakpoint)
        .filter(|(j, _)| j.breakpoint.as_ref().is_none_or(|b| b.acl.is_empty()))
        .map(|(j, meta)| {
            RULE.finding(format!(
                "breakpoint `{}` has no `acl`: nobody may resume it",
                j.label
            ))
            .at(meta.label, "this breakpoint")
            .help("add `acl: [<role>]` with the roles that may resume the graph")
        })
        .collect()
}
