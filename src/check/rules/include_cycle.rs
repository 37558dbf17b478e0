//! `include-cycle`: graphs include each other in a cycle. Found by the `expand` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::INCLUDE_CYCLE,
    severity: Severity::Error,
    summary: r#"graphs include each other in a cycle"#,
    docs: r#"## What it does

Reports graphs that include themselves, directly or through other graphs, with every include of the cycle labelled.

## Why it matters

Expansion would never end.

## Example

```yaml
# a.yml
graph: a
include: [{graph: b}]
# b.yml
graph: b
include: [{graph: a}]
```
"#,
    check: Check::Stage("expand"),
};
