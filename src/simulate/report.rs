//! A play's report: per job its status, times, runs and causes; counts by status, the
//! makespan and the critical path; under Taskcluster's rules, where they differ from taskgen's.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::play::{Played, Rules};
use crate::defs::values::{Status, format_duration};
use crate::graph::TaskGraph;

/// The longest chain of causes a job's `because` lists.
const MAX_CAUSES: usize = 20;

/// One job's line in the report.
#[derive(Debug, Clone)]
pub struct JobReport {
    pub label: String,
    pub played: Played,
    pub because: Vec<String>,
}

impl JobReport {
    /// `success`, ..., or `pending`.
    pub fn status(&self) -> &'static str {
        self.played.status.map_or("pending", Status::name)
    }
}

/// Where Taskcluster's play differs from taskgen's.
#[derive(Debug, Clone)]
pub struct Difference {
    pub label: String,
    pub taskgen: Played,
    pub taskcluster: Played,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub rules: Rules,
    /// The active jobs, in topological order.
    pub jobs: Vec<JobReport>,
    /// By status name (statuses in canonical order, then `pending`), those that occur.
    pub summary: Vec<(&'static str, usize)>,
    pub makespan_s: u64,
    /// (index into `jobs`) from the first job to the last to end.
    pub critical_path: Vec<usize>,
    pub differences: Vec<Difference>,
}

/// The chain of causes of job `i`: its own reason, then its gate's while the reason inherits.
fn because(played: &[Played], g: &TaskGraph, i: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = i;
    while out.len() < MAX_CAUSES {
        let p = &played[at];
        if let Some(r) = &p.reason {
            out.push(r.clone());
        }
        match p.gate.filter(|_| p.inherits) {
            Some(next) if next < played.len() && next != at => at = next,
            _ => return out,
        }
    }
    out.push(format!(
        "… (causes beyond {MAX_CAUSES} not shown; see `{}`)",
        g.jobs[at].label
    ));
    out
}

impl Report {
    pub fn new(
        g: &TaskGraph,
        rules: Rules,
        played: Vec<Played>,
        baseline: Option<&[Played]>,
    ) -> Report {
        let active: Vec<usize> = (0..g.jobs.len()).filter(|&i| g.jobs[i].active).collect();
        let mut position = vec![usize::MAX; g.jobs.len()];
        for (k, &i) in active.iter().enumerate() {
            position[i] = k;
        }
        let mut counts = [0usize; Status::ALL.len() + 1];
        for &i in &active {
            counts[played[i].status.map_or(Status::ALL.len(), |s| s as usize)] += 1;
        }
        let summary = Status::NAMES
            .iter()
            .copied()
            .chain(["pending"])
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .collect();
        // The last job to end (the last in topological order among equals: the most downstream), walked back
        // through what it waited for.
        let last = active
            .iter()
            .copied()
            .filter(|&i| played[i].end_s.is_some())
            .fold(None, |best: Option<usize>, i| match best {
                Some(b) if played[b].end_s > played[i].end_s => Some(b),
                _ => Some(i),
            });
        let makespan_s = last.and_then(|i| played[i].end_s).unwrap_or(0);
        let mut critical_path = Vec::new();
        let mut at = last;
        while let Some(i) = at {
            // A job that did not run (a notification not sent) takes no time on the path.
            if played[i].end_s.is_some() {
                critical_path.push(position[i]);
            }
            at = played[i]
                .gate
                .filter(|&u| u < g.jobs.len() && position[u] != usize::MAX);
        }
        critical_path.reverse();
        let differences = baseline
            .map(|base| {
                active
                    .iter()
                    .filter(|&&i| {
                        base[i].status != played[i].status || base[i].at_s != played[i].at_s
                    })
                    .map(|&i| Difference {
                        label: g.jobs[i].label.clone(),
                        taskgen: base[i].clone(),
                        taskcluster: played[i].clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let jobs = active
            .iter()
            .map(|&i| JobReport {
                label: g.jobs[i].label.clone(),
                because: because(&played, g, i),
                played: played[i].clone(),
            })
            .collect();
        Report {
            rules,
            jobs,
            summary,
            makespan_s,
            critical_path,
            differences,
        }
    }

    pub fn rules_name(&self) -> &'static str {
        match self.rules {
            Rules::Taskgen => "taskgen",
            Rules::Taskcluster => "taskcluster",
        }
    }

    /// The JSON report (docs/simulate.md).
    pub fn to_json(&self, branch: &str, trigger: &str) -> Value {
        let jobs: serde_json::Map<String, Value> = self
            .jobs
            .iter()
            .map(|j| {
                (
                    j.label.clone(),
                    json!({
                        "status": j.status(),
                        "start_s": j.played.start_s,
                        "end_s": j.played.end_s,
                        "runs": j.played.runs,
                        "because": j.because,
                    }),
                )
            })
            .collect();
        let summary: serde_json::Map<String, Value> = self
            .summary
            .iter()
            .map(|(k, n)| ((*k).to_owned(), json!(n)))
            .collect();
        let critical: Vec<Value> = self
            .critical_path
            .iter()
            .map(|&k| {
                let j = &self.jobs[k];
                json!({"label": j.label, "start_s": j.played.start_s, "end_s": j.played.end_s})
            })
            .collect();
        let mut out = json!({
            "format_version": 1,
            "branch": branch,
            "trigger": trigger,
            "rules": self.rules_name(),
            "jobs": jobs,
            "summary": summary,
            "makespan_s": self.makespan_s,
            "critical_path": critical,
        });
        if self.rules == Rules::Taskcluster {
            let side = |p: &Played| json!({"status": p.status.map_or("pending", Status::name), "end_s": p.end_s, "resolved_s": p.at_s, "because": p.reason});
            out["differences"] = self
                .differences
                .iter()
                .map(|d| json!({"label": d.label, "taskgen": side(&d.taskgen), "taskcluster": side(&d.taskcluster)}))
                .collect();
        }
        out
    }

    /// The report for people: counts, makespan, every job that did not succeed (at most
    /// `max` in full), the critical path, and the differences.
    pub fn human(&self, branch: &str, trigger: &str, max: usize) -> String {
        let esc = |s: &str| crate::diag::escape(s, false).into_owned();
        let mut out = String::new();
        let rules = match self.rules {
            Rules::Taskgen => "taskgen's conditions",
            Rules::Taskcluster => "Taskcluster's rules, as lowered",
        };
        let _ = writeln!(
            out,
            "simulated `{branch}` {trigger} under {rules}: {} jobs",
            self.jobs.len()
        );
        let counts: Vec<String> = self
            .summary
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let _ = writeln!(out, "  {}", counts.join(", "));
        let _ = writeln!(
            out,
            "  makespan {} ({} s)",
            format_duration(self.makespan_s),
            self.makespan_s
        );
        let unusual: Vec<&JobReport> = self
            .jobs
            .iter()
            .filter(|j| j.played.status != Some(Status::Success) || !j.because.is_empty())
            .collect();
        if !unusual.is_empty() {
            let _ = writeln!(
                out,
                "\njobs that did not simply succeed ({}):",
                unusual.len()
            );
            for j in unusual.iter().take(max) {
                let _ = writeln!(out, "  {:<9} {}{}", j.status(), j.label, times(&j.played));
                for (k, b) in j.because.iter().enumerate() {
                    let lead = if k == 0 { "because" } else { "      ←" };
                    let _ = writeln!(out, "            {lead} {}", esc(b));
                }
            }
            if unusual.len() > max {
                let _ = writeln!(
                    out,
                    "  … and {} more (`--format json` lists every job)",
                    unusual.len() - max
                );
            }
        }
        if !self.critical_path.is_empty() {
            let _ = writeln!(out, "\ncritical path:");
            for &k in &self.critical_path {
                let j = &self.jobs[k];
                let _ = writeln!(out, "  {}{}", j.label, times(&j.played));
            }
        }
        if self.rules == Rules::Taskcluster {
            let _ = writeln!(
                out,
                "\nwhere Taskcluster differs from taskgen's conditions ({}):",
                self.differences.len()
            );
            for d in self.differences.iter().take(max) {
                let _ = writeln!(
                    out,
                    "  {}: taskgen `{}` at {}, Taskcluster `{}` at {}",
                    d.label,
                    d.taskgen.status.map_or("pending", Status::name),
                    at(d.taskgen.at_s),
                    d.taskcluster.status.map_or("pending", Status::name),
                    at(d.taskcluster.at_s),
                );
                if let Some(r) = &d.taskcluster.reason {
                    let _ = writeln!(out, "      because {}", esc(r));
                }
            }
            if self.differences.len() > max {
                let _ = writeln!(out, "  … and {} more", self.differences.len() - max);
            }
        }
        out
    }
}

fn at(t: Option<u64>) -> String {
    t.map_or_else(|| "never".to_owned(), format_duration)
}

fn times(p: &Played) -> String {
    match (p.start_s, p.end_s) {
        (Some(s), Some(e)) => {
            let runs = if p.runs > 1 {
                format!(", {} runs", p.runs)
            } else {
                String::new()
            };
            format!("  ({} → {}{runs})", format_duration(s), format_duration(e))
        }
        _ => p
            .at_s
            .map_or(String::new(), |t| format!("  (at {})", format_duration(t))),
    }
}
