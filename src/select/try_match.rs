//! Which jobs a try selection chooses, by `try_parser.py`'s rules on the jobs' attributes and
//! builder names (`description`):
//!
//! - a build when its `platform` and `build_type` are chosen;
//! - a test (talos run) when its `platform` and `build_type` are, and a `-u` (`-t`) entry
//!   matches its suite as `testSuiteMatches` did, against buildbot's suite name (`mochitest-3`
//!   for chunk 3 of 5);
//! - then the last matching entry's `[...]` restriction decides (`passesFilter`); without one,
//!   test platforms not tried by default are left out.
//!
//! Two deliberate extensions: `X-N` also selects the suite `X` where it is not chunked (the
//! chunk on one platform, the whole suite on another), and a restriction item also matches a
//! job's test platform or build platform name (`xpcshell[-xp-ix]`).

use std::collections::{BTreeSet, HashSet};

use crate::defs::{TryAlias, TryConfig};
use crate::expand::Job;
use crate::query::field;

use super::try_syntax::{Entry, TrySpec};

/// `testSuiteMatches(v, u)`: does the user's name `u` choose buildbot's suite `v`?
pub fn suite_matches(v: &str, u: &str) -> bool {
    match u {
        "mochitests" | "mochitest" => v.starts_with("mochitest"),
        "jittests" | "jittest" => v.starts_with("jittest"),
        "mochitest-o" | "mochitest-chrome" | "mochitest-a11y" => v.contains("mochitest-o"),
        "mochitest-dt" => v.starts_with("mochitest-devtools-chrome"),
        "mochitest-bc" | "mochitest-browser" => v.starts_with("mochitest-browser-chrome"),
        "reftests" | "reftest" => v.starts_with("reftest") || v.starts_with("plain-reftest"),
        "all" => true,
        _ => u == v,
    }
}

/// Buildbot's name of a test's suite: the suite, and its chunk where it has several.
fn buildbot_suite(job: &Job, suite: &str) -> String {
    match &job.chunk {
        Some(c) if c.total > 1 => format!("{suite}-{}", c.this),
        _ => suite.to_owned(),
    }
}

/// Does the name `u` (an alias, or a name as the real parser read it) choose this job?
fn chooses(u: &str, job: &Job, config: &TryConfig) -> bool {
    let Some(suite) = field(job, "suite") else {
        return false;
    };
    let bb = buildbot_suite(job, &suite);
    let direct = |u: &str| {
        suite_matches(&bb, u)
            // The chunk number of a suite that is not chunked here: the whole suite.
            || (bb == suite
                && u.rsplit_once('-').is_some_and(|(base, n)| {
                    base == suite && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
                }))
    };
    match config.aliases.get(u) {
        Some(TryAlias::Name(n)) => direct(n),
        Some(TryAlias::List(l)) => l.iter().any(|n| direct(n)),
        Some(TryAlias::Pattern(re)) => re.is_match(&suite) || re.is_match(&bb),
        None => direct(u),
    }
}

/// `passesFilter`: an item matches when the builder name holds it, or it names the job's test
/// or build platform; any exclusion that matches rejects, and with inclusions one must match.
fn passes(filter: &[String], job: &Job) -> bool {
    let name = job.description.as_deref().unwrap_or(&job.label);
    let platforms = [field(job, "test_platform"), field(job, "platform")];
    let matches = |item: &str| name.contains(item) || platforms.iter().flatten().any(|p| p == item);
    let mut saw_inclusion = false;
    let mut matched = false;
    for item in filter {
        match item.strip_prefix('-') {
            Some(excluded) if matches(excluded) => return false,
            Some(_) => {}
            None => {
                saw_inclusion = true;
                matched |= matches(item);
            }
        }
    }
    matched || !saw_inclusion
}

fn glob_match(globs: &[crate::glob::Glob], name: &str) -> bool {
    globs.iter().any(|g| g.is_match(name))
}

/// The build platforms of the graph's builds.
pub fn build_platforms(jobs: &[Box<Job>]) -> BTreeSet<String> {
    jobs.iter()
        .filter(|j| j.kind == "build")
        .filter_map(|j| field(j, "platform"))
        .collect()
}

/// What `-p all` chooses of the build platforms `known`: those tried by default.
pub fn all_platforms(known: &BTreeSet<String>, config: &TryConfig) -> Vec<String> {
    known
        .iter()
        .filter(|p| !glob_match(&config.not_by_default.platforms, p))
        .cloned()
        .collect()
}

