//! Properties of every play, whatever the outcomes: nothing starts before what it waits for
//! has ended, a job is skipped exactly when a condition of its can no longer be met, retries
//! stay within `retries`, and under Taskcluster's rules nothing resolves after its deadline.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;
use taskgen::defs::values::{JobType, Status};
use taskgen::load::Span;
use taskgen::pipeline::{self, Generated, Request};
use taskgen::simulate::{self, Given, Outcome, Rules, Scenario, scenario::Item};

fn graph() -> &'static Generated {
    static G: OnceLock<Generated> = OnceLock::new();
    G.get_or_init(|| {
        let mut tree = taskgen::load::load(&common::repo()).expect("the built-in tree loads");
        let req = Request {
            branch: "mozilla-inbound".into(),
            trigger: "push".into(),
            ..Request::default()
        };
        pipeline::generate(&mut tree, &req).expect("the built-in graph generates")
    })
}

fn outcome() -> impl Strategy<Value = Outcome> {
    // Every status but `skipped`, which is not an outcome; exception twice as often.
    (0usize..7, proptest::option::of(1u32..8)).prop_map(|(k, n)| {
        let status = Status::ALL[..6]
            .get(k)
            .copied()
            .unwrap_or(Status::Exception);
        Outcome {
            status,
            exceptions: n.filter(|_| status == Status::Exception),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn plays_keep_their_invariants(
        picks in proptest::collection::vec((any::<proptest::sample::Index>(), outcome()), 0..12),
        approve_all in any::<bool>(),
        taskcluster in any::<bool>(),
    ) {
        let g = graph();
        let jobs = &g.graph.jobs;
        let given = Given {
            outcomes: picks
                .iter()
                .map(|(i, o)| Item { query: jobs[i.index(jobs.len())].label.clone(), value: *o, span: Span::none() })
                .collect(),
            approve_all,
            ..Given::default()
        };
        let scenario = Scenario::resolve(given, jobs).expect("labels of the graph match");
        let rules = if taskcluster { Rules::Taskcluster } else { Rules::Taskgen };
        let report = simulate::simulate(&g.graph, &scenario, rules, 0);
        let by_label: std::collections::HashMap<&str, &simulate::report::JobReport> =
            report.jobs.iter().map(|j| (j.label.as_str(), j)).collect();
        for (job, plan) in jobs.iter().zip(&scenario.plans) {
            let Some(me) = by_label.get(job.label.as_str()) else { continue };
            let p = &me.played;
            if let (Some(s), Some(e)) = (p.start_s, p.end_s) {
                prop_assert!(s <= e, "{}", job.label);
                prop_assert!(e <= report.makespan_s, "{}", job.label);
                for d in &job.dependencies {
                    let up = &by_label[d.label.as_str()].played;
                    prop_assert!(up.at_s.is_some_and(|t| t <= s), "{} starts before {} ends", job.label, d.label);
                }
            }
            prop_assert!(p.runs <= job.retries + 1, "{}: {} runs", job.label, p.runs);
            if rules == Rules::Taskcluster {
                prop_assert!(p.at_s.is_none_or(|t| t <= job.timeouts.request_s.max(p.start_s.unwrap_or(0))), "{} after its deadline", job.label);
                continue;
            }
            // taskgen's rules: skipped exactly when a dependency ended outside its condition.
            let violated = job.dependencies.iter().any(|d| {
                by_label[d.label.as_str()].played.status.is_some_and(|s| !d.on.statuses().any(|x| x == s))
            });
            let by_outcome = plan.outcome.is_some();
            let unsent = job.job_type == JobType::Notification;
            if !by_outcome && !unsent {
                prop_assert_eq!(p.status == Some(Status::Skipped), violated, "{}", job.label);
            }
            if violated {
                prop_assert_eq!(p.status, Some(Status::Skipped), "{}", job.label);
                prop_assert_eq!(p.runs, 0);
            }
        }
    }
}
