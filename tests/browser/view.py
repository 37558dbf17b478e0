#!/usr/bin/env python3
"""`taskgen view` in a real browser: headless Chromium loads the built-in inbound page and the
page's state is read from the DOM it leaves (`--dump-dom`), driven by the URL fragment hooks.

    python3 tests/browser/view.py TASKGEN [--screenshots DIR]

Checks: no console messages; the overview draws; a search finds a job; focus shows the job's
upstream as `taskgen explain` gives it; a selection's `--select` arguments, run through
`taskgen generate`, give exactly the jobs the page says; the hover trail; on try, the try
syntax line; compare against another branch, as `taskgen diff` finds; a play's colours, as
`taskgen simulate` plays. With --screenshots, writes the overview, a focused view, a try
selection, a comparison and a play (docs/img/view-*.png).
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


def items(dom, id_):
    """The labels of a list's items (each item starts with its job's label)."""
    return [text(li).split()[0] for li in re.findall(r"<li[^>]*>(.*?)</li>", element(dom, "ol", id_), re.S)]


def reach(start, edges):
    seen, stack = set(), [start]
    while stack:
        for n in edges.get(stack.pop(), []):
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return seen


def check_trail(page, label):
    native = json.loads(taskgen(["generate", "--branch", BRANCH]))
    up = {l: [d["label"] for d in j["dependencies"]] for l, j in native["jobs"].items()}
    down = {}
    for l, deps in up.items():
        for d in deps:
            down.setdefault(d, []).append(l)
    want = {label} | reach(label, up) | reach(label, down)
    dom = load(page, f"#trail={label}")
    got = set(text(element(dom, "pre", "trail-jobs")).split())
    check(got == want, f"the trail of {label} is everything it waits for and that waits for it ({len(want)} jobs)")


def check_try(out):
    """On try, the page's try syntax line, run through `taskgen generate`, gives the jobs the
    page says it gives, and exactly the selection when the page says so."""
    page = os.path.join(out, "try.html")
    taskgen(["view", "--branch", "try", "-o", page])
    cases = [
        ("test-ubuntu32_vm-opt-reftest-1", "try: -b o -p linux -u reftest-1 -t none"),
        ("build-linux64-debug,test-ubuntu64_vm-debug-xpcshell", "try: -b d -p linux64 -u xpcshell -t none"),
        ("test-*-opt-mochitest-1,talos-*-opt-tp5o", None),
        ("build-*", None),
    ]
    for selection, line_wanted in cases:
        dom = load(page, f"#select={selection}")
        line = text(element(dom, "pre", "try-line")).strip()
        note = text(element(dom, "p", "try-note")).strip()
        gives = text(element(dom, "pre", "try-jobs")).split()
        shown = text(element(dom, "pre", "selected-jobs")).split()
        generated = taskgen(["generate", "--branch", "try", "--select", line, "--format", "labels"]).split()
        check(generated == gives and gives, f"{selection}: `{line}` generates the {len(gives)} jobs the page says")
        if line_wanted:
            check(line == line_wanted, f"{selection}: the line says it shortly: {line}")
        if note == "gives exactly this selection":
            check(gives == shown, f"{selection}: exactly the selection, as the page says")
        else:
            more, fewer = len(set(gives) - set(shown)), len(set(shown) - set(gives))
            said = re.fullmatch(r".*: the line gives (\d+) more jobs.* and (\d+) fewer.*", note)
            check(said and said.groups() == (str(more), str(fewer)), f"{selection}: the note counts the difference: {note}")
        if selection == "build-*":
            check(note != "gives exactly this selection", "try syntax cannot name the PGO builds (no `-b` for them)")
    dom = load(page, "#select=test-nosuch-opt-*")
    check("no job matches test-nosuch-opt-*" in element(dom, "span", "status"), "a selection that matches nothing says so")


def check_compare(out):
    page = os.path.join(out, "compare.html")
    args = ["--branch", BRANCH, "--against-branch", "mozilla-aurora"]
    taskgen(["view", *args, "-o", page])
    diff = json.loads(taskgen(["diff", *args, "--format", "json"]))
    dom = load(page)
    check(items(dom, "compare-added") == diff["jobs_added"], f"compare lists the {len(diff['jobs_added'])} added jobs diff finds")
    check(items(dom, "compare-removed") == diff["jobs_removed"], f"and the {len(diff['jobs_removed'])} removed")
    check(items(dom, "compare-changed") == list(diff["jobs_changed"]), f"and the {len(diff['jobs_changed'])} changed")
    label, changes = next(iter(diff["jobs_changed"].items()))
    dom = load(page, f"#focus={label}")
    fields = [f["field"] for f in changes]
    check(", ".join(fields) in text(element(dom, "p", "panel-compare")), "the job panel names the changed fields")


def check_play(out):
    page = os.path.join(out, "play.html")
    args = ["--branch", BRANCH, "--outcome", "build-linux64-opt=failure"]
    taskgen(["view", *args, "-o", page])
    played = json.loads(taskgen(["simulate", *args, "--format", "json"]))
    dom = load(page)
    unhappy = [l for l, j in played["jobs"].items() if j["status"] != "success"]
    check(items(dom, "played-unhappy") == unhappy, f"the play lists the {len(unhappy)} jobs that did not succeed")
    critical = [c["label"] for c in played["critical_path"]]
    check(items(dom, "played-critical") == critical, "and the critical path")
    dom = load(page, "#search=status=failure")
    failed = sorted(l for l, j in played["jobs"].items() if j["status"] == "failure")
    check(sorted(text(element(dom, "ol", "results")).split()) == failed, f"a search by status finds {failed}")


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

    for selection in ["test-ubuntu32_vm-opt-reftest-*,build-win32-opt", "kind=build,platform=linux64*", "talos-ubuntu32_hw-opt-*"]:
        dom = load(page, f"#select={selection}")
        select_args = text(element(dom, "pre", "select-args")).strip()
        shown = text(element(dom, "pre", "selected-jobs")).split()
        generated = taskgen(["generate", "--branch", BRANCH, *shlex.split(select_args), "--format", "labels"]).split()
        check(
            shown == generated and shown,
            f"{selection}: `{select_args}` generates the {len(shown)} jobs the page shows",
        )
    check("talos-ubuntu32_hw-opt-*" in select_args, "a whole group is one glob")

    check_trail(page, "build-linux64-opt")
    check_try(out)
    check_compare(out)
    check_play(out)

    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
        shots = [
            ("overview", page, ""),
            ("focus", page, f"#focus={FOCUS}"),
            ("try", os.path.join(out, "try.html"), "#select=test-ubuntu32_vm-opt-reftest-*,build-win32-opt"),
            ("compare", os.path.join(out, "compare.html"), ""),
            ("play", os.path.join(out, "play.html"), "#focus=build-linux64-opt"),
        ]
        for name, shown, fragment in shots:
            path = os.path.abspath(os.path.join(args.screenshots, f"view-{name}.png"))
            browser(shown, fragment, f"--screenshot={path}")
            check(os.path.getsize(path) > 10_000, f"screenshot {path}")
    shutil.rmtree(out, ignore_errors=True)
    if FAILED:
        sys.exit(f"{len(FAILED)} browser checks failed")
    print("all browser checks passed")


if __name__ == "__main__":
    main()