/// Whether a test platform's suites run only when a restriction names it.
pub fn not_by_default(test_platform: &str, config: &TryConfig) -> bool {
    glob_match(&config.not_by_default.test_platforms, test_platform)
}

/// Whether `entries` choose this test or talos job.
fn entries_choose(entries: &[Entry], job: &Job, config: &TryConfig) -> bool {
    let matching: Vec<&Entry> = entries
        .iter()
        .filter(|e| chooses(&e.name, job, config))
        .collect();
    if matching.is_empty() {
        return false;
    }
    // The last restriction given for the suite decides; without one, defaults only.
    match matching.iter().rev().find_map(|e| e.restriction.as_ref()) {
        Some(filter) => passes(filter, job),
        None => field(job, "test_platform").is_none_or(|tp| !not_by_default(&tp, config)),
    }
}

/// The jobs the selection chooses, and notes on names that choose nothing.
pub fn select(
    jobs: &[Box<Job>],
    spec: &TrySpec,
    config: &TryConfig,
) -> (HashSet<usize>, Vec<String>) {
    let mut notes = Vec::new();
    fn of_kind<'a>(jobs: &'a [Box<Job>], kind: &'a str) -> impl Iterator<Item = &'a Box<Job>> {
        jobs.iter().filter(move |j| j.kind == kind)
    }
    let known = build_platforms(jobs);
    let mut platforms: BTreeSet<String> = BTreeSet::new();
    if spec.platforms.full {
        platforms.extend(known.iter().cloned());
    } else if spec.platforms.all {
        platforms.extend(all_platforms(&known, config));
    }
    for name in &spec.platforms.named {
        let names: Vec<String> = match config.aliases.get(name) {
            Some(TryAlias::Name(n)) => vec![n.clone()],
            Some(TryAlias::List(l)) => l.clone(),
            Some(TryAlias::Pattern(re)) => {
                known.iter().filter(|k| re.is_match(k)).cloned().collect()
            }
            None => vec![name.clone()],
        };
        if !names.iter().any(|n| known.contains(n)) {
            let near = crate::defs::keys::nearest(name, known.iter().map(String::as_str));
            notes.push(format!(
                "`-p {name}` names no build platform here; the nearest are {}",
                crate::diag::backticked(&near)
            ));
        }
        platforms.extend(names);
    }
    let suites_note =
        |entries: &Option<Vec<Entry>>, kind: &str, flag: &str, notes: &mut Vec<String>| {
            for e in entries.iter().flatten() {
                if !of_kind(jobs, kind).any(|j| chooses(&e.name, j, config)) {
                    let names: BTreeSet<String> = of_kind(jobs, kind)
                        .filter_map(|j| Some(buildbot_suite(j, &field(j, "suite")?)))
                        .collect();
                    let near =
                        crate::defs::keys::nearest(&e.name, names.iter().map(String::as_str));
                    notes.push(format!(
                        "`{flag} {}` names no {kind} suite here; the nearest are {}",
                        e.name,
                        crate::diag::backticked(&near)
                    ));
                }
            }
        };
    suites_note(&spec.tests, "test", "-u", &mut notes);
    suites_note(&spec.talos, "talos", "-t", &mut notes);
    let chosen = (0..jobs.len())
        .filter(|&i| {
            let j = &jobs[i];
            let placed = field(j, "platform").is_some_and(|p| platforms.contains(&p))
                && field(j, "build_type").is_some_and(|t| spec.build_types.contains(&t.as_str()));
            placed
                && match j.kind.as_str() {
                    "build" => true,
                    "test" => spec
                        .tests
                        .as_ref()
                        .is_some_and(|e| entries_choose(e, j, config)),
                    "talos" => spec
                        .talos
                        .as_ref()
                        .is_some_and(|e| entries_choose(e, j, config)),
                    _ => false,
                }
        })
        .collect();
    (chosen, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suite_names_as_the_real_parser_matched_them() {
        assert!(suite_matches(
            "mochitest-e10s-browser-chrome-2",
            "mochitests"
        ));
        assert!(suite_matches("mochitest-other", "mochitest-o"));
        assert!(suite_matches("mochitest-oop-1", "mochitest-chrome"));
        assert!(suite_matches("plain-reftest-3", "reftest"));
        assert!(suite_matches("reftest-no-accel", "reftests"));
        assert!(!suite_matches("crashtest", "reftest"));
        assert!(suite_matches("mochitest-browser-chrome-1", "mochitest-bc"));
        assert!(!suite_matches("web-platform-tests-1", "web-platform-tests"));
        assert!(suite_matches("xpcshell", "xpcshell"));
        assert!(suite_matches("anything", "all"));
    }
}
