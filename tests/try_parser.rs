//! buildbotcustom's `test/test_try_parser.py` (mozilla-releng/build-buildbotcustom, 2014-12),
//! translated test by test onto the built-in try branch. Each test names the one it comes from.
//!
//! The real suite runs the parser on made-up builder lists; here the lists are the try graph's
//! jobs, named as docs/selection.md's table says: build platforms by their buildbot names
//! (`linux64`, `win32`, `emulator`), test platforms by slave platform (`xp-ix`, `snowleopard`),
//! suites by buildbot's suite name (`mochitest-3` is chunk 3 of `mochitest`). Where the made-up
//! data has a feature, the built-in one stands in: the nondefault OS X tester is `mountainlion`,
//! the `5.1` in `Rev3 WINNT 5.1` is the `XP` in `Windows XP 32-bit`, `tp4` is `tp5o`.
//!
//! Each expectation is written from the original's intent as a predicate on job attributes, and
//! must not be empty.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use taskgen::defs::TryConfig;
use taskgen::expand::Job;
use taskgen::pipeline::{Request, generate};
use taskgen::query::field;
use taskgen::select::try_match;
use taskgen::select::try_syntax::{TrySpec, find, parse, tokens};

mod common;

struct Try {
    graph: taskgen::graph::TaskGraph,
    config: TryConfig,
}

fn built_in() -> &'static Try {
    static TRY: OnceLock<Try> = OnceLock::new();
    TRY.get_or_init(|| {
        let mut tree = taskgen::load::load(&common::repo()).expect("the definitions load");
        let config = taskgen::defs::read(&tree)
            .expect("the definitions read")
            .config
            .try_config;
        let req = Request {
            branch: "try".into(),
            trigger: "push".into(),
            ..Request::default()
        };
        let g = generate(&mut tree, &req).expect("try generates");
        Try {
            graph: g.graph,
            config,
        }
    })
}

/// `processMessage` then `TryParser`: the jobs a commit message chooses.
fn spec(message: &str) -> TrySpec {
    find(message).map_or_else(TrySpec::default, |t| parse(&tokens(t)))
}

fn chosen(message: &str) -> BTreeSet<String> {
    let t = built_in();
    let (found, _) = try_match::select(&t.graph.jobs, &spec(message), &t.config);
    found
        .into_iter()
        .map(|i| t.graph.jobs[i].label.clone())
        .collect()
}

/// A job's facts, for the expectations.
struct J<'a> {
    job: &'a Job,
}

impl J<'_> {
    fn get(&self, key: &str) -> String {
        field(self.job, key).unwrap_or_default()
    }
    fn kind(&self) -> &str {
        &self.job.kind
    }
    fn platform(&self) -> String {
        self.get("platform")
    }
    fn build_type(&self) -> String {
        self.get("build_type")
    }
    fn test_platform(&self) -> String {
        self.get("test_platform")
    }
    /// Buildbot's suite name: `mochitest-3` for chunk 3 of several.
    fn suite(&self) -> String {
        let suite = self.get("suite");
        match &self.job.chunk {
            Some(c) if c.total > 1 => format!("{suite}-{}", c.this),
            _ => suite,
        }
    }
    fn name(&self) -> &str {
        self.job.description.as_deref().unwrap_or("")
    }
    fn in_platforms(&self, names: &[&str]) -> bool {
        names.contains(&self.platform().as_str())
    }
    fn of_types(&self, types: &[&str]) -> bool {
        types.contains(&self.build_type().as_str())
    }
}

fn expect(pred: impl Fn(&J) -> bool) -> BTreeSet<String> {
    let out: BTreeSet<String> = built_in()
        .graph
        .jobs
        .iter()
        .filter(|j| pred(&J { job: j }))
        .map(|j| j.label.clone())
        .collect();
    assert!(
        !out.is_empty(),
        "an expectation that chooses nothing proves nothing"
    );
    out
}

const NOT_BY_DEFAULT: &[&str] = &["linux64-sh-haz", "linux64-cc"];

