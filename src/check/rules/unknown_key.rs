//! `unknown-key`: a key the format does not know. Found by the `defs` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNKNOWN_KEY,
    severity: Severity::Error,
    summary: r#"a key the format does not know"#,
    docs: r#"## What it does

Reports keys of config, job templates, graphs, includes, nodes and triggers that the format does not define, with the closest known key; for a mapping a template renders (`notify`), once it is rendered.

## Why it matters

A misspelt key (`comand:`) is otherwise ignored, and the job silently runs without it.

## Example

```yaml
jobs:
  build:
    kind: build
    comand: [mach, build]   # did you mean `command`?
```
"#,
    check: Check::Stage("defs"),
};
