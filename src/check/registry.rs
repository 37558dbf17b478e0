//! The registry: every rule, sorted by code.

use super::Rule;
use super::rules;

/// Every rule, sorted by code.
pub static RULES: &[&Rule] = &[
    &rules::unreadable_file::RULE,
    &rules::yaml_syntax::RULE,
    &rules::duplicate_key::RULE,
    &rules::yaml_limit::RULE,
    &rules::no_definitions::RULE,
    &rules::unknown_key::RULE,
    &rules::wrong_type::RULE,
    &rules::missing_key::RULE,
    &rules::unsupported_format_version::RULE,
    &rules::invalid_value::RULE,
    &rules::duplicate_definition::RULE,
    &rules::unknown_status::RULE,
    &rules::invalid_suppression::RULE,
    &rules::template_syntax::RULE,
    &rules::undefined_variable::RULE,
    &rules::template_error::RULE,
    &rules::by_table_no_match::RULE,
    &rules::unknown_param::RULE,
    &rules::missing_param::RULE,
    &rules::undeclared_parameter::RULE,
    &rules::dependency_cycle::RULE,
    &rules::missing_dependency::RULE,
    &rules::duplicate_label::RULE,
    &rules::include_cycle::RULE,
    &rules::unknown_job::RULE,
    &rules::unknown_graph::RULE,
    &rules::unknown_trigger::RULE,
    &rules::chunk_bounds::RULE,
    &rules::include_depth::RULE,
    &rules::expansion_limit::RULE,
    &rules::condition_never_fires::RULE,
    &rules::waits_on_inactive::RULE,
    &rules::unproduced_artifact::RULE,
    &rules::breakpoint_without_acl::RULE,
    &rules::breakpoint_without_timeout::RULE,
    &rules::timer_without_time::RULE,
    &rules::priority_above_maximum::RULE,
    &rules::invalid_worker_pool::RULE,
    &rules::unfit_for_worker::RULE,
    &rules::unknown_task_reference::RULE,
    &rules::expected_over_max_runtime::RULE,
    &rules::too_many_dependencies::RULE,
    &rules::too_many_retries::RULE,
    &rules::request_timeout_too_long::RULE,
    &rules::too_many_routes::RULE,
    &rules::taskcluster_cannot_express::RULE,
    &rules::unused_job_template::RULE,
    &rules::unused_graph::RULE,
    &rules::unused_branch_key::RULE,
    &rules::unused_suppression::RULE,
    &rules::branch_above_policy::RULE,
    &rules::restricted_job::RULE,
    &rules::untrusted_upstream::RULE,
    &rules::customization_not_allowed::RULE,
    &rules::breakpoint_acl_not_allowed::RULE,
    &rules::scope_not_allowed::RULE,
    &rules::route_not_allowed::RULE,
    &rules::setting_not_allowed::RULE,
    &rules::missing_expected_job::RULE,
    &rules::unexpected_job::RULE,
    &rules::missing_expected_dependency::RULE,
    &rules::unexpected_dependency::RULE,
    &rules::count_mismatch::RULE,
    &rules::graph_activity_mismatch::RULE,
    &rules::test_checks_nothing::RULE,
    &rules::scenario_mismatch::RULE,
];

/// A rule by code (`TG301`) or name (`dependency-cycle`), case-insensitively.
pub fn find(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.id.eq_ignore_ascii_case(key) || r.code.name.eq_ignore_ascii_case(key))
}
