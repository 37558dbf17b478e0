"""`taskgen lsp` driven by a real LSP client (pytest-lsp, which also checks every message
against the LSP specification), on a copy of the built-in tree.

Run: TASKGEN=target/debug/taskgen pytest tests/lsp (.ci/run does, in a venv).
"""

import asyncio
import collections
import json
import os
import pathlib
import shutil
import subprocess

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

REPO = pathlib.Path(__file__).resolve().parents[2]
TASKGEN = os.path.abspath(os.environ.get("TASKGEN", REPO / "target/debug/taskgen"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("tree")
    for part in ("taskgraph", "branches"):
        shutil.copytree(REPO / part, root / part)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[TASKGEN, "lsp"]))
async def client(lsp_client: LanguageClient, tree):
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params):
        lsp_client.registrations.extend(params.registrations)

    params = types.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=tree.as_uri(),
    )
    result = await lsp_client.initialize_session(params)
    caps = result.capabilities
    assert caps.hover_provider and caps.definition_provider and caps.code_lens_provider
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    yield
    await lsp_client.shutdown_session()


def where(tree, rel, needle, nth=0, offset=0):
    """The position of the `nth` occurrence of `needle` in a file (plus `offset` characters)."""
    text = (tree / rel).read_text()
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += offset
    line = text.count("\n", 0, at)
    return types.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def doc(tree, rel):
    return types.TextDocumentIdentifier(uri=(tree / rel).as_uri())


def line_of(tree, rel, needle):
    return where(tree, rel, needle).line


async def hover_at(client, tree, rel, needle, offset):
    """The markdown of a hover `offset` characters into the first `needle` of a file."""
    pos = where(tree, rel, needle, offset=offset)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(tree, rel), position=pos))
    assert hover.contents.kind == types.MarkupKind.Markdown
    return hover.contents.value


async def open_file(client, tree, rel, text=None):
    uri = (tree / rel).as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(
            uri=uri, language_id="yaml", version=1, text=text or (tree / rel).read_text()),
    ))
    return uri


def edit(client, uri, version, text):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
    ))


async def change(client, uri, version, text):
    """Edits a buffer, and returns the file's diagnostics as published after the edit."""
    client.diagnostics.pop(uri, None)
    edit(client, uri, version, text)
    while True:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])


@pytest.mark.asyncio
async def test_diagnostics_follow_unsaved_edits_and_clear_when_fixed(client, tree):
    rel = "taskgraph/graphs/per-checkin.yml"
    text = (tree / rel).read_text()
    uri = await open_file(client, tree, rel)
    broken = text.replace("    job: valgrind\n", "    job: valgrnd\n", 1)
    found = await change(client, uri, 2, broken)
    assert [d.code for d in found] == ["TG305"], found
    (d,) = found
    assert d.severity == types.DiagnosticSeverity.Error
    assert "`valgrnd`" in d.message and "`valgrind`" in d.message, d.message
    assert d.source == "taskgen"
    assert d.code_description.href.endswith("docs/rules.md#tg305-unknown-job")
    # The range is the misspelt name, in the buffer (the file on disk is unchanged).
    line = line_of(tree, rel, "    job: valgrind\n")
    assert (d.range.start.line, d.range.start.character) == (line, 9)
    assert (d.range.end.line, d.range.end.character) == (line, 16)
    # Mended: the file's diagnostics are cleared.
    assert await change(client, uri, 3, text) == []


@pytest.mark.asyncio
async def test_a_branch_file_finding_reaches_the_file_that_must_change(client, tree):
    rel = "branches/mozilla-inbound.yml"
    text = (tree / rel).read_text()
    uri = await open_file(client, tree, rel)
    found = await change(client, uri, 2, text.replace("trust_level: 3", "trust_level: three", 1))
    assert found and all(d.code.startswith("TG") for d in found), found
    assert any(d.range.start.line == line_of(tree, rel, "trust_level: 3") for d in found), found
    assert await change(client, uri, 3, text) == []


