//! `count-mismatch`: a graph test expects a number of jobs matching a query, and finds another.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::COUNT_MISMATCH,
    severity: Severity::Error,
    summary: "a graph test expects a number of jobs matching a query, and finds another",
    docs: r#"## What it does

For `count: {jobs, equals}` (or `min` and `max`), reports when the number of jobs matching
the query is not what the test says, with the number found.

## Why it matters

Chunk counts are capacity decisions: mochitest in 5 chunks on linux64 opt was agreed with
the people who own the test machines. A count keeps an edit to a `by-*` table from changing
them unnoticed.

## Example

```yaml
# taskgraph/tests/*.yml, run by `taskgen test`
tests:
  - name: mochitest has 5 chunks on linux64 opt
    branches: [mozilla-inbound]
    expect:
      - count: {jobs: "suite=mochitest test_platform=ubuntu64_vm build_type=opt", equals: 5}
```
"#,
    check: Check::Stage("test"),
};
