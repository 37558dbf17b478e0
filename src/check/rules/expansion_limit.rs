//! `expansion-limit`: a matrix or the whole graph is too large. Found by the `expand` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::EXPANSION_LIMIT,
    severity: Severity::Error,
    summary: r#"a matrix or the whole graph is too large"#,
    docs: r#"## What it does

Reports a `for` with more than 1,000,000 combinations, a graph past 250,000 jobs, 4,000,000
dependencies or 1,000,000,000 template fuel, and a command (`lint`, `test`) whose graphs
together pass eight times those jobs and dependencies or three times that fuel. `--max-jobs N`
scales every one of these limits but the matrix's. The limits table of docs/format.md gives
each one.

## Why it matters

A runaway matrix, include or glob must fail fast, at the same job on every run, instead of
exhausting memory or taking minutes; a tree of many small branch files or graph tests must
not add up to an unbounded `lint`.

## Example

```yaml
for: {a: "{{ range(1000) }}", b: "{{ range(1000) }}"}
```
"#,
    check: Check::Stage("expand"),
};
