use super::*;
use crate::load::{Limits, parse};

fn run(yaml: &str, vars: Vec<(&str, Value)>) -> Result<Value, Diagnostic> {
    let mut sources = Sources::default();
    let id = sources.add("t.yml", yaml);
    let node = parse(&sources, id, Limits::default()).unwrap();
    let env = environment();
    let mut r = Renderer::new(&env, &sources);
    let mut sink = Sink::default();
    r.prepare(&node, &mut sink);
    if let Some(d) = sink.diagnostics.into_iter().next() {
        return Err(d);
    }
    let scope = Scope::root(Value::from(()), Value::from(()))
        .with(vars.into_iter().map(|(k, v)| (k.to_owned(), v)));
    let v = node.as_map().unwrap().get("v").unwrap();
    r.render(v, &scope)
}

#[test]
fn whole_expressions_keep_their_type() {
    let v = run("v: \"{{ xs }}\"\n", vec![("xs", Value::from(vec![1, 2]))]).unwrap();
    assert_eq!(v.len(), Some(2));
    let v = run(
        "v: \"{{ 2 if p == 'linux32' else 1 }}\"\n",
        vec![("p", Value::from("linux32"))],
    )
    .unwrap();
    assert_eq!(v, Value::from(2));
}

#[test]
fn text_templates_render_strings() {
    let v = run(
        "v: \"build-{{ p }}-{{ t }}\"\n",
        vec![("p", Value::from("linux64")), ("t", Value::from("opt"))],
    )
    .unwrap();
    assert_eq!(v.as_str(), Some("build-linux64-opt"));
}

#[test]
fn undefined_variables_are_errors_pointing_into_the_template() {
    let err = run(
        "v: \"build-{{ platfrom }}\"\n",
        vec![("platform", Value::from("x"))],
    )
    .unwrap_err();
    assert_eq!(err.code, diag::UNDEFINED_VARIABLE);
    let primary = err.primary.clone().unwrap();
    assert_eq!(
        primary.span.start, 13,
        "points at the variable, not the whole value"
    );
    assert!(err.help.as_deref().unwrap().contains("`platform`"));
}

#[test]
fn syntax_errors_are_reported_at_prepare() {
    let err = run("v: \"{{ a + }}\"\n", vec![]).unwrap_err();
    assert_eq!(err.code, diag::TEMPLATE_SYNTAX);
}

#[test]
fn by_tables_match_exact_then_glob_then_default() {
    let table = "v: {by-p: {linux32: 2, \"android-*\": 8, default: 1}}\n";
    assert_eq!(
        run(table, vec![("p", Value::from("linux32"))]).unwrap(),
        Value::from(2)
    );
    assert_eq!(
        run(table, vec![("p", Value::from("android-api-9"))]).unwrap(),
        Value::from(8)
    );
    assert_eq!(
        run(table, vec![("p", Value::from("win32"))]).unwrap(),
        Value::from(1)
    );
    let strict = "v: {by-p: {linux32: 2}}\n";
    assert_eq!(
        run(strict, vec![("p", Value::from("win32"))])
            .unwrap_err()
            .code,
        diag::BY_TABLE_NO_MATCH
    );
}

#[test]
fn nested_by_tables() {
    let table = "v: {by-p: {linux: {by-t: {opt: 1, debug: 3}}, default: 0}}\n";
    let v = run(
        table,
        vec![("p", Value::from("linux")), ("t", Value::from("debug"))],
    )
    .unwrap();
    assert_eq!(v, Value::from(3));
}

#[test]
fn strict_mode_still_allows_defaults_and_defined_tests() {
    let p = Value::from_pairs([("x", 1)]);
    assert_eq!(
        run(
            "v: \"{{ params.y | default(2) }}\"\n",
            vec![("params", p.clone())]
        )
        .unwrap(),
        Value::from(2)
    );
    assert_eq!(
        run("v: \"{{ params.y is defined }}\"\n", vec![("params", p)]).unwrap(),
        Value::from(false)
    );
}

#[test]
fn expression_errors_point_into_the_expression() {
    let x = Value::from_pairs([("a", 1)]);
    let err = run("v: \"{{ 1 + x.b.c }}\"\n", vec![("x", x)]).unwrap_err();
    let p = err.primary.clone().unwrap().span;
    let yaml = "v: \"{{ 1 + x.b.c }}\"\n";
    let pointed = &yaml[p.start as usize..p.end as usize];
    assert_eq!(
        pointed, ".b.c",
        "the lookup that failed, not the wrapper's code"
    );
}

#[test]
fn a_kept_value_costs_every_reader_what_it_cost_to_compute() {
    let yaml = "v: \"{{ (params.s * 3) ~ params.s }}\"\n";
    let mut sources = Sources::default();
    let id = sources.add("t.yml", yaml);
    let node = parse(&sources, id, Limits::default()).unwrap();
    let env = environment();
    let mut r = Renderer::new(&env, &sources);
    let v = node.as_map().unwrap().get("v").unwrap();
    r.prepare(v, &mut Sink::default());
    let scope = Scope::root(Value::from(()), Value::from_pairs([("s", "abc")]));
    let (first, computed) = fuel::budgeted(fuel::PER_GRAPH, || r.render(v, &scope));
    let (again, reused) = fuel::budgeted(fuel::PER_GRAPH, || r.render(v, &scope));
    assert_eq!(first.unwrap(), again.unwrap());
    assert!(computed > 0);
    assert_eq!(computed, reused);
    let (short, _) = fuel::budgeted(computed - 1, || r.render(v, &scope));
    assert_eq!(short.unwrap_err().code, diag::EXPANSION_LIMIT);
}

#[test]
fn runaway_templates_run_out_of_fuel() {
    let err = run("v: \"{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}\"\n", vec![]).unwrap_err();
    assert_eq!(err.code, diag::TEMPLATE_ERROR);
}
