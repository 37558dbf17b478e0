//! `missing-param`: a declared parameter gets no value. Found by the `expand` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::MISSING_PARAM,
    severity: Severity::Error,
    summary: r#"a declared parameter gets no value"#,
    docs: r#"## What it does

Reports a job template or graph parameter that is not given (in `params:`, the matrix or the graph's parameters) and has no default.

## Why it matters

A template cannot render without it.

## Example

```yaml
- name: build
  job: build   # declares `platform`, which nothing gives
```
"#,
    check: Check::Stage("expand"),
};
