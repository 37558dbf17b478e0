//! Template fuel for a whole run. minijinja bounds each evaluation (`PER_EVALUATION`); a run
//! of millions of evaluations must be bounded too, and the bound must not depend on how the
//! work was spread over threads. So each evaluation's cost is counted on the thread doing it,
//! within a [`budgeted`] scope (the run, or one job combination rendered in parallel, whose
//! cost its caller adds in order), and a value kept by a cache costs every reader what it cost
//! to compute: the total is the same however the work was scheduled.

use std::cell::Cell;

use minijinja::{Environment, State, Value};

/// What one evaluation may spend: a template that loops forever runs out of this instead.
pub const PER_EVALUATION: u64 = 200_000;

/// What the evaluations of one graph may spend unless [`crate::budget`] says otherwise (and
/// what evaluations outside any graph, such as settings, may): templates at minijinja's
/// slowest for some 13 seconds, or about 1 GB of rendered values; the 100,000-job benchmark
/// spends a quarter of it.
pub const PER_GRAPH: u64 = crate::budget::DEFAULT_GRAPH_FUEL;

/// What one unit of minijinja's fuel (about one instruction) costs: some 40 ns of CPU, while
/// a byte of value costs a nanosecond or two to make, so that the budget bounds time as well
/// as memory.
pub const PER_OP: u64 = 2;

/// What a rendered value costs beyond its bytes: about what one value and its place in a
/// list or map take in memory, so that the budget bounds memory, not only text.
pub const PER_VALUE: u64 = 48;

/// The function every compiled expression is wrapped in, to learn what it spent.
pub(super) const PROBE: &str = "__taskgen_fuel_spent";

thread_local! {
    /// Spent in the current [`budgeted`] scope of this thread.
    static SPENT: Cell<u64> = const { Cell::new(0) };
    /// What the current scope may spend.
    static LIMIT: Cell<u64> = const { Cell::new(PER_GRAPH) };
    /// What the last probed expression spent.
    static PROBED: Cell<u64> = const { Cell::new(0) };
}

/// The budget ran out.
#[derive(Debug)]
pub struct Exhausted;

/// Runs `f` with a budget of `limit`, returning what it spent. Scopes nest (a thread waiting
/// on parallel work may run another run's work meanwhile): the outer scope's count is kept.
pub fn budgeted<R>(limit: u64, f: impl FnOnce() -> R) -> (R, u64) {
    let (spent, outer_limit) = (SPENT.replace(0), LIMIT.replace(limit));
    let r = f();
    let used = SPENT.replace(spent);
    LIMIT.set(outer_limit);
    (r, used)
}

/// Runs `f` within what the current scope has left, and charges the scope what it spent (its
/// running out shows in what `f` returns).
pub fn nested<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let (r, cost) = budgeted(left(), f);
    let _ = charge(cost);
    (r, cost)
}

/// What the current scope has left.
pub fn left() -> u64 {
    LIMIT.get().saturating_sub(SPENT.get())
}

/// Counts `cost` against the current scope.
pub fn charge(cost: u64) -> Result<(), Exhausted> {
    let total = SPENT.get().saturating_add(cost);
    SPENT.set(total);
    if total > LIMIT.get() {
        Err(Exhausted)
    } else {
        Ok(())
    }
}

/// Counts `units` of minijinja's fuel against the current scope.
pub fn charge_ops(units: u64) -> Result<(), Exhausted> {
    charge(units.saturating_mul(PER_OP))
}

/// Whether the current scope can still afford an evaluation.
pub fn check() -> Result<(), Exhausted> {
    charge(0)
}

pub(super) fn install(env: &mut Environment) {
    env.set_fuel(Some(PER_EVALUATION));
    env.add_function(PROBE, |state: &State, v: Value| {
        PROBED.set(state.fuel_levels().map_or(0, |(used, _)| used));
        v
    });
}

/// Runs a probed expression, returning what it spent: all of an evaluation's fuel when it
/// failed (it may have spent that before failing).
pub(super) fn probed<T, E>(f: impl FnOnce() -> Result<T, E>) -> (Result<T, E>, u64) {
    PROBED.set(0);
    let r = f();
    let cost = if r.is_ok() {
        PROBED.get()
    } else {
        PER_EVALUATION
    };

    (r, cost)
}

/// The bytes of a value's strings and keys, and [`PER_VALUE`] for each value inside it (the
/// value itself is paid for by [`super::kept::pay_for`]).
pub fn weight(v: &Value) -> u64 {
    use minijinja::value::ValueKind;
    let inner = |v: &Value| PER_VALUE + weight(v);
    match v.kind() {
        ValueKind::String => v.as_str().map_or(0, |s| s.len() as u64),
        ValueKind::Seq | ValueKind::Iterable => v
            .try_iter()
            .into_iter()
            .flatten()
            .map(|item| inner(&item))
            .sum(),
        ValueKind::Map => v
            .try_iter()
            .into_iter()
            .flatten()
            .map(|k| inner(&k) + v.get_item(&k).map_or(0, |item| inner(&item)))
            .sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_nest_and_keep_the_outer_count() {
        let ((inner, left), outer) = budgeted(100, || {
            charge(30).unwrap();
            let inner = budgeted(10, || charge(11)).1;
            (inner, left())
        });
        assert_eq!((inner, left, outer), (11, 70, 30));
        let (over, _) = budgeted(5, || charge(6));
        assert!(over.is_err());
    }
}
