//! `taskgen lint`, `taskgen rules` and `taskgen rule` from the command line.

mod common;

use common::{repo, taskgen};
use taskgen::fixture::write_bundle;

/// Two branches that share a broken template, and a warning.
const TREE: &str = "# file: taskgraph/config.yml\nformat_version: 1\n\
# file: taskgraph/jobs/j.yml\njobs:\n  build:\n    kind: build\n    params: {p: string}\n    retries: 60\n  spare:\n    kind: build\n\
# file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n  - {name: \"b-{{ p }}\", job: build, for: {p: \"{{ branch.ps }}\"}}\n\
# file: branches/generic.yml\nps: [x, y]\ntriggers: {push: g}\n\
# file: branches/one.yml\nps: [x]\n\
# file: branches/two.yml\nps: [y, z]\n";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_bundle(dir.path(), TREE).unwrap();
    dir
}

fn lint(dir: &tempfile::TempDir, extra: &[&str]) -> common::Run {
    let root = dir.path().to_str().unwrap();
    let mut args = vec!["--root", root, "lint"];
    args.extend(extra);
    taskgen(dir.path(), &args)
}

#[test]
fn one_wrong_definition_in_several_branches_is_one_finding() {
    let dir = tree();
    let run = lint(&dir, &["--format", "json"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["branches"], serde_json::json!(["one", "two"]));
    let findings = doc["findings"].as_array().unwrap();
    let retries: Vec<_> = findings.iter().filter(|f| f["code"] == "TG502").collect();
    assert_eq!(
        retries.len(),
        1,
        "merged across branches and jobs: {findings:#?}"
    );
    let f = retries[0];
    assert_eq!(f["name"], "too-many-retries");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], "taskgraph/jobs/j.yml");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(5), Some(14))
    );
    assert_eq!(f["branches"], serde_json::json!(["one", "two"]));
    assert!(
        f["help"].as_str().unwrap().contains("more finding"),
        "three jobs, one place: {f}"
    );
    let unused: Vec<_> = findings.iter().filter(|f| f["code"] == "TG601").collect();
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["severity"], "warning");
}

#[test]
fn output_is_deterministic() {
    let dir = tree();
    let a = lint(&dir, &["--format", "json"]).stdout;
    for _ in 0..3 {
        assert_eq!(lint(&dir, &["--format", "json"]).stdout, a);
    }
}

