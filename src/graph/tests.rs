use crate::fixture::{edges, generate_bundle};

fn graph(nodes: &str) -> Result<Vec<(String, Vec<String>)>, Vec<String>> {
    let text = format!(
        "# file: taskgraph/config.yml\nformat_version: 1\n# file: branches/generic.yml\ntriggers: {{push: g}}\n# file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n{nodes}"
    );
    generate_bundle(&text, "generic", "push").map(|g| edges(&g))
}

fn deps<'a>(e: &'a [(String, Vec<String>)], label: &str) -> &'a [String] {
    &e.iter().find(|(l, _)| l == label).unwrap().1
}

#[test]
fn roots_wait_for_start_and_end_waits_for_leaves() {
    let e = graph("  - {name: a, type: dummy}\n  - {name: b, type: dummy, needs: a}\n  - {name: c, type: dummy}\n").unwrap();
    assert_eq!(deps(&e, "a"), ["g:start"]);
    assert_eq!(deps(&e, "b"), ["a"]);
    assert_eq!(deps(&e, "g:end"), ["b", "c"]);
}

#[test]
fn order_is_topological_with_ties_by_label() {
    let e = graph("  - {name: z, type: dummy}\n  - {name: y, type: dummy, needs: z}\n  - {name: a, type: dummy}\n").unwrap();
    let order: Vec<&str> = e.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(order, ["g:start", "a", "z", "y", "g:end"]);
}

#[test]
fn globs_match_within_the_graph_and_never_the_job_itself() {
    let e = graph("  - {name: t-1, type: dummy}\n  - {name: t-2, type: dummy}\n  - {name: t-all, type: dummy, needs: {\"t-*\": finished}}\n").unwrap();
    assert_eq!(deps(&e, "t-all"), ["t-1", "t-2"]);
}

#[test]
fn globs_of_every_shape_find_their_matches() {
    // Labels around the prefix `t-` sort before and after it; globs with no literal prefix,
    // alternations and classes scan what they must.
    let e = graph(concat!(
        "  - {name: s, type: dummy}\n  - {name: t-1, type: dummy}\n  - {name: t-2x, type: dummy}\n",
        "  - {name: u-1, type: dummy}\n",
        "  - {name: all, type: dummy, needs: {\"*-1\": success}}\n",
        "  - {name: alt, type: dummy, needs: {\"{s,u-*}\": success}}\n",
        "  - {name: class, type: dummy, needs: {\"t-[2]*\": success}}\n",
        "  - {name: exact-glob, type: dummy, needs: {\"t-1?\": success, \"t-2?\": success}}\n",
    ))
    .unwrap();
    assert_eq!(deps(&e, "all"), ["t-1", "u-1"]);
    assert_eq!(deps(&e, "alt"), ["s", "u-1"]);
    assert_eq!(deps(&e, "class"), ["t-2x"]);
    assert_eq!(deps(&e, "exact-glob"), ["t-2x"]);
}

#[test]
fn literal_prefixes_stop_at_the_first_special_character() {
    use super::literal_prefix;
    assert_eq!(literal_prefix("build-linux-*"), "build-linux-");
    assert_eq!(literal_prefix("{a,b}"), "");
    assert_eq!(literal_prefix("t-[0-9]"), "t-");
    assert_eq!(literal_prefix("a\\*b"), "a");
    assert_eq!(literal_prefix("plain"), "plain");
}

#[test]
fn every_cycle_is_reported_from_its_smallest_label() {
    let err = graph(
        "  - {name: c, type: dummy, needs: b}\n  - {name: b, type: dummy, needs: c}\n  - {name: y, type: dummy, needs: x}\n  - {name: x, type: dummy, needs: y}\n",
    )
    .unwrap_err();
    assert_eq!(
        err,
        [
            "TG301: dependency cycle: b → c → b",
            "TG301: dependency cycle: x → y → x"
        ]
    );
}

#[test]
fn self_dependency_is_a_cycle() {
    let err = graph("  - {name: a, type: dummy, needs: a}\n").unwrap_err();
    assert_eq!(err, ["TG301: dependency cycle: a → a"]);
}

#[test]
fn missing_dependencies_name_the_nearest_labels() {
    let err = graph(
        "  - {name: build-linux, type: dummy}\n  - {name: t, type: dummy, needs: build-linx}\n",
    )
    .unwrap_err();
    assert_eq!(err, ["TG302: `t` needs `build-linx`, which is not defined"]);
}

#[test]
fn conditions_on_the_same_upstream_merge() {
    let text = "# file: taskgraph/config.yml\nformat_version: 1\n# file: branches/generic.yml\ntriggers: {push: g}\n# file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n  - {name: a-1, type: dummy}\n  - {name: b, type: dummy, needs: {a-1: failure, \"a-*\": success}}\n";
    let g = generate_bundle(text, "generic", "push").unwrap();
    let b = g.graph.jobs.iter().find(|j| j.label == "b").unwrap();
    assert_eq!(b.dependencies.len(), 1);
    assert_eq!(
        serde_json::to_value(b.dependencies[0].on).unwrap(),
        serde_json::json!(["success", "failure"])
    );
}
