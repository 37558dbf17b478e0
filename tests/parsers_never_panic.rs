//! Property tests: the YAML loader and the template renderer take any input without panicking,
//! and every error they report points inside the file.

use proptest::prelude::*;
use taskgen::diag::Sink;
use taskgen::load::{Limits, Sources, parse};
use taskgen::render::{Renderer, Scope, environment};

const SEED_YAML: &str = "jobs:\n  build:\n    kind: build\n    params: {platform: string}\n    command: [a, \"{{ platform }}\"]\n    chunks: {by-platform: {linux: 2, default: 1}}\nx: &a [1, 2]\ny: *a\n";

fn check_yaml(text: &str) {
    let mut sources = Sources::default();
    let id = sources.add("t.yml", text);
    if let Err(d) = parse(&sources, id, Limits::default()) {
        for label in d.primary.iter().chain(&d.secondary) {
            assert!(label.span.start <= label.span.end);
            assert!(label.span.end as usize <= text.len(), "span past the end");
            assert!(text.is_char_boundary(label.span.start as usize));
        }
        // Rendering the diagnostic never panics either.
        let _ = taskgen::diag::render_to_string(&d, &sources, false, 80);
    }
}

const SEED_POLICY: &str = "branches:\n  \"{a,b}\": {trust_level: 3, max_priority: high, customizable: false}\n  \"*\": {trust_level: 1}\ntrust_levels:\n  1: {scopes: [\"x:*\"], routes: [r]}\nrestricted:\n  s: {pools: [p], workers: [\"w/*\"], kinds: [k], trust_levels: [3], branches: [a], chain_of_trust: [k]}\nlocked: [\"kind=k\", \"l-*\"]\nbreakpoint_acl: [\"r:*\"]\n";

const SEED_TESTS: &str = "tests:\n  - name: t\n    branches: [\"*\"]\n    triggers: [push]\n    params: {a: 1}\n    select: [\"kind=x\"]\n    expect:\n      - present: [a, \"kind=b\"]\n      - depends: {jobs: \"kind=t\", on: \"kind=b\", same: [p], direct: true}\n      - count: {jobs: \"kind=t\", min: 1, max: 2}\n      - inactive: [g/*]\n";

/// Parses a mutated document and reads it as a policy and as graph tests: every problem is a
/// diagnostic inside the document, never a panic.
fn check_readers(text: &str) {
    let mut sources = Sources::default();
    let id = sources.add("t.yml", text);
    let Ok(node) = parse(&sources, id, Limits::default()) else {
        return;
    };
    let mut sink = Sink::default();
    let defs = taskgen::defs::Defs {
        config: taskgen::defs::Config {
            policy: Some(node.clone()),
            ..Default::default()
        },
        ..Default::default()
    };
    let _ = taskgen::policy::Policy::in_tree(&defs, &mut sink);
    let _ = taskgen::graphtest::parse(&node, &mut sink);
    for d in &sink.diagnostics {
        for label in d.primary.iter().chain(&d.secondary) {
            assert!(label.span.end as usize <= text.len(), "span past the end");
        }
        let _ = taskgen::diag::render_to_string(d, &sources, false, 80);
    }
}

/// Random edits of a valid document: deletions, insertions of YAML-significant characters.
fn mutated() -> impl Strategy<Value = String> {
    mutated_from(SEED_YAML)
}

