//! Writes a synthetic definitions tree for benchmarks (docs/performance.md):
//!
//!     cargo run --release --example synth -- --jobs 100000 --out /tmp/synth-100k
//!
//! The tree has the shape of the built-in one, scaled by the number of build platforms: each
//! platform builds opt and debug, each build fans out to chunked unit tests (two subgraphs,
//! `tests-opt` and `tests-debug`) and talos, a milestone per build waits for all its tests (a
//! glob `needs`), a notification waits for every build, and conditional subgraphs (talos,
//! spidermonkey, linting) come and go by branch. Eight branches (`bench` and seven with
//! overrides) each have about `--jobs` jobs on push, so `taskgen lint` checks eight graphs.
//! Output is deterministic: the same arguments write the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A build platform family: its test suites (with chunks per build type) and talos suites.
struct Family {
    name: &'static str,
    os: &'static str,
    build_pool: &'static str,
    test_pool: &'static str,
    talos_pool: Option<&'static str>,
    package_ext: &'static str,
    suites: &'static [&'static str],
    talos: &'static [&'static str],
}

const FAMILIES: [Family; 4] = [
    Family {
        name: "linux64",
        os: "linux",
        build_pool: "b-linux",
        test_pool: "t-linux64-vm",
        talos_pool: Some("t-linux64-hw"),
        package_ext: "tar.bz2",
        suites: &[
            "mochitest",
            "mochitest-browser-chrome",
            "mochitest-devtools-chrome",
            "mochitest-other",
            "mochitest-gl",
            "reftest",
            "crashtest",
            "jsreftest",
            "xpcshell",
            "jittest",
            "cppunit",
            "marionette",
            "web-platform-tests",
            "web-platform-tests-reftests",
        ],
        talos: &["tp5o", "g1", "svgr", "chromez", "dromaeojs", "other"],
    },
    Family {
        name: "win64",
        os: "windows",
        build_pool: "b-win2012",
        test_pool: "t-w864-ix",
        talos_pool: Some("t-w864-hw"),
        package_ext: "zip",
        suites: &[
            "mochitest",
            "mochitest-browser-chrome",
            "mochitest-devtools-chrome",
            "mochitest-other",
            "mochitest-gl",
            "reftest",
            "reftest-no-accel",
            "crashtest",
            "jsreftest",
            "xpcshell",
            "cppunit",
            "web-platform-tests",
        ],
        talos: &["tp5o", "g1", "svgr", "chromez", "xperf"],
    },
    Family {
        name: "macosx64",
        os: "macosx",
        build_pool: "b-macosx",
        test_pool: "t-mountainlion",
        talos_pool: Some("t-mountainlion-hw"),
        package_ext: "dmg",
        suites: &[
            "mochitest",
            "mochitest-browser-chrome",
            "mochitest-other",
            "reftest",
            "crashtest",
            "jsreftest",
            "xpcshell",
            "cppunit",
            "marionette",
            "web-platform-tests",
        ],
        talos: &["tp5o", "g1", "svgr", "chromez", "dromaeojs", "other"],
    },
    Family {
        name: "android",
        os: "android",
        build_pool: "b-android",
        test_pool: "t-android-emulator",
        talos_pool: None,
        package_ext: "apk",
        suites: &[
            "mochitest",
            "robocop",
            "reftest",
            "crashtest",
            "jsreftest",
            "xpcshell",
            "plain-reftest",
            "cppunit",
        ],
        talos: &[],
    },
];

/// Chunks per suite and build type; the job template says the same with a `by-suite` table.
fn chunks(suite: &str, build_type: &str) -> usize {
    match suite {
        "mochitest" => 5,
        "mochitest-browser-chrome" | "robocop" => 3,
        "mochitest-devtools-chrome" if build_type == "debug" => 3,
        "reftest" | "xpcshell" | "plain-reftest" => 2,
        "web-platform-tests" => 4,
        _ => 1,
    }
}

