#!/usr/bin/env bash
# The `taskgen-lint` hook of .pre-commit-hooks.yaml as a user runs it: a scratch repository
# holding the built-in definitions uses this checkout (at HEAD) as its hook repository. The
# hook must pass on the built-in tree and fail, naming the key, after a misspelling.
#
#     .ci/pre_commit.sh PRE_COMMIT
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PRE_COMMIT=$1
WORK=$(mktemp -d)
export PRE_COMMIT_HOME="$WORK/cache"
mkdir "$WORK/defs" && cd "$WORK/defs"
git init -q
cp -r "$REPO/taskgraph" "$REPO/branches" .
cat > .pre-commit-config.yaml <<CONFIG
repos:
  - repo: $REPO
    rev: $(git -C "$REPO" rev-parse HEAD)
    hooks:
      - id: taskgen-lint
CONFIG
git add -A
git -c user.name=ci -c user.email=ci@example.com -c commit.gpgsign=false commit -qm definitions
"$PRE_COMMIT" run --all-files
sed -i '0,/^    retries: 3$/s//    retrys: 3/' taskgraph/jobs/tests.yml
if "$PRE_COMMIT" run --all-files > "$WORK/out.txt" 2>&1; then
  cat "$WORK/out.txt"; echo "the hook passed a misspelt key"; exit 1
fi
grep -q "TG101" "$WORK/out.txt" && grep -q "retrys" "$WORK/out.txt" || { cat "$WORK/out.txt"; exit 1; }
echo "the hook passes the built-in tree and fails on a misspelt key"
