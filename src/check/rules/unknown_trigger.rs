//! `unknown-trigger`: the branch does not define the requested trigger. Found by the `branch` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNKNOWN_TRIGGER,
    severity: Severity::Error,
    summary: r#"the branch does not define the requested trigger"#,
    docs: r#"## What it does

Reports a `generate --trigger` the branch defines no root graph for, naming the triggers it does define.

## Why it matters

Asking for a nightly graph on a branch without nightlies must not silently produce an empty graph.

## Example

```text
taskgen generate --branch mozilla-inbound --trigger nightly
```
"#,
    check: Check::Stage("branch"),
};