@pytest.mark.asyncio
async def test_hover_on_a_node_shows_its_jobs_per_branch_and_where_fields_came_from(client, tree):
    rel = "taskgraph/graphs/per-checkin.yml"
    text = await hover_at(client, tree, rel, "name: build-linux64-valgrind", 8)
    assert "**node** `build-linux64-valgrind`" in text, text
    assert "job template `valgrind`" in text
    assert "| mozilla-central | 1: `build-linux64-valgrind` |" in text, text
    # The field table: the value as generated, and the layer and place that set it.
    assert "| `max_runtime` |" in text and "job template, taskgraph/jobs/builds.yml:" in text, text


@pytest.mark.asyncio
async def test_hover_on_a_job_template_shows_its_nodes_jobs_and_fields(client, tree):
    rel = "taskgraph/graphs/per-checkin.yml"
    text = await hover_at(client, tree, rel, "job: valgrind", 6)
    assert "**job template** `valgrind` · kind `build` · taskgraph/jobs/builds.yml:" in text, text
    assert "used by 1 node" in text and "| mozilla-central | 1: `build-linux64-valgrind` |" in text, text
    assert "| `max_runtime` |" in text, text
    # A graph's name: the jobs of every instance of it.
    text = await hover_at(client, tree, rel, "graph: talos", 8)
    assert "**graph** `talos`" in text and "jobs on" in text, text


@pytest.mark.asyncio
async def test_hover_on_a_branch_key_shows_each_branch_value_and_where_it_was_set(client, tree):
    rel = "taskgraph/graphs/per-checkin.yml"
    text = await hover_at(client, tree, rel, "branch.valgrind", 9)
    assert "**branch key** `valgrind`" in text, text
    rows = [l for l in text.splitlines() if l.startswith("| ") and "branch |" not in l]
    # Every branch lint checks (generic.yml is not one of them when others exist).
    assert len(rows) == 9, rows
    assert "| mozilla-central | `true` | branches/generic.yml:" in text, text
    assert "| mozilla-esr31 | `false` | branches/mozilla-esr31.yml:" in text, text


@pytest.mark.asyncio
async def test_definition_of_templates_graphs_needs_and_branch_keys(client, tree):
    rel = "taskgraph/graphs/per-checkin.yml"

    async def definition(pos, rel=rel):
        got = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc(tree, rel), position=pos))
        return [(pathlib.Path(l.uri.removeprefix("file://")).relative_to(tree).as_posix(), l.range.start.line) for l in got]

    assert await definition(where(tree, rel, "job: valgrind", offset=6)) == [
        ("taskgraph/jobs/builds.yml", line_of(tree, "taskgraph/jobs/builds.yml", "\n  valgrind:") + 1)]
    assert await definition(where(tree, rel, "graph: talos", offset=8)) == [
        ("taskgraph/graphs/talos.yml", line_of(tree, "taskgraph/graphs/talos.yml", "graph: talos"))]
    # A glob leads to every node whose jobs it matched: the per-push builds are among them.
    builds = await definition(where(tree, rel, '"build-*": finished', offset=2))
    assert (rel, line_of(tree, rel, 'name: "build-{{ platform }}-{{ build_type }}"')) in builds, builds
    assert (rel, line_of(tree, rel, "name: build-linux64-valgrind")) in builds, builds
    # A branch key leads to generic.yml first, then each branch file that sets it.
    sites = await definition(where(tree, rel, "branch.build_platforms", offset=8))
    assert sites[0] == ("branches/generic.yml", line_of(tree, "branches/generic.yml", "build_platforms:")), sites
    assert ("branches/try.yml", line_of(tree, "branches/try.yml", "build_platforms:")) in sites, sites