/// Debug builds run every suite but marionette and the wpt reftests.
fn runs_on(suite: &str, build_type: &str) -> bool {
    build_type == "opt" || !matches!(suite, "marionette" | "web-platform-tests-reftests")
}

/// Jobs one platform adds on push: two builds, their tests and milestones, and talos.
fn jobs_per_platform(family: &Family, talos: bool) -> usize {
    let tests: usize = ["opt", "debug"]
        .iter()
        .map(|bt| {
            family
                .suites
                .iter()
                .filter(|s| runs_on(s, bt))
                .map(|s| chunks(s, bt))
                .sum::<usize>()
        })
        .sum();
    2 + tests + 2 + if talos { family.talos.len() } else { 0 }
}

/// Platforms are numbered in blocks of this many (`linux64-01234` is in block `01`). Each
/// block has its own test and talos subgraphs and its own build notification, so that no job
/// waits for more than Taskcluster's 10,000 dependencies, even at a million jobs.
const BLOCK: usize = 1000;

fn blocks(platforms: usize) -> usize {
    platforms.div_ceil(BLOCK)
}

fn block_name(b: usize) -> String {
    format!("{b:02}")
}

/// Jobs every push has besides the platforms': the source checks and the start and end of the
/// push graph and of its source-checks subgraph; per block, a notification and the start and
/// end of three subgraphs.
fn fixed_jobs(platforms: usize) -> usize {
    4 + 2 * 2 + blocks(platforms) * (1 + 3 * 2)
}

/// How many platforms give about `jobs` push jobs on `bench`.
fn platforms_for(jobs: usize) -> usize {
    let mut total = 0;
    let mut n = 0;
    while total + fixed_jobs(n) < jobs {
        total += jobs_per_platform(&FAMILIES[n % FAMILIES.len()], true);
        n += 1;
    }
    n.max(1)
}

/// Jobs on push on `bench`.
fn push_jobs(platforms: usize) -> usize {
    let per: usize = (0..platforms)
        .map(|i| jobs_per_platform(&FAMILIES[i % FAMILIES.len()], true))
        .sum();
    per + fixed_jobs(platforms)
}

fn platform_name(i: usize) -> String {
    format!("{}-{:05}", FAMILIES[i % FAMILIES.len()].name, i)
}

const CONFIG: &str = r#"# A synthetic tree written by `cargo run --example synth` (docs/performance.md).
format_version: 1
parameters:
  lint: {type: boolean, default: true, description: "the source checks are active"}
defaults:
  priority: low
  retries: 5
  max_runtime: 1h
  idle_timeout: 30m
  request_timeout: 1d
  routes: ["tc-treeherder.v2.{{ branch.name }}"]
worker_pools:
  b-linux: {provisioner: releng-hardware, worker_type: b-linux, os: linux, implementation: docker-worker, image: "ubuntu:24.04"}
  b-win2012: {provisioner: releng-hardware, worker_type: b-2008, os: windows, implementation: docker-worker, image: "ubuntu:24.04"}
  b-macosx: {provisioner: releng-hardware, worker_type: b-macosx64, os: macosx, implementation: docker-worker, image: "ubuntu:24.04"}
  b-android: {provisioner: releng-hardware, worker_type: b-linux-android, os: linux, implementation: docker-worker, image: "ubuntu:24.04"}
  t-linux64-vm: {provisioner: aws-provisioner-v1, worker_type: tst-linux64, os: linux, implementation: docker-worker, image: "ubuntu:24.04"}
  t-w864-ix: {provisioner: releng-hardware, worker_type: t-w864-ix, os: windows, implementation: docker-worker, image: "ubuntu:24.04"}
  t-mountainlion: {provisioner: releng-hardware, worker_type: t-yosemite-r5, os: macosx, implementation: docker-worker, image: "ubuntu:24.04"}
  t-android-emulator: {provisioner: aws-provisioner-v1, worker_type: tst-emulator-android, os: linux, implementation: docker-worker, image: "ubuntu:24.04"}
  t-linux64-hw: {provisioner: releng-hardware, worker_type: talos-linux64-ix, os: linux, implementation: docker-worker, image: "ubuntu:24.04"}
  t-w864-hw: {provisioner: releng-hardware, worker_type: talos-w864-ix, os: windows, implementation: docker-worker, image: "ubuntu:24.04"}
  t-mountainlion-hw: {provisioner: releng-hardware, worker_type: talos-yosemite, os: macosx, implementation: docker-worker, image: "ubuntu:24.04"}
  lint: {provisioner: aws-provisioner-v1, worker_type: lint, os: linux, implementation: docker-worker, image: "ubuntu:24.04"}
