//! Globs (`test-*`, `{linux,win}64`, `b-?`), compiled so that no pattern can panic, hang or
//! take unbounded memory: globset parses the pattern, and its regex is built here with the
//! regex crate's size and nesting limits, which answer an error where globset's own compiler
//! would panic ("regex compilation shouldn't fail") on very many `*` or nested braces.
//! Matching is linear in the text (the regex crate never backtracks).

use regex::bytes::{Regex, RegexBuilder};

/// The longest glob taskgen compiles, in bytes: far beyond any real label pattern.
pub const MAX_LEN: usize = 1024;
/// The most compiled program size one glob may take.
const MAX_PROGRAM: usize = 1 << 20;

/// A compiled glob. `*` and `?` match any character, `/` included.
#[derive(Debug, Clone)]
pub struct Glob {
    regex: Regex,
}

impl Glob {
    /// Compiles `pattern`, or says why it is not a glob taskgen can use.
    pub fn new(pattern: &str) -> Result<Glob, String> {
        if pattern.len() > MAX_LEN {
            return Err(format!(
                "a glob of {} bytes is longer than the limit of {MAX_LEN}",
                pattern.len()
            ));
        }
        let parsed = globset::Glob::new(pattern).map_err(|e| e.kind().to_string())?;
        let regex = RegexBuilder::new(parsed.regex())
            .size_limit(MAX_PROGRAM)
            .dfa_size_limit(MAX_PROGRAM)
            .nest_limit(64)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => {
                    "the glob is too complex (too many `*` or alternatives)".to_owned()
                }
                _ => "the glob nests too deeply".to_owned(),
            })?;
        Ok(Glob { regex })
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn globs_match_as_globset_does() {
        let g = Glob::new("test-{linux,win}*-opt").unwrap();
        assert!(g.is_match("test-linux64-opt"));
        assert!(g.is_match("test-win32/x-opt"));
        assert!(!g.is_match("test-mac-opt"));
        assert!(Glob::new("b-?").unwrap().is_match("b-1"));
        assert!(Glob::new("[").is_err());
    }

    #[test]
    fn hostile_globs_are_errors_not_panics() {
        for pattern in [
            "*a".repeat(500),
            format!("{}a{}", "{".repeat(300), "}".repeat(300)),
            "{a,b}".repeat(200),
            "*".repeat(2000),
        ] {
            // Either compiled or refused: never a panic.
            let _ = Glob::new(&pattern);
        }
        assert!(Glob::new(&format!("{}a{}", "{".repeat(300), "}".repeat(300))).is_err());
        assert!(Glob::new(&"x".repeat(2000)).is_err());
    }
}
