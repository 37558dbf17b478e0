//! `taskgraph/config.yml`: tree-wide settings.

use super::Ty::*;
use super::jobs::{JOB_FIELDS, PARAM_DECL};
use super::policy::POLICY;
use super::{Table, key};
use crate::defs::SUPPORTED_FORMAT_VERSIONS;

pub const CONFIG: Table = Table::of(&[&[
    key(
        "format_version",
        Number(SUPPORTED_FORMAT_VERSIONS),
        "the version of this format",
    ),
    key(
        "defaults",
        Map(&DEFAULTS),
        "job fields every job starts from: the lowest layer of every job's fields",
    ),
    key(
        "worker_pools",
        MapOf(&Map(&POOL)),
        "the pools jobs name in `worker.pool`, by name",
    ),
    key(
        "taskcluster",
        Map(&TASKCLUSTER),
        "settings of the Taskcluster output, each a template that sees `branch`",
    ),
    key("try", Map(&TRY), "the try chooser's settings"),
    key(
        "policy",
        OneOf(&[Map(&POLICY), Null]),
        "the in-tree trust policy; `--policy FILE` replaces it",
    ),
    key(
        "project_branches",
        Strings,
        "branches with no file of their own, generated from `branches/generic.yml` alone",
    ),
    key(
        "parameters",
        MapOf(&PARAM_DECL),
        "the run's parameters: `name: TYPE` or `name: {type, default, description}`",
    ),
    key(
        "lint",
        Map(&LINT),
        "what `taskgen lint` reports: warnings ignored or made errors (`generate` does not read it)",
    ),
]])
.requiring(&["format_version"]);

/// `lint:`, read by `taskgen lint` alone. Rules are named by code (`TG603`) or name.
pub const LINT: Table = Table::of(&[&[
    key(
        "ignore",
        Strings,
        "warning rules whose findings lint drops everywhere",
    ),
    key(
        "per_path_ignores",
        MapOf(&Strings),
        "warning rules whose findings lint drops in the files a glob matches, by glob (`branches/try.yml`, `taskgraph/jobs/*.yml`)",
    ),
    key(
        "severity",
        MapOf(&Word(SEVERITIES)),
        "a warning rule's severity, by rule: `error` makes lint fail on its findings",
    ),
]]);

/// The severities `lint.severity` may give.
pub const SEVERITIES: &[&str] = &["error", "warning"];

pub const DEFAULTS: Table = Table::of(&[JOB_FIELDS]);

/// What runs a pool's tasks.
pub const IMPLEMENTATIONS: &[&str] = &[
    "docker-worker",
    "generic-worker",
    "scriptworker",
    "built-in",
];

/// The scriptworker scripts taskgen writes payloads for.
pub const SCRIPTS: &[&str] = &["signingscript", "balrogscript", "beetmoverscript"];

pub const POOL: Table = Table::of(&[&[
    key(
        "provisioner",
        Str,
        "the provisioner of the pool's task queue",
    ),
    key(
        "worker_type",
        Str,
        "the worker type of the pool's task queue",
    ),
    key("os", Str, "`windows` for generic-worker's Windows flavour"),
    key("description", Str, "what the pool is"),
    key(
        "implementation",
        Word(IMPLEMENTATIONS),
        "what runs the pool's tasks, and so the shape of their payload",
    ),
    key(
        "image",
        Str,
        "docker-worker: the image a job runs in unless its `worker.image` says otherwise",
    ),
    key("script", Word(SCRIPTS), "scriptworker: the script"),
]])
.requiring(&["provisioner", "worker_type", "implementation"]);

pub const TASKCLUSTER: Table = Table::of(&[&[
    key(
        "scheduler_id",
        Rendered(&Str),
        "every task's `schedulerId` (default `taskgen`)",
    ),
    key(
        "project_id",
        Rendered(&Str),
        "every task's `projectId` (default `none`)",
    ),
    key(
        "owner",
        Rendered(&Str),
        "`metadata.owner`, an email address",
    ),
    key(
        "source_base",
        Rendered(&Str),
        "prefix of `metadata.source`, an http(s) URL",
    ),
    key(
        "expires_after",
        Rendered(&Duration),
        "how long after its deadline a task expires (default `28d`, at least 5 days)",
    ),
    key(
        "queues",
        Map(&QUEUES),
        "task queues (`provisioner/worker-type`) for the jobs that run on no worker",
    ),
    key("root_url", Rendered(&Str), "the deployment's root URL"),
]]);

pub const QUEUES: Table = Table::of(&[&[
    key(
        "dummy",
        Rendered(&Str),
        "dummies (default `built-in/succeed`)",
    ),
    key(
        "fail",
        Rendered(&Str),
        "dummies with a failing `result` (default `built-in/fail`)",
    ),
    key("breakpoint", Rendered(&Str), "breakpoints"),
    key("timer", Rendered(&Str), "timers"),
    key("notification", Rendered(&Str), "notifications"),
]]);

pub const TRY: Table = Table::of(&[&[
    key(
        "aliases",
        MapOf(&OneOf(&[Str, List(&Str)])),
        "extra try-syntax names: a rename, a list, or a `/regex/` matched against every name",
    ),
    key(
        "not_by_default",
        Map(&NOT_BY_DEFAULT),
        "what `-p all` leaves out",
    ),
]]);

pub const NOT_BY_DEFAULT: Table = Table::of(&[&[
    key("platforms", Strings, "build platforms (globs)"),
    key(
        "test_platforms",
        Strings,
        "test platforms whose suites run only when a restriction names them (globs)",
    ),
]]);
