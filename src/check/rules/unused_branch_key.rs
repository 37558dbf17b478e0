//! `unused-branch-key`: a branch setting no template reads.

use crate::branch::{GENERIC, reserved};
use crate::check::{Check, Rule, TreeContext};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNUSED_BRANCH_KEY,
    severity: Severity::Warning,
    summary: "a branch setting that no template reads",
    docs: r#"## What it does

Reports top-level keys of branch files that no template reads while any branch is expanded (for
`generic.yml`), or while that branch is expanded (for a branch's own file). Keys taskgen itself
reads (`triggers`, `max_priority`, ...) are always used.

Reported only when every branch and trigger generated: what a failing one would have used is
unknown.

## Why it matters

A flag that nothing reads does nothing: `pgo: per-checkin` misspelt as `pog: per-checkin`
silently keeps the branch on periodic PGO.

## Example

```yaml
# branches/mozilla-aurora.yml
pog: per-checkin   # no template reads `branch.pog`
```
"#,
    check: Check::Tree(check),
};

fn check(cx: &TreeContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (name, doc) in &cx.tree.branches {
        let Some(map) = doc.node.as_map() else {
            continue;
        };
        for (key, entry) in map.iter() {
            if reserved(key) {
                continue;
            }
            let used = cx
                .usage
                .branch_keys
                .iter()
                .any(|(b, k)| k == key && (name == GENERIC || b == name));
            if !used {
                out.push(
                    RULE.finding(format!("branch key `{key}` is never read"))
                        .at(entry.key_span, "no template reads this key")
                        .help(format!(
                            "remove it, or read it in a template as `branch.{key}`"
                        )),
                );
            }
        }
    }
    out
}
