#!/usr/bin/env python3
"""How long `taskgen lsp` takes from an edit to its diagnostics, on the built-in tree.

Usage: benches/lsp_latency.py [TASKGEN] [EDITS]   (`bench.py lsp --write` fills docs/performance.md)

Opens taskgraph/graphs/per-checkin.yml, then edits it EDITS times (default 40), in turn
breaking a node's `job:` and mending it, and times each `didChange` until the
`publishDiagnostics` that follows it: the finding, then its clearing. Prints the median and
the 90th percentile. Only the standard library: a plain JSON-RPC client over stdio.
"""

import json
import os
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GRAPH = os.path.join(REPO, "taskgraph/graphs/per-checkin.yml")


class Client:
    def __init__(self, command):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, message):
        body = json.dumps(dict(message, jsonrpc="2.0")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self):
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            msg = self.receive()
            if msg.get("id") == self.next_id and "method" not in msg:
                return msg

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def diagnostics_for(self, uri):
        while True:
            msg = self.receive()
            if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
                return msg["params"]["diagnostics"]


def latencies(taskgen, edits):
    """Seconds from each edit to its diagnostics, sorted."""
    client = Client([taskgen, "lsp"])
    root_uri = "file://" + REPO
    client.request("initialize", {"processId": os.getpid(), "rootUri": root_uri, "capabilities": {}})
    client.notify("initialized", {})
    uri = "file://" + GRAPH
    text = open(GRAPH).read()
    broken = text.replace("    job: valgrind\n", "    job: valgrnd\n", 1)
    assert broken != text, "the edit must change the file"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
    times = []
    for version in range(2, edits + 2):
        edited = broken if version % 2 == 0 else text
        start = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": edited}],
        })
        found = client.diagnostics_for(uri)
        times.append(time.perf_counter() - start)
        assert bool(found) == (edited is broken), found
    client.request("shutdown", None)
    client.notify("exit", None)
    client.proc.wait(timeout=10)
    return sorted(times)


def p90(times):
    return times[max(0, int(len(times) * 0.9) - 1)]


def main():
    taskgen = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/release/taskgen")
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    times = latencies(taskgen, edits)
    median = statistics.median(times) * 1000
    print(f"lsp: {edits} edits of per-checkin.yml, diagnostics after each: median {median:.0f} ms, p90 {p90(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
