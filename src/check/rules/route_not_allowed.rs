//! `route-not-allowed`: a job uses a route its branch's trust level is not granted.

use super::scope_not_allowed::ungranted;
use crate::check::{Check, GraphContext, Rule};
use crate::diag::{self, Diagnostic, Severity};

pub static RULE: Rule = Rule {
    code: diag::ROUTE_NOT_ALLOWED,
    severity: Severity::Error,
    summary: "a job's route is not granted to its branch's trust level",
    docs: r#"## What it does

When the policy has `trust_levels`, reports every route of a job that matches none
of the `routes` globs of the branch's trust level (as capped by the policy). A trust level the
policy does not list is granted nothing. A job's routes are what it is submitted with: its own
`routes` and the notify routes (`notify.irc-channel.<target>.on-failed`, ...) that the
notifications watching it put on it.

## Why it matters

Routes publish a task: to Treeherder, and to the index that downloads and updates look builds
up in. A try push that indexes its build under a release branch's name gets it served as that
branch's build.

## Example

```yaml
# policy
trust_levels:
  1: {routes: ["tc-treeherder.v2.try"]}
# a job on try (level 1)
routes: ["index.gecko.v2.mozilla-central.latest.firefox.linux64-opt"]
```
"#,
    check: Check::Graph(check),
};

fn check(cx: &GraphContext) -> Vec<Diagnostic> {
    ungranted(
        cx,
        &RULE,
        "routes",
        |cx, j| cx.routes(j),
        |g| g.routes.as_ref(),
    )
}
