//! Suppressions: `# taskgen: ignore[RULE, ...]` comments, which hide a rule's findings on their
//! line and the line below, and the config's `lint:` section (`ignore`, `per_path_ignores`,
//! `severity`). Only warnings can be hidden or changed: errors are what `generate` refuses, so
//! hiding one from lint would only move the failure to the decision step.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

use crate::check::{self, RULES};
use crate::defs::keys::{check_keys, string_list, suggestion, wrong_type};
use crate::defs::shape::config::LINT;
use crate::diag::{self, Code, Diagnostic, Severity, Sink};
use crate::glob::Glob;
use crate::load::{FileId, Node, Sources, Span, Tree, Value};

/// Every suppression of a tree.
#[derive(Default)]
pub struct Suppressions {
    ignore: Vec<Code>,
    per_path: Vec<PerPath>,
    severity: Vec<Code>,
    /// The comments by file and line (one comment a line).
    comments: BTreeMap<(FileId, usize), Comment>,
}

/// A `per_path_ignores` entry.
struct PerPath {
    pattern: String,
    glob: Glob,
    span: Span,
    rules: Vec<Code>,
}

/// One `# taskgen: ignore[...]`: each rule it names, where, and whether it hid a finding.
type Comment = Vec<(Code, Span, Cell<bool>)>;

/// The rule `name` names, when it is a warning rule; else why not, as a finding at `span`.
fn warning_rule(name: &str, span: Span, what: &str) -> Result<Code, Diagnostic> {
    let invalid = |message: String| Diagnostic::error(diag::INVALID_SUPPRESSION, message);
    match check::find(name) {
        None => {
            let names: Vec<&str> = RULES.iter().map(|r| r.code.name).collect();
            Err(invalid(format!("{what} names `{name}`, which is no rule"))
                .at(span, "no rule has this code or name")
                .help(format!(
                    "{} (`taskgen rules` lists them)",
                    suggestion(name, &names)
                )))
        }
        Some(rule) if rule.severity == Severity::Error => Err(invalid(format!(
            "{what} names `{name}`, an error rule ({} {}): only warnings can be suppressed or changed",
            rule.code.id, rule.code.name
        ))
        .at(span, "an error cannot be suppressed")
        .help("errors are what `taskgen generate` refuses: fix the definitions instead")),
        Some(rule) => Ok(rule.code),
    }
}

impl Suppressions {
    /// Reads the config's `lint:` section and the comments of every definitions file,
    /// reporting what is not valid.
    pub fn read(tree: &Tree, out: &mut Vec<Diagnostic>) -> Suppressions {
        let mut s = Suppressions::default();
        let mut sink = Sink::default();
        let section = tree
            .config
            .as_ref()
            .and_then(|c| c.node.as_map()?.get("lint"));
        if let Some(node) = section {
            s.read_section(node, &mut sink);
        }
        out.extend(sink.diagnostics);
        let files = tree
            .config
            .iter()
            .chain(&tree.jobs)
            .chain(&tree.graphs)
            .chain(tree.branches.values());
        for doc in files {
            let text = &tree.sources.file(doc.file).text;
            for (line, rules) in comments(doc.file, text, out) {
                s.comments.insert((doc.file, line), rules);
            }
        }
        s
    }

    fn read_section(&mut self, node: &Node, sink: &mut Sink) {
        if node.value == Value::Null {
            return;
        }
        let Some(map) = node.as_map() else {
            return sink.push(wrong_type(node, "a mapping", "`lint`"));
        };
        check_keys(map, &LINT, "`lint`", sink);
        let rules = |node: &Node, what: &str, sink: &mut Sink| -> Vec<Code> {
            match string_list(node, what) {
                Ok(names) => names
                    .iter()
                    .filter_map(|n| sink.ok(warning_rule(&n.value, n.span, what)))
                    .collect(),
                Err(d) => {
                    sink.push(d);
                    Vec::new()
                }
            }
        };
        if let Some(node) = map.get("ignore") {
            self.ignore = rules(node, "`lint.ignore`", sink);
        }
        if let Some(node) = map.get("per_path_ignores") {
            match node.as_map() {
                None => sink.push(wrong_type(node, "a mapping", "`lint.per_path_ignores`")),
                Some(globs) => {
                    for (pattern, entry) in globs.iter() {
                        let what = format!("`lint.per_path_ignores.{pattern}`");
                        let listed = rules(&entry.value, &what, sink);
                        match Glob::new(pattern) {
                            Ok(glob) => self.per_path.push(PerPath {
                                pattern: pattern.to_owned(),
                                glob,
                                span: entry.key_span,
                                rules: listed,
                            }),
                            Err(why) => sink.push(
                                Diagnostic::error(
                                    diag::INVALID_SUPPRESSION,
                                    format!("{what}: `{pattern}` is not a glob: {why}"),
                                )
                                .at(entry.key_span, "not a glob"),
                            ),
                        }
                    }
                }
            }
        }
        if let Some(node) = map.get("severity") {
            self.read_severity(node, sink);
        }
    }

