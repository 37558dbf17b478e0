#!/usr/bin/env python3
"""Writes `taskgen lint --format sarif` for every failing rule fixture (tests/rules/<rule>/fail*.txt,
over base.txt as tests/common does), one file each, for external validators.

    python3 .ci/sarif_fixtures.py TASKGEN OUT_DIR
"""

import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_bundle(root, text):
    path = None
    files = {}
    for line in text.splitlines(keepends=True):
        if line.startswith("# file: "):
            path = line[len("# file: "):].strip()
            files[path] = ""
        elif path is not None:
            files[path] += line
    for path, body in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(body)


def main():
    taskgen, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rules = os.path.join(REPO, "tests", "rules")
    base = open(os.path.join(rules, "base.txt")).read()
    written = 0
    for rule in sorted(os.listdir(rules)):
        folder = os.path.join(rules, rule)
        if not os.path.isdir(folder):
            continue
        for case in sorted(f for f in os.listdir(folder) if f.startswith("fail")):
            text = open(os.path.join(folder, case)).read()
            if any(line.startswith(("# delete: ", "# binary: ")) for line in text.splitlines()):
                continue  # trees the test harness edits further
            with tempfile.TemporaryDirectory() as root:
                if "# standalone" not in text.splitlines():
                    write_bundle(root, base)
                write_bundle(root, text)
                run = subprocess.run([taskgen, "--root", root, "lint", "--format", "sarif"],
                                     capture_output=True, text=True)
            if run.returncode not in (0, 1, 2) or not run.stdout.startswith("{"):
                sys.exit(f"{rule}/{case}: exit {run.returncode}: {run.stderr}")
            with open(os.path.join(out, f"{rule}-{case[:-4]}.sarif"), "w") as f:
                f.write(run.stdout)
            written += 1
    print(f"{written} SARIF logs in {out}")


if __name__ == "__main__":
    main()
