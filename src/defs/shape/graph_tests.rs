//! Graph test files (`taskgraph/tests/*.yml`): tests, their scenarios and expectations.

use super::Ty::{self, *};
use super::{Table, key};

pub const TEST_FILE: Table = Table::of(&[&[key(
    "tests",
    List(&Map(&TEST)),
    "the tests: each generates graphs and checks what they hold",
)]])
.requiring(&["tests"]);

pub const TEST: Table = Table::of(&[&[
    key("name", Str, "the test's name"),
    key(
        "branches",
        Strings,
        "globs of the branches the test runs on (default: every branch)",
    ),
    key(
        "triggers",
        Strings,
        "the triggers the test runs on (default `push`)",
    ),
    key("params", MapOf(&Any), "the run's parameters"),
    key("select", Strings, "selections, as `--select` takes them"),
    key(
        "files_changed",
        Strings,
        "the files the push changed, for `files_changed` globs",
    ),
    key(
        "scenario",
        Map(&SCENARIO),
        "what happens when the graph runs, as `taskgen simulate` plays it",
    ),
    key(
        "expect",
        List(&Map(&EXPECTATION)),
        "the expectations, one kind per entry",
    ),
]])
.requiring(&["name", "expect"]);

/// A query (`kind=build`, a label glob, ...), as `--select` takes them.
const QUERY: Ty = Str;
const QUERIES: Ty = OneOf(&[Str, List(&Str)]);
/// The statuses a `status` expectation names: a job's, or `pending` (it never ran).
pub const STATUS_WORDS: &[&str] = &[
    "success",
    "warnings",
    "failure",
    "exception",
    "cancelled",
    "timed-out",
    "skipped",
    "pending",
];

pub const EXPECTATION: Table = Table::of(&[&[
    key("present", QUERIES, "jobs that exist"),
    key("absent", QUERIES, "jobs that do not exist"),
    key("depends", Map(&DEPENDS), "jobs that depend on others"),
    key(
        "not_depends",
        Map(&DEPENDS),
        "jobs that do not depend on others",
    ),
    key("count", Map(&COUNT), "how many jobs match"),
    key("active", Strings, "label globs of jobs that are active"),
    key("inactive", Strings, "label globs of jobs that are inactive"),
    key("status", Map(&STATUS), "the status the jobs end with"),
    key("runs", Map(&RUNS), "how many times the jobs run"),
    key("ends", Map(&ENDS), "when the jobs end"),
    key(
        "changes",
        QUERY,
        "the jobs whose status the scenario's outcomes change",
    ),
    key("makespan", Map(&MAKESPAN), "how long the whole graph takes"),
]])
.exactly_one();

pub const DEPENDS: Table = Table::of(&[&[
    key("jobs", QUERY, "the jobs"),
    key("on", QUERY, "what they depend on"),
    key(
        "direct",
        Bool,
        "only direct dependencies count (default: transitive ones too)",
    ),
    key(
        "same",
        Strings,
        "attributes that must be equal on both ends",
    ),
]])
.requiring(&["jobs", "on"]);

pub const COUNT: Table = Table::of(&[&[
    key("jobs", QUERY, "the jobs counted"),
    key("equals", Count, "exactly this many"),
    key("min", Count, "at least this many"),
    key("max", Count, "at most this many"),
]])
.requiring(&["jobs"]);

pub const SCENARIO: Table = Table::of(&[&[
    key(
        "outcomes",
        MapOf(&Any),
        "query to the outcome of its jobs' runs (`failure`, `failure,success`, ...)",
    ),
    key("approve", Strings, "queries of the breakpoints approved"),
    key("approve_all", Bool, "every breakpoint is approved"),
    key(
        "durations",
        MapOf(&Duration),
        "query to how long its jobs run",
    ),
    key(
        "as",
        Word(&["taskgen", "taskcluster"]),
        "whose rules play the graph (default `taskgen`)",
    ),
]]);

pub const STATUS: Table = Table::of(&[&[
    key("jobs", QUERY, "the jobs"),
    key(
        "is",
        OneOf(&[Word(STATUS_WORDS), List(&Word(STATUS_WORDS))]),
        "the status, or statuses, they may end with",
    ),
]])
.requiring(&["jobs", "is"]);

pub const RUNS: Table = Table::of(&[&[
    key("jobs", QUERY, "the jobs"),
    key("equals", Count, "exactly this many runs"),
    key("min", Count, "at least this many runs"),
    key("max", Count, "at most this many runs"),
]])
.requiring(&["jobs"]);

pub const ENDS: Table = Table::of(&[&[
    key("jobs", QUERY, "the jobs"),
    key(
        "min",
        Duration,
        "no earlier than this after the graph starts",
    ),
    key("max", Duration, "no later than this after the graph starts"),
]])
.requiring(&["jobs"]);

pub const MAKESPAN: Table = Table::of(&[&[
    key("min", Duration, "at least this long"),
    key("max", Duration, "at most this long"),
]]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defs::values::Status;

    #[test]
    fn status_words_are_the_statuses_and_pending() {
        let mut words: Vec<&str> = Status::NAMES.to_vec();
        words.push("pending");
        assert_eq!(STATUS_WORDS, words);
    }
}
