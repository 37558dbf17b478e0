//! Values kept once rendered (for the run, or for the chunks of one combination), and what
//! reading them costs.

use std::sync::OnceLock;

use minijinja::Value;

use super::{fuel, scope};
use crate::diag::{self, Diagnostic};
use crate::load::Span;

/// The value and JSON of a node that reads only `branch` and `params`, kept once rendered
/// (only when that succeeds: an error is reported where it happens, every time).
#[derive(Default)]
pub(super) struct Constant {
    pub(super) value: OnceLock<(Value, u64)>,
    pub(super) json: OnceLock<(serde_json::Value, u64)>,
}

/// Where renders of a node are kept.
pub(super) enum Kept<'s> {
    /// For the whole run.
    Run(&'s Constant),
    /// For the chunks of one node combination.
    Chunks(&'s scope::Memo, usize),
    No,
}

/// A kept value costs its reader the fuel it cost to compute: what a run spends does not
/// depend on which thread happened to compute it first.
fn reuse<T: Clone>((v, cost): &(T, u64), at: Span) -> Result<T, Diagnostic> {
    fuel::charge(*cost).map_err(|_| exhausted(at))?;
    Ok(v.clone())
}

fn computed<T>(f: impl FnOnce() -> Result<T, Diagnostic>) -> Result<(T, u64), Diagnostic> {
    let (v, cost) = fuel::nested(f);
    Ok((v?, cost))
}

/// Renders through wherever the node's renders are kept: `run` and `chunks` pick the slot
/// (the value's or the JSON's).
pub(super) fn through<T: Clone>(
    kept: Kept<'_>,
    at: Span,
    run: fn(&Constant) -> &OnceLock<(T, u64)>,
    chunks: fn(&mut scope::Rendered) -> &mut Option<(T, u64)>,
    f: impl FnOnce() -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    match kept {
        Kept::Run(c) => once(run(c), at, f),
        Kept::Chunks(m, key) => memo(m, key, at, chunks, f),
        Kept::No => f(),
    }
}

fn once<T: Clone>(
    cell: &OnceLock<(T, u64)>,
    at: Span,
    f: impl FnOnce() -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    if let Some(kept) = cell.get() {
        return reuse(kept, at);
    }
    let kept = computed(f)?;
    Ok(cell.get_or_init(|| kept).0.clone())
}

/// Not locked while rendering: a render may render other nodes.
fn memo<T: Clone>(
    m: &scope::Memo,
    at: usize,
    span: Span,
    slot: fn(&mut scope::Rendered) -> &mut Option<(T, u64)>,
    f: impl FnOnce() -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    let known = m
        .lock()
        .ok()
        .and_then(|mut m| slot(m.entry(at).or_default()).clone());
    if let Some(kept) = known {
        return reuse(&kept, span);
    }
    let kept = computed(f)?;
    if let Ok(mut m) = m.lock() {
        *slot(m.entry(at).or_default()) = Some(kept.clone());
    }
    Ok(kept.0)
}

/// Rendered values are paid for in fuel too, what they take in memory: a value copied into
/// every job costs every job.
pub(super) fn pay_for(bytes: u64, at: Span) -> Result<(), Diagnostic> {
    fuel::charge(fuel::PER_VALUE + bytes).map_err(|_| exhausted(at))
}

/// What running out of fuel says, until the expansion says whose fuel it was
/// ([`crate::budget::Share::over`]).
pub const FUEL_EXHAUSTED: &str = "templates and rendered values need more fuel than is left";

/// The run's template budget ran out.
pub(super) fn exhausted(at: Span) -> Diagnostic {
    Diagnostic::error(diag::EXPANSION_LIMIT, FUEL_EXHAUSTED)
    .at(at, "the budget ran out here")
    .help("every job pays for what it renders: a long value or a costly template in a job template costs that for every job")
}