fn default_build(j: &J) -> bool {
    j.kind() == "build"
        && !NOT_BY_DEFAULT.contains(&j.platform().as_str())
        && !j.platform().starts_with("sm-")
        && j.of_types(&["opt", "debug"])
}

fn default_test(j: &J) -> bool {
    j.kind() == "test"
        && !NOT_BY_DEFAULT.contains(&j.platform().as_str())
        && j.test_platform() != "mountainlion"
        && j.of_types(&["opt", "debug"])
}

fn builds(platforms: &[&str], types: &[&str]) -> BTreeSet<String> {
    expect(|j| j.kind() == "build" && j.in_platforms(platforms) && j.of_types(types))
}

fn tests(platforms: &[&str], types: &[&str], also: impl Fn(&J) -> bool) -> BTreeSet<String> {
    expect(|j| {
        j.kind() == "test"
            && j.in_platforms(platforms)
            && j.of_types(types)
            && j.test_platform() != "mountainlion"
            && also(j)
    })
}

fn union(a: BTreeSet<String>, b: BTreeSet<String>) -> BTreeSet<String> {
    a.into_iter().chain(b).collect()
}

fn only(kind: &str, set: BTreeSet<String>) -> BTreeSet<String> {
    let jobs = &built_in().graph.jobs;
    set.into_iter()
        .filter(|l| jobs.iter().any(|j| &j.label == l && j.kind == kind))
        .collect()
}

// test_BlankMessage: no try syntax at all runs the default set.
#[test]
fn blank_message() {
    assert_eq!(chosen(""), expect(|j| default_build(j) || default_test(j)));
    assert_eq!(only("build", chosen("")), expect(default_build));
}

// test_JunkMessageBuilders
#[test]
fn junk_message_builders() {
    assert_eq!(only("build", chosen("try: junk")), expect(default_build));
}

// test_JunkMessageTesters
#[test]
fn junk_message_testers() {
    assert_eq!(only("test", chosen("try: junk")), expect(default_test));
    assert!(only("talos", chosen("try: junk")).is_empty());
}

// test_JunkBuildMessage: an unknown `-b` means both build types.
#[test]
fn junk_build_message() {
    let got = chosen("try: -b k -p linux -u none");
    assert_eq!(got, builds(&["linux"], &["opt", "debug"]));
    assert!(spec("try: -b k").ignored[0].contains("`-b k`"));
}

// test_DebugOnlyBuild
#[test]
fn debug_only_build() {
    assert_eq!(
        only("build", chosen("try: -b d -p linux64,linux")),
        builds(&["linux64", "linux"], &["debug"])
    );
}

// test_OptOnlyBuild
#[test]
fn opt_only_build() {
    assert_eq!(
        only("build", chosen("try: -b o -p macosx64,linux")),
        builds(&["macosx64", "linux"], &["opt"])
    );
}

// test_BothBuildTypes
#[test]
fn both_build_types() {
    for m in ["try: -b od -p win32", "try: -b do -p win32"] {
        assert_eq!(
            only("build", chosen(m)),
            builds(&["win32"], &["opt", "debug"])
        );
    }
}

// test_SpecificPlatform: `macosx` (OS X 10.5) is gone; it chooses nothing and says so.
#[test]
fn specific_platform() {
    let t = built_in();
    let s = spec("try: -b od -p macosx64,macosx");
    let (found, notes) = try_match::select(&t.graph.jobs, &s, &t.config);
    let labels: BTreeSet<String> = found
        .into_iter()
        .filter(|&i| t.graph.jobs[i].kind == "build")
        .map(|i| t.graph.jobs[i].label.clone())
        .collect();
    assert_eq!(labels, builds(&["macosx64"], &["opt", "debug"]));
    assert!(
        notes[0].starts_with("`-p macosx` names no build platform here"),
        "{notes:?}"
    );
}

// test_B2GPlatform: Firefox OS platforms by their b2g_config.py names.
#[test]
fn b2g_platform() {
    assert_eq!(
        only("build", chosen("try: -b od -p emulator")),
        builds(&["emulator"], &["opt", "debug"])
    );
    assert_eq!(
        only("build", chosen("try: -b o -p emulator")),
        builds(&["emulator"], &["opt"])
    );
}

