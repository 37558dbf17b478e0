//! The built-in definitions against Firefox's real buildbot jobs of 2014-12-29
//! (`../shared/data/buildbot-2014-12`): for each of the nine branches and each set (per-push,
//! not-per-push, conditional × builds, tests, talos), which real builders the generated jobs'
//! descriptions name, which are missing and which jobs are extra. A push's inactive jobs are
//! `conditional` when a push that changes js/src activates them, else `not-per-push`.
//!
//! Until every set is exact, each set's figures are a ratchet (`tests/conformance/baseline.tsv`):
//! a set may match more and have fewer extras, never the reverse. `CONFORMANCE_UPDATE=1` rewrites
//! the baseline after an improvement, and the README's figures must be the measured ones.
//! `CONFORMANCE_SHOW=<branch>` prints what that branch misses and what it has extra.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use taskgen::defs::values::JobType;
use taskgen::expand::Job;
use taskgen::pipeline::{Changes, Request, generate};

const BRANCHES: [&str; 9] = [
    "mozilla-inbound",
    "mozilla-central",
    "fx-team",
    "b2g-inbound",
    "try",
    "mozilla-aurora",
    "mozilla-beta",
    "mozilla-release",
    "mozilla-esr31",
];

/// (group, kind): a set of jobs.
type Set = (String, String);

/// Which buildbot set a kind of job belongs to; `None` for the jobs buildbot had no builder for
/// (signing, updates), which are ours to keep.
fn kind_set(kind: &str) -> Option<&'static str> {
    match kind {
        "test" => Some("tests"),
        "talos" => Some("talos"),
        "build" | "nightly" | "l10n" => Some("builds"),
        _ => None,
    }
}

fn data() -> std::path::PathBuf {
    common::repo().join("../shared/data/buildbot-2014-12")
}

/// The real builders of a branch, by set. On try every set is what a push can select.
fn expected(branch: &str) -> BTreeMap<Set, BTreeSet<String>> {
    let path = data().join(format!("{branch}.expected.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared data sits beside the repository)",
            path.display()
        )
    });
    let mut sets: BTreeMap<Set, BTreeSet<String>> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [group, kind, builder] = fields[..] else {
            panic!("{}: not group<TAB>kind<TAB>builder: {line}", path.display());
        };
        let group = if branch == "try" { "selectable" } else { group };
        sets.entry((group.into(), kind.into()))
            .or_default()
            .insert(builder.into());
    }
    sets
}

/// The generated jobs of a branch, by set: descriptions, one entry per job.
fn generated(branch: &str) -> BTreeMap<Set, Vec<String>> {
    let mut tree = taskgen::load::load(&common::repo()).expect("built-in definitions load");
    let b = taskgen::branch::resolve(&tree, branch).expect("the branch exists");
    let triggers: Vec<String> = b.triggers.keys().cloned().collect();
    let mut sets: BTreeMap<Set, Vec<String>> = BTreeMap::new();
    for trigger in triggers {
        // A push that changed nothing `files_changed` watches.
        let req = Request {
            branch: branch.into(),
            trigger: trigger.clone(),
            select: if branch == "try" {
                vec!["*".into()]
            } else {
                Vec::new()
            },
            changes: Changes::Paths(vec!["README".into()]),
            ..Request::default()
        };
        let g = generate(&mut tree, &req).unwrap_or_else(|_| {
            panic!("{branch}/{trigger} generates (tests/builtin.rs says why not)")
        });
        // A push's inactive jobs are conditional when a js/src change activates them, and
        // otherwise backfilled by hand (per-checkin PGO's plain opt tests): not per push.
        let js_src_active: BTreeSet<String> = if trigger == "push" {
            let req = Request {
                changes: Changes::Paths(vec!["js/src/jsapi.cpp".into()]),
                ..req.clone()
            };
            let g = generate(&mut tree, &req).expect("a js/src push generates");
            g.graph
                .jobs
                .iter()
                .filter(|j| j.active)
                .map(|j| j.label.clone())
                .collect()
        } else {
            BTreeSet::new()
        };
        for job in g.graph.jobs.iter().filter(|j| j.job_type == JobType::Task) {
            let Some(kind) = kind_set(&job.kind) else {
                continue;
            };
            let group = match (branch, trigger.as_str(), job.active) {
                ("try", _, _) => "selectable",
                (_, "push", true) => "per-push",
                (_, "push", false) if js_src_active.contains(&job.label) => "conditional",
                (_, "push", false) => "not-per-push",
                _ => "not-per-push",
            };
            sets.entry((group.into(), kind.into()))
                .or_default()
                .push(description(job));
        }
    }
    sets
}

