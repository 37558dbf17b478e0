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
