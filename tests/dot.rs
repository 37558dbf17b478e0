//! `taskgen dot`, checked by the real Graphviz (`dot -Tsvg`) and by snapshots of small trees.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{repo, taskgen};

/// Runs Graphviz on DOT text; `.ci/run` installs it (Debian package graphviz).
fn graphviz(dot_text: &str) -> Result<String, String> {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run Graphviz `dot` ({e}): install the graphviz package"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot_text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() && out.stderr.is_empty() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn settings() -> insta::Settings {
    common::snapshots("")
}

#[test]
fn graphviz_renders_every_builtin_branch_and_trigger() {
    let tree = taskgen::load::load(&repo()).unwrap();
    for name in tree.branches.keys() {
        let branch = taskgen::branch::resolve(&tree, name).unwrap();
        for trigger in branch.triggers.keys() {
            let run = taskgen(&repo(), &["dot", "--branch", name, "--trigger", trigger]);
            assert_eq!(run.code, 0, "{name}/{trigger}: {}", run.stderr);
            let svg = graphviz(&run.stdout).unwrap_or_else(|e| panic!("{name}/{trigger}: {e}"));
            assert!(
                svg.contains("<svg") && svg.contains("cluster_0"),
                "{name}/{trigger}"
            );
        }
    }
}

#[test]
fn small_tree_picture() {
    let root = repo().join("tests/fixtures/small");
    let run = taskgen(&root, &["dot", "--branch", "generic"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    graphviz(&run.stdout).unwrap();
    settings().bind(|| insta::assert_snapshot!("dot_small_generic", run.stdout));
}

#[test]
fn features_picture_with_every_job_type_and_condition() {
    let c = common::case(&repo().join("tests/cases/ok/features.txt"), 0);
    let root = c.dir.path().to_str().unwrap();
    let run = taskgen(
        c.dir.path(),
        &[
            "--root",
            root,
            "dot",
            "--branch",
            "release",
            "--param",
            "publish=yes",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    graphviz(&run.stdout).unwrap();
    for shape in [
        "shape=box",
        "shape=octagon",
        "shape=ellipse",
        "shape=note",
        "shape=diamond",
        "shape=Mdiamond",
    ] {
        assert!(run.stdout.contains(shape), "{shape}");
    }
    assert!(
        run.stdout.contains("style=\"dashed,filled\""),
        "inactive jobs are dashed"
    );
    assert!(
        run.stdout.contains("style=dotted"),
        "finished edges are dotted"
    );
    settings().bind(|| insta::assert_snapshot!("dot_features_release", run.stdout));
}

#[test]
fn focus_graph_and_inactive_select_what_is_drawn() {
    let focus = taskgen(
        &repo(),
        &[
            "dot",
            "-b",
            "mozilla-inbound",
            "--focus",
            "test-ubuntu32_vm-opt-reftest-1",
            "--depth",
            "1",
        ],
    );
    assert_eq!(focus.code, 0, "{}", focus.stderr);
    let nodes: Vec<&str> = focus
        .stdout
        .lines()
        .filter(|l| l.contains("[shape=") && !l.contains("legend"))
        .collect();
    assert_eq!(
        nodes.len(),
        3,
        "the test, its build and its graph's end: {nodes:?}"
    );
    assert!(nodes.iter().any(|n| n.contains("\"build-linux-opt\"")));
    assert!(
        nodes
            .iter()
            .any(|n| n.contains("\"per-checkin/tests-opt:end\""))
    );
    let sub = taskgen(
        &repo(),
        &[
            "dot",
            "-b",
            "mozilla-inbound",
            "--graph",
            "per-checkin/spidermonkey",
        ],
    );
    assert_eq!(
        sub.stdout.matches("[shape=box").count() - 2,
        7,
        "7 shell builds (and the legend's two boxes)"
    );
    let no_js = ["--files-changed", "tests/fixtures/changes/no-js.txt"];
    let hide = taskgen(
        &repo(),
        &[
            &["dot", "-b", "mozilla-inbound", "--inactive", "hide"][..],
            &no_js,
        ]
        .concat(),
    );
    assert!(!hide.stdout.contains("\"sm-linux64-debug-rootanalysis\""));
    let show = taskgen(
        &repo(),
        &[&["dot", "-b", "mozilla-inbound"][..], &no_js].concat(),
    );
    assert!(
        show.stdout
            .contains("\"sm-linux64-debug-rootanalysis\" [shape=box, style=\"dashed,filled\"")
    );
}

#[test]
fn unknown_focus_or_graph_is_an_error() {
    let run = taskgen(
        &repo(),
        &[
            "dot",
            "-b",
            "mozilla-inbound",
            "--focus",
            "build-linux64-opf",
        ],
    );
    assert_eq!(run.code, 2, "an unknown focus is a usage error");
    assert!(
        run.stderr.contains("did you mean `build-linux64-opt`?"),
        "{}",
        run.stderr
    );
    let run = taskgen(
        &repo(),
        &["dot", "-b", "mozilla-inbound", "--graph", "per-checkin/pgo"],
    );
    assert_eq!(run.code, 2, "an unknown graph is a usage error");
    assert!(
        run.stderr
            .contains("no subgraph has the path `per-checkin/pgo`"),
        "{}",
        run.stderr
    );
}

#[test]
fn output_is_stable() {
    let a = taskgen(&repo(), &["dot", "-b", "try"]).stdout;
    assert_eq!(a, taskgen(&repo(), &["dot", "-b", "try"]).stdout);
}

#[test]
fn the_pictures_in_the_docs_are_current() {
    for (file, args) in [
        (
            "docs/img/mozilla-esr31-push.dot",
            vec!["dot", "--branch", "mozilla-esr31"],
        ),
        (
            "docs/img/inbound-reftest-focus.dot",
            vec![
                "dot",
                "--branch",
                "mozilla-inbound",
                "--focus",
                "test-ubuntu32_vm-opt-reftest-1",
                "--depth",
                "2",
            ],
        ),
        (
            "docs/img/release.dot",
            vec!["dot", "--branch", "mozilla-release", "--trigger", "manual"],
        ),
    ] {
        let run = taskgen(&repo(), &args);
        let committed = std::fs::read_to_string(repo().join(file)).unwrap_or_default();
        assert!(
            committed == run.stdout,
            "{file} is stale: run `taskgen {}` and regenerate with docs/img/regenerate.sh",
            args.join(" ")
        );
    }
}