// test_AllPlatformsBoth (twice in the original)
#[test]
fn all_platforms_both() {
    assert_eq!(
        only("build", chosen("try: -b od -p all")),
        expect(default_build)
    );
}

// test_FullPlatformsBoth: `full` adds the platforms not tried by default.
#[test]
fn full_platforms_both() {
    let got = only("build", chosen("try: -b od -p full"));
    assert_eq!(
        got,
        expect(|j| j.kind() == "build" && j.of_types(&["opt", "debug"]))
    );
    assert!(got.contains("build-linux64-cc-opt") && got.contains("build-linux64-sh-haz-opt"));
}

// test_FullPlatformsOpt
#[test]
fn full_platforms_opt() {
    assert_eq!(
        only("build", chosen("try: -b o -p full")),
        expect(|j| j.kind() == "build" && j.of_types(&["opt"]))
    );
}

// test_FullPlatformsDebug
#[test]
fn full_platforms_debug() {
    assert_eq!(
        only("build", chosen("try: -b d -p full")),
        expect(|j| j.kind() == "build" && j.of_types(&["debug"]))
    );
}

// test_AllPlatformsOpt
#[test]
fn all_platforms_opt() {
    assert_eq!(
        only("build", chosen("try: -b o -p all")),
        expect(|j| default_build(j) && j.of_types(&["opt"]))
    );
}

// test_AllPlatformsDebug
#[test]
fn all_platforms_debug() {
    assert_eq!(
        only("build", chosen("try: -b d -p all")),
        expect(|j| default_build(j) && j.of_types(&["debug"]))
    );
}

// test_NoNondefaultTests: the OS X 10.8 testers run only when a restriction asks.
#[test]
fn no_nondefault_tests() {
    assert_eq!(
        only("test", chosen("try: -b d -p macosx64 -u all")),
        tests(&["macosx64"], &["debug"], |_| true)
    );
}

// test_NondefaultsTest: `all[]` is a restriction every name passes, nondefaults included.
#[test]
fn nondefaults_test() {
    let got = only("test", chosen("try: -b d -p macosx64 -u all[]"));
    assert_eq!(
        got,
        expect(|j| j.kind() == "test" && j.in_platforms(&["macosx64"]) && j.of_types(&["debug"]))
    );
    assert!(got.iter().any(|l| l.starts_with("test-mountainlion-")));
}

// test_AllOnTestMaster: `-a` is no option; the defaults run.
#[test]
fn all_on_test_master() {
    assert_eq!(only("test", chosen("try: -a")), expect(default_test));
}

// test_AllOnTestMasterCC: the same on try-comm-central, which the built-in definitions do not
// have; the defaults do not depend on the branch's name, as `all_on_test_master` shows.

// test_MochitestAliasesOnBuilderMaster
#[test]
fn mochitest_aliases_on_builder_master() {
    let b = builds(&["win32"], &["opt", "debug"]);
    let both = &["opt", "debug"];
    for (u, pred) in [
        (
            "mochitests",
            (|s: &str| s.starts_with("mochitest")) as fn(&str) -> bool,
        ),
        ("mochitest-bc", |s| {
            s.starts_with("mochitest-browser-chrome")
        }),
        ("mochitest-o", |s| s.contains("mochitest-o")),
    ] {
        let got = chosen(&format!("try: -b od -p win32 -u {u}"));
        let want = union(b.clone(), tests(&["win32"], both, |j| pred(&j.suite())));
        assert_eq!(only("build", got.clone()), b, "-u {u}");
        assert_eq!(only("test", got), only("test", want), "-u {u}");
    }
}

