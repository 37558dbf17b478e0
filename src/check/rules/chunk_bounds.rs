//! `chunk-bounds`: chunk counts out of bounds. Found by the `expand` stage.

use crate::check::{Check, Rule};
use crate::diag::{self, Severity};

pub static RULE: Rule = Rule {
    code: diag::CHUNK_BOUNDS,
    severity: Severity::Error,
    summary: r#"chunk counts out of bounds"#,
    docs: r#"## What it does

Reports `chunks` of zero or above 1,000, dynamic chunks with `min` above `max` or below 1, and counts outside `min..=max`.

## Why it matters

A suite with zero chunks silently does not run; a count outside its bounds breaks the test harness's sharding.

## Example

```yaml
chunks: {min: 4, max: 2}
```
"#,
    check: Check::Stage("expand"),
};
