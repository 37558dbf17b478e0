"""Writes the payloads of a Taskcluster graph (`taskgen generate --format taskcluster`) into one
directory per worker schema, for check-jsonschema: the payload for docker-worker,
generic-worker and built-in, the whole task for scriptworkers (their schemas take the task)."""

import json
import os
import sys

graph_file, out_dir, tag = sys.argv[1:4]
PER_SCHEMA = 40

with open(graph_file) as f:
    graph = json.load(f)
counts = {}
for label, entry in graph.items():
    task = entry["task"]
    implementation = task["extra"]["taskgen"].get("implementation")
    if implementation is None:
        continue  # a special queue (breakpoints, timers) with no worker schema
    whole = implementation.startswith("scriptworker/")
    if implementation == "scriptworker/balrogscript":
        schema = "balrogscript-%s-task" % task["payload"].get("behavior", "submit-locale")
    elif whole:
        schema = implementation.split("/", 1)[1] + "-task"
    elif implementation.startswith("generic-worker/"):
        schema = "generic-worker-multiuser-%s.payload" % implementation.split("/", 1)[1]
    else:
        schema = implementation + ".payload"
    n = counts.get(schema, 0)
    if n >= PER_SCHEMA:
        continue
    counts[schema] = n + 1
    os.makedirs(os.path.join(out_dir, schema), exist_ok=True)
    with open(os.path.join(out_dir, schema, "%s-%d.json" % (tag, n)), "w") as f:
        json.dump(task if whole else task["payload"], f)
