//! `taskgen view`: one self-contained page whose data is the generated graph. What the page
//! does in a browser is tested by `tests/browser/view.py` in real Chromium (`.ci/run`).

mod common;

use common::{builtin_copy, edit, repo, taskgen};

/// The page's data, read back from between its tags.
fn data(page: &str) -> serde_json::Value {
    let start = page
        .find(r#"<script type="application/json" id="data">"#)
        .unwrap();
    let rest = &page[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</script>").unwrap();
    serde_json::from_str(&rest[open..close]).expect("the data is JSON")
}

#[test]
fn the_page_holds_the_generated_graph_and_nothing_from_outside() {
    let run = taskgen(&repo(), &["view", "-b", "mozilla-inbound"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = &run.stdout;
    assert!(page.starts_with("<!DOCTYPE html>"));
    // The data holds URLs (artifacts, Treeherder): the rest of the page names none.
    let start = page.find(r#"<script type="application/json""#).unwrap();
    let end = start + page[start..].find("</script>").unwrap();
    let code = format!("{}{}", &page[..start], &page[end..]);
    for outside in [
        "<script src",
        "<link",
        "http://",
        "https://",
        "@import",
        "url(",
    ] {
        assert!(!code.contains(outside), "the page loads nothing: {outside}");
    }
    let d = data(page);
    let labels = taskgen(
        &repo(),
        &["generate", "-b", "mozilla-inbound", "--format", "labels"],
    );
    let expected: Vec<&str> = labels.stdout.lines().collect();
    let jobs = d["jobs"].as_array().unwrap();
    let got: Vec<&str> = jobs.iter().map(|j| j[0].as_str().unwrap()).collect();
    assert_eq!(got, expected, "every job, in the generated order");
    // Dependencies point at jobs before them, with their conditions.
    let native: serde_json::Value =
        serde_json::from_str(&taskgen(&repo(), &["generate", "-b", "mozilla-inbound"]).stdout)
            .unwrap();
    let mut conditions = std::collections::BTreeSet::new();
    for (i, j) in jobs.iter().enumerate() {
        let deps = j[5].as_array().unwrap();
        let want = native["jobs"][got[i]]["dependencies"].as_array().unwrap();
        assert_eq!(deps.len(), want.len(), "{}", got[i]);
        for (dep, w) in deps.iter().zip(want) {
            let from = dep[0].as_u64().unwrap() as usize;
            assert!(from < i);
            assert_eq!(got[from], w["label"].as_str().unwrap());
            conditions.insert(dep[1].as_str().unwrap().to_owned());
        }
    }
    assert!(conditions.contains("success") && conditions.contains("finished"));
    // Each job's fields are the generated ones, and where they were set is a file:line:col.
    let names = d["fieldNames"].as_array().unwrap();
    let values = d["values"].as_array().unwrap();
    let build = got.iter().position(|l| *l == "build-linux64-opt").unwrap();
    let fields: serde_json::Map<String, serde_json::Value> = jobs[build][6]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let (f, v) = (p[0].as_u64().unwrap(), p[1].as_u64().unwrap());
            (
                names[f as usize].as_str().unwrap().to_owned(),
                values[v as usize].clone(),
            )
        })
        .collect();
    let mut want = native["jobs"]["build-linux64-opt"]
        .as_object()
        .unwrap()
        .clone();
    want.remove("label");
    want.remove("dependencies");
    assert_eq!(fields, want);
    let site = &d["sites"][jobs[build][7].as_u64().unwrap() as usize];
    let command = site
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s[0] == "command")
        .unwrap();
    assert!(
        command[1].as_str().unwrap().starts_with("taskgraph/jobs/"),
        "{command}"
    );
}

#[test]
fn groups_fold_chunks_and_place_every_job_once() {
    let run = taskgen(&repo(), &["view", "-b", "mozilla-inbound"]);
    let d = data(&run.stdout);
    let jobs = d["jobs"].as_array().unwrap();
    let mut placed = vec![0; jobs.len()];
    let mut folded = None;
    for g in d["groups"].as_array().unwrap() {
        for item in g[4].as_array().unwrap() {
            for j in item[1].as_array().unwrap() {
                placed[j.as_u64().unwrap() as usize] += 1;
            }
            let name = item[0].as_str().unwrap();
            if name.starts_with("test-ubuntu32_vm-opt-mochitest ") {
                folded = Some(name.to_owned());
            }
        }
    }
    assert!(placed.iter().all(|&n| n == 1));
    assert_eq!(
        folded.as_deref(),
        Some("test-ubuntu32_vm-opt-mochitest 1\u{2013}5")
    );
    // A group's layer is no later than any of its jobs'.
    for j in jobs {
        let g = &d["groups"][j[1].as_u64().unwrap() as usize];
        assert!(g[2].as_u64() <= j[3].as_u64());
    }
}

#[test]
fn the_same_inputs_give_the_same_page() {
    let a = taskgen(&repo(), &["view", "-b", "try"]);
    let b = taskgen(&repo(), &["view", "-b", "try"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
}

/// A value that holds `</script>` stays data: it cannot end the data early or run.
#[test]
fn values_cannot_break_out_of_the_data() {
    let dir = builtin_copy();
    edit(dir.path(), "taskgraph/jobs/builds.yml", |s| {
        let line = s
            .lines()
            .find(|l| l.starts_with("    description:"))
            .unwrap();
        s.replacen(
            line,
            "    description: \"</script><script>alert(1)</script>\"",
            1,
        )
    });
    let run = taskgen(dir.path(), &["view", "-b", "try"]);
    if run.code != 0 {
        // The edit must keep the tree valid for this test to mean anything.
        panic!("{}", run.stderr);
    }
    assert_eq!(
        run.stdout.matches("</script>").count(),
        2,
        "the data's and the script's own"
    );
    let d = data(&run.stdout);
    assert!(d.to_string().contains("</script><script>alert(1)</script>"));
}

#[test]
fn view_errors_are_usage_errors() {
    let run = taskgen(&repo(), &["view", "-b", "nosuch"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    let run = taskgen(&repo(), &["view", "-b", "try", "--select", "nosuch-*"]);
    assert_eq!(run.code, 2);
}

fn labels(d: &serde_json::Value) -> Vec<String> {
    d["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j[0].as_str().unwrap().to_owned())
        .collect()
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let run = taskgen(&repo(), args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn compare_play_and_try_syntax_are_in_the_data_only_when_asked() {
    let plain = data(&taskgen(&repo(), &["view", "-b", "mozilla-inbound"]).stdout);
    for key in ["compare", "simulate", "try"] {
        assert!(plain[key].is_null(), "{key}: {}", plain[key]);
    }
    // Try reads try syntax: the page knows what `-p all` chooses.
    let try_ = data(&taskgen(&repo(), &["view", "-b", "try"]).stdout);
    let all = try_["try"]["all"].as_array().unwrap();
    assert!(all.iter().any(|p| p == "linux64"), "{all:?}");
}

#[test]
fn compare_marks_what_diff_finds() {
    let args = [
        "-b",
        "mozilla-inbound",
        "--against-branch",
        "mozilla-aurora",
    ];
    let d = data(&taskgen(&repo(), &[&["view"][..], &args].concat()).stdout);
    let diff = json_of(&[&["diff"][..], &args, &["--format", "json"]].concat());
    let labels = labels(&d);
    let c = &d["compare"];
    assert_eq!(c["against"], "mozilla-aurora push");
    let by_index = |v: &serde_json::Value| labels[v.as_u64().unwrap() as usize].clone();
    let added: Vec<String> = c["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(by_index)
        .collect();
    assert_eq!(serde_json::json!(added), diff["jobs_added"]);
    assert!(!added.is_empty());
    assert_eq!(c["removed"], diff["jobs_removed"]);
    let changed: serde_json::Map<String, serde_json::Value> = c["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (by_index(&e[0]), e[1].clone()))
        .collect();
    let want: serde_json::Map<String, serde_json::Value> = diff["jobs_changed"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(l, fs)| {
            let names: Vec<_> = fs
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["field"].clone())
                .collect();
            (l.clone(), serde_json::json!(names))
        })
        .collect();
    assert_eq!(changed, want);
}

/// The page's statuses are simulate's; answers how many jobs did not succeed.
fn same_play(page: &serde_json::Value, sim: &serde_json::Value) -> usize {
    let s = &page["simulate"];
    let names = s["statuses"].as_array().unwrap();
    let played = sim["jobs"].as_object().unwrap();
    let mut unhappy = 0;
    for (i, label) in labels(page).iter().enumerate() {
        let status = s["status"][i].as_i64().unwrap();
        match played.get(label) {
            Some(p) => {
                assert_eq!(names[status as usize], p["status"], "{label}");
                unhappy += usize::from(p["status"] != "success");
            }
            None => assert_eq!(status, -1, "{label} is not played"),
        }
    }
    unhappy
}

#[test]
fn play_colours_as_simulate_plays() {
    let failing = [
        "-b",
        "mozilla-inbound",
        "--outcome",
        "build-linux64-opt=failure",
    ];
    // `--simulate` alone plays as `simulate` does with no options.
    let happy = ["-b", "mozilla-inbound", "--simulate"];
    let mut unhappy = Vec::new();
    for (view, sim) in [(&failing[..], &failing[..]), (&happy[..], &happy[..2])] {
        let page = data(&taskgen(&repo(), &[&["view"][..], view].concat()).stdout);
        let played = json_of(&[&["simulate"][..], sim, &["--format", "json"]].concat());
        unhappy.push(same_play(&page, &played));
    }
    assert!(
        unhappy[0] > unhappy[1] + 1,
        "the failure and what waits for it: {unhappy:?}"
    );
}

#[test]
fn clusters_hold_every_group_once_inside_their_graph() {
    let d = data(&taskgen(&repo(), &["view", "-b", "mozilla-inbound"]).stdout);
    let groups = d["groups"].as_array().unwrap();
    let clusters = d["clusters"].as_array().unwrap();
    let ng = groups.len() as u64;
    let mut parent_of = vec![None; groups.len() + clusters.len()];
    for (c, cl) in clusters.iter().enumerate() {
        for child in cl[3].as_array().unwrap() {
            let n = child.as_u64().unwrap() as usize;
            assert!(parent_of[n].is_none(), "node {n} is in one cluster");
            parent_of[n] = Some(c);
        }
        let p = cl[1].as_i64().unwrap();
        if p >= 0 {
            assert!(
                clusters[p as usize][3]
                    .as_array()
                    .unwrap()
                    .contains(&(ng + c as u64).into()),
                "cluster {c} is among its parent's children"
            );
        }
    }
    for (g, group) in groups.iter().enumerate() {
        let home = d["home"][g].as_u64().unwrap() as usize;
        assert_eq!(parent_of[g], Some(home), "group {g}");
        // A group sits in a cluster of its own graph.
        assert_eq!(clusters[home][2], group[1], "group {g}");
    }
}

#[test]
fn compare_against_a_git_revision() {
    let dir = builtin_copy();
    common::git(dir.path(), &["init", "-q"]);
    common::git(dir.path(), &["add", "."]);
    common::git(dir.path(), &["commit", "-qm", "one"]);
    edit(dir.path(), "taskgraph/jobs/tests.yml", |s| {
        s.replacen("    retries: 3\n", "    retries: 4\n", 1)
    });
    let run = taskgen(
        dir.path(),
        &["view", "-b", "mozilla-inbound", "--against-rev", "HEAD"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let c = &data(&run.stdout)["compare"];
    assert!(
        c["against"].as_str().unwrap().contains("HEAD"),
        "{}",
        c["against"]
    );
    let changed = c["changed"].as_array().unwrap();
    assert!(!changed.is_empty());
    assert!(
        changed
            .iter()
            .all(|e| e[1] == serde_json::json!(["retries"])),
        "{changed:?}"
    );
    assert!(c["added"].as_array().unwrap().is_empty());
}
