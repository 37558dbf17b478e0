//! `taskgen simulate`: what a generated graph does when given jobs fail, breakpoints are or are
//! not approved, and jobs take as long as they take. Every job not named ends as a dummy would,
//! `success`, after its expected duration. Played under taskgen's own conditions, or under
//! Taskcluster's after lowering, with where the two differ (docs/simulate.md).

mod play;
pub mod report;
mod run;
pub mod scenario;

pub use play::{Played, Rules};
pub use report::Report;
pub use run::DEFAULT_TASK_S;
pub use scenario::{Given, Outcome, Scenario};

use crate::graph::TaskGraph;

/// Plays the graph under `rules` (and, under Taskcluster's, under taskgen's as well, to tell
/// where they differ). `start_ms`: when the graph starts, for timers set to a time.
pub fn simulate(g: &TaskGraph, scenario: &Scenario, rules: Rules, start_ms: i64) -> Report {
    let played = play::play(g, scenario, rules, start_ms);
    let baseline =
        (rules == Rules::Taskcluster).then(|| play::play(g, scenario, Rules::Taskgen, start_ms));
    Report::new(g, rules, played, baseline.as_deref())
}
