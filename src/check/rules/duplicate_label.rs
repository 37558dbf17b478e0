//! `duplicate-label`: two jobs with one label. Found by the `graph` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::DUPLICATE_LABEL,
    severity: Severity::Error,
    summary: r#"two jobs with one label"#,
    docs: r#"## What it does

Reports labels used by two jobs, pointing at both nodes and naming their graphs.

## Why it matters

Labels identify jobs in dependencies, selection and the output; two jobs with one label cannot both exist.

## Example

```yaml
- {name: build-linux, job: build, params: {platform: linux}}
- {name: build-linux, job: build, params: {platform: linux64}}
```
"#,
    check: Check::Stage("graph"),
};
