//! Hostile input: every case is an error with a code and a location (or a path), never a
//! panic, a hang or an out-of-memory. Large inputs are built here rather than committed.

mod common;

use std::fs;
use std::path::Path;

use common::taskgen;
use taskgen::fixture::write_bundle;

const BASE: &str = "# file: taskgraph/config.yml\nformat_version: 1\n# file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n  - {name: a, type: dummy}\n# file: branches/generic.yml\ntriggers: {push: g}\n";

/// Lints a tree built by `build`, checks the exit code and snapshots what lint said.
fn check(name: &str, exit: i32, build: impl FnOnce(&Path)) {
    let dir = tempfile::tempdir().unwrap();
    write_bundle(dir.path(), BASE).unwrap();
    build(dir.path());
    let root = dir.path().to_str().unwrap();
    let run = taskgen(dir.path(), &["--root", root, "lint"]);
    assert_eq!(run.code, exit, "{name}:\n{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{name}");
    let generate = taskgen(
        dir.path(),
        &["--root", root, "generate", "--branch", "generic"],
    );
    assert_ne!(generate.code, 0, "{name}: generate must fail too");
    assert!(generate.stdout.is_empty());
    let settings = common::snapshots("hostile");
    // Long hostile lines make long snippets: keep the head of each report.
    let head: String = run
        .stdout
        .lines()
        .take(14)
        .map(|l| format!("{}\n", l.chars().take(120).collect::<String>()))
        .collect();
    settings.bind(|| insta::assert_snapshot!(name, head));
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// `levels` anchors, each a list of ten aliases of the one before: 10^levels values.
fn alias_levels(levels: usize) -> String {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..levels {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            vec![format!("*a{p}"); 10].join(", ")
        ));
    }
    text
}

#[test]
fn alias_bomb() {
    check("alias_bomb", 2, |root| {
        let mut text = alias_levels(10);
        text.push_str("triggers: {push: g}\n");
        write(root, "branches/generic.yml", text);
    });
}

#[test]
fn thousand_deep_block_nesting() {
    check("thousand_deep_block_nesting", 2, |root| {
        let mut text = String::from("triggers: {push: g}\nx:\n");
        for depth in 1..1000 {
            text.push_str(&format!("{}k:\n", "  ".repeat(depth)));
        }
        write(root, "branches/generic.yml", text);
    });
}

#[test]
fn thousand_deep_flow_nesting() {
    check("thousand_deep_flow_nesting", 2, |root| {
        write(
            root,
            "branches/generic.yml",
            format!(
                "triggers: {{push: g}}\nx: {}{}\n",
                "[".repeat(1000),
                "]".repeat(1000)
            ),
        );
    });
}

#[test]
fn huge_file() {
    check("huge_file", 2, |root| {
        let line = "# padding padding padding padding padding padding padding padding padding\n";
        write(
            root,
            "taskgraph/jobs/huge.yml",
            line.repeat(17 * 1024 * 1024 / line.len() + 1),
        );
    });
}

#[test]
fn binary_garbage() {
    check("binary_garbage", 2, |root| {
        // A fixed pseudo-random byte stream: the same garbage on every run.
        let mut x: u32 = 0x2545_f491;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect();
        write(root, "taskgraph/graphs/garbage.yml", bytes);
    });
}

#[test]
fn control_characters() {
    check("control_characters", 2, |root| {
        write(
            root,
            "taskgraph/graphs/controls.yml",
            "graph: \u{1}\u{2}\u{7f}\u{0}\n",
        );
    });
}

#[test]
fn templates_that_recurse() {
    check("templates_that_recurse", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - name: \"{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\"\n    type: dummy\n",
        );
    });
}

#[test]
fn templates_that_loop() {
    check("templates_that_loop", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - name: \"{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}\"\n    type: dummy\n",
        );
    });
}

#[test]
fn include_chain_a_thousand_deep() {
    check("include_chain_a_thousand_deep", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\ninclude: [{graph: c1}]\n",
        );
        for i in 1..1000 {
            write(
                root,
                &format!("taskgraph/graphs/c{i}.yml"),
                format!("graph: c{i}\ninclude: [{{graph: c{}}}]\n", i + 1),
            );
        }
        write(root, "taskgraph/graphs/c1000.yml", "graph: c1000\n");
    });
}