#[test]
fn ignore_and_deny_warnings_decide_the_exit_code() {
    let dir = tree();
    assert_eq!(lint(&dir, &[]).code, 1);
    let run = lint(&dir, &["--ignore", "TG502"]);
    assert_eq!(run.code, 0, "only a warning is left: {}", run.stdout);
    assert!(run.stdout.contains("TG601(unused-job-template)"));
    assert_eq!(
        lint(&dir, &["--ignore", "too-many-retries", "--deny-warnings"]).code,
        1
    );
    assert_eq!(
        lint(
            &dir,
            &[
                "--ignore",
                "TG502",
                "--ignore",
                "unused-job-template",
                "--deny-warnings"
            ]
        )
        .code,
        0
    );
    let bad = lint(&dir, &["--ignore", "TG999"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no rule has this code or name"));
}

#[test]
fn branch_filter_lints_only_those_branches_and_skips_unused_checks() {
    let dir = tree();
    let run = lint(&dir, &["--branch", "one", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["branches"], serde_json::json!(["one"]));
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["TG502"], "unused rules need every branch");
}

#[test]
fn github_format_prints_workflow_commands() {
    let dir = tree();
    let run = lint(&dir, &["--format", "github"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=taskgraph/jobs/j.yml,line=6,col=3,")),
        "{}",
        run.stdout
    );
    let error = lines.iter().find(|l| l.starts_with("::error ")).unwrap();
    assert!(error.contains("title=TG502 too-many-retries::"), "{error}");
    assert!(error.ends_with("%0Abranches: one, two"), "{error}");
    assert!(!error.contains('\n'));
}

#[test]
fn sarif_has_the_shape_code_scanning_reads() {
    let dir = tree();
    let run = lint(&dir, &["--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let sarif_run = &doc["runs"][0];
    assert_eq!(sarif_run["tool"]["driver"]["name"], "taskgen");
    let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), taskgen::check::RULES.len());
    for result in sarif_run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning"].contains(&result["level"].as_str().unwrap()));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        assert!(result["message"]["text"].is_string());
    }
    assert!(!sarif_run["results"].as_array().unwrap().is_empty());
    // Valid by the official SARIF 2.1.0 schema (tests/schemas/sarif).
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/schemas/sarif/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Each rule's help is its section of docs/rules.md, and its full description is more than
    // its summary.
    let docs = std::fs::read_to_string(repo().join("docs/rules.md")).unwrap();
    let anchors: Vec<String> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| {
            h.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect();
    let home = sarif_run["tool"]["driver"]["informationUri"]
        .as_str()
        .unwrap();
    assert_eq!(home, env!("CARGO_PKG_REPOSITORY"));
    for rule in rules {
        let uri = rule["helpUri"].as_str().unwrap();
        let (page, anchor) = uri.split_once('#').unwrap();
        assert_eq!(page, format!("{home}/blob/main/docs/rules.md"));
        assert!(
            anchors.iter().any(|a| a == anchor),
            "{uri}: no such heading"
        );
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        let short = rule["shortDescription"]["text"].as_str().unwrap();
        assert!(
            full.len() > short.len() && !full.contains("## "),
            "{}: {full}",
            rule["id"]
        );
    }
}

#[test]
fn unreadable_input_exits_2_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write_bundle(
        dir.path(),
        "# file: taskgraph/config.yml\nformat_version: [\n",
    )
    .unwrap();
    for format in ["human", "json", "sarif", "github"] {
        let run = lint(&dir, &["--format", format]);
        assert_eq!(run.code, 2, "{format}");
        assert!(
            run.stdout.contains("TG002") || run.stderr.contains("TG002"),
            "{format}"
        );
    }
}

#[test]
fn builtin_definitions_lint_clean() {
    let run = taskgen(&repo(), &["lint", "--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // Findings and the summary are the output; stderr only says what to note.
    assert!(
        run.stdout
            .ends_with("taskgen lint: 0 errors, 0 warnings in 9 branches\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("taskgen lint:"), "{}", run.stderr);
}

#[test]
fn rules_lists_every_rule_and_rule_prints_one() {
    let list = taskgen(&repo(), &["rules"]);
    assert_eq!(list.code, 0);
    assert_eq!(list.stdout.lines().count(), taskgen::check::RULES.len());
    assert!(list.stdout.contains("TG301  dependency-cycle"));
    let by_code = taskgen(&repo(), &["rule", "TG301"]);
    let by_name = taskgen(&repo(), &["rule", "dependency-cycle"]);
    assert_eq!(by_code.code, 0);
    assert_eq!(by_code.stdout, by_name.stdout);
    for section in ["## What it does", "## Why it matters", "## Example"] {
        assert!(by_code.stdout.contains(section), "{}", by_code.stdout);
    }
    let missing = taskgen(&repo(), &["rule", "TG999"]);
    assert_eq!(missing.code, 2);
}

/// A dependency cycle, a missing dependency and an unknown key hide nothing else: every rule
/// that can still run does, and lint reports it all at once.
#[test]
fn lint_reports_everything_it_can_after_a_stage_error() {
    let dir = common::builtin_copy();
    common::edit(dir.path(), "taskgraph/graphs/per-checkin.yml", |s| {
        format!(
            "{s}  - {{name: cyc-a, type: dummy, needs: {{cyc-b: success}}, priority: high}}\n  - {{name: cyc-b, type: dummy, needs: {{cyc-a: success}}}}\n  - {{name: lonely, type: dummy, needs: {{nosuch: success}}}}\n"
        )
    });
    common::edit(dir.path(), "taskgraph/config.yml", |s| {
        format!("{s}bogus_key: 1\n")
    });
    let root = dir.path().to_str().unwrap();
    let run = common::taskgen(
        dir.path(),
        &["--root", root, "lint", "-b", "try", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["TG101", "TG301", "TG302", "TG407"]);
}

#[test]
fn suppressions_apply_to_one_branch_but_are_judged_unused_only_over_all() {
    let dir = tree();
    // `spare` is unused: suppressed above its line. `build` is used: that suppression is
    // unused, which only a lint of every branch can tell.
    let jobs = dir.path().join("taskgraph/jobs/j.yml");
    let text = std::fs::read_to_string(&jobs).unwrap();
    let text = text
        .replace(
            "  spare:",
            "  # taskgen: ignore[unused-job-template]\n  spare:",
        )
        .replace("  build:", "  build:   # taskgen: ignore[TG601]");
    std::fs::write(&jobs, text).unwrap();
    let codes = |run: &common::Run| -> Vec<String> {
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let findings = doc["findings"].as_array().unwrap();
        findings
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = lint(&dir, &["--format", "json"]);
    assert_eq!(codes(&all), ["TG604", "TG502"], "{}", all.stdout);
    let one = lint(&dir, &["--branch", "one", "--format", "json"]);
    assert_eq!(codes(&one), ["TG502"], "{}", one.stdout);
    // `--ignore` drops the unused-suppression finding like any other.
    let ignored = lint(
        &dir,
        &["--format", "json", "--ignore", "unused-suppression"],
    );
    assert_eq!(codes(&ignored), ["TG502"], "{}", ignored.stdout);
}
