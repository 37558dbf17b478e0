//! `dependency-cycle`: jobs wait for each other in a cycle. Found by the `graph` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::DEPENDENCY_CYCLE,
    severity: Severity::Error,
    summary: r#"jobs wait for each other in a cycle"#,
    docs: r#"## What it does

Reports every cycle of dependencies, each as a path starting at its smallest label, with every edge of it labelled at the `needs` that made it.

## Why it matters

No job of a cycle can ever start, and the queue rejects the graph.

## Example

```yaml
- {name: build, job: build, needs: test}
- {name: test, job: test, needs: build}
```
"#,
    check: Check::Stage("graph"),
};
