//! Shared helpers for the integration tests: building fixture trees and running the binary.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::{Path, PathBuf};
use std::process::Command;

use taskgen::fixture::write_bundle;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `taskgen` with a stable environment (no colour, fixed width) in `cwd`.
pub fn taskgen(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_taskgen"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("the taskgen binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Directives at the top of a case file: `# args: ...`, `# exit: N`, `# delete: path`,
/// `# binary: path`, and `# standalone` for a case that is a whole tree (no base).
pub struct Case {
    pub args: Vec<String>,
    pub exit: i32,
    pub dir: tempfile::TempDir,
}

/// Writes `tests/rules/base.txt` and then the case over it into a temporary tree.
pub fn case(path: &Path, default_exit: i32) -> Case {
    let text = std::fs::read_to_string(path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(repo().join("tests/rules/base.txt")).unwrap();
    if !text.lines().any(|l| l == "# standalone") {
        write_bundle(dir.path(), &base).unwrap();
    }
    write_bundle(dir.path(), &text).unwrap();
    let mut args = vec![
        "generate".to_owned(),
        "--branch".to_owned(),
        "generic".to_owned(),
    ];
    let mut exit = default_exit;
    for line in text.lines() {
        if let Some(a) = line.strip_prefix("# args: ") {
            args = a.split_whitespace().map(str::to_owned).collect();
        } else if let Some(e) = line.strip_prefix("# exit: ") {
            exit = e.trim().parse().unwrap();
        } else if let Some(p) = line.strip_prefix("# delete: ") {
            std::fs::remove_file(dir.path().join(p.trim())).unwrap();
        } else if let Some(p) = line.strip_prefix("# binary: ") {
            std::fs::write(dir.path().join(p.trim()), b"platforms: [\xff\xfe]\n").unwrap();
        }
    }
    Case { args, exit, dir }
}

impl Case {
    /// Runs the case's arguments against its tree.
    pub fn run(&self) -> Run {
        let root = self.dir.path().to_str().unwrap();
        let mut args = vec!["--root", root];
        args.extend(self.args.iter().map(String::as_str));
        taskgen(self.dir.path(), &args)
    }
}

/// Insta settings for snapshots under `snapshots/<dir>` (the top level when empty).
pub fn snapshots(dir: &str) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(repo().join("snapshots").join(dir));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the built-in definitions (`taskgraph/`, `branches/`), to change.
pub fn builtin_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("taskgraph"), &dir.path().join("taskgraph"));
    copy_dir(&repo().join("branches"), &dir.path().join("branches"));
    dir
}

/// Rewrites one file of a tree.
pub fn edit(root: &Path, file: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(file);
    std::fs::write(&path, f(std::fs::read_to_string(&path).unwrap())).unwrap();
}

/// Runs a command that must succeed; its stdout. Panics with its stderr when it fails.
pub fn stdout_of(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs git in `dir` as a test user, without signing.
pub fn git(dir: &Path, args: &[&str]) {
    stdout_of(
        Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir),
    );
}
