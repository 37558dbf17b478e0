//! Test fixtures: a whole definitions tree written as one text file, each file introduced by
//! a `# file: <path>` line. Used by unit and integration tests.

use std::fs;
use std::path::Path;

/// Splits a bundle into (path, contents) pairs.
pub fn parse_bundle(text: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("# file: ") {
            files.push((path.trim().to_owned(), String::new()));
        } else if let Some((_, body)) = files.last_mut() {
            body.push_str(line);
        }
    }
    files
}

/// Writes a bundle's files under `root`.
pub fn write_bundle(root: &Path, text: &str) -> std::io::Result<()> {
    for (path, body) in parse_bundle(text) {
        let path = root.join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, body)?;
    }
    Ok(())
}

/// Generates a bundle's graph for `branch`/`trigger`; errors as their codes and messages.
pub fn generate_bundle(
    text: &str,
    branch: &str,
    trigger: &str,
) -> Result<crate::pipeline::Generated, Vec<String>> {
    let dir = tempfile::tempdir().map_err(|e| vec![e.to_string()])?;
    write_bundle(dir.path(), text).map_err(|e| vec![e.to_string()])?;
    let messages = |f: &crate::diag::Failure| {
        f.diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code.id, d.message))
            .collect::<Vec<_>>()
    };
    let mut tree = crate::load::load(dir.path()).map_err(|e| messages(&e.failure))?;
    let req = crate::pipeline::Request {
        branch: branch.into(),
        trigger: trigger.into(),
        ..Default::default()
    };
    crate::pipeline::generate(&mut tree, &req).map_err(|f| messages(&f))
}

/// `{label: [dependency labels]}` in output order, for compact assertions.
pub fn edges(g: &crate::pipeline::Generated) -> Vec<(String, Vec<String>)> {
    g.graph
        .jobs
        .iter()
        .map(|j| {
            (
                j.label.clone(),
                j.dependencies.iter().map(|d| d.label.clone()).collect(),
            )
        })
        .collect()
}
