//! `yaml-limit`: a file is too large, too deeply nested, or expands too far. Found by the `load` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::YAML_LIMIT,
    severity: Severity::Error,
    summary: r#"a file is too large, too deeply nested, or expands too far"#,
    docs: r#"## What it does

Reports files over 16 MiB, nesting deeper than 128 levels, alias expansion past 2,000,000
values or 64 MiB in one file, and files that together hold more than 4,000,000 values or
128 MiB of alias copies.

## Why it matters

Hostile or generated input must produce an error, not a hang or an out-of-memory in CI or in the decision task.

## Example

```yaml
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]   # and so on: a billion laughs
```
"#,
    check: Check::Stage("load"),
};
