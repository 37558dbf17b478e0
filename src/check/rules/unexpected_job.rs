//! `unexpected-job`: a graph test expects no job matching a query, and some match.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNEXPECTED_JOB,
    severity: Severity::Error,
    summary: "a graph test expects no job matching a query, and some match",
    docs: r#"## What it does

Reports each query in a test's `absent:` list that matches jobs, with the first labels found.

## Why it matters

Some jobs must never appear on some branches: signing on try, nightlies on integration
branches. A test keeps a refactoring of the graphs from bringing them in.

## Example

```yaml
# taskgraph/tests/*.yml, run by `taskgen test`
tests:
  - name: no signing on try
    branches: [try]
    triggers: [push, nightly]
    expect:
      - absent: ["kind=signing", "kind=balrog"]
```
"#,
    check: Check::Stage("test"),
};