// test_MochitestAliasesOnTestMaster: `mochitests` is every suite starting with `mochitest`.
#[test]
fn mochitest_aliases_on_test_master() {
    let got = only("test", chosen("try: -b od -p all -u mochitests"));
    let want = expect(|j| default_test(j) && j.suite().starts_with("mochitest"));
    assert_eq!(got, want);
    assert!(
        got.iter().any(|l| l.contains("mochitest-e10s")),
        "e10s mochitests too"
    );
    assert!(
        got.iter().any(|l| l.contains("mochitest-oop")),
        "B2G's oop ones too"
    );
    assert_eq!(
        only("test", chosen("try: -b od -p win32 -u mochitest-bc")),
        tests(&["win32"], &["opt", "debug"], |j| j
            .suite()
            .starts_with("mochitest-browser-chrome"))
    );
    assert_eq!(
        only("test", chosen("try: -b od -p win32 -u mochitest-o")),
        tests(&["win32"], &["opt", "debug"], |j| j.suite()
            == "mochitest-other")
    );
}

// test_MochitestAliasesOnTestMasterDebugOnly
#[test]
fn mochitest_aliases_on_test_master_debug_only() {
    assert_eq!(
        only("test", chosen("try: -b d -p all -u mochitests")),
        expect(|j| default_test(j)
            && j.suite().starts_with("mochitest")
            && j.build_type() == "debug")
    );
}

// test_BuildMasterDebugWin32Tests
#[test]
fn build_master_debug_win32_tests() {
    assert_eq!(
        only("test", chosen("try: -b d -p win32 -u mochitests")),
        tests(&["win32"], &["debug"], |j| j
            .suite()
            .starts_with("mochitest"))
    );
}

// test_ReftestAliases: `reftest` and `reftests` are every reftest.
#[test]
fn reftest_aliases() {
    let want = tests(&["win32"], &["debug"], |j| j.suite().starts_with("reftest"));
    assert_eq!(only("test", chosen("try: -b d -p win32 -u reftests")), want);
    assert_eq!(only("test", chosen("try: -b d -p win32 -u reftest")), want);
}

// test_ReftestMobileAliases: Android's chunked `plain-reftest-N` too.
#[test]
fn reftest_mobile_aliases() {
    let want = tests(&["android-api-11"], &["debug"], |j| {
        j.suite().starts_with("plain-reftest-")
    });
    assert_eq!(
        only("test", chosen("try: -b d -p android-api-11 -u reftests")),
        want
    );
    assert_eq!(
        only("test", chosen("try: -b d -p android-api-11 -u reftest")),
        want
    );
}

// test_SelectTests
#[test]
fn select_tests() {
    let got = chosen("try: -b od -p win32 -u crashtest,mochitest-other");
    assert_eq!(
        only("build", got.clone()),
        builds(&["win32"], &["opt", "debug"])
    );
    assert_eq!(
        only("test", got),
        tests(&["win32"], &["opt", "debug"], |j| {
            j.suite() == "crashtest" || j.suite() == "mochitest-other"
        })
    );
}

// test_NoTests
#[test]
fn no_tests() {
    assert_eq!(
        chosen("try: -b od -p linux,win32 -u none"),
        builds(&["linux", "win32"], &["opt", "debug"])
    );
}

// test_AllTalos: the default tests, and every talos suite on the default testers.
#[test]
fn all_talos() {
    let got = chosen("try: -b od -t all");
    assert_eq!(only("test", got.clone()), expect(default_test));
    assert_eq!(
        only("talos", got),
        expect(|j| {
            j.kind() == "talos" && j.build_type() == "opt" && j.test_platform() != "mountainlion"
        })
    );
}

// test_SelecTalos
#[test]
fn select_talos() {
    assert_eq!(
        only("talos", chosen("try: -b od -p win32 -t tp5o")),
        expect(|j| j.kind() == "talos"
            && j.in_platforms(&["win32"])
            && j.suite() == "tp5o"
            && j.build_type() == "opt")
    );
}

// test_SelecTalosWithNoTalosPlatforms: the x86 emulator has no talos.
#[test]
fn select_talos_with_no_talos_platforms() {
    assert_eq!(
        only("talos", chosen("try: -b od -p win32,android-x86 -t tp5o")),
        only("talos", chosen("try: -b od -p win32 -t tp5o"))
    );
}