    fn read_severity(&mut self, node: &Node, sink: &mut Sink) {
        let Some(map) = node.as_map() else {
            return sink.push(wrong_type(node, "a mapping", "`lint.severity`"));
        };
        for (name, entry) in map.iter() {
            let what = "`lint.severity`";
            let level = match entry.value.as_str() {
                Some(level @ ("error" | "warning")) => level,
                _ => {
                    sink.push(
                        Diagnostic::error(
                            diag::INVALID_VALUE,
                            format!("`lint.severity.{name}` is `error` or `warning`"),
                        )
                        .at(entry.value.span, "expected `error` or `warning`"),
                    );
                    continue;
                }
            };
            // Making an error rule an error again changes nothing, and is allowed.
            let rule =
                check::find(name).filter(|r| level == "error" && r.severity == Severity::Error);
            if rule.is_some() {
                continue;
            }
            if let Some(code) = sink.ok(warning_rule(name, entry.key_span, what))
                && level == "error"
            {
                self.severity.push(code);
            }
        }
    }

    /// Applies the suppressions to lint's findings: severities changed, suppressed findings
    /// dropped. With `unused` (every branch and trigger generated), adds a finding for each
    /// comment rule and glob that suppressed nothing.
    pub fn apply(&self, findings: Vec<Diagnostic>, tree: &Tree, unused: bool) -> Vec<Diagnostic> {
        let sources = &tree.sources;
        // Each file's path is matched against the globs once, not once per finding.
        let by_path: HashMap<FileId, Vec<Code>> = sources
            .files()
            .map(|(id, f)| {
                let globs = self.per_path.iter().filter(|p| p.glob.is_match(&f.path));
                (id, globs.flat_map(|p| p.rules.iter().copied()).collect())
            })
            .collect();
        let mut kept: Vec<Diagnostic> = findings
            .into_iter()
            .filter(|d| !self.suppresses(d, sources, &by_path))
            .map(|mut d| {
                if self.severity.contains(&d.code) {
                    d.severity = Severity::Error;
                }
                d
            })
            .collect();
        if !unused {
            return kept;
        }
        let unused = &check::rules::unused_suppression::RULE;
        for (code, span, _) in self.comments.values().flatten().filter(|r| !r.2.get()) {
            kept.push(
                unused
                    .finding(format!(
                        "`ignore[{}]` suppresses nothing",
                        sources.slice(*span)
                    ))
                    .at(
                        *span,
                        format!("no {} finding on this line or the next", code.id),
                    )
                    .help("remove it: the finding it was written for is gone"),
            );
        }
        for p in &self.per_path {
            if !sources.files().any(|(_, f)| p.glob.is_match(&f.path)) {
                kept.push(
                    unused
                        .finding(format!(
                            "`lint.per_path_ignores` glob `{}` matches no definitions file",
                            p.pattern
                        ))
                        .at(p.span, "matches no file")
                        .help("paths are relative to the definitions root: `branches/try.yml`, `taskgraph/jobs/*.yml`"),
                );
            }
        }
        kept
    }

    /// Whether a suppression hides `d`; a comment that does is marked used.
    fn suppresses(
        &self,
        d: &Diagnostic,
        sources: &Sources,
        by_path: &HashMap<FileId, Vec<Code>>,
    ) -> bool {
        if self.ignore.contains(&d.code) {
            return true;
        }
        let Some(at) = d.primary.as_ref().map(|l| l.span).filter(|s| !s.is_none()) else {
            return false;
        };
        let line = sources.file(at.file).line_of(at.start as usize);
        // The comment on the finding's line, and the one on the line above.
        let mut by_comment = false;
        for line in std::iter::once(line).chain(line.checked_sub(1)) {
            for (code, _, used) in self.comments.get(&(at.file, line)).into_iter().flatten() {
                if *code == d.code {
                    used.set(true);
                    by_comment = true;
                }
            }
        }
        by_comment
            || by_path
                .get(&at.file)
                .is_some_and(|codes| codes.contains(&d.code))
    }
}

