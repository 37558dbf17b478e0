//! Job files (`taskgraph/jobs/*.yml`): job templates and the job fields.

use super::Ty::{self, *};
use super::{Key, Table, key};
use crate::defs::ParamType;
use crate::defs::values::{JobType, NOTIFY_CHANNELS, ON_REQUEST_TIMEOUT, PRIORITY_WORDS, Status};

/// Keys that describe a job and may be set by a template, a graph node or the defaults.
/// Their values are rendered per job, so any of them may be a template or a `by-*` table.
pub const JOB_FIELDS: &[Key] = &[
    key(
        "acl",
        Rendered(&Strings),
        "breakpoints only: the roles that may resume it",
    ),
    key(
        "artifacts",
        Rendered(&Map(&ARTIFACTS)),
        "named artifacts: what the job makes (`produces`), and what it takes from upstream jobs (`consumes`, `kind.name`)",
    ),
    key(
        "at",
        Rendered(&Str),
        "timers only: an absolute time (RFC 3339)",
    ),
    key(
        "attributes",
        Rendered(&MapOf(&Any)),
        "free-form attributes, kept in the output for selection",
    ),
    key(
        "chunks",
        Rendered(&OneOf(&[Count, Map(&CHUNKS)])),
        "how many chunks the node expands to: a number, or `{min, max, count}`",
    ),
    key(
        "command",
        Rendered(&Strings),
        "the command a task runs (tasks only)",
    ),
    key(
        "delay",
        Rendered(&Duration),
        "timers only: how long after its upstreams finished",
    ),
    key("description", Rendered(&Str), "a human description"),
    key(
        "env",
        Rendered(&MapOf(&Str)),
        "environment variables (tasks only)",
    ),
    key(
        "expected_duration",
        Rendered(&Duration),
        "how long a run usually takes, for `taskgen simulate`",
    ),
    key(
        "idle_timeout",
        Rendered(&Duration),
        "a run with no output for this long is interrupted",
    ),
    key("locked", Rendered(&Bool), "the job may not be customized"),
    key(
        "max_runtime",
        Rendered(&Duration),
        "the longest a run may take (default `1h`)",
    ),
    key(
        "notify",
        Rendered(&Map(&NOTIFY)),
        "notifications only: `{channel, target, on, message}`",
    ),
    key(
        "on_request_timeout",
        Rendered(&Word(ON_REQUEST_TIMEOUT)),
        "the status an expired job resolves to (default `skip-failure`)",
    ),
    key(
        "payload",
        Rendered(&Any),
        "extra worker payload (tasks only)",
    ),
    key(
        "priority",
        Rendered(&Word(PRIORITY_WORDS)),
        "the task's priority (default `lowest`)",
    ),
    key(
        "request_timeout",
        Rendered(&Duration),
        "a job not started by then expires (default `1d`)",
    ),
    key(
        "result",
        Rendered(&Word(Status::NAMES)),
        "dummies only: a fixed result, for tests",
    ),
    key(
        "retries",
        Rendered(&Count),
        "automatic retries (default `5`)",
    ),
    key(
        "routes",
        Rendered(&Strings),
        "routes (index, notifications)",
    ),
    key("scopes", Rendered(&Strings), "scopes the job needs"),
    key(
        "treeherder",
        Rendered(&Map(&TREEHERDER)),
        "how the task shows on Treeherder (tasks only): `{symbol, group, collection, platform, tier}`",
    ),
    key(
        "worker",
        Rendered(&MapOf(&Any)),
        "where a task runs, e.g. `{pool: b-linux, tags: [gpu]}`, with `image` for a docker-worker pool (tasks only)",
    ),
];

const ARTIFACTS: Table = Table::of(&[&[
    key(
        "produces",
        OneOf(&[MapOf(&Str), List(&Str)]),
        "artifact name to path (a list of names puts each under `public/`)",
    ),
    key(
        "consumes",
        Strings,
        "artifacts of upstream jobs, as `kind.name`",
    ),
]]);

const CHUNKS: Table = Table::of(&[&[
    key("min", Count, "the fewest chunks"),
    key("max", Count, "the most chunks"),
    key("count", Count, "how many chunks (default `min`)"),
]])
.requiring(&["min", "max"]);

pub const NOTIFY: Table = Table::of(&[&[
    key(
        "channel",
        Word(NOTIFY_CHANNELS),
        "where the message goes (default `email`)",
    ),
    key("target", Str, "an address, channel or bug number"),
    key(
        "on",
        Strings,
        "the statuses of the upstreams that send it (default `finished`)",
    ),
    key("message", Str, "what it says"),
]]);

pub const TREEHERDER: Table = Table::of(&[&[
    key("symbol", Str, "1 to 25 characters"),
    key("group", Str, "the symbol's group"),
    key("collection", Str, "`opt`, `debug`, `pgo`, ..."),
    key("platform", Str, "Treeherder's platform"),
    key("tier", Level, "1, 2 or 3"),
]])
.requiring(&["symbol"]);

/// A declared parameter: `name: TYPE` or `name: {type, default, description}`.
pub const PARAM_DECL: Ty = OneOf(&[Word(ParamType::NAMES), Map(&PARAM)]);

pub const PARAM: Table = Table::of(&[&[
    key("type", Word(ParamType::NAMES), "the parameter's type"),
    key("default", Any, "the value when none is given"),
    key("description", Str, "what the parameter means"),
]])
.requiring(&["type"]);

/// A job template's own keys; the job fields follow.
const TEMPLATE_KEYS: &[Key] = &[
    key(
        "kind",
        Str,
        "what the job is (`build`, `test`, `talos`, ...); required for `task` jobs, defaults to the type otherwise",
    ),
    key(
        "type",
        Word(JobType::NAMES),
        "`task` (the default), `breakpoint`, `timer`, `notification` or `dummy`",
    ),
    key(
        "params",
        MapOf(&PARAM_DECL),
        "the parameters the template needs: `name: TYPE` or `name: {type: TYPE, default: VALUE}`",
    ),
];

/// A job template: its own keys and the job fields.
pub const TEMPLATE: Table =
    Table::of(&[TEMPLATE_KEYS, JOB_FIELDS]).requiring_when("kind", "type", "task");

/// A job file: `jobs:` maps template names to templates.
pub const JOB_FILE: Table = Table::of(&[&[key(
    "jobs",
    MapOf(&Map(&TEMPLATE)),
    "job templates by name; names are global across files",
)]]);
