#!/usr/bin/env python3
"""`taskgen view` in a real browser: headless Chromium loads the built-in inbound page and the
page's state is read from the DOM it leaves (`--dump-dom`), driven by the URL fragment hooks.

    python3 tests/browser/view.py TASKGEN [--screenshots DIR]

Checks: no console messages; the overview draws; a search finds a job; focus shows the job's
upstream as `taskgen explain` gives it; a selection's `--select` arguments, run through
`taskgen generate`, give exactly the jobs the page says. With --screenshots, writes the
overview and a focused view (docs/img/view-*.png).
"""

import argparse
import html
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BRANCH = "mozilla-inbound"
FOCUS = "test-ubuntu32_vm-opt-reftest-1"


def chromium():
    for name in ["chromium", "chromium-browser", "google-chrome"]:
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no Chromium on PATH (apt-get install chromium)")


def browser(page, fragment, *extra):
    """Runs Chromium headless on the page; returns (dom, console lines)."""
    profile = tempfile.mkdtemp()
    cmd = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        "--window-size=1600,1000", "--virtual-time-budget=10000", *extra,
        f"file://{page}{fragment}",
    ]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    shutil.rmtree(profile, ignore_errors=True)
    console = [l for l in run.stderr.splitlines() if ":CONSOLE" in l or "Uncaught" in l]
    return run.stdout, console


def element(dom, tag, id_):
    m = re.search(rf'<{tag} id="{id_}"[^>]*>(.*?)</{tag}>', dom, re.S)
    if not m:
        sys.exit(f"no <{tag} id={id_}> in the page")
    return m.group(1)


def text(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "\n", fragment))


def load(page, fragment=""):
    dom, console = browser(page, fragment, "--dump-dom")
    check('data-ready="true"' in dom, f"{fragment or 'the page'} becomes ready")
    check(not console, f"{fragment or 'the page'}: no console messages: {console}")
    return dom


FAILED = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILED.append(what)


def taskgen(args):
    run = subprocess.run([TASKGEN, *args], cwd=REPO, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"taskgen {' '.join(args)}: {run.stderr}")
    return run.stdout


def main():
    global TASKGEN
    ap = argparse.ArgumentParser()
    ap.add_argument("taskgen")
    ap.add_argument("--screenshots", metavar="DIR")
    args = ap.parse_args()
    TASKGEN = os.path.abspath(args.taskgen)
    out = tempfile.mkdtemp()
    page = os.path.join(out, "inbound.html")
    taskgen(["view", "--branch", BRANCH, "-o", page])

    dom = load(page)
    drawn = int(re.search(r'data-drawn-groups="(\d+)"', dom).group(1))
    check(drawn > 20, f"the overview draws groups ({drawn})")

    dom = load(page, "#search=kind=build platform=linux64")
    results = text(element(dom, "ol", "results")).split()
    check("build-linux64-opt" in results, f"a search finds build-linux64-opt ({len(results)} results)")

    dom = load(page, f"#focus={FOCUS}")
    focus = re.findall(r'<li data-job="\d+" data-dir="(\w+)" data-depth="(\d+)">[^:]*: ([^<]*)</li>', dom)
    upstream = {html.unescape(l) for d, n, l in focus if d == "upstream" and n == "1"}
    explained = json.loads(taskgen(["explain", "--branch", BRANCH, FOCUS, "--format", "json"]))
    direct = {n["label"] for n in explained["upstream"] if not n["label"].endswith((":start", ":end"))}
    check(upstream == direct and upstream, f"focus shows the upstream explain gives: {sorted(upstream)}")
    check(FOCUS in text(element(dom, "strong", "panel-label")), "the focused job is in the panel")

    for selection in ["test-ubuntu32_vm-opt-reftest-*,build-win32-opt", "talos-ubuntu32_hw-opt-*"]:
        dom = load(page, f"#select={selection}")
        select_args = text(element(dom, "pre", "select-args")).strip()
        shown = text(element(dom, "pre", "selected-jobs")).split()
        generated = taskgen(["generate", "--branch", BRANCH, *shlex.split(select_args), "--format", "labels"]).split()
        check(
            shown == generated and shown,
            f"{selection}: `{select_args}` generates the {len(shown)} jobs the page shows",
        )
    check("talos-ubuntu32_hw-opt-*" in select_args, "a whole group is one glob")

    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
        for name, fragment in [("overview", ""), ("focus", f"#focus={FOCUS}")]:
            path = os.path.abspath(os.path.join(args.screenshots, f"view-{name}.png"))
            browser(page, fragment, f"--screenshot={path}")
            check(os.path.getsize(path) > 10_000, f"screenshot {path}")
    shutil.rmtree(out, ignore_errors=True)
    if FAILED:
        sys.exit(f"{len(FAILED)} browser checks failed")
    print("all browser checks passed")


if __name__ == "__main__":
    main()
