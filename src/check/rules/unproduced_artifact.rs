//! `unproduced-artifact`: a job consumes an artifact no upstream job produces.

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};
use crate::expand::Job;

pub static RULE: Rule = Rule {
    code: diag::UNPRODUCED_ARTIFACT,
    severity: Severity::Error,
    summary: "a job consumes an artifact no upstream job produces",
    docs: r#"## What it does

Reports `artifacts.consumes` entries `<kind>.<name>` for which no upstream job of kind `<kind>`
produces an artifact `<name>`. Upstreams are the job's dependencies, transitively (everything
upstream has finished when the job starts), not past a producer.

## Why it matters

Artifacts are named, not guessed from URLs: a test that consumes `build.installer` from a
dependency that does not produce one fails at run time, after waiting for the build.

## Example

```yaml
jobs:
  build:
    kind: build
    artifacts: {produces: {installer: public/build/target.tar.bz2}}
  mochitest:
    kind: test
    artifacts: {consumes: [build.tests-zip]}   # no build produces `tests-zip`
```
"#,
    check: Check::Graph(check),
};

/// Whether `job` has an upstream of `kind` producing `name`.
fn produced(cx: &GraphContext, job: &Job, kind: &str, name: &str) -> bool {
    let lookup = |l: &str| cx.job(l).map(|(j, _)| j);
    !crate::graph::artifacts::producers(job, kind, name, &lookup).is_empty()
}

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (job, meta) in cx.jobs() {
        for consumed in &job.artifacts.consumes {
            let Some((kind, name)) = consumed.split_once('.') else {
                out.push(
                    RULE.finding(format!("`{consumed}` is not `<kind>.<artifact>`"))
                        .at(cx.field_span(meta, "artifacts"), "in these artifacts")
                        .help("name the upstream kind and the artifact, as in `build.installer`"),
                );
                continue;
            };
            if !produced(cx, job, kind, name) {
                out.push(
                    RULE.finding(format!("`{}` consumes `{consumed}`, and no upstream `{kind}` job produces `{name}`", job.label))
                        .at(cx.field_span(meta, "artifacts"), format!("`{consumed}` is consumed here"))
                        .help(format!("add `{name}` to the `produces` of the `{kind}` job this one needs, or depend on one that has it")),
                );
            }
        }
    }
    out
}
