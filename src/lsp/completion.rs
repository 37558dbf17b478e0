//! Completion, from the text before the cursor (a buffer being typed is seldom valid YAML):
//! job template names after `job:`, graph names after `graph:`, branch keys after `branch.`
//! and at the top of a branch file, labels and statuses in `needs`.

use serde_json::{Value, json};

use super::analysis::World;
use crate::defs::values::Status;

/// What the cursor is completing.
#[derive(Debug, PartialEq, Eq)]
pub enum Context {
    JobTemplate,
    Graph,
    BranchKey,
    Label,
    Status,
}

/// LSP's `CompletionItemKind`s used here.
const MODULE: u32 = 9;
const PROPERTY: u32 = 10;
const VALUE: u32 = 12;
const ENUM_MEMBER: u32 = 20;
const REFERENCE: u32 = 18;

/// The context at byte `offset` of `text`, a file at `rel` (relative to the root).
pub fn context(rel: &str, text: &str, offset: usize) -> Option<Context> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || "_-.".contains(c)))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.starts_with("branch.") || word.starts_with("by-branch.") {
        return Some(Context::BranchKey);
    }
    let head = before.trim_start().trim_start_matches("- ").trim_start();
    let (key, value) = match head.split_once(':') {
        Some((k, v)) => (Some(k.trim().trim_matches('"')), v),
        None => (None, ""),
    };
    if rel.starts_with("branches/") && before.trim().len() == word.len() && before == word {
        return Some(Context::BranchKey);
    }
    match key {
        Some("job") if rel.starts_with("taskgraph/graphs/") => return Some(Context::JobTemplate),
        Some("graph") if rel.starts_with("taskgraph/") => return Some(Context::Graph),
        Some("needs") => return Some(in_needs(value)),
        _ => {}
    }
    // A line of a block under `needs:`: the nearest line above that is less indented.
    let indent = before.len() - before.trim_start().len();
    let parent = text[..line_start]
        .lines()
        .rev()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .find(|l| l.len() - l.trim_start().len() < indent)?;
    let parent_key = parent.trim_start().trim_start_matches("- ").trim_start();
    parent_key
        .strip_prefix("needs:")
        .filter(|rest| rest.trim().is_empty())
        .map(|_| in_needs(head))
}

/// In `needs`: a status after an entry's `:`, a label before it.
fn in_needs(entry: &str) -> Context {
    let last = entry.rsplit([',', '{', '[']).next().unwrap_or(entry);
    if last.contains(':') {
        Context::Status
    } else {
        Context::Label
    }
}

/// Labels offered at most: a large tree has hundreds of thousands. Past this, the list says it
/// is incomplete and the client asks again as more of the label is typed.
const MAX_LABELS: usize = 1000;

/// The label typed so far before the cursor: what label completion filters on.
pub fn typed(text: &str, offset: usize) -> &str {
    let before = &text[..offset.min(text.len())];
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || "\"'{[,:".contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &before[start..]
}

/// The completion list for a context: `{isIncomplete, items}`.
pub fn list(world: &World, context: &Context, typed: &str) -> Value {
    let all = |items: Vec<Value>| (items, false);
    let (items, incomplete) = match context {
        Context::JobTemplate => all(world
            .defs
            .jobs
            .iter()
            .map(|(name, t)| {
                let detail = format!("job template, kind {}", t.kind.value);
                item(name, MODULE, &detail)
            })
            .collect()),
        Context::Graph => all(world
            .defs
            .graphs
            .keys()
            .map(|name| item(name, MODULE, "graph template"))
            .collect()),
        Context::BranchKey => all(world
            .branch_keys()
            .into_iter()
            .map(|k| item(k, PROPERTY, "branch key"))
            .collect()),
        Context::Label => {
            let labels: Vec<&str> = world
                .labels()
                .into_iter()
                .filter(|l| l.starts_with(typed))
                .collect();
            let items = labels
                .iter()
                .take(MAX_LABELS)
                .map(|l| item(l, REFERENCE, "label"))
                .collect();
            (items, labels.len() > MAX_LABELS)
        }
        Context::Status => all(Status::CONDITION_WORDS
            .iter()
            .map(|w| match Status::NAMES.contains(w) {
                true => item(w, ENUM_MEMBER, "status"),
                false => item(w, VALUE, "statuses"),
            })
            .collect()),
    };
    json!({"isIncomplete": incomplete, "items": items})
}

fn item(label: &str, kind: u32, detail: &str) -> Value {
    json!({"label": label, "kind": kind, "detail": detail})
}

#[cfg(test)]
mod tests {
    use super::{Context, context};
    use proptest::prelude::*;

    proptest! {
        /// Any buffer and any cursor: an answer, never a panic.
        #[test]
        fn any_buffer_and_cursor(text in "(?s)[ a-z:.{}\\[\\],\"#\n-]{0,80}|.{0,40}", at in 0usize..100) {
            let at = (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            for rel in ["taskgraph/graphs/g.yml", "branches/b.yml"] {
                let _ = context(rel, &text, at);
            }
            let _ = crate::lsp::cursor::branch_reference(&text, at);
        }
    }

    fn at(rel: &str, text: &str) -> Option<Context> {
        let offset = text.find('|').expect("a cursor");
        context(rel, &text.replace('|', ""), offset)
    }

    #[test]
    fn contexts_come_from_the_text_before_the_cursor() {
        let graphs = "taskgraph/graphs/g.yml";
        assert_eq!(
            at(graphs, "nodes:\n  - name: a\n    job: bu|"),
            Some(Context::JobTemplate)
        );
        assert_eq!(at(graphs, "include:\n  - graph: |"), Some(Context::Graph));
        assert_eq!(
            at(graphs, "    when: \"{{ branch.tal| }}\""),
            Some(Context::BranchKey)
        );
        assert_eq!(at(graphs, "    needs: {\"build-|"), Some(Context::Label));
        assert_eq!(
            at(graphs, "    needs: {\"build-*\": fin|"),
            Some(Context::Status)
        );
        assert_eq!(at(graphs, "    needs: [a, b|"), Some(Context::Label));
        let block = "  - name: t\n    needs:\n      # upstream\n      build-linux: |";
        assert_eq!(at(graphs, block), Some(Context::Status));
        let block = "  - name: t\n    needs:\n      bui|";
        assert_eq!(at(graphs, block), Some(Context::Label));
        assert_eq!(at(graphs, "  - name: t\n    kind: |"), None);
        assert_eq!(at("branches/try.yml", "tal|"), Some(Context::BranchKey));
        assert_eq!(at("branches/try.yml", "talos: |"), None);
        assert_eq!(at("taskgraph/jobs/j.yml", "    job: |"), None);
    }

    #[test]
    fn the_typed_label_starts_after_a_quote_bracket_or_space() {
        let typed = |text: &str| super::typed(text, text.len()).to_owned();
        assert_eq!(typed(r#"    needs: {"build-li"#), "build-li");
        assert_eq!(typed("    needs: [a, te"), "te");
        assert_eq!(typed("      build-é"), "build-é");
        assert_eq!(typed("    needs: {"), "");
    }
}
