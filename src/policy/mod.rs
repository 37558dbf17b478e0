//! The trust policy: which branches may run restricted jobs (signing, update pushing,
//! publishing), what those jobs may depend on, which jobs are locked against customization, who
//! may resume breakpoints, and the trust level, priority, scopes and routes each branch gets.
//!
//! It lives under `policy:` in `taskgraph/config.yml` for development, or in a file outside the
//! tree given with `--policy`, which then replaces it whole: nothing in the tree can relax an
//! outside policy. The tree can only ask for less (a branch's own `trust_level`,
//! `max_priority` and `customizable` are capped by the policy's). Its checks are rules
//! (`check/rules/`), run on every generated graph.

mod parse;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::branch::Branch;
use crate::defs::Defs;
use crate::defs::keys::Spanned;
use crate::defs::values::priority_rank;
use crate::diag::{Failure, Sink};
use crate::expand::Job;
use crate::glob::Glob;
use crate::graph::TaskGraph;
use crate::load::{Sources, Span, load_extra};
use crate::query::Query;

pub use parse::patterns;

/// A glob from the policy and where it was written.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub text: String,
    pub span: Span,
    matcher: Glob,
}

impl Pattern {
    pub fn new(text: String, span: Span, matcher: Glob) -> Self {
        Pattern {
            text,
            span,
            matcher,
        }
    }

    pub fn matches(&self, s: &str) -> bool {
        self.matcher.is_match(s)
    }

    /// The pattern for one branch: `<branch>` in it stands for the branch's name, so that a
    /// grant such as `index.gecko.v2.<branch>.*` gives each branch its own namespace. A name
    /// holding glob characters gets no such grant (`None`): it could widen the pattern.
    pub fn for_branch(&self, branch: &str) -> Option<std::borrow::Cow<'_, Pattern>> {
        if !self.text.contains("<branch>") {
            return Some(std::borrow::Cow::Borrowed(self));
        }
        if branch.contains(['*', '?', '[', ']', '{', '}', '\\', '!', ',']) {
            return None;
        }
        let text = self.text.replace("<branch>", branch);
        let matcher = Glob::new(&text).ok()?;
        Some(std::borrow::Cow::Owned(Pattern {
            text,
            span: self.span,
            matcher,
        }))
    }
}

/// The first pattern of `list` that matches `s`.
pub fn first_match<'p>(list: &'p [Pattern], s: &str) -> Option<&'p Pattern> {
    list.iter().find(|p| p.matches(s))
}

/// What the policy grants the branches whose name matches `pattern`.
#[derive(Debug, Clone)]
pub struct BranchGrant {
    pub pattern: Pattern,
    pub trust_level: Option<Spanned<i64>>,
    pub max_priority: Option<Spanned<String>>,
    pub customizable: Option<Spanned<bool>>,
}

/// The scopes and routes a trust level may use; `None` allows any.
#[derive(Debug, Clone)]
pub struct LevelGrant {
    pub level: i64,
    pub span: Span,
    pub scopes: Option<Vec<Pattern>>,
    pub routes: Option<Vec<Pattern>>,
    /// The scheduler and project IDs its tasks may have; `None` allows any.
    pub scheduler_ids: Option<Vec<Pattern>>,
    pub project_ids: Option<Vec<Pattern>>,
}

/// Jobs that only some branches and trust levels may run, and what they may depend on.
#[derive(Debug, Clone)]
pub struct Restriction {
    pub name: String,
    pub span: Span,
    /// Worker pool names (`signing`).
    pub pools: Vec<Pattern>,
    /// `provisioner/worker_type` of the job's pool, whatever the pool is called.
    pub workers: Vec<Pattern>,
    pub kinds: Vec<Pattern>,
    /// Branches allowed; `None`: any branch at an allowed trust level.
    pub branches: Option<Vec<Pattern>>,
    /// Trust levels allowed; `None`: any.
    pub trust_levels: Option<Spanned<Vec<i64>>>,
    /// Kinds of the tasks a restricted job may depend on, transitively; `None`: any.
    pub chain_of_trust: Option<(Span, Vec<Pattern>)>,
}

/// Jobs that may not be customized.
#[derive(Debug, Clone)]
pub struct Lock {
    pub query: Query,
    pub span: Span,
}

/// Where the policy in force came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    /// No policy: nothing is restricted.
    #[default]
    None,
    /// `policy:` in `taskgraph/config.yml`.
    InTree,
    /// `--policy FILE`, by the SHA-256 of its bytes.
    External { sha256: String },
}

impl Origin {
    /// How the native output records it.
    pub fn describe(&self) -> String {
        match self {
            Origin::None => "none".into(),
            Origin::InTree => "in-tree".into(),
            Origin::External { sha256 } => format!("sha256:{sha256}"),
        }
    }
}

