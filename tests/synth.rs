//! The benchmark tree generator (`examples/synth.rs`): its trees are valid, lint clean, have
//! about the jobs asked for on every branch, and are the same bytes every time.

mod common;

#[allow(dead_code, reason = "the example's `main` is not called here")]
#[path = "../examples/synth.rs"]
mod synth;

use std::path::Path;

use common::taskgen;

fn tree_bytes(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for dir in [
        "taskgraph",
        "taskgraph/jobs",
        "taskgraph/graphs",
        "branches",
    ] {
        let mut names: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        names.sort();
        for p in names {
            files.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    files
}

#[test]
fn synthetic_trees_lint_clean_with_about_the_jobs_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let platforms = synth::run(2000, dir.path()).unwrap();
    assert!(platforms > 10, "{platforms} build platforms");
    let lint = taskgen(dir.path(), &["lint", "--deny-warnings"]);
    assert_eq!(lint.code, 0, "{}", lint.stdout);
    assert!(lint.stdout.contains("in 8 branches"), "{}", lint.stdout);
    for branch in ["bench", "bench-try", "bench-central"] {
        let run = taskgen(
            dir.path(),
            &["generate", "--branch", branch, "--format", "labels"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let jobs = run.stdout.lines().count();
        assert!((1700..=2200).contains(&jobs), "{branch}: {jobs} jobs");
    }
    // Builds fan out to chunked tests, and a milestone per build waits for all of them.
    let json = taskgen(dir.path(), &["generate", "--branch", "bench"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let done = &doc["jobs"]["tests-linux64-00000-tests-opt-done"]["dependencies"];
    assert!(done.as_array().unwrap().len() > 20, "{done}");
}

#[test]
fn synthetic_trees_are_deterministic() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    synth::run(500, a.path()).unwrap();
    synth::run(500, b.path()).unwrap();
    let strip = |root: &Path, files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        let prefix = root.display().to_string();
        files
            .into_iter()
            .map(|(p, b)| (p.replacen(&prefix, "", 1), b))
            .collect()
    };
    assert_eq!(
        strip(a.path(), tree_bytes(a.path())),
        strip(b.path(), tree_bytes(b.path()))
    );
}
