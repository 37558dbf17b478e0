//! Findings at one place merged into one: the same definition wrong in several branches or
//! jobs is reported once.

use std::collections::BTreeMap;

use super::Diagnostic;
use crate::load::Sources;

/// Where a finding points, as a sortable key: path and byte range.
type Place = Option<(String, u32, u32)>;

fn place(d: &Diagnostic, sources: &Sources) -> Place {
    d.primary.as_ref().map(|l| {
        (
            sources.file(l.span.file).path.clone(),
            l.span.start,
            l.span.end,
        )
    })
}

/// Sorts findings by place, and merges those at one place with one code: the same definition
/// wrong in several branches (or in several jobs) is one finding naming every branch.
pub fn merge(mut all: Vec<Diagnostic>, sources: &Sources) -> Vec<Diagnostic> {
    all.sort_by_cached_key(|d| {
        (
            place(d, sources),
            d.code.id,
            d.message.clone(),
            d.help.clone(),
            d.branches.clone(),
        )
    });
    let mut groups: BTreeMap<(Place, &'static str), Vec<Diagnostic>> = BTreeMap::new();
    for d in all {
        groups
            .entry((place(&d, sources), d.code.id))
            .or_default()
            .push(d);
    }
    groups.into_values().filter_map(merge_group).collect()
}

/// One finding for a group at one place: the first, naming every branch of the group.
fn merge_group(group: Vec<Diagnostic>) -> Option<Diagnostic> {
    let mut branches: Vec<String> = group
        .iter()
        .flat_map(|d| d.branches.iter().cloned())
        .collect();
    branches.sort();
    branches.dedup();
    let mut messages: Vec<&str> = group.iter().map(|d| d.message.as_str()).collect();
    messages.sort_unstable();
    messages.dedup();
    let others = messages.len() - 1;
    let mut first = group.into_iter().next()?;
    if others > 0 {
        let more = format!(
            "{others} more finding{} like this one here",
            if others == 1 { "" } else { "s" }
        );
        first.help = Some(match first.help.take() {
            Some(h) => format!("{h}\n({more})"),
            None => format!("({more})"),
        });
    }
    first.branches = branches;
    Some(first)
}
