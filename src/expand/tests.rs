use crate::fixture::generate_bundle;

const HEAD: &str = "# file: taskgraph/config.yml\nformat_version: 1\n# file: branches/generic.yml\nplatforms: [a, b]\ntriggers: {push: g}\n";

fn labels(graph: &str) -> Result<Vec<String>, Vec<String>> {
    let text = format!("{HEAD}# file: taskgraph/graphs/g.yml\n{graph}");
    generate_bundle(&text, "generic", "push").map(|g| {
        g.graph
            .jobs
            .iter()
            .map(|j| j.label.clone())
            .filter(|l| !l.contains(':'))
            .collect()
    })
}

#[test]
fn matrix_keys_nest_and_later_keys_see_earlier_ones() {
    let got = labels("graph: g\nnodes:\n  - name: \"{{ p }}-{{ n }}\"\n    type: dummy\n    for: {p: \"{{ branch.platforms }}\", n: \"{{ range(2 if p == 'a' else 1) }}\"}\n").unwrap();
    assert_eq!(got, ["a-0", "a-1", "b-0"]);
}

#[test]
fn explicit_combinations() {
    let got = labels("graph: g\nnodes:\n  - name: \"{{ x }}{{ y }}\"\n    type: dummy\n    for: \"{{ [{'x': 1, 'y': 2}, {'x': 3, 'y': 4}] }}\"\n").unwrap();
    assert_eq!(got, ["12", "34"]);
}

#[test]
fn when_drops_combinations() {
    let got = labels("graph: g\nnodes:\n  - name: \"n-{{ p }}\"\n    type: dummy\n    for: {p: \"{{ branch.platforms }}\"}\n    when: \"{{ p != 'a' }}\"\n").unwrap();
    assert_eq!(got, ["n-b"]);
}

#[test]
fn chunk_suffix_is_added_only_when_the_name_has_no_chunk() {
    let got = labels("graph: g\nnodes:\n  - name: x\n    type: dummy\n    chunks: 2\n  - name: \"y{{ chunk }}of{{ total_chunks }}\"\n    type: dummy\n    chunks: 2\n  - name: z\n    type: dummy\n    chunks: 1\n").unwrap();
    assert_eq!(got, ["x-1", "x-2", "y1of2", "y2of2", "z"]);
}

#[test]
fn dynamic_chunks_take_their_count_within_bounds() {
    let got =
        labels("graph: g\nnodes:\n  - name: x\n    type: dummy\n    chunks: {min: 2, max: 4}\n")
            .unwrap();
    assert_eq!(got, ["x-1", "x-2"]);
    let err = labels(
        "graph: g\nnodes:\n  - name: x\n    type: dummy\n    chunks: {min: 2, max: 4, count: 9}\n",
    )
    .unwrap_err();
    assert!(err[0].starts_with("TG308"), "{err:?}");
    let err =
        labels("graph: g\nnodes:\n  - name: x\n    type: dummy\n    chunks: 0\n").unwrap_err();
    assert!(err[0].starts_with("TG308"), "{err:?}");
}

#[test]
fn includes_pass_parameters_and_the_same_graph_can_be_included_twice() {
    let text = format!(
        "{HEAD}# file: taskgraph/graphs/g.yml\ngraph: g\ninclude:\n  - {{graph: s, as: one, params: {{n: 1}}}}\n  - {{graph: s, as: two, params: {{n: 2}}}}\n\
         # file: taskgraph/graphs/s.yml\ngraph: s\nparams: {{n: integer}}\nnodes:\n  - name: \"s{{{{ n }}}}\"\n    type: dummy\n"
    );
    let g = generate_bundle(&text, "generic", "push").unwrap();
    let paths: Vec<&str> = g.graph.graphs.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["g", "g/one", "g/two"]);
    assert!(
        g.graph
            .jobs
            .iter()
            .any(|j| j.label == "s1" && j.graph == "g/one")
    );
    assert!(
        g.graph
            .jobs
            .iter()
            .any(|j| j.label == "s2" && j.graph == "g/two")
    );
}

#[test]
fn graph_parameters_are_type_checked() {
    let text = format!(
        "{HEAD}# file: taskgraph/graphs/g.yml\ngraph: g\ninclude:\n  - {{graph: s, params: {{n: many}}}}\n\
         # file: taskgraph/graphs/s.yml\ngraph: s\nparams: {{n: integer}}\n"
    );
    let err = generate_bundle(&text, "generic", "push").unwrap_err();
    assert_eq!(
        err,
        ["TG102: parameter `n` of graph `s` must be an integer, but it is `many`"]
    );
}

