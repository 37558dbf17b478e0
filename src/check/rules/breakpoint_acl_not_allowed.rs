//! `breakpoint-acl-not-allowed`: a breakpoint may be resumed by a role the policy does not
//! allow to resume breakpoints.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};
use crate::policy::first_match;

pub static RULE: Rule = Rule {
    code: diag::BREAKPOINT_ACL_NOT_ALLOWED,
    severity: Severity::Error,
    summary: "a breakpoint's `acl` names a role the policy's `breakpoint_acl` does not allow",
    docs: r#"## What it does

When the policy has `breakpoint_acl` (globs over roles), reports every role in a breakpoint's
`acl` that matches none of them.

## Why it matters

Resuming a breakpoint is a decision: QA signing off a release, a release manager opening the
publishing window. Who may take it is the policy's call, not something a change to a graph
can hand to anyone.

## Example

```yaml
# policy
breakpoint_acl: ["project:releng:qa:*"]
# graph
- name: qa-signoff
  type: breakpoint
  acl: ["project:everyone"]     # not allowed
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let Some(allowed) = &cx.policy.breakpoint_acl else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (job, meta) in cx.jobs() {
        let Some(b) = job
            .breakpoint
            .as_ref()
            .filter(|_| job.job_type == JobType::Breakpoint)
        else {
            continue;
        };
        for role in b.acl.iter().filter(|r| first_match(allowed, r).is_none()) {
            let mut d = RULE
                .finding(format!(
                    "breakpoint `{}` may be resumed by `{role}`, a role the policy does not allow",
                    job.label
                ))
                .at(cx.field_span(meta, "acl"), format!("`{role}`"));
            if let Some(first) = allowed.first() {
                d = d.also(first.span, "the roles the policy allows");
            }
            out.push(d.help(format!(
                "use a role matching {}",
                crate::diag::backticked(allowed.iter().map(|p| &p.text))
            )));
        }
    }
    out
}
