//! `unused-suppression`: a suppression that suppresses nothing. Found by `lint` once every
//! finding is in.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNUSED_SUPPRESSION,
    severity: Severity::Warning,
    summary: "a suppression that suppresses nothing",
    docs: r#"## What it does

Reports each rule of a `# taskgen: ignore[...]` comment that no finding on its line or the line
below had, and each `per_path_ignores` glob of the config's `lint:` section that matches no
definitions file.

Reported only when every branch and trigger generated: a finding of a failing one is unknown.

## Why it matters

A suppression outlives the finding it was written for: once the template is used again or the
key read, the comment only keeps the next real finding on that line from being seen.

## Example

```yaml
jobs:
  # taskgen: ignore[unused-job-template]   # but a graph places `build` now
  build: {kind: build, command: [true]}
```
"#,
    check: Check::Stage("lint"),
};