#[test]
fn symlink_out_of_the_root() {
    check("symlink_out_of_the_root", 2, |root| {
        let outside = tempfile::NamedTempFile::new().unwrap();
        fs::write(outside.path(), "jobs: {}\n").unwrap();
        let (_, path) = outside.keep().unwrap();
        std::os::unix::fs::symlink(&path, root.join("taskgraph/jobs/escape.yml")).unwrap_or_else(
            |_| {
                fs::create_dir_all(root.join("taskgraph/jobs")).unwrap();
                std::os::unix::fs::symlink(&path, root.join("taskgraph/jobs/escape.yml")).unwrap();
            },
        );
    });
}

/// A template line for a dummy node named by `expression`.
fn node_named(expression: &str) -> String {
    format!("graph: g\nnodes:\n  - name: \"x-{{{{ {expression} }}}}\"\n    type: dummy\n")
}

#[test]
fn template_twenty_five_thousand_unary_operators_deep() {
    check("template_unary_depth", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            node_named(&format!("{}1", "-".repeat(25_000))),
        );
    });
}

#[test]
fn template_of_twelve_thousand_additions() {
    check("template_additions", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            node_named(&vec!["1"; 12_500].join(" + ")),
        );
    });
}

#[test]
fn by_table_key_glob_that_globset_cannot_compile() {
    check("by_table_glob_too_deep", 1, |root| {
        let key = format!("*{}b{}", "{a,".repeat(100), "}".repeat(100));
        write(
            root,
            "taskgraph/graphs/g.yml",
            format!(
                "graph: g\nnodes:\n  - name: a\n    type: dummy\n    priority: {{by-branch.name: {{\"{key}\": low, default: low}}}}\n"
            ),
        );
    });
}

/// A definitions file that is not a regular file is an error found without opening it: a
/// FIFO would block the read forever, a device never end.
#[test]
fn fifo_and_device_in_the_tree() {
    for (name, make) in [
        ("fifo", (|p: &Path| mkfifo(p)) as fn(&Path)),
        ("device", |p: &Path| {
            std::os::unix::fs::symlink("/dev/zero", p).unwrap()
        }),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write_bundle(dir.path(), BASE).unwrap();
        make(&dir.path().join("taskgraph/graphs/bad.yml"));
        let root = dir.path().to_str().unwrap();
        let run = taskgen(dir.path(), &["--root", root, "lint"]);
        assert_eq!(run.code, 2, "{name}: {}", run.stdout);
        assert!(
            run.stdout
                .contains("cannot read `taskgraph/graphs/bad.yml`"),
            "{name}: {}",
            run.stdout
        );
    }
}

#[test]
fn fifo_or_device_as_params_or_policy() {
    let dir = tempfile::tempdir().unwrap();
    write_bundle(dir.path(), BASE).unwrap();
    let fifo = dir.path().join("params.fifo");
    mkfifo(&fifo);
    let root = dir.path().to_str().unwrap();
    let fifo = fifo.to_str().unwrap();
    for (flag, path, kind) in [
        ("--params", fifo, "a FIFO"),
        ("--policy", fifo, "a FIFO"),
        ("--params", "/dev/zero", "a device"),
        ("--policy", "/dev/zero", "a device"),
    ] {
        let run = taskgen(
            dir.path(),
            &[
                "--root", root, "generate", "--branch", "generic", flag, path,
            ],
        );
        assert_eq!(run.code, 2, "{flag} {path}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "cannot read `{path}`: it is {kind}, not a regular file"
            )),
            "{flag} {path}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
}