/// A parsed policy.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub origin: Origin,
    /// Where the policy is written, for findings to point at.
    pub span: Span,
    /// In order: for each setting, the first grant whose pattern matches the branch wins.
    pub branches: Vec<BranchGrant>,
    pub trust_levels: Vec<LevelGrant>,
    pub restricted: Vec<Restriction>,
    pub locked: Vec<Lock>,
    /// Roles a breakpoint's `acl` may name; `None`: any.
    pub breakpoint_acl: Option<Vec<Pattern>>,
}

/// What a branch is granted, after the policy capped what its file asks for.
#[derive(Debug, Clone)]
pub struct Effective {
    pub trust_level: i64,
    pub max_priority: Option<Spanned<String>>,
    pub customizable: bool,
}

impl Policy {
    /// The policy in force: `--policy FILE` when given (the tree's is then ignored), else the
    /// tree's `policy:`, else none.
    pub fn resolve(
        sources: &mut Sources,
        defs: &Defs,
        external: Option<&Path>,
    ) -> Result<Policy, Failure> {
        match external {
            Some(path) => Policy::external(sources, path),
            None => {
                let mut sink = Sink::default();
                let policy = Policy::in_tree(defs, &mut sink);
                sink.finish(policy)
            }
        }
    }

    /// The tree's `policy:` (none when absent), with its problems.
    pub fn in_tree(defs: &Defs, sink: &mut Sink) -> Policy {
        match &defs.config.policy {
            Some(node) => Policy {
                origin: Origin::InTree,
                ..parse::read(node, sink)
            },
            None => Policy::default(),
        }
    }

    /// A policy file from outside the tree; its top level is what `policy:` holds in the tree.
    pub fn external(sources: &mut Sources, path: &Path) -> Result<Policy, Failure> {
        let mut sink = Sink::default();
        let node = load_extra(sources, path)?;
        let mut policy = parse::read(&node, &mut sink);
        let text = sources.file(node.span.file).text.as_bytes();
        policy.origin = Origin::External {
            sha256: Sha256::digest(text)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        };
        sink.finish(policy)
    }

    fn grant<T>(&self, branch: &str, pick: impl Fn(&BranchGrant) -> Option<&T>) -> Option<&T> {
        self.branches
            .iter()
            .filter(|g| g.pattern.matches(branch))
            .find_map(pick)
    }

    pub fn trust_level_for(&self, branch: &str) -> Option<&Spanned<i64>> {
        self.grant(branch, |g| g.trust_level.as_ref())
    }

    pub fn max_priority_for(&self, branch: &str) -> Option<&Spanned<String>> {
        self.grant(branch, |g| g.max_priority.as_ref())
    }

    pub fn customizable_for(&self, branch: &str) -> Option<&Spanned<bool>> {
        self.grant(branch, |g| g.customizable.as_ref())
    }

    /// The lower of what the branch asks for and what the policy grants. A branch that states
    /// no trust level has the lowest, 1.
    pub fn effective(&self, branch: &Branch) -> Effective {
        let asked = branch.trust_level.as_ref().map_or(1, |l| l.value);
        let trust_level = self
            .trust_level_for(&branch.name)
            .map_or(asked, |g| g.value.min(asked));
        let rank = |p: &Spanned<String>| priority_rank(&p.value).unwrap_or(0);
        let max_priority = match (
            branch.max_priority.as_ref(),
            self.max_priority_for(&branch.name),
        ) {
            (Some(a), Some(g)) => Some(if rank(g) < rank(a) { g } else { a }.clone()),
            (a, g) => a.or(g).cloned(),
        };
        let customizable = branch.customizable.as_ref().is_some_and(|c| c.value)
            && self.customizable_for(&branch.name).is_none_or(|c| c.value);
        Effective {
            trust_level,
            max_priority,
            customizable,
        }
    }

    /// The scopes and routes allowed at a trust level, when the policy says.
    pub fn level(&self, level: i64) -> Option<&LevelGrant> {
        self.trust_levels.iter().find(|l| l.level == level)
    }

    /// The lock that covers a job, if any.
    pub fn lock_of(&self, job: &Job) -> Option<&Lock> {
        self.locked.iter().find(|l| l.query.matches(job))
    }

    /// Marks every job the policy locks; a job template's own `locked: true` stays.
    pub fn lock(&self, g: &mut TaskGraph) {
        for (job, meta) in g.jobs.iter_mut().zip(g.meta.iter_mut()) {
            if let Some(lock) = self.lock_of(job) {
                job.locked = true;
                meta.locked_by = Some(lock.span);
            }
        }
    }
}

/// The worker pool a job names, if it names one.
pub fn pool_of(job: &Job) -> Option<&str> {
    job.worker.as_ref()?.get("pool")?.as_str()
}
