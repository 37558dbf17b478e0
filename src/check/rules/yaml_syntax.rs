//! `yaml-syntax`: invalid YAML. Found by the `load` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::YAML_SYNTAX,
    severity: Severity::Error,
    summary: r#"invalid YAML"#,
    docs: r#"## What it does

Reports YAML that does not parse, a second document in one file, an alias to an unknown anchor, or a mapping key that is not a scalar.

## Why it matters

A file that does not parse defines nothing; the error points at the exact character so it can be fixed at once.

## Example

```yaml
nodes:
  - name: build
    job: build
   for: {platform: [linux]}   # indented one space too little
```
"#,
    check: Check::Stage("load"),
};
