//! One look at the tree as the editor has it: lint's findings, and the graphs lint generated
//! for every branch and trigger, which hover, go to definition, completion and code lenses read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::diagnostics::{self, Published};
use super::protocol::Encoding;
use crate::branch::{self, Branch};
use crate::defs::{Defs, GraphNode};
use crate::lint::{self, Expansion};
use crate::load::{self, Doc, FileId, Overlay, Sources, Span};
use crate::timings::time;

/// The tree, its definitions and its graphs, as of one analysis that loaded.
pub struct World {
    pub root: PathBuf,
    pub sources: Sources,
    pub defs: Defs,
    /// Branch files by name, `generic` included.
    pub branch_docs: BTreeMap<String, Doc>,
    /// Every linted branch, resolved: its own file merged over `generic.yml`.
    pub branches: Vec<Branch>,
    /// Every graph lint generated: branch order, then trigger order.
    pub graphs: Vec<Expansion>,
}

/// What one analysis found.
pub struct Analysis {
    /// LSP diagnostics by file, relative to the root.
    pub diagnostics: Published,
    /// `None` when some file could not be read or parsed: the diagnostics say why.
    pub world: Option<World>,
}

/// Lints the tree under `root` with `overlay` in place of the files it names, as
/// `taskgen lint` does (every branch, every trigger), keeping the graphs.
pub fn analyze(root: &Path, overlay: &Overlay, enc: Encoding) -> Analysis {
    let mut tree = match load::load_with(root, overlay) {
        Ok(tree) => tree,
        Err(e) => {
            let findings = crate::diag::merge(e.failure.diagnostics, &e.sources);
            return Analysis {
                diagnostics: diagnostics::convert(&findings, &e.sources, root, enc),
                world: None,
            };
        }
    };
    let (findings, lint::Kept { defs, graphs }) = time("lint", || {
        lint::lint_keeping(&tree, &lint::Options::default(), true)
    });
    let diagnostics = time("diagnostics", || {
        diagnostics::convert(&findings.diagnostics, &tree.sources, root, enc)
    });
    let branches = time("world", || {
        lint::all_branches(&tree)
            .iter()
            .filter_map(|name| branch::resolve(&tree, name).ok())
            .collect()
    });
    let world = World {
        root: root.to_path_buf(),
        sources: std::mem::take(&mut tree.sources),
        defs,
        branch_docs: std::mem::take(&mut tree.branches),
        branches,
        graphs,
    };
    Analysis {
        diagnostics,
        world: Some(world),
    }
}

/// One job of one generated graph, with where it came from.
pub struct Placed<'w> {
    pub branch: &'w str,
    pub trigger: &'w str,
    pub job: &'w crate::expand::Job,
    pub meta: &'w crate::expand::JobMeta,
}

impl World {
    /// The file at `rel` (a path relative to the root).
    pub fn file(&self, rel: &str) -> Option<FileId> {
        self.sources
            .files()
            .find(|(_, f)| f.path == rel)
            .map(|(id, _)| id)
    }

    /// Every job of every generated graph.
    pub fn jobs(&self) -> impl Iterator<Item = Placed<'_>> {
        self.graphs.iter().flat_map(|x| {
            x.graph
                .jobs
                .iter()
                .zip(&x.graph.meta)
                .map(|(job, meta)| Placed {
                    branch: &x.branch,
                    trigger: &x.trigger,
                    job,
                    meta,
                })
        })
    }

    /// The branch names lint generated, in order.
    pub fn branch_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.graphs.iter().map(|x| x.branch.as_str()).collect();
        names.dedup();
        names
    }

    /// The jobs of one node: those whose `name` is at `label`.
    pub fn jobs_of_node(&self, label: Span) -> Vec<Placed<'_>> {
        self.jobs().filter(|p| p.meta.label == label).collect()
    }

    /// The upstream labels one `needs` entry (at `needs`) of a node resolved to, with the
    /// branch of each.
    pub fn resolved(&self, node: &GraphNode, needs: Span) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        for p in self.jobs_of_node(node.name.span) {
            let deps = p.job.dependencies.iter().zip(&p.meta.dependencies);
            for (dep, _) in deps.filter(|(_, s)| **s == needs) {
                out.push((p.branch, dep.label.as_str()));
            }
        }
        out
    }

    /// The places in the branch files that set the top-level key `key`, generic first.
    pub fn branch_key_sites(&self, key: &str) -> Vec<Span> {
        let generic = self.branch_docs.get(branch::GENERIC);
        let others = self
            .branch_docs
            .iter()
            .filter(|(n, _)| *n != branch::GENERIC);
        generic
            .into_iter()
            .chain(others.map(|(_, d)| d))
            .filter_map(|d| d.node.as_map()?.entries.get(key).map(|e| e.key_span))
            .collect()
    }

    /// Every top-level key a branch file sets, sorted.
    pub fn branch_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .branch_docs
            .values()
            .filter_map(|d| d.node.as_map())
            .flat_map(|m| m.entries.keys().map(String::as_str))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Every label some graph has, sorted, milestones included (`needs` may name them).
    pub fn labels(&self) -> Vec<&str> {
        let mut labels: Vec<&str> = self.jobs().map(|p| p.job.label.as_str()).collect();
        labels.sort_unstable();
        labels.dedup();
        labels
    }
}
