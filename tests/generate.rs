//! `taskgen generate` end to end: fixture trees, every fatal error's rendered diagnostic,
//! exit codes, atomic output and determinism.

mod common;

use std::fs;

use common::{case, repo, taskgen};

fn snapshot_settings() -> insta::Settings {
    common::snapshots("")
}

#[test]
fn ok_cases_generate_the_expected_json() {
    snapshot_settings().bind(|| {
        insta::glob!("cases/ok/*.txt", |path| {
            let c = case(path, 0);
            let run = c.run();
            assert_eq!(run.code, 0, "{}", run.stderr);
            insta::assert_snapshot!(run.stdout);
        });
    });
}

#[test]
fn small_fixture_tree_json() {
    let root = repo().join("tests/fixtures/small");
    let run = taskgen(&root, &["generate", "--branch", "release"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty());
    snapshot_settings().bind(|| insta::assert_snapshot!("small_release_json", run.stdout));
    let labels = taskgen(
        &root,
        &["generate", "--branch", "generic", "--format", "labels"],
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("small_generic_labels", labels.stdout));
}

#[test]
fn root_is_found_by_walking_up() {
    let sub = repo().join("tests/fixtures/small/taskgraph/graphs");
    let run = taskgen(
        &sub,
        &["generate", "--branch", "release", "--format", "labels"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("per-checkin:start\n"));
}

#[test]
fn no_root_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = taskgen(dir.path(), &["generate", "--branch", "x"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no definitions root"), "{}", run.stderr);
}

#[test]
fn unknown_branch_is_a_usage_error_in_every_command() {
    let root = repo().join("tests/fixtures/small");
    for args in [
        vec!["generate", "--branch", "relaese", "--format", "labels"],
        vec!["dot", "--branch", "relaese"],
        vec!["explain", "--branch", "relaese", "build-linux64-opt"],
        vec!["diff", "--branch", "release", "--against-branch", "relaese"],
        vec!["lint", "--branch", "relaese"],
        vec!["test", "--branch", "relaese"],
    ] {
        let run = taskgen(&root, &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("unknown branch `relaese`")
                && run.stderr.contains("did you mean `release`?"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?}");
    }
}

/// A project branch has no file, is declared, and generates from `generic.yml` alone.
#[test]
fn declared_project_branches_generate_from_generic() {
    let run = taskgen(
        &repo(),
        &["generate", "--branch", "cedar", "--format", "labels"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let generic = taskgen(
        &repo(),
        &["generate", "--branch", "generic", "--format", "labels"],
    );
    assert_eq!(run.stdout, generic.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let root = repo().join("tests/fixtures/small");
    assert_eq!(taskgen(&root, &["generate"]).code, 2);
    assert_eq!(
        taskgen(&root, &["generate", "--branch", "x", "--param", "novalue"]).code,
        2
    );
    assert_eq!(
        taskgen(&root, &["generate", "--branch", "x", "--format", "yaml"]).code,
        2
    );
}

#[test]
fn output_file_is_written_atomically_and_only_on_success() {
    let c = case(&repo().join("tests/rules/missing-dependency/fail.txt"), 1);
    let out = c.dir.path().join("graph.json");
    fs::write(&out, "previous").unwrap();
    let root = c.dir.path().to_str().unwrap();
    let run = taskgen(
        c.dir.path(),
        &[
            "--root",
            root,
            "generate",
            "--branch",
            "generic",
            "-o",
            "graph.json",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "previous",
        "a failed run leaves the old file"
    );
    let leftovers: Vec<_> = fs::read_dir(c.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".taskgen-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");

    let small = repo().join("tests/fixtures/small");
    let run = taskgen(
        &small,
        &[
            "generate",
            "--branch",
            "release",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let direct = taskgen(&small, &["generate", "--branch", "release"]).stdout;
    assert_eq!(fs::read_to_string(&out).unwrap(), direct);
}

#[test]
fn run_parameters_reach_templates_and_the_output() {
    let dir = tempfile::tempdir().unwrap();
    taskgen::fixture::write_bundle(
        dir.path(),
        "# file: taskgraph/config.yml\nformat_version: 1\nparameters: {n: integer, who: {type: string, default: nobody}}\n\
         # file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n  - name: \"x-{{ params.n }}-{{ params.who }}\"\n    type: dummy\n\
         # file: branches/generic.yml\ntriggers: {push: g}\n\
         # file: params.yml\nn: 1\nwho: file\n",
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let run = taskgen(
        dir.path(),
        &[
            "--root",
            root,
            "generate",
            "-b",
            "generic",
            "--params",
            "params.yml",
            "--param",
            "who=cli",
            "--format",
            "labels",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("x-1-cli\n"),
        "--param wins over --params: {}",
        run.stdout
    );
    let json = taskgen(
        dir.path(),
        &[
            "--root", root, "generate", "-b", "generic", "--param", "n=3", "--param", "who=me",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["parameters"], serde_json::json!({"n": 3, "who": "me"}));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let root = repo();
    let a = taskgen(&root, &["generate", "--branch", "mozilla-inbound"]);
    let b = taskgen(&root, &["generate", "--branch", "mozilla-inbound"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert!(a.stdout == b.stdout, "two runs differ");
    let c = taskgen(
        &root,
        &["generate", "--branch", "try", "--format", "labels"],
    );
    let d = taskgen(
        &root,
        &["generate", "--branch", "try", "--format", "labels"],
    );
    assert_eq!(c.stdout, d.stdout);
}

/// Run parameters are declared: a misspelt or undeclared one, or a value of the wrong type,
/// from `--param` or from a `--params` file, is a usage error at the value, naming the nearest.
#[test]
fn undeclared_or_mistyped_parameters_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("p.yml"), "publish_dely: 3h\n").unwrap();
    let params = dir.path().join("p.yml");
    let params = params.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["--param", "publish_dely=3h"],
            "the run has no parameter `publish_dely`",
        ),
        (
            vec!["--params", params],
            "the run has no parameter `publish_dely`",
        ),
        (
            vec!["--param", "build_number=yes"],
            "parameter `build_number` of the run must be an integer, but it is `yes`",
        ),
        (
            vec!["--param", "repack_chunks=many"],
            "parameter `repack_chunks` of the run must be an integer",
        ),
    ] {
        let mut all = vec!["generate", "--branch", "try"];
        all.extend(&args);
        let run = taskgen(&repo(), &all);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    let typo = taskgen(
        &repo(),
        &["generate", "--branch", "try", "--param", "publish_dely=3h"],
    );
    assert!(
        typo.stderr.contains("did you mean `publish_delay`?"),
        "{}",
        typo.stderr
    );
    let file = taskgen(
        &repo(),
        &["generate", "--branch", "try", "--params", params],
    );
    assert!(
        file.stderr.contains("p.yml:1:1"),
        "located in the file: {}",
        file.stderr
    );
}

/// The output records every parameter the run used, defaults included, so that the same
/// `--params` regenerates the same graph.
#[test]
fn the_output_records_the_declared_defaults() {
    let run = taskgen(&repo(), &["generate", "--branch", "try"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        v["parameters"],
        serde_json::json!({
            "repack_chunks": 6, "publish_delay": "2h",
            "release_version": "35.0", "build_number": 1, "balrog_rules": [],
            "level": 0, "try_message": "",
            "project": "", "head_repository": "", "head_rev": "tip", "pushlog_id": 0,
            "pushdate": 0, "owner": "", "moz_build_date": "19700101000000"
        })
    );
}

/// `files_changed` jobs run when a matching file changed, not otherwise, and all of them when
/// the run is not told (with a note); `--changed-since` asks git.
#[test]
fn changed_files_turn_spidermonkey_on_and_off() {
    let active = |args: &[&str]| -> (bool, String) {
        let mut all = vec!["generate", "--branch", "mozilla-inbound"];
        all.extend(args);
        let run = taskgen(&repo(), &all);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        (
            v["jobs"]["sm-linux64-warnaserr"]["active"] == true,
            run.stderr,
        )
    };
    let (on, _) = active(&["--files-changed", "tests/fixtures/changes/js.txt"]);
    assert!(on);
    let (on, _) = active(&["--files-changed", "tests/fixtures/changes/no-js.txt"]);
    assert!(!on);
    let (on, stderr) = active(&[]);
    assert!(
        on && stderr.contains(
            "1 subgraph or job with `files_changed` runs because the run was not told what changed"
        ),
        "{stderr}"
    );
    // The definitions' repository has no js/src: nothing there changed since HEAD.
    let (on, _) = active(&["--changed-since", "HEAD"]);
    assert!(!on);
    let bad = taskgen(
        &repo(),
        &[
            "generate",
            "--branch",
            "mozilla-inbound",
            "--changed-since",
            "no-such-rev",
        ],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("--changed-since"), "{}", bad.stderr);
    assert!(bad.stdout.is_empty());
}
