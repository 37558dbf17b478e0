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
    /// What the tree's files spent of the YAML bounds, graph tests included once read.
    pub spent: yaml::Spent,
    /// What the graphs a command expands from this tree may make, and have made.
    pub budget: crate::budget::Budget,
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

/// Texts that stand in for files of the tree, by path relative to the root: an editor's
/// unsaved buffers (`taskgen lsp`). A path no file has yet is read as a new file.
pub type Overlay = BTreeMap<String, String>;

/// Whether `rel` is where a definitions file lives: the config, or `*.yml` directly in a
/// definitions directory.
fn is_definitions_path(rel: &str) -> bool {
    rel == CONFIG
        || ["taskgraph/jobs/", "taskgraph/graphs/", "branches/"]
            .iter()
            .any(|dir| {
                rel.strip_prefix(dir).is_some_and(|name| {
                    name.ends_with(".yml") && !name.starts_with('.') && !name.contains('/')
                })
            })
}

/// Input files, as paths relative to the root, sorted: those on disk and those of `overlay`.
fn list_files(root: &Path, overlay: &Overlay) -> Result<Vec<String>, Diagnostic> {
    let mut files: Vec<String> = overlay
        .keys()
        .filter(|rel| is_definitions_path(rel))
        .cloned()
        .collect();
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
    files.dedup();
    if files.is_empty() {
        return Err(Diagnostic::error(
            diag::NO_DEFINITIONS,
            format!("no definitions found in `{}`", root.display()),
        )
        .help("a definitions root holds `taskgraph/config.yml`, `taskgraph/jobs/*.yml`, `taskgraph/graphs/*.yml` and `branches/*.yml`"));
    }
    Ok(files)
}

/// The directories definitions files may live in, canonical: a file (or what its symlink
/// points to) anywhere else, `.git/` of the same checkout included, is never read.
fn allowed_dirs(root: &Path) -> Vec<PathBuf> {
    ["taskgraph", "branches"]
        .iter()
        .filter_map(|d| fs::canonicalize(root.join(d)).ok())
        .collect()
}

/// A definitions file's text: it must resolve inside `allowed` (checked before anything is
/// read), and be a regular file of at most the size limit.
fn read(root: &Path, allowed: &[PathBuf], rel: &str, limits: Limits) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    let real = fs::canonicalize(&path).map_err(|e| {
        Diagnostic::error(diag::UNREADABLE_FILE, format!("cannot read `{rel}`: {e}"))
    })?;
    if !allowed.iter().any(|d| real.starts_with(d)) {
        return Err(Diagnostic::error(
            diag::UNREADABLE_FILE,
            format!("cannot read `{rel}`: it is a link to a file outside `taskgraph/` and `branches/`"),
        )
        .help("definitions files must live inside the definitions directories; the file it points to was not read"));
    }
    read_text(&real, rel, limits.max_bytes)
}

/// Reads a file that must be a regular file (not a FIFO, a device or a directory, which could
/// block or never end) of at most `max_bytes` of UTF-8. `shown` names it in errors.
pub fn read_text(path: &Path, shown: &str, max_bytes: usize) -> Result<String, Diagnostic> {
    use std::io::Read;
    let unreadable = |why: String| {
        Diagnostic::error(
            diag::UNREADABLE_FILE,
            format!("cannot read `{shown}`: {why}"),
        )
    };
    // `metadata` does not open the file: a FIFO is found out without blocking on it.
    let meta = fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if !meta.is_file() {
        let what = file_kind(&meta.file_type());
        return Err(unreadable(format!("it is {what}, not a regular file")));
    }
    let too_big = |len: u64| too_big(shown, len, max_bytes);
    if meta.len() > max_bytes as u64 {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)
        .and_then(|f| f.take(max_bytes as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() > max_bytes {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        unreadable(format!(
            "it is not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// An overlay's text, held to the size limit a file is.
fn within_limit(text: &str, rel: &str, limits: Limits) -> Result<String, Diagnostic> {
    if text.len() > limits.max_bytes {
        return Err(too_big(rel, text.len() as u64, limits.max_bytes));
    }
    Ok(text.to_owned())
}

fn too_big(shown: &str, len: u64, max_bytes: usize) -> Diagnostic {
    Diagnostic::error(
        diag::YAML_LIMIT,
        format!("`{shown}` is {len} bytes, more than the limit of {max_bytes} bytes"),
    )
}

fn file_kind(t: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Input that could not be read, with the sources its diagnostics point into.
#[derive(Debug)]
pub struct LoadFailure {
    pub failure: Failure,
    pub sources: Sources,
}

/// Reads and parses every definitions file under `root`, reporting every unreadable file.
pub fn load(root: &Path) -> Result<Tree, LoadFailure> {
    load_with(root, &Overlay::new())
}

/// [`load`], with the texts of `overlay` in place of the files they name.
pub fn load_with(root: &Path, overlay: &Overlay) -> Result<Tree, LoadFailure> {
    let limits = Limits::default();
    let unreadable = |d: Vec<Diagnostic>| LoadFailure {
        failure: Failure {
            diagnostics: d,
            unreadable: true,
        },
        sources: Sources::default(),
    };
    fs::canonicalize(root).map_err(|e| {
        unreadable(vec![Diagnostic::error(
            diag::NO_DEFINITIONS,
            format!("cannot open definitions root `{}`: {e}", root.display()),
        )])
    })?;
    let allowed = allowed_dirs(root);
    let files = list_files(root, overlay).map_err(|d| unreadable(vec![d]))?;
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
        spent: yaml::Spent::default(),
        budget: crate::budget::Budget::default(),
    };
    for rel in files {
        let text = match overlay.get(&rel).map_or_else(
            || read(root, &allowed, &rel, limits),
            |text| within_limit(text, &rel, limits),
        ) {
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
        let node = match yaml::parse_within(&sources, file, limits, &mut tree.spent) {
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
    let limits = Limits::default();
    let text = read_text(path, &shown, limits.max_bytes).map_err(fail)?;
    let file = sources.add(shown, text);
    yaml::parse(sources, file, limits).map_err(fail)
}

/// Reads and parses `<dir>/*.yml` under the tree's root (graph tests), sorted, with the same
/// checks and limits as the definitions. They are not definitions: the SHA does not cover them.
pub fn load_dir(tree: &mut Tree, dir: &str) -> Result<Vec<Doc>, Failure> {
    let limits = Limits::default();
    let fail = |diagnostics| Failure {
        diagnostics,
        unreadable: true,
    };
    let allowed = allowed_dirs(&tree.root);
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
        let parsed = read(&tree.root, &allowed, &rel, limits).and_then(|text| {
            let file = tree.sources.add(rel.clone(), text);
            yaml::parse_within(&tree.sources, file, limits, &mut tree.spent)
                .map(|node| Doc { file, node })
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
