//! `unknown-status`: a condition or result names an unknown status. Found by the `render` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNKNOWN_STATUS,
    severity: Severity::Error,
    summary: r#"a condition or result names an unknown status"#,
    docs: r#"## What it does

Reports statuses in `needs` conditions, `notify.on` and `result` that are not `success`, `warnings`, `failure`, `exception`, `cancelled`, `timed-out`, `skipped`, `finished` or `unsuccessful`.

## Why it matters

A misspelt status would make a dependency that can never be satisfied.

## Example

```yaml
needs: {build-linux: sucess}
```
"#,
    check: Check::Stage("render"),
};
