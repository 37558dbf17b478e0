//! `taskgen test` on the built-in definitions: the shipped tests pass, and a change that breaks
//! what they state fails them, pointing at the expectation.

mod common;

use common::{builtin_copy, edit, repo, taskgen};

#[test]
fn the_builtin_tests_pass() {
    let run = taskgen(&repo(), &["test"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("on 9 branches: all passed"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_change_that_breaks_a_stated_fact_fails_its_test() {
    let dir = builtin_copy();
    // Mochitest in 4 chunks, and PGO per push on inbound.
    edit(dir.path(), "taskgraph/jobs/tests.yml", |s| {
        s.replacen("mochitest: 5", "mochitest: 4", 1)
    });
    edit(dir.path(), "branches/mozilla-inbound.yml", |s| {
        s + "pgo: per-checkin\n"
    });
    let root = dir.path().to_str().unwrap();
    let run = taskgen(dir.path(), &["--root", root, "test", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let names: Vec<&str> = findings
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"count-mismatch"), "{names:?}");
    assert!(names.contains(&"unexpected-job"), "{names:?}");
    let count = findings
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("suite=mochitest"))
        .unwrap();
    assert_eq!(count["name"], "count-mismatch");
    assert_eq!(count["path"], "taskgraph/tests/schedule.yml");
    assert!(
        count["message"]
            .as_str()
            .unwrap()
            .contains("expected exactly 5 jobs matching `suite=mochitest test_platform=ubuntu64_vm build_type=opt`, found 4"),
        "{count}"
    );
    let pgo = findings
        .iter()
        .find(|f| f["name"] == "unexpected-job")
        .unwrap();
    assert_eq!(pgo["branches"], serde_json::json!(["mozilla-inbound"]));
}

#[test]
fn tests_can_be_narrowed_to_branches_and_names() {
    let run = taskgen(&repo(), &["test", "--branch", "try", "--filter", "try*"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("2 tests (4 checks) on 1 branch: all passed"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_test_file_is_reported_with_its_location() {
    let dir = builtin_copy();
    edit(dir.path(), "taskgraph/tests/ordering.yml", |s| {
        s.replacen("depends:", "depend:", 1)
    });
    let root = dir.path().to_str().unwrap();
    let run = taskgen(dir.path(), &["--root", root, "test"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("TG101(unknown-key)"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `depends`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("taskgraph/tests/ordering.yml:8:9"),
        "{}",
        run.stderr
    );
}
