//! `unknown-job`: a node names an unknown job template. Found by the `expand` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNKNOWN_JOB,
    severity: Severity::Error,
    summary: r#"a node names an unknown job template"#,
    docs: r#"## What it does

Reports a node whose `job` is not a defined job template, with the closest name.

## Why it matters

The node cannot be placed.

## Example

```yaml
- {name: build-linux, job: biuld}
```
"#,
    check: Check::Stage("expand"),
};
