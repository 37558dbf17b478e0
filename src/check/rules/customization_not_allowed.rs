//! `customization-not-allowed`: `--set` changed a locked job, or a job of a branch that does
//! not allow customization.

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::CUSTOMIZATION_NOT_ALLOWED,
    severity: Severity::Error,
    summary: "`--set` customizes a locked job, or a job of a branch that does not allow customization",
    docs: r#"## What it does

Reports jobs customized with `generate --set LABEL.FIELD=VALUE` when the job is locked (by
`locked: true` in its definition, or by a `policy.locked` query), or when the branch is not
`customizable` (the branch file asks for it, and the policy must grant it).

## Why it matters

Nightly and release jobs must run exactly as reviewed: a customized nightly build that reaches
users is an unreviewed build. Customization is for developers' pushes (try), not for the
branches that ship.

## Example

```sh
taskgen generate --branch mozilla-central --trigger nightly --set nightly-linux64.command='[sh, -c, evil]'   # refused (exit 1)
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let b = cx.branch;
    cx.jobs()
        .filter(|(j, _)| j.customized && (j.locked || !cx.effective.customizable))
        .map(|(j, meta)| {
            let at = meta.customized_by.first().copied().unwrap_or(meta.node);
            if !cx.effective.customizable {
                let mut d = RULE
                    .finding(format!(
                        "branch `{}` does not allow customization, so `{}` cannot be customized",
                        b.name, j.label
                    ))
                    .at(at, "customized here");
                if let Some(g) = cx.policy.customizable_for(&b.name).filter(|g| !g.value) {
                    d = d.also(g.span, "the policy does not grant customization");
                } else if let Some(c) = &b.customizable {
                    d = d.also(c.span, "the branch is not customizable");
                }
                return d.help("customize jobs on a branch that allows it (try)");
            }
            let mut d = RULE
                .finding(format!("`{}` is locked: it runs as defined", j.label))
                .at(at, "customized here");
            if let Some(lock) = meta.locked_by {
                d = d.also(lock, "locked by the policy");
            } else if let Some((span, _)) = meta.field("locked") {
                d = d.also(span, "locked by its definition");
            }
            d.help("drop the `--set` for this job; a locked job changes only through a reviewed change to the definitions")
        })
        .collect()
}
