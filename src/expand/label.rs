//! What a label may be: ASCII letters, digits and `-_.:/+@`, at most 512 bytes. Labels reach
//! terminals, `--format labels` (one per line), Taskcluster and shell scripts; a newline could
//! forge a line of output (`harmless\nnightly-signing-linux64`), a glob character would make
//! `needs` and `--select` mean something else, and a long label costs memory in every edge.

use crate::diag::{self, Diagnostic};
use crate::load::Span;

/// The longest label, in bytes.
pub const MAX_LEN: usize = 512;

/// The characters a label may hold besides ASCII letters and digits.
pub const PUNCTUATION: &str = "-_.:/+@";

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || PUNCTUATION.contains(c)
}

/// An error at `at` unless `label` (a job's, or a graph path segment, `what`) is safe.
pub fn check(label: &str, what: &str, at: Span) -> Result<(), Diagnostic> {
    let bad = |why: String| {
        Diagnostic::error(
            diag::INVALID_VALUE,
            format!(
                "{what} `{}` {why}",
                diag::escape(&crate::query::shorten(label), false)
            ),
        )
        .at(at, "renders to this")
        .help(format!(
            "a label is 1 to {MAX_LEN} ASCII letters, digits and `{PUNCTUATION}`"
        ))
    };
    if label.is_empty() {
        return Err(bad("is empty".into()));
    }
    if label.len() > MAX_LEN {
        return Err(bad(format!(
            "is {} bytes, longer than the limit of {MAX_LEN}",
            label.len()
        )));
    }
    match label.chars().find(|&c| !allowed(c)) {
        Some(c) => Err(bad(format!(
            "holds {}, which a label may not",
            match c {
                ' ' => "a space".to_owned(),
                c if c.is_control() || c.is_whitespace() => {
                    format!("the control character `{}`", c.escape_default())
                }
                c => format!("`{c}`"),
            }
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_labels_pass_and_others_do_not() {
        for ok in [
            "build-linux64-opt",
            "per-checkin/b2g:end",
            "test-ubuntu32_vm-opt-1",
            "l10n+x@y",
        ] {
            check(ok, "label", Span::none()).unwrap();
        }
        for bad in [
            "harmless\nnightly-signing",
            "a b",
            "x*",
            "é",
            "",
            "{a,b}",
            "a\u{1b}[31m",
        ] {
            assert!(check(bad, "label", Span::none()).is_err(), "{bad:?}");
        }
        assert!(check(&"a".repeat(513), "label", Span::none()).is_err());
        check(&"a".repeat(512), "label", Span::none()).unwrap();
    }
}
