//! What one command may make. Each graph stays within its own limits (jobs, dependencies,
//! template fuel), and the graphs a command expands together stay within a run's total:
//! `lint` and `test` expand one graph per branch, trigger and test, so a tree of many small
//! branch files or graph tests would otherwise be unbounded however small each graph is.
//! `--max-jobs` scales every limit, for trusted trees larger than the defaults allow.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// Jobs in one graph by default: some 1.3 GB of memory at the built-in jobs' size, so that
/// `lint`, which expands two graphs at a time, stays within 4 GB.
pub const DEFAULT_MAX_JOBS: usize = 250_000;

/// Template fuel a graph may spend per job it may have.
const FUEL_PER_JOB: u64 = 4_000;

/// A default graph's fuel: 1,000,000,000.
pub const DEFAULT_GRAPH_FUEL: u64 = DEFAULT_MAX_JOBS as u64 * FUEL_PER_JOB;

/// What one graph may make, or what a run may make in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Jobs, milestones counted.
    pub jobs: usize,
    /// Dependency edges.
    pub edges: usize,
    /// Template fuel ([`crate::render::fuel`]): evaluations and rendered values.
    pub fuel: u64,
}

impl Limits {
    /// One graph's limits for `max_jobs` jobs: 16 dependencies a job, 4,000 fuel a job (the
    /// built-in jobs spend some 2,500).
    pub fn graph(max_jobs: usize) -> Limits {
        Limits {
            jobs: max_jobs,
            edges: max_jobs.saturating_mul(16),
            fuel: (max_jobs as u64).saturating_mul(FUEL_PER_JOB),
        }
    }

    /// A run's total: eight graphs' jobs and dependencies, and three graphs' fuel, which is
    /// what bounds the time a run takes (at most some 13 s of templates per graph's fuel; the
    /// eight 100,000-job graphs `lint` expands for the synthetic benchmark spend two thirds
    /// of it, in 10 s).
    pub fn run(max_jobs: usize) -> Limits {
        let graph = Limits::graph(max_jobs);
        Limits {
            jobs: graph.jobs.saturating_mul(8),
            edges: graph.edges.saturating_mul(8),
            fuel: graph.fuel.saturating_mul(3),
        }
    }
}

static MAX_JOBS: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_JOBS);

/// Sets the job limit budgets made from now on scale from (`--max-jobs`).
pub fn set_max_jobs(n: usize) {
    MAX_JOBS.store(n.max(1), Ordering::Relaxed);
}

/// What one graph may have in jobs (`--max-jobs`).
pub fn max_jobs() -> usize {
    MAX_JOBS.load(Ordering::Relaxed)
}

/// One run's budget: the limits, and what the graphs expanded so far spent of the total.
#[derive(Debug)]
pub struct Budget {
    pub graph: Limits,
    pub run: Limits,
    jobs: AtomicUsize,
    edges: AtomicUsize,
    fuel: AtomicU64,
    /// A graph stopped at what was left of the run's total rather than at its own limit.
    cut: AtomicBool,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(max_jobs())
    }
}

/// The limits a graph expands within: its own, or what is left of the run's total where that
/// is less.
#[derive(Debug, Clone, Copy)]
pub struct Share<'b> {
    pub limits: Limits,
    graph: Limits,
    run: Limits,
    /// Set when a limit this share reached was the run's.
    cut: &'b AtomicBool,
}

/// Which limit was reached.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Jobs,
    Edges,
    Fuel,
}

