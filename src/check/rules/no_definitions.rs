//! `no-definitions`: no definitions root, `config.yml` or `generic.yml`. Found by the `load` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::NO_DEFINITIONS,
    severity: Severity::Error,
    summary: r#"no definitions root, `config.yml` or `generic.yml`"#,
    docs: r#"## What it does

Reports a tree without `taskgraph/config.yml` or `branches/generic.yml`, or a root with no definitions at all.

## Why it matters

Every branch starts from `generic.yml` and every job from the config's defaults; without them nothing can be generated.

## Example

```text
taskgraph/config.yml   (missing)
```
"#,
    check: Check::Stage("load"),
};