/// A link to a file of the same checkout outside `taskgraph/` and `branches/` (its git config,
/// with a token in a remote URL) is refused before it is read: nothing of it is printed.
#[test]
fn symlink_to_the_checkouts_git_config_is_never_read() {
    let dir = tempfile::tempdir().unwrap();
    write_bundle(dir.path(), BASE).unwrap();
    write(
        dir.path(),
        ".git/config",
        "[remote \"origin\"]\n  url = https://user:SECRET-TOKEN@example.com/repo\n",
    );
    std::os::unix::fs::symlink("../.git/config", dir.path().join("branches/leak.yml")).unwrap();
    let root = dir.path().to_str().unwrap();
    for args in [
        vec!["--root", root, "lint"],
        vec!["--root", root, "generate", "--branch", "leak"],
    ] {
        let run = taskgen(dir.path(), &args);
        // lint's findings are on stdout, generate's errors on stderr.
        let said = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, 2, "{said}");
        assert!(said.contains("cannot read `branches/leak.yml`"), "{said}");
        assert!(!said.contains("SECRET"), "{said}");
        assert!(!run.stdout.contains("SECRET"));
    }
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// 30,000 findings: human output renders 200 in full and counts the rest by code; JSON keeps
/// every one. (Rendering is linear: each snippet reads only its own lines.)
#[test]
fn thirty_thousand_findings_are_capped_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    write_bundle(dir.path(), BASE).unwrap();
    let mut config = String::from("format_version: 1\n");
    for i in 0..30_000 {
        config.push_str(&format!("unknown_key_{i}: 1\n"));
    }
    write(dir.path(), "taskgraph/config.yml", config);
    let root = dir.path().to_str().unwrap();
    let human = taskgen(dir.path(), &["--root", root, "lint"]);
    assert_eq!(human.code, 1);
    assert_eq!(human.stdout.matches("TG101(unknown-key)\n").count(), 200);
    assert!(
        human
            .stdout
            .contains("... and 29800 more findings not shown (29800 TG101(unknown-key))"),
        "{}",
        &human.stdout[human.stdout.len().saturating_sub(400)..]
    );
    let few = taskgen(
        dir.path(),
        &[
            "--root",
            root,
            "--max-findings",
            "3",
            "generate",
            "-b",
            "generic",
        ],
    );
    assert_eq!(few.code, 1);
    assert_eq!(few.stderr.matches("TG101(unknown-key)\n").count(), 3);
    let json = taskgen(dir.path(), &["--root", root, "lint", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 30_000);
}

/// A file name or a value with a newline or an escape sequence is printed escaped: it cannot
/// start a line of its own (a forged `::error` workflow command) or recolour the terminal.
#[test]
fn control_characters_in_names_and_values_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    write_bundle(dir.path(), BASE).unwrap();
    write(
        dir.path(),
        "taskgraph/jobs/x\n::error file=README.md::owned.yml",
        "jobs: [not, a, map]\n",
    );
    write(
        dir.path(),
        "taskgraph/graphs/g.yml",
        "graph: g\nnodes:\n  - {name: a, type: dummy, priority: \"\\e[31mred\\nline\"}\n",
    );
    let root = dir.path().to_str().unwrap();
    let run = taskgen(dir.path(), &["--root", root, "lint"]);
    assert_ne!(run.code, 0);
    assert!(
        !run.stdout.lines().any(|l| l.starts_with("::")),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
    assert!(run.stdout.contains("x\\n::error"), "{}", run.stdout);
}

#[test]
fn label_with_a_newline() {
    check("label_with_a_newline", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - {name: \"harmless\\nnightly-signing-linux64\", type: dummy}\n",
        );
    });
}

#[test]
fn label_of_ten_thousand_bytes() {
    check("label_too_long", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - {name: \"{{ 'x' * 10000 }}\", type: dummy}\n",
        );
    });
}

/// A 1 MiB string copied by 2,500 aliases: the budget counts bytes, not only values.
#[test]
fn long_string_aliased_thousands_of_times() {
    check("long_string_aliased", 2, |root| {
        let mut text = format!("s: &s \"{}\"\ncopies: [", "x".repeat(1 << 20));
        text.push_str(&vec!["*s"; 2_500].join(", "));
        text.push_str("]\ntriggers: {push: g}\n");
        write(root, "branches/generic.yml", text);
    });
}

/// Twenty nested anchors over 1.1 million nulls: stopped before the first copy is made.
#[test]
fn nested_anchors_over_a_million_nulls() {
    check("nested_anchors_over_nulls", 2, |root| {
        let mut text = format!("a0: &a0 [{}]\n", vec!["~"; 1_100_000].join(","));
        for i in 1..20 {
            text.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
        }
        text.push_str("triggers: {push: g}\n");
        write(root, "branches/generic.yml", text);
    });
}

