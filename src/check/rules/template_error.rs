//! `template-error`: a template fails while it is evaluated. Found by the `render` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::TEMPLATE_ERROR,
    severity: Severity::Error,
    summary: r#"a template fails while it is evaluated"#,
    docs: r#"## What it does

Reports templates that fail at evaluation: a filter on the wrong type, a division by zero, or a loop that runs out of its evaluation budget.

## Why it matters

A template must finish quickly and deterministically for every push.

## Example

```yaml
description: "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
```
"#,
    check: Check::Stage("render"),
};
