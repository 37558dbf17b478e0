//! `unfit-for-worker`: a task whose fields do not fit its pool's worker implementation.

use serde_json::Value;

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};
use crate::tasks::Implementation;

pub static RULE: Rule = Rule {
    code: diag::UNFIT_FOR_WORKER,
    severity: Severity::Error,
    summary: "a task's fields do not fit its pool's worker implementation",
    docs: r#"## What it does

Checks every task against the `implementation` of its pool in `worker_pools`:

- docker-worker runs a container: the job needs an image (`worker.image`, or the pool's
  `image`), a string;
- generic-worker runs command lines: the job needs a `command`, and has no `worker.image`;
- a scriptworker runs its script on upstream artifacts: no `command` and no `worker.image` (what
  the script needs goes in `payload`);
- built-in workers take an empty payload: no `command`, `worker.image` or `payload`.

## Why it matters

A payload that does not fit its worker is accepted by the queue and fails on the worker
(`malformed-payload`), after the task waited its turn.

## Example

```yaml
jobs:
  sign:
    kind: signing
    worker: {pool: signing}        # a scriptworker pool
    command: [signingscript]       # a scriptworker runs no command
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (job, meta) in cx.jobs().filter(|(j, _)| j.job_type == JobType::Task) {
        let Some(pool) = crate::tasks::pool_entry(job, meta, cx.settings) else {
            continue;
        };
        let image = job.worker.as_ref().and_then(|w| w.get("image"));
        let has_command = job.command.as_ref().is_some_and(|c| !c.is_empty());
        let has_payload = job
            .payload
            .as_deref()
            .is_some_and(|p| p.as_object().is_none_or(|m| !m.is_empty()));
        let (what, field) = match &pool.implementation {
            Implementation::DockerWorker => match image {
                Some(Value::String(_)) => continue,
                Some(_) => ("`worker.image` is not a string", "worker"),
                None if pool.image.is_some() => continue,
                None => (
                    "docker-worker needs an image: its pool has none and `worker.image` is not set",
                    "worker",
                ),
            },
            Implementation::GenericWorker { .. } if !has_command => (
                "generic-worker runs command lines, and the job has no `command`",
                "command",
            ),
            Implementation::GenericWorker { .. } if image.is_some() => (
                "generic-worker runs no container: `worker.image` does not fit",
                "worker",
            ),
            Implementation::Scriptworker { .. } if has_command => (
                "a scriptworker runs its script, not a `command`: say what it needs in `payload`",
                "command",
            ),
            Implementation::Scriptworker { .. } if image.is_some() => (
                "a scriptworker runs no container: `worker.image` does not fit",
                "worker",
            ),
            Implementation::BuiltIn if has_command || image.is_some() || has_payload => (
                "a built-in worker takes an empty payload: no `command`, `worker.image` or `payload`",
                "command",
            ),
            _ => continue,
        };
        out.push(
            RULE.finding(format!("`{}`: {what}", job.label))
                .at(cx.field_span(meta, field), "here"),
        );
    }
    out
}
