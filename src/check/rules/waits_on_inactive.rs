//! `waits-on-inactive`: an active job waits for an inactive one.

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::WAITS_ON_INACTIVE,
    severity: Severity::Error,
    summary: "an active job waits for an inactive one",
    docs: r#"## What it does

Reports active jobs with a dependency, named by its exact label, on a job that is inactive
(because its subgraph was included with `active: false`, or its node has `active: false`).
Label globs never match inactive jobs from active ones, so only exact labels can do this.

## Why it matters

Inactive jobs are not submitted. The active job would wait forever, or be skipped.

## Example

```yaml
include:
  - {graph: pgo, active: "{{ branch.pgo == 'per-checkin' }}"}
nodes:
  - name: compare-pgo
    job: compare
    needs: {build-linux64-pgo: success}   # inactive on periodic-PGO branches
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (job, meta) in cx.jobs().filter(|(j, _)| j.active) {
        for (dep, &span) in job.dependencies.iter().zip(&meta.dependencies) {
            let Some((up, _)) = cx.job(&dep.label).filter(|(u, _)| !u.active) else {
                continue;
            };
            let mut d = RULE
                .finding(format!("active `{}` waits for inactive `{}`", job.label, dep.label))
                .at(span, format!("`{}` is inactive", dep.label))
                .help("make both active or both inactive, or depend on the subgraph's milestone only where it is active");
            if let Some(site) = cx.include_site(up) {
                d = d.also(site, format!("graph `{}` is included here", up.graph));
            }
            out.push(d);
        }
    }
    out
}
