//! `files_changed: [globs]` on an include or a node: the subgraph or job runs only when the
//! push changed a file one of the globs matches (`--files-changed FILE`, `--changed-since REV`).
//! When the run does not know what changed, it runs, and stderr says how many did so.

use crate::diag::{self, Diagnostic};
use crate::glob::Glob;
use crate::load::Node;

/// What `files_changed` decided, for `explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touch {
    /// `glob` matched the changed file `path`.
    Matched { glob: String, path: String },
    /// No changed file matches.
    Untouched { globs: Vec<String> },
    /// The run was not told what changed.
    Unknown,
}

impl Touch {
    pub fn runs(&self) -> bool {
        !matches!(self, Touch::Untouched { .. })
    }

    /// A sentence for `explain`.
    pub fn describe(&self) -> String {
        match self {
            Touch::Matched { glob, path } => format!("the push changed `{path}` (`{glob}`)"),
            Touch::Untouched { globs } => format!(
                "the push changed no file matching {}",
                crate::diag::backticked(globs)
            ),
            Touch::Unknown => {
                "what the push changed is not known (no `--files-changed` or `--changed-since`), so it runs".to_owned()
            }
        }
    }
}

/// Reads `files_changed` and matches it against the changed files (`None`: not known).
pub fn touch(node: &Node, changed: Option<&[String]>) -> Result<Touch, Diagnostic> {
    let list = crate::defs::keys::string_list(node, "`files_changed`")?;
    if list.is_empty() {
        return Err(Diagnostic::error(
            diag::INVALID_VALUE,
            "`files_changed` lists no glob: nothing could ever match",
        )
        .at(node.span, "an empty list"));
    }
    let mut globs = Vec::with_capacity(list.len());
    for g in &list {
        let glob = Glob::new(&g.value).map_err(|e| {
            Diagnostic::error(diag::INVALID_VALUE, format!("`files_changed`: {e}"))
                .at(g.span, "this glob")
        })?;
        globs.push((g.value.clone(), glob));
    }
    let Some(changed) = changed else {
        return Ok(Touch::Unknown);
    };
    for path in changed {
        if let Some((g, _)) = globs.iter().find(|(_, glob)| glob.is_match(path)) {
            return Ok(Touch::Matched {
                glob: g.clone(),
                path: path.clone(),
            });
        }
    }
    Ok(Touch::Untouched {
        globs: list.into_iter().map(|g| g.value).collect(),
    })
}
