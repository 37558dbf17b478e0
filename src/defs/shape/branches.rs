//! Branch files (`branches/generic.yml`, `branches/<branch>.yml`): the keys taskgen reads; all
//! others are free for templates.

use super::Ty::*;
use super::{Table, key};
use crate::defs::values::PRIORITIES;

pub const BRANCH_FILE: Table = Table::of(&[&[
    key(
        "name",
        Forbidden,
        "set by taskgen: always the branch's name; a branch file cannot set it",
    ),
    key(
        "triggers",
        Map(&TRIGGERS),
        "the root graph of each trigger the branch starts graphs on",
    ),
    key(
        "max_priority",
        Word(PRIORITIES),
        "the highest priority a job of the branch may have",
    ),
    key(
        "trust_level",
        Level,
        "how much the branch asks to be trusted (default 1); capped by the trust policy",
    ),
    key(
        "customizable",
        Bool,
        "whether `--set` may customize its jobs; the policy must grant it too",
    ),
    key("repo_path", Str, "reserved for the Taskcluster output"),
]])
.open();

const ROOT: super::Ty = OneOf(&[Str, Map(&TRIGGER), Null]);
const ROOT_DOC: &str = "the root graph's name, or `{graph, cron}`; `~` switches the trigger off";

pub const TRIGGERS: Table = Table::of(&[&[
    key("push", ROOT, ROOT_DOC),
    key("nightly", ROOT, ROOT_DOC),
    key("periodic", ROOT, ROOT_DOC),
    key("manual", ROOT, ROOT_DOC),
]]);

pub const TRIGGER: Table = Table::of(&[&[
    key("graph", Str, "the root graph"),
    key(
        "cron",
        Str,
        "when the trigger fires, for `periodic` and `nightly`",
    ),
]])
.requiring(&["graph"]);
