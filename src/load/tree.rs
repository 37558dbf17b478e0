//! Finding and reading the definitions tree.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{FileId, Limits, Node, Sources, Span, yaml};
use crate::diag::{self, Diagnostic, Failure};

/// One parsed definitions file.
#[derive(Debug, Clone)]
pub struct Doc {
    pub file: FileId,
    pub node: Node,
}

/// Every input file of the definitions tree, parsed.
#[derive(Debug)]
pub struct Tree {
    pub root: PathBuf,
    pub sources: Sources,
    pub config: Option<Doc>,
    pub jobs: Vec<Doc>,
    pub graphs: Vec<Doc>,
    /// Branch files by branch name (file stem), `generic` included.
    pub branches: BTreeMap<String, Doc>,
    /// sha256 over every input file's path and bytes, in sorted path order.
    pub sha: String,
}

/// The marker file that makes a directory a definitions root.
pub const CONFIG: &str = "taskgraph/config.yml";

/// Walks up from `start` to the first directory holding `taskgraph/config.yml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG).is_file())
        .map(Path::to_path_buf)
}

/// Input files, as paths relative to the root, sorted.
fn list_files(root: &Path) -> Result<Vec<String>, Diagnostic> {
    let mut files = Vec::new();
    if root.join(CONFIG).exists() {
        files.push(CONFIG.to_owned());
    }
    for dir in ["taskgraph/jobs", "taskgraph/graphs", "branches"] {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".yml") && !name.starts_with('.') {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Diagnostic::error(
            diag::NO_DEFINITIONS,
            format!("no definitions found in `{}`", root.display()),
        )
        .help("a definitions root holds `taskgraph/config.yml`, `taskgraph/jobs/*.yml`, `taskgraph/graphs/*.yml` and `branches/*.yml`"));
    }
    Ok(files)
}

fn read(
    root: &Path,
    canonical_root: &Path,
    rel: &str,
    limits: Limits,
) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    let unreadable = |why: String| {
        Diagnostic::error(diag::UNREADABLE_FILE, format!("cannot read `{rel}`: {why}"))
    };
    let real = fs::canonicalize(&path).map_err(|e| unreadable(e.to_string()))?;
    if !real.starts_with(canonical_root) {
        return Err(unreadable("it points outside the definitions root".into())
            .help("definitions files must live inside the definitions root"));
    }
    let meta = fs::metadata(&real).map_err(|e| unreadable(e.to_string()))?;
    if meta.len() > limits.max_bytes as u64 {
        return Err(Diagnostic::error(
            diag::YAML_LIMIT,
            format!(
                "`{rel}` is {} bytes, more than the limit of {} bytes",
                meta.len(),
                limits.max_bytes
            ),
        ));
    }
    let bytes = fs::read(&real).map_err(|e| unreadable(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| {
        unreadable(format!(
            "it is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Input that could not be read, with the sources its diagnostics point into.
#[derive(Debug)]
pub struct LoadFailure {
    pub failure: Failure,
    pub sources: Sources,
}

/// Reads and parses every definitions file under `root`, reporting every unreadable file.
pub fn load(root: &Path) -> Result<Tree, LoadFailure> {
    let limits = Limits::default();
    let unreadable = |d: Vec<Diagnostic>| LoadFailure {
        failure: Failure {
            diagnostics: d,
            unreadable: true,
        },
        sources: Sources::default(),
    };
    let canonical_root = fs::canonicalize(root).map_err(|e| {
        unreadable(vec![Diagnostic::error(
            diag::NO_DEFINITIONS,
            format!("cannot open definitions root `{}`: {e}", root.display()),
        )])
    })?;
    let files = list_files(root).map_err(|d| unreadable(vec![d]))?;
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    let mut hasher = Sha256::new();
    let mut tree = Tree {
        root: root.to_path_buf(),
        sources: Sources::default(),
        config: None,
        jobs: Vec::new(),
        graphs: Vec::new(),
        branches: BTreeMap::new(),
        sha: String::new(),
    };
    for rel in files {
        let text = match read(root, &canonical_root, &rel, limits) {
            Ok(text) => text,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        hasher.update((rel.len() as u64).to_le_bytes());
        hasher.update(rel.as_bytes());
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
        let file = sources.add(rel.clone(), text);
        let node = match yaml::parse(&sources, file, limits) {
            Ok(node) => node,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let doc = Doc { file, node };
        if rel == CONFIG {
            tree.config = Some(doc);
        } else if rel.starts_with("taskgraph/jobs/") {
            tree.jobs.push(doc);
        } else if rel.starts_with("taskgraph/graphs/") {
            tree.graphs.push(doc);
        } else if let Some(name) = rel
            .strip_prefix("branches/")
            .and_then(|n| n.strip_suffix(".yml"))
        {
            tree.branches.insert(name.to_owned(), doc);
        }
    }
    if !errors.is_empty() {
        return Err(LoadFailure {
            failure: Failure {
                diagnostics: errors,
                unreadable: true,
            },
            sources,
        });
    }
    tree.sources = sources;
    tree.sha = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(tree)
}

/// Reads one extra YAML file from outside the tree (a `--params` file).
pub fn load_extra(sources: &mut Sources, path: &Path) -> Result<Node, Failure> {
    let shown = path.display().to_string();
    let fail = |d: Diagnostic| Failure {
        diagnostics: vec![d],
        unreadable: true,
    };
    let text = fs::read_to_string(path).map_err(|e| {
        fail(Diagnostic::error(
            diag::UNREADABLE_FILE,
            format!("cannot read `{shown}`: {e}"),
        ))
    })?;
    let file = sources.add(shown, text);
    yaml::parse(sources, file, Limits::default()).map_err(fail)
}

/// Reads and parses `<dir>/*.yml` under the tree's root (graph tests), sorted, with the same
/// checks and limits as the definitions. They are not definitions: the SHA does not cover them.
pub fn load_dir(tree: &mut Tree, dir: &str) -> Result<Vec<Doc>, Failure> {
    let limits = Limits::default();
    let fail = |diagnostics| Failure {
        diagnostics,
        unreadable: true,
    };
    let canonical_root = fs::canonicalize(&tree.root).map_err(|e| {
        fail(vec![Diagnostic::error(
            diag::UNREADABLE_FILE,
            format!("cannot open `{}`: {e}", tree.root.display()),
        )])
    })?;
    let mut files: Vec<String> = fs::read_dir(tree.root.join(dir))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yml") && !n.starts_with('.'))
                .map(|n| format!("{dir}/{n}"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for rel in files {
        let parsed = read(&tree.root, &canonical_root, &rel, limits).and_then(|text| {
            let file = tree.sources.add(rel.clone(), text);
            yaml::parse(&tree.sources, file, limits).map(|node| Doc { file, node })
        });
        match parsed {
            Ok(doc) => docs.push(doc),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(docs)
    } else {
        Err(fail(errors))
    }
}

/// Parses YAML given on the command line, as a source named `name` (for `--set`).
pub fn load_text(sources: &mut Sources, name: String, text: &str) -> Result<Node, Failure> {
    let file = sources.add(name, text.to_owned());
    yaml::parse(sources, file, Limits::default()).map_err(|d| Failure {
        diagnostics: vec![d],
        unreadable: true,
    })
}

/// A span covering a whole file's start, for findings about a file as a whole.
pub fn file_start(file: FileId) -> Span {
    Span::new(file, 0, 0)
}
