//! The definitions tree at another git revision, read with `git show` into a temporary
//! directory: the work tree is never touched.

use std::path::Path;
use std::process::Command;

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The files changed since `rev` (committed or not), relative to `root`.
pub fn changed_since(root: &Path, rev: &str) -> Result<Vec<String>, String> {
    let out = git(root, &["diff", "--name-only", "--relative", rev, "--"])?;
    Ok(String::from_utf8_lossy(&out)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Writes the definitions files of `root` as they were at `rev` into a new temporary directory.
pub fn checkout(root: &Path, rev: &str) -> Result<tempfile::TempDir, String> {
    let listing = git(
        root,
        &[
            "ls-tree",
            "-r",
            "--name-only",
            rev,
            "--",
            "taskgraph",
            "branches",
        ],
    )?;
    let files: Vec<String> = String::from_utf8_lossy(&listing)
        .lines()
        .map(str::to_owned)
        .collect();
    if files.is_empty() {
        return Err(format!(
            "revision `{rev}` has no definitions under `{}`",
            root.display()
        ));
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for file in files {
        let bytes = git(root, &["show", &format!("{rev}:./{file}")])?;
        let path = dir.path().join(&file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    }
    Ok(dir)
}
