//! What `taskgen lsp` publishes, from its analysis of the built-in tree with editor buffers
//! over it. The server itself is driven by a real LSP client in tests/lsp/ (pytest-lsp, CI).

mod common;

use serde_json::json;
use taskgen::load::Overlay;
use taskgen::lsp::analysis::analyze;
use taskgen::lsp::protocol::Encoding;

const GRAPH: &str = "taskgraph/graphs/per-checkin.yml";

fn buffer(rel: &str, edit: impl Fn(String) -> String) -> Overlay {
    let text = std::fs::read_to_string(common::repo().join(rel)).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changes the file");
    Overlay::from([(rel.to_owned(), edited)])
}

#[test]
fn the_built_in_tree_has_no_diagnostics_and_every_branch_generates() {
    let a = analyze(&common::repo(), &Overlay::new(), Encoding::Utf16);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    let world = a.world.expect("the tree loads");
    assert_eq!(world.branch_names().len(), 9);
    assert!(world.jobs().count() > 1000);
}

#[test]
fn an_unsaved_buffer_is_linted_in_place_of_its_file() {
    let overlay = buffer(GRAPH, |t| {
        t.replacen("    job: valgrind\n", "    job: valgrnd\n", 1)
    });
    let a = analyze(&common::repo(), &overlay, Encoding::Utf16);
    let files: Vec<&String> = a.diagnostics.keys().collect();
    assert_eq!(files, [GRAPH]);
    let d = &a.diagnostics[GRAPH][0];
    assert_eq!(d["code"], "TG305");
    assert_eq!(d["severity"], 1);
    let line = std::fs::read_to_string(common::repo().join(GRAPH))
        .unwrap()
        .lines()
        .position(|l| l == "    job: valgrind")
        .unwrap();
    assert_eq!(
        d["range"],
        json!({"start": {"line": line, "character": 9}, "end": {"line": line, "character": 16}})
    );
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("`valgrind`"), "{message}");
    assert!(message.contains("branches: "), "{message}");
}

#[test]
fn a_buffer_that_does_not_parse_is_reported_and_leaves_no_world() {
    let overlay = buffer(GRAPH, |t| t.replacen("nodes:\n", "nodes: [\n", 1));
    let a = analyze(&common::repo(), &overlay, Encoding::Utf16);
    assert!(a.world.is_none());
    assert_eq!(a.diagnostics.keys().collect::<Vec<_>>(), [GRAPH]);
}

#[test]
fn a_new_file_not_yet_on_disk_is_read_from_its_buffer() {
    let rel = "taskgraph/jobs/new.yml";
    let text = "jobs:\n  new:\n    kind: test\n    comand: [true]\n";
    let overlay = Overlay::from([(rel.to_owned(), text.to_owned())]);
    let a = analyze(&common::repo(), &overlay, Encoding::Utf16);
    let found = &a.diagnostics[rel];
    assert!(
        found
            .iter()
            .any(|d| d["code"] == "TG101" && d["message"].as_str().unwrap().contains("command")),
        "{found:#?}"
    );
    // A buffer outside the definitions directories is not a definitions file.
    let stray = Overlay::from([("notes/todo.yml".to_owned(), ": :".to_owned())]);
    let a = analyze(&common::repo(), &stray, Encoding::Utf16);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
}

#[test]
fn suppressions_in_a_buffer_are_lint_s_and_an_unused_one_is_reported() {
    let rel = "taskgraph/jobs/builds.yml";
    let overlay = buffer(rel, |t| {
        t.replacen(
            "\n  build:\n",
            "\n  build:   # taskgen: ignore[unused-job-template]\n",
            1,
        )
    });
    let a = analyze(&common::repo(), &overlay, Encoding::Utf16);
    let codes: Vec<&str> = a.diagnostics[rel]
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["TG604"], "{:#?}", a.diagnostics);
    assert_eq!(a.diagnostics[rel][0]["severity"], 2);
}
