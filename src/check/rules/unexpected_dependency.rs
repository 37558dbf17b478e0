//! `unexpected-dependency`: a graph test expects jobs not to depend on others, and some do.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNEXPECTED_DEPENDENCY,
    severity: Severity::Error,
    summary: "a graph test expects jobs not to depend on others, and some do",
    docs: r#"## What it does

For `not_depends: {jobs, on, direct, same}`, reports when some job matching `jobs` does
depend on a job matching `on` (directly with `direct: true`, else through any path).

## Why it matters

Some dependencies are mistakes that still produce a valid graph: a release job that waits
on a per-push build, a quick lint job held up by a three-hour PGO build.

## Example

```yaml
# taskgraph/tests/*.yml, run by `taskgen test`
tests:
  - name: release jobs never wait on per-push builds
    branches: [mozilla-release]
    triggers: [manual]
    expect:
      - not_depends: {jobs: "graph=release", on: "kind=build"}
```
"#,
    check: Check::Stage("test"),
};
