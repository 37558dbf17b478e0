//! `missing-key`: a required key is absent. Found by the `defs` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::MISSING_KEY,
    severity: Severity::Error,
    summary: r#"a required key is absent"#,
    docs: r#"## What it does

Reports definitions without a key they need: a task template without `kind`, a node without `name`, a graph file without `graph`.

## Why it matters

Without it taskgen cannot tell what the job or graph is.

## Example

```yaml
jobs:
  build:
    command: [mach, build]   # no `kind`
```
"#,
    check: Check::Stage("defs"),
};
