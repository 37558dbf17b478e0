#!/usr/bin/env python3
"""taskgen's benchmarks (docs/performance.md). Standard library only.

    python3 benches/bench.py scale [--sizes 1000,10000,100000,1000000] [--runs 3] [--write]
    python3 benches/bench.py taskgraph [--jobs 50000] [--write]
    python3 benches/bench.py simulate [--jobs 100000] [--runs 5] [--write]
    python3 benches/bench.py view [--jobs 100000] [--runs 3] [--write]
    python3 benches/bench.py lsp [--edits 60] [--write]

`scale` writes synthetic trees (`cargo run --release --example synth`) and times `generate`
(native JSON), `generate --format taskcluster`, `dot` and `lint` (all eight branches) on each,
with peak memory. `taskgraph` installs Mozilla's taskgraph (PyPI `taskcluster-taskgraph`) in a
venv, writes the same graph as a taskgraph configuration (benches/taskgraph_config.py), runs
`taskgraph full --json` and `taskgen generate` one after the other, checks both have the same
tasks and edges, and reports the ratio. `simulate` times `taskgen simulate` on the synthetic
`bench` branch: the simulation stage itself (`TASKGEN_TIMINGS`) and the whole command, which
generates the graph first. `view` writes the `taskgen view` page of the synthetic `bench`
branch and opens it in headless Chromium: the page's size, the time to write it, and the time
from navigation to interactive the page itself records (`data-ready-ms`). `lsp` edits a graph
file of the built-in tree through `taskgen lsp` (benches/lsp_latency.py) and times each edit to
its diagnostics, beside `taskgen lint` of the same tree. `--write` puts the table in docs/performance.md
between its markers; without it the table is printed.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TASKGEN = os.path.join(REPO, "target", "release", "taskgen")
SYNTH = os.path.join(REPO, "target", "release", "examples", "synth")
TASKGRAPH_VERSION = "24.5.1"
FIXED = ["--task-id-seed", "bench", "--now", "2026-01-01T00:00:00Z"]


def tree_rss_kb(pid):
    """Resident memory of a process and all its descendants, in KiB."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except OSError:
            continue
    return total


def measure(cmd, cwd, stdout=subprocess.DEVNULL, tree=False):
    """Runs `cmd`; gives (wall seconds, peak KiB, user CPU seconds). The peak is the kernel's
    figure for the process; with `tree`, the larger of that and the sum over its process tree
    sampled every 10 ms (taskgraph forks a process per kind). Sampling costs CPU, so a
    single-process command is not sampled: on two cores it would slow it down."""
    start = time.perf_counter()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=log)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if tree else 0)
        if pid:
            break
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    log.seek(0)
    err = log.read().decode(errors="replace")
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return wall, max(peak, usage.ru_maxrss), usage.ru_utime


def best_of(runs, cmd, cwd):
    """The median wall and user CPU time of `runs` runs, and the largest peak memory seen."""
    results = [measure(cmd, cwd) for _ in range(runs)]
    return (
        statistics.median(r[0] for r in results),
        max(r[1] for r in results),
        statistics.median(r[2] for r in results),
    )


def build():
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "taskgen", "--example", "synth"],
        cwd=REPO,
        check=True,
    )


# Counts in a child process: this one must stay small, for a child forked from it starts with
# its memory, which would count in the child's peak.
COUNT = """
import json, sys
jobs = json.load(sys.stdin)["jobs"]
print(len(jobs), sum(len(j["dependencies"]) for j in jobs.values()))
"""


def graph_size(root, branch="bench", limits=()):
    """Jobs and edges of the branch's push graph."""
    gen = subprocess.Popen([TASKGEN, *limits, "generate", "--branch", branch], cwd=root, stdout=subprocess.PIPE)
    out = subprocess.run([sys.executable, "-c", COUNT], stdin=gen.stdout, capture_output=True, check=True)
    gen.stdout.close()
    if gen.wait() != 0:
        sys.exit("taskgen generate failed")
    jobs, edges = out.stdout.split()
    return int(jobs), int(edges)


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = re.search(r"model name\s*:\s*(.*)", f.read()).group(1)
    except (OSError, AttributeError):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} "
        f"{platform.release()}, {rustc}, {datetime.date.today().isoformat()}"
    )


