//! [`Response`]: a call's answer, read in full: status, headers, body, and the decoding helpers
//! generated code uses (JSON with the failing field's path, media types, error bodies).

use std::borrow::Cow;
use std::future::Future;

use bytes::Bytes;
use futures_util::FutureExt;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::snippet;
use crate::{ApiError, Error, Request};

/// A fully read HTTP response.
///
/// `Debug` shows the status, header names and body length, not header values
/// or the body (which can hold tokens).
#[derive(Clone)]
pub struct Response {
    pub(super) operation: &'static str,
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    pub(super) attempts: u32,
    /// The operation's responses can hold secrets: snippets leave the body out.
    pub(super) sensitive: bool,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// The snippet of an error whose response can hold secrets (see [`crate::Operation::sensitive`]).
pub(crate) const SNIPPET_LEFT_OUT: &str =
    "(left out: this operation's responses can hold secrets, `x-sensitive` in the spec)";

/// `inner` (a path inside the value at `outer`) as a path from the top: `items[0]` and
/// `details[1]` give `items[0].details[1]`.
fn join_path(outer: &str, inner: &str) -> String {
    match (outer, inner) {
        (".", inner) => inner.to_owned(),
        (outer, ".") => outer.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    }
}

impl Response {
    /// The start of the body for an error's snippet, or [`SNIPPET_LEFT_OUT`] when the
    /// operation's responses can hold secrets.
    fn snippet(&self) -> String {
        if self.sensitive {
            SNIPPET_LEFT_OUT.to_owned()
        } else {
            snippet(&self.body)
        }
    }

    /// The id of the operation this answers.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// How many attempts the call took (1 when it was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    ///
    /// A body that arrived in one piece may share memory with the connection's read buffer, as
    /// reqwest's `Response::bytes` does: a clone kept for long keeps that buffer alive. To keep a
    /// small body, copy it (`Bytes::copy_from_slice`), as the `#[endpoint]` `bytes` outcome does.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// Decodes the body as JSON into `T`; on failure [`Error::Decode`] says
    /// where in the document and why.
    pub fn json<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        // Fast path: most bodies decode, and tracking the path of every value costs about a
        // third of the decode. Only a body that fails is decoded again to say where.
        if let Ok(value) = serde_json::from_slice(&self.body) {
            return Ok(value);
        }
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let decode_error = |path: String, message: String| Error::Decode {
            operation: self.operation,
            status: self.status,
            path,
            message,
            snippet: self.snippet(),
            attempts: self.attempts,
        };
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let outer = e.path().to_string();
            let message = e.inner().to_string();
            // An error from inside a tagged union's alternative carries its own path.
            match crate::tagged::split_path(&message) {
                Some((inner, rest)) => decode_error(join_path(&outer, inner), rest.to_owned()),
                None => decode_error(outer, message),
            }
        })?;
        de.end()
            .map_err(|e| decode_error(".".to_owned(), e.to_string()))?;
        Ok(value)
    }

    /// The body's media type (see [`crate::media_type`]): `text/csv`, never with parameters.
    pub fn media_type(&self) -> Cow<'_, str> {
        crate::media_type(&self.headers)
    }

    /// Whether the body's media type is matched by `pattern` (see [`crate::media_type_matches`]).
    pub fn has_media_type(&self, pattern: &str) -> bool {
        crate::media_type_matches(&self.media_type(), pattern)
    }

    /// [`Error::Decode`] for a success status answered in a media type the operation does not
    /// declare for it (`expected`, the declared ones): the body is kept as the error's snippet.
    pub fn unexpected_media_type<E>(self, expected: &[&str]) -> Error<E> {
        Error::Decode {
            operation: self.operation,
            status: self.status,
            path: ".".to_owned(),
            message: format!(
                "the response is `{}`, not one of the media types declared for HTTP {}: {}",
                self.media_type(),
                self.status,
                expected.join(", ")
            ),
            snippet: self.snippet(),
            attempts: self.attempts,
        }
    }

    /// Leniently decodes an error body: `None` if the body is empty or does
    /// not match `B`.
    pub fn error_body<B: DeserializeOwned>(&self) -> Option<B> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }

    /// Turns this response into [`Error::Api`] with the given decoded body.
    pub fn into_api_error<E>(self, body: Option<E>) -> Error<E> {
        let request_id = ["x-request-id", "request-id"].iter().find_map(|name| {
            self.headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
        Error::Api(Box::new(ApiError {
            operation: self.operation,
            status: self.status,
            body,
            snippet: self.snippet(),
            request_id,
            attempts: self.attempts,
        }))
    }
}

/// What an answer's status means, for an operation in the `#[endpoint]` attribute's compact form
/// (one success kind, at most one error body type, no streaming, no media-type choice): a table
/// of inclusive status ranges `(lo, hi, outcome)`, first match wins, read by [`call_json`] and
/// [`call_empty`]. Exact codes come first in the table, then ranges, then `default` as
/// `0..=999`, as the attribute's arms are matched. The outcome is one of [`Outcome`]'s codes:
/// plain numbers, so that the macro writes no path per entry (each path is resolved and lowered
/// in every build of a generated client).
#[doc(hidden)]
pub type Table = [(u16, u16, u8)];

/// The outcomes of a [`Table`] entry.
#[doc(hidden)]
pub struct Outcome;

impl Outcome {
    /// A success: the value is decoded (or `()`).
    pub const OK: u8 = 0;
    /// A failure whose body is decoded leniently as the operation's error body.
    pub const ERR: u8 = 1;
    /// A failure declared without a body.
    pub const ERR_EMPTY: u8 = 2;
}

/// The outcome of `status` in `table`; `None` when no entry covers it (an undeclared status).
fn outcome(table: &Table, status: u16) -> Option<u8> {
    table
        .iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&status))
        .map(|entry| entry.2)
}

