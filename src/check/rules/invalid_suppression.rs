//! `invalid-suppression`: a suppression that names no rule, or one lint may not hide. Found
//! by `lint` as it reads `# taskgen:` comments and the config's `lint:` section.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::INVALID_SUPPRESSION,
    severity: Severity::Error,
    summary: "a suppression names no rule, or a rule that is an error",
    docs: r#"## What it does

Reports `# taskgen: ignore[...]` comments and entries of the config's `lint:` section (`ignore`,
`per_path_ignores`, `severity`) that name no rule (with the nearest name), that name a rule
whose findings are errors, or that are not a directive taskgen knows (`# taskgen: ignroe[...]`),
and `per_path_ignores` globs that do not compile. Only `taskgen lint` reads suppressions, so
only it reports them.

## Why it matters

A misspelt suppression hides nothing, and says it does. Errors are what `taskgen generate`
refuses: hiding one from lint would only move the failure to the decision step, so only
warnings can be ignored, and a severity can only make a warning an error.

## Example

```yaml
jobs:
  # taskgen: ignore[unused-job-templat]   # did you mean `unused-job-template`?
  legacy-build: {kind: build, command: [true]}
```
"#,
    check: Check::Stage("lint"),
};
