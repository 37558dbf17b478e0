//! `undeclared-parameter`: a template reads a run parameter that `parameters:` does not declare.
//! Found by the `defs` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNDECLARED_PARAMETER,
    severity: Severity::Error,
    summary: r#"a template reads a run parameter that `parameters:` does not declare"#,
    docs: r#"## What it does

Reports every `params.x` (or `params['x']`) in a job or graph template whose name is not
declared in `parameters:` of `taskgraph/config.yml`, in every file, whichever branch uses it,
with the nearest declared names.

## Why it matters

A misspelt parameter (`params.js_src_chnaged`) reads as undefined, and with a `default()` the
graph silently ignores what the decision step passed. Declaring every parameter, with its type
and default, also lets `--param` and `--params` reject a misspelt or mistyped value.

## Example

```yaml
# taskgraph/config.yml
parameters:
  js_src_changed: {type: boolean, default: false}
# a graph
active: "{{ params.js_src_chnaged }}"
```
"#,
    check: Check::Stage("defs"),
};
