#!/usr/bin/env python3
"""Writes the GitHub Actions workflow shown in docs/ci.md (its yaml block with `jobs:`) to
DIR/.github/workflows/taskgen.yml, for actionlint.

    python3 .ci/docs_workflow.py DIR
"""

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
text = open(os.path.join(REPO, "docs", "ci.md")).read()
blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "\njobs:" in b]
if len(blocks) != 1:
    sys.exit(f"docs/ci.md: expected one workflow block, found {len(blocks)}")
out = os.path.join(sys.argv[1], ".github", "workflows")
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "taskgen.yml"), "w") as f:
    f.write(blocks[0])
print(os.path.join(out, "taskgen.yml"))
