#!/usr/bin/env python3
"""Checks `taskgen schema` with check-jsonschema (another validator, another YAML parser):
every built-in file and the decision step's policy and parameters files validate, and over the
rule fixtures (tests/rules, over base.txt as tests/common does) the files it rejects are exactly
those snapshots/schema/rejected_fixtures.snap lists (the Rust test's jsonschema crate).

    python3 .ci/schema_check.py TASKGEN CHECK_JSONSCHEMA
"""

import glob
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sarif_fixtures import write_bundle  # noqa: E402

# Where each kind's files live in a tree (as taskgen's `Kind::file_match`).
KINDS = {
    "config": ["taskgraph/config.yml"],
    "jobs": ["taskgraph/jobs/*.yml"],
    "graphs": ["taskgraph/graphs/*.yml"],
    "branches": ["branches/*.yml"],
    "tests": ["taskgraph/tests/*.yml"],
}


def schemas(taskgen, root, out):
    subprocess.run([taskgen, "--root", root, "schema", "-o", out], check=True)
    return {k: os.path.join(out, f"taskgen-{k}.schema.json") for k in list(KINDS) + ["policy", "params"]}


def rejected(cjs, schema, files):
    """The files check-jsonschema rejects (parse errors are not the schema's)."""
    if not files:
        return set()
    run = subprocess.run([cjs, "--output-format", "json", "--schemafile", schema, *files],
                         capture_output=True, text=True)
    report = json.loads(run.stdout)
    return {e["filename"] for e in report.get("errors", [])}


def main():
    taskgen, cjs = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp()
    sch = schemas(taskgen, REPO, os.path.join(work, "schemas"))
    for kind, patterns in KINDS.items():
        files = sorted(f for p in patterns for f in glob.glob(os.path.join(REPO, p)))
        subprocess.run([cjs, "--schemafile", sch[kind], *files], check=True, stdout=subprocess.DEVNULL)
        print(f"{kind}: {len(files)} built-in files valid")
    outside = {"policy": ["tests/fixtures/policy/trusted.yml"],
               "params": sorted(glob.glob(os.path.join(REPO, "tests/fixtures/params/*.yml")))}
    for kind, files in outside.items():
        subprocess.run([cjs, "--schemafile", sch[kind], *[os.path.join(REPO, f) for f in files]],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"{kind}: {len(files)} files valid")

    # Every fixture tree side by side; the fixed schemas do not depend on the tree.
    rules = os.path.join(REPO, "tests", "rules")
    base = open(os.path.join(rules, "base.txt")).read()
    trees = os.path.join(work, "trees")
    by_kind = {k: [] for k in KINDS}
    for rule in sorted(os.listdir(rules)):
        folder = os.path.join(rules, rule)
        if not os.path.isdir(folder):
            continue
        for case in sorted(os.listdir(folder)):
            text = open(os.path.join(folder, case)).read()
            root = os.path.join(trees, f"{rule}/{case}")
            if "# standalone" not in text.splitlines():
                write_bundle(root, base)
            write_bundle(root, text)
            for kind, patterns in KINDS.items():
                by_kind[kind] += sorted(f for p in patterns for f in glob.glob(os.path.join(root, p)))
    found = set()
    for kind, files in by_kind.items():
        for f in rejected(cjs, sch[kind], files):
            rule, case, path = os.path.relpath(f, trees).split("/", 2)
            found.add(f"{rule}/{case}: {path}")
    snap = open(os.path.join(REPO, "snapshots/schema/rejected_fixtures.snap")).read()
    expected = set()
    for line in snap.splitlines():
        parts = line.split(": ")
        if len(parts) >= 3 and "/" in parts[0] and not parts[1].startswith("params"):
            expected.add(f"{parts[0]}: {parts[1]}")
    if found != expected:
        sys.exit(f"check-jsonschema rejects {sorted(found - expected)} beyond the snapshot, "
                 f"and accepts {sorted(expected - found)} that it lists")
    print(f"{sum(map(len, by_kind.values()))} fixture files: check-jsonschema rejects the "
          f"{len(found)} the snapshot lists, and no other")


if __name__ == "__main__":
    main()
