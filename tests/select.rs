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
            &["--select", "try: -b o -p win,mac -u e10s,wpt -t none"],
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
fn no_build_type_means_both_and_an_empty_selection_is_an_error() {
    let out = labels("try", &["--select", "try: -p linux64 -u none"]);
    assert_eq!(
        out,
        "per-checkin:start\nbuild-linux64-debug\nbuild-linux64-opt\n"
    );
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "try",
            "--format",
            "labels",
            "--select",
            "try: -p linux46",
        ],
    );
    assert_eq!(run.code, 2, "an empty selection is an error");
    assert_eq!(run.stdout, "");
    assert!(
        unwrapped(&run.stderr).contains(
            "`-p linux46` names no build platform here; the nearest are `linux`, `linux64`"
        ),
        "{}",
        run.stderr
    );
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
            "try: -p linux46",
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
    // No try syntax (`try:` needs a space after it): the defaults run, with a note.
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "try",
            "--format",
            "labels",
            "--message",
            "no syntax, try:-b o",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        unwrapped(&run.stderr)
            .contains("the commit message holds no `try: ` syntax: the defaults run"),
        "{}",
        run.stderr
    );
    let defaults = labels("try", &["--select", "try: -b do -p all -u all -t none"]);
    assert_eq!(run.stdout, defaults);
    assert!(defaults.contains("build-win32-debug\n") && !defaults.contains("build-linux64-cc-opt"));
}

/// What the real parser ignored is ignored, each part with a note; `--strict` refuses it.
#[test]
fn ignored_parts_are_noted_and_strict_refuses_them() {
    for (selection, note) in [
        (
            "try: -b x -p linux64 -u none",
            "`-b x` is not `o`, `d` or `do`: both build types run",
        ),
        ("try: -b o -p linux64 -u", "`-u` needs a value"),
        (
            "try: -b o -p linux64 -m none -u none",
            "`-m` is not an option taskgen reads",
        ),
        (
            "try: -b o -p linux64 -u xpcshel",
            "`-u xpcshel` names no test suite here; the nearest are `xpcshell`",
        ),
    ] {
        let run = taskgen(
            &repo(),
            &[
                "generate", "-b", "try", "--format", "labels", "--select", selection,
            ],
        );
        assert_eq!(run.code, 0, "{selection}: {}", run.stderr);
        assert!(
            unwrapped(&run.stderr).contains(note),
            "{selection}: {}",
            run.stderr
        );
        let strict = taskgen(
            &repo(),
            &["generate", "-b", "try", "--strict", "--select", selection],
        );
        assert_eq!(strict.code, 2, "{selection}");
        assert!(
            unwrapped(&strict.stderr).contains(note),
            "{selection}: {}",
            strict.stderr
        );
        assert!(strict.stdout.is_empty());
    }
}

#[test]
fn bad_selections_are_usage_errors() {
    for (selection, message) in [
        ("kind=test platform", "`platform` is not `key=value`"),
        ("test-[", "is not a valid glob"),
    ] {
        let run = taskgen(&repo(), &["generate", "-b", "try", "--select", selection]);
        assert_eq!(run.code, 2, "{selection}");
        assert!(run.stderr.contains(message), "{selection}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

/// The try workflow's per-job arguments, from the message and from the command line, on the
/// chosen jobs only, recorded in the output and shown by `explain`.
#[test]
fn try_workflow_arguments() {
    let message = "try: -b o -p linux64 -u mochitest-1,xpcshell -t none --try-test-paths mochitest:dom/base xpcshell:netwerk/test --tag devtools --setenv MOZ_LOG=sync --no-retry --rebuild 3";
    let g = json("try", &["--message", message, "--setenv", "A=1"]);
    let jobs = g["jobs"].as_object().unwrap();
    let command = |label: &str| -> Vec<String> {
        jobs[label]["command"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    };
    let m = command("test-ubuntu64_vm-opt-mochitest-1");
    assert!(
        m.ends_with(&["--test-path=dom/base".into(), "--tag=devtools".into()]),
        "{m:?}"
    );
    let x = command("test-ubuntu64_vm-opt-xpcshell");
    assert!(
        x.ends_with(&["--test-path=netwerk/test".into(), "--tag=devtools".into()]),
        "{x:?}"
    );
    let job = &jobs["test-ubuntu64_vm-opt-xpcshell"];
    assert_eq!(job["env"]["MOZ_LOG"], "sync");
    assert_eq!(job["env"]["A"], "1");
    assert_eq!(job["retries"], 0);
    // Three runs of each chosen test, the same dependencies; the build only needed is as it was.
    for k in [2, 3] {
        let copy = &jobs[&format!("test-ubuntu64_vm-opt-xpcshell-rebuild-{k}")];
        assert_eq!(copy["dependencies"], job["dependencies"]);
    }
    assert!(!jobs.contains_key("test-ubuntu64_vm-opt-xpcshell-rebuild-4"));
    // The build is chosen too (`-p linux64 -b o`), but only tests and talos run again.
    assert_eq!(jobs["build-linux64-opt"]["env"]["MOZ_LOG"], "sync");
    assert!(!jobs.contains_key("build-linux64-opt-rebuild-2"));
    assert_eq!(g["options"]["rebuild"], 3);
    assert_eq!(g["options"]["tags"][0], "devtools");
    // A job only needed by the chosen ones is left as it was.
    let g = json(
        "try",
        &[
            "--select",
            "test-ubuntu64_vm-opt-xpcshell",
            "--setenv",
            "A=1",
            "--rebuild",
            "2",
        ],
    );
    let build = &g["jobs"]["build-linux64-opt"];
    assert!(build["env"].get("A").is_none());
    assert_eq!(g["jobs"]["test-ubuntu64_vm-opt-xpcshell"]["env"]["A"], "1");
    assert!(
        g["jobs"]
            .get("test-ubuntu64_vm-opt-xpcshell-rebuild-2")
            .is_some()
    );
    // `explain` says the command line set them.
    let run = taskgen(
        &repo(),
        &[
            "explain",
            "--branch",
            "try",
            "--message",
            message,
            "test-ubuntu64_vm-opt-xpcshell",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let env_line = run
        .stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("env"))
        .nth(1)
        .unwrap_or("");
    assert!(env_line.contains("command line"), "{}", run.stdout);
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
