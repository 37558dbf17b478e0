//! `branch-above-policy`: a branch file asks for more than the trust policy grants it.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::priority_rank;
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::BRANCH_ABOVE_POLICY,
    severity: Severity::Error,
    summary: "a branch's `trust_level`, `max_priority` or `customizable` is above what the policy grants",
    docs: r#"## What it does

Compares what a branch file asks for (`trust_level`, `max_priority`, `customizable`) with what
the trust policy grants branches of that name (`policy.branches`, first matching glob), and
reports every value above the grant.

## Why it matters

The policy decides how much a branch is trusted; the tree may only ask for less. A change that
raises try to trust level 3 would otherwise give try pushes the scheduler, caches and scopes of
the release branches. taskgen always uses the lower of the two, and this rule makes the
attempt visible instead of silently capping it.

## Example

```yaml
# taskgraph/config.yml (or the file given with --policy)
policy:
  branches:
    try: {trust_level: 1, max_priority: low, customizable: true}
# branches/try.yml
trust_level: 3          # above the policy's 1
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let (b, p) = (cx.branch, cx.policy);
    let mut out = Vec::new();
    let mut above = |what: &str, asked: &str, granted: &str, at, grant| {
        out.push(
            RULE.finding(format!(
                "branch `{}` asks for {what} `{asked}`; the policy grants it at most `{granted}`",
                b.name
            ))
            .at(at, format!("`{asked}` asked here"))
            .also(grant, "granted by the policy here")
            .help(format!(
                "lower {what} in the branch file; only the policy can raise it"
            )),
        );
    };
    if let (Some(a), Some(g)) = (&b.trust_level, p.trust_level_for(&b.name))
        && a.value > g.value
    {
        above(
            "trust level",
            &a.value.to_string(),
            &g.value.to_string(),
            a.span,
            g.span,
        );
    }
    if let (Some(a), Some(g)) = (&b.max_priority, p.max_priority_for(&b.name))
        && priority_rank(&a.value) > priority_rank(&g.value)
    {
        above("maximum priority", &a.value, &g.value, a.span, g.span);
    }
    if let (Some(a), Some(g)) = (&b.customizable, p.customizable_for(&b.name))
        && a.value
        && !g.value
    {
        above("customization", "true", "false", a.span, g.span);
    }
    out
}
