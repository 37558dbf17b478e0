//! The small value types of the format: durations, priorities, statuses, job types.

use std::fmt;

use serde::Serialize;

/// Task priorities, lowest first, as Taskcluster names them.
pub const PRIORITIES: &[&str] = &[
    "lowest",
    "very-low",
    "low",
    "medium",
    "high",
    "very-high",
    "highest",
];

/// The priorities a job may name: Taskcluster's, and its alias `normal`.
pub const PRIORITY_WORDS: &[&str] = &[
    "lowest",
    "very-low",
    "low",
    "medium",
    "high",
    "very-high",
    "highest",
    "normal",
];

/// A notification's channels.
pub const NOTIFY_CHANNELS: &[&str] = &["email", "irc", "bug", "matrix", "pulse"];

/// The statuses an expired job may resolve to.
pub const ON_REQUEST_TIMEOUT: &[&str] = &["skip-failure", "skip-success"];

/// Rank of a priority name in [`PRIORITIES`] (`normal` is Taskcluster's alias of `lowest`).
pub fn priority_rank(name: &str) -> Option<usize> {
    if name == "normal" {
        return Some(0);
    }
    PRIORITIES.iter().position(|p| *p == name)
}

/// Parses `90s`, `30m`, `2h`, `1d`, `1h30m` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(secs);
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut seen_unit = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            ' ' if number.is_empty() => continue,
            _ => return Err(format!("`{text}` is not a duration: unexpected `{c}`")),
        };
        let n: u64 = number
            .parse()
            .map_err(|_| format!("`{text}` is not a duration: a number must come before `{c}`"))?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("`{text}` is too long a duration"))?;
        number.clear();
        seen_unit = true;
    }
    if !number.is_empty() || !seen_unit {
        return Err(format!(
            "`{text}` is not a duration: write it as `90s`, `30m`, `2h`, `1d` or `1h30m`"
        ));
    }
    Ok(total)
}

/// A number of seconds as the format writes durations: `1d`, `1h30m`, `90s`.
pub fn format_duration(secs: u64) -> String {
    if secs == 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    let mut rest = secs;
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

/// The kinds of job: `task` runs on a worker, the others run on none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum JobType {
    Task,
    Breakpoint,
    Timer,
    Notification,
    Dummy,
}

impl JobType {
    pub const NAMES: &'static [&'static str] =
        &["task", "breakpoint", "timer", "notification", "dummy"];

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "task" => JobType::Task,
            "breakpoint" => JobType::Breakpoint,
            "timer" => JobType::Timer,
            "notification" => JobType::Notification,
            "dummy" => JobType::Dummy,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl fmt::Display for JobType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A final status of a job, in canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Success,
    Warnings,
    Failure,
    Exception,
    Cancelled,
    TimedOut,
    Skipped,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Success,
        Status::Warnings,
        Status::Failure,
        Status::Exception,
        Status::Cancelled,
        Status::TimedOut,
        Status::Skipped,
    ];
    pub const NAMES: &'static [&'static str] = &[
        "success",
        "warnings",
        "failure",
        "exception",
        "cancelled",
        "timed-out",
        "skipped",
    ];
    /// Every word a condition may use: the statuses and the groups.
    pub const CONDITION_WORDS: &'static [&'static str] = &[
        "success",
        "warnings",
        "failure",
        "exception",
        "cancelled",
        "timed-out",
        "skipped",
        "finished",
        "unsuccessful",
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A set of statuses a dependency waits for, as a bit set in canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Condition(u8);

impl Condition {
    pub const SUCCESS: Condition = Condition(1);
    pub const FINISHED: Condition = Condition(0b111_1111);

    /// One status name or a group (`finished`, `unsuccessful`).
    pub fn parse_word(word: &str) -> Option<Self> {
        let bits = match word {
            "finished" => Self::FINISHED.0,
            "unsuccessful" => {
                Condition::of(&[Status::Failure, Status::Exception, Status::TimedOut]).0
            }
            _ => 1 << Status::NAMES.iter().position(|n| *n == word)?,
        };
        Some(Condition(bits))
    }

    pub fn of(statuses: &[Status]) -> Self {
        Condition(statuses.iter().fold(0, |acc, s| acc | (1 << *s as u8)))
    }

    pub fn union(self, other: Self) -> Self {
        Condition(self.0 | other.0)
    }

    pub fn statuses(self) -> impl Iterator<Item = Status> {
        Status::ALL
            .into_iter()
            .filter(move |s| self.0 & (1 << *s as u8) != 0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
}

impl Serialize for Condition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.statuses())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_job_names_the_priorities_and_their_alias() {
        let mut words = PRIORITIES.to_vec();
        words.push("normal");
        assert_eq!(PRIORITY_WORDS, words);
        assert!(PRIORITY_WORDS.iter().all(|p| priority_rank(p).is_some()));
    }

    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("2h"), Ok(7200));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("1d"), Ok(86_400));
        assert_eq!(parse_duration("600"), Ok(600));
        assert!(parse_duration("2x").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("5").is_ok());
        assert!(parse_duration("99999999999999999999d").is_err());
        assert_eq!(format_duration(518_400), "6d");
        assert_eq!(format_duration(5400), "1h30m");
        assert_eq!(
            format_duration(parse_duration("1d2h3m4s").unwrap()),
            "1d2h3m4s"
        );
    }

    #[test]
    fn conditions_expand_groups() {
        let c = Condition::parse_word("unsuccessful").unwrap();
        let names: Vec<_> = c.statuses().map(Status::name).collect();
        assert_eq!(names, ["failure", "exception", "timed-out"]);
        assert_eq!(
            Condition::parse_word("finished")
                .unwrap()
                .statuses()
                .count(),
            7
        );
        assert!(Condition::parse_word("done").is_none());
    }

    #[test]
    fn priorities_are_ordered() {
        assert!(priority_rank("high") > priority_rank("medium"));
        assert_eq!(priority_rank("normal"), Some(0));
    }
}
