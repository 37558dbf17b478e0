//! `duplicate-key`: a key appears twice in one mapping. Found by the `load` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::DUPLICATE_KEY,
    severity: Severity::Error,
    summary: r#"a key appears twice in one mapping"#,
    docs: r#"## What it does

Reports a mapping that holds the same key twice, pointing at both.

## Why it matters

Most YAML parsers silently keep the last value, so the first one looks effective in review while it is not.

## Example

```yaml
build:
  kind: build
  kind: test
```
"#,
    check: Check::Stage("load"),
};