/// The `# taskgen:` comments of one file; one that is not a valid directive is reported.
fn comments(file: FileId, text: &str, out: &mut Vec<Diagnostic>) -> Vec<(usize, Comment)> {
    let mut found = Vec::new();
    let mut start = 0;
    for (line, row) in text.split('\n').enumerate() {
        let row_start = start;
        start += row.len() + 1;
        let Some(hash) = comment_start(row) else {
            continue;
        };
        let body = row[hash + 1..].trim_start();
        let Some(directive) = body.strip_prefix("taskgen:") else {
            continue;
        };
        let directive = directive.trim_start();
        let at = |s: &str| {
            let offset = row_start + (s.as_ptr() as usize - row.as_ptr() as usize);
            Span::new(file, offset, offset + s.len())
        };
        let list = directive
            .strip_prefix("ignore[")
            .and_then(|rest| rest.split_once(']').map(|(list, _)| list))
            .filter(|list| !list.trim().is_empty());
        let Some(list) = list else {
            let shown = directive.split_whitespace().next().unwrap_or("");
            out.push(
                Diagnostic::error(
                    diag::INVALID_SUPPRESSION,
                    format!("`# taskgen: {shown}` is not a directive taskgen knows"),
                )
                .at(at(directive.trim_end()), "not `ignore[RULE, ...]`")
                .help("write `# taskgen: ignore[CODE]` (codes or names, comma-separated) on the line of the finding or the line above"),
            );
            continue;
        };
        let mut rules = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match warning_rule(name, at(name), "`# taskgen: ignore`") {
                Ok(code) => rules.push((code, at(name), Cell::new(false))),
                Err(d) => out.push(d),
            }
        }
        found.push((line, rules));
    }
    found
}

/// Where a line's comment starts: a `#` at the start or after a space, outside quotes. A
/// quote opens a quoted scalar only where a scalar starts (after `: `, `- `, `[`, `{`, `,`).
fn comment_start(row: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let mut scalar_start = true;
    let mut chars = row.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => {
                // `''` inside single quotes is an escaped quote.
                if q == '\'' && chars.peek().map(|&(_, n)| n) == Some('\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None if c == '#' && prev.is_whitespace() => return Some(i),
            None if (c == '"' || c == '\'') && scalar_start => quote = Some(c),
            None => {}
        }
        if quote.is_none() && !c.is_whitespace() {
            scalar_start = matches!(c, ':' | '-' | '[' | '{' | ',' | '?');
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{comment_start, comments};
    use crate::load::{FileId, Span};
    use proptest::prelude::*;

    proptest! {
        /// Any text: no panic, every comment starts at a `#`, every span is inside the text
        /// and on its line.
        #[test]
        fn any_text_is_read_without_panic(text in "(?s)[ a-z#:\\[\\],'\"\n-]{0,200}|.{0,80}") {
            for row in text.split('\n') {
                if let Some(i) = comment_start(row) {
                    prop_assert_eq!(row.as_bytes()[i], b'#');
                }
            }
            let mut out = Vec::new();
            let found = comments(FileId(0), &text, &mut out);
            let lines = text.split('\n').count();
            let inside = |s: Span| (s.end as usize) <= text.len() && s.start <= s.end;
            for (line, rules) in &found {
                prop_assert!(*line < lines);
                prop_assert!(rules.iter().all(|r| inside(r.1)));
            }
            prop_assert!(out.iter().all(|d| d.primary.as_ref().is_some_and(|l| inside(l.span))));
        }
    }

    #[test]
    fn comments_start_outside_quoted_scalars() {
        fn at(row: &str) -> Option<&str> {
            comment_start(row).map(|i| &row[i..])
        }
        assert_eq!(at("# whole line"), Some("# whole line"));
        assert_eq!(at("a: 1  # trailing"), Some("# trailing"));
        assert_eq!(at(r#"a: "x # not" # yes"#), Some("# yes"));
        assert_eq!(at("a: 'it''s # not' # yes"), Some("# yes"));
        assert_eq!(at(r#"a: "say \" # not" # yes"#), Some("# yes"));
        assert_eq!(at("description: don't # yes"), Some("# yes"));
        assert_eq!(at("a: b#c"), None);
        assert_eq!(at("- [\"x\", 'y'] # yes"), Some("# yes"));
    }
}
