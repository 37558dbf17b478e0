//! What `cargo install` and crates.io read: the package's metadata, a `rust-version` that is the
//! real minimum, and a lock file with nothing that reaches the network.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let rustc = common::stdout_of(Command::new("rustc").arg("-vV"));
    let host = String::from_utf8(rustc)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .unwrap();
    let out = common::stdout_of(
        Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .args(["--filter-platform", &host])
            .current_dir(env!("CARGO_MANIFEST_DIR")),
    );
    serde_json::from_slice(&out).unwrap()
}

fn version(v: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = v.split('.').map(|p| p.parse().unwrap()).collect();
    parts.resize(3, 0);
    parts
}

#[test]
fn rust_version_is_the_highest_any_dependency_needs() {
    let m = metadata();
    let packages: BTreeMap<&str, &Value> = m["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let nodes: BTreeMap<&str, &Value> = m["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let root = m["resolve"]["root"].as_str().unwrap();
    // What building taskgen compiles: normal and build dependencies, not dev ones.
    let mut built = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let kinds = dep["dep_kinds"].as_array().unwrap();
            let compiled = kinds
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            let pkg = dep["pkg"].as_str().unwrap();
            if compiled && built.insert(pkg) {
                stack.push(pkg);
            }
        }
    }
    let (needed, by) = built
        .iter()
        .filter_map(|id| {
            let p = packages[id];
            Some((version(p["rust_version"].as_str()?), p["name"].as_str()?))
        })
        .max()
        .unwrap();
    let ours = version(packages[root]["rust_version"].as_str().unwrap());
    assert_eq!(
        ours, needed,
        "Cargo.toml's rust-version is {ours:?}; {by} needs {needed:?}"
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let said = format!("Rust {}.{} or newer", needed[0], needed[1]);
    assert!(readme.contains(&said), "the README says {said}");
}

#[test]
fn the_package_says_what_it_is() {
    let m = metadata();
    let root = m["resolve"]["root"].as_str().unwrap();
    let p = m["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == root)
        .unwrap();
    for key in ["description", "license", "repository", "readme"] {
        assert!(p[key].is_string(), "{key}");
    }
    let keywords = p["keywords"].as_array().unwrap();
    assert!(
        (1..=5).contains(&keywords.len()),
        "crates.io takes up to 5 keywords"
    );
    assert!(!p["categories"].as_array().unwrap().is_empty());
}

/// The lock file holds no HTTP client or TLS stack: no dependency, dev ones included, can
/// reach the network (the jsonschema crate's `resolve-http` is off).
#[test]
fn nothing_locked_reaches_the_network() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let names: BTreeSet<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    for client in [
        "reqwest",
        "hyper",
        "ureq",
        "rustls",
        "aws-lc-rs",
        "native-tls",
        "openssl",
    ] {
        assert!(!names.contains(client), "{client} is locked");
    }
    assert!(names.contains("jsonschema"), "the lock file is read");
}
