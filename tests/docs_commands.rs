//! Docs as tests: every `taskgen` command in a shell block of README.md and docs/*.md runs,
//! as written, against a copy of the built-in tree, and exits 0, or with the code its comment
//! gives as `(exit N)`. Synopses are `text` blocks; build and benchmark commands (`cargo`,
//! `python3 benches/...`) are what `.ci/run` runs.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rayon::prelude::*;

/// One command of the docs: where, the command line, the exit code it should give.
#[derive(Debug)]
struct Shown {
    at: String,
    command: String,
    exit: i32,
}

/// Every command of the shell blocks of one markdown file (continued lines joined).
fn commands(path: &Path) -> Vec<Shown> {
    let text = fs::read_to_string(path).unwrap();
    let name = path
        .strip_prefix(common::repo())
        .unwrap()
        .display()
        .to_string();
    let mut out = Vec::new();
    let mut in_shell = false;
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let fence = line.trim_start();
        if let Some(info) = fence.strip_prefix("```") {
            in_shell = !in_shell && matches!(info.trim(), "sh" | "bash" | "shell");
            continue;
        }
        if !in_shell {
            continue;
        }
        let (start, joined) = match pending.take() {
            Some((start, head)) => (start, format!("{head} {}", line.trim())),
            None => (i + 1, line.trim().to_owned()),
        };
        if let Some(head) = joined.strip_suffix('\\') {
            pending = Some((start, head.trim_end().to_owned()));
            continue;
        }
        if joined.is_empty() || joined.starts_with('#') {
            continue;
        }
        let exit = joined
            .split_once("(exit ")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map_or(0, |(n, _)| n.parse().unwrap());
        out.push(Shown {
            at: format!("{name}:{start}"),
            command: joined,
            exit,
        });
    }
    out
}

/// What the docs' commands run in: a git checkout of the built-in tree with two commits (and
/// an `origin/main`), a decision parameters file, a trust policy at `../ci/policy.yml`, a home
/// directory, and `hg` answering `hg log` with a try push's message.
struct Scratch {
    _dir: tempfile::TempDir,
    tree: PathBuf,
    path: String,
    home: PathBuf,
}

fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    for part in ["taskgraph", "branches"] {
        copy_dir(&common::repo().join(part), &tree.join(part));
    }
    fs::write(
        tree.join("decision-params.yml"),
        "release_version: \"35.0\"\nbuild_number: 2\nhead_rev: 5a1b3c\n",
    )
    .unwrap();
    let ci = dir.path().join("ci");
    fs::create_dir_all(&ci).unwrap();
    fs::copy(
        common::repo().join("tests/fixtures/policy/trusted.yml"),
        ci.join("policy.yml"),
    )
    .unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(["-c", "user.name=docs", "-c", "user.email=docs@example.com"])
            .args(args)
            .current_dir(&tree)
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "the built-in tree"]);
    let generic = tree.join("branches/generic.yml");
    let text = fs::read_to_string(&generic).unwrap();
    fs::write(&generic, format!("{text}# a second commit\n")).unwrap();
    git(&["commit", "-qam", "a second commit"]);
    git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);
    let home = dir.path().join("home");
    fs::create_dir_all(home.join(".local/share/bash-completion/completions")).unwrap();
    let bin = dir.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let hg = bin.join("hg");
    fs::write(
        &hg,
        "#!/bin/sh\necho 'Bug 1 - a fix; try: -b o -p linux64 -u none -t none'\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&hg, fs::Permissions::from_mode(0o755)).unwrap();
    let taskgen = Path::new(env!("CARGO_BIN_EXE_taskgen")).parent().unwrap();
    let path = format!(
        "{}:{}:{}",
        taskgen.display(),
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Scratch {
        _dir: dir,
        tree,
        path,
        home,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// An LSP session for `taskgen lsp`: initialize, shutdown, exit.
fn lsp_session() -> Vec<u8> {
    let mut out = Vec::new();
    for body in [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ] {
        out.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes());
    }
    out
}

/// Runs one command with `sh`, in the scratch tree; says what went wrong, if anything.
fn run(s: &Scratch, shown: &Shown) -> Option<String> {
    use std::io::Write;
    let mut child = Command::new("sh")
        .args(["-c", &shown.command])
        .current_dir(&s.tree)
        .env("PATH", &s.path)
        .env("HOME", &s.home)
        .env("TASK_ID", "fXdlbnBQQjSP0ygLHgkE6w")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = if shown.command.starts_with("taskgen lsp") {
        lsp_session()
    } else {
        Vec::new()
    };
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code != shown.exit).then(|| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail: String = stderr
            .chars()
            .rev()
            .take(1500)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!(
            "{}: `{}` exited {code}, not {}\n{tail}",
            shown.at, shown.command, shown.exit
        )
    })
}

/// Build and benchmark commands, which `.ci/run` runs itself.
fn run_by_ci(command: &str) -> bool {
    command.starts_with("cargo ")
        || command.starts_with("python3 benches/")
        || command.contains("/tmp/synth")
}

#[test]
fn every_command_in_the_docs_runs() {
    let mut files = vec![common::repo().join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(common::repo().join("docs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let all: Vec<Shown> = files.iter().flat_map(|f| commands(f)).collect();
    let (ci, shown): (Vec<Shown>, Vec<Shown>) =
        all.into_iter().partition(|c| run_by_ci(&c.command));
    for c in &shown {
        assert!(
            c.command.starts_with("taskgen "),
            "{}: a shell block's command is a taskgen command, a build or benchmark command, or a `text` block: `{}`",
            c.at,
            c.command
        );
    }
    assert!(shown.len() > 60, "{} commands", shown.len());
    // Commands piped into Graphviz or man need them: CI installs them (`.ci/run`); elsewhere a
    // command whose tool is missing is skipped, and said.
    let missing = |tool: &str| {
        !Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .unwrap()
            .success()
    };
    let tools: Vec<&str> = ["dot", "man"].into_iter().filter(|t| missing(t)).collect();
    assert!(
        tools.is_empty() || std::env::var_os("CI").is_none(),
        "CI has {tools:?}"
    );
    let uses = |c: &Shown, tool: &str| {
        c.command.contains(&format!("| {tool} ")) || c.command.contains(&format!("&& {tool} "))
    };
    let (shown, skipped): (Vec<Shown>, Vec<Shown>) = shown
        .into_iter()
        .partition(|c| !tools.iter().any(|t| uses(c, t)));
    for c in &skipped {
        eprintln!("skipped, {tools:?} not installed: {}: {}", c.at, c.command);
    }
    assert!(ci.iter().any(|c| c.command.starts_with("cargo test")));
    let s = scratch();
    // Each command sees the tree as the docs describe it: the ones that write files write
    // their own names, so two at a time is safe.
    let failures: Vec<String> = shown.par_iter().filter_map(|c| run(&s, c)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} documented commands failed:\n\n{}",
        failures.len(),
        shown.len(),
        failures.join("\n\n")
    );
}
