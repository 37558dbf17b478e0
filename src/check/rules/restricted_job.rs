//! `restricted-job`: a job the policy restricts (signing, update pushing, publishing) on a
//! branch or trust level the policy does not allow it on.

use crate::check::{Check, GraphContext, Rule};
use crate::defs::values::JobType;
use crate::diag::{self, Diagnostic, Severity};
use crate::expand::{Job, JobMeta};
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
    /// Where the job is made restricted: its template (by kind), its `worker` (by pool or
    /// worker type), or the `taskcluster.queues` entry its special type runs on.
    pub at: Span,
}

/// Whether a job falls under a restriction, and why: by its kind, its worker pool's name, or
/// the task queue it finally runs on (its pool's, or its special type's configured queue).
pub fn restricted_by<'a>(
    cx: &GraphContext<'a>,
    job: &'a Job,
    meta: &JobMeta,
    r: &Restriction,
) -> Option<Restricted> {
    let found = |why: String, pattern: Span, at| Restricted { why, pattern, at };
    if let Some(p) = first_match(&r.kinds, &job.kind) {
        let at = meta.template.unwrap_or(meta.node);
        return Some(found(format!("its kind `{}`", job.kind), p.span, at));
    }
    let worker = cx.field_span(meta, "worker");
    let pool = pool_of(job).filter(|_| job.job_type == JobType::Task);
    if let Some((pool, p)) = pool.and_then(|pool| Some((pool, first_match(&r.pools, pool)?))) {
        return Some(found(format!("its worker pool `{pool}`"), p.span, worker));
    }
    let queue = cx.queue(job, meta)?;
    first_match(&r.workers, queue).map(|p| {
        let (why, at) = match (pool, crate::tasks::queue_setting(job, cx.settings)) {
            (_, Some(q)) if !q.span.is_none() => (
                format!("its queue `{queue}`, as a `{}`", job.job_type.name()),
                q.span,
            ),
            (Some(pool), _) => (format!("its worker `{queue}`, in pool `{pool}`"), worker),
            _ => (format!("its queue `{queue}`"), meta.node),
        };
        found(why, p.span, at)
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
            let Some(m) = restricted_by(cx, job, meta, r) else {
                continue;
            };
            out.push(
                RULE.finding(format!(
                    "`{}` is restricted by `{}` ({}), and {why_not}",
                    job.label, r.name, m.why
                ))
                .at(m.at, format!("`{}` is restricted", job.label))
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
