//! `wrong-type`: a value of the wrong type. Found by the `render` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::WRONG_TYPE,
    severity: Severity::Error,
    summary: r#"a value of the wrong type"#,
    docs: r#"## What it does

Reports values whose type does not fit their key or declared parameter: a string where a number is needed, a scalar where a list is.

## Why it matters

A wrong type would otherwise be coerced or dropped at submission, far from the line that caused it.

## Example

```yaml
jobs:
  build:
    kind: build
    retries: many
```
"#,
    check: Check::Stage("render"),
};
