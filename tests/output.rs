//! Where outputs go: `-o` and `--inactive-out` are put in place only when the whole run
//! succeeded, keep the mode of what they replace, write to devices, FIFOs and symlinks
//! directly instead of replacing them, and leave no temporary file when a signal ends the run.

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo, taskgen};

fn temporaries(dir: &Path, marker: &str) -> Vec<String> {
    fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".taskgen-tmp-") && n.contains(marker))
                .collect()
        })
        .unwrap_or_default()
}

/// `generate -b try --format labels -o OUT`.
fn labels_to(out: &str) -> common::Run {
    taskgen(
        &repo(),
        &["generate", "-b", "try", "--format", "labels", "-o", out],
    )
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    fs::write(&old, "previous").unwrap();
    fs::set_permissions(&old, fs::Permissions::from_mode(0o640)).unwrap();
    let run = taskgen(
        &repo(),
        &["generate", "-b", "try", "-o", old.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        fs::metadata(&old).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(fs::read_to_string(&old).unwrap().starts_with('{'));
    let new = dir.path().join("new.json");
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 027 && exec \"$0\" generate -b try -o {}",
            new.display()
        ))
        .arg(env!("CARGO_BIN_EXE_taskgen"))
        .current_dir(repo())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        fs::metadata(&new).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

/// `-o /dev/stdout`, a symlink or a FIFO is written to, not replaced by a regular file.
#[test]
fn what_is_not_a_regular_file_is_written_to_directly() {
    let dir = tempfile::tempdir().unwrap();
    let run = labels_to("/dev/stdout");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("build-linux64-opt\n"));
    let target = dir.path().join("target.txt");
    fs::write(&target, "").unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let run = labels_to(link.to_str().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays"
    );
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .contains("build-linux64-opt\n")
    );
    let fifo = dir.path().join("out.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let run = labels_to(fifo.to_str().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(reader.join().unwrap().contains("build-linux64-opt\n"));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// `--inactive-out` is written only when the main output is: a run that fails writes neither.
#[test]
fn no_output_is_written_when_the_run_fails() {
    let dir = tempfile::tempdir().unwrap();
    let inactive = dir.path().join("inactive.json");
    let run = taskgen(
        &repo(),
        &[
            "generate",
            "-b",
            "try",
            "--format",
            "taskcluster",
            "--task-id-seed",
            "x",
            "--inactive-out",
            inactive.to_str().unwrap(),
            "-o",
            "/nonexistent-dir/out.json",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        !inactive.exists(),
        "the inactive jobs are not written alone"
    );
    assert!(temporaries(dir.path(), "").is_empty());
}

/// A run ended by SIGTERM while its outputs wait to be put in place removes its temporary
/// files. The main output is a FIFO nobody reads, so the run waits there, deterministically,
/// with the `--inactive-out` file staged beside it.
#[test]
fn a_signal_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("signal-test-main.fifo");
    mkfifo(&fifo);
    let inactive = dir.path().join("signal-test-inactive.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_taskgen"))
        .args([
            "generate",
            "-b",
            "try",
            "--format",
            "taskcluster",
            "--task-id-seed",
            "x",
            "--inactive-out",
            inactive.to_str().unwrap(),
            "-o",
            fifo.to_str().unwrap(),
        ])
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while temporaries(dir.path(), "signal-test-inactive").is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the run never staged its output"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Both outputs are staged once the run waits on the FIFO; give it a moment to get there.
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(temporaries(dir.path(), "signal-test").is_empty());
    assert!(temporaries(&std::env::temp_dir(), "signal-test-main").is_empty());
    assert!(!inactive.exists());
}
