//! The docs stay true to the code.

use std::fs;

#[test]
fn readme_starts_with_the_two_commands() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("```sh"))
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect();
    assert_eq!(block.len(), 2, "exactly two set-up commands");
    assert!(block[0].starts_with("cargo run --release -- generate --branch mozilla-inbound"));
    assert!(block[1].starts_with("cargo test"));
    let ci = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.contains("\ncargo test"),
        ".ci/run runs the README's test command"
    );
}
