//! `untrusted-upstream`: a restricted job depends, directly or through other jobs, on a task
//! whose kind its chain of trust does not allow.

use std::collections::HashMap;

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};
use crate::policy::first_match;

use super::restricted_job::restricted_by;

pub static RULE: Rule = Rule {
    code: diag::UNTRUSTED_UPSTREAM,
    severity: Severity::Error,
    summary: "a restricted job depends, transitively, on a task its chain of trust does not allow",
    docs: r#"## What it does

For every restricted job whose `policy.restricted` entry has a `chain_of_trust`, walks its
dependencies transitively and reports the first tasks (by label) whose kind is not in that
list, with the path that leads to each. Breakpoints, timers, notifications and dummies run no
code and produce nothing, so the walk passes through them.

## Why it matters

A signed or published build is only as trustworthy as everything that fed it. If a release
job consumes the output of an ordinary per-push build (or of anything a less trusted push can
influence), signing it signs whatever that build made.

## Example

```yaml
# policy
restricted:
  publishing: {pools: [beetmover], chain_of_trust: [release-build, signing, release-test]}
# graph
- name: push-to-mirrors
  job: push-to-mirrors            # pool: beetmover
  needs: {build-linux64-opt: success}   # a per-push build, kind `build`
```
"#,
    check: Check::Graph(check),
};

/// Shown per restricted job; the count of the rest is given.
const SHOWN: usize = 3;

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let jobs = &cx.graph.jobs;
    let mut out = Vec::new();
    for r in &cx.policy.restricted {
        let Some((chain_span, chain)) = &r.chain_of_trust else {
            continue;
        };
        for (start, (job, meta)) in cx.jobs().enumerate() {
            if restricted_by(cx, job, meta, r).is_none() {
                continue;
            }
            // Upstream walk; `parent` leads each reached job back to the restricted one.
            let mut parent: HashMap<usize, usize> = HashMap::new();
            let mut stack = vec![start];
            let mut untrusted = Vec::new();
            while let Some(j) = stack.pop() {
                for d in &jobs[j].dependencies {
                    let Some(u) = cx.position(&d.label) else {
                        continue;
                    };
                    if u == start || parent.contains_key(&u) {
                        continue;
                    }
                    parent.insert(u, j);
                    let up = &jobs[u];
                    if up.job_type == JobType::Task && first_match(chain, &up.kind).is_none() {
                        untrusted.push(u);
                    } else {
                        stack.push(u);
                    }
                }
            }
            untrusted.sort_by(|&a, &b| jobs[a].label.cmp(&jobs[b].label));
            let Some(&first) = untrusted.first() else {
                continue;
            };
            // From the untrusted job back to the restricted one (which has no parent).
            let mut path = vec![first];
            while let Some(&p) = parent.get(&path[path.len() - 1]) {
                path.push(p);
            }
            let via = path[1];
            let edge = jobs[via]
                .dependencies
                .iter()
                .position(|d| d.label == jobs[first].label)
                .and_then(|k| cx.graph.meta[via].dependencies.get(k).copied())
                .unwrap_or(cx.graph.meta[via].node);
            let shown: Vec<String> = path.iter().rev().map(|&i| jobs[i].label.clone()).collect();
            let mut d = RULE
                .finding(format!(
                    "`{}` (restricted by `{}`) depends on `{}`, of kind `{}`, which its chain of trust does not allow: {}",
                    job.label,
                    r.name,
                    jobs[first].label,
                    jobs[first].kind,
                    shown.join(" → ")
                ))
                .at(edge, format!("`{}` waits on `{}` here", jobs[via].label, jobs[first].label))
                .also(*chain_span, "the kinds its chain of trust allows");
            let more = untrusted.len() - 1;
            let others: Vec<&str> = untrusted[1..]
                .iter()
                .take(SHOWN)
                .map(|&i| jobs[i].label.as_str())
                .collect();
            d = d.help(if more == 0 {
                "depend on the trusted job of the same role instead (a release or nightly build, not a per-push one)".to_owned()
            } else {
                format!(
                    "also untrusted upstream: {}{}",
                    crate::diag::backticked(&others),
                    if more > SHOWN { format!(" and {} more", more - SHOWN) } else { String::new() }
                )
            });
            out.push(d);
        }
    }
    out
}