fn description(job: &Job) -> String {
    job.description
        .clone()
        .unwrap_or_else(|| format!("(no description: {})", job.label))
}

/// One set compared.
struct Compared {
    real: usize,
    matched: usize,
    missing: Vec<String>,
    /// Jobs that name no real builder of the set, or one another job already names.
    extra: Vec<String>,
}

fn compare(real: &BTreeSet<String>, ours: &[String]) -> Compared {
    let mut named = BTreeSet::new();
    let mut extra = Vec::new();
    for d in ours {
        if real.contains(d) && named.insert(d.clone()) {
            continue;
        }
        extra.push(d.clone());
    }
    extra.sort();
    Compared {
        real: real.len(),
        matched: named.len(),
        missing: real.difference(&named).cloned().collect(),
        extra,
    }
}

type Baseline = BTreeMap<(String, String, String), (usize, usize)>;

fn baseline_path() -> std::path::PathBuf {
    common::repo().join("tests/conformance/baseline.tsv")
}

fn read_baseline() -> Baseline {
    let text = std::fs::read_to_string(baseline_path()).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let n = |i: usize| f[i].parse::<usize>().expect("a count");
            ((f[0].into(), f[1].into(), f[2].into()), (n(3), n(4)))
        })
        .collect()
}

#[test]
fn builtin_definitions_reproduce_the_real_buildbot_jobs() {
    let baseline = read_baseline();
    let update = std::env::var_os("CONFORMANCE_UPDATE").is_some();
    // `CONFORMANCE_SHOW=<branch>` lists that branch's missing and extra jobs, set by set.
    let show = std::env::var("CONFORMANCE_SHOW").unwrap_or_default();
    let mut report = String::new();
    let mut failures = String::new();
    let mut measured = String::from(
        "# branch\tgroup\tkind\tmatched\textra (written by CONFORMANCE_UPDATE=1 cargo test --test conformance)\n",
    );
    let (mut real_total, mut matched_total, mut exact, mut sets) = (0, 0, 0, 0);
    for branch in BRANCHES {
        let real = expected(branch);
        let ours = generated(branch);
        let keys: BTreeSet<&Set> = real.keys().chain(ours.keys()).collect();
        for key in keys {
            let c = compare(
                real.get(key).unwrap_or(&BTreeSet::new()),
                ours.get(key).map_or(&[][..], Vec::as_slice),
            );
            let (group, kind) = key;
            real_total += c.real;
            matched_total += c.matched;
            sets += 1;
            let is_exact = c.missing.is_empty() && c.extra.is_empty();
            exact += usize::from(is_exact);
            let _ = writeln!(
                report,
                "{branch:16} {group:13} {kind:7} real {:4} matched {:4} missing {:4} extra {:4}{}",
                c.real,
                c.matched,
                c.missing.len(),
                c.extra.len(),
                if is_exact { "  exact" } else { "" }
            );
            if show == branch {
                for m in &c.missing {
                    let _ = writeln!(report, "  missing {m}");
                }
                for e in &c.extra {
                    let _ = writeln!(report, "  extra   {e}");
                }
            }
            let _ = writeln!(
                measured,
                "{branch}\t{group}\t{kind}\t{}\t{}",
                c.matched,
                c.extra.len()
            );
            let base = baseline
                .get(&(branch.into(), group.clone(), kind.clone()))
                .copied()
                .unwrap_or((0, usize::MAX));
            if c.matched < base.0 || c.extra.len() > base.1 {
                let _ = writeln!(
                    failures,
                    "{branch} {group} {kind}: matched {} (baseline {}), extra {} (baseline {})",
                    c.matched,
                    base.0,
                    c.extra.len(),
                    base.1
                );
                for m in &c.missing {
                    let _ = writeln!(failures, "  missing {m}");
                }
                for e in &c.extra {
                    let _ = writeln!(failures, "  extra   {e}");
                }
            }
        }
    }
    let summary = format!(
        "{matched_total} of {real_total} real jobs matched by name; {exact} of {sets} sets exact"
    );
    println!("{report}{summary}");
    if update {
        std::fs::write(baseline_path(), &measured).unwrap();
        return;
    }
    assert!(failures.is_empty(), "worse than the baseline:\n{failures}");
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    assert!(
        readme.contains(&summary),
        "the README states the measured figures: `{summary}`"
    );
}
