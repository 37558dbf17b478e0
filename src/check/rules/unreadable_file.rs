//! `unreadable-file`: a definitions file cannot be read. Found by the `load` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNREADABLE_FILE,
    severity: Severity::Error,
    summary: r#"a definitions file cannot be read"#,
    docs: r#"## What it does

Reports a file that cannot be read: missing permissions, not UTF-8, or a symlink that leads outside the definitions root.

## Why it matters

taskgen must see every definition to decide what runs; a file it cannot read would silently drop jobs. Files outside the root would let a change reach definitions nobody reviews with the tree.

## Example

```text
branches/generic.yml: bytes 0xff 0xfe (not UTF-8)
```
"#,
    check: Check::Stage("load"),
};
