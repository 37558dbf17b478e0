//! `graph-activity-mismatch`: a graph test expects a subgraph to be active (or inactive), and it is not, or is missing.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::GRAPH_ACTIVITY_MISMATCH,
    severity: Severity::Error,
    summary: "a graph test expects a subgraph to be active (or inactive), and it is not, or is missing",
    docs: r#"## What it does

For `active: [paths]` and `inactive: [paths]` (globs over subgraph paths such as
`per-checkin/pgo`), reports a glob that matches no subgraph, and every matching subgraph whose
activity is not the one expected.

## Why it matters

Whether a subgraph runs is a branch decision (PGO per push on release branches, periodic on
integration branches, only when asked on try) that lives in a `when:` or `active:` expression.
A test states the decision where reviewers can read it.

## Example

```yaml
# taskgraph/tests/*.yml, run by `taskgen test`
tests:
  - name: try builds PGO only when asked
    branches: [try]
    expect:
      - inactive: [per-checkin/pgo]
```
"#,
    check: Check::Stage("test"),
};
