//! [`with_response_meta`]: the status and headers (rate limits included) of the responses a
//! call received, for callers that need more than the decoded value.
//!
//! Generated methods return the decoded body only, so that the common case stays short. A caller
//! that wants the headers of a call wraps it:
//!
//! ```no_run
//! # async fn demo(fut: impl std::future::Future<Output = ()>) {
//! let ((), meta) = vendor_clients::with_response_meta(fut).await;
//! if let Some(meta) = meta {
//!     let limits = meta.rate_limit();
//!     println!("{:?} calls left", limits.remaining);
//! }
//! # }
//! ```
//!
//! The wrapper works for any method, stream or group of calls awaited inside it (also
//! concurrently polled ones: each wrapped future records only its own calls), and costs nothing
//! for calls made outside one.

use std::cell::RefCell;
use std::future::Future;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::retry::requested_wait;

tokio::task_local! {
    static CAPTURE: RefCell<Option<ResponseMeta>>;
}

/// What the last response received inside [`with_response_meta`] said besides its body.
#[derive(Debug, Clone)]
pub struct ResponseMeta {
    operation: &'static str,
    status: u16,
    attempts: u32,
    headers: HeaderMap,
}

impl ResponseMeta {
    /// Operation id of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Which attempt of its call this response answered (1 for the first; more after retries).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// All response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers, parsed.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }
}

/// The rate-limit headers of a response (`X-RateLimit-Limit`, `X-RateLimit-Remaining`,
/// `X-RateLimit-Reset`, and `X-RateLimit-Retry-After` or `Retry-After`). A header that is
/// missing or not a number is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the current window.
    pub limit: Option<u64>,
    /// Requests left in the current window.
    pub remaining: Option<u64>,
    /// Seconds until the window resets.
    pub reset: Option<u64>,
    /// How long the server asks to wait before the next request.
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Reads the rate-limit headers of `headers`.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset"),
            retry_after: requested_wait(headers, SystemTime::now()),
        }
    }
}

/// Runs `fut` and returns its output with the meta data of the last response received by a
/// call inside it (`None` if no response was received, e.g. on a connection error). After
/// retries this is the final response: for a 429 followed by a 200, the 200's headers.
pub async fn with_response_meta<F: Future>(fut: F) -> (F::Output, Option<ResponseMeta>) {
    CAPTURE
        .scope(RefCell::new(None), async move {
            let out = fut.await;
            let meta = CAPTURE.with(|c| c.borrow_mut().take());
            (out, meta)
        })
        .await
}

/// Records a received response for an enclosing [`with_response_meta`], if there is one.
pub(crate) fn record(operation: &'static str, status: u16, attempts: u32, headers: &HeaderMap) {
    let _ = CAPTURE.try_with(|c| {
        *c.borrow_mut() = Some(ResponseMeta {
            operation,
            status,
            attempts,
            headers: headers.clone(),
        });
    });
}
