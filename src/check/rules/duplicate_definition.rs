//! `duplicate-definition`: two job templates or graphs with one name. Found by the `defs` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::DUPLICATE_DEFINITION,
    severity: Severity::Error,
    summary: r#"two job templates or graphs with one name"#,
    docs: r#"## What it does

Reports a job template or graph whose name is already defined, in the same file or another.

## Why it matters

Names are global; with two definitions, which one a graph uses would depend on file order.

## Example

```yaml
# taskgraph/jobs/a.yml and taskgraph/jobs/b.yml both define
jobs:
  build: {kind: build}
```
"#,
    check: Check::Stage("defs"),
};
