//! `--set LABEL.FIELD=VALUE`: one field of one job, changed for this run. The value is YAML
//! (`3`, `high`, `[a, b]`, `{pool: b-linux}`) and becomes the highest layer of the job's fields,
//! so it is checked exactly like a value written in a template. The output marks the job
//! `customized` with the diff; the trust policy decides whether the job may be customized.

use crate::defs::job::{JOB_FIELDS, is_job_field};
use crate::defs::keys::suggestion;
use crate::diag::{self, Diagnostic, Failure};
use crate::expand::Overrides;
use crate::load::{Sources, load_text};

/// Fields that change which jobs exist, or whether they may change: never set per run.
const NOT_SETTABLE: &[&str] = &["chunks", "locked"];

fn usage(message: String) -> Failure {
    Failure {
        diagnostics: vec![Diagnostic::error(diag::INVALID_VALUE, message)],
        unreadable: true,
    }
}

/// Parses every `--set`; a later one for the same field wins.
pub fn parse(sources: &mut Sources, sets: &[String]) -> Result<Overrides, Failure> {
    let mut out = Overrides::new();
    for text in sets {
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| usage(format!("`--set {text}` is not LABEL.FIELD=VALUE")))?;
        let (label, field) = key
            .rsplit_once('.')
            .filter(|(l, f)| !l.is_empty() && !f.is_empty())
            .ok_or_else(|| usage(format!("`--set {text}` is not LABEL.FIELD=VALUE")))?;
        if NOT_SETTABLE.contains(&field) {
            return Err(usage(format!(
                "`--set {key}`: `{field}` cannot be set for one run"
            )));
        }
        if !is_job_field(field) {
            let settable: Vec<&str> = JOB_FIELDS
                .iter()
                .map(|k| k.name)
                .filter(|f| !NOT_SETTABLE.contains(f))
                .collect();
            return Err(usage(format!(
                "`--set {key}`: `{field}` is not a job field; {}",
                suggestion(field, &settable)
            )));
        }
        let node = load_text(sources, format!("--set {key}"), value)?;
        out.entry(label.to_owned())
            .or_default()
            .insert(field.to_owned(), node);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(text: &str) -> Result<Overrides, Failure> {
        parse(&mut Sources::default(), &[text.to_owned()])
    }

    #[test]
    fn label_field_and_yaml_value() {
        let o = parse_one("build-linux64-opt.retries=3").unwrap();
        let node = &o["build-linux64-opt"]["retries"];
        assert_eq!(node.value, crate::load::Value::Int(3));
        let o = parse_one("a.b.command=[x, y]").unwrap();
        assert!(o["a.b"]["command"].as_seq().is_some());
    }

    #[test]
    fn bad_sets_are_usage_errors() {
        for bad in [
            "nolabel=1",
            "x.=1",
            "x.retries",
            "x.chunks=3",
            "x.locked=false",
            "x.priorty=high",
        ] {
            let f = parse_one(bad).unwrap_err();
            assert!(f.unreadable, "{bad}");
        }
        let f = parse_one("x.priorty=high").unwrap_err();
        assert!(f.diagnostics[0].message.contains("did you mean `priority`"));
    }
}
