//! `--set LABEL.FIELD=VALUE`: the fields of the run, by label, and the labels no job has.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::Expanded;
use crate::diag::{self, Diagnostic, Sink};

/// `--set` fields by job label: the highest layer of a job's fields.
pub type Overrides = IndexMap<String, crate::defs::Fields>;

/// Reports every `--set` label that no job of the expanded graph has, with the nearest.
pub fn report_unused(
    overrides: &Overrides,
    used: &BTreeSet<String>,
    out: &Expanded,
    sink: &mut Sink,
) {
    if out.jobs.is_empty() {
        return;
    }
    for (label, fields) in overrides.iter().filter(|(l, _)| !used.contains(*l)) {
        let labels = out.jobs.iter().map(|p| p.job.label.as_str());
        let mut d = Diagnostic::error(
            diag::INVALID_VALUE,
            format!("`--set {label}.…`: no job is labelled `{label}`"),
        );
        if let Some(n) = fields.values().next() {
            d = d.at(n.span, "set for that label");
        }
        if let Some(best) = crate::defs::keys::did_you_mean(label, labels) {
            d = d.help(format!("did you mean `{best}`?"));
        }
        sink.push(d);
    }
}
