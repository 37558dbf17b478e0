//! `test-checks-nothing`: a graph test cannot fail: it runs on no branch, or its query matches no job.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::TEST_CHECKS_NOTHING,
    severity: Severity::Error,
    summary: "a graph test cannot fail: it runs on no branch, or its query matches no job",
    docs: r#"## What it does

Reports a test whose `branches` glob matches no branch file, a test that runs nowhere (no
branch it names defines its triggers), and a `depends`/`not_depends` whose `jobs` query matches
no job.

## Why it matters

A test that checks nothing passes forever: after a rename, "every test waits for its build"
keeps passing with no tests at all.

## Example

```yaml
# taskgraph/tests/*.yml, run by `taskgen test`
tests:
  - name: every test waits for its build
    branches: [mozilla-inbund]        # matches no branch
    expect:
      - depends: {jobs: "kind=tst", on: "kind=build"}   # matches no job
```
"#,
    check: Check::Stage("test"),
};
