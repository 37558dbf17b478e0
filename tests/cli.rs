//! The command line's conventions: `--version`, `taskgen branches`, shell completions and the
//! manual pages.

mod common;

use std::process::Command;

use common::{repo, taskgen};

#[test]
fn version_names_the_definitions_format() {
    let run = taskgen(&repo(), &["--version"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        format!(
            "taskgen {} (definitions format_version 1)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn branches_lists_each_branch_file_and_its_triggers() {
    let run = taskgen(&repo(), &["branches", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let branches = doc["branches"].as_array().unwrap();
    let mut files: Vec<String> = std::fs::read_dir(repo().join("branches"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f != "generic.yml")
        .collect();
    files.sort();
    let listed: Vec<String> = branches
        .iter()
        .map(|b| format!("{}.yml", b["name"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, files);
    // Each trigger listed generates; `generate` says TG307 for one that is not.
    let try_ = branches.iter().find(|b| b["name"] == "try").unwrap();
    assert_eq!(try_["file"], "branches/try.yml");
    let triggers: Vec<&str> = try_["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for trigger in ["push", "periodic", "nightly", "manual"] {
        let run = taskgen(
            &repo(),
            &["generate", "-b", "try", "-t", trigger, "--format", "labels"],
        );
        assert_eq!(
            run.code == 0,
            triggers.contains(&trigger),
            "{trigger}: {}",
            run.stderr
        );
    }
    let text = taskgen(&repo(), &["branches"]).stdout;
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()[..2] == ["mozilla-inbound", "push"]),
        "{text}"
    );
    let lines = text.lines().count();
    let pairs: usize = branches
        .iter()
        .map(|b| b["triggers"].as_array().unwrap().len())
        .sum();
    assert_eq!(lines, pairs, "one line per branch and trigger");
}

#[test]
fn bash_completes_subcommands_and_options() {
    let script = taskgen(&repo(), &["completions", "bash"]);
    assert_eq!(script.code, 0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("taskgen.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    // As bash calls it: COMP_WORDS with the word being completed last (empty after a
    // space), and the command, that word and the one before as arguments.
    let complete = |line: &str| {
        let mut words: Vec<&str> = line.split(' ').collect();
        if words.len() < 2 {
            words.push("");
        }
        let (cur, prev) = (words[words.len() - 1], words[words.len() - 2]);
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let out = common::stdout_of(Command::new("bash").arg("-c").arg(format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; \
                 COMP_POINT=${{#COMP_LINE}}; _taskgen taskgen '{cur}' '{prev}'; \
                 printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            quoted.join(" "),
            words.len() - 1
        )));
        String::from_utf8(out).unwrap()
    };
    let subcommands = complete("taskgen ");
    for sub in ["generate", "lint", "view", "branches", "completions", "man"] {
        assert!(
            subcommands.lines().any(|l| l == sub),
            "{sub}: {subcommands}"
        );
    }
    let options = complete("taskgen generate --");
    assert!(options.lines().any(|l| l == "--branch"), "{options}");
    assert!(
        !options.lines().any(|l| l == "--against-branch"),
        "view's, not generate's"
    );
    let formats = complete("taskgen lint --format ");
    let formats: Vec<&str> = formats.lines().collect();
    assert_eq!(formats, ["human", "json", "sarif", "github"]);
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let run = taskgen(&repo(), &["completions", shell]);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("generate"), "{shell}");
    }
}

#[test]
fn man_pages_cover_every_command() {
    let run = taskgen(&repo(), &["man"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains(".TH taskgen 1"),
        "{}",
        &run.stdout[..200]
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let run = taskgen(&repo(), &["man", "--out-dir", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let help = taskgen(&repo(), &["--help"]).stdout;
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 13, "{commands:?}");
    for command in commands {
        let page = std::fs::read_to_string(out.join(format!("taskgen-{command}.1")))
            .unwrap_or_else(|e| panic!("{command}: {e}"));
        assert!(
            page.contains(&format!(".TH taskgen-{command} 1")),
            "{command}"
        );
    }
}

/// Human findings are lint's output on stdout, coloured by `--color`, `NO_COLOR` and
/// `CLICOLOR_FORCE`; the exit code is the same whatever the colour.
#[test]
fn lint_findings_on_stdout_coloured_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    taskgen::fixture::write_bundle(
        dir.path(),
        "# file: taskgraph/config.yml\nformat_version: 1\n\
         # file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n  - {name: a, type: dummy, colour: red}\n\
         # file: branches/generic.yml\ntriggers: {push: g}\n",
    )
    .unwrap();
    let lint = |args: &[&str], env: &[(&str, &str)]| {
        let out = Command::new(env!("CARGO_BIN_EXE_taskgen"))
            .args(["--root", dir.path().to_str().unwrap(), "lint"])
            .args(args)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("TG101(unknown-key)"), "{stdout}");
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout.contains('\u{1b}')
    };
    assert!(!lint(&[], &[]), "not a terminal: no colour");
    assert!(lint(&["--color", "always"], &[]));
    assert!(lint(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!lint(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!lint(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!lint(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(
        lint(&["--color", "always"], &[("NO_COLOR", "1")]),
        "the flag wins"
    );
}
