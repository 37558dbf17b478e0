//! The trust policy end to end on the built-in definitions: an outside policy (`--policy`)
//! replaces the tree's, so that no change to the tree can relax it; customization with `--set`.

mod common;

use std::fs;
use std::path::Path;

use common::{builtin_copy, edit, repo, taskgen};

fn trusted() -> String {
    repo()
        .join("tests/fixtures/policy/trusted.yml")
        .to_string_lossy()
        .into_owned()
}

/// A malicious change: try claims level 3, gets nightlies (signing, updates), and the in-tree
/// policy is relaxed to allow signing anywhere and customization of everything.
fn relax(root: &Path) {
    edit(root, "branches/try.yml", |s| {
        s.replace("trust_level: 1", "trust_level: 3")
            .replace("max_priority: low", "max_priority: high")
            .replace(
                "triggers:\n",
                "triggers:\n  nightly: {graph: nightly, cron: \"0 0 * * *\"}\n",
            )
    });
    edit(root, "taskgraph/config.yml", |s| {
        s.replace(
            "try: {trust_level: 1, max_priority: low,",
            "try: {trust_level: 3, max_priority: high,",
        )
            .replace("trust_levels: [3]", "trust_levels: [1, 2, 3]")
            .replace(
                "locked: [\"kind=nightly\", \"kind=l10n\", \"kind=signing\", \"kind=balrog\", \"kind=release-*\"]",
                "locked: []",
            )
    });
}

#[test]
fn the_trusted_policy_is_the_in_tree_one() {
    let config = fs::read_to_string(repo().join("taskgraph/config.yml")).unwrap();
    let in_tree = &config[config.find("\npolicy:\n").unwrap() + 9..];
    let outside = fs::read_to_string(trusted()).unwrap();
    let dedented: Vec<&str> = in_tree
        .lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect();
    assert!(
        outside.ends_with(&format!("{}\n", dedented.join("\n"))),
        "tests/fixtures/policy/trusted.yml has drifted from `policy:` in taskgraph/config.yml"
    );
}

#[test]
fn an_in_tree_change_cannot_relax_an_outside_policy() {
    let dir = builtin_copy();
    relax(dir.path());
    let root = dir.path().to_str().unwrap();
    let nightly = ["--root", root, "generate", "-b", "try", "-t", "nightly"];

    // The relaxed in-tree policy lets it through: that is what the outside policy is for.
    let inside = taskgen(dir.path(), &nightly);
    assert_eq!(inside.code, 0, "{}", inside.stderr);

    let policy = trusted();
    let mut args = nightly.to_vec();
    args.extend(["--policy", &policy]);
    let outside = taskgen(dir.path(), &args);
    assert_eq!(outside.code, 1, "{}", outside.stderr);
    assert!(outside.stdout.is_empty(), "nothing is written");
    for code in ["TG701(branch-above-policy)", "TG702(restricted-job)"] {
        assert!(outside.stderr.contains(code), "{code}:\n{}", outside.stderr);
    }
    assert!(
        outside
            .stderr
            .contains("is restricted by `signing` (its kind `signing`)"),
        "{}",
        outside.stderr
    );

    // Deleting the in-tree policy changes nothing either.
    edit(dir.path(), "taskgraph/config.yml", |s| {
        s[..s.find("\npolicy:\n").unwrap()].to_owned()
    });
    let without = taskgen(dir.path(), &args);
    assert_eq!(without.code, 1, "{}", without.stderr);
    assert!(without.stderr.contains("TG702(restricted-job)"));

    // lint takes the same policy.
    let lint = taskgen(dir.path(), &["--root", root, "lint", "--policy", &policy]);
    assert_eq!(lint.code, 1);
    assert!(
        lint.stdout.contains("TG702(restricted-job)"),
        "{}",
        lint.stdout
    );
}

