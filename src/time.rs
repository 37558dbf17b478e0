//! UTC timestamps as Taskcluster writes them (`2025-01-01T00:00:00.000Z`): milliseconds since
//! the Unix epoch, parsed and printed per RFC 3339 by jiff. An impossible date
//! (`2025-02-31`) is an error, and an offset (`+01:00`) is converted to UTC.

use jiff::Timestamp;

/// Formats milliseconds since the epoch.
pub fn format(ms: i64) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Err(_) => "9999-12-31T23:59:59.999Z".to_owned(),
    }
}

/// Parses an RFC 3339 timestamp (`2025-01-01T00:00:00Z`, `2025-01-01T01:00:00+01:00`) to
/// milliseconds since the epoch.
pub fn parse(text: &str) -> Result<i64, String> {
    text.parse::<Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|e| {
            format!("`{text}` is not an RFC 3339 time such as `2025-01-01T00:00:00Z`: {e}")
        })
}

/// The clock, for when `--now` is not given.
pub fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for t in [
            "1970-01-01T00:00:00.000Z",
            "2025-01-01T00:00:00.000Z",
            "2024-02-29T23:59:59.999Z",
            "2000-03-01T12:34:56.789Z",
        ] {
            assert_eq!(format(parse(t).unwrap()), t);
        }
        assert_eq!(parse("1970-01-02T00:00:00Z"), Ok(86_400_000));
        assert_eq!(
            format(parse("2025-12-31T23:00:00Z").unwrap() + 3_600_000),
            "2026-01-01T00:00:00.000Z"
        );
        assert!(parse("2025-13-01T00:00:00Z").is_err());
        assert!(parse("yesterday").is_err());
    }

    #[test]
    fn impossible_dates_are_errors_and_offsets_convert() {
        assert!(parse("2025-02-31T00:00:00Z").is_err());
        assert!(parse("2023-02-29T00:00:00Z").is_err());
        assert_eq!(
            format(parse("2025-01-01T01:00:00+01:00").unwrap()),
            "2025-01-01T00:00:00.000Z"
        );
        assert!(
            parse("2025-01-01T00:00:00").is_err(),
            "a time without an offset"
        );
    }
}