taskcluster:
  scheduler_id: "gecko-level-{{ branch.trust_level }}"
  project_id: gecko
  owner: release+taskgen@mozilla.com
  source_base: "https://hg.mozilla.org/projects/{{ branch.name }}/file/tip/"
policy:
  branches:
    bench-try: {trust_level: 1, max_priority: low, customizable: true}
    "*": {trust_level: 3, max_priority: high, customizable: false}
  trust_levels:
    1: {scopes: ["docker-worker:cache:level-1-*"], routes: ["tc-treeherder.v2.*", "notify.irc-channel.*"], scheduler_ids: [gecko-level-1], project_ids: [gecko]}
    2: {scopes: ["docker-worker:cache:level-2-*"], routes: ["tc-treeherder.v2.*", "notify.irc-channel.*"], scheduler_ids: [gecko-level-2], project_ids: [gecko]}
    3: {scopes: ["docker-worker:cache:level-3-*"], routes: ["tc-treeherder.v2.*", "index.gecko.v2.*", "notify.irc-channel.*"], scheduler_ids: [gecko-level-3], project_ids: [gecko]}
  locked: ["kind=nightly"]
"#;

const JOBS: &str = r#"jobs:
  build:
    kind: build
    description: "{{ branch.platform_config[platform].base_name }} {{ branch.name }} {{ build_type }} build"
    params: {platform: string, build_type: string}
    worker: {pool: "{{ branch.platform_config[platform].pool }}", tags: [build]}
    command:
      - mozharness/scripts/fx_desktop_build.py
      - "--config={{ branch.platform_config[platform].os }}_build.py"
      - "--build-type={{ build_type }}"
      - "--branch={{ branch.name }}"
    env: {MOZ_BUILD_TYPE: "{{ build_type }}"}
    max_runtime: {by-build_type: {pgo: 4h, debug: 3h, default: 2h}}
    priority: {by-branch.name: {bench-try: low, default: high}}
    scopes: ["docker-worker:cache:level-{{ branch.trust_level }}-{{ branch.name }}-build-{{ platform }}"]
    artifacts:
      produces:
        installer: "public/build/target.{{ branch.platform_config[platform].package_ext }}"
        tests-zip: public/build/target.tests.zip
    attributes: {platform: "{{ platform }}", build_type: "{{ build_type }}"}

  unittest:
    kind: test
    description: "{{ branch.test_platforms[test_platform].name }} {{ branch.name }} {{ build_type }} test {{ suite }}{{ '-' ~ chunk if total_chunks > 1 else '' }}"
    params: {test_platform: string, build_type: string, suite: string}
    worker: {pool: "{{ branch.test_platforms[test_platform].pool }}"}
    command:
      - mozharness/scripts/desktop_unittest.py
      - "--cfg=unittests/{{ branch.test_platforms[test_platform].os }}_unittest.py"
      - "--{{ suite }}-suite"
      - "--this-chunk={{ chunk }}"
      - "--total-chunks={{ total_chunks }}"
    chunks:
      by-suite:
        mochitest: 5
        mochitest-browser-chrome: 3
        robocop: 3
        mochitest-devtools-chrome: {by-build_type: {debug: 3, default: 1}}
        reftest: 2
        plain-reftest: 2
        xpcshell: 2
        web-platform-tests: 4
        default: 1
    max_runtime: {by-build_type: {debug: 2h, default: 1h}}
    retries: 3
    artifacts: {consumes: [build.installer, build.tests-zip]}
    attributes:
      test_platform: "{{ test_platform }}"
      platform: "{{ branch.test_platforms[test_platform].build }}"
      build_type: "{{ build_type }}"
      suite: "{{ suite }}"

  talos:
    kind: talos
    description: "{{ branch.talos_platforms[talos_platform].name }} {{ branch.name }} talos {{ suite }}"
    params: {talos_platform: string, build_type: string, suite: string}
    worker: {pool: "{{ branch.talos_platforms[talos_platform].pool }}", tags: [hardware]}
    command: [mozharness/scripts/talos_script.py, "--suite={{ suite }}", "--branch-name={{ branch.name }}"]
    max_runtime: 2h
    retries: 2
    artifacts: {consumes: [build.installer]}
    attributes: {platform: "{{ branch.talos_platforms[talos_platform].build }}", build_type: "{{ build_type }}", suite: "{{ suite }}"}

  source-check:
    kind: lint
    params: {check: string}
    description: "{{ branch.name }} {{ check }}"
    worker: {pool: lint}
    command: ["./mach", "{{ check }}"]
    max_runtime: 30m
