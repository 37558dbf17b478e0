//! Every stable code taskgen reports. Codes never change meaning once released.
//! TG0xx input, TG1xx schema, TG2xx templates, TG3xx graph structure, TG4xx job semantics,
//! TG5xx limits of the target system, TG6xx unused definitions, TG7xx the trust policy, TG8xx
//! graph tests (`taskgen test`).

use super::Code;

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal;)*) => {
        $(pub const $konst: Code = Code { id: $id, name: $name };)*
        /// All codes, sorted by id.
        pub const ALL_CODES: &[Code] = &[$($konst),*];
    };
}

codes! {
    UNREADABLE_FILE = "TG001" "unreadable-file";
    YAML_SYNTAX = "TG002" "yaml-syntax";
    DUPLICATE_KEY = "TG003" "duplicate-key";
    YAML_LIMIT = "TG004" "yaml-limit";
    NO_DEFINITIONS = "TG005" "no-definitions";
    UNKNOWN_KEY = "TG101" "unknown-key";
    WRONG_TYPE = "TG102" "wrong-type";
    MISSING_KEY = "TG103" "missing-key";
    FORMAT_VERSION = "TG104" "unsupported-format-version";
    INVALID_VALUE = "TG105" "invalid-value";
    DUPLICATE_DEFINITION = "TG106" "duplicate-definition";
    UNKNOWN_STATUS = "TG107" "unknown-status";
    INVALID_SUPPRESSION = "TG108" "invalid-suppression";
    TEMPLATE_SYNTAX = "TG201" "template-syntax";
    UNDEFINED_VARIABLE = "TG202" "undefined-variable";
    TEMPLATE_ERROR = "TG203" "template-error";
    BY_TABLE_NO_MATCH = "TG204" "by-table-no-match";
    UNKNOWN_PARAM = "TG205" "unknown-param";
    MISSING_PARAM = "TG206" "missing-param";
    UNDECLARED_PARAMETER = "TG207" "undeclared-parameter";
    DEPENDENCY_CYCLE = "TG301" "dependency-cycle";
    MISSING_DEPENDENCY = "TG302" "missing-dependency";
    DUPLICATE_LABEL = "TG303" "duplicate-label";
    INCLUDE_CYCLE = "TG304" "include-cycle";
    UNKNOWN_JOB = "TG305" "unknown-job";
    UNKNOWN_GRAPH = "TG306" "unknown-graph";
    UNKNOWN_TRIGGER = "TG307" "unknown-trigger";
    CHUNK_BOUNDS = "TG308" "chunk-bounds";
    INCLUDE_DEPTH = "TG309" "include-depth";
    EXPANSION_LIMIT = "TG310" "expansion-limit";
    CONDITION_NEVER_FIRES = "TG401" "condition-never-fires";
    WAITS_ON_INACTIVE = "TG402" "waits-on-inactive";
    UNPRODUCED_ARTIFACT = "TG403" "unproduced-artifact";
    BREAKPOINT_WITHOUT_ACL = "TG404" "breakpoint-without-acl";
    BREAKPOINT_WITHOUT_TIMEOUT = "TG405" "breakpoint-without-timeout";
    TIMER_WITHOUT_TIME = "TG406" "timer-without-time";
    PRIORITY_ABOVE_MAXIMUM = "TG407" "priority-above-maximum";
    INVALID_WORKER_POOL = "TG408" "invalid-worker-pool";
    UNFIT_FOR_WORKER = "TG409" "unfit-for-worker";
    UNKNOWN_TASK_REFERENCE = "TG410" "unknown-task-reference";
    EXPECTED_OVER_MAX_RUNTIME = "TG411" "expected-over-max-runtime";
    TOO_MANY_DEPENDENCIES = "TG501" "too-many-dependencies";
    TOO_MANY_RETRIES = "TG502" "too-many-retries";
    REQUEST_TIMEOUT_TOO_LONG = "TG503" "request-timeout-too-long";
    TOO_MANY_ROUTES = "TG504" "too-many-routes";
    TASKCLUSTER_CANNOT_EXPRESS = "TG505" "taskcluster-cannot-express";
    UNUSED_JOB_TEMPLATE = "TG601" "unused-job-template";
    UNUSED_GRAPH = "TG602" "unused-graph";
    UNUSED_BRANCH_KEY = "TG603" "unused-branch-key";
    UNUSED_SUPPRESSION = "TG604" "unused-suppression";
    BRANCH_ABOVE_POLICY = "TG701" "branch-above-policy";
    RESTRICTED_JOB = "TG702" "restricted-job";
    UNTRUSTED_UPSTREAM = "TG703" "untrusted-upstream";
    CUSTOMIZATION_NOT_ALLOWED = "TG704" "customization-not-allowed";
    BREAKPOINT_ACL_NOT_ALLOWED = "TG705" "breakpoint-acl-not-allowed";
    SCOPE_NOT_ALLOWED = "TG706" "scope-not-allowed";
    ROUTE_NOT_ALLOWED = "TG707" "route-not-allowed";
    SETTING_NOT_ALLOWED = "TG708" "setting-not-allowed";
    MISSING_EXPECTED_JOB = "TG801" "missing-expected-job";
    UNEXPECTED_JOB = "TG802" "unexpected-job";
    MISSING_EXPECTED_DEPENDENCY = "TG803" "missing-expected-dependency";
    UNEXPECTED_DEPENDENCY = "TG804" "unexpected-dependency";
    COUNT_MISMATCH = "TG805" "count-mismatch";
    GRAPH_ACTIVITY_MISMATCH = "TG806" "graph-activity-mismatch";
    TEST_CHECKS_NOTHING = "TG807" "test-checks-nothing";
    SCENARIO_MISMATCH = "TG808" "scenario-mismatch";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_and_unique() {
        for pair in ALL_CODES.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        let mut names: Vec<_> = ALL_CODES.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL_CODES.len(), "rule names must be unique");
    }
}
