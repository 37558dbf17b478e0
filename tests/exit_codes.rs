//! The README's exit-code table, command by command: 0 success, 1 findings in the
//! definitions, 2 usage errors and input that cannot be read.

mod common;

use common::{builtin_copy, edit, repo, taskgen};

/// Every command on the built-in tree: a run that succeeds, and usage errors.
#[test]
fn usage_errors_exit_2_in_every_command() {
    let ok: &[&[&str]] = &[
        &["generate", "-b", "try", "--format", "labels"],
        &["dot", "-b", "try"],
        &["explain", "-b", "try", "build-linux64-opt"],
        &["diff", "-b", "try", "--against-branch", "mozilla-inbound"],
        &["lint", "-b", "try"],
        &["test", "-b", "try"],
        &["simulate", "-b", "try"],
        &["rules"],
        &["rule", "TG301"],
    ];
    for args in ok {
        let run = taskgen(&repo(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    let usage: &[&[&str]] = &[
        &["generate", "-b", "nosuch"],
        &["generate", "-b", "try", "--trigger", "nightyl"],
        &["generate", "-b", "try", "--select", "nosuch-*"],
        &["generate", "-b", "try", "--job-args", "nosuch-*=--x"],
        &["generate", "-b", "try", "--param", "nosuch=1"],
        &[
            "generate",
            "-b",
            "try",
            "--format",
            "taskcluster",
            "--now",
            "2025-02-31T00:00:00Z",
        ],
        &["generate", "-b", "try", "--params", "/dev/zero"],
        &["generate", "-b", "try", "--policy", "/nonexistent.yml"],
        &["generate", "--no-such-option"],
        &["dot", "-b", "nosuch"],
        &["dot", "-b", "try", "--focus", "nosuch"],
        &["dot", "-b", "try", "--graph", "nosuch"],
        &["explain", "-b", "try", "nosuch"],
        &["explain", "-b", "nosuch", "build-linux64-opt"],
        &["diff", "-b", "try", "--against-branch", "nosuch"],
        &["lint", "-b", "nosuch"],
        &["lint", "--ignore", "nosuch"],
        &["test", "-b", "nosuch"],
        &["test", "--filter", "nosuch*"],
        &["simulate", "-b", "nosuch"],
        &["simulate", "-b", "try", "--outcome", "nosuch=failure"],
        &[
            "simulate",
            "-b",
            "try",
            "--outcome",
            "build-linux64-opt=flaky",
        ],
        &["simulate", "-b", "try", "--approve", "build-linux64-opt"],
        &["simulate", "-b", "try", "--durations", "/dev/zero"],
        &["rule", "TG999"],
        &["--max-jobs", "0", "generate", "-b", "try"],
    ];
    for args in usage {
        let run = taskgen(&repo(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?} writes nothing");
        assert!(!run.stderr.contains("panicked"), "{args:?}");
    }
}

/// A definitions error is 1 in every command that reads the definitions; a file that cannot
/// be read is 2.
#[test]
fn definitions_errors_exit_1_and_unreadable_files_exit_2() {
    let wrong = builtin_copy();
    edit(wrong.path(), "taskgraph/graphs/per-checkin.yml", |s| {
        s.replacen("job: build\n", "job: biuld\n", 1)
    });
    let unreadable = builtin_copy();
    edit(unreadable.path(), "branches/try.yml", |s| {
        format!("{s}\n: [\n")
    });
    for (dir, code) in [(&wrong, 1), (&unreadable, 2)] {
        let root = dir.path().to_str().unwrap();
        let commands: &[&[&str]] = &[
            &["generate", "-b", "try"],
            &["dot", "-b", "try"],
            &["explain", "-b", "try", "build-linux64-opt"],
            &["diff", "-b", "try", "--against-branch", "mozilla-inbound"],
            &["lint"],
            &["test", "-b", "try"],
            &["simulate", "-b", "try"],
        ];
        for args in commands {
            let mut all = vec!["--root", root];
            all.extend(args.iter());
            let run = taskgen(dir.path(), &all);
            assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
            assert!(!run.stderr.contains("panicked"), "{args:?}");
        }
    }
}
