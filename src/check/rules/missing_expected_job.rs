//! `missing-expected-job`: a graph test expects a job that is not in the graph.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::MISSING_EXPECTED_JOB,
    severity: Severity::Error,
    summary: "a graph test expects a job that is not in the graph",
    docs: r#"## What it does

Reports each query in a test's `present:` list that matches no job of the generated graph.

## Why it matters

A job that silently disappears (a platform dropped from a list, a `when:` that no longer
holds) is a job that stops running. Saying it must be there turns that into a failing test.

## Example

```yaml
# taskgraph/tests/*.yml, run by `taskgen test`
tests:
  - name: linux64 debug builds run on every push
    branches: [mozilla-inbound]
    expect:
      - present: [build-linux64-debug]
```
"#,
    check: Check::Stage("test"),
};
