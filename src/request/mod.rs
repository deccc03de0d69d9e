//! [`Request`]: assembling and sending one call; [`Response`]: its answer.
//!
//! - this file: the `Request` generated code fills in (path, query, headers, cookies, body) and
//!   the `send` methods that start a call in its tracing span;
//! - [`prepare`]: the checked request every attempt sends (URL, headers, credentials, body);
//! - [`send`]: the attempts, the reading of each answer within the size limit, and the waits
//!   between retries;
//! - [`response`]: the [`Response`] a call returns.

use std::borrow::Cow;
use std::future::Future;

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument as _;

use crate::styled::{encode_component, styled_pairs};
use crate::{Core, Error, HeaderParam, Operation, PathParam, QueryParam, QueryStyle, Streamed};

mod prepare;
mod response;
mod send;

use prepare::Prepared;
pub use response::Response;
pub use response::{call_empty, call_json, error_body, map, no_error_body, Outcome};
pub(crate) use send::AttemptError;
use send::{run, StreamWhen};

/// One call being assembled. Methods record the first problem; [`Request::send`]
/// reports it as [`Error::InvalidRequest`] without sending anything.
pub struct Request<'a> {
    core: &'a Core,
    op: &'static Operation,
    path: String,
    /// Byte ranges of `path` written by each path parameter.
    params: Vec<(std::ops::Range<usize>, &'static str)>,
    /// Query pairs, percent-encoded (see [`crate::QueryStyle`]).
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    /// A streamed body ([`crate::Upload::stream`]), sent instead of `body`, on one attempt only.
    upload: Option<reqwest::Body>,
    /// `Content-Type` of `body` (or `upload`): the body setter's, or the declared one
    /// ([`Request::content_type`]); owned when the body made it (an [`crate::Upload`]'s own
    /// type, a multipart boundary), which the declared one does not replace.
    body_type: Cow<'static, str>,
    problem: Option<String>,
}

impl std::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets (a Secret query or header): names only.
        let query: Vec<&str> = self.query.iter().map(|(n, _)| n.as_str()).collect();
        let headers: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("Request")
            .field("operation", &self.op.id)
            .field("method", &self.op.method)
            .field("template", &self.op.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("has_body", &(self.body.is_some() || self.upload.is_some()))
            .finish()
    }
}

impl<'a> Request<'a> {
    pub(crate) fn new(core: &'a Core, op: &'static Operation) -> Self {
        Self {
            core,
            op,
            path: String::new(),
            params: Vec::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            upload: None,
            body_type: Cow::Borrowed("application/json"),
            problem: None,
        }
    }

    /// The query pairs (percent-encoded) and headers assembled so far, and the first problem
    /// (what `send` would refuse): the fakes of `vendor_clients::mock` lay a parameter struct
    /// out with them.
    #[cfg(feature = "mock")]
    pub(crate) fn mock_parts(&self) -> (&[(String, String)], &HeaderMap, Option<&str>) {
        (&self.query, &self.headers, self.problem.as_deref())
    }

    fn fail(&mut self, message: String) {
        if self.problem.is_none() {
            self.problem = Some(message);
        }
    }

    /// Appends literal path text from the template (already valid URL path
    /// text; the `#[endpoint]` macro checks it).
    pub fn push_literal(&mut self, s: &'static str) {
        self.path.push_str(s);
    }

    /// Appends a path parameter, percent-encoding everything but the
    /// unreserved characters, so the value stays inside one segment.
    pub fn push_param(&mut self, name: &'static str, value: &(impl PathParam + ?Sized)) {
        let start = self.path.len();
        value.encode_path(&mut self.path);
        if self.path.len() == start {
            self.fail(format!("path parameter `{name}` is empty"));
        }
        self.params.push((start..self.path.len(), name));
    }

