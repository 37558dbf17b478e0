//! Every rule, through its fixtures: each `tests/rules/<rule>/fail*.txt` must report the rule
//! (snapshotted through `lint`, and through `generate` for errors), each `pass*.txt` must lint
//! clean. Plus the meta-tests of the registry: sorted, complete, documented, with fixtures.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{case, repo, taskgen};
use taskgen::check::{Check, RULES};
use taskgen::diag::Severity;

fn settings() -> insta::Settings {
    common::snapshots("rules")
}

fn fixtures(rule: &str, prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(repo().join("tests/rules").join(rule))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn directive(text: &str, name: &str) -> bool {
    text.lines().any(|l| l.starts_with(&format!("# {name}")))
}

#[test]
fn failing_fixtures_report_their_rule() {
    let settings = settings();
    for rule in RULES {
        let tag = format!("{}({})", rule.code.id, rule.code.name);
        for path in fixtures(rule.code.name, "fail") {
            let text = fs::read_to_string(&path).unwrap();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let exit = text
                .lines()
                .find_map(|l| l.strip_prefix("# exit: "))
                .map(|e| e.trim().parse().unwrap());
            let c = case(&path, exit.unwrap_or(1));
            let root = c.dir.path().to_str().unwrap();
            if !directive(&text, "generate-only") {
                let lint = taskgen(c.dir.path(), &["--root", root, "lint"]);
                // Findings are on stdout; a usage error (exit 2) is on stderr.
                let said = format!("{}{}", lint.stdout, lint.stderr);
                let expected = exit.unwrap_or(if rule.severity == Severity::Error {
                    1
                } else {
                    0
                });
                assert_eq!(
                    lint.code,
                    expected,
                    "lint exit for {}\n{said}",
                    path.display(),
                );
                assert!(
                    said.contains(&tag),
                    "{} does not report {tag}:\n{said}",
                    path.display(),
                );
                settings.bind(|| {
                    insta::assert_snapshot!(format!("lint@{}@{stem}", rule.code.name), said)
                });
            }
            if rule.severity == Severity::Error {
                let run = c.run();
                assert_eq!(
                    run.code,
                    c.exit,
                    "generate exit for {}\n{}",
                    path.display(),
                    run.stderr
                );
                // `lint` and `test` (a case's `# args:`) report on stdout; generate writes
                // nothing there on error.
                let said = if matches!(c.args[0].as_str(), "lint" | "test") {
                    format!("{}{}", run.stdout, run.stderr)
                } else {
                    assert!(run.stdout.is_empty(), "generate writes nothing on error");
                    run.stderr.clone()
                };
                assert!(
                    said.contains(&tag),
                    "{} does not fail generate with {tag}:\n{said}",
                    path.display(),
                );
                let stderr = said.replace(root, "<root>");
                settings.bind(|| {
                    insta::assert_snapshot!(format!("generate@{}@{stem}", rule.code.name), stderr)
                });
            }
        }
    }
}

#[test]
fn passing_fixtures_lint_clean() {
    for rule in RULES {
        for path in fixtures(rule.code.name, "pass") {
            let c = case(&path, 0);
            let root = c.dir.path().to_str().unwrap();
            let lint = taskgen(
                c.dir.path(),
                &[
                    "--root",
                    root,
                    "lint",
                    "--deny-warnings",
                    "--format",
                    "json",
                ],
            );
            assert_eq!(
                lint.code,
                0,
                "{} should lint clean:\n{}",
                path.display(),
                lint.stdout
            );
            let doc: serde_json::Value = serde_json::from_str(&lint.stdout).unwrap();
            assert_eq!(doc["findings"], serde_json::json!([]), "{}", path.display());
            let run = c.run();
            assert_eq!(
                run.code,
                0,
                "{} should generate:\n{}",
                path.display(),
                run.stderr
            );
        }
    }
}

#[test]
fn registry_is_sorted_unique_and_matches_the_codes() {
    for pair in RULES.windows(2) {
        assert!(
            pair[0].code.id < pair[1].code.id,
            "{} before {}",
            pair[0].code.id,
            pair[1].code.id
        );
    }
    let mut names: Vec<&str> = RULES.iter().map(|r| r.code.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), RULES.len(), "names are unique");
    let codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        taskgen::diag::ALL_CODES,
        "every code has exactly one rule, in order"
    );
}

#[test]
fn every_rule_file_is_registered() {
    let mut files: Vec<String> = fs::read_dir(repo().join("src/check/rules"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".rs") && f != "mod.rs")
        .map(|f| f.trim_end_matches(".rs").replace('_', "-"))
        .collect();
    files.sort();
    let mut registered: Vec<String> = RULES.iter().map(|r| r.code.name.to_owned()).collect();
    registered.sort();
    assert_eq!(
        files, registered,
        "each file under src/check/rules/ is one registered rule, named after it"
    );
}

#[test]
fn every_rule_is_documented() {
    for rule in RULES {
        for section in ["## What it does\n", "## Why it matters\n", "## Example\n"] {
            assert!(
                rule.docs.contains(section),
                "{} lacks `{}`",
                rule.code.name,
                section.trim()
            );
        }
        assert!(
            rule.docs.contains("```"),
            "{} has an example block",
            rule.code.name
        );
        assert!(!rule.summary.ends_with('.'), "summaries are fragments");
        if let Check::Stage(stage) = rule.check {
            assert!(
                [
                    "load", "defs", "branch", "render", "expand", "graph", "test", "lint"
                ]
                .contains(&stage),
                "{stage}"
            );
        }
    }
}

#[test]
fn every_rule_has_fixtures() {
    let dirs: Vec<String> = fs::read_dir(repo().join("tests/rules"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for rule in RULES {
        assert!(
            !fixtures(rule.code.name, "fail").is_empty(),
            "tests/rules/{}/ has no fail*.txt",
            rule.code.name
        );
        assert!(
            !fixtures(rule.code.name, "pass").is_empty(),
            "tests/rules/{}/ has no pass*.txt",
            rule.code.name
        );
    }
    for dir in dirs {
        assert!(
            taskgen::check::find(&dir).is_some(),
            "tests/rules/{dir}/ names no rule"
        );
    }
}

#[test]
fn docs_rules_md_is_up_to_date() {
    let out = taskgen(&repo(), &["rules", "--format", "markdown"]);
    let docs = fs::read_to_string(repo().join("docs/rules.md")).unwrap_or_default();
    assert!(
        docs == out.stdout,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}