def scale(args):
    build()
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        runs = args.runs if n <= 100_000 else 1
        # Past the default limit of 250,000 jobs a graph, the trusted synthetic tree asks for more.
        limits = ["--max-jobs", str(2 * n)] if n > 200_000 else []
        with tempfile.TemporaryDirectory() as root:
            subprocess.run([SYNTH, "--jobs", str(n), "--out", root], check=True, capture_output=True)
            jobs, edges = graph_size(root, limits=limits)
            gen = best_of(runs, [TASKGEN, *limits, "generate", "--branch", "bench"], root)
            tc = best_of(
                runs,
                [TASKGEN, *limits, "generate", "--branch", "bench", "--format", "taskcluster", *FIXED],
                root,
            )
            dot = best_of(runs, [TASKGEN, *limits, "dot", "--branch", "bench"], root)
            lint = best_of(runs, [TASKGEN, *limits, "lint"], root)
        per = gen[2] / (jobs + edges) * 1e6
        rows.append((jobs, edges, gen, per, tc, dot, lint))
        print(f"{jobs} jobs: generate {gen[0]:.2f} s, lint {lint[0]:.2f} s", file=sys.stderr)
    table = [
        "| jobs | edges | `generate` wall | CPU | CPU µs per job+edge | peak RSS | "
        "`--format taskcluster` | peak RSS | `dot` | `lint` (8 branches) | peak RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for jobs, edges, gen, per, tc, dot, lint in rows:
        table.append(
            f"| {jobs:,} | {edges:,} | {gen[0]:.2f} s | {gen[2]:.2f} s | {per:.1f} | {mb(gen[1])} | "
            f"{tc[0]:.2f} s | {mb(tc[1])} | {dot[0]:.2f} s | {lint[0]:.2f} s | {mb(lint[1])} |"
        )
    text = "\n".join(
        [
            f"Measured by `python3 benches/bench.py scale --runs {args.runs} --write` on {machine()}.",
            f"Times are the median of {args.runs} runs (one run above 100k jobs), release build, "
            "output to /dev/null; CPU is user time, summed over both cores.",
            "",
            *table,
        ]
    )
    emit(args.write, "scale", text)


def stage_ms(cmd, cwd, stage):
    """Runs `cmd` with TASKGEN_TIMINGS and gives the milliseconds of one stage, and the wall."""
    start = time.monotonic()
    out = subprocess.run(cmd, cwd=cwd, env={**os.environ, "TASKGEN_TIMINGS": "1"},
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    wall = time.monotonic() - start
    m = re.search(rf"timing: {stage}\s+([0-9.]+) ms", out.stderr)
    if not m:
        sys.exit(f"no `{stage}` timing in: {out.stderr}")
    return float(m.group(1)), wall


def simulate(args):
    build()
    scenarios = [
        ("every job succeeds", []),
        ("every build fails", ["--outcome", "kind=build=failure"]),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as root:
        subprocess.run([SYNTH, "--jobs", str(args.jobs), "--out", root], check=True, capture_output=True)
        jobs, edges = graph_size(root)
        gen = best_of(args.runs, [TASKGEN, "generate", "--branch", "bench"], root)
        for name, extra in scenarios:
            for rules in ["taskgen", "taskcluster"]:
                cmd = [TASKGEN, "simulate", "--branch", "bench", "--format", "json", "--as", rules,
                       "--now", "2026-01-01T00:00:00Z", *extra]
                runs = [stage_ms(cmd, root, "simulate") for _ in range(args.runs)]
                rows.append((name, rules, statistics.median(r[0] for r in runs),
                             statistics.median(r[1] for r in runs)))
                print(f"{name}, {rules}: {rows[-1][2]:.0f} ms", file=sys.stderr)
    table = [
        "| scenario | rules | simulation | whole `simulate` command |",
        "|---|---|---:|---:|",
        *[f"| {n} | {r} | {ms / 1000:.2f} s | {wall:.2f} s |" for n, r, ms, wall in rows],
    ]
    text = "\n".join(
        [
            f"Measured by `python3 benches/bench.py simulate --jobs {args.jobs} --runs {args.runs} --write` on {machine()}.",
            f"The synthetic `bench` branch: {jobs:,} jobs, {edges:,} edges. Medians of {args.runs} runs, release "
            f"build, JSON output to /dev/null. `simulation` is the play and the building of its report (`TASKGEN_TIMINGS`); "
            f"the whole command also loads, expands and checks the graph, as `generate` does "
            f"({gen[0]:.2f} s wall on the same tree), and writes the report.",
            "",
            *table,
        ]
    )
    emit(args.write, "simulate", text)


def chromium_ready_ms(page):
    """Opens the page in headless Chromium; the page's own time from navigation to ready."""
    browser = next(
        (b for b in ["chromium", "chromium-browser", "google-chrome"] if shutil.which(b)), None
    )
    if browser is None:
        sys.exit("no Chromium on PATH (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        start = time.perf_counter()
        dom = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
             "--window-size=1600,1000", "--dump-dom", f"file://{page}"],
            capture_output=True, text=True, timeout=300,
        ).stdout
        wall = time.perf_counter() - start
    m = re.search(r'data-ready-ms="(\d+)"', dom)
    if not m or 'data-ready="true"' not in dom:
        sys.exit("the page did not become ready")
    return int(m.group(1)), wall


def view(args):
    build()
    with tempfile.TemporaryDirectory() as root:
        subprocess.run([SYNTH, "--jobs", str(args.jobs), "--out", root], check=True, capture_output=True)
        jobs, edges = graph_size(root)
        page = os.path.join(root, "view.html")
        write = best_of(args.runs, [TASKGEN, "view", "--branch", "bench", "-o", page], root)
        size = os.path.getsize(page)
        ready = [chromium_ready_ms(page) for _ in range(args.runs)]
    ready_ms = statistics.median(r[0] for r in ready)
    wall = statistics.median(r[1] for r in ready)
    text = "\n".join(
        [
            f"Measured by `python3 benches/bench.py view --jobs {args.jobs} --runs {args.runs} --write` on {machine()}.",
            f"The synthetic `bench` branch: {jobs:,} jobs, {edges:,} edges. Medians of {args.runs} runs, release build; "
            "Debian's Chromium, headless.",
            "",
            "| page | `taskgen view` wall | peak RSS | navigation to interactive (`data-ready-ms`) | whole headless Chromium run |",
            "|---:|---:|---:|---:|---:|",
            f"| {size / 1e6:.1f} MB | {write[0]:.2f} s | {mb(write[1])} | {ready_ms / 1000:.2f} s | {wall:.2f} s |",
        ]
    )
    emit(args.write, "view", text)


def mb(kib):
    return f"{kib / 1024:,.0f} MB"


def taskgraph(args):
    build()
    venv = os.path.join(REPO, "target", "taskgraph-venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", f"taskcluster-taskgraph=={TASKGRAPH_VERSION}"],
        check=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        root, tg = os.path.join(tmp, "taskgen"), os.path.join(tmp, "taskgraph")
        subprocess.run([SYNTH, "--jobs", str(args.jobs), "--out", root], check=True, capture_output=True)
        graph = os.path.join(tmp, "graph.json")
        subprocess.run([TASKGEN, "generate", "--branch", "bench", "-o", graph], cwd=root, check=True)
        os.makedirs(tg)
        subprocess.run(
            [python, os.path.join(REPO, "benches", "taskgraph_config.py"), root, graph, tg],
            check=True,
        )
        # taskgraph reads its parameters from a git checkout with a GitHub remote.
        git = ["git", "-c", "user.email=bench@example.com", "-c", "user.name=bench"]
        for cmd in (
            ["init", "-q"],
            ["remote", "add", "origin", "https://github.com/mozilla-releng/bench.git"],
            ["add", "-A"],
            ["commit", "-qm", "bench"],
        ):
            subprocess.run(git + cmd, cwd=tg, check=True)
        tg_out = os.path.join(tmp, "full.json")
        with open(tg_out, "wb") as f:
            tg_time, tg_peak, _ = measure(
                [os.path.join(venv, "bin", "taskgraph"), "full", "--json"], tg, stdout=f, tree=True
            )
        ours = best_of(args.runs, [TASKGEN, "generate", "--branch", "bench"], root)
        with open(tg_out) as f:
            full = json.load(f)
        with open(graph) as f:
            jobs = json.load(f)["jobs"]
    tg_tasks, tg_edges = len(full), sum(len(t["dependencies"]) for t in full.values())
    tasks, edges = len(jobs), sum(len(j["dependencies"]) for j in jobs.values())
    if (tg_tasks, tg_edges) != (tasks, edges):
        sys.exit(f"different graphs: taskgraph {tg_tasks} tasks {tg_edges} edges, taskgen {tasks} {edges}")
    text = "\n".join(
        [
            f"Measured by `python3 benches/bench.py taskgraph --jobs {args.jobs}` on {machine()}; "
            f"taskcluster-taskgraph {TASKGRAPH_VERSION}, Python {platform.python_version()}.",
            "",
            "| tool | command | tasks | edges | wall | peak RSS (all processes) |",
            "|---|---|---:|---:|---:|---:|",
            f"| taskgraph | `taskgraph full --json` | {tg_tasks:,} | {tg_edges:,} | {tg_time:.1f} s | {mb(tg_peak)} |",
            f"| taskgen | `taskgen generate --branch bench` | {tasks:,} | {edges:,} | {ours[0]:.2f} s | {mb(ours[1])} |",
            "",
            f"taskgen is **{tg_time / ours[0]:.0f}× faster** and uses **{tg_peak / ours[1]:.1f}× less memory** on the same graph.",
        ]
    )
    emit(args.write, f"taskgraph-{args.jobs}", text)


def lsp(args):
    build()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import lsp_latency

    times = lsp_latency.latencies(TASKGEN, args.edits)
    lint = best_of(9, [TASKGEN, "lint"], REPO)
    text = "\n".join(
        [
            f"Measured by `python3 benches/bench.py lsp --edits {args.edits} --write` on {machine()}.",
            f"The built-in tree: {args.edits} edits of `taskgraph/graphs/per-checkin.yml`, in turn breaking "
            "a node's `job:` and mending it; each timed from `didChange` to the `publishDiagnostics` after it.",
            "",
            "| edit to diagnostics, median | p90 | `taskgen lint` of the tree, median wall |",
            "|---:|---:|---:|",
            f"| {statistics.median(times) * 1000:.0f} ms | {lsp_latency.p90(times) * 1000:.0f} ms | {lint[0] * 1000:.0f} ms |",
        ]
    )
    emit(args.write, "lsp", text)


def emit(write, marker, text):
    if not write:
        print(text)
        return
    path = os.path.join(REPO, "docs", "performance.md")
    with open(path) as f:
        doc = f.read()
    start, end = f"<!-- bench:{marker} -->", f"<!-- /bench:{marker} -->"
    if start not in doc:
        sys.exit(f"{path} has no {start} marker")
    head, rest = doc.split(start, 1)
    tail = rest.split(end, 1)[1]
    with open(path, "w") as f:
        f.write(f"{head}{start}\n{text}\n{end}{tail}")
    print(f"wrote {marker} into {path}", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    s = sub.add_parser("scale")
    s.add_argument("--sizes", default="1000,10000,100000,1000000")
    s.add_argument("--runs", type=int, default=5)
    s.add_argument("--write", action="store_true")
    t = sub.add_parser("taskgraph")
    t.add_argument("--jobs", type=int, default=50000)
    t.add_argument("--runs", type=int, default=3)
    t.add_argument("--write", action="store_true")
    m = sub.add_parser("simulate")
    m.add_argument("--jobs", type=int, default=100000)
    m.add_argument("--runs", type=int, default=5)
    m.add_argument("--write", action="store_true")
    v = sub.add_parser("view")
    v.add_argument("--jobs", type=int, default=100000)
    v.add_argument("--runs", type=int, default=3)
    v.add_argument("--write", action="store_true")
    e = sub.add_parser("lsp")
    e.add_argument("--edits", type=int, default=60)
    e.add_argument("--write", action="store_true")
    args = p.parse_args()
    {"scale": scale, "taskgraph": taskgraph, "simulate": simulate, "view": view, "lsp": lsp}[args.what](args)


if __name__ == "__main__":
    main()
