//! `invalid-worker-pool`: a task whose `worker.pool` is not a string, or not a pool.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::INVALID_WORKER_POOL,
    severity: Severity::Error,
    summary: "a task's `worker.pool` is not a string, or names no worker pool",
    docs: r#"## What it does

Reports every job of type `task` whose `worker.pool` is not a string (a list, a mapping, a
number), or names no key of `worker_pools` in `taskgraph/config.yml`, with the nearest pool
names. Inactive jobs count too. A task that names no pool at all is an error only where it
must run somewhere: in `generate --format taskcluster`.

## Why it matters

The pool decides which workers run a task, and the trust policy restricts jobs by their pool
and its worker type. A pool the policy cannot read (`pool: [signing]`) would otherwise slip
past the restricted-job check, and an unknown pool fails only when the graph is submitted.

## Example

```yaml
worker: {pool: [signing]}   # a list: write `pool: signing`
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    cx.jobs()
        .filter(|(j, _)| j.job_type == JobType::Task)
        .filter_map(|(j, meta)| crate::tasks::pool(j, meta, cx.settings).err())
        .collect()
}
