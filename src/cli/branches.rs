//! `taskgen branches`: the branches and the triggers each defines (docs/cli.md).

use std::path::Path;

use clap::ValueEnum;
use serde_json::{Value, json};

use crate::branch::{self, Branch};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// One line per branch and trigger.
    Text,
    /// `{"format_version": 1, "branches": [...]}`.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(root_arg: Option<&Path>, args: &Args) -> Result<(), u8> {
    let tree = super::load_tree(root_arg)?;
    let mut branches = Vec::new();
    for name in crate::lint::all_branches(&tree) {
        branches.push(branch::resolve(&tree, &name).map_err(|f| super::report(&f, &tree.sources))?);
    }
    let file = |b: &Branch| b.file.map(|f| tree.sources.file(f).path.clone());
    let text = match args.format {
        Format::Text => {
            let width = branches.iter().map(|b| b.name.len()).max().unwrap_or(0);
            let mut out = String::new();
            for b in &branches {
                for (trigger, root) in &b.triggers {
                    let cron = root.cron.as_ref().map(|c| format!("  cron `{}`", c.value));
                    out.push_str(&format!(
                        "{:<width$}  {:<9} {}{}\n",
                        b.name,
                        trigger,
                        root.graph.value,
                        cron.unwrap_or_default()
                    ));
                }
            }
            out
        }
        Format::Json => {
            let list: Vec<Value> = branches
                .iter()
                .map(|b| {
                    let triggers: Vec<Value> = b
                        .triggers
                        .iter()
                        .map(|(t, r)| {
                            json!({
                                "name": t,
                                "graph": r.graph.value,
                                "cron": r.cron.as_ref().map(|c| &c.value),
                            })
                        })
                        .collect();
                    json!({"name": b.name, "file": file(b), "triggers": triggers})
                })
                .collect();
            let doc = json!({"format_version": 1, "branches": list});
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        }
    };
    super::output::emit(None, &text)
}
