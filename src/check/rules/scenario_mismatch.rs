//! `scenario-mismatch`: a graph test's scenario, played by `taskgen simulate`, does not end as
//! the test expects.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::SCENARIO_MISMATCH,
    severity: Severity::Error,
    summary: "a graph test's scenario does not end as the test expects",
    docs: r#"## What it does

Plays a test's `scenario:` (outcomes, approvals, durations; docs/simulate.md) over each graph
the test runs on, and reports every `status`, `runs`, `ends` or `makespan` expectation that
does not hold, with the jobs that differ and why the first of them ended as it did.

## Why it matters

Conditions, request timeouts, breakpoints, timers and retries decide what a graph does when
something goes wrong, and nobody sees that until it goes wrong in production. A scenario
keeps "a failed build skips its tests and tells the sheriffs" true through every edit.

## Example

```yaml
# taskgraph/tests/*.yml, run by `taskgen test` and `taskgen lint`
tests:
  - name: a failed build skips its tests
    branches: [mozilla-inbound]
    scenario:
      outcomes: {build-linux64-opt: failure}
    expect:
      - status: {jobs: "kind=test platform=linux64 build_type=opt", is: skipped}
      - status: {jobs: builds-failed, is: success}
```
"#,
    check: Check::Stage("test"),
};
