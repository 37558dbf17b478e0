//! `--format taskcluster` validated against the official Taskcluster schemas in
//! ../shared/schemas/taskcluster, plus what the queue checks beyond them.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;

use common::{repo, taskgen};
use serde_json::Value;

const NOW: &str = "2025-01-01T00:00:00Z";
const NOW_MS: &str = "2025-01-01T00:00:00.000Z";

fn schemas() -> PathBuf {
    repo().join("../shared/schemas/taskcluster")
}

fn schema(name: &str) -> jsonschema::Validator {
    let text = fs::read_to_string(schemas().join(name))
        .unwrap_or_else(|e| panic!("{name}: {e} (is ../shared beside the repo?)"));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn generate(branch: &str, trigger: &str, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "generate",
        "--branch",
        branch,
        "--trigger",
        trigger,
        "--format",
        "taskcluster",
        "--now",
        NOW,
    ];
    args.extend(extra);
    taskgen(&repo(), &args)
}

fn triggers(branch: &str) -> Vec<String> {
    let tree = taskgen::load::load(&repo()).unwrap();
    let b = taskgen::branch::resolve(&tree, branch).unwrap();
    b.triggers.keys().cloned().collect()
}

/// What the queue's createTask checks beyond the schema, for one submission in file order.
fn queue_accepts(graph: &Value, created: &str) -> Result<(), String> {
    let now = taskgen::time::parse(created).unwrap();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut expires = std::collections::HashMap::new();
    let mut schedulers = HashSet::new();
    for (label, entry) in graph.as_object().unwrap() {
        let task = &entry["task"];
        let ms = |k: &str| taskgen::time::parse(task[k].as_str().unwrap()).unwrap();
        if task["created"] != created {
            return Err(format!("{label}: created is not now"));
        }
        let (deadline, expiry) = (ms("deadline"), ms("expires"));
        if deadline <= now || deadline > now + 5 * 86_400_000 {
            return Err(format!("{label}: deadline out of (now, now + 5 days]"));
        }
        if expiry < deadline {
            return Err(format!("{label}: expires before its deadline"));
        }
        for dep in task["dependencies"].as_array().unwrap() {
            let dep = dep.as_str().unwrap();
            if !seen.contains(dep) {
                return Err(format!(
                    "{label}: dependency {dep} is not created before it"
                ));
            }
            if expires[dep] < deadline {
                return Err(format!(
                    "{label}: dependency {dep} expires before this deadline"
                ));
            }
        }
        if task["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().ends_with("**"))
        {
            return Err(format!("{label}: a scope ends in `**`"));
        }
        schedulers.insert(task["schedulerId"].as_str().unwrap().to_owned());
        let id = entry["task_id"].as_str().unwrap();
        seen.insert(id);
        expires.insert(id, expiry);
    }
    if schedulers.len() > 1 {
        return Err(format!("several schedulerIds: {schedulers:?}"));
    }
    Ok(())
}

/// The official schema a task's worker implementation validates, and what it takes: the
/// payload, or (scriptworkers) the whole task.
fn worker_schema(implementation: &str, task: &Value) -> (String, bool) {
    match implementation {
        "docker-worker" => ("docker-worker.payload".into(), false),
        "generic-worker/posix" => ("generic-worker-multiuser-posix.payload".into(), false),
        "generic-worker/windows" => ("generic-worker-multiuser-windows.payload".into(), false),
        "built-in" => ("built-in.payload".into(), false),
        "scriptworker/balrogscript" => {
            let behavior = task["payload"]["behavior"]
                .as_str()
                .unwrap_or("submit-locale");
            (format!("balrogscript-{behavior}-task"), true)
        }
        other => (
            format!("{}-task", other.trim_start_matches("scriptworker/")),
            true,
        ),
    }
}

#[test]
fn every_builtin_branch_and_trigger_validates() {
    let graph_schema = schema("task-graph.schema.json");
    let task_schema = schema("create-task-request.schema.json");
    let mut workers: std::collections::HashMap<String, jsonschema::Validator> =
        std::collections::HashMap::new();
    let mut by_implementation: std::collections::BTreeMap<String, usize> =
        std::collections::BTreeMap::new();
    let mut checked = 0;
    for entry in fs::read_dir(repo().join("branches")).unwrap().flatten() {
        let branch = entry
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for trigger in triggers(&branch) {
            let dir = tempfile::tempdir().unwrap();
            let inactive = dir.path().join("inactive.json");
            let run = generate(
                &branch,
                &trigger,
                &[
                    "--task-id-seed",
                    "ci",
                    "--inactive-out",
                    inactive.to_str().unwrap(),
                ],
            );
            assert_eq!(run.code, 0, "{branch}/{trigger}: {}", run.stderr);
            for (what, text) in [
                ("active", run.stdout.clone()),
                ("inactive", fs::read_to_string(&inactive).unwrap()),
            ] {
                let graph: Value = serde_json::from_str(&text).unwrap();
                let errs = errors(&graph_schema, &graph);
                assert!(errs.is_empty(), "{branch}/{trigger} {what}: {errs:#?}");
                for (label, e) in graph.as_object().unwrap() {
                    let task = &e["task"];
                    let errs = errors(&task_schema, task);
                    assert!(errs.is_empty(), "{branch}/{trigger} {label}: {errs:#?}");
                    // What CI runs shows on Treeherder: a symbol, a collection, a platform.
                    if ["build", "test", "talos", "nightly", "l10n"]
                        .contains(&e["kind"].as_str().unwrap_or(""))
                    {
                        let th = &task["extra"]["treeherder"];
                        assert!(
                            th["symbol"].is_string()
                                && th["collection"].is_object()
                                && th["machine"]["platform"].is_string()
                                && th["tier"].is_u64(),
                            "{branch}/{trigger} {label}: {th}"
                        );
                    }
                    // And the payload as its worker implementation takes it.
                    let Some(imp) = task["extra"]["taskgen"]["implementation"].as_str() else {
                        continue;
                    };
                    let (name, whole) = worker_schema(imp, task);
                    let v = workers
                        .entry(name.clone())
                        .or_insert_with(|| schema(&format!("workers/{name}.schema.json")));
                    let instance = if whole { task } else { &task["payload"] };
                    let errs = errors(v, instance);
                    assert!(
                        errs.is_empty(),
                        "{branch}/{trigger} {label} ({name}): {errs:#?}"
                    );
                    *by_implementation.entry(name).or_default() += 1;
                }
                if what == "active" {
                    queue_accepts(&graph, NOW_MS)
                        .unwrap_or_else(|e| panic!("{branch}/{trigger}: {e}"));
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 17);
    // Every implementation the built-in pools use was met, and checked.
    for name in [
        "docker-worker.payload",
        "generic-worker-multiuser-posix.payload",
        "generic-worker-multiuser-windows.payload",
        "built-in.payload",
        "signingscript-task",
        "balrogscript-submit-locale-task",
        "balrogscript-schedule-task",
        "beetmoverscript-task",
    ] {
        assert!(
            by_implementation.get(name).is_some_and(|&n| n > 0),
            "{name}: {by_implementation:?}"
        );
    }
}

#[test]
fn the_shipped_invalid_examples_fail_the_same_validation() {
    let task_schema = schema("create-task-request.schema.json");
    let graph_schema = schema("task-graph.schema.json");
    for entry in fs::read_dir(schemas().join("examples/invalid"))
        .unwrap()
        .flatten()
    {
        let doc: Value = serde_json::from_str(&fs::read_to_string(entry.path()).unwrap()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let v = if name.starts_with("task-graph") {
            &graph_schema
        } else {
            &task_schema
        };
        assert!(!errors(v, &doc).is_empty(), "{name} must be invalid");
    }
    for entry in fs::read_dir(schemas().join("examples/valid"))
        .unwrap()
        .flatten()
    {
        let doc: Value = serde_json::from_str(&fs::read_to_string(entry.path()).unwrap()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let v = if name.starts_with("task-graph") {
            &graph_schema
        } else {
            &task_schema
        };
        assert!(errors(v, &doc).is_empty(), "{name} must be valid");
    }
}

#[test]
fn inactive_jobs_are_left_out_and_written_apart() {
    let dir = tempfile::tempdir().unwrap();
    let inactive = dir.path().join("inactive.json");
    let run = generate(
        "try",
        "push",
        &[
            "--task-id-seed",
            "x",
            "--inactive-out",
            inactive.to_str().unwrap(),
        ],
    );
    let active: Value = serde_json::from_str(&run.stdout).unwrap();
    let inactive: Value = serde_json::from_str(&fs::read_to_string(inactive).unwrap()).unwrap();
    let labels = taskgen(
        &repo(),
        &["generate", "--branch", "try", "--format", "labels"],
    )
    .stdout;
    assert_eq!(
        active.as_object().unwrap().len() + inactive.as_object().unwrap().len(),
        labels.lines().count()
    );
    assert!(
        inactive.get("build-linux64-pgo").is_some(),
        "PGO is inactive on try"
    );
    assert!(active.get("build-linux64-pgo").is_none());
    assert!(active.get("build-linux64-opt").is_some());
}

#[test]
fn task_ids_follow_the_seed() {
    let a = generate("mozilla-central", "nightly", &["--task-id-seed", "one"]).stdout;
    let b = generate("mozilla-central", "nightly", &["--task-id-seed", "one"]).stdout;
    let c = generate("mozilla-central", "nightly", &["--task-id-seed", "two"]).stdout;
    assert_eq!(a, b, "same seed, same bytes");
    assert_ne!(a, c);
    let r1 = generate("mozilla-central", "nightly", &[]).stdout;
    let r2 = generate("mozilla-central", "nightly", &[]).stdout;
    assert_ne!(r1, r2, "no seed: random ids");
}

#[test]
fn notifications_lower_to_notify_routes_on_what_they_watch() {
    let graph: Value = serde_json::from_str(
        &generate("mozilla-release", "manual", &["--task-id-seed", "x"]).stdout,
    )
    .unwrap();
    let routes = |label: &str| {
        graph[label]["task"]["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(
        routes("ship-updates")
            .contains(&"notify.email.release-drivers@mozilla.org.on-completed".to_owned())
    );
    assert!(
        routes("release-build-linux64")
            .contains(&"notify.irc-channel.#releaseduty.on-failed".to_owned())
    );
    assert_eq!(
        graph["qa-signoff"]["task"]["taskQueueId"],
        "proj-releng/breakpoint"
    );
    assert_eq!(
        graph["publish-window"]["task"]["taskQueueId"],
        "proj-releng/timer"
    );
    assert_eq!(
        graph["release:start"]["task"]["taskQueueId"],
        "built-in/succeed"
    );
    assert_eq!(graph["release:end"]["task"]["requires"], "all-resolved");
    assert_eq!(graph["qa-signoff"]["task"]["requires"], "all-completed");
}

#[test]
fn conditions_taskcluster_cannot_express_are_errors_naming_the_edge() {
    let dir = tempfile::tempdir().unwrap();
    taskgen::fixture::write_bundle(
        dir.path(),
        "# file: taskgraph/config.yml\nformat_version: 1\nworker_pools: {p: {provisioner: prov, worker_type: linux, implementation: docker-worker, image: \"ubuntu:24.04\"}}\n\
         # file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n  - {name: a, kind: build, worker: {pool: p}}\n  - {name: b, kind: build, worker: {pool: p}}\n  - {name: cleanup, type: dummy, needs: {a: unsuccessful}}\n  - {name: mixed, type: dummy, needs: {a: success, b: finished}}\n\
         # file: branches/generic.yml\ntriggers: {push: g}\n",
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let out = dir.path().join("tc.json");
    let run = taskgen(
        dir.path(),
        &[
            "--root",
            root,
            "generate",
            "-b",
            "generic",
            "--format",
            "taskcluster",
            "--now",
            NOW,
            "--task-id-seed",
            "s",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!out.exists(), "nothing written");
    let settings = common::snapshots("");
    settings.bind(|| insta::assert_snapshot!("taskcluster_unexpressible_conditions", run.stderr));
}

#[test]
fn bad_now_is_a_usage_error() {
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "try",
            "--format",
            "taskcluster",
            "--now",
            "yesterday",
        ],
    );
    assert_eq!(run.code, 2);
    let run = taskgen(
        &repo(),
        &["generate", "-b", "try", "--inactive-out", "x.json"],
    );
    assert_eq!(run.code, 2, "--inactive-out needs --format taskcluster");
}

/// `--now` is RFC 3339: an impossible date is a usage error, an offset converts to UTC.
#[test]
fn now_is_parsed_per_rfc_3339() {
    let bad = taskgen(
        &repo(),
        &[
            "generate",
            "--branch",
            "try",
            "--format",
            "taskcluster",
            "--now",
            "2025-02-31T00:00:00Z",
        ],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("is not an RFC 3339 time"),
        "{}",
        bad.stderr
    );
    let offset = taskgen(
        &repo(),
        &[
            "generate",
            "--branch",
            "try",
            "--format",
            "taskcluster",
            "--task-id-seed",
            "x",
            "--now",
            "2025-02-01T01:00:00+01:00",
        ],
    );
    assert_eq!(offset.code, 0, "{}", offset.stderr);
    assert!(
        offset
            .stdout
            .contains("\"created\": \"2025-02-01T00:00:00.000Z\"")
    );
}

/// Every consumer's payload names its producers by task ID: docker- and generic-worker tasks in
/// `TASKGEN_UPSTREAM_ARTIFACTS`, scriptworkers in `upstreamArtifacts`.
#[test]
fn consumers_name_their_producers_task_ids() {
    let mut checked = 0;
    for (branch, trigger) in [
        ("mozilla-inbound", "push"),
        ("mozilla-central", "nightly"),
        ("mozilla-release", "manual"),
    ] {
        let run = generate(branch, trigger, &["--task-id-seed", "ci"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let graph: Value = serde_json::from_str(&run.stdout).unwrap();
        let graph = graph.as_object().unwrap();
        let id_of = |label: &str| graph[label]["task_id"].as_str().unwrap().to_owned();
        for (label, e) in graph {
            let payload = &e["task"]["payload"];
            if let Some(refs) = payload["env"]["TASKGEN_UPSTREAM_ARTIFACTS"].as_str() {
                let refs: Vec<Value> = serde_json::from_str(refs).unwrap();
                assert!(!refs.is_empty(), "{label}");
                for r in refs {
                    let producer = r["label"].as_str().unwrap();
                    assert_eq!(r["taskId"], id_of(producer), "{label}");
                    let url = r["url"].as_str().unwrap();
                    assert!(
                        url.starts_with(
                            "https://firefox-ci-tc.services.mozilla.com/api/queue/v1/task/"
                        ) && url.ends_with(r["path"].as_str().unwrap()),
                        "{url}"
                    );
                    checked += 1;
                }
            }
            for up in payload["upstreamArtifacts"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let id = up["taskId"].as_str().unwrap();
                let producer = graph
                    .iter()
                    .find(|(_, p)| p["task_id"] == id)
                    .unwrap_or_else(|| panic!("{label}: {id} is no task of the graph"));
                assert_eq!(up["taskType"], producer.1["kind"], "{label}");
                checked += 1;
            }
        }
        // A test finds its build: the build's task ID is in the test's payload.
        if branch == "mozilla-inbound" {
            let env = graph["test-ubuntu64_vm-opt-xpcshell"]["task"]["payload"]["env"]
                ["TASKGEN_UPSTREAM_ARTIFACTS"]
                .as_str()
                .unwrap();
            assert!(env.contains(&id_of("build-linux64-opt")));
        }
    }
    assert!(checked > 1000, "{checked}");
}

/// The parameters a decision task writes reach Treeherder's route, the sources' revision, the
/// owner and the builds' environment; the same file gives the same bytes.
#[test]
fn decision_parameters_reach_the_tasks() {
    let args = [
        "--params",
        "tests/fixtures/params/decision.yml",
        "--task-id-seed",
        "ci",
    ];
    let run = generate("mozilla-inbound", "push", &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    let rev = "4b3e1a6c9f0e2d7b8a5c4d3e2f1a0b9c8d7e6f5a";
    let task = &graph["build-linux64-opt"]["task"];
    assert_eq!(
        task["routes"][0],
        format!("tc-treeherder.v2.mozilla-inbound.{rev}.58123")
    );
    assert!(
        task["metadata"]["source"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "https://hg.mozilla.org/integration/mozilla-inbound/file/{rev}/"
            ))
    );
    assert_eq!(task["metadata"]["owner"], "someone@example.com");
    assert_eq!(task["payload"]["env"]["GECKO_HEAD_REV"], rev);
    let again = generate("mozilla-inbound", "push", &args);
    assert_eq!(
        again.stdout, run.stdout,
        "the params file reproduces the graph"
    );
    // Without them, a local run still has a valid route.
    let local = generate("mozilla-inbound", "push", &["--task-id-seed", "ci"]);
    let graph: Value = serde_json::from_str(&local.stdout).unwrap();
    assert_eq!(
        graph["build-linux64-opt"]["task"]["routes"][0],
        "tc-treeherder.v2.mozilla-inbound.tip.0"
    );
}

/// A notification's message reaches the tasks it watches, for the notify service.
#[test]
fn notifications_put_their_message_on_the_watched_tasks() {
    let run = generate("mozilla-release", "manual", &["--task-id-seed", "ci"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    let task = &graph["release-build-linux"]["task"];
    assert_eq!(
        task["extra"]["notify"]["ircChannelMessage"],
        "mozilla-release release automation needs attention"
    );
    assert!(
        task["routes"]
            .as_array()
            .unwrap()
            .contains(&Value::from("notify.irc-channel.#releaseduty.on-failed"))
    );
    let itself = &graph["release-failed"]["task"];
    assert_eq!(itself["payload"], serde_json::json!({}));
    assert_eq!(
        itself["extra"]["taskgen"]["notification"]["target"],
        "#releaseduty"
    );
}

/// The small fixture tree's Taskcluster submission, whole: queues, payloads in the pools'
/// shapes, artifact references by task ID, routes. Review changes to it as a diff of what would
/// be submitted.
#[test]
fn small_tree_taskcluster_output() {
    let root = repo().join("tests/fixtures/small");
    let run = common::taskgen(
        &root,
        &[
            "generate",
            "--branch",
            "release",
            "--format",
            "taskcluster",
            "--task-id-seed",
            "small",
            "--now",
            "2025-01-01T00:00:00Z",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    common::snapshots("").bind(|| insta::assert_snapshot!("small_release_taskcluster", run.stdout));
}

/// `<task-id:LABEL>` in a command becomes the upstream task's ID in the submission; the native
/// output keeps the label.
#[test]
fn task_references_become_task_ids() {
    let run = generate("mozilla-release", "manual", &["--task-id-seed", "ci"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    let signing = graph["release-signing-linux"]["task_id"].as_str().unwrap();
    let command = &graph["update-verify-linux-1"]["task"]["payload"]["command"];
    assert_eq!(
        command.as_array().unwrap().last().unwrap(),
        &Value::from(format!("--signed-build-task={signing}"))
    );
    let native = taskgen(
        &repo(),
        &[
            "generate",
            "--branch",
            "mozilla-release",
            "--trigger",
            "manual",
        ],
    );
    assert!(
        native
            .stdout
            .contains("--signed-build-task=<task-id:release-signing-linux>")
    );
}

/// A try decision task's params file: its `try_message` selects the jobs as `--message` would,
/// and its `level` can lower the branch's trust level but never raise it.
#[test]
fn try_decision_parameters_select_and_cap_the_level() {
    let params = ["--params", "tests/fixtures/params/try-decision.yml"];
    let run = generate("try", "push", &params);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut labels: Vec<&str> = graph
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    labels.sort();
    assert!(labels.contains(&"build-linux64-opt"), "{labels:?}");
    assert!(
        labels.contains(&"test-ubuntu64_vm-opt-mochitest-1"),
        "{labels:?}"
    );
    assert!(!labels.iter().any(|l| l.contains("debug")), "{labels:?}");
    assert!(
        !labels.iter().any(|l| l.contains("mochitest-2")),
        "{labels:?}"
    );
    assert_eq!(
        graph["build-linux64-opt"]["task"]["schedulerId"],
        "gecko-level-1"
    );
    // `--message` wins over the params file.
    let mut args = params.to_vec();
    args.extend(["--message", "try: -b d -p linux64 -u none"]);
    let run = generate("try", "push", &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(graph.get("build-linux64-debug").is_some());
    assert!(graph.get("build-linux64-opt").is_none());

    // Above the branch's level: a usage error at the parameter.
    let run = generate("try", "push", &["--param", "level=3"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the run parameter `level` is 3, but branch `try` has trust level 1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--param level"), "{}", run.stderr);
    assert!(run.stdout.is_empty());

    // Below it: the tasks get the lower scheduler, and what the lower level is not granted fails.
    let run = generate("mozilla-central", "push", &["--param", "level=2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        graph["build-linux64-opt"]["task"]["schedulerId"],
        "gecko-level-2"
    );
    let run = generate("mozilla-inbound", "push", &["--param", "level=1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("TG707"), "{}", run.stderr);

    // A branch that is not customizable reads no try message.
    let run = generate(
        "mozilla-inbound",
        "push",
        &["--param", "try_message=try: -b o -p none"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the `try_message` parameter is ignored"),
        "{}",
        run.stderr
    );
    let graph: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(graph.get("build-linux64-opt").is_some());
}