#[test]
fn an_outside_policy_locks_what_the_tree_unlocks() {
    let dir = builtin_copy();
    relax(dir.path());
    edit(dir.path(), "branches/try.yml", |s| {
        s.replace("trust_level: 3", "trust_level: 1")
    });
    edit(dir.path(), "taskgraph/jobs/builds.yml", |s| {
        s.replace("locked: true", "locked: false")
    });
    let root = dir.path().to_str().unwrap();
    let policy = trusted();
    let set = [
        "--root",
        root,
        "generate",
        "-b",
        "try",
        "-t",
        "nightly",
        "--set",
        "nightly-linux64.retries=0",
    ];
    // With the in-tree policy relaxed, signing on try is still a restricted job at level 1...
    let mut args = set.to_vec();
    args.extend(["--policy", &policy]);
    let run = taskgen(dir.path(), &args);
    assert_eq!(run.code, 1);
    // ...and the customized nightly is locked by the outside policy, not the tree.
    assert!(
        run.stderr
            .contains("`nightly-linux64` is locked: it runs as defined"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("locked by the policy"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_output_records_the_policy_in_force() {
    let policy = trusted();
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "mozilla-central",
            "-t",
            "nightly",
            "--policy",
            &policy,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let sha = doc["policy"].as_str().unwrap();
    assert!(sha.starts_with("sha256:") && sha.len() == 7 + 64, "{sha}");
    let nightly = &doc["jobs"]["nightly-signing-linux64"];
    assert_eq!(nightly["locked"], true);
    assert_eq!(nightly["customized"], false);
    let run = taskgen(
        &repo(),
        &["generate", "-b", "mozilla-central", "-t", "nightly"],
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["policy"], "in-tree");
}

#[test]
fn a_missing_policy_file_is_an_input_error() {
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "try",
            "--policy",
            "/nonexistent/policy.yml",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("TG001"), "{}", run.stderr);
    let run = taskgen(&repo(), &["lint", "--policy", "/nonexistent/policy.yml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn set_customizes_one_job_on_try_with_the_diff() {
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "try",
            "--set",
            "build-linux64-opt.max_runtime=3h",
            "--set",
            "build-linux64-opt.env={MOZ_LOG: 5}",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let job = &doc["jobs"]["build-linux64-opt"];
    assert_eq!(job["customized"], true);
    assert_eq!(job["timeouts"]["max_runtime_s"], 10_800);
    assert_eq!(
        job["customization"]["timeouts"]["defined"]["max_runtime_s"],
        7200
    );
    assert_eq!(
        job["customization"]["env"]["set"],
        serde_json::json!({"MOZ_LOG": "5"})
    );
    assert_eq!(doc["jobs"]["build-linux64-debug"]["customized"], false);
    assert!(
        doc["jobs"]["build-linux64-debug"]
            .get("customization")
            .is_none()
    );
}

#[test]
fn set_errors_name_the_problem() {
    let cases: [(&[&str], i32, &str); 4] = [
        (
            &["--set", "build-linux64-opx.retries=1"],
            1,
            "did you mean `build-linux64-opt`?",
        ),
        (
            &["--set", "build-linux64-opt.retires=1"],
            2,
            "did you mean `retries`?",
        ),
        (
            &["--set", "build-linux64-opt.priority=urgent"],
            1,
            "unknown priority",
        ),
        (
            &["--set", "build-linux64-opt.chunks=3"],
            2,
            "cannot be set for one run",
        ),
    ];
    for (extra, code, says) in cases {
        let mut args = vec!["generate", "-b", "try"];
        args.extend(extra);
        let run = taskgen(&repo(), &args);
        assert_eq!(run.code, code, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{extra:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn run_arguments_leave_locked_jobs_as_defined() {
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "mozilla-central",
            "-t",
            "nightly",
            "--no-retry",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["jobs"]["nightly-linux64"]["locked"], true);
    assert_ne!(doc["jobs"]["nightly-linux64"]["retries"], 0);
    assert_eq!(doc["jobs"]["nightly-failed"]["locked"], false);
    assert_eq!(doc["jobs"]["nightly-failed"]["retries"], 0);
    assert!(
        run.stderr
            .contains("locked jobs run as defined: run arguments do not change them"),
        "{}",
        run.stderr
    );
}

/// Each way a try push could reach what the policy guards through the parts of the tree that
/// are not jobs: every one fails `generate` (native and Taskcluster) and `lint` under the
/// outside policy, naming what it found, and writes nothing.
#[test]
fn what_reaches_taskcluster_is_checked_whatever_sets_it() {
    type Change = fn(&Path);
    let cases: [(&str, Change, &str); 6] = [
        (
            "special types queued on the signing workers",
            |root| {
                edit(root, "taskgraph/config.yml", |s| {
                    s.replace(
                        "    dummy: built-in/succeed",
                        "    dummy: scriptworker-prov-v1/signing-linux-v1",
                    )
                })
            },
            "is restricted by `signing` (its queue `scriptworker-prov-v1/signing-",
        ),
        (
            "a level-3 scheduler for every try task",
            |root| {
                edit(root, "taskgraph/config.yml", |s| {
                    s.replace(
                        "scheduler_id: \"gecko-level-{{ branch.trust_level }}\"",
                        "scheduler_id: gecko-level-3",
                    )
                })
            },
            "scheduler ID `gecko-level-3` is not granted to trust level 1",
        ),
        (
            "another project",
            |root| {
                edit(root, "taskgraph/config.yml", |s| {
                    s.replace("project_id: gecko", "project_id: releng")
                })
            },
            "project ID `releng` is not granted to trust level 1",
        ),
        (
            "a pool the policy cannot read",
            |root| {
                edit(root, "taskgraph/jobs/builds.yml", |s| {
                    s.replacen(
                        "pool: \"{{ branch.platform_config[platform].pool }}\"",
                        "pool: [signing]",
                        1,
                    )
                })
            },
            "is a list, not the name of a worker pool",
        ),
        (
            "try passing for mozilla-central",
            |root| {
                edit(root, "branches/try.yml", |s| {
                    format!("{s}name: mozilla-central\n")
                })
            },
            "`name` is set by taskgen, not by `branches/try.yml`",
        ),
        (
            "a notification route try is not granted",
            |root| {
                edit(root, "taskgraph/graphs/per-checkin.yml", |s| {
                    s.replace("channel: irc", "channel: pulse")
                })
            },
            "uses route `notify.pulse.#try.on-",
        ),
    ];
    let policy = trusted();
    for (what, change, expected) in cases {
        let dir = builtin_copy();
        change(dir.path());
        let root = dir.path().to_str().unwrap();
        let out = dir.path().join("out.json");
        let out = out.to_str().unwrap();
        for format in ["json", "taskcluster"] {
            let run = taskgen(
                dir.path(),
                &[
                    "--root", root, "generate", "--branch", "try", "--policy", &policy, "--format",
                    format, "-o", out,
                ],
            );
            assert_eq!(run.code, 1, "{what} ({format}):\n{}", run.stderr);
            assert!(
                run.stderr.contains(expected),
                "{what} ({format}):\n{}",
                run.stderr
            );
            assert!(!Path::new(out).exists(), "{what}: nothing is written");
        }
        let lint = taskgen(
            dir.path(),
            &[
                "--root", root, "lint", "--branch", "try", "--policy", &policy,
            ],
        );
        assert_eq!(lint.code, 1, "{what} (lint):\n{}", lint.stdout);
        assert!(
            lint.stdout.contains(expected),
            "{what} (lint):\n{}",
            lint.stdout
        );
    }
}

/// `--set` cannot add a notification route the trust level is not granted.
#[test]
fn set_cannot_add_an_ungranted_notify_route() {
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "--branch",
            "try",
            "--policy",
            &trusted(),
            "--set",
            "builds-failed.notify={channel: pulse, target: anything, on: finished}",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("uses route `notify.pulse.anything.on-resolved`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

/// `index.gecko.v2.<branch>.*`: each branch indexes its builds under its own name only, whatever
/// the decision parameters say its project is.
#[test]
fn a_branch_indexes_under_its_own_name_only() {
    let policy = trusted();
    for (branch, project, code) in [
        ("ash", "", 0),
        ("ash", "mozilla-central", 1),
        ("try", "mozilla-release", 1),
        ("mozilla-central", "", 0),
    ] {
        let param = format!("project={project}");
        let run = taskgen(
            &repo(),
            &[
                "generate", "--branch", branch, "--policy", &policy, "--param", &param,
            ],
        );
        assert_eq!(run.code, code, "{branch} as {project:?}: {}", run.stderr);
        if code != 0 {
            assert!(run.stderr.contains("TG707"), "{}", run.stderr);
            assert!(
                run.stderr
                    .contains(&format!("index.gecko.v2.{project}.latest.firefox")),
                "{}",
                run.stderr
            );
        }
    }
}
