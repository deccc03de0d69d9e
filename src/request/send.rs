//! What a [`Prepared`] request becomes on the wire: its attempts, each answer read within the
//! size limit (or handed over unread as a stream), the hooks and tracing events of every attempt,
//! and the waits between retries.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;

use super::prepare::Prepared;
use super::Response;
use crate::hooks::{AttemptFailure, RequestParts, ResponseInfo};
use crate::retry::{is_retryable_status, requested_wait};
use crate::{ByteStream, Core, Error, Operation, RetryPolicy, Streamed};

/// Why one attempt produced no response to return (or a streamed body stopped).
pub(crate) enum AttemptError {
    Timeout,
    Transport(reqwest::Error),
    /// The connection closed (or was reset) after the request went out and before any of the
    /// answer came back: typically a kept-alive connection the server closed just as it was
    /// reused. Nothing was answered, so an idempotent call may be sent again.
    Closed(reqwest::Error),
    BodyTooLarge,
}

impl AttemptError {
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            AttemptError::Timeout
        } else {
            AttemptError::Transport(e.without_url())
        }
    }

    /// A failure to get the answer's head (as opposed to a failure while reading its body).
    fn from_sending(e: reqwest::Error) -> Self {
        if !e.is_timeout() && !e.is_connect() && closed_before_answer(&e) {
            AttemptError::Closed(e.without_url())
        } else {
            AttemptError::from_reqwest(e)
        }
    }

    fn kind(&self) -> AttemptFailure {
        match self {
            AttemptError::Timeout => AttemptFailure::Timeout,
            AttemptError::Transport(e) if e.is_connect() => AttemptFailure::Connect,
            AttemptError::Transport(_) | AttemptError::Closed(_) => AttemptFailure::Transport,
            AttemptError::BodyTooLarge => AttemptFailure::BodyTooLarge,
        }
    }

    pub(crate) fn into_error<E>(
        self,
        operation: &'static str,
        limit: usize,
        attempts: u32,
    ) -> Error<E> {
        match self {
            AttemptError::Timeout => Error::Timeout {
                operation,
                attempts,
            },
            AttemptError::Transport(source) | AttemptError::Closed(source) => Error::Transport {
                operation,
                source,
                attempts,
            },
            AttemptError::BodyTooLarge => Error::BodyTooLarge {
                operation,
                limit,
                attempts,
            },
        }
    }
}

/// Whether a failed send is the connection closing (or being reset) under a request that was
/// written, before the answer's head: hyper's "connection closed before message completed", or
/// an I/O error of that kind anywhere in the error's sources.
fn closed_before_answer(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(h) = err.downcast_ref::<hyper::Error>() {
            if h.is_incomplete_message() {
                return true;
            }
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof
            ) {
                return true;
            }
        }
        source = err.source();
    }
    false
}

/// Which responses are handed over unread, as a [`crate::ByteStream`].
#[derive(Clone, Copy)]
pub(super) enum StreamWhen<'s> {
    /// Those with one of these statuses.
    Status(&'s [u16]),
    /// Those with one of these statuses and a media type the paired pattern matches.
    Media(&'s [(u16, &'static str)]),
}

impl StreamWhen<'_> {
    fn matches(self, status: u16, headers: &HeaderMap) -> bool {
        match self {
            StreamWhen::Status(codes) => codes.contains(&status),
            StreamWhen::Media(pairs) => {
                pairs.iter().any(|&(code, _)| code == status) && {
                    let media = crate::media_type(headers);
                    pairs.iter().any(|&(code, pattern)| {
                        code == status && crate::media_type_matches(&media, pattern)
                    })
                }
            }
        }
    }
}

/// A response with its body read, or (for a streamed status) still to be read.
struct Received {
    status: u16,
    headers: HeaderMap,
    body: Body,
}

enum Body {
    Full(Bytes),
    Stream(reqwest::Response),
}

/// Sends one attempt and reads the body, refusing bodies over `limit` bytes
/// whatever the `Content-Length` says (chunked bodies are counted as they
/// arrive; nothing past the limit is buffered). For a status in `stream`, the
/// body is left unread, without limit.
async fn attempt(
    sending: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
    limit: usize,
    stream: StreamWhen<'_>,
) -> Result<Received, AttemptError> {
    let mut response = sending.await.map_err(AttemptError::from_sending)?;
    let status = response.status().as_u16();
    if stream.matches(status, response.headers()) {
        return Ok(Received {
            status,
            headers: response.headers().clone(),
            body: Body::Stream(response),
        });
    }
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(AttemptError::BodyTooLarge);
    }
    let headers = std::mem::take(response.headers_mut());
    // A body that arrives in one chunk (most small ones) is kept as it came, without a copy.
    // Later chunks are gathered in one buffer, one allocation when the length is announced (it
    // is within the limit, checked above).
    let mut first: Option<Bytes> = None;
    let mut rest = BytesMut::new();
    let mut received = 0usize;
    while let Some(chunk) = response.chunk().await.map_err(AttemptError::from_reqwest)? {
        if chunk.len() > limit - received {
            return Err(AttemptError::BodyTooLarge);
        }
        received += chunk.len();
        if first.is_none() && rest.is_empty() {
            first = Some(chunk);
            continue;
        }
        if let Some(first) = first.take() {
            let announced = response.content_length().unwrap_or(0) as usize;
            rest.reserve(announced.max(received));
            rest.extend_from_slice(&first);
        }
        rest.extend_from_slice(&chunk);
    }
    let body = match first {
        Some(only) => only,
        None => rest.freeze(),
    };
    Ok(Received {
        status,
        headers,
        body: Body::Full(body),
    })
}