// test_NoTalos
#[test]
fn no_talos() {
    assert!(only("talos", chosen("try: -b od -p linux,win32 -t none")).is_empty());
}

// test_DebugWin32OnTestMaster
#[test]
fn debug_win32_on_test_master() {
    assert_eq!(
        only("test", chosen("try: -b do -p win32 -u crashtest")),
        tests(&["win32"], &["opt", "debug"], |j| j.suite() == "crashtest")
    );
}

/// The baseline of the restriction tests: `crashtest,reftest` on win32 (`reftest` is every
/// reftest suite, `reftest-no-accel` too).
fn baseline(also: impl Fn(&J) -> bool) -> BTreeSet<String> {
    tests(&["win32"], &["opt", "debug"], |j| {
        (j.suite() == "crashtest" || j.suite().starts_with("reftest")) && also(j)
    })
}

// test_RestrictionBaseline
#[test]
fn restriction_baseline() {
    assert_eq!(
        only("test", chosen("try: -b do -p win32 -u crashtest,reftest")),
        baseline(|_| true)
    );
}

// test_Include5_1
#[test]
fn include_xp() {
    assert_eq!(
        only("test", chosen("try: -b do -p win32 -u crashtest[XP]")),
        baseline(|j| j.suite() == "crashtest" && j.name().contains("XP"))
    );
}

// test_IncludeExclude
#[test]
fn include_exclude() {
    assert_eq!(
        only(
            "test",
            chosen("try: -b do -p win32 -u crashtest[-XP,debug]")
        ),
        baseline(|j| j.suite() == "crashtest"
            && !j.name().contains("XP")
            && j.name().contains("debug"))
    );
}

// test_IncludeExcludeEmpty: an exclusion wins over an inclusion, by name or by test platform.
#[test]
fn include_exclude_empty() {
    assert!(only("test", chosen("try: -b do -p win32 -u crashtest[-XP,XP]")).is_empty());
    assert!(
        only(
            "test",
            chosen("try: -b do -p win32 -u crashtest[-xp-ix,xp-ix]")
        )
        .is_empty()
    );
}

// test_IncludeDummyExclude
#[test]
fn include_dummy_exclude() {
    assert_eq!(
        only(
            "test",
            chosen("try: -b do -p win32 -u crashtest[XP,-notfound]")
        ),
        baseline(|j| j.suite() == "crashtest" && j.name().contains("XP"))
    );
}

// test_Exclude5_1, and the same exclusion by test platform name.
#[test]
fn exclude_xp() {
    let want = baseline(|j| j.suite() == "crashtest" && !j.name().contains("XP"));
    assert_eq!(
        only("test", chosen("try: -b do -p win32 -u crashtest[-XP]")),
        want
    );
    assert_eq!(
        only("test", chosen("try: -b do -p win32 -u crashtest[-xp-ix]")),
        want
    );
}

// test_MultipleInclusions: `all[...]` restricts every suite.
#[test]
fn multiple_inclusions() {
    assert_eq!(
        only("test", chosen("try: -b do -p win32 -u all[XP,crash]")),
        tests(&["win32"], &["opt", "debug"], |j| {
            j.name().contains("XP") || j.name().contains("crash")
        })
    );
}

// test_bug875252: spaces inside a restriction.
#[test]
fn bug875252() {
    assert_eq!(
        only(
            "test",
            chosen("try: -b do -p win32 -u crashtest[7,Windows XP]")
        ),
        baseline(|j| j.suite() == "crashtest"
            && (j.name().contains('7') || j.name().contains("Windows XP")))
    );
}

// test_HiddenCharactersAndOldSyntax: `-m none` (mozmill, gone) is ignored.
#[test]
fn hidden_characters_and_old_syntax() {
    let m = "attributes\ntry: -b o -p linux64 -m none -u reftest -t none";
    assert_eq!(only("build", chosen(m)), builds(&["linux64"], &["opt"]));
    assert_eq!(spec(m).ignored.len(), 2, "`-m` and `none`");
}

