//! `--select` and the run arguments on the built-in definitions.

mod common;

use common::{repo, taskgen};
use serde_json::Value;

fn labels(branch: &str, extra: &[&str]) -> String {
    let mut args = vec!["generate", "--branch", branch, "--format", "labels"];
    args.extend(extra);
    let run = taskgen(&repo(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

fn json(branch: &str, extra: &[&str]) -> Value {
    let mut args = vec!["generate", "--branch", branch];
    args.extend(extra);
    let run = taskgen(&repo(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn snapshot(name: &str, value: String) {
    common::snapshots("select").bind(|| insta::assert_snapshot!(name, value));
}

#[test]
fn label_globs() {
    snapshot(
        "label_globs",
        labels(
            "mozilla-inbound",
            &[
                "--select",
                "test-ubuntu64_vm-opt-mochitest-[12] talos-win7-*",
            ],
        ),
    );
}

#[test]
fn attribute_queries() {
    let out = labels(
        "mozilla-inbound",
        &[
            "--select",
            "kind=test platform=linux64 build_type=debug suite=mochitest-devtools-chrome",
        ],
    );
    snapshot("attribute_query", out);
}

#[test]
fn classic_try_syntax() {
    snapshot(
        "try_classic",
        labels(
            "try",
            &[
                "--select",
                "try: -b do -p linux64,win32 -u mochitest-3,reftest[linux64] -t none",
            ],
        ),
    );
}

#[test]
fn reftest_1_runs_the_whole_suite_where_it_is_not_chunked() {
    let out = labels(
        "mozilla-inbound",
        &["--select", "try: -b o -p linux,win32 -u reftest-1 -t none"],
    );
    assert!(
        out.contains("test-ubuntu32_vm-opt-reftest-1\n"),
        "chunk 1 on linux32, where reftest has 2 chunks"
    );
    assert!(!out.contains("test-ubuntu32_vm-opt-reftest-2\n"));
    assert!(
        out.contains("test-win7-ix-opt-reftest\n"),
        "the whole suite on Windows, where it has 1"
    );
    snapshot("try_reftest_1", out);
}

#[test]
fn aliases_plain_list_and_regex() {
    snapshot(
        "try_aliases",
        labels(
            "try",
            &[
                "--select",
                "try: -b o -p win,mac -u mochitest-bc-2,e10s -t none",
            ],
        ),
    );
}

#[test]
fn talos_and_restrictions() {
    let out = labels(
        "mozilla-central",
        &[
            "--select",
            "try: -b o -p all -u xpcshell[xp-ix,linux64] -t tp5o",
        ],
    );
    assert!(
        out.contains("test-xp-ix-opt-xpcshell\n") && !out.contains("test-win7-ix-opt-xpcshell\n")
    );
    assert!(out.contains("talos-ubuntu64_hw-opt-tp5o\n"));
    snapshot("try_restrictions_talos", out);
}

#[test]
fn no_build_type_means_no_jobs() {
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "try",
            "--format",
            "labels",
            "--select",
            "try: -p linux64 -u all",
        ],
    );
    assert_eq!(run.code, 2, "an empty selection is an error");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("selects no job"), "{}", run.stderr);
    let allowed = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "try",
            "--format",
            "labels",
            "--allow-empty",
            "--select",
            "try: -p linux64 -u all",
        ],
    );
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert_eq!(allowed.stdout, "");
    assert!(
        allowed.stderr.contains("selects no job"),
        "{}",
        allowed.stderr
    );
}

/// A selection or `--job-args` glob that matches nothing names what is nearest.
#[test]
fn empty_selections_are_errors_naming_the_nearest() {
    for (args, expected) in [
        (
            vec!["--select", "build-linux64-opz"],
            "the nearest labels are `build-linux64-opt`",
        ),
        (
            vec!["--select", "kind=test platfrom=linux64"],
            "no job has a `platfrom`: did you mean `platform`?",
        ),
        (
            vec!["--select", "kind=tset"],
            "no job's `kind` matches; its values are `build`",
        ),
        (
            vec!["--job-args", "bild-*=--verbose"],
            "`--job-args bild-*=…` matches no job",
        ),
    ] {
        let mut all = vec!["generate", "-b", "mozilla-inbound", "--format", "labels"];
        all.extend(&args);
        let run = taskgen(&repo(), &all);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            unwrapped(&run.stderr).contains(expected),
            "{args:?}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn selecting_an_inactive_job_activates_it_and_its_upstream() {
    let g = json("try", &["--select", "build-linux64-pgo"]);
    let jobs = g["jobs"].as_object().unwrap();
    assert_eq!(
        jobs.keys().collect::<Vec<_>>(),
        [
            "per-checkin:start",
            "per-checkin/pgo:start",
            "build-linux64-pgo"
        ]
    );
    assert!(jobs.values().all(|j| j["active"] == true));
}

#[test]
fn unselected_inactive_keeps_the_rest() {
    let all = labels("try", &[]).lines().count();
    let g = json(
        "try",
        &[
            "--select",
            "try: -b o -p linux64 -u xpcshell -t none",
            "--unselected",
            "inactive",
        ],
    );
    let jobs = g["jobs"].as_object().unwrap();
    assert_eq!(jobs.len(), all);
    let active: Vec<&String> = jobs
        .iter()
        .filter(|(_, j)| j["active"] == true)
        .map(|(l, _)| l)
        .collect();
    assert_eq!(
        active,
        [
            "per-checkin:start",
            "build-linux64-opt",
            "test-ubuntu64_vm-opt-xpcshell"
        ]
    );
    assert_eq!(g["options"]["unselected"], "inactive");
}

#[test]
fn try_reads_the_commit_message() {
    let message = "Bug 1094000 - Fix the frobnicator. r=me\n\ntry: -b d -p linux64 -u jittest";
    let out = labels("try", &["--message", message]);
    assert_eq!(
        out,
        "per-checkin:start\nbuild-linux64-debug\ntest-ubuntu64_vm-debug-jittest-1\ntest-ubuntu64_vm-debug-jittest-2\n"
    );
    let run = taskgen(
        &repo(),
        &["generate", "-b", "try", "--message", "no syntax"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the commit message holds no `try:` syntax")
    );
}

#[test]
fn bad_selections_are_usage_errors() {
    for (selection, message) in [
        ("try: -b x", "unknown build type `x`"),
        ("try: -b o -u", "`-u` needs a value"),
        ("kind=test platform", "`platform` is not `key=value`"),
        ("test-[", "is not a valid glob"),
    ] {
        let run = taskgen(&repo(), &["generate", "-b", "try", "--select", selection]);
        assert_eq!(run.code, 2, "{selection}");
        assert!(run.stderr.contains(message), "{selection}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn run_arguments_are_applied_and_recorded() {
    let g = json(
        "mozilla-inbound",
        &[
            "--select",
            "test-ubuntu64_vm-opt-mochitest-1",
            "--job-args",
            "test-*mochitest*=--setpref=dom.ipc=1 --verify",
            "--no-retry",
            "--priority",
            "lowest",
        ],
    );
    let job = &g["jobs"]["test-ubuntu64_vm-opt-mochitest-1"];
    let command: Vec<&str> = job["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        &command[command.len() - 2..],
        ["--setpref=dom.ipc=1", "--verify"]
    );
    assert_eq!(job["retries"], 0);
    assert_eq!(job["priority"], "lowest");
    assert_eq!(
        g["jobs"]["build-linux64-opt"]["command"]
            .as_array()
            .unwrap()
            .last()
            .unwrap(),
        "--branch=mozilla-inbound",
        "only matching jobs"
    );
    assert_eq!(g["options"]["no_retry"], true);
    assert_eq!(g["options"]["priority"], "lowest");
    assert_eq!(g["options"]["job_args"][0][0], "test-*mochitest*");
}

#[test]
fn priority_is_never_raised_nor_above_the_maximum() {
    let g = json(
        "mozilla-inbound",
        &["--select", "build-linux64-opt", "--priority", "medium"],
    );
    assert_eq!(
        g["jobs"]["build-linux64-opt"]["priority"], "medium",
        "lowered from high"
    );
    assert_eq!(
        g["jobs"]["per-checkin:start"]["priority"], "lowest",
        "never raised"
    );
    let run = taskgen(&repo(), &["generate", "-b", "try", "--priority", "high"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("above the branch's maximum `low`"),
        "{}",
        run.stderr
    );
}

#[test]
fn dot_takes_the_selection_too() {
    let run = taskgen(
        &repo(),
        &[
            "dot",
            "-b",
            "try",
            "--select",
            "try: -b o -p linux64 -u xpcshell -t none",
        ],
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.matches("[shape=box").count(),
        2 + 2,
        "two jobs and the legend's two boxes"
    );
}

/// Globs that globset cannot compile (very many `*`, nested braces) are usage errors naming
/// the option, never a panic.
#[test]
fn hostile_globs_on_the_command_line_are_usage_errors() {
    let nested = format!("{}a{}", "{a,".repeat(100), "}".repeat(100));
    let term = format!("kind={nested}");
    for args in [
        vec!["generate", "--branch", "try", "--select", nested.as_str()],
        vec!["generate", "--branch", "try", "--select", term.as_str()],
    ] {
        let run = common::taskgen(&common::repo(), &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(
            unwrapped(&run.stderr).contains("is not a valid glob"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
    let stars = format!("{}=--x", "a*".repeat(20_000));
    let run = common::taskgen(
        &common::repo(),
        &["generate", "--branch", "try", "--job-args", &stars],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr).contains("is not a valid glob"),
        "{}",
        run.stderr
    );
}

/// A miette message with its wrapped lines joined again.
fn unwrapped(stderr: &str) -> String {
    stderr.replace("\n  │ ", " ")
}
