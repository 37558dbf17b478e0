//! `restricted-job`: a job the policy restricts (signing, update pushing, publishing) on a
//! branch or trust level the policy does not allow it on.

use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};
use crate::expand::Job;
use crate::load::Span;
use crate::policy::{Restriction, first_match, pool_of};

pub static RULE: Rule = Rule {
    code: diag::RESTRICTED_JOB,
    severity: Severity::Error,
    summary: "a restricted job (by worker pool, worker type or kind) is on a branch or trust level the policy does not allow",
    docs: r#"## What it does

A job is restricted when its worker pool, its pool's `provisioner/worker_type`, or its kind
matches a `policy.restricted` entry. The rule reports restricted jobs in the graph of a branch
whose name or trust level (as capped by the policy) that entry does not allow. Inactive jobs
count too: they can be run later.

## Why it matters

Signing keys, the update server and the release mirrors reach every user. A job that uses them
must only exist where the pushes are trusted: a try push, or a level-1 branch, that schedules a
signing job is an attack path. Matching the worker type as well as the pool name means a pool
renamed in the tree does not slip through.

## Example

```yaml
# policy
restricted:
  signing: {pools: [signing], kinds: [signing], trust_levels: [3]}
# a graph of branch `try` (trust level 1)
- name: sign-linux64
  job: nightly-signing      # kind: signing, worker: {pool: signing}
```
"#,
    check: Check::Graph(check),
};

/// Why a job falls under a restriction.
pub struct Restricted {
    pub why: String,
    /// The policy pattern that matched.
    pub pattern: Span,
    /// Matched by kind (else by worker pool or worker type).
    pub by_kind: bool,
}

/// Whether a job falls under a restriction, and why.
pub fn restricted_by(cx: &GraphContext, job: &Job, r: &Restriction) -> Option<Restricted> {
    let found = |why: String, pattern: Span, by_kind| Restricted {
        why,
        pattern,
        by_kind,
    };
    if let Some(p) = first_match(&r.kinds, &job.kind) {
        return Some(found(format!("its kind `{}`", job.kind), p.span, true));
    }
    let pool = pool_of(job)?;
    if let Some(p) = first_match(&r.pools, pool) {
        return Some(found(format!("its worker pool `{pool}`"), p.span, false));
    }
    let worker = cx.pools.get(pool)?;
    first_match(&r.workers, worker).map(|p| {
        found(
            format!("its worker `{worker}`, in pool `{pool}`"),
            p.span,
            false,
        )
    })
}

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    let level = cx.effective.trust_level;
    let mut out = Vec::new();
    for r in &cx.policy.restricted {
        let branch_ok = r
            .branches
            .as_ref()
            .is_none_or(|b| first_match(b, &cx.branch.name).is_some());
        let level_ok = r
            .trust_levels
            .as_ref()
            .is_none_or(|l| l.value.contains(&level));
        if branch_ok && level_ok {
            continue;
        }
        let why_not = if level_ok {
            format!("branch `{}` is not among its branches", cx.branch.name)
        } else {
            format!("branch `{}` has trust level {level}", cx.branch.name)
        };
        let allowed = r
            .trust_levels
            .as_ref()
            .filter(|_| !level_ok)
            .map(|l| l.span)
            .or_else(|| r.branches.as_ref().and_then(|b| b.first()).map(|p| p.span))
            .unwrap_or(r.span);
        for (job, meta) in cx.jobs() {
            let Some(m) = restricted_by(cx, job, r) else {
                continue;
            };
            let at = if m.by_kind {
                meta.template.unwrap_or(meta.node)
            } else {
                cx.field_span(meta, "worker")
            };
            out.push(
                RULE.finding(format!(
                    "`{}` is restricted by `{}` ({}), and {why_not}",
                    job.label, r.name, m.why
                ))
                .at(at, format!("`{}` is restricted", job.label))
                .also(m.pattern, format!("restricted by `{}`", r.name))
                .also(allowed, "what the policy allows")
                .help(format!(
                    "keep `{}` jobs out of this branch's graphs (a `when:` on the node or include)",
                    r.name
                )),
            );
        }
    }
    out
}
