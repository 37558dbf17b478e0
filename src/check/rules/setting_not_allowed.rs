//! `setting-not-allowed`: a scheduler or project ID that the branch's trust level is not granted.

use super::scope_not_allowed::what_is_granted;
use crate::check::{Check, GraphContext, Rule};
use crate::defs::keys::Spanned;
use crate::diag::{self, Diagnostic, Severity};
use crate::policy::{LevelGrant, Pattern, first_match};

pub static RULE: Rule = Rule {
    code: diag::SETTING_NOT_ALLOWED,
    severity: Severity::Error,
    summary: "the scheduler or project ID of a branch's tasks is not granted to its trust level",
    docs: r#"## What it does

When the policy has `trust_levels`, checks the `scheduler_id` and `project_id` that
`taskcluster:` in `taskgraph/config.yml` gives the branch's tasks, as rendered for the branch,
against the `scheduler_ids` and `project_ids` globs of the branch's trust level (as capped by
the policy). A trust level the policy does not list is granted none; one listed without
`scheduler_ids` (or `project_ids`) allows any, as with `scopes` and `routes`.

## Why it matters

The scheduler ID decides who may manipulate a task group and which scopes its tasks are
created with; the project ID, which project's scopes and budget they use. A try push that
writes `scheduler_id: gecko-level-3` would otherwise give every try task a level-3 scheduler.

## Example

```yaml
# policy
trust_levels:
  1: {scheduler_ids: [gecko-level-1], project_ids: [gecko]}
# taskgraph/config.yml, on try
taskcluster: {scheduler_id: gecko-level-3}
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    if cx.policy.trust_levels.is_empty() {
        return Vec::new();
    }
    let level = cx.effective.trust_level;
    let granted = cx.policy.level(level);
    let s = cx.settings;
    type Grant = fn(&LevelGrant) -> Option<&Vec<Pattern>>;
    let checks: [(&str, &Spanned<String>, Grant); 2] = [
        ("scheduler ID", &s.scheduler_id, |g| {
            g.scheduler_ids.as_ref()
        }),
        ("project ID", &s.project_id, |g| g.project_ids.as_ref()),
    ];
    let mut out = Vec::new();
    for (what, value, grant) in checks {
        // A level that does not say allows any; a level the policy does not list, none.
        let allowed =
            granted.map(|g| grant(g).is_none_or(|p| first_match(p, &value.value).is_some()));
        if allowed == Some(true) {
            continue;
        }
        let at = if value.span.is_none() {
            cx.policy.span
        } else {
            value.span
        };
        let mut d = RULE
            .finding(format!(
                "{what} `{}` is not granted to trust level {level} (branch `{}`)",
                value.value, cx.branch.name
            ))
            .at(at, format!("`{}`", value.value));
        d = what_is_granted(d, cx, granted, level);
        out.push(d.help(format!(
            "vary the {what} by trust level (`{{{{ branch.trust_level }}}}`), or grant it in the policy's `trust_levels`"
        )));
    }
    out
}