/// The attempts of one call, with the waits between them.
///
/// `prepared` is borrowed, not moved: an `async fn` keeps its arguments besides its locals, so a
/// moved one would be held twice for the whole call. The steps of an attempt are plain functions
/// (nothing of theirs is held across an await); only the attempt and the wait are awaited here.
pub(super) async fn run<E>(
    core: &Core,
    op: &'static Operation,
    prepared: &mut Prepared,
    stream: StreamWhen<'_>,
) -> Result<Streamed<E>, Error<E>> {
    let inner = core.inner();
    let start = Instant::now();
    let deadline = inner
        .operation_timeout
        .and_then(|limit| start.checked_add(limit));
    let max_attempts = attempts_allowed(&inner.retry, op, prepared);
    let mut attempt_no: u32 = 0;
    loop {
        attempt_no += 1;
        // What one attempt holds is scoped to this block, so that none of it is kept (in the
        // call's future) across the wait before the next.
        let wait = 'attempt: {
            let attempt_start = Instant::now();
            let time_left = deadline.map(|d| d.saturating_duration_since(attempt_start));
            if time_left == Some(Duration::ZERO) {
                // Only reachable after a retry wait that ended at the deadline.
                return Err(Error::Timeout {
                    operation: op.id,
                    attempts: attempt_no - 1,
                });
            }
            let attempt_limit = match (inner.timeout, time_left) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };

            let request = attempt_request(inner, op, prepared, attempt_no, max_attempts);
            tracing::debug!(attempt = attempt_no, "sending");
            let sending = inner.http.execute(request);
            // The attempt future is built in each arm (a binding before the `match` would be held
            // beside the awaited copy), and a timeout's timer is boxed, so that calls without one do
            // not carry its room.
            let outcome = match attempt_limit {
                Some(limit) => Box::pin(tokio::time::timeout(
                    limit,
                    attempt(sending, inner.max_response_bytes, stream),
                ))
                .await
                .unwrap_or(Err(AttemptError::Timeout)),
                None => attempt(sending, inner.max_response_bytes, stream).await,
            };
            let attempt_elapsed = attempt_start.elapsed();

            let retryable = is_retryable(&outcome);
            let wait = if retryable && attempt_no < max_attempts {
                let requested = match &outcome {
                    Ok(received) => requested_wait(&received.headers, SystemTime::now()),
                    Err(_) => None,
                };
                retry_wait(&inner.retry, requested, attempt_no, start, deadline)
            } else {
                None
            };
            let attempt = Attempt {
                op,
                number: attempt_no,
                elapsed: attempt_elapsed,
                call_elapsed: start.elapsed(),
            };
            report(inner, &attempt, &outcome, wait);

            if let Some(wait) = wait {
                break 'attempt wait;
            }
            if retryable && attempt_no < inner.retry.max_attempts.max(1) && max_attempts == 1 {
                tracing::debug!("not retried: the operation is not idempotent");
            }
            return finish(op, outcome, attempt_no, inner.max_response_bytes);
        };
        Box::pin(tokio::time::sleep(wait)).await;
    }
}

/// How many attempts a call may have: one for a streamed body (it cannot be read a second time)
/// and for an operation that is not idempotent (unless the policy retries those too), else the
/// policy's maximum.
fn attempts_allowed(policy: &RetryPolicy, op: &Operation, prepared: &Prepared) -> u32 {
    if prepared.upload.is_some() {
        1
    } else if op.idempotent || policy.retry_non_idempotent {
        policy.max_attempts.max(1)
    } else {
        1
    }
}

/// Whether an attempt's outcome may be retried: a retryable status, a timeout, a failure to
/// connect (nothing was sent), or a connection closed before any of the answer came back
/// (nothing was answered; only idempotent calls get a second attempt, see [`attempts_allowed`]).
/// A body over the limit would be as large the next time, and a body broken half-way is not
/// retried either.
fn is_retryable(outcome: &Result<Received, AttemptError>) -> bool {
    match outcome {
        Ok(received) => is_retryable_status(received.status),
        Err(AttemptError::Timeout) => true,
        Err(AttemptError::Transport(e)) => e.is_connect(),
        Err(AttemptError::Closed(_)) => true,
        Err(AttemptError::BodyTooLarge) => false,
    }
}

