//! Job queries, one language for `--select`, the trust policy and graph tests: label globs
//! (`test-linux64-*`, several separated by spaces or commas), or `key=value` terms that must all
//! hold (`kind=test platform=linux64`; values are globs; keys are the built-in fields `label`,
//! `kind`, `type`, `graph`, `job`, `active`, then attributes, then parameters).

use crate::glob::Glob;

use crate::expand::Job;

/// A parsed query.
#[derive(Debug, Clone)]
pub struct Query {
    text: String,
    form: Form,
}

#[derive(Debug, Clone)]
enum Form {
    Labels(Vec<(String, Glob)>),
    Terms(Vec<(String, Glob)>),
}

/// A glob, or why it is not one.
pub fn glob(pattern: &str) -> Result<Glob, String> {
    Glob::new(pattern).map_err(|e| format!("`{}` is not a valid glob: {e}", shorten(pattern)))
}

/// The keys every job has, before its attributes and parameters.
const BUILT_IN_KEYS: &[&str] = &["label", "kind", "type", "graph", "job", "active"];

/// A job's value for a query key: built-in fields, then attributes, then parameters.
pub fn field(job: &Job, key: &str) -> Option<String> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match key {
        "label" => Some(job.label.clone()),
        "kind" => Some(job.kind.clone()),
        "type" => Some(job.job_type.name().to_owned()),
        "graph" => Some(job.graph.clone()),
        "job" => job.job.clone(),
        "active" => Some(job.active.to_string()),
        _ => job
            .attributes
            .get(key)
            .or_else(|| job.params.get(key))
            .map(text),
    }
}

impl Query {
    /// `key=value` terms when the text has a `=`, label globs otherwise.
    pub fn parse(text: &str) -> Result<Query, String> {
        let text = text.trim();
        let form = if text.contains('=') {
            Form::Terms(
                text.split_whitespace()
                    .map(|t| {
                        let (k, v) = t
                            .split_once('=')
                            .filter(|(k, _)| !k.is_empty())
                            .ok_or_else(|| format!("`{t}` is not `key=value`"))?;
                        Ok((k.to_owned(), glob(v)?))
                    })
                    .collect::<Result<_, String>>()?,
            )
        } else {
            let globs: Vec<_> = text
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(|p| glob(p).map(|g| (p.to_owned(), g)))
                .collect::<Result<_, _>>()?;
            if globs.is_empty() {
                return Err("an empty query matches nothing".into());
            }
            Form::Labels(globs)
        };
        Ok(Query {
            text: text.to_owned(),
            form,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn matches(&self, job: &Job) -> bool {
        match &self.form {
            Form::Labels(globs) => globs.iter().any(|(_, g)| g.is_match(&job.label)),
            Form::Terms(terms) => terms
                .iter()
                .all(|(k, g)| field(job, k).is_some_and(|v| g.is_match(&v))),
        }
    }

    /// Why the query matches none of `jobs`: the nearest labels, or which term matches
    /// nothing (a key no job has, with the nearest key; a value no job has, with the values).
    pub fn why_empty(&self, jobs: &[Box<Job>]) -> String {
        use crate::defs::keys::{did_you_mean, nearest};
        match &self.form {
            Form::Labels(globs) => {
                let near = nearest(&globs[0].0, jobs.iter().map(|j| j.label.as_str()));
                format!("the nearest labels are {}", crate::diag::backticked(&near))
            }
            Form::Terms(terms) => {
                for (k, g) in terms {
                    let mut values: Vec<String> = jobs.iter().filter_map(|j| field(j, k)).collect();
                    if values.is_empty() {
                        let mut keys: Vec<&str> = BUILT_IN_KEYS.to_vec();
                        for j in jobs {
                            keys.extend(j.attributes.keys().map(String::as_str));
                            keys.extend(j.params.keys().map(String::as_str));
                        }
                        keys.sort_unstable();
                        keys.dedup();
                        return match did_you_mean(k, keys.iter().copied()) {
                            Some(best) => format!("no job has a `{k}`: did you mean `{best}`?"),
                            None => format!(
                                "no job has a `{k}`; the keys are {}",
                                crate::diag::backticked(&keys)
                            ),
                        };
                    }
                    if !values.iter().any(|v| g.is_match(v)) {
                        values.sort_unstable();
                        values.dedup();
                        let shown: Vec<&str> = values.iter().take(12).map(String::as_str).collect();
                        return format!(
                            "no job's `{k}` matches; its values are {}{}",
                            crate::diag::backticked(&shown),
                            if values.len() > 12 { ", ..." } else { "" }
                        );
                    }
                }
                "each term matches some job, but no job matches them all".to_owned()
            }
        }
    }

    /// Indices of the matching jobs.
    pub fn select(&self, jobs: &[Box<Job>]) -> Vec<usize> {
        (0..jobs.len())
            .filter(|&i| self.matches(&jobs[i]))
            .collect()
    }
}

/// A pattern as a message quotes it: at most 80 characters.
pub fn shorten(pattern: &str) -> String {
    match pattern.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &pattern[..i]),
        None => pattern.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(label: &str, kind: &str) -> Job {
        let mut j = Job::milestone(label.into(), "g", true, String::new());
        j.kind = kind.into();
        j.attributes
            .insert("platform".into(), serde_json::json!("linux64"));
        j
    }

    #[test]
    fn labels_and_terms() {
        let j = job("test-linux64-opt-mochitest-1", "test");
        assert!(Query::parse("test-*").unwrap().matches(&j));
        assert!(Query::parse("build-*, test-linux64-*").unwrap().matches(&j));
        assert!(!Query::parse("build-*").unwrap().matches(&j));
        assert!(
            Query::parse("kind=test platform=linux*")
                .unwrap()
                .matches(&j)
        );
        assert!(!Query::parse("kind=test platform=win*").unwrap().matches(&j));
        assert!(!Query::parse("kind=test suite=*").unwrap().matches(&j));
    }

    #[test]
    fn bad_queries_are_errors() {
        assert!(Query::parse("=x").is_err());
        assert!(Query::parse("kind=[").is_err());
        assert!(Query::parse("  ").is_err());
    }
}
