//! `taskgen diff` between branches, fixture trees and git revisions; `taskgen explain`.

mod common;

use common::{git, repo, taskgen};
use serde_json::Value;

fn snapshot(name: &str, value: String) {
    common::snapshots("diff_explain").bind(|| insta::assert_snapshot!(name, value));
}

const TREE: &str = "# file: taskgraph/config.yml\nformat_version: 1\n\
# file: taskgraph/jobs/j.yml\njobs:\n  build:\n    kind: build\n    params: {p: string}\n    retries: 2\n    command: [make, \"{{ p }}\"]\n\
# file: taskgraph/graphs/g.yml\ngraph: g\ninclude:\n  - {graph: extra, active: \"{{ branch.extra }}\"}\nnodes:\n  - {name: \"build-{{ p }}\", job: build, for: {p: \"{{ branch.ps }}\"}}\n  - {name: done, type: dummy, needs: {\"build-*\": finished}}\n\
# file: taskgraph/graphs/extra.yml\ngraph: extra\nnodes:\n  - {name: extra, type: dummy}\n\
# file: branches/generic.yml\nps: [a, b]\nextra: true\ntriggers: {push: g}\n";

#[test]
fn diff_between_two_git_revisions_reads_git_and_leaves_the_work_tree() {
    let dir = tempfile::tempdir().unwrap();
    taskgen::fixture::write_bundle(dir.path(), TREE).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "one"]);
    // The change under review: a new platform, one more retry, the extra graph off.
    taskgen::fixture::write_bundle(
        dir.path(),
        "# file: branches/generic.yml\nps: [a, b, c]\nextra: false\ntriggers: {push: g}\n\
         # file: taskgraph/jobs/j.yml\njobs:\n  build:\n    kind: build\n    params: {p: string}\n    retries: 3\n    command: [make, \"{{ p }}\"]\n",
    )
    .unwrap();
    let before = std::fs::read_to_string(dir.path().join("branches/generic.yml")).unwrap();
    let root = dir.path().to_str().unwrap();
    let run = taskgen(
        dir.path(),
        &[
            "--root",
            root,
            "diff",
            "-b",
            "generic",
            "--against-rev",
            "HEAD",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("branches/generic.yml")).unwrap(),
        before
    );
    snapshot("git_revisions", run.stdout);
    let json = taskgen(
        dir.path(),
        &[
            "--root",
            root,
            "diff",
            "-b",
            "generic",
            "--against-rev",
            "HEAD",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["jobs_added"], serde_json::json!(["build-c"]));
    assert_eq!(
        v["jobs_changed"]["build-a"][0],
        serde_json::json!({"field": "retries", "old": 2, "new": 3})
    );
    assert_eq!(
        v["graphs_changed"][0],
        serde_json::json!({"path": "g/extra", "old_active": true, "new_active": false})
    );
    assert_eq!(v["old"]["revision"], "HEAD");
    let exit = taskgen(
        dir.path(),
        &[
            "--root",
            root,
            "diff",
            "-b",
            "generic",
            "--against-rev",
            "HEAD",
            "--exit-code",
        ],
    );
    assert_eq!(exit.code, 1, "--exit-code: 1 when they differ");
    git(dir.path(), &["commit", "-qam", "two"]);
    let same = taskgen(
        dir.path(),
        &[
            "--root",
            root,
            "diff",
            "-b",
            "generic",
            "--against-rev",
            "HEAD",
            "--exit-code",
        ],
    );
    assert_eq!(same.code, 0);
    assert!(same.stdout.contains("no differences"));
    let bad = taskgen(
        dir.path(),
        &[
            "--root",
            root,
            "diff",
            "-b",
            "generic",
            "--against-rev",
            "no-such-rev",
        ],
    );
    assert_eq!(bad.code, 2);
}

