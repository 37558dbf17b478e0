//! `unknown-task-reference`: a `<task-id:LABEL>` that names no upstream job.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};
use crate::graph::artifacts::{is_upstream, referring_strings, task_references};

pub static RULE: Rule = Rule {
    code: diag::UNKNOWN_TASK_REFERENCE,
    severity: Severity::Error,
    summary: "a `<task-id:LABEL>` names no job upstream of the task",
    docs: r#"## What it does

A task's `command`, `env` and `payload` may name an upstream job's task ID as
`<task-id:LABEL>` (taskgraph's `task-reference`); `--format taskcluster` fills in the ID. This
rule reports every reference whose label is not upstream of the task (transitively), with the
nearest labels.

## Why it matters

A task can only use what has finished before it starts: a reference to a job that is not
upstream names a task that may not exist yet, or not at all.

## Example

```yaml
command: [run-tests, "--installer-task=<task-id:build-linux64-opt>"]
needs: {build-linux64-debug: success}   # build-linux64-opt is not upstream
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let lookup = |l: &str| cx.job(l).map(|(j, _)| j);
    let mut out = Vec::new();
    for (job, meta) in cx.jobs().filter(|(j, _)| j.job_type == JobType::Task) {
        for (field, s) in referring_strings(job) {
            for label in task_references(s) {
                if is_upstream(job, label, &lookup) {
                    continue;
                }
                let near = crate::defs::keys::nearest(
                    label,
                    job.dependencies.iter().map(|d| d.label.as_str()),
                );
                out.push(
                    RULE.finding(format!(
                        "`{}` refers to `<task-id:{label}>`, and `{label}` is not upstream of it",
                        job.label
                    ))
                    .at(cx.field_span(meta, field), "the reference is in here")
                    .help(format!(
                        "name a job it needs; its direct upstreams are {}",
                        crate::diag::backticked(&near)
                    )),
                );
            }
        }
    }
    out
}