@pytest.mark.asyncio
async def test_completion_of_templates_graphs_branch_keys_labels_and_statuses(client, tree):
    rel = "taskgraph/graphs/per-checkin.yml"
    text = (tree / rel).read_text()
    uri = await open_file(client, tree, rel)

    version = 1

    async def complete(edited, needle):
        # The server analyzes the edit before it answers the request that follows it.
        nonlocal version
        version += 1
        edit(client, uri, version, edited)
        at = edited.index(needle) + len(needle)
        pos = types.Position(line=edited.count("\n", 0, at), character=at - edited.rfind("\n", 0, at) - 1)
        got = await client.text_document_completion_async(
            types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=pos))
        return [i.label for i in (got.items if got else [])]

    names = await complete(text.replace("    job: valgrind\n", "    job: \n", 1), "    job: ")
    assert {"build", "valgrind", "desktop-test"} <= set(names), names
    graphs = await complete(text.replace("  - graph: talos\n", "  - graph: \n", 1), "  - graph: ")
    assert {"talos", "pgo", "desktop-tests"} <= set(graphs), graphs
    keys = await complete(text.replace("{{ branch.valgrind }}", "{{ branch. }}", 1), "{{ branch.")
    assert {"valgrind", "build_platforms", "trust_level"} <= set(keys), keys
    # Labels are those some graph has, filtered by what is typed.
    labels = await complete(text.replace('{"build-*": finished}', '{"build-linux64-', 1), 'needs: {"build-linux64-')
    assert "build-linux64-opt" in labels and "build-linux64-valgrind" in labels, labels[:20]
    assert all(l.startswith("build-linux64-") for l in labels), labels
    statuses = await complete(text.replace('{"build-*": finished}', '{"build-*": ', 1), '{"build-*": ')
    assert {"success", "finished", "unsuccessful", "failure"} <= set(statuses), statuses


def generated(tree):
    """Labels per (file:line of the node, branch), from `taskgen generate` of every branch
    and trigger: what the code lenses must count."""
    branches = json.loads(subprocess.run(
        [TASKGEN, "--root", str(tree), "branches", "--format", "json"],
        check=True, capture_output=True, text=True).stdout)["branches"]
    made = collections.defaultdict(lambda: collections.defaultdict(set))
    for b in branches:
        for t in b["triggers"]:
            out = subprocess.run(
                [TASKGEN, "--root", str(tree), "generate", "--branch", b["name"], "--trigger", t["name"]],
                check=True, capture_output=True, text=True).stdout
            for job in json.loads(out)["jobs"].values():
                path, line, _ = job["placed_at"].rsplit(":", 2)
                made[(path, int(line) - 1)][b["name"]].add(job["label"])
    return made, len(branches)


@pytest.mark.asyncio
async def test_code_lenses_count_what_generate_makes(client, tree):
    made, branches = generated(tree)
    for rel in ("taskgraph/graphs/per-checkin.yml", "taskgraph/graphs/desktop-tests.yml"):
        lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc(tree, rel)))
        text = (tree / rel).read_text()
        assert len(lenses) == text.count("  - name:"), lenses
        for lens in lenses:
            # The node's `- name:` is on the lens's line; `placed_at` is the node's start.
            per_branch = made.get((rel, lens.range.start.line), {})
            jobs = sum(len(v) for v in per_branch.values())
            want = f"{jobs} job{'' if jobs == 1 else 's'} on {len(per_branch)} of {branches} branches"
            assert lens.command.title == want, (rel, lens.range.start.line, lens.command.title, want)


@pytest.mark.asyncio
async def test_files_changed_on_disk_are_read_again_when_the_client_says_so(client, tree):
    # The server asks for the watch once initialized; the client answers in its own time.
    async def registered():
        while not client.registrations:
            await asyncio.sleep(0.05)

    await asyncio.wait_for(registered(), timeout=10)
    (watch,) = client.registrations
    assert watch.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    rel = "taskgraph/jobs/builds.yml"
    path, uri = tree / rel, (tree / rel).as_uri()
    text = path.read_text()

    async def changed_on_disk(new):
        path.write_text(new)
        client.diagnostics.pop(uri, None)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)]))
        while uri not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])

    try:
        found = await changed_on_disk(text.replace("    kind: build\n", "    kind: build\n    comand: [x]\n", 1))
        assert [d.code for d in found] == ["TG101"], found
        assert await changed_on_disk(text) == []
    finally:
        path.write_text(text)
