//! `template-syntax`: a template does not parse. Found by the `render` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::TEMPLATE_SYNTAX,
    severity: Severity::Error,
    summary: r#"a template does not parse"#,
    docs: r#"## What it does

Reports template strings that minijinja cannot compile, pointing at the character where parsing failed. All are reported before expansion starts.

## Why it matters

A broken template breaks every job that uses it.

## Example

```yaml
command: [build, "{{ platform | }}"]
```
"#,
    check: Check::Stage("render"),
};
