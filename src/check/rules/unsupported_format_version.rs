//! `unsupported-format-version`: `format_version` is not one this taskgen reads. Found by the `defs` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::FORMAT_VERSION,
    severity: Severity::Error,
    summary: r#"`format_version` is not one this taskgen reads"#,
    docs: r#"## What it does

Reports a `taskgraph/config.yml` without `format_version`, or with a version this taskgen does not read.

## Why it matters

A tree written for another version of the format may mean something else; failing loudly is safer than guessing.

## Example

```yaml
format_version: 7
```
"#,
    check: Check::Stage("defs"),
};
