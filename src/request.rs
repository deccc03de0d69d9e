//! [`Request`]: assembling and sending one call; [`Response`]: its answer.

use std::borrow::Cow;
use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::client::{Configured, Sends};
use crate::error::snippet;
use crate::hooks::{AttemptFailure, RequestParts, ResponseInfo};
use crate::retry::{is_retryable_status, requested_wait};
use crate::styled::{encode_component, styled_pairs};
use crate::{
    ApiError, ByteStream, Core, Error, HeaderParam, Operation, PathParam, QueryParam, QueryStyle,
    RetryPolicy, Streamed,
};

/// Everything except the unreserved characters `A-Z a-z 0-9 - . _ ~`.
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

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
    /// `Content-Type` of `body` (or `upload`).
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
        let text = value.path_value();
        if text.is_empty() {
            self.fail(format!("path parameter `{name}` is empty"));
        }
        let start = self.path.len();
        self.path
            .extend(percent_encoding::utf8_percent_encode(&text, PATH_PARAM));
        self.params.push((start..self.path.len(), name));
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

    /// Adds a header. Values with line breaks or other bytes not allowed in
    /// headers are refused (the error names the header, never the value).
    pub fn header(&mut self, name: &'static str, value: &(impl HeaderParam + ?Sized)) {
        let Some(text) = value.header_value() else {
            return;
        };
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.fail(format!("`{name}` is not a valid header name"));
            return;
        };
        match HeaderValue::from_str(&text) {
            Ok(mut v) => {
                v.set_sensitive(HeaderParam::is_sensitive(value));
                self.headers.append(header_name, v);
            }
            Err(_) => self.fail(format!(
                "header `{name}` has a value with characters not allowed in HTTP headers \
                 (line breaks, control or non-ASCII characters)"
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
        match HeaderValue::from_str(&joined) {
            Ok(mut v) => {
                v.set_sensitive(HeaderParam::is_sensitive(value));
                self.headers.insert(header::COOKIE, v);
            }
            Err(_) => self.fail(format!("cookie `{name}` cannot be sent in a header")),
        }
    }

    /// Sets a JSON request body.
    pub fn json_body(&mut self, body: &(impl serde::Serialize + ?Sized)) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Bytes::from(bytes)),
            Err(e) => self.fail(format!("could not serialize the request body: {e}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` request body from a struct or map of
    /// scalar fields (`None` fields are left out).
    pub fn form_body(&mut self, body: &(impl serde::Serialize + ?Sized)) {
        match serde_urlencoded::to_string(body) {
            Ok(text) => {
                self.body = Some(Bytes::from(text));
                self.body_type = Cow::Borrowed("application/x-www-form-urlencoded");
            }
            Err(e) => self.fail(format!(
                "could not encode the request body as a form (only flat fields can be): {e}"
            )),
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

    /// Sets an `application/octet-stream` request body from an [`crate::Upload`]: bytes in
    /// memory, or a stream (then the call is not retried, and hooks and signers see no body).
    pub fn upload_body(&mut self, body: crate::Upload) {
        match body.0 {
            crate::upload::Inner::Bytes(bytes) => self.body = Some(bytes),
            crate::upload::Inner::Stream(stream) => self.upload = Some(stream),
        }
        self.body_type = Cow::Borrowed("application/octet-stream");
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

    /// Checks the request and assembles the URL, headers (credentials
    /// included) and body sent on every attempt.
    fn prepare<E>(&self) -> Result<Prepared, Error<E>> {
        let operation = self.op.id;
        if let Some(problem) = &self.problem {
            return Err(self.invalid(problem.clone()));
        }
        self.check_path().map_err(|m| self.invalid(m))?;

        let inner = self.core.inner();
        let mut url = match self.core.follow() {
            Some(link) => self.follow_link(link)?,
            None => {
                // The base URL is parsed once, by the client builder; a call sets its path only.
                let base_path = inner.base_url.path().trim_end_matches('/');
                let mut path = String::with_capacity(base_path.len() + self.path.len());
                path.push_str(base_path);
                path.push_str(&self.path);
                let mut url = inner.base_url.clone();
                url.set_path(&path);
                if url.path() != path {
                    return Err(
                        self.invalid("the path would be changed by URL normalisation".to_owned())
                    );
                }
                url
            }
        };

        let mut headers = HeaderMap::with_capacity(
            inner.default_headers.len() + self.headers.len() + self.op.auth.len() + 3,
        );
        for (name, value) in &inner.default_headers {
            headers.append(name.clone(), value.clone());
        }
        headers.insert(header::USER_AGENT, inner.user_agent.clone());
        if !self.headers.contains_key(header::ACCEPT) {
            headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        }
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
        // A followed link carries its own query (the next page's parameters).
        let mut query = if self.core.follow().is_some() {
            Vec::new()
        } else {
            self.query.clone()
        };

        let mut body = self.body.clone();
        if !self.op.auth.is_empty() {
            // Each entry is one alternative; `a+b` needs both `a` and `b`. The first alternative
            // whose schemes are all configured is used.
            let chosen = self.op.auth.iter().find_map(|alternative| {
                alternative
                    .split('+')
                    .map(|scheme| inner.credentials.iter().find(|c| c.scheme == scheme))
                    .collect::<Option<Vec<_>>>()
            });
            let Some(chosen) = chosen else {
                return Err(Error::MissingCredentials {
                    operation,
                    schemes: self.op.auth,
                });
            };
            for configured in chosen {
                self.apply_credential(configured, &mut headers, &mut query, &mut body)?;
            }
        }

        if !query.is_empty() {
            // Already encoded: written as is, after the query a followed link carries.
            let mut text = url.query().unwrap_or_default().to_owned();
            for (name, value) in &query {
                if !text.is_empty() {
                    text.push('&');
                }
                text.push_str(name);
                text.push('=');
                text.push_str(value);
            }
            url.set_query(Some(&text));
        }
        if self.body.is_some() || self.upload.is_some() {
            let content_type = match &self.body_type {
                Cow::Borrowed(text) => HeaderValue::from_static(text),
                Cow::Owned(text) => HeaderValue::from_str(text).map_err(|_| {
                    self.invalid("the body's content type cannot be sent in a header".to_owned())
                })?,
            };
            headers.insert(header::CONTENT_TYPE, content_type);
        }
        Ok(Prepared {
            url,
            headers,
            body,
            upload: None,
        })
    }

    /// The URL of a next-page link: resolved against the base URL, and refused unless it has the
    /// base URL's scheme, host and port (the request carries the client's credentials). The
    /// error names the hosts, never the link's query (which could hold a token).
    fn follow_link<E>(&self, link: &str) -> Result<url::Url, Error<E>> {
        let base = &self.core.inner().base_url;
        let url = base.join(link.trim()).map_err(|e| {
            self.invalid(format!(
                "the next-page link in the response is not a valid URL: {e}"
            ))
        })?;
        let origin = |u: &url::Url| {
            format!(
                "{}://{}{}",
                u.scheme(),
                u.host_str().unwrap_or_default(),
                u.port().map(|p| format!(":{p}")).unwrap_or_default()
            )
        };
        if url.scheme() != base.scheme()
            || url.host_str() != base.host_str()
            || url.port_or_known_default() != base.port_or_known_default()
        {
            return Err(self.invalid(format!(
                "the next-page link in the response points to {}, not to the client's server {}; it is not followed",
                origin(&url),
                origin(base)
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(self.invalid(
                "the next-page link in the response carries user info; it is not followed"
                    .to_owned(),
            ));
        }
        Ok(url)
    }

    /// Adds one scheme's credential to the request being prepared.
    fn apply_credential<E>(
        &self,
        configured: &Configured,
        headers: &mut HeaderMap,
        query: &mut Vec<(String, String)>,
        body: &mut Option<Bytes>,
    ) -> Result<(), Error<E>> {
        let scheme = configured.scheme;
        match &configured.sends {
            Sends::Header(header) => {
                let (name, value) = header.as_ref().map_err(|why| self.invalid(why.clone()))?;
                headers.insert(name.clone(), value.clone());
            }
            Sends::Query { name, value } => {
                query.push((encode_component(name), encode_component(value.expose())));
            }
            Sends::Signer(signer) => {
                let mut json = match body.as_deref() {
                    Some(bytes) => Some(serde_json::from_slice::<serde_json::Value>(bytes).map_err(
                        |e| self.invalid(format!("scheme `{scheme}` signs a JSON body, but the body is not JSON: {e}")),
                    )?),
                    None => None,
                };
                // Signers see decoded pairs; pairs they keep keep their encoding (a styled
                // parameter's separators stay unencoded).
                let decode = |text: &str| {
                    percent_encoding::percent_decode_str(&text.replace('+', " "))
                        .decode_utf8_lossy()
                        .into_owned()
                };
                let mut originals: Vec<Option<(Pair, Pair)>> = query
                    .drain(..)
                    .map(|(n, v)| Some(((decode(&n), decode(&v)), (n, v))))
                    .collect();
                let mut decoded: Vec<(String, String)> = originals
                    .iter()
                    .flatten()
                    .map(|(plain, _)| plain.clone())
                    .collect();
                let mut request = crate::signers::SigningRequest {
                    operation: self.op.id,
                    query: &mut decoded,
                    body: json.as_mut(),
                };
                signer
                    .sign(&mut request)
                    .map_err(|why| self.invalid(format!("scheme `{scheme}`: {why}")))?;
                for pair in decoded {
                    let kept = originals
                        .iter_mut()
                        .find(|o| o.as_ref().is_some_and(|(plain, _)| *plain == pair))
                        .and_then(Option::take);
                    query.push(match kept {
                        Some((_, encoded)) => encoded,
                        None => (encode_component(&pair.0), encode_component(&pair.1)),
                    });
                }
                if let Some(json) = json {
                    let bytes = serde_json::to_vec(&json).map_err(|e| {
                        self.invalid(format!(
                            "scheme `{scheme}`: could not re-encode the body: {e}"
                        ))
                    })?;
                    *body = Some(Bytes::from(bytes));
                }
            }
        }
        Ok(())
    }
}

/// A query `(name, value)` pair.
type Pair = (String, String);

/// What every attempt of one call sends.
struct Prepared {
    url: url::Url,
    headers: HeaderMap,
    body: Option<Bytes>,
    /// A streamed body: taken by the first attempt, so the call has only one.
    upload: Option<reqwest::Body>,
}

/// Why one attempt produced no response to return (or a streamed body stopped).
pub(crate) enum AttemptError {
    Timeout,
    Transport(reqwest::Error),
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

    fn kind(&self) -> AttemptFailure {
        match self {
            AttemptError::Timeout => AttemptFailure::Timeout,
            AttemptError::Transport(e) if e.is_connect() => AttemptFailure::Connect,
            AttemptError::Transport(_) => AttemptFailure::Transport,
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
            AttemptError::Transport(source) => Error::Transport {
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

/// Which responses are handed over unread, as a [`crate::ByteStream`].
#[derive(Clone, Copy)]
enum StreamWhen<'s> {
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
    let mut response = sending.await.map_err(AttemptError::from_reqwest)?;
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
/// moved one would be held twice for the whole call.
async fn run<E>(
    core: &Core,
    op: &'static Operation,
    prepared: &mut Prepared,
    stream: StreamWhen<'_>,
) -> Result<Streamed<E>, Error<E>> {
    let inner = core.inner();
    let policy = &inner.retry;
    let start = Instant::now();
    let deadline = inner
        .operation_timeout
        .and_then(|limit| start.checked_add(limit));
    // A streamed body cannot be read a second time.
    let max_attempts = if prepared.upload.is_some() {
        1
    } else if op.idempotent || policy.retry_non_idempotent {
        policy.max_attempts.max(1)
    } else {
        1
    };
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

            let retryable = match &outcome {
                Ok(received) => is_retryable_status(received.status),
                Err(AttemptError::Timeout) => true,
                Err(AttemptError::Transport(e)) => e.is_connect(),
                Err(AttemptError::BodyTooLarge) => false,
            };
            let wait = if retryable && attempt_no < max_attempts {
                let requested = match &outcome {
                    Ok(received) => requested_wait(&received.headers, SystemTime::now()),
                    Err(_) => None,
                };
                retry_wait(policy, requested, attempt_no, start, deadline)
            } else {
                None
            };

            if let Ok(received) = &outcome {
                crate::meta::record(op.id, received.status, attempt_no, &received.headers);
            }
            let (status, failure) = match &outcome {
                Ok(received) => (Some(received.status), None),
                Err(e) => (None, Some(e.kind())),
            };
            let info = ResponseInfo {
                operation: op,
                attempt: attempt_no,
                status,
                headers: outcome.as_ref().ok().map(|r| &r.headers),
                failure,
                elapsed: attempt_elapsed,
                call_elapsed: start.elapsed(),
                will_retry: wait.is_some(),
            };
            for hook in &inner.hooks {
                hook.on_response(&info);
            }
            tracing::debug!(
                attempt = attempt_no,
                status,
                failure = failure.map(tracing::field::display),
                elapsed_ms = millis(attempt_elapsed),
                "attempt finished"
            );

            if let Some(wait) = wait {
                tracing::debug!(
                    attempt = attempt_no,
                    wait_ms = millis(wait),
                    "retrying after a wait"
                );
                break 'attempt wait;
            }
            if retryable && attempt_no < policy.max_attempts.max(1) && max_attempts == 1 {
                tracing::debug!("not retried: the operation is not idempotent");
            }
            return match outcome {
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
                })),
                Err(e) => Err(e.into_error(op.id, inner.max_response_bytes, attempt_no)),
            };
        };
        Box::pin(tokio::time::sleep(wait)).await;
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

/// A fully read HTTP response.
///
/// `Debug` shows the status, header names and body length, not header values
/// or the body (which can hold tokens).
#[derive(Clone)]
pub struct Response {
    operation: &'static str,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    attempts: u32,
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

impl Response {
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
            snippet: snippet(&self.body),
            attempts: self.attempts,
        };
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| decode_error(e.path().to_string(), e.inner().to_string()))?;
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
            snippet: snippet(&self.body),
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
            snippet: snippet(&self.body),
            request_id,
            attempts: self.attempts,
        }))
    }
}