impl Share<'_> {
    fn by_run(&self, kind: Kind) -> bool {
        let of = |l: &Limits| match kind {
            Kind::Jobs => l.jobs as u64,
            Kind::Edges => l.edges as u64,
            Kind::Fuel => l.fuel,
        };
        of(&self.limits) < of(&self.graph)
    }

    /// What is over, in the words of whichever limit it is: the graph's own, or the run's
    /// (which the budget then remembers).
    pub fn over(&self, kind: Kind) -> String {
        let run = self.by_run(kind);
        if run {
            self.cut.store(true, Ordering::Relaxed);
        }
        let (l, graph, together) = if run {
            (&self.run, "the graphs this command expands", " together")
        } else {
            (&self.graph, "the graph", "")
        };
        let has = if run { "have" } else { "has" };
        match kind {
            Kind::Jobs => format!(
                "{graph} {has}{together} more than {} jobs (milestones counted)",
                l.jobs
            ),
            Kind::Edges => format!(
                "{graph} {has}{together} more than {} dependencies (a glob counting each label it is matched against)",
                l.edges
            ),
            Kind::Fuel => format!(
                "the templates and rendered values of {graph} need{together} more than {} fuel",
                l.fuel
            ),
        }
    }

    /// Advice for a limit reached: `specific` for the graph's own.
    pub fn help(&self, kind: Kind, specific: &str) -> String {
        if self.by_run(kind) {
            "this command expands one graph per branch, trigger and test: check fewer of them (`--branch`, `--filter`), or raise every limit with `--max-jobs` for a tree you trust".to_owned()
        } else {
            format!("{specific} (`--max-jobs` raises every limit, for a tree you trust)")
        }
    }
}

impl Budget {
    pub fn new(max_jobs: usize) -> Budget {
        Budget {
            graph: Limits::graph(max_jobs),
            run: Limits::run(max_jobs),
            jobs: AtomicUsize::new(0),
            edges: AtomicUsize::new(0),
            fuel: AtomicU64::new(0),
            cut: AtomicBool::new(false),
        }
    }

    /// The limits the next graph expands within.
    pub fn share(&self) -> Share<'_> {
        let left = Limits {
            jobs: self
                .run
                .jobs
                .saturating_sub(self.jobs.load(Ordering::Relaxed)),
            edges: self
                .run
                .edges
                .saturating_sub(self.edges.load(Ordering::Relaxed)),
            fuel: self
                .run
                .fuel
                .saturating_sub(self.fuel.load(Ordering::Relaxed)),
        };
        let limits = Limits {
            jobs: self.graph.jobs.min(left.jobs),
            edges: self.graph.edges.min(left.edges),
            fuel: self.graph.fuel.min(left.fuel),
        };
        Share {
            limits,
            graph: self.graph,
            run: self.run,
            cut: &self.cut,
        }
    }

    /// Whether the graphs so far needed more than the run's total, in any of its limits: they
    /// made more (two graphs expanded at once, each within what was left when it started), or
    /// one stopped at what was left. Which graph that was depends on the order graphs ran in;
    /// whether it happened does not: when the graphs' needs, each capped at a graph's limits,
    /// add up to at most the total, each graph starts with at least what it needs left.
    pub fn overspent(&self) -> bool {
        self.cut.load(Ordering::Relaxed)
            || self.jobs.load(Ordering::Relaxed) > self.run.jobs
            || self.edges.load(Ordering::Relaxed) > self.run.edges
            || self.fuel.load(Ordering::Relaxed) > self.run.fuel
    }

    /// Counts what a graph spent against the run's total.
    pub fn spend(&self, spent: Limits) {
        self.jobs.fetch_add(spent.jobs, Ordering::Relaxed);
        self.edges.fetch_add(spent.edges, Ordering::Relaxed);
        self.fuel.fetch_add(spent.fuel, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphs_share_what_the_run_has_left() {
        let b = Budget::new(100);
        assert!(!b.share().by_run(Kind::Jobs));
        assert_eq!(b.share().limits, Limits::graph(100));
        b.spend(Limits {
            jobs: 750,
            edges: 0,
            fuel: 0,
        });
        let share = b.share();
        assert!(share.by_run(Kind::Jobs) && !share.by_run(Kind::Fuel));
        share.over(Kind::Fuel);
        assert!(
            !b.overspent(),
            "the graph's own fuel limit is not the run's"
        );
        assert!(share.over(Kind::Jobs).contains("more than 800 jobs"));
        assert!(b.overspent(), "a graph stopped at what the run had left");
        assert_eq!(share.limits.jobs, 50);
        assert_eq!(share.limits.fuel, Limits::graph(100).fuel);
        b.spend(Limits {
            jobs: 100,
            edges: 0,
            fuel: 0,
        });
        assert_eq!(b.share().limits.jobs, 0);
    }
}
