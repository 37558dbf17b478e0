//! `taskgen schema` against the loader: every built-in file and every rule fixture the loader
//! accepts validates; the unknown-key, wrong-type and missing-key fixtures do not; the schemas
//! in docs/schemas are the command's output.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{case, repo, taskgen};
use serde_json::Value;
use taskgen::schema::Kind;

/// A YAML file as JSON, read by taskgen's own loader; `None` when it does not parse.
fn json_of(path: &Path) -> Option<Value> {
    let mut sources = taskgen::load::Sources::default();
    let node = taskgen::load::load_extra(&mut sources, path).ok()?;
    Some(taskgen::render::to_json(&taskgen::render::to_value(&node)))
}

/// The schemas of a tree, by kind; `params` (from its declarations) only when the tree loads.
fn schemas(root: &Path) -> Vec<(Kind, jsonschema::Validator)> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let root_arg = root.to_str().unwrap();
    let fixed: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Params)
        .map(|k| k.name())
        .collect();
    let mut args = vec!["schema", "-o", out];
    args.extend(&fixed);
    let run = taskgen(root, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    taskgen(root, &["--root", root_arg, "schema", "params", "-o", out]);
    Kind::ALL
        .into_iter()
        .filter_map(|k| {
            let text = fs::read_to_string(dir.path().join(k.file_name())).ok()?;
            let schema: Value = serde_json::from_str(&text).unwrap();
            Some((k, jsonschema::validator_for(&schema).unwrap()))
        })
        .collect()
}

/// Every file under `root` of a known kind, with the `--params` and `--policy` files `args`
/// name: (path relative to root, kind).
fn files(root: &Path, args: &[String]) -> Vec<(String, Kind)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if let Some(kind) = Kind::for_path(&rel) {
                out.push((rel, kind));
            }
        }
    }
    for pair in args.windows(2) {
        match pair[0].as_str() {
            "--params" => out.push((pair[1].clone(), Kind::Params)),
            "--policy" => out.push((pair[1].clone(), Kind::Policy)),
            _ => {}
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The first schema error of each file that does not validate: `path: /pointer: message`.
fn invalid(root: &Path, args: &[String]) -> Vec<String> {
    let schemas = schemas(root);
    let mut out = Vec::new();
    for (rel, kind) in files(root, args) {
        let Some(doc) = json_of(&root.join(&rel)) else {
            continue; // not YAML taskgen reads: no schema applies
        };
        let Some((_, v)) = schemas.iter().find(|(k, _)| *k == kind) else {
            continue; // a params file of a tree that does not load
        };
        if let Some(e) = v.iter_errors(&doc).next() {
            out.push(format!("{rel}: {}: {e}", e.instance_path()));
        }
    }
    out
}

#[test]
fn every_built_in_file_validates() {
    let root = repo();
    // The decision step's policy and parameters files, kept outside the tree.
    let args: Vec<String> = [
        "--policy",
        "tests/fixtures/policy/trusted.yml",
        "--params",
        "tests/fixtures/params/decision.yml",
        "--params",
        "tests/fixtures/params/try-decision.yml",
    ]
    .map(String::from)
    .to_vec();
    let found = files(&root, &args);
    for kind in Kind::ALL {
        assert!(found.iter().any(|(_, k)| *k == kind), "no {kind:?} file");
    }
    assert_eq!(invalid(&root, &args), Vec::<String>::new());
}

fn rule_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in fs::read_dir(repo().join("tests/rules")).unwrap().flatten() {
        if dir.path().is_dir() {
            out.extend(
                fs::read_dir(dir.path())
                    .unwrap()
                    .flatten()
                    .map(|e| e.path()),
            );
        }
    }
    out.sort();
    out
}

/// The schemas reject exactly the fixtures below, each for the reason its rule reports; every
/// other fixture, and every `pass` fixture, validates. A schema stricter than the loader would
/// add a line here; one laxer would lose one.
#[test]
fn the_schemas_reject_what_the_loader_rejects() {
    let mut rejected = String::new();
    for path in rule_fixtures() {
        let c = case(&path, 1);
        let errors = invalid(c.dir.path(), &c.args);
        let rule = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("pass") {
            assert_eq!(errors, Vec::<String>::new(), "{rule}/{name} lints clean");
        }
        if ["unknown-key", "wrong-type", "missing-key"].contains(&rule.as_ref())
            && name.starts_with("fail")
        {
            assert!(!errors.is_empty(), "{rule}/{name} validates");
        }
        for e in errors {
            rejected.push_str(&format!("{rule}/{name}: {e}\n"));
        }
    }
    common::snapshots("schema").bind(|| insta::assert_snapshot!("rejected_fixtures", rejected));
}

#[test]
fn the_schemas_in_docs_are_the_commands_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let root = repo();
    let run = taskgen(
        &root,
        &["--root", root.to_str().unwrap(), "schema", "-o", out],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for kind in Kind::ALL {
        let name = kind.file_name();
        assert_eq!(
            fs::read_to_string(dir.path().join(&name)).unwrap(),
            fs::read_to_string(root.join("docs/schemas").join(&name)).unwrap_or_default(),
            "docs/schemas/{name} is stale: run `taskgen schema -o docs/schemas`",
        );
    }
}

/// The ```json blocks of docs/editors.md.
fn editor_blocks() -> Vec<Value> {
    let text = fs::read_to_string(repo().join("docs/editors.md")).unwrap();
    text.split("```json\n")
        .skip(1)
        .map(|b| serde_json::from_str(b.split("```").next().unwrap()).unwrap())
        .collect()
}

fn schema_of(kind: Kind) -> Value {
    let text = fs::read_to_string(repo().join("docs/schemas").join(kind.file_name())).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_editor_settings_map_each_schema_to_its_files() {
    let blocks = editor_blocks();
    let settings = blocks[0]["yaml.schemas"].as_object().unwrap();
    let placed: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| !k.file_match().is_empty())
        .collect();
    assert_eq!(settings.len(), placed.len());
    for kind in &placed {
        let globs = &settings[&format!("./docs/schemas/{}", kind.file_name())];
        assert_eq!(globs, &serde_json::json!(kind.file_match()), "{kind:?}");
    }
    // The catalog: every kind with a distinctive path, as its schema names itself.
    let catalog = blocks[1].as_array().unwrap();
    let listed: Vec<&Kind> = placed.iter().filter(|k| **k != Kind::Branches).collect();
    assert_eq!(catalog.len(), listed.len());
    for (entry, kind) in catalog.iter().zip(listed) {
        let schema = schema_of(*kind);
        assert_eq!(entry["name"], format!("taskgen {}", kind.name()));
        assert_eq!(entry["description"], schema["title"]);
        assert_eq!(entry["url"], schema["$id"]);
        let globs: Vec<String> = kind
            .file_match()
            .iter()
            .map(|g| format!("**/{g}"))
            .collect();
        assert_eq!(entry["fileMatch"], serde_json::json!(globs));
    }
}
