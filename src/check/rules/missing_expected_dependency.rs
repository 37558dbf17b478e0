//! `missing-expected-dependency`: a graph test expects jobs to depend on others, and some do not.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::MISSING_EXPECTED_DEPENDENCY,
    severity: Severity::Error,
    summary: "a graph test expects jobs to depend on others, and some do not",
    docs: r#"## What it does

For `depends: {jobs, on, direct, same}`, reports when some job matching `jobs` does not
depend on a job matching `on` (directly with `direct: true`, else through any path), where the
two agree on every attribute listed in `same`. It names how many fail and the first of them.

## Why it matters

Ordering is what makes a graph correct: a test that starts before its build finishes
tests nothing, or the wrong build. `same: [platform, build_type]` says "its own build", not
just any build.

## Example

```yaml
# taskgraph/tests/*.yml, run by `taskgen test`
tests:
  - name: every test waits for its build
    expect:
      - depends: {jobs: "kind=test", on: "kind=build", same: [platform, build_type]}
```
"#,
    check: Check::Stage("test"),
};