"#;

const PER_CHECKIN_HEAD: &str = r##"# Every push: builds, the tests and talos hanging off them (per block of platforms), and the
# conditional subgraphs.
graph: per-checkin
include:
"##;

/// The includes of one block of platforms.
fn block_includes(b: usize) -> String {
    let b = block_name(b);
    format!(
        r#"  - graph: unittests
    as: tests-opt-{b}
    params: {{build_type: opt, block: "{b}"}}
  - graph: unittests
    as: tests-debug-{b}
    params: {{build_type: debug, block: "{b}"}}
  - graph: talos
    as: talos-{b}
    when: "{{{{ branch.talos }}}}"
    params: {{build_type: opt, block: "{b}"}}
"#
    )
}

const PER_CHECKIN_TAIL: &str = r##"  - graph: source-checks
    when: "{{ branch.source_checks }}"
    active: "{{ params.lint }}"
nodes:
  - name: "build-{{ platform }}-{{ build_type }}"
    job: build
    for:
      platform: "{{ branch.build_platforms }}"
      build_type: "{{ branch.platform_config[platform].build_types }}"
  - name: "builds-failed-{{ block }}"
    type: notification
    for: {block: "{{ branch.blocks }}"}
    description: "tell the sheriffs when a build of block {{ block }} of {{ branch.name }} breaks"
    needs: {"build-*-{{ block }}???-*": finished}
    notify: {channel: irc, target: "#{{ branch.name }}", on: unsuccessful, message: "a {{ branch.name }} build failed"}
"##;

const UNITTESTS: &str = r#"# Unit tests of one build type, and a milestone per build once all its tests finished.
graph: unittests
params: {build_type: string, block: string}
nodes:
  - name: "test-{{ test_platform }}-{{ build_type }}-{{ suite }}"
    job: unittest
    for:
      test_platform: "{{ branch.test_blocks[block] }}"
      suite: "{{ branch.test_platforms[test_platform][build_type] | default([]) }}"
    needs:
      "build-{{ branch.test_platforms[test_platform].build }}-{{ build_type }}": success
  - name: "tests-{{ test_platform }}-{{ build_type }}-done"
    type: dummy
    for: {test_platform: "{{ branch.test_blocks[block] }}"}
    description: "all {{ build_type }} tests of {{ test_platform }} finished"
    needs:
      "test-{{ test_platform }}-{{ build_type }}-*": finished
"#;