/// Seven graphs that include each other ten times per level: the number of subgraphs is
/// bounded before ten million instances are made.
#[test]
fn includes_that_multiply() {
    check("includes_that_multiply", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\ninclude: [{graph: l1, as: \"x{{ i }}\"}]\n",
        );
        let tens: String = (0..10)
            .map(|i| format!("  - {{graph: NEXT, as: c{i}}}\n"))
            .collect();
        write(
            root,
            "taskgraph/graphs/g.yml",
            format!(
                "graph: g\ninclude:\n{}nodes:\n  - {{name: a, type: dummy}}\n",
                tens.replace("NEXT", "l1")
            ),
        );
        for level in 1..7 {
            write(
                root,
                &format!("taskgraph/graphs/l{level}.yml"),
                format!(
                    "graph: l{level}\ninclude:\n{}nodes:\n  - {{name: \"n-{{{{ 1 }}}}\", type: dummy}}\n",
                    tens.replace("NEXT", &format!("l{}", level + 1))
                ),
            );
        }
        write(
            root,
            "taskgraph/graphs/l7.yml",
            "graph: l7\nnodes:\n  - {name: leaf, type: dummy}\n",
        );
    });
}

/// 3,200 jobs that each wait on a glob matching 3,200 others: 10.24 million edges, stopped at
/// the dependency budget.
#[test]
fn globs_that_make_millions_of_edges() {
    check("globs_that_make_millions_of_edges", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - {name: \"n-{{ i }}\", type: dummy, for: {i: \"{{ range(3200) | list }}\"}}\n  - {name: \"m-{{ i }}\", type: dummy, for: {i: \"{{ range(3200) | list }}\"}, needs: {\"n-*\": success}}\n",
        );
    });
}

/// 30,000 job templates in one file: the distinct templates are bounded before their
/// compiled code exhausts memory.
#[test]
fn thirty_thousand_templates() {
    check("thirty_thousand_templates", 1, |root| {
        let mut text = String::from("jobs:\n");
        for i in 0..30_000 {
            text.push_str(&format!(
                "  j{i}: {{kind: k, command: [\"run {{{{ branch.name }}}} {i}\"]}}\n"
            ));
        }
        write(root, "taskgraph/jobs/many.yml", text);
    });
}

/// 6,000 jobs whose label each spends most of one evaluation's fuel (a 5.5 MB string, made and
/// measured): the run's template budget stops them, at the same job every time.
#[test]
fn templates_that_spend_the_runs_fuel() {
    check("templates_that_spend_the_runs_fuel", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - {name: \"n-{{ i }}-{{ ('x' * 5500000) | length }}\", type: dummy, for: {i: \"{{ range(6000) | list }}\"}}\n",
        );
    });
}

/// A 1 MiB string copied into each of 5,000 jobs would make 5 GB: the bytes a run renders are
/// paid for in fuel, and the budget stops it after some 1,500.
#[test]
fn a_long_string_in_every_job() {
    check("a_long_string_in_every_job", 1, |root| {
        let long = "x".repeat(1 << 20);
        write(
            root,
            "taskgraph/graphs/g.yml",
            format!(
                "graph: g\nnodes:\n  - {{name: \"n-{{{{ i }}}}\", type: dummy, description: {long}, for: {{i: \"{{{{ range(5000) | list }}}}\"}}}}\n"
            ),
        );
    });
}

/// Runs taskgen on `root`, with every limit scaled down by `--max-jobs` when given, so that a
/// case about the run's totals stays small.
fn run_within(root: &Path, max_jobs: Option<&str>, args: &[&str]) -> common::Run {
    let mut all = vec!["--root", root.to_str().unwrap()];
    if let Some(n) = max_jobs {
        all.extend(["--max-jobs", n]);
    }
    all.extend_from_slice(args);
    taskgen(root, &all)
}

/// A tree whose graph is 900 dummy jobs (902 with its milestones).
fn nine_hundred_jobs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_bundle(dir.path(), BASE).unwrap();
    write(
        dir.path(),
        "taskgraph/graphs/g.yml",
        "graph: g\nnodes:\n  - {name: \"n-{{ i }}\", type: dummy, for: {i: \"{{ range(900) | list }}\"}}\n",
    );
    dir
}