// test_NoBuildTypeSelected: without `-b`, both build types.
#[test]
fn no_build_type_selected() {
    let got = chosen("try: -m none -u crashtest -p win32");
    assert_eq!(
        only("build", got.clone()),
        builds(&["win32"], &["opt", "debug"])
    );
    assert_eq!(
        only("test", got),
        tests(&["win32"], &["opt", "debug"], |j| j.suite() == "crashtest")
    );
}

// test_SingleLine ... test_IgnoreTryColonNoSpace: which line is read, and how it is split.
#[test]
fn which_line_is_read() {
    let abc = ["-a", "-b", "-c"];
    for message in [
        "try: -a -b -c",                                              // test_SingleLine
        "try: -a -b -c ",                                             // test_SingleLineSpace
        "blah blah try: -a -b -c",                                    // test_CommentSingleLine
        "blah blah try: -a -b -c ",                                   // test_CommentSingleLineSpace
        "try: -a -b -c\nsome other comment\nlines\nblah",             // test_FirstLineNewLine
        "try: -a -b -c \nsome other comment\nlines\nblah",            // test_FirstLineSpaceNewLine
        "blah blah try: -a -b -c\nsome other comment\nlines\nblah", // test_CommentFirstLineNewLine
        "blah blah try: -a -b -c \nsome other comment\nlines\nblah", // test_CommentFirstLineSpaceNewLine
        "blah blah\ntry: -a -b -c\nsome other comment\nlines\nblah", // test_MiddleLineNewLine
        "blah blah\ntry: -a -b -c \nsome other comment\nlines\nblah", // test_MiddleLineSpaceNewLine
        "blah blah\nblah blah try: -a -b -c\nsome other comment\nlines\nblah", // test_CommentMiddleLineNewLine
        "blah blah\nblah blah try: -a -b -c \nsome other comment\nlines\nblah", // test_CommentMiddleLineSpaceNewLine
        "blah blah\nsome other comment\nlines\ntry: -a -b -c",                  // test_LastLine
        "blah blah\nsome other comment\nlines\ntry: -a -b -c ", // test_LastLineSpace
        "blah blah\nsome other comment\nlines\nblah blah try: -a -b -c", // test_CommentLastLine
        "blah blah\nsome other comment\nlines\nblah blah try: -a -b -c ", // test_CommentLastLineSpace
        "try: -a -b -c\ntry: -this -should -be -ignored",                 // test_DuplicateTryLines
        "Should ignore this try:\ntry: -a -b -c", // test_IgnoreTryColonNoSpace
    ] {
        assert_eq!(tokens(find(message).unwrap()), abc, "{message:?}");
    }
}

/// docs/selection.md's examples are true.
#[test]
fn the_examples_in_the_docs() {
    let doc = std::fs::read_to_string(common::repo().join("docs/selection.md")).unwrap();
    let examples: Vec<&str> = doc
        .lines()
        .skip_while(|l| *l != "```try-examples")
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect();
    assert!(examples.len() >= 10, "the examples are found");
    for line in examples {
        let (selection, jobs) = line.split_once("=>").expect("`selection => jobs`");
        let want: BTreeSet<String> = jobs.split_whitespace().map(str::to_owned).collect();
        assert_eq!(chosen(selection.trim()), want, "{line}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any commit message is read without a panic: the words hold no space outside brackets,
    /// and whatever it chooses is a job of the graph.
    #[test]
    fn any_message_is_read(message in "(try: |-b|-p|-u|-t|--reb|--setenv|[a-z0-9]|,|\\[|\\]|-| |\n|=|:){0,60}") {
        if let Some(text) = find(&message) {
            for w in tokens(text) {
                proptest::prop_assert!(!w.is_empty());
                if !w.contains('[') {
                    proptest::prop_assert!(!w.contains(char::is_whitespace), "{w:?}");
                }
            }
        }
        let t = built_in();
        let (found, _) = try_match::select(&t.graph.jobs, &spec(&message), &t.config);
        proptest::prop_assert!(found.iter().all(|&i| i < t.graph.jobs.len()));
    }
}
