//! What is under the cursor: a job template, a graph, a node, a `needs` entry or a branch key.

use super::analysis::World;
use crate::defs::graph::{GraphNode, GraphTemplate};
use crate::load::{FileId, Node, Span};

pub enum Target<'w> {
    /// A job template's name: its definition, or a node's `job:`.
    JobTemplate(&'w str),
    /// A graph template's name: its `graph:`, or an include's.
    Graph(&'w str),
    /// A node's `name`.
    Node(&'w GraphTemplate, &'w GraphNode),
    /// One entry of a node's `needs` (the label or glob).
    Needs(&'w GraphNode, Span),
    /// A top-level branch key: `branch.x` in a template, or the key in a branch file.
    BranchKey(String),
}

fn covers(span: Span, file: FileId, offset: usize) -> bool {
    span.file == file && (span.start as usize..=span.end as usize).contains(&offset)
}

/// The target at byte `offset` of `file`, the most specific one first.
pub fn at(world: &World, file: FileId, offset: usize) -> Option<Target<'_>> {
    let text = &world.sources.file(file).text;
    if let Some(key) = branch_reference(text, offset) {
        return Some(Target::BranchKey(key));
    }
    if let Some(doc) = world.branch_docs.values().find(|d| d.file == file) {
        let map = doc.node.as_map()?;
        let hit = map.iter().find(|(_, e)| covers(e.key_span, file, offset));
        return hit.map(|(k, _)| Target::BranchKey(k.to_owned()));
    }
    for (name, t) in &world.defs.jobs {
        if covers(t.name.span, file, offset) {
            return Some(Target::JobTemplate(name));
        }
    }
    let graph = world.defs.graphs.values().find(|g| g.file == file)?;
    if covers(graph.name.span, file, offset) {
        return Some(Target::Graph(&graph.name.value));
    }
    for include in &graph.includes {
        if covers(include.graph.span, file, offset) {
            return Some(Target::Graph(&include.graph.value));
        }
    }
    for node in &graph.nodes {
        if let Some(job) = node.job.as_ref().filter(|j| covers(j.span, file, offset)) {
            return Some(Target::JobTemplate(&job.value));
        }
        if covers(node.name.span, file, offset) {
            return Some(Target::Node(graph, node));
        }
        if let Some(span) = node
            .needs
            .as_ref()
            .and_then(|n| needs_entry(n, file, offset))
        {
            return Some(Target::Needs(node, span));
        }
    }
    None
}

/// The span of the `needs` entry at `offset`: a mapping's key, or a list's item, as the
/// expansion records it.
fn needs_entry(needs: &Node, file: FileId, offset: usize) -> Option<Span> {
    if let Some(map) = needs.as_map() {
        return map
            .iter()
            .map(|(_, e)| e.key_span)
            .find(|&s| covers(s, file, offset));
    }
    let items = needs.as_seq().unwrap_or(std::slice::from_ref(needs));
    items
        .iter()
        .map(|n| n.span)
        .find(|&s| covers(s, file, offset))
}

/// The key of a `branch.x` (or `by-branch.x`) the cursor is on.
pub fn branch_reference(text: &str, offset: usize) -> Option<String> {
    let word = |c: char| c.is_ascii_alphanumeric() || "_.-".contains(c);
    let offset = offset.min(text.len());
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    let token = &text[start..end];
    let rest = token.find("branch.").map(|i| (i, &token[i + 7..]))?;
    // `branch.` starts the token, or follows `by-` (`by-branch.name`).
    if !(rest.0 == 0 || &token[..rest.0] == "by-") {
        return None;
    }
    let key: String = rest
        .1
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!key.is_empty()).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::branch_reference;

    #[test]
    fn branch_references_are_found_under_the_cursor() {
        let text = r#"pool: "{{ branch.platform_config[platform].pool }}" # by-branch.name"#;
        let on = |needle: &str| branch_reference(text, text.find(needle).unwrap());
        assert_eq!(on("branch.").as_deref(), Some("platform_config"));
        assert_eq!(on("config[").as_deref(), Some("platform_config"));
        assert_eq!(on("platform]"), None);
        assert_eq!(on("pool }}"), None);
        assert_eq!(on("name").as_deref(), Some("name"));
        assert_eq!(branch_reference("mybranch.x", 3), None);
    }
}