/// One finished attempt, as the hooks and the tracing events see it.
struct Attempt {
    op: &'static Operation,
    number: u32,
    elapsed: Duration,
    call_elapsed: Duration,
}

/// Tells the response metadata, the hooks and the tracing events about a finished attempt, and
/// whether (and after how long) it will be retried.
fn report(
    inner: &crate::client::Inner,
    attempt: &Attempt,
    outcome: &Result<Received, AttemptError>,
    wait: Option<Duration>,
) {
    let attempt_no = attempt.number;
    if let Ok(received) = outcome {
        crate::meta::record(
            attempt.op.id,
            received.status,
            attempt_no,
            &received.headers,
        );
    }
    let (status, failure) = match outcome {
        Ok(received) => (Some(received.status), None),
        Err(e) => (None, Some(e.kind())),
    };
    let info = ResponseInfo {
        operation: attempt.op,
        attempt: attempt_no,
        status,
        headers: outcome.as_ref().ok().map(|r| &r.headers),
        failure,
        elapsed: attempt.elapsed,
        call_elapsed: attempt.call_elapsed,
        will_retry: wait.is_some(),
    };
    for hook in &inner.hooks {
        hook.on_response(&info);
    }
    tracing::debug!(
        attempt = attempt_no,
        status,
        failure = failure.map(tracing::field::display),
        elapsed_ms = millis(attempt.elapsed),
        "attempt finished"
    );
    if let Some(wait) = wait {
        tracing::debug!(
            attempt = attempt_no,
            wait_ms = millis(wait),
            "retrying after a wait"
        );
    }
}

/// The call's result from its last attempt: the response (read, or streamed), or the error.
fn finish<E>(
    op: &'static Operation,
    outcome: Result<Received, AttemptError>,
    attempt_no: u32,
    limit: usize,
) -> Result<Streamed<E>, Error<E>> {
    match outcome {
        Ok(Received {
            body: Body::Stream(response),
            ..
        }) => Ok(Streamed::Stream(ByteStream::new(
            op.id, attempt_no, response,
        ))),
        Ok(Received {
            status,
            headers,
            body: Body::Full(body),
        }) => Ok(Streamed::Full(Response {
            operation: op.id,
            status,
            headers,
            body,
            attempts: attempt_no,
            sensitive: op.sensitive,
        })),
        Err(e) => Err(e.into_error(op.id, limit, attempt_no)),
    }
}

/// The request of attempt `attempt_no`: the prepared headers as they were (the hooks may change
/// them; the last possible attempt takes them instead of copying), URL and body. Built directly
/// rather than through `RequestBuilder`, which would copy the headers into a map of its own.
fn attempt_request(
    inner: &crate::client::Inner,
    op: &'static Operation,
    prepared: &mut Prepared,
    attempt_no: u32,
    max_attempts: u32,
) -> reqwest::Request {
    let mut headers = if attempt_no >= max_attempts {
        std::mem::take(&mut prepared.headers)
    } else {
        prepared.headers.clone()
    };
    for hook in &inner.hooks {
        hook.on_request(&mut RequestParts {
            operation: op,
            attempt: attempt_no,
            url: &prepared.url,
            headers: &mut headers,
            body: prepared.body.as_deref(),
        });
    }
    let mut request = reqwest::Request::new(op.method.to_reqwest(), prepared.url.clone());
    *request.headers_mut() = headers;
    if let Some(body) = &prepared.body {
        *request.body_mut() = Some(body.clone().into());
    } else if let Some(upload) = prepared.upload.take() {
        *request.body_mut() = Some(upload);
    }
    request
}

/// How long to wait before the next attempt, or `None` to stop: the server's
/// requested wait (capped by `max_backoff`) or a jittered backoff, unless
/// the wait would pass `max_elapsed` or the operation deadline.
fn retry_wait(
    policy: &RetryPolicy,
    requested: Option<Duration>,
    attempt_no: u32,
    start: Instant,
    deadline: Option<Instant>,
) -> Option<Duration> {
    let now = Instant::now();
    let elapsed_left = policy
        .max_elapsed
        .saturating_sub(now.saturating_duration_since(start));
    let deadline_left = deadline.map(|d| d.saturating_duration_since(now));
    let wait = match requested {
        // Asked to wait past the budget: retrying earlier would be refused again.
        Some(asked) if asked > elapsed_left => return None,
        Some(asked) if deadline_left.is_some_and(|left| asked >= left) => return None,
        Some(asked) => asked.min(policy.max_backoff),
        None => policy.backoff(attempt_no),
    };
    if wait > elapsed_left || deadline_left.is_some_and(|left| wait >= left) {
        return None;
    }
    Some(wait)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
