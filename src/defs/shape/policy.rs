//! The trust policy: `policy:` of `taskgraph/config.yml`, or a `--policy FILE`.

use super::Ty::*;
use super::{Table, key};
use crate::defs::values::PRIORITIES;

pub const POLICY: Table = Table::of(&[&[
    key(
        "branches",
        MapOf(&Map(&BRANCH_GRANT)),
        "caps per branch glob; for each setting, the first glob that matches the branch and sets it decides",
    ),
    key(
        "trust_levels",
        Keyed(&["1", "2", "3"], &Map(&LEVEL)),
        "what each trust level's tasks may use (globs); a level this section does not list may use none",
    ),
    key(
        "restricted",
        MapOf(&Map(&RESTRICTION)),
        "named restrictions: pools, workers or kinds only some branches and levels may use",
    ),
    key(
        "locked",
        Strings,
        "queries of the jobs no run may customize",
    ),
    key(
        "breakpoint_acl",
        Strings,
        "globs of the roles a breakpoint's `acl` may name",
    ),
]]);

pub const BRANCH_GRANT: Table = Table::of(&[&[
    key(
        "trust_level",
        Level,
        "the highest trust level the branches get",
    ),
    key(
        "max_priority",
        Word(PRIORITIES),
        "the highest priority their jobs may have",
    ),
    key(
        "customizable",
        Bool,
        "whether their jobs may be customized with `--set`",
    ),
]]);

pub const LEVEL: Table = Table::of(&[&[
    key("scopes", Strings, "globs of the scopes tasks may hold"),
    key("routes", Strings, "globs of the routes tasks may have"),
    key(
        "scheduler_ids",
        Strings,
        "globs of the scheduler IDs allowed",
    ),
    key("project_ids", Strings, "globs of the project IDs allowed"),
]]);

pub const RESTRICTION: Table = Table::of(&[&[
    key("description", Str, "why the restriction exists"),
    key("pools", Strings, "globs of the worker pools restricted"),
    key("workers", Strings, "globs of the task queues restricted"),
    key("kinds", Strings, "globs of the job kinds restricted"),
    key("branches", Strings, "globs of the branches allowed"),
    key(
        "trust_levels",
        OneOf(&[Level, List(&Level)]),
        "the trust levels allowed",
    ),
    key(
        "chain_of_trust",
        Strings,
        "globs of the kinds that may be upstream of a restricted job",
    ),
]]);
