//! A deterministic mutation test over the built-in tree: each case applies one random edit
//! (a line deleted, duplicated or swapped, a hostile token written in, the file cut short) to
//! one file, then runs every command. No edit may panic, crash or hang taskgen: every exit code
//! is 0, 1 or 2. The seed is fixed, so a failure reproduces; `TASKGEN_MUTATIONS=N` runs more.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{builtin_copy, taskgen};

/// xorshift64*: the same edits on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "*",
    "{{",
    "}}",
    "{%",
    "[",
    "]",
    "{",
    "}",
    ":",
    ": ",
    "&a ",
    "*a",
    "- ",
    "~",
    "null",
    "'",
    "\"",
    "99999999999999999999",
    "-1",
    "0",
    "1e400",
    "{{ branch }}",
    "{{ params.x }}",
    "{% for x in y %}",
    "$add",
    "by-platform",
    "needs",
    "*-*",
    "{a,{b,c}}",
    "é",
    "\t",
    "\\",
    "%",
    "!!binary",
    "<<: *a",
    "---",
    "...",
    "#",
    "|",
    ">",
];

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [
        "taskgraph",
        "taskgraph/jobs",
        "taskgraph/graphs",
        "taskgraph/tests",
        "branches",
    ] {
        for e in fs::read_dir(root.join(dir)).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "yml") {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// One random edit of `text`, and what it was.
fn mutate(text: &str, rng: &mut Rng) -> (String, String) {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let i = rng.below(lines.len());
    let what = match rng.below(6) {
        0 => {
            lines.remove(i);
            format!("deleted line {}", i + 1)
        }
        1 => {
            let l = lines[i].clone();
            lines.insert(i, l);
            format!("duplicated line {}", i + 1)
        }
        2 => {
            let j = rng.below(lines.len());
            lines.swap(i, j);
            format!("swapped lines {} and {}", i + 1, j + 1)
        }
        3 => {
            let cut = rng.below(text.len());
            let cut = (0..=cut)
                .rev()
                .find(|&c| text.is_char_boundary(c))
                .unwrap_or(0);
            return (text[..cut].to_owned(), format!("cut at byte {cut}"));
        }
        _ => {
            let token = TOKENS[rng.below(TOKENS.len())];
            let line = &lines[i];
            let at = rng.below(line.len() + 1);
            let at = (0..=at)
                .rev()
                .find(|&c| line.is_char_boundary(c))
                .unwrap_or(0);
            let replaced = rng.below(4).min(line.len() - at);
            let end = (at + replaced..=line.len())
                .find(|&c| line.is_char_boundary(c))
                .unwrap_or(line.len());
            lines[i] = format!("{}{token}{}", &line[..at], &line[end..]);
            format!("wrote `{token}` at line {}, column {}", i + 1, at + 1)
        }
    };
    (lines.join("\n") + "\n", what)
}

fn run_case(case: usize) -> Result<(), String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (case as u64).wrapping_mul(0x1000_0000_01b3));
    let dir = builtin_copy();
    let all = files(dir.path());
    let file = &all[rng.below(all.len())];
    let (text, what) = mutate(&fs::read_to_string(file).unwrap(), &mut rng);
    fs::write(file, text).unwrap();
    let rel = file.strip_prefix(dir.path()).unwrap().display().to_string();
    let root = dir.path().to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["generate", "-b", "try"],
        &[
            "generate",
            "-b",
            "mozilla-central",
            "--trigger",
            "nightly",
            "--format",
            "taskcluster",
            "--task-id-seed",
            "m",
            "--now",
            "2025-01-01T00:00:00Z",
        ],
        &["lint", "-b", "try", "-b", "mozilla-release"],
        &["dot", "-b", "mozilla-inbound"],
        &["explain", "-b", "try", "build-linux64-opt"],
        &["test", "-b", "try"],
        &[
            "simulate",
            "-b",
            "mozilla-release",
            "--trigger",
            "manual",
            "--outcome",
            "release-build-*=exception@2",
            "--as",
            "taskcluster",
            "--now",
            "2025-01-01T00:00:00Z",
        ],
    ];
    for args in commands {
        let mut full = vec!["--root", root];
        full.extend(args.iter());
        let run = taskgen(dir.path(), &full);
        if !(0..=2).contains(&run.code) || run.stderr.contains("panicked") {
            return Err(format!(
                "case {case}: {what} in {rel}: `taskgen {}` exited {}:\n{}",
                args.join(" "),
                run.code,
                run.stderr
            ));
        }
    }
    Ok(())
}

#[test]
fn random_edits_of_the_built_in_tree_never_crash_any_command() {
    let cases: usize = std::env::var("TASKGEN_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(80);
    // Two workers: the machines have two cores.
    let failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                s.spawn(move || {
                    (w..cases)
                        .step_by(2)
                        .filter_map(|c| run_case(c).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