fn mutated_from(seed: &'static str) -> impl Strategy<Value = String> {
    let edits = prop::collection::vec(
        (
            0usize..seed.len(),
            prop::sample::select(vec![
                "", ":", "-", "[", "]", "{", "}", "&a", "*a", "\n", "  ", "'", "\"", "#", "!", "|",
                ">", "é", "\t", "{{", "%",
            ]),
        ),
        1..8,
    );
    edits.prop_map(|edits| {
        let mut s = seed.to_owned();
        for (at, insert) in edits {
            let mut at = at.min(s.len());
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            if insert.is_empty() {
                let mut end = (at + 1).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            } else {
                s.insert_str(at, insert);
            }
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn yaml_loader_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        check_yaml(&text);
    }

    #[test]
    fn yaml_loader_never_panics_on_mutated_documents(text in mutated()) {
        check_yaml(&text);
    }

    #[test]
    fn policy_reader_never_panics(text in mutated_from(SEED_POLICY)) {
        check_readers(&text);
    }

    #[test]
    fn graph_test_reader_never_panics(text in mutated_from(SEED_TESTS)) {
        check_readers(&text);
    }

    #[test]
    fn renderer_never_panics(template in "[a-z{}%|()\\[\\]'\" .+*~0-9-]{0,60}") {
        check_template(&template);
    }
}

/// Prepares and renders one template: an error points inside its file, never a panic.
fn check_template(template: &str) {
    let mut sources = Sources::default();
    let yaml = format!("v: {}\n", serde_json::to_string(template).unwrap());
    let id = sources.add("t.yml", yaml.as_str());
    let Ok(node) = parse(&sources, id, Limits::default()) else {
        return;
    };
    let env = environment();
    let mut r = Renderer::new(&env, &sources);
    let mut sink = Sink::default();
    r.prepare(&node, &mut sink);
    let scope = Scope::root(minijinja::Value::from(()), minijinja::Value::from(()))
        .with([("x".to_owned(), minijinja::Value::from(1))]);
    if let Some(v) = node.as_map().and_then(|m| m.get("v"))
        && let Err(d) = r.render(v, &scope)
    {
        let p = d.primary.as_ref().unwrap();
        assert!(p.span.end as usize <= yaml.len());
    }
}

#[test]
fn hostile_inputs_are_errors_not_crashes() {
    for text in [
        "[".repeat(100_000),
        "a: ".repeat(10_000),
        "- ".repeat(50_000) + "x",
        "{".repeat(1000) + &"}".repeat(1000),
        "\u{feff}a: 1\n".to_owned(),
        "\0\0\0".to_owned(),
        "? [a, b]\n: c\n".to_owned(),
        "a: !!binary aGVsbG8=\n".to_owned(),
        "*unknown\n".to_owned(),
        "a: 1\n---\nb: 2\n".to_owned(),
    ] {
        check_yaml(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any pattern of glob syntax compiles or is refused: never a panic.
    #[test]
    fn globs_never_panic(pattern in "[a*?{},\\[\\]!\\\\-]{0,300}") {
        if let Ok(g) = taskgen::glob::Glob::new(&pattern) {
            let _ = g.is_match("a-b*c");
        }
    }

    /// A pattern without special characters matches itself and nothing else.
    #[test]
    fn literal_globs_match_exactly_themselves(label in "[a-z0-9._/-]{1,40}", other in "[a-z0-9._/-]{1,40}") {
        let g = taskgen::glob::Glob::new(&label).unwrap();
        prop_assert!(g.is_match(&label));
        prop_assert_eq!(g.is_match(&other), label == other);
    }

    /// `prefix*` matches exactly the texts that start with the prefix.
    #[test]
    fn star_globs_match_by_prefix(prefix in "[a-z-]{0,10}", text in "[a-z-]{0,20}") {
        let g = taskgen::glob::Glob::new(&format!("{prefix}*")).unwrap();
        prop_assert_eq!(g.is_match(&text), text.starts_with(&prefix));
    }

    /// Nested templates of any depth are compiled or refused with a located error, never a
    /// stack overflow.
    #[test]
    fn deep_templates_never_overflow(op in prop::sample::select(vec!["-", "not ", "(", "[", "1 + ", "1 ~ "]), depth in 0usize..20_000) {
        let text = format!("{{{{ {}1 }}}}", op.repeat(depth));
        check_template(&text);
    }
}

proptest! {
    /// A label is accepted exactly when it is 1 to 512 characters of the safe set.
    #[test]
    fn labels_are_accepted_exactly_in_the_safe_set(label in "\\PC{0,40}|[a-z:/_.-]{0,600}") {
        use taskgen::expand::label::{MAX_LEN, PUNCTUATION, check};
        let safe = !label.is_empty()
            && label.len() <= MAX_LEN
            && label.chars().all(|c| c.is_ascii_alphanumeric() || PUNCTUATION.contains(c));
        prop_assert_eq!(check(&label, "label", taskgen::load::Span::none()).is_ok(), safe);
    }
}
