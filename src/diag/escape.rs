//! Text from the tree (file names, labels, values) printed for people: control characters and
//! bidirectional overrides are shown escaped, so that no input can move the cursor, recolour
//! the terminal, hide text, or start a line of its own (a forged `::error` workflow command).

use std::borrow::Cow;

fn unsafe_char(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && !(keep_newlines && c == '\n'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character (but `\n` when `keep_newlines`) written as an escape.
pub fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| unsafe_char(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if !unsafe_char(c, keep_newlines) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape("plain `label`", false), "plain `label`");
        assert_eq!(escape("a\nb", false), "a\\nb");
        assert_eq!(escape("a\nb", true), "a\nb");
        assert_eq!(escape("\u{1b}[31mred", false), "\\u{1b}[31mred");
        assert_eq!(escape("x\u{202e}y", false), "x\\u{202e}y");
    }
}
