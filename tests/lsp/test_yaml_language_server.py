"""The JSON Schemas of `taskgen schema` in the editor that reads them: Red Hat's
yaml-language-server (npm), driven by pytest-lsp, with the modeline docs/editors.md shows.
Every built-in file validates; a misspelt key, a wrong type and a missing key are reported;
hover shows a key's description.

Run: YAML_LANGUAGE_SERVER=path/to/yaml-language-server pytest tests/lsp (.ci/run installs it).
"""

import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

REPO = pathlib.Path(__file__).resolve().parents[2]
SERVER = os.environ.get("YAML_LANGUAGE_SERVER")

pytestmark = pytest.mark.skipif(not SERVER, reason="YAML_LANGUAGE_SERVER is not set (.ci/run sets it)")

KINDS = {
    "config": ["taskgraph/config.yml"],
    "jobs": sorted(str(p.relative_to(REPO)) for p in (REPO / "taskgraph/jobs").glob("*.yml")),
    "graphs": sorted(str(p.relative_to(REPO)) for p in (REPO / "taskgraph/graphs").glob("*.yml")),
    "branches": sorted(str(p.relative_to(REPO)) for p in (REPO / "branches").glob("*.yml")),
    "tests": sorted(str(p.relative_to(REPO)) for p in (REPO / "taskgraph/tests").glob("*.yml")),
}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[SERVER or "false", "--stdio"]))
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params):
        return None

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=REPO.as_uri(),
    ))
    yield
    await lsp_client.shutdown_session()


def with_modeline(kind, text):
    schema = REPO / "docs/schemas" / f"taskgen-{kind}.schema.json"
    return f"# yaml-language-server: $schema={schema}\n{text}"


async def diagnostics(client, name, text):
    uri = (REPO / "target" / "yls" / name).as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="yaml", version=1, text=text)))
    while uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri, list(client.diagnostics[uri])


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_every_built_in_file_validates(client, kind):
    for rel in KINDS[kind]:
        text = (REPO / rel).read_text()
        _, found = await diagnostics(client, rel.replace("/", "_"), with_modeline(kind, text))
        assert found == [], (rel, [d.message for d in found])


@pytest.mark.asyncio
async def test_unknown_wrong_type_and_missing_keys_are_reported(client):
    text = with_modeline("jobs", "jobs:\n  build:\n    kind: build\n    comand: [make]\n  test:\n    kind: 3\n  lint:\n    command: [make, lint]\n")
    _, found = await diagnostics(client, "bad-jobs.yml", text)
    at = {d.range.start.line: d.message for d in found}
    line = text.splitlines().index
    assert "comand" in at.get(line("    comand: [make]"), ""), at
    assert "Incorrect type" in at.get(line("    kind: 3"), ""), at
    assert "kind" in at.get(line("  lint:"), ""), at
    assert len(found) == 3, at


@pytest.mark.asyncio
async def test_hover_shows_the_key_tables_description(client):
    text = with_modeline("jobs", "jobs:\n  build:\n    kind: build\n    max_runtime: 2h\n")
    uri, _ = await diagnostics(client, "hover-jobs.yml", text)
    line = text.splitlines().index("    max_runtime: 2h")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=6)))
    # The description of src/defs/shape/jobs.rs, markdown-escaped.
    assert "the longest a run may take (default \\`1h\\`)" in hover.contents.value, hover.contents.value
