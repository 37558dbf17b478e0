//! `unknown-graph`: an include or trigger names an unknown graph. Found by the `expand` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNKNOWN_GRAPH,
    severity: Severity::Error,
    summary: r#"an include or trigger names an unknown graph"#,
    docs: r#"## What it does

Reports includes and branch triggers naming a graph that is not defined.

## Why it matters

The subgraph, or the whole trigger, would be missing.

## Example

```yaml
include:
  - graph: pgp   # did you mean `pgo`?
```
"#,
    check: Check::Stage("expand"),
};