/// The error body of a failure in the compact form: `B` decoded leniently, as
/// [`Response::error_body`] does, and converted into the error type's body.
#[doc(hidden)]
pub fn error_body<B: DeserializeOwned + Into<E>, E>(response: &Response) -> Option<E> {
    response.error_body::<B>().map(Into::into)
}

/// The error body of an operation that declares none.
#[doc(hidden)]
pub fn no_error_body<E>(_: &Response) -> Option<E> {
    None
}

/// What a sent request means: `ok` reads a success; a failure is [`Error::Api`] with its body
/// as the table says (none for an undeclared status).
fn answer<T, E>(
    sent: Result<Response, Error<E>>,
    table: &Table,
    body: fn(&Response) -> Option<E>,
    ok: impl FnOnce(&Response) -> Result<T, Error<E>>,
) -> Result<T, Error<E>> {
    let response = sent?;
    let outcome = outcome(table, response.status);
    if outcome == Some(Outcome::OK) {
        return ok(&response);
    }
    let body = match outcome {
        Some(Outcome::ERR) => body(&response),
        _ => None,
    };
    Err(response.into_api_error(body))
}

/// The compact form's whole call for an operation whose success decodes JSON into `T`: sends
/// `request`, then does what the attribute's full form does for the same arms (see
/// `macros/src/expand/status.rs`), written once here instead of once per operation. It returns
/// the future rather than being an `async fn` of the operation's own, so that the generated
/// method is a plain `fn` and no coroutine is compiled per operation: a generated client then
/// compiles faster.
#[doc(hidden)]
pub fn call_json<'a, T: DeserializeOwned + 'a, E: 'a>(
    request: Request<'a>,
    table: &'static Table,
    body: fn(&Response) -> Option<E>,
) -> impl Future<Output = Result<T, Error<E>>> + 'a {
    // A `map`, not an `async` block: awaiting the captured future would hold it twice.
    request
        .send::<E>()
        .map(move |sent| answer(sent, table, body, |response| response.json()))
}

/// The full form's call: `answer`, a function of the sent request's output, applied to it.
#[doc(hidden)]
pub fn map<F: Future, T>(sent: F, answer: impl FnOnce(F::Output) -> T) -> impl Future<Output = T> {
    sent.map(answer)
}

/// The compact form's whole call for an operation whose success has no body.
#[doc(hidden)]
pub fn call_empty<'a, E: 'a>(
    request: Request<'a>,
    table: &'static Table,
    body: fn(&Response) -> Option<E>,
) -> impl Future<Output = Result<(), Error<E>>> + 'a {
    request
        .send::<E>()
        .map(move |sent| answer(sent, table, body, |_| Ok(())))
}