#[test]
fn when_removes_and_active_keeps_inactive() {
    let text = format!(
        "{HEAD}# file: taskgraph/graphs/g.yml\ngraph: g\ninclude:\n  - {{graph: s, as: gone, when: \"{{{{ false }}}}\"}}\n  - {{graph: s, as: off, active: false}}\n\
         # file: taskgraph/graphs/s.yml\ngraph: s\nnodes:\n  - name: \"in-s\"\n    type: dummy\n"
    );
    let g = generate_bundle(&text, "generic", "push").unwrap();
    assert!(!g.graph.graphs.iter().any(|p| p.path == "g/gone"));
    let job = g.graph.jobs.iter().find(|j| j.label == "in-s").unwrap();
    assert!(!job.active);
    assert_eq!(job.graph, "g/off");
}

#[test]
fn job_templates_see_only_their_declared_parameters() {
    let text = format!(
        "{HEAD}# file: taskgraph/jobs/j.yml\njobs:\n  t:\n    kind: k\n    params: {{p: string}}\n    description: \"{{{{ p }}}} {{{{ secret }}}}\"\n\
         # file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n  - name: \"x-{{{{ p }}}}\"\n    job: t\n    for: {{p: [a], secret: [s]}}\n"
    );
    let err = generate_bundle(&text, "generic", "push").unwrap_err();
    assert!(
        err[0].starts_with("TG202") && err[0].contains("secret"),
        "{err:?}"
    );
}

#[test]
fn node_fields_override_the_template_and_the_template_overrides_defaults() {
    let text = "# file: taskgraph/config.yml\nformat_version: 1\ndefaults: {retries: 1, priority: low, max_runtime: 1h}\n\
                # file: branches/generic.yml\ntriggers: {push: g}\n\
                # file: taskgraph/jobs/j.yml\njobs:\n  t:\n    kind: k\n    retries: 2\n    max_runtime: 2h\n\
                # file: taskgraph/graphs/g.yml\ngraph: g\nnodes:\n  - name: x\n    job: t\n    max_runtime: 3h\n";
    let g = generate_bundle(text, "generic", "push").unwrap();
    let x = g.graph.jobs.iter().find(|j| j.label == "x").unwrap();
    assert_eq!(
        (x.retries, x.priority.as_str(), x.timeouts.max_runtime_s),
        (2, "low", 3 * 3600)
    );
}

fn descriptions(graph: &str) -> Vec<(String, String)> {
    let text = format!("{HEAD}# file: taskgraph/graphs/g.yml\n{graph}");
    let g = generate_bundle(&text, "generic", "push").unwrap();
    g.graph
        .jobs
        .iter()
        .filter(|j| !j.label.contains(':'))
        .map(|j| (j.label.clone(), j.description.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn values_kept_across_chunks_and_jobs_are_the_right_ones() {
    // `u`'s description reads only the run (rendered once per run), the first `t` one reads
    // the chunk, the second only its combination (rendered once for both chunks): every job
    // still gets its own.
    let got = descriptions(
        "graph: g\nnodes:\n  - name: \"t-{{ p }}\"\n    type: dummy\n    for: {p: \"{{ branch.platforms }}\"}\n    chunks: 2\n    description: \"{{ p }} {{ branch.platforms | length }}/{{ chunk }}\"\n  - name: u\n    type: dummy\n    description: \"{{ branch.platforms | join(',') }}\"\n",
    );
    let want = [
        ("t-a-1", "a 2/1"),
        ("t-a-2", "a 2/2"),
        ("t-b-1", "b 2/1"),
        ("t-b-2", "b 2/2"),
        ("u", "a,b"),
    ];
    let got: Vec<(&str, &str)> = got.iter().map(|(l, d)| (l.as_str(), d.as_str())).collect();
    assert_eq!(got, want);
    let attrs = "graph: g\nnodes:\n  - name: \"t-{{ p }}\"\n    type: dummy\n    for: {p: \"{{ branch.platforms }}\"}\n    chunks: 2\n    description: \"{{ p }}\"\n";
    let got = descriptions(attrs);
    assert_eq!(got[0].1, "a");
    assert_eq!(got[1].1, "a");
    assert_eq!(got[2].1, "b");
}

#[test]
fn a_variable_named_branch_or_params_is_not_the_run_s() {
    // `{{ params }}` reads only the run's variables, unless a matrix rebinds `params`.
    let got = descriptions(
        "graph: g\nnodes:\n  - name: \"n-{{ params }}\"\n    type: dummy\n    for: {params: [x, y]}\n    description: \"{{ params }}\"\n",
    );
    let got: Vec<&str> = got.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(got, ["x", "y"]);
}
