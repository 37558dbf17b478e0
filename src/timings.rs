//! Per-stage wall times on stderr when `TASKGEN_TIMINGS` is set: where a slow run spends its
//! time, without a profiler (docs/performance.md).

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("TASKGEN_TIMINGS").is_some())
}

/// Runs `f`, and reports how long it took as `stage` when timings are on.
pub fn time<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    eprintln!(
        "timing: {stage:<12} {:>9.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    out
}

/// Reports a count (the template fuel a graph spent) when timings are on.
pub fn count(what: &str, n: u64) {
    if enabled() {
        eprintln!("count:  {what:<12} {n:>11}");
    }
}
