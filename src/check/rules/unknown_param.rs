//! `unknown-param`: a parameter the template or graph does not declare. Found by the `expand` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNKNOWN_PARAM,
    severity: Severity::Error,
    summary: r#"a parameter the template or graph does not declare"#,
    docs: r#"## What it does

Reports `params:` on a node or include that names a parameter the job template or graph does not declare.

## Why it matters

The value would be ignored, and the job would run with the default instead.

## Example

```yaml
- name: build-linux
  job: build
  params: {build_typ: opt}
```
"#,
    check: Check::Stage("expand"),
};
