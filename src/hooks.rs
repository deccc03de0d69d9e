//! [`Hook`]: user code called on every attempt of every call (logging,
//! metrics, request signing).

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use url::Url;

use crate::{Method, Operation};

/// Called by the client for every attempt of every call, in the order the
/// hooks were registered with [`crate::ClientBuilder::hook`].
///
/// Both methods do nothing by default; implement the ones you need. They are
/// called from the task that runs the call, so they should be quick and must
/// not block.
pub trait Hook: Send + Sync + 'static {
    /// Called just before an attempt is sent, after authentication has been
    /// applied. May add or change headers (for example a signature over the
    /// method, URL and body); header values cannot contain line breaks, so a
    /// hook cannot inject headers. Changes apply to this attempt only: a
    /// retry starts again from the original headers and calls the hook anew.
    fn on_request(&self, request: &mut RequestParts<'_>) {
        let _ = request;
    }

    /// Called when an attempt has ended: with the status and headers when a
    /// response was fully read (whatever its status), or with an
    /// [`AttemptFailure`] when none was (no connection, timeout, broken or
    /// oversized body).
    fn on_response(&self, response: &ResponseInfo<'_>) {
        let _ = response;
    }
}

/// A shared hook (keep a clone to read what it collected).
impl<H: Hook + ?Sized> Hook for std::sync::Arc<H> {
    fn on_request(&self, request: &mut RequestParts<'_>) {
        (**self).on_request(request);
    }

    fn on_response(&self, response: &ResponseInfo<'_>) {
        (**self).on_response(response);
    }
}

/// The request of one attempt, as given to [`Hook::on_request`].
///
/// `Debug` shows the operation, attempt and header names only.
pub struct RequestParts<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) attempt: u32,
    pub(crate) url: &'a Url,
    pub(crate) headers: &'a mut HeaderMap,
    pub(crate) body: Option<&'a [u8]>,
}

impl RequestParts<'_> {
    /// The operation being called.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// HTTP method.
    pub fn method(&self) -> Method {
        self.operation.method
    }

    /// Which attempt this is: 1 for the first.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The full URL. Its query may hold an API key (an `ApiKeyQuery`
    /// credential): do not log it.
    pub fn url(&self) -> &Url {
        self.url
    }

    /// The headers to be sent, the `Authorization` header included (its value
    /// marked sensitive).
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The headers, for adding or changing some.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.headers
    }

    /// The request body (JSON), if there is one.
    pub fn body(&self) -> Option<&[u8]> {
        self.body
    }
}

impl fmt::Debug for RequestParts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("RequestParts")
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("template", &self.operation.path)
            .field("attempt", &self.attempt)
            .field("headers", &headers)
            .field("body_len", &self.body.map(<[u8]>::len))
            .finish()
    }
}

/// Why an attempt got no usable response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptFailure {
    /// The connection could not be established.
    Connect,
    /// The attempt (or the whole operation) ran out of time.
    Timeout,
    /// Sending the request or receiving the response failed (for example
    /// the connection was reset mid-body).
    Transport,
    /// The response body was larger than the client's limit.
    BodyTooLarge,
}

impl fmt::Display for AttemptFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AttemptFailure::Connect => "connect error",
            AttemptFailure::Timeout => "timeout",
            AttemptFailure::Transport => "transport error",
            AttemptFailure::BodyTooLarge => "body too large",
        })
    }
}

/// The outcome of one attempt, as given to [`Hook::on_response`].
///
/// `Debug` shows no header values.
pub struct ResponseInfo<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) attempt: u32,
    pub(crate) status: Option<u16>,
    pub(crate) headers: Option<&'a HeaderMap>,
    pub(crate) failure: Option<AttemptFailure>,
    pub(crate) elapsed: Duration,
    pub(crate) call_elapsed: Duration,
    pub(crate) will_retry: bool,
}

impl ResponseInfo<'_> {
    /// The operation that was called.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// Which attempt this was: 1 for the first.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The response headers, when a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.headers
    }

    /// Why the attempt failed without a usable response (`None` when a
    /// response was fully read, whatever its status).
    pub fn failure(&self) -> Option<AttemptFailure> {
        self.failure
    }

    /// How long this attempt took.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Time since the call started (all attempts and waits so far).
    pub fn call_elapsed(&self) -> Duration {
        self.call_elapsed
    }

    /// Whether the client will retry after this attempt.
    pub fn will_retry(&self) -> bool {
        self.will_retry
    }
}

impl fmt::Debug for ResponseInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseInfo")
            .field("operation", &self.operation.id)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("failure", &self.failure)
            .field("elapsed", &self.elapsed)
            .field("call_elapsed", &self.call_elapsed)
            .field("will_retry", &self.will_retry)
            .finish()
    }
}
