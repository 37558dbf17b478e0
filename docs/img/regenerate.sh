#!/usr/bin/env bash
# Regenerates the pictures of the docs from the built-in definitions (needs Graphviz, and
# Chromium for the view screenshots, which tests/browser/view.py takes while it checks the page).
set -euo pipefail
cd "$(dirname "$0")/../.."
taskgen() { cargo run -q --release -- "$@"; }
taskgen dot --branch mozilla-esr31 > docs/img/mozilla-esr31-push.dot
taskgen dot --branch mozilla-inbound --focus test-ubuntu32_vm-opt-reftest-1 --depth 2 > docs/img/inbound-reftest-focus.dot
taskgen dot --branch mozilla-release --trigger manual > docs/img/release.dot
for f in docs/img/*.dot; do dot -Tsvg "$f" > "${f%.dot}.svg"; done
cargo build -q --release
python3 tests/browser/view.py target/release/taskgen --screenshots docs/img