#[test]
fn diff_between_two_branches() {
    let run = taskgen(
        &repo(),
        &[
            "diff",
            "-b",
            "mozilla-inbound",
            "--against-branch",
            "fx-team",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let added: Vec<&str> = v["jobs_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    // Inbound builds the spidermonkey_info shell variants too.
    assert_eq!(
        added,
        [
            "sm-linux-debug-warnaserrdebug",
            "sm-linux-warnaserr",
            "sm-linux64-debug-warnaserrdebug",
            "sm-linux64-warnaserr"
        ]
    );
    assert!(v["jobs_removed"].as_array().unwrap().is_empty());
    // Both run SpiderMonkey builds; inbound has the spidermonkey_info project too.
    assert_eq!(v["graphs_added"], serde_json::json!([]));
    let small = taskgen(
        &repo(),
        &[
            "diff",
            "-b",
            "mozilla-beta",
            "--against-branch",
            "mozilla-release",
            "--trigger",
            "manual",
            "--select",
            "qa-signoff",
        ],
    );
    snapshot("beta_against_release_qa_signoff", small.stdout);
}

#[test]
fn explain_says_where_every_field_came_from() {
    let run = taskgen(
        &repo(),
        &[
            "explain",
            "-b",
            "mozilla-inbound",
            "test-ubuntu32_vm-opt-reftest-2",
            "--job-args",
            "test-*=--verify",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let head: String = run
        .stdout
        .split("\njob as generated:")
        .next()
        .unwrap()
        .to_owned();
    snapshot("explain_reftest_2", head);
    let v = explained("test-ubuntu32_vm-opt-reftest-2");
    let chunks = field(&v, "chunks");
    assert_eq!(chunks["by"], "job template");
    assert!(
        chunks["set_at"]
            .as_str()
            .unwrap()
            .starts_with("taskgraph/jobs/tests.yml:")
    );
    assert_eq!(v["upstream"][0]["label"], "build-linux-opt");
    assert!(
        v["downstream"][0]["label"]
            .as_str()
            .unwrap()
            .ends_with(":end")
    );
}

#[test]
fn explain_says_why_a_job_is_inactive_or_selected() {
    let run = taskgen(&repo(), &["explain", "-b", "try", "build-linux64-pgo"]);
    assert!(run.stdout.contains("inactive: graph `per-checkin/pgo` is included with `active: \"{{ branch.pgo == 'per-checkin' }}\"`"), "{}", run.stdout);
    let sm = taskgen(
        &repo(),
        &[
            "explain",
            "-b",
            "mozilla-inbound",
            "--files-changed",
            "tests/fixtures/changes/no-js.txt",
            "sm-linux64-warnaserr",
        ],
    );
    assert!(
        sm.stdout.contains(
            "inactive: graph `per-checkin/spidermonkey`'s `files_changed`: the push changed no file matching `js/src/**`"
        ),
        "{}",
        sm.stdout
    );
    let js = taskgen(
        &repo(),
        &[
            "explain",
            "-b",
            "mozilla-inbound",
            "--files-changed",
            "tests/fixtures/changes/js.txt",
            "sm-linux64-warnaserr",
        ],
    );
    assert!(
        js.stdout
            .contains("the push changed `js/src/jit/Ion.cpp` (`js/src/**`)"),
        "{}",
        js.stdout
    );
    let chosen = taskgen(
        &repo(),
        &[
            "explain",
            "-b",
            "try",
            "build-linux64-pgo",
            "--select",
            "build-linux64-pgo",
        ],
    );
    assert!(
        chosen
            .stdout
            .contains("active: chosen by `--select build-linux64-pgo`"),
        "{}",
        chosen.stdout
    );
    let upstream = taskgen(
        &repo(),
        &[
            "explain",
            "-b",
            "try",
            "per-checkin/pgo:start",
            "--select",
            "build-linux64-pgo",
        ],
    );
    assert!(
        upstream.stdout.contains("active: needed by a chosen job"),
        "{}",
        upstream.stdout
    );
    let worker = field(
        &explained_on("b2g-inbound", "talos-win7-ix-opt-xperf"),
        "worker",
    )
    .clone();
    assert_eq!(worker["branch_keys"][0]["key"], "talos_platforms");
    assert_eq!(
        worker["branch_keys"][0]["set_at"], "branches/b2g-inbound.yml:8:1",
        "the override set it"
    );
    let missing = taskgen(&repo(), &["explain", "-b", "try", "build-linux64-opf"]);
    assert_eq!(missing.code, 2, "an unknown label is a usage error");
    assert!(
        missing
            .stderr
            .contains("the nearest labels are `build-linux64-opt`"),
        "{}",
        missing.stderr
    );
}

/// `taskgen explain --format json` for a mozilla-inbound job.
fn explained(label: &str) -> Value {
    explained_on("mozilla-inbound", label)
}

fn explained_on(branch: &str, label: &str) -> Value {
    let run = taskgen(
        &repo(),
        &["explain", "-b", branch, label, "--format", "json"],
    );
    serde_json::from_str(&run.stdout).unwrap()
}

/// One field of an explanation.
fn field<'v>(explained: &'v Value, name: &str) -> &'v Value {
    let fields = explained["fields"].as_array().unwrap();
    fields.iter().find(|f| f["field"] == name).unwrap()
}
