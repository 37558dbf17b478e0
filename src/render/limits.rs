//! Bounds on one template, checked before minijinja parses it. Its parser and evaluator
//! recurse once per operator or block of a nested expression (`{{ ----1 }}`,
//! `{{ 1 + 1 + ... }}`), so a deep enough template would overflow the stack: what cannot be
//! nested that deep is refused with a located error instead.

/// Distinct template strings in one run: each compiled template costs some kilobytes.
pub const MAX_TEMPLATES: usize = 20_000;

/// The longest template string, in bytes.
pub const MAX_LEN: usize = 64 * 1024;
/// The most operators, brackets and block tags in one template string: real templates use a
/// few dozen, and the stack holds many times this even on a worker thread.
pub const MAX_OPERATORS: usize = 1000;

/// Why `s` is too large to compile, if it is.
pub fn check(s: &str) -> Result<(), minijinja::Error> {
    let too = |what: String| {
        Err(minijinja::Error::new(
            minijinja::ErrorKind::SyntaxError,
            what,
        ))
    };
    if s.len() > MAX_LEN {
        return too(format!(
            "template of {} bytes is longer than the limit of {MAX_LEN}",
            s.len()
        ));
    }
    let n = operators(s);
    if n > MAX_OPERATORS {
        return too(format!(
            "template has {n} operators, brackets and tags, more than the limit of {MAX_OPERATORS}"
        ));
    }
    Ok(())
}

/// Counts what makes minijinja recurse inside `{{ }}` and `{% %}`: operator characters,
/// opening brackets, word operators, and each block tag itself.
fn operators(s: &str) -> usize {
    let mut count = 0;
    let mut rest = s;
    while let Some(open) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
        let close_tag = if rest[open..].starts_with("{{") {
            "}}"
        } else {
            "%}"
        };
        count += usize::from(close_tag == "%}");
        let body_start = open + 2;
        let body_end = rest[body_start..]
            .find(close_tag)
            .map_or(rest.len(), |i| body_start + i);
        let body = &rest[body_start..body_end];
        count += body
            .bytes()
            .filter(|b| b"+-*/%~!<>=([{|.,".contains(b))
            .count();
        count += body
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .filter(|w| matches!(*w, "not" | "and" | "or" | "if" | "else" | "is" | "in"))
            .count();
        rest = &rest[(body_end + close_tag.len()).min(rest.len())..];
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_templates_pass_and_deep_ones_do_not() {
        check("build-{{ platform }}-{{ 'opt' if pgo else 'debug' }}").unwrap();
        check("{% for x in a %}{{ x | upper }}{% endfor %}").unwrap();
        check("plain-text-with-many----hyphens").unwrap();
        assert!(check(&format!("{{{{ {}1 }}}}", "-".repeat(25_000))).is_err());
        assert!(check(&format!("{{{{ {} }}}}", vec!["1"; 12_500].join(" + "))).is_err());
        assert!(check(&format!("{{{{ {}1 }}}}", "not ".repeat(2_000))).is_err());
        assert!(check(&"{% if x %}".repeat(2_000)).is_err());
        assert!(check(&"x".repeat(MAX_LEN + 1)).is_err());
    }

    #[test]
    fn unclosed_tags_are_counted_to_the_end() {
        assert!(check(&format!("{{{{ {}", "(".repeat(2_000))).is_err());
    }
}
