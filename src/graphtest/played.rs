//! Checking a graph test's scenario expectations against the play (`super::scenario`).

use std::collections::HashMap;

use super::scenario::plain;
use super::{Assertion, Check, Test};
use crate::check::rules::scenario_mismatch;
use crate::defs::keys::Spanned;
use crate::defs::values::format_duration;
use crate::diag::{Diagnostic, backticked};
use crate::pipeline::Generated;
use crate::query::Query;
use crate::simulate::Report;
use crate::simulate::report::JobReport;

/// Checks one scenario expectation against a play. `None`: it checks nothing here.
pub fn check(
    test: &Test,
    a: &Assertion,
    g: &Generated,
    report: &Report,
) -> Option<Vec<Diagnostic>> {
    let cx = format!("test `{}` ({} {})", test.name.value, g.branch, g.trigger);
    let by_label: HashMap<&str, usize> = report
        .jobs
        .iter()
        .enumerate()
        .map(|(k, j)| (j.label.as_str(), k))
        .collect();
    let matched = |q: &Spanned<Query>| -> Vec<usize> {
        g.graph
            .jobs
            .iter()
            .filter(|j| j.active && q.value.matches(j))
            .filter_map(|j| by_label.get(j.label.as_str()).copied())
            .collect()
    };
    let finding = |q: &Spanned<Query>, what: String, wrong: &[(usize, String)]| {
        let shown: Vec<String> = wrong
            .iter()
            .take(5)
            .map(|(k, found)| format!("`{}` {found}", report.jobs[*k].label))
            .collect();
        let more = wrong.len().saturating_sub(5);
        let because = wrong
            .first()
            .map(|(k, _)| report.jobs[*k].because.join("; "))
            .filter(|b| !b.is_empty());
        let mut help = format!(
            "found {}{}",
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        if let Some(b) = because {
            help.push_str(&format!(
                "; `{}`: because {b}",
                report.jobs[wrong[0].0].label
            ));
        }
        let n = wrong.len();
        scenario_mismatch::RULE
            .finding(format!("{cx}: {what}"))
            .at(
                q.span,
                if n == 1 {
                    "1 job differs".to_owned()
                } else {
                    format!("{n} jobs differ")
                },
            )
            .help(help)
    };
    let range = |min: Option<u64>, max: Option<u64>, show: fn(u64) -> String| match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {}", show(a)),
        (Some(a), Some(b)) => format!("{} to {}", show(a), show(b)),
        (Some(a), None) => format!("at least {}", show(a)),
        (None, Some(b)) => format!("at most {}", show(b)),
        (None, None) => "anything".into(),
    };
    let outside = |v: u64, min: Option<u64>, max: Option<u64>| {
        min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m)
    };
    // A check of each matching job: `wrong` says what was found where the job fails it.
    let each = |q: &Spanned<Query>,
                what: String,
                wrong: &dyn Fn(&JobReport) -> Option<String>|
     -> Option<Vec<Diagnostic>> {
        let hits = matched(q);
        if hits.is_empty() {
            return None;
        }
        let found: Vec<(usize, String)> = hits
            .into_iter()
            .filter_map(|k| wrong(&report.jobs[k]).map(|w| (k, w)))
            .collect();
        Some(if found.is_empty() {
            Vec::new()
        } else {
            vec![finding(q, what, &found)]
        })
    };
    Some(match &a.check {
        Check::Status { jobs, is } => each(
            jobs,
            format!(
                "expected every job matching `{}` to end {}",
                jobs.value.text(),
                backticked(is)
            ),
            &|j| (!is.iter().any(|s| s == j.status())).then(|| format!("`{}`", j.status())),
        )?,
        Check::Runs { jobs, min, max } => each(
            jobs,
            format!(
                "expected {} runs of every job matching `{}`",
                range(*min, *max, |n| n.to_string()),
                jobs.value.text()
            ),
            &|j| {
                outside(u64::from(j.played.runs), *min, *max)
                    .then(|| format!("{} runs", j.played.runs))
            },
        )?,
        Check::Ends { jobs, min, max } => each(
            jobs,
            format!(
                "expected every job matching `{}` to end at {}",
                jobs.value.text(),
                range(*min, *max, format_duration)
            ),
            &|j| match j.played.at_s {
                None => Some("never ends".into()),
                Some(t) => {
                    outside(t, *min, *max).then(|| format!("ends at {}", format_duration(t)))
                }
            },
        )?,
        Check::Changes(jobs) => {
            let plain = match plain(test, g) {
                Ok(p) => p,
                Err(d) => return Some(vec![d]),
            };
            let expected: std::collections::HashSet<usize> = matched(jobs).into_iter().collect();
            let changed: Vec<usize> = (0..report.jobs.len())
                .filter(|&k| report.jobs[k].status() != plain.jobs[k].status())
                .collect();
            let unexpected: Vec<(usize, String)> = changed
                .iter()
                .filter(|k| !expected.contains(k))
                .map(|&k| {
                    (
                        k,
                        format!(
                            "`{}` (otherwise `{}`)",
                            report.jobs[k].status(),
                            plain.jobs[k].status()
                        ),
                    )
                })
                .collect();
            let unchanged: Vec<(usize, String)> = expected
                .iter()
                .filter(|k| !changed.contains(k))
                .map(|&k| (k, format!("`{}` either way", report.jobs[k].status())))
                .collect();
            let mut out = Vec::new();
            if !unexpected.is_empty() {
                out.push(finding(jobs, format!("expected only the jobs matching `{}` to end otherwise than when every job succeeds; others do", jobs.value.text()), &unexpected));
            }
            if !unchanged.is_empty() {
                let mut sorted = unchanged;
                sorted.sort_by_key(|(k, _)| *k);
                out.push(finding(jobs, format!("expected every job matching `{}` to end otherwise than when every job succeeds", jobs.value.text()), &sorted));
            }
            out
        }
        Check::Makespan { span, min, max } => {
            if outside(report.makespan_s, *min, *max) {
                vec![
                    scenario_mismatch::RULE
                        .finding(format!(
                            "{cx}: expected the graph to end at {}, it ends at {}",
                            range(*min, *max, format_duration),
                            format_duration(report.makespan_s)
                        ))
                        .at(
                            *span,
                            format!("ends at {}", format_duration(report.makespan_s)),
                        ),
                ]
            } else {
                Vec::new()
            }
        }
        _ => return Some(Vec::new()),
    })
}
