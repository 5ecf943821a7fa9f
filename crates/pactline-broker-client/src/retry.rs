//! When to try a request again and how long to wait: exponential backoff with jitter, `Retry-After`, idempotency.
//!
//! | failure | idempotent request (GET, PUT, DELETE, or marked) | other requests (POST, PATCH) |
//! |---|---|---|
//! | connection never established (refused, DNS, TLS handshake) | retried | retried: nothing was sent |
//! | reset, timeout or broken body after sending | retried | not retried: the broker may have acted |
//! | `5xx`, `429`, `408` | retried (`Retry-After` honoured) | not retried |
//! | any other status | not retried | not retried |

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;

/// How often and how long to wait between attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` attempts at most).
    pub max_retries: u32,
    /// The wait before the first retry; doubles each time.
    pub base_delay: Duration,
    /// No single wait is longer than this (a longer `Retry-After` is capped too).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based): `base × 2^(retry-1)`, capped at
    /// `max_delay`, scaled by `jitter` in `[0.5, 1.0]` ("equal jitter", so concurrent
    /// jobs hitting a recovering broker spread out but never retry instantly).
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exp = retry.saturating_sub(1).min(20);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        full.mul_f64(jitter.clamp(0.5, 1.0))
    }

    /// The wait before retry `retry`, preferring the server's `Retry-After` when given.
    pub fn wait(&self, retry: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        match retry_after {
            Some(after) => after.min(self.max_delay),
            None => self.backoff(retry, jitter),
        }
    }
}

/// A random jitter factor in `[0.5, 1.0]`.
pub fn jitter() -> f64 {
    0.5 + fastrand::f64() / 2.0
}

/// Statuses worth another try: the broker or a proxy in front of it is overloaded or restarting.
pub fn is_retryable_status(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
}

/// Parses a `Retry-After` value: delay seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, as a wait from `now`; a date in the past is no wait).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        };
        let rows = [
            (1, 100),
            (2, 200),
            (3, 400),
            (4, 800),
            (5, 1000),
            (30, 1000),
        ];
        for (retry, ms) in rows {
            assert_eq!(
                p.backoff(retry, 1.0),
                Duration::from_millis(ms),
                "retry {retry}"
            );
        }
    }

    #[test]
    fn jitter_scales_between_half_and_full() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, 0.5), Duration::from_millis(250));
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(250), "clamped");
        assert_eq!(p.backoff(1, 7.0), Duration::from_millis(500), "clamped");
        for _ in 0..100 {
            let j = jitter();
            assert!((0.5..=1.0).contains(&j), "{j}");
        }
    }

    #[test]
    fn retry_after_wins_over_backoff_but_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.wait(1, Some(Duration::from_secs(2)), 1.0),
            Duration::from_secs(2)
        );
        assert_eq!(p.wait(1, Some(Duration::from_secs(3600)), 1.0), p.max_delay);
        assert_eq!(p.wait(2, None, 1.0), Duration::from_secs(1));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let rows: &[(&str, Option<Duration>)] = &[
            ("0", Some(Duration::ZERO)),
            ("3", Some(Duration::from_secs(3))),
            (" 120 ", Some(Duration::from_secs(120))),
            (
                "Wed, 21 Oct 2015 07:28:05 GMT",
                Some(Duration::from_secs(5)),
            ),
            ("Wed, 21 Oct 2015 07:27:00 GMT", Some(Duration::ZERO)),
            ("", None),
            ("-1", None),
            ("soon", None),
            ("1.5", None),
        ];
        for (value, want) in rows {
            assert_eq!(parse_retry_after(value, now), *want, "{value:?}");
        }
    }

    #[test]
    fn retryable_statuses() {
        for s in [500, 502, 503, 504, 429, 408] {
            assert!(is_retryable_status(StatusCode::from_u16(s).unwrap()), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 409, 422] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(s).unwrap()),
                "{s}"
            );
        }
    }
}
