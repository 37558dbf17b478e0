//! `taskcluster-cannot-express`: a condition or notification Taskcluster has no way to run.

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};
use crate::tasks::{notify_routes, request_timeout, requires};

pub static RULE: Rule = Rule {
    code: diag::TASKCLUSTER_CANNOT_EXPRESS,
    severity: Severity::Warning,
    summary: "a condition or notification that Taskcluster cannot express",
    docs: r#"## What it does

Reports what `generate --format taskcluster` cannot lower: a job whose dependencies wait for
anything but "all succeeded" (`requires: all-completed`) or "all finished"
(`requires: all-resolved`), a job that mixes the two, notifications on a channel or status
Taskcluster's notify service does not have, and `on_request_timeout: skip-success` (an expired
Taskcluster task resolves as `exception`). A warning in `lint`, since the native graph can
hold them; an error when lowering to Taskcluster, which never changes a condition silently.

## Why it matters

A graph that lints clean must also submit: finding this in the decision task of a push is too
late.

## Example

```yaml
- name: cleanup
  type: dummy
  needs: {build-linux: unsuccessful}   # Taskcluster has no "run only on failure"
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (job, meta) in cx.jobs() {
        let found = [
            requires(job, meta).err(),
            notify_routes(job, meta).err(),
            request_timeout(job, meta).err(),
        ];
        for mut d in found.into_iter().flatten() {
            d.severity = RULE.severity;
            out.push(d);
        }
    }
    out
}
