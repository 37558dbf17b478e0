//! The built-in definitions: every branch generates for every trigger it defines, and the
//! graphs have the shape of Firefox's CI (../shared/FIREFOX-CI.md).

mod common;

use std::collections::BTreeMap;

use taskgen::expand::Job;
use taskgen::pipeline::{Changes, Generated, Request, generate};

fn run(branch: &str, trigger: &str) -> Generated {
    let mut tree = taskgen::load::load(&common::repo()).expect("built-in definitions load");
    // A push that does not touch js/src.
    let req = Request {
        branch: branch.into(),
        trigger: trigger.into(),
        changes: Changes::Paths(vec!["README".into()]),
        ..Request::default()
    };
    match generate(&mut tree, &req) {
        Ok(g) => g,
        Err(f) => panic!(
            "{branch}/{trigger} failed:\n{}",
            taskgen::diag::render_all(&f.diagnostics, &tree.sources, false, 100)
        ),
    }
}

fn jobs(g: &Generated) -> BTreeMap<&str, &Job> {
    g.graph
        .jobs
        .iter()
        .map(|j| (j.label.as_str(), &**j))
        .collect()
}

fn chunks(g: &Generated, prefix: &str) -> usize {
    g.graph
        .jobs
        .iter()
        .filter(|j| {
            j.label == prefix
                || j.label
                    .strip_prefix(prefix)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .count()
}

#[test]
fn every_branch_generates_for_every_trigger_it_defines() {
    let tree = taskgen::load::load(&common::repo()).expect("built-in definitions load");
    let mut seen = 0;
    for name in tree.branches.keys() {
        let branch = taskgen::branch::resolve(&tree, name).unwrap();
        assert!(branch.triggers.contains_key("push"), "{name} runs on push");
        for trigger in branch.triggers.keys() {
            let g = run(name, trigger);
            assert!(!g.graph.jobs.is_empty());
            seen += 1;
        }
    }
    assert!(seen >= 17, "branches × triggers: {seen}");
    for required in [
        "mozilla-central",
        "mozilla-inbound",
        "fx-team",
        "try",
        "mozilla-aurora",
        "mozilla-beta",
        "mozilla-release",
        "mozilla-esr31",
    ] {
        assert!(
            tree.branches.contains_key(required),
            "{required} is built in"
        );
    }
}

#[test]
fn inbound_push_has_the_size_and_mix_of_the_real_one() {
    let g = run("mozilla-inbound", "push");
    let active: Vec<&Job> = g
        .graph
        .jobs
        .iter()
        .filter(|j| j.active && j.kind != "milestone")
        .map(|j| &**j)
        .collect();
    let count = |kind: &str| active.iter().filter(|j| j.kind == kind).count();
    // Dec 2014: 648 = 38 builds + 562 tests + 48 talos.
    assert_eq!(count("build"), 38);
    assert_eq!(count("test"), 562);
    assert_eq!(count("talos"), 48);
    let builds: Vec<&str> = active
        .iter()
        .filter(|j| j.kind == "build" && !j.label.starts_with("b2g-"))
        .map(|j| j.label.as_str())
        .collect();
    assert_eq!(
        builds.len(),
        20,
        "19 default platforms and valgrind: {builds:?}"
    );
    // SpiderMonkey builds are there, inactive unless js/src changed.
    let sm: Vec<&Job> = g
        .graph
        .jobs
        .iter()
        .filter(|j| j.label.starts_with("sm-"))
        .map(|j| &**j)
        .collect();
    assert_eq!(sm.len(), 7);
    assert!(sm.iter().all(|j| !j.active));
    // PGO is periodic on inbound: not in the push graph.
    assert!(!g.graph.graphs.iter().any(|p| p.path.contains("pgo")));
    // b2g is its own subgraph.
    assert!(g.graph.graphs.iter().any(|p| p.path == "per-checkin/b2g"));
}

#[test]
fn chunk_counts_differ_by_platform_and_build_type() {
    let g = run("mozilla-inbound", "push");
    // reftest is 2 chunks on linux32 only.
    assert_eq!(chunks(&g, "test-ubuntu32_vm-opt-reftest"), 2);
    assert_eq!(chunks(&g, "test-ubuntu32_vm-debug-reftest"), 2);
    assert_eq!(chunks(&g, "test-ubuntu64_vm-opt-reftest"), 1);
    assert_eq!(chunks(&g, "test-win7-ix-opt-reftest"), 1);
    // devtools: 1 chunk opt, 3 debug.
    assert_eq!(
        chunks(&g, "test-ubuntu64_vm-opt-mochitest-devtools-chrome"),
        1
    );
    assert_eq!(
        chunks(&g, "test-ubuntu64_vm-debug-mochitest-devtools-chrome"),
        3
    );
    // jittest: 2 chunks on Linux only.
    assert_eq!(chunks(&g, "test-ubuntu64_vm-opt-jittest"), 2);
    assert_eq!(chunks(&g, "test-win7-ix-opt-jittest"), 1);
    assert_eq!(chunks(&g, "test-snowleopard-debug-jittest"), 1);
    // web-platform-tests: opt only, 4 chunks.
    assert_eq!(chunks(&g, "test-ubuntu64_vm-opt-web-platform-tests"), 4);
    assert_eq!(chunks(&g, "test-ubuntu64_vm-debug-web-platform-tests"), 0);
}

#[test]
fn one_build_fans_out_to_several_test_platforms() {
    let g = run("mozilla-inbound", "push");
    let downstream: Vec<&str> = g
        .graph
        .jobs
        .iter()
        .filter(|j| j.dependencies.iter().any(|d| d.label == "build-win32-opt") && j.kind == "test")
        .map(|j| j.label.as_str())
        .collect();
    assert!(downstream.iter().any(|l| l.starts_with("test-xp-ix-")));
    assert!(downstream.iter().any(|l| l.starts_with("test-win7-ix-")));
    assert_eq!(downstream.len(), 52, "win32 opt: XP + Win7 tests");
}

#[test]
fn talos_runs_on_opt_builds_only() {
    let g = run("mozilla-inbound", "push");
    for job in g.graph.jobs.iter().filter(|j| j.kind == "talos") {
        assert!(
            job.dependencies.iter().all(|d| d.label.ends_with("-opt")),
            "{}",
            job.label
        );
    }
    // xperf runs on Windows 7 on every branch, as in buildbot; b2g-inbound runs no talos on
    // Windows XP.
    assert!(jobs(&g).contains_key("talos-win7-ix-opt-xperf"));
    assert!(jobs(&run("fx-team", "push")).contains_key("talos-win7-ix-opt-xperf"));
    assert!(!jobs(&run("b2g-inbound", "push")).contains_key("talos-xp-ix-opt-tp5o"));
}

#[test]
fn pgo_is_per_checkin_on_release_branches_and_periodic_elsewhere() {
    for branch in ["mozilla-aurora", "mozilla-beta", "mozilla-release"] {
        let g = run(branch, "push");
        let pgo = g.graph.graphs.iter().find(|p| p.path == "per-checkin/pgo");
        assert!(
            pgo.is_some_and(|p| p.active),
            "{branch} builds PGO per push"
        );
    }
    for branch in ["mozilla-inbound", "mozilla-central", "fx-team"] {
        let push = run(branch, "push");
        assert!(
            !push.graph.graphs.iter().any(|p| p.path.ends_with("/pgo")),
            "{branch} push has no PGO"
        );
        let periodic = run(branch, "periodic");
        assert!(
            periodic
                .graph
                .graphs
                .iter()
                .any(|p| p.path == "periodic/pgo" && p.active)
        );
        assert!(jobs(&periodic).contains_key("build-linux64-pgo"));
    }
    // try: PGO is present, inactive until selected.
    let g = run("try", "push");
    assert!(
        g.graph
            .graphs
            .iter()
            .any(|p| p.path == "per-checkin/pgo" && !p.active)
    );
}

#[test]
fn nightly_and_l10n_only_where_enabled() {
    let central = run("mozilla-central", "nightly");
    assert!(
        central
            .graph
            .graphs
            .iter()
            .any(|p| p.path == "nightly/l10n")
    );
    assert!(
        jobs(&central)
            .keys()
            .any(|l| l.starts_with("l10n-nightly-linux64"))
    );
    let esr = run("mozilla-esr31", "nightly");
    assert!(!esr.graph.graphs.iter().any(|p| p.path == "nightly/l10n"));
    let tree = taskgen::load::load(&common::repo()).unwrap();
    for branch in [
        "mozilla-inbound",
        "fx-team",
        "try",
        "mozilla-beta",
        "mozilla-release",
    ] {
        let b = taskgen::branch::resolve(&tree, branch).unwrap();
        assert!(
            !b.triggers.contains_key("nightly"),
            "{branch} has no nightlies"
        );
    }
}

#[test]
fn release_graph_waits_for_qa_then_a_timer_and_notifies() {
    let g = run("mozilla-release", "manual");
    let j = jobs(&g);
    let qa = j["qa-signoff"];
    assert_eq!(qa.job_type.name(), "breakpoint");
    assert!(!qa.breakpoint.as_ref().unwrap().acl.is_empty());
    assert_eq!(qa.timeouts.request_s, 3 * 86_400);
    let timer = j["publish-window"];
    assert_eq!(timer.job_type.name(), "timer");
    assert_eq!(timer.timer.as_ref().unwrap().delay_s, Some(7200));
    assert_eq!(timer.dependencies[0].label, "qa-signoff");
    assert_eq!(j["push-to-mirrors"].dependencies[0].label, "publish-window");
    let notifications = g
        .graph
        .jobs
        .iter()
        .filter(|j| j.job_type.name() == "notification")
        .count();
    assert!(notifications >= 3);
    // Signing waits for every repack chunk of its platform; update-verify checks the updates
    // submitted from the signed builds; the updates ship after the mirrors have the release.
    let signing = j["release-signing-linux64"];
    assert!(
        signing
            .dependencies
            .iter()
            .any(|d| d.label == "release-repack-linux64-6")
    );
    let uv: Vec<&str> = j["update-verify-linux64-1"]
        .dependencies
        .iter()
        .map(|d| d.label.as_str())
        .collect();
    assert_eq!(uv, ["release-balrog-linux64", "release-signing-linux64"]);
    assert_eq!(j["ship-updates"].dependencies[0].label, "push-to-mirrors");
    assert_eq!(
        j["release-balrog-linux64"].worker.as_ref().unwrap()["pool"],
        "balrog"
    );
}

#[test]
fn nightly_and_release_jobs_are_locked_by_the_policy() {
    for (branch, trigger) in [
        ("mozilla-central", "nightly"),
        ("mozilla-release", "manual"),
    ] {
        let g = run(branch, trigger);
        assert_eq!(g.policy, taskgen::policy::Origin::InTree);
        for job in &g.graph.jobs {
            let reaches_users = ["nightly", "l10n", "signing", "balrog"]
                .contains(&job.kind.as_str())
                || job.kind.starts_with("release-");
            assert_eq!(job.locked, reaches_users, "{branch}: {}", job.label);
        }
    }
    let g = run("mozilla-central", "nightly");
    let j = jobs(&g);
    assert_eq!(j["nightly-signing-linux64"].kind, "signing");
    assert_eq!(
        j["nightly-balrog-linux64"].dependencies[0].label,
        "nightly-signing-linux64"
    );
}

#[test]
fn try_adds_platforms_and_has_no_periodic_trigger() {
    let g = run("try", "push");
    let j = jobs(&g);
    assert!(j.contains_key("build-linux64-sh-haz-opt"));
    assert!(j.contains_key("build-linux64-cc-opt"));
    // Valgrind could be asked for on try, as in buildbot.
    assert!(j.contains_key("build-linux64-valgrind"));
    let tree = taskgen::load::load(&common::repo()).unwrap();
    let b = taskgen::branch::resolve(&tree, "try").unwrap();
    assert!(b.root("periodic").is_err());
}
