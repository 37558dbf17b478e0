//! `taskgen simulate`: outcomes, approvals, durations and both rule sets, on a fixture with
//! every job type (tests/fixtures/simulate) and on the built-in definitions.

mod common;

use common::{repo, taskgen};
use serde_json::Value;

fn fixture(args: &[&str]) -> common::Run {
    let root = repo().join("tests/fixtures/simulate");
    let mut all = vec!["simulate", "--branch", "main"];
    all.extend(args);
    taskgen(&root, &all)
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = fixture(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn status<'a>(v: &'a Value, label: &str) -> &'a str {
    v["jobs"][label]["status"].as_str().unwrap_or("absent")
}

/// Nothing approved: the sign-off waits its two-day request timeout, fails as `skip-failure`
/// says, skips what follows, and the notification fires. Reviewed as a whole.
#[test]
fn the_default_play_as_json() {
    let run = fixture(&["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = fixture(&["--format", "json"]);
    assert_eq!(run.stdout, again.stdout, "same inputs, same bytes");
    common::snapshots("").bind(|| insta::assert_snapshot!("simulate_fixture_default", run.stdout));
}

#[test]
fn an_approved_sign_off_lets_the_timer_release_the_ship() {
    let v = json(&["--approve", "sign-off"]);
    assert_eq!(status(&v, "sign-off"), "success");
    assert_eq!(v["jobs"]["wait"]["start_s"], 5400);
    assert_eq!(v["jobs"]["wait"]["end_s"], 5400 + 3600);
    assert_eq!(v["jobs"]["ship"]["end_s"], 5400 + 3600 + 600);
    assert_eq!(status(&v, "told"), "skipped", "nothing went wrong: no mail");
    assert_eq!(v["makespan_s"], 9600);
    let path: Vec<&str> = v["critical_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        path,
        [
            "ship:start",
            "build",
            "test",
            "sign-off",
            "wait",
            "ship",
            "ship:end"
        ]
    );
    assert_eq!(v["summary"]["success"], 8);
    // `--approve-all` approves the same breakpoint.
    assert_eq!(json(&["--approve-all"]), v);
}

#[test]
fn a_failed_build_skips_what_needs_its_success_and_runs_what_needs_it_finished() {
    let v = json(&["--outcome", "build=failure", "--approve-all"]);
    assert_eq!(status(&v, "build"), "failure");
    assert_eq!(status(&v, "test"), "skipped");
    assert_eq!(v["jobs"]["test"]["start_s"], Value::Null);
    assert_eq!(v["jobs"]["test"]["runs"], 0);
    assert_eq!(
        v["jobs"]["test"]["because"][0],
        "`build` ended `failure`; `test` needs `success`"
    );
    assert_eq!(v["jobs"]["test"]["because"][1], "outcome `build=failure`");
    // `tidy-up` waits for `finished`, and skipped is a final status.
    assert_eq!(status(&v, "tidy-up"), "success");
    assert_eq!(v["jobs"]["tidy-up"]["start_s"], 3600);
    for skipped in ["sign-off", "wait", "ship"] {
        assert_eq!(status(&v, skipped), "skipped", "{skipped}");
    }
    assert_eq!(status(&v, "told"), "success");
    assert!(
        v["jobs"]["told"]["because"][0]
            .as_str()
            .unwrap()
            .contains("`build` ended `failure`")
    );
}

#[test]
fn exceptions_are_retried_up_to_the_jobs_retries() {
    // retries: 2 (the defaults): three runs at most.
    let v = json(&["--outcome", "build=exception@2", "--approve-all"]);
    assert_eq!(status(&v, "build"), "success");
    assert_eq!(v["jobs"]["build"]["runs"], 3);
    assert_eq!(v["jobs"]["build"]["end_s"], 3 * 3600);
    assert_eq!(v["jobs"]["test"]["start_s"], 3 * 3600);
    let v = json(&["--outcome", "build=exception@3"]);
    assert_eq!(status(&v, "build"), "exception");
    assert_eq!(v["jobs"]["build"]["runs"], 3);
    let v = json(&["--outcome", "build=exception"]);
    assert_eq!(status(&v, "build"), "exception");
    assert_eq!(v["jobs"]["build"]["runs"], 3);
}

#[test]
fn a_run_longer_than_its_max_runtime_times_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("durations.yml");
    std::fs::write(&file, "build: 3h\n\"t*\": 1m\n").unwrap();
    let v = json(&["--durations", file.to_str().unwrap()]);
    assert_eq!(status(&v, "build"), "timed-out");
    assert_eq!(v["jobs"]["build"]["end_s"], 7200, "max_runtime: 2h");
    let v = json(&[
        "--durations",
        file.to_str().unwrap(),
        "--outcome",
        "build=success",
    ]);
    assert_eq!(
        v["jobs"]["tidy-up"]["end_s"],
        7200 + 60,
        "`t*` matches tidy-up"
    );
}

#[test]
fn taskcluster_rules_wait_for_deadlines_and_say_where_they_differ() {
    let v = json(&["--outcome", "build=failure", "--as", "taskcluster"]);
    assert_eq!(v["rules"], "taskcluster");
    // `all-completed`: the test never runs and resolves at its deadline (1d after creation).
    assert_eq!(status(&v, "test"), "exception");
    let diffs = v["differences"].as_array().unwrap();
    let test = diffs.iter().find(|d| d["label"] == "test").unwrap();
    assert_eq!(test["taskgen"]["status"], "skipped");
    assert_eq!(test["taskgen"]["resolved_s"], 3600);
    assert_eq!(test["taskcluster"]["status"], "exception");
    assert_eq!(test["taskcluster"]["resolved_s"], 86_400);
    assert!(
        test["taskcluster"]["because"]
            .as_str()
            .unwrap()
            .contains("`all-completed` never runs this task")
    );
    // The unapproved breakpoint: taskgen counts its 2d from when it is reached, Taskcluster
    // from the graph's creation.
    let v = json(&["--as", "taskcluster"]);
    assert_eq!(v["jobs"]["sign-off"]["end_s"], 2 * 86_400);
    assert_eq!(status(&v, "sign-off"), "exception");
    // `wait` has the default 1d deadline: it expires before the sign-off's.
    assert_eq!(status(&v, "wait"), "exception");
    let human = fixture(&["--as", "taskcluster"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human
            .stdout
            .contains("where Taskcluster differs from taskgen's conditions"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_human_report_names_causes_and_the_critical_path() {
    let run = fixture(&["--outcome", "build=failure"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    common::snapshots("")
        .bind(|| insta::assert_snapshot!("simulate_fixture_build_failed", run.stdout));
}

/// Every query must match: a misspelt label is an error naming the nearest, exit 2.
#[test]
fn mistakes_are_usage_errors_naming_what_is_wrong() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--outcome", "biuld=failure"],
            "matches no job of the graph",
        ),
        (&["--outcome", "biuld=failure"], "`build`"),
        (&["--outcome", "build=failur"], "did you mean `failure`"),
        (&["--outcome", "build=failure@2"], "`exception` only"),
        (&["--outcome", "build"], "is not QUERY=STATUS"),
        (&["--approve", "build"], "matches no breakpoint"),
        (&["--approve", "kind=bulid"], "no job's `kind` matches"),
    ];
    for (args, want) in cases {
        let run = fixture(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(want), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}");
    }
    let root = repo().join("tests/fixtures/simulate");
    let run = taskgen(&root, &["simulate", "--branch", "mian"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`main`"),
        "the nearest branch: {}",
        run.stderr
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("durations.yml");
    std::fs::write(&file, "build: 1h\ntest: soon\n").unwrap();
    let run = fixture(&["--durations", file.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("durations.yml:2:7"),
        "located: {}",
        run.stderr
    );
    std::fs::write(&file, "nosuch: 1h\n").unwrap();
    let run = fixture(&["--durations", file.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("durations.yml:1:1"),
        "located: {}",
        run.stderr
    );
}

/// On the built-in definitions: a failed linux64 opt build changes only its tests and talos
/// and the sheriffs' notification; Taskcluster leaves those tests waiting for a day.
#[test]
fn the_builtin_inbound_graph_with_a_failed_build() {
    let run = taskgen(
        &repo(),
        &[
            "simulate",
            "--branch",
            "mozilla-inbound",
            "--outcome",
            "build-linux64-opt=failure",
            "--format",
            "json",
            "--as",
            "taskcluster",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["branch"], "mozilla-inbound");
    assert_eq!(status(&v, "builds-failed"), "success");
    let diffs = v["differences"].as_array().unwrap();
    // The figure in the README: 42 tests and talos runs, and the `:end` milestones after them.
    let runs: Vec<&Value> = diffs
        .iter()
        .filter(|d| {
            let l = d["label"].as_str().unwrap();
            l.starts_with("test-ubuntu64_vm-opt-") || l.starts_with("talos-ubuntu64_hw-opt-")
        })
        .collect();
    assert_eq!(runs.len(), 42);
    assert!(runs.iter().all(|d| d["taskgen"]["status"] == "skipped"
        && d["taskgen"]["resolved_s"] == 4500
        && d["taskcluster"]["status"] == "exception"
        && d["taskcluster"]["resolved_s"] == 86_400));
    assert!(
        diffs.len() - runs.len() <= 3,
        "only milestones besides: {diffs:?}"
    );
    assert!(
        diffs
            .iter()
            .all(|d| d["taskcluster"]["resolved_s"].as_u64() >= d["taskgen"]["resolved_s"].as_u64()),
        "Taskcluster never decides earlier here"
    );
}
