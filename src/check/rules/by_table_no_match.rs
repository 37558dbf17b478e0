//! `by-table-no-match`: a `by-*` table has no entry for the value. Found by the `render` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::BY_TABLE_NO_MATCH,
    severity: Severity::Error,
    summary: r#"a `by-*` table has no entry for the value"#,
    docs: r#"## What it does

Reports `by-<var>` tables with no exact, glob or `default` entry for the variable's value, or with several matching globs.

## Why it matters

A table that does not cover a platform would give it no value at all.

## Example

```yaml
max_runtime: {by-platform: {linux: 1h, "mac*": 2h}}   # and win32?
```
"#,
    check: Check::Stage("render"),
};
