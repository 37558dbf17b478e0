//! `missing-dependency`: `needs` names a label that does not exist. Found by the `graph` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::MISSING_DEPENDENCY,
    severity: Severity::Error,
    summary: r#"`needs` names a label that does not exist"#,
    docs: r#"## What it does

Reports `needs` entries whose label matches no job, with the nearest existing labels.

## Why it matters

The job would wait for nothing, or never start.

## Example

```yaml
needs: {build-linux64-opt: success}   # the build is labelled build-linux64
```
"#,
    check: Check::Stage("graph"),
};
