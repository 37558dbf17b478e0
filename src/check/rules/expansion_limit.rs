//! `expansion-limit`: a matrix or the whole graph is too large. Found by the `expand` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::EXPANSION_LIMIT,
    severity: Severity::Error,
    summary: r#"a matrix or the whole graph is too large"#,
    docs: r#"## What it does

Reports a `for` with more than 1,000,000 combinations, and graphs past 2,000,000 jobs.

## Why it matters

A runaway matrix must fail fast instead of exhausting memory.

## Example

```yaml
for: {a: "{{ range(1000) }}", b: "{{ range(1000) }}"}
```
"#,
    check: Check::Stage("expand"),
};