const TALOS: &str = r#"# Talos on hardware, for opt builds.
graph: talos
params: {build_type: string, block: string}
nodes:
  - name: "talos-{{ talos_platform }}-{{ suite }}"
    job: talos
    for:
      talos_platform: "{{ branch.talos_blocks[block] }}"
      suite: "{{ branch.talos_platforms[talos_platform].suites }}"
    needs:
      "build-{{ branch.talos_platforms[talos_platform].build }}-{{ build_type }}": success
"#;

const SOURCE_CHECKS: &str = r#"# Static checks of the source, on every push unless the push says otherwise.
graph: source-checks
nodes:
  - name: "lint-{{ check }}"
    job: source-check
    for: {check: [eslint, flake8, clang-format, rustfmt]}
"#;

const PERIODIC: &str = r#"# Every three hours: PGO builds of the first platforms.
graph: periodic
nodes:
  - name: "build-{{ platform }}-pgo"
    job: build
    for: {platform: "{{ branch.pgo_platforms }}"}
    params: {build_type: pgo}
"#;

fn generic(platforms: usize) -> String {
    let mut s = String::from(
        "# Defaults for every synthetic branch.\n\
         trust_level: 3\n\
         talos: true\n\
         source_checks: true\n\
         triggers:\n  \
           push: per-checkin\n  \
           periodic: {graph: periodic, cron: \"30 1,4,7,10,13,16,19,22 * * *\"}\n\
         build_platforms:\n",
    );
    for i in 0..platforms {
        writeln!(s, "  - {}", platform_name(i)).unwrap();
    }
    s.push_str("pgo_platforms:\n");
    for i in 0..platforms.min(4) {
        writeln!(s, "  - {}", platform_name(i)).unwrap();
    }
    s.push_str("platform_config:\n");
    for i in 0..platforms {
        let f = &FAMILIES[i % FAMILIES.len()];
        writeln!(
            s,
            "  {}: {{base_name: \"{} #{i}\", build_types: [opt, debug], pool: {}, os: {}, package_ext: {}}}",
            platform_name(i),
            f.name,
            f.build_pool,
            f.os,
            f.package_ext
        )
        .unwrap();
    }
    s.push_str("test_platforms:\n");
    for i in 0..platforms {
        let f = &FAMILIES[i % FAMILIES.len()];
        let list = |bt: &str| {
            let suites: Vec<&str> = f
                .suites
                .iter()
                .copied()
                .filter(|s| runs_on(s, bt))
                .collect();
            suites.join(", ")
        };
        writeln!(s, "  {}-tests:", platform_name(i)).unwrap();
        writeln!(s, "    name: \"{} tests #{i}\"", f.name).unwrap();
        writeln!(s, "    build: {}", platform_name(i)).unwrap();
        writeln!(s, "    os: {}", f.os).unwrap();
        writeln!(s, "    pool: {}", f.test_pool).unwrap();
        writeln!(s, "    opt: [{}]", list("opt")).unwrap();
        writeln!(s, "    debug: [{}]", list("debug")).unwrap();
    }
    s.push_str("talos_platforms:\n");
    let mut any = false;
    for i in 0..platforms {
        let f = &FAMILIES[i % FAMILIES.len()];
        if let Some(pool) = f.talos_pool {
            any = true;
            writeln!(
                s,
                "  {}-talos: {{name: \"{} talos #{i}\", build: {}, pool: {pool}, suites: [{}]}}",
                platform_name(i),
                f.name,
                platform_name(i),
                f.talos.join(", ")
            )
            .unwrap();
        }
    }
    if !any {
        s.push_str("  {}\n");
    }
    // The platforms of each block, by name: the per-block subgraphs iterate these.
    let names: Vec<String> = (0..blocks(platforms)).map(block_name).collect();
    writeln!(
        s,
        "blocks: [{}]",
        names
            .iter()
            .map(|b| format!("\"{b}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .unwrap();
    for (key, suffix, has) in [
        (
            "test_blocks",
            "tests",
            &(|_: &Family| true) as &dyn Fn(&Family) -> bool,
        ),
        ("talos_blocks", "talos", &|f: &Family| {
            f.talos_pool.is_some()
        }),
    ] {
        writeln!(s, "{key}:").unwrap();
        for (b, name) in names.iter().enumerate() {
            let members: Vec<String> = (b * BLOCK..platforms.min((b + 1) * BLOCK))
                .filter(|&i| has(&FAMILIES[i % FAMILIES.len()]))
                .map(|i| format!("{}-{suffix}", platform_name(i)))
                .collect();
            writeln!(s, "  \"{name}\": [{}]", members.join(", ")).unwrap();
        }
    }
    s
}

/// The branches and what each overrides; all but `bench-try` and `bench-esr` run talos.
const BRANCHES: [(&str, &str); 8] = [
    (
        "bench",
        "# The benchmark branch: the generic settings.\ntrust_level: 3\n",
    ),
    (
        "bench-central",
        "# Trunk: more talos on the first Linux platform.\ntalos_platforms:\n  linux64-00000-talos:\n    suites: {$add: [tp5n, xperf]}\n",
    ),
    (
        "bench-inbound",
        "# Integration branch: no source checks (they run on review).\nsource_checks: false\n",
    ),
    (
        "bench-aurora",
        "# Developer edition: no jittest on the first Linux platform.\ntest_platforms:\n  linux64-00000-tests:\n    opt: {$remove: [jittest]}\n    debug: {$remove: [jittest]}\n",
    ),
    (
        "bench-beta",
        "# Beta: PGO on the first platform only.\npgo_platforms: [linux64-00000]\n",
    ),
    (
        "bench-release",
        "# Release: no source checks.\nsource_checks: false\n",
    ),
    ("bench-esr", "# Extended support: no talos.\ntalos: false\n"),
    (
        "bench-try",
        "# Try: trust level 1, no talos unless asked.\ntrust_level: 1\ntalos: false\n",
    ),
];

fn write(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a relative path has a parent"))?;
    std::fs::write(path, text)
}

/// Writes the tree for about `jobs` push jobs; gives the number of build platforms.
pub fn run(jobs: usize, out: &Path) -> std::io::Result<usize> {
    let platforms = platforms_for(jobs);
    write(out, "taskgraph/config.yml", CONFIG)?;
    write(out, "taskgraph/jobs/jobs.yml", JOBS)?;
    let includes: String = (0..blocks(platforms)).map(block_includes).collect();
    let per_checkin = format!("{PER_CHECKIN_HEAD}{includes}{PER_CHECKIN_TAIL}");
    write(out, "taskgraph/graphs/per-checkin.yml", &per_checkin)?;
    write(out, "taskgraph/graphs/unittests.yml", UNITTESTS)?;
    write(out, "taskgraph/graphs/talos.yml", TALOS)?;
    write(out, "taskgraph/graphs/source-checks.yml", SOURCE_CHECKS)?;
    write(out, "taskgraph/graphs/periodic.yml", PERIODIC)?;
    write(out, "branches/generic.yml", &generic(platforms))?;
    for (name, text) in BRANCHES {
        write(out, &format!("branches/{name}.yml"), text)?;
    }
    Ok(platforms)
}

fn main() -> ExitCode {
    let mut jobs = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" => {
                jobs = args
                    .next()
                    .and_then(|n| n.replace('_', "").parse::<usize>().ok())
            }
            "--out" => out = args.next().map(PathBuf::from),
            _ => jobs = None,
        }
    }
    let (Some(jobs), Some(out)) = (jobs, out) else {
        eprintln!("usage: synth --jobs N --out DIR");
        return ExitCode::from(2);
    };
    match run(jobs, &out) {
        Ok(platforms) => {
            eprintln!(
                "synth: wrote {} ({platforms} build platforms, {} push jobs on bench)",
                out.display(),
                push_jobs(platforms)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("synth: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
