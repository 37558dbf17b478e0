//! `unused-graph`: a graph no branch ever expands.

use crate::check::{Check, Rule, TreeContext};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::UNUSED_GRAPH,
    severity: Severity::Warning,
    summary: "a graph no trigger of any branch expands",
    docs: r#"## What it does

Reports graphs that are expanded in no branch and trigger: neither a trigger's root graph nor
included (with a true `when`) by one.

Reported only when every branch and trigger generated: what a failing one would have used is
unknown.

## Why it matters

A graph that never runs is dead code, or a bug: often an include whose `when` is false
everywhere.

## Example

```yaml
graph: xulrunner   # no branch triggers it, no graph includes it
```
"#,
    check: Check::Tree(check),
};

fn check(cx: &TreeContext) -> Vec<Diagnostic> {
    cx.defs
        .graphs
        .values()
        .filter(|g| !cx.usage.graphs.contains(&g.name.value))
        .map(|g| {
            RULE.finding(format!("graph `{}` is never expanded", g.name.value))
                .at(g.name.span, "no trigger of any branch reaches this graph")
                .help("remove it, include it, or make a branch's trigger start it")
        })
        .collect()
}
