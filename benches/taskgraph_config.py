#!/usr/bin/env python3
"""Writes a Mozilla taskgraph configuration for the same graph as a taskgen native JSON file.

    taskgraph_config.py TASKGEN_ROOT GRAPH.json OUT_DIR

Each taskgen job becomes a task with the same label, description, worker, command, env,
max-run-time, priority, scopes, routes, attributes and dependencies, in a kind named after
the job's kind (`taskcluster/kinds/<kind>/kind.yml`), lowered by taskgraph's own `task`
transforms. Jobs that run on no worker use the built-in `succeed` worker. This is the
configuration a team would write by hand for this graph, minus the templating: taskgraph reads
every task spelled out, which only makes its job easier.
"""

import json
import os
import sys

import yaml


def worker_for(job, pools):
    if job["type"] != "task":
        return "succeed", {"implementation": "succeed"}
    pool = job["worker"]["pool"]
    command = job.get("command") or ["true"]
    worker = {
        "implementation": "generic-worker",
        "os": pools[pool]["os"],
        "command": [command],
        "env": job.get("env", {}),
        "max-run-time": job["timeouts"]["max_runtime_s"],
        "chain-of-trust": False,
    }
    return pool, worker


def task_for(job, pools):
    worker_type, worker = worker_for(job, pools)
    priority = job["priority"]
    task = {
        "label": job["label"],
        "description": job.get("description") or job["label"],
        "always-target": False,
        "optimization": None,
        "needs-sccache": False,
        "worker-type": worker_type,
        "worker": worker,
        "priority": "lowest" if priority == "normal" else priority,
        "attributes": dict(job.get("attributes", {}), kind=job["kind"], graph=job["graph"]),
        "dependencies": {f"dep{i}": d["label"] for i, d in enumerate(job["dependencies"])},
        "scopes": job.get("scopes", []),
        "routes": job.get("routes", []),
    }
    if not task["dependencies"]:
        del task["dependencies"]
    return task


def main(taskgen_root, graph_path, out):
    with open(graph_path) as f:
        graph = json.load(f)
    with open(os.path.join(taskgen_root, "taskgraph", "config.yml")) as f:
        pools = yaml.safe_load(f)["worker_pools"]
    kinds = {}
    for job in graph["jobs"].values():
        kinds.setdefault(job["kind"], {})[job["label"]] = task_for(job, pools)
    aliases = {
        name: {
            "provisioner": p["provisioner"],
            "implementation": "generic-worker",
            "os": p["os"],
            "worker-type": p["worker_type"],
        }
        for name, p in pools.items()
    }
    aliases["succeed"] = {
        "provisioner": "built-in",
        "implementation": "succeed",
        "os": "none",
        "worker-type": "succeed",
    }
    config = {
        "trust-domain": "gecko",
        "task-priority": "low",
        "workers": {"aliases": aliases},
        "taskgraph": {"repositories": {"bench": {"name": "bench"}}},
    }
    root = os.path.join(out, "taskcluster")
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "config.yml"), "w") as f:
        yaml.safe_dump(config, f, sort_keys=False)
    for kind, tasks in kinds.items():
        d = os.path.join(root, "kinds", kind)
        os.makedirs(d, exist_ok=True)
        body = {
            "loader": "taskgraph.loader.transform:loader",
            "transforms": ["taskgraph.transforms.task:transforms"],
            "tasks": tasks,
        }
        with open(os.path.join(d, "kind.yml"), "w") as f:
            yaml.dump(body, f, sort_keys=False, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
    edges = sum(len(j["dependencies"]) for j in graph["jobs"].values())
    print(f"{len(graph['jobs'])} tasks, {edges} edges, {len(kinds)} kinds", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:4])
