//! [`RetryPolicy`]: when a failed attempt is tried again, and how long the
//! client waits before it does.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// When and how often a call is retried.
///
/// A call is retried after a connect error, a timeout of one attempt, a
/// connection closed before any of the answer came back (a kept-alive
/// connection the server closed as it was reused), or an HTTP status 429,
/// 502, 503 or 504, if the operation is idempotent (GET,
/// HEAD, PUT, DELETE, OPTIONS, or an operation the spec marks idempotent; see
/// [`crate::Operation::idempotent`]) or [`RetryPolicy::retry_non_idempotent`]
/// is set.
///
/// The wait before retry `n` (1-based) is chosen at random between zero and
/// `min(max_backoff, initial_backoff * 2^(n-1))` ("full jitter"). When the
/// response has a `Retry-After` header (delta-seconds or an HTTP date) or an
/// `X-RateLimit-Retry-After` header (seconds), the client waits that long
/// instead, but at most `max_backoff`. No retry is started when the wait
/// would end after `max_elapsed` (counted from the start of the call) or after
/// the client's operation timeout: the last error is returned at once instead.
///
/// The default: 3 attempts, 100 ms initial backoff, 5 s maximum backoff, 30 s
/// elapsed, non-idempotent operations not retried. Change it with the `with_` methods, e.g.
/// `RetryPolicy::default().with_max_attempts(5)`; the fields can be read and set, but the struct
/// cannot be built field by field outside this crate (`#[non_exhaustive]`: it may gain settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Most attempts per call, the first one included; 0 and 1 both mean no
    /// retries.
    pub max_attempts: u32,
    /// Upper bound of the random wait before the first retry; doubled for each
    /// later retry.
    pub initial_backoff: Duration,
    /// Longest wait between two attempts, also for waits the server asks for.
    pub max_backoff: Duration,
    /// No retry is started when its wait would end later than this after the
    /// start of the call.
    pub max_elapsed: Duration,
    /// Also retry operations that are not idempotent (POST, PATCH not marked
    /// idempotent by the spec). Off by default: a retried POST can, for
    /// example, create an account twice.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets [`RetryPolicy::max_attempts`].
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets [`RetryPolicy::initial_backoff`] and [`RetryPolicy::max_backoff`].
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Sets [`RetryPolicy::max_elapsed`].
    pub fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// Sets [`RetryPolicy::retry_non_idempotent`].
    pub fn with_retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The random wait before retry number `retry` (1 for the first retry)
    /// when the server did not ask for one.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Statuses that are retried: too many requests, bad gateway, service
/// unavailable, gateway timeout.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// The wait a response asks for: `Retry-After` (delta-seconds or HTTP date,
/// relative to `now`), else `X-RateLimit-Retry-After` (seconds, fractions
/// allowed). Unparseable values are ignored; dates in the past mean no wait.
pub(crate) fn requested_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(wait) = text("retry-after").and_then(|v| parse_retry_after(v, now)) {
        return Some(wait);
    }
    text("x-ratelimit-retry-after").and_then(parse_seconds)
}

/// `Retry-After: <delta-seconds>` or `Retry-After: <HTTP-date>`.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for u64: a very long wait, which the caller caps.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Non-negative seconds, possibly with a fraction (`1`, `0.25`).
fn parse_seconds(value: &str) -> Option<Duration> {
    let seconds: f64 = value.parse().ok()?;
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn default_and_none() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_attempts, 3);
        assert_eq!(p.initial_backoff, Duration::from_millis(100));
        assert_eq!(p.max_backoff, Duration::from_secs(5));
        assert_eq!(p.max_elapsed, Duration::from_secs(30));
        assert!(!p.retry_non_idempotent);
        assert_eq!(RetryPolicy::none().max_attempts, 1);
    }

    #[test]
    fn backoff_is_jittered_below_the_doubling_ceiling_and_the_cap() {
        let p = RetryPolicy::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(350));
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::from_millis(100));
            assert!(p.backoff(2) <= Duration::from_millis(200));
            assert!(p.backoff(3) <= Duration::from_millis(350));
            assert!(p.backoff(u32::MAX) <= Duration::from_millis(350));
        }
        // Full jitter: the waits are spread over the range, not constant.
        let waits: std::collections::HashSet<Duration> = (0..50).map(|_| p.backoff(3)).collect();
        assert!(waits.len() > 1);
        let huge = RetryPolicy::default().with_backoff(Duration::MAX, Duration::MAX);
        let _ = huge.backoff(40);
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").expect("date");
        let wait = |pairs| requested_wait(&headers(pairs), now);
        assert_eq!(
            wait(&[("retry-after", "120")]),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            wait(&[("retry-after", " 7 ")]),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            wait(&[("retry-after", "Sun, 06 Nov 1994 08:49:47 GMT")]),
            Some(Duration::from_secs(10))
        );
        // A date in the past: retry now.
        assert_eq!(
            wait(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]),
            Some(Duration::ZERO)
        );
        assert_eq!(
            wait(&[("retry-after", "99999999999999999999999")]),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn vendor_rate_limit_header_in_seconds() {
        let now = SystemTime::now();
        let wait = |pairs| requested_wait(&headers(pairs), now);
        assert_eq!(
            wait(&[("x-ratelimit-retry-after", "3")]),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            wait(&[("x-ratelimit-retry-after", "0.25")]),
            Some(Duration::from_millis(250))
        );
        // Retry-After wins over the vendor header.
        assert_eq!(
            wait(&[("retry-after", "1"), ("x-ratelimit-retry-after", "9")]),
            Some(Duration::from_secs(1))
        );
    }

    #[test]
    fn garbage_values_are_ignored() {
        let now = SystemTime::now();
        for bad in ["", "-1", "soon", "1.5", "NaN", "inf", "Sun, 99 Nov 1994"] {
            assert_eq!(
                requested_wait(&headers(&[("retry-after", bad)]), now),
                None,
                "{bad:?}"
            );
        }
        for bad in ["-1", "NaN", "inf", "1e400", "x"] {
            let got = requested_wait(&headers(&[("x-ratelimit-retry-after", bad)]), now);
            assert_eq!(got, None, "{bad:?}");
        }
        assert_eq!(requested_wait(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retryable_statuses() {
        for s in [429, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [200, 400, 401, 404, 409, 500, 501] {
            assert!(!is_retryable_status(s));
        }
    }
}
