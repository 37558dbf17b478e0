//! `undefined-variable`: a template uses a variable that is not defined there. Found by the `render` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNDEFINED_VARIABLE,
    severity: Severity::Error,
    summary: r#"a template uses a variable that is not defined there"#,
    docs: r#"## What it does

Reports variables and attributes that are undefined where the template is rendered, listing the variables that are. A job template sees only `branch`, `params`, its declared parameters, `chunk` and `total_chunks`.

## Why it matters

An undefined variable would otherwise render as an empty string: `build-` instead of `build-linux64`.

## Example

```yaml
command: [build, "--platform={{ platfrom }}"]
```
"#,
    check: Check::Stage("render"),
};