/// Forty branch files, each within one graph's limit, are more than a run may expand: lint
/// stops at the run's total with one located error, the same on every run however the
/// branches were scheduled, and each branch alone still generates.
#[test]
fn many_branch_files_share_one_budget() {
    let dir = nine_hundred_jobs();
    for b in 0..40 {
        write(dir.path(), &format!("branches/b{b:02}.yml"), "{}\n");
    }
    let first = run_within(dir.path(), Some("1000"), &["lint"]);
    assert_eq!(first.code, 1, "{}", first.stdout);
    assert_eq!(first.stdout.matches("TG310").count(), 1, "{}", first.stdout);
    assert!(
        first.stdout.contains(
            "the graphs of the 40 branches lint checks have together more than 8000 jobs"
        ),
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains("branches/generic.yml:1:1"));
    let again = run_within(dir.path(), Some("1000"), &["lint"]);
    assert_eq!(again.stdout, first.stdout);
    let one = run_within(dir.path(), Some("1000"), &["generate", "--branch", "b07"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    // Within the default limits the same tree lints.
    let default = run_within(dir.path(), None, &["lint"]);
    assert_eq!(default.code, 0, "{}", default.stderr);
}

/// Graph tests that each ask for another graph share the run's total too: past it, each test
/// fails at the limit, in test order, and nothing hangs.
#[test]
fn many_graph_tests_share_one_budget() {
    let dir = nine_hundred_jobs();
    let mut tests = String::from("tests:\n");
    for t in 0..12 {
        tests.push_str(&format!(
            "  - name: t{t}\n    branches: [generic]\n    files_changed: [f{t}]\n    expect:\n      - count: {{jobs: \"n-1\", equals: 1}}\n"
        ));
    }
    write(dir.path(), "taskgraph/tests/many.yml", tests);
    let run = run_within(dir.path(), Some("1000"), &["test"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("the graphs this command expands have together more than 8000 jobs"),
        "{}",
        run.stdout
    );
    // Eight graphs of 902 jobs fit in 8,000; the ninth crosses it.
    let default = run_within(dir.path(), None, &["test"]);
    assert_eq!(default.code, 0, "{}", default.stderr);
}

/// Forty small files of aliases, each of 120,000 values and within the per-file bound, add up
/// to more than the tree's bound.
#[test]
fn alias_files_that_add_up() {
    check("alias_files_that_add_up", 2, |root| {
        let mut text = alias_levels(5);
        text.push_str("jobs: {}\n");
        for f in 0..40 {
            write(root, &format!("taskgraph/jobs/a{f}.yml"), &text);
        }
    });
}

/// 30,000 jobs with a glob that matches none of 30,000 labels would be 900 million matches,
/// all made before a single dependency: the budget counts what a glob is matched against.
#[test]
fn globs_that_match_nothing_over_many_labels() {
    check("globs_that_match_nothing_over_many_labels", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - {name: \"n-{{ i }}\", type: dummy, for: {i: \"{{ range(30000) | list }}\"}}\n  - {name: \"m-{{ i }}\", type: dummy, for: {i: \"{{ range(30000) | list }}\"}, needs: {\"n-*-zzz\": success}}\n",
        );
    });
}

/// 30,000 missing dependencies: the nearest labels are suggested for the first few, since
/// each suggestion reads every label.
#[test]
fn thirty_thousand_missing_dependencies() {
    check("thirty_thousand_missing_dependencies", 1, |root| {
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - {name: \"n-{{ i }}\", type: dummy, for: {i: \"{{ range(30000) | list }}\"}, needs: {\"x-{{ i }}\": success}}\n  - {name: a, type: dummy}\n",
        );
    });
}

/// 100,000 jobs of 2,000 short environment variables each would take 20 GB: every value a
/// job holds is paid for in fuel by what it takes in memory, not only by its bytes.
#[test]
fn many_small_values_in_every_job() {
    check("many_small_values_in_every_job", 1, |root| {
        let env: String = (0..2000).map(|k| format!("      V{k}: v{k}\n")).collect();
        write(
            root,
            "taskgraph/jobs/j.yml",
            format!(
                "jobs:\n  j:\n    kind: k\n    worker: {{pool: p}}\n    command: [x]\n    env:\n{env}"
            ),
        );
        write(
            root,
            "taskgraph/graphs/g.yml",
            "graph: g\nnodes:\n  - {name: \"n-{{ i }}-{{ j }}\", job: j, for: {i: \"{{ range(100) | list }}\", j: \"{{ range(1000) | list }}\"}}\n",
        );
    });
}