    /// Adds the fixed query of the path template (`view=summary&x=1`): `name=value` pairs joined
    /// by `&`, already URL query text, sent as written before the query parameters.
    /// `#[endpoint]` checks the text; a pair without `=` here is refused when the call is sent.
    pub fn query_literal(&mut self, query: &'static str) {
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some((name, value)) if !name.is_empty() => {
                    self.query.push((name.to_owned(), value.to_owned()));
                }
                _ => {
                    self.fail(format!(
                        "`{pair}` in the fixed query `{query}` is not a `name=value` pair"
                    ));
                    return;
                }
            }
        }
    }

    /// Adds a query parameter (`None` adds nothing, lists repeat the name).
    pub fn query(&mut self, name: &'static str, value: &(impl QueryParam + ?Sized)) {
        let mut pairs = Vec::new();
        value.append_to(name, &mut pairs);
        self.query.extend(
            pairs
                .iter()
                .map(|(n, v)| (encode_component(n), encode_component(v))),
        );
    }

    /// Adds a query parameter laid out in an OpenAPI style: comma-, pipe- or space-joined
    /// lists, objects as `name[prop]=value` (see [`QueryStyle`]). `None` adds nothing.
    pub fn query_styled(
        &mut self,
        name: &'static str,
        value: &(impl serde::Serialize + ?Sized),
        style: QueryStyle,
    ) {
        match styled_pairs(name, value, style) {
            Ok(pairs) => self.query.extend(pairs),
            Err(message) => self.fail(message),
        }
    }

    /// Adds a query parameter whose value is the JSON text of `value` (a parameter with
    /// `content: application/json`). `None` adds nothing.
    pub fn query_json(&mut self, name: &'static str, value: &(impl serde::Serialize + ?Sized)) {
        match serde_json::to_string(value) {
            Ok(text) if text == "null" => {}
            Ok(text) => self
                .query
                .push((encode_component(name), encode_component(&text))),
            Err(e) => self.fail(format!("could not serialize query parameter `{name}`: {e}")),
        }
    }

    /// Adds a header whose value is the JSON text of `value` (a header with
    /// `content: application/json`). `None` adds nothing; JSON with characters a header cannot
    /// hold (non-ASCII text) is refused like any such header value.
    pub fn header_json(&mut self, name: &'static str, value: &(impl serde::Serialize + ?Sized)) {
        match serde_json::to_string(value) {
            Ok(text) if text == "null" => {}
            Ok(text) => self.header(name, &text),
            Err(e) => self.fail(format!("could not serialize header `{name}`: {e}")),
        }
    }

    /// Adds a header. Values with anything but visible ASCII, spaces and tabs (line breaks,
    /// controls, non-ASCII text) are refused (the error names the header, never the value).
    pub fn header(&mut self, name: &'static str, value: &(impl HeaderParam + ?Sized)) {
        let Some(text) = value.header_value() else {
            return;
        };
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("`{name}` is not a valid header name"));
            return;
        };
        match crate::params::header_value(&text) {
            Some(mut v) => {
                v.set_sensitive(HeaderParam::is_sensitive(value));
                self.headers.append(header_name, v);
            }
            None => self.fail(format!(
                "header `{name}` has a value that cannot be sent: {}",
                crate::params::HEADER_VALUE_RULE
            )),
        }
    }

    /// Adds a cookie to the request's `Cookie` header (`None` adds nothing). Names and values
    /// with characters a cookie cannot hold (`;`, `,`, spaces, quotes, controls) are refused.
    pub fn cookie(&mut self, name: &'static str, value: &(impl HeaderParam + ?Sized)) {
        let Some(text) = value.header_value() else {
            return;
        };
        let ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_graphic() && !matches!(b, b';' | b',' | b'"' | b'\\'))
        };
        if !ok(name) || name.contains('=') {
            self.fail(format!("`{name}` is not a valid cookie name"));
            return;
        }
        if !text.is_empty() && !ok(&text) {
            self.fail(format!(
                "cookie `{name}` has a value with characters a cookie cannot hold \
                 (`;`, `,`, spaces, quotes, control or non-ASCII characters)"
            ));
            return;
        }
        let pair = format!("{name}={text}");
        let joined = match self
            .headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
        {
            Some(prev) => format!("{prev}; {pair}"),
            None => pair,
        };
        match crate::params::header_value(&joined) {
            Some(mut v) => {
                v.set_sensitive(HeaderParam::is_sensitive(value));
                self.headers.insert(header::COOKIE, v);
            }
            None => self.fail(format!("cookie `{name}` cannot be sent in a header")),
        }
    }

    /// Adds a group of parameters: each one that has a value, where it goes (see
    /// [`crate::Params`]).
    pub fn params(&mut self, params: &(impl crate::Params + ?Sized)) {
        params.apply(self);
    }

    /// Sets a JSON request body.
    pub fn json_body(&mut self, body: &(impl serde::Serialize + ?Sized)) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Bytes::from(bytes)),
            Err(e) => self.fail(format!("could not serialize the request body: {e}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` request body from a struct or map (`None`
    /// fields are left out). Nested objects, maps and lists are written in bracket notation:
    /// `card[number]=4242`, `items[0][price]=p1`, a top-level list as the key repeated.
    pub fn form_body(&mut self, body: &(impl serde::Serialize + ?Sized)) {
        // Flat fields (most forms) as serde_urlencoded writes them; nested objects and lists,
        // which it cannot write, in bracket notation (see `crate::form`).
        let text = serde_urlencoded::to_string(body).or_else(|_| {
            serde_json::to_value(body)
                .map_err(|e| e.to_string())
                .and_then(|v| crate::form::nested_form(&v))
        });
        match text {
            Ok(text) => {
                self.body = Some(Bytes::from(text));
                self.body_type = Cow::Borrowed("application/x-www-form-urlencoded");
            }
            Err(e) => self.fail(format!("could not encode the request body as a form: {e}")),
        }
    }

    /// Sets a `text/plain` request body.
    pub fn text_body(&mut self, body: &(impl AsRef<str> + ?Sized)) {
        self.body = Some(Bytes::copy_from_slice(body.as_ref().as_bytes()));
        self.body_type = Cow::Borrowed("text/plain; charset=utf-8");
    }

    /// Sets an `application/octet-stream` request body.
    pub fn bytes_body(&mut self, body: &(impl AsRef<[u8]> + ?Sized)) {
        self.body = Some(Bytes::copy_from_slice(body.as_ref()));
        self.body_type = Cow::Borrowed("application/octet-stream");
    }

    /// Sets an `application/octet-stream` request body from an [`crate::Upload`] (or what
    /// converts into one): bytes in memory, or a stream (then the call is not retried, and hooks
    /// and signers see no body).
    pub fn upload_body(&mut self, body: impl Into<crate::Upload>) {
        let body = body.into();
        match body.inner {
            crate::upload::Inner::Bytes(bytes) => self.body = Some(bytes),
            crate::upload::Inner::Stream(stream) => self.upload = Some(stream),
        }
        self.body_type = match body.content_type {
            Some(chosen) => Cow::Owned(chosen),
            None => Cow::Borrowed("application/octet-stream"),
        };
    }

    /// Sends the body (set before) as `media_type`, the one the operation declares (such as
    /// `application/merge-patch+json`, `text/csv` or `image/png`) instead of its encoding's
    /// default, unless the caller chose another for an [`crate::Upload`]. `#[endpoint]` checks
    /// it is a media type that can be sent in a header.
    pub fn content_type(&mut self, media_type: &'static str) {
        // What `HeaderValue::from_static` takes, which `prepare` uses on it.
        let sendable = |b: u8| b == b'\t' || (0x20..0x7f).contains(&b);
        if media_type.is_empty() || !media_type.bytes().all(sendable) {
            self.fail(format!(
                "the body's content type {media_type:?} cannot be sent in a header"
            ));
        } else if matches!(self.body_type, Cow::Borrowed(_)) {
            self.body_type = Cow::Borrowed(media_type);
        }
    }

    /// Sets a `multipart/form-data` request body from the parts `body` adds (text, JSON and
    /// file parts; see [`crate::MultipartBody`]).
    pub fn multipart_body(&mut self, body: &(impl crate::MultipartBody + ?Sized)) {
        let mut form = crate::Multipart::default();
        body.parts(&mut form);
        match form.encode() {
            Ok((bytes, content_type)) => {
                self.body = Some(bytes);
                self.body_type = Cow::Owned(content_type);
            }
            Err(message) => self.fail(message),
        }
    }

    /// Checks the assembled path: no `.`/`..` segments (URL parsers would
    /// remove them and change which resource is addressed).
    fn check_path(&self) -> Result<(), String> {
        if !self.path.starts_with('/') {
            return Err("the path must start with '/'".to_owned());
        }
        let mut start = 0;
        for segment in self.path.split('/') {
            let end = start + segment.len();
            if segment == "." || segment == ".." {
                let names: Vec<String> = self
                    .params
                    .iter()
                    .filter(|(range, _)| range.start < end && start < range.end)
                    .map(|(_, n)| format!("`{n}`"))
                    .collect();
                return Err(if names.is_empty() {
                    format!("the path contains a `{segment}` segment")
                } else {
                    format!(
                        "path parameter {} would make a `{segment}` segment, which would change the addressed path",
                        names.join(", ")
                    )
                });
            }
            start = end + 1;
        }
        Ok(())
    }

    fn invalid<E>(&self, message: String) -> Error<E> {
        Error::InvalidRequest {
            operation: self.op.id,
            message,
        }
    }

    /// Sends the request and reads the whole response body (up to the
    /// client's limit), retrying as the client's [`crate::RetryPolicy`]
    /// allows. Any status that is not retried is returned as a
    /// [`Response`]; deciding what it means is up to the caller.
    ///
    /// The call runs in a `vendor_clients.call` tracing span (fields `api`,
    /// `operation`, `method`, `path` (the template), `status`, `attempts`),
    /// with a debug event per attempt and per retry. URLs, header values and
    /// bodies are never recorded.
    ///
    /// The request is checked and assembled when `send` is called (an
    /// [`Error::InvalidRequest`] comes from the returned future without anything being sent);
    /// the future holds only what the attempts send, not the `Request`.
    pub fn send<E: 'a>(self) -> impl Future<Output = Result<Response, Error<E>>> + 'a {
        self.start(StreamWhen::Status(&[]), |streamed| match streamed {
            Streamed::Full(response) => response,
            // `attempt` streams only the statuses it is given, and it was given none.
            Streamed::Stream(_) => unreachable!("no status is streamed by `send`"),
        })
    }

    /// Like [`Request::send`], except that a response whose status is in `stream` is returned
    /// as soon as its headers arrive, with the body as a [`crate::ByteStream`] read as the
    /// caller polls it (not held in memory, so the response size limit does not apply; the
    /// per-attempt timeout ends with the headers). Other statuses are read in full and retried
    /// as usual.
    pub fn send_streaming<E: 'a>(
        self,
        stream: &'static [u16],
    ) -> impl Future<Output = Result<Streamed<E>, Error<E>>> + 'a {
        self.start(StreamWhen::Status(stream), |streamed| streamed)
    }

    /// Like [`Request::send_streaming`], for operations whose answer's media type is chosen by
    /// the request: a response is streamed when its status and media type (see
    /// [`crate::media_type`]) match one of the `(status, media type pattern)` pairs, a pattern
    /// being what [`crate::media_type_matches`] takes (`text/csv`, `text/*`).
    pub fn send_streaming_media<E: 'a>(
        self,
        stream: &'static [(u16, &'static str)],
    ) -> impl Future<Output = Result<Streamed<E>, Error<E>>> + 'a {
        self.start(StreamWhen::Media(stream), |streamed| streamed)
    }

    /// Replaces the `Accept` header (`application/json` by default), for an operation that
    /// answers in other media types: `"application/json, text/xml"`.
    pub fn accept(&mut self, media_types: &'static str) {
        self.headers
            .insert(header::ACCEPT, HeaderValue::from_static(media_types));
    }

    /// Checks and assembles the request now, and returns the attempts to come, in the call's
    /// span, with their answer passed through `finish`. The `Request` is dropped here: a
    /// future that kept it would carry it (about 300 bytes, more with a body) through every
    /// await of the call. (`finish` saves wrapping this future in another, which would hold it
    /// twice: once as captured, once as awaited.)
    fn start<E: 'a, T: 'a>(
        mut self,
        stream: StreamWhen<'static>,
        finish: fn(Streamed<E>) -> T,
    ) -> impl Future<Output = Result<T, Error<E>>> + 'a {
        let op = self.op;
        let core = self.core;
        let span = tracing::info_span!(
            "vendor_clients.call",
            api = core.inner().api,
            operation = op.id,
            method = op.method.as_str(),
            path = op.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let mut prepared = match self.prepare() {
            // The streamed body moves into what the (single) attempt sends.
            Ok(prepared) => Ok(Prepared {
                upload: self.upload.take(),
                ..prepared
            }),
            Err(e) => {
                span.in_scope(|| tracing::debug!(error = %e, "request not sent"));
                Err(e)
            }
        };
        drop(self);
        let record = span.clone();
        async move {
            // Borrowed where it was captured, not moved into a second place in this future.
            let result = match prepared {
                Ok(ref mut prepared) => run(core, op, prepared, stream).await,
                Err(e) => return Err(e),
            };
            let span = record;
            match &result {
                Ok(Streamed::Full(response)) => {
                    span.record("status", response.status);
                    span.record("attempts", response.attempts);
                }
                Ok(Streamed::Stream(body)) => {
                    span.record("status", body.status());
                    span.record("attempts", body.attempts());
                }
                Err(e) => {
                    if let Some(status) = e.status() {
                        span.record("status", status);
                    }
                    span.record("attempts", e.attempts());
                }
            }
            result.map(finish)
        }
        .instrument(span)
    }
}
