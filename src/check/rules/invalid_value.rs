//! `invalid-value`: a value outside its domain. Found by the `render` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::INVALID_VALUE,
    severity: Severity::Error,
    summary: r#"a value outside its domain"#,
    docs: r#"## What it does

Reports durations, priorities, job types, notification channels and list edits that are not valid, and fields set on a job type they do not apply to.

## Why it matters

Each of these would be rejected at submission or silently ignored.

## Example

```yaml
max_runtime: 2 hours   # write `2h`
```
"#,
    check: Check::Stage("render"),
};
