//! `scope-not-allowed`: a job asks for a scope its branch's trust level is not granted.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};
use crate::expand::Job;
use crate::load::FastHash;
use crate::policy::{LevelGrant, Pattern, first_match};

pub static RULE: Rule = Rule {
    code: diag::SCOPE_NOT_ALLOWED,
    severity: Severity::Error,
    summary: "a job's scope is not granted to its branch's trust level",
    docs: r#"## What it does

When the policy has `trust_levels`, reports every scope in a job's `scopes` that matches none
of the `scopes` globs of the branch's trust level (as capped by the policy). A trust level the
policy does not list is granted nothing.

## Why it matters

Scopes are what a task may do: write to caches shared with release builds, use signing
certificates, submit to the update server. A level-1 push that names a level-3 cache poisons
what trusted builds read.

## Example

```yaml
# policy
trust_levels:
  1: {scopes: ["docker-worker:cache:level-1-*"]}
# a job on try (level 1)
scopes: ["docker-worker:cache:level-3-mozilla-central-build"]
```
"#,
    check: Check::Graph(check),
};

/// Points a finding at what the policy grants the trust level (or says it grants nothing).
pub fn what_is_granted(
    d: Diagnostic,
    cx: &GraphContext,
    granted: Option<&LevelGrant>,
    level: i64,
) -> Diagnostic {
    match granted {
        Some(g) => d.also(g.span, format!("what trust level {level} is granted")),
        None => d.also(
            cx.policy.span,
            format!("the policy grants trust level {level} nothing"),
        ),
    }
}

/// Every (job, value) whose `values` match none of the level's `grant` globs.
pub fn ungranted<'a>(
    cx: &GraphContext<'a>,
    rule: &Rule,
    field: &str,
    values: fn(&GraphContext, &'a Job) -> Cow<'a, [String]>,
    grant: fn(&LevelGrant) -> Option<&Vec<Pattern>>,
) -> Vec<Diagnostic> {
    if cx.policy.trust_levels.is_empty() {
        return Vec::new();
    }
    let level = cx.effective.trust_level;
    let granted = cx.policy.level(level);
    let nothing = Vec::new();
    let Some(patterns) = granted.map_or(Some(&nothing), grant) else {
        return Vec::new();
    };
    // `<branch>` in a grant is this branch's name.
    let patterns: Vec<Pattern> = patterns
        .iter()
        .filter_map(|p| {
            p.for_branch(&cx.branch.name)
                .map(std::borrow::Cow::into_owned)
        })
        .collect();
    let patterns = &patterns;
    let mut out = Vec::new();
    // Most jobs share their scopes and routes: match each distinct value once.
    let mut granted_value: HashMap<String, bool, FastHash> = HashMap::default();
    let mut is_granted = |v: &str| match granted_value.get(v) {
        Some(&g) => g,
        None => *granted_value
            .entry(v.to_owned())
            .or_insert_with(|| first_match(patterns, v).is_some()),
    };
    for (job, meta) in cx.jobs() {
        let values = values(cx, job);
        for v in values.iter().filter(|v| !is_granted(v)) {
            let mut d = rule
                .finding(format!(
                    "`{}` uses {} `{v}`, which trust level {level} (branch `{}`) is not granted",
                    job.label,
                    field.trim_end_matches('s'),
                    cx.branch.name
                ))
                .at(cx.field_span(meta, field), format!("`{v}`"));
            if let Some(by) = cx.notified_by(job, v) {
                d = d.also(by, "this notification puts it on the job");
            }
            d = what_is_granted(d, cx, granted, level);
            out.push(d.help(format!(
                "vary the {field} by trust level: `{{{{ branch.trust_level }}}}` in the value, or a `by-branch.trust_level` table"
            )));
        }
    }
    out
}

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    ungranted(
        cx,
        &RULE,
        "scopes",
        |_, j| Cow::Borrowed(&j.scopes),
        |g| g.scopes.as_ref(),
    )
}
