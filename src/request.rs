//! [`Request`]: assembling and sending one call; [`Response`]: its answer.

use std::borrow::Cow;

use base64::Engine as _;
use bytes::{Bytes, BytesMut};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use crate::error::snippet;
use crate::{ApiError, Core, Credential, Error, HeaderParam, Operation, PathParam, QueryParam};

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
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
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
            .field("has_body", &self.body.is_some())
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
        value.append_to(name, &mut self.query);
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
            Ok(v) => {
                self.headers.append(header_name, v);
            }
            Err(_) => self.fail(format!(
                "header `{name}` has a value with characters not allowed in HTTP headers \
                 (line breaks, control or non-ASCII characters)"
            )),
        }
    }

    /// Sets a JSON request body.
    pub fn json_body(&mut self, body: &(impl serde::Serialize + ?Sized)) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(e) => self.fail(format!("could not serialize the request body: {e}")),
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
    /// client's limit). Any status is returned as a [`Response`]; deciding
    /// what a status means is up to the caller.
    pub async fn send<E>(self) -> Result<Response, Error<E>> {
        let operation = self.op.id;
        if let Some(problem) = &self.problem {
            return Err(self.invalid(problem.clone()));
        }
        self.check_path().map_err(|m| self.invalid(m))?;

        let inner = self.core.inner();
        let base = inner.base_url.as_str().trim_end_matches('/');
        let expected_path = format!(
            "{}{}",
            inner.base_url.path().trim_end_matches('/'),
            self.path
        );
        let mut url = url::Url::parse(&format!("{base}{}", self.path))
            .map_err(|e| self.invalid(format!("could not form the URL: {e}")))?;
        if url.path() != expected_path {
            return Err(self.invalid("the path would be changed by URL normalisation".to_owned()));
        }

        let mut headers = inner.default_headers.clone();
        headers.insert(header::USER_AGENT, inner.user_agent.clone());
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
        let mut query = self.query.clone();

        if !self.op.auth.is_empty() {
            let credential = self.op.auth.iter().find_map(|scheme| {
                inner
                    .credentials
                    .iter()
                    .find(|(n, _)| n == scheme)
                    .map(|(n, c)| (*n, c))
            });
            let Some((scheme, credential)) = credential else {
                return Err(Error::MissingCredentials {
                    operation,
                    schemes: self.op.auth,
                });
            };
            let bad_value = || {
                self.invalid(format!(
                    "the credential for `{scheme}` contains characters not allowed in HTTP headers"
                ))
            };
            let secret_header = |text: String| {
                HeaderValue::from_str(&text).map(|mut v| {
                    v.set_sensitive(true);
                    v
                })
            };
            match credential {
                Credential::Bearer(token) => {
                    let v = secret_header(format!("Bearer {}", token.expose()))
                        .map_err(|_| bad_value())?;
                    headers.insert(header::AUTHORIZATION, v);
                }
                Credential::Basic { username, password } => {
                    let raw = format!("{username}:{}", password.expose());
                    let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                    let v = secret_header(format!("Basic {encoded}")).map_err(|_| bad_value())?;
                    headers.insert(header::AUTHORIZATION, v);
                }
                Credential::ApiKeyHeader { header, value } => {
                    let name = HeaderName::from_bytes(header.as_bytes()).map_err(|_| {
                        self.invalid(format!(
                            "`{header}` (scheme `{scheme}`) is not a valid header name"
                        ))
                    })?;
                    let v = secret_header(value.expose().to_owned()).map_err(|_| bad_value())?;
                    headers.insert(name, v);
                }
                Credential::ApiKeyQuery { name, value } => {
                    query.push(((*name).to_owned(), value.expose().to_owned()));
                }
            }
        }

        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(&query);
        }

        let mut builder = inner
            .http
            .request(self.op.method.to_reqwest(), url)
            .headers(headers);
        if let Some(body) = self.body {
            builder = builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        if let Some(timeout) = inner.timeout {
            builder = builder.timeout(timeout);
        }

        let transport = |e: reqwest::Error| {
            if e.is_timeout() {
                Error::Timeout { operation }
            } else {
                Error::Transport {
                    operation,
                    source: e.without_url(),
                }
            }
        };
        let mut response = builder.send().await.map_err(transport)?;
        let limit = inner.max_response_bytes;
        let too_large = || Error::BodyTooLarge { operation, limit };
        if response
            .content_length()
            .is_some_and(|len| len > limit as u64)
        {
            return Err(too_large());
        }
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            operation,
            status,
            headers,
            body: body.freeze(),
        })
    }
}

/// A fully read HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    operation: &'static str,
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    /// The id of the operation this answers.
    pub fn operation(&self) -> &'static str {
        self.operation
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
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let decode_error = |path: String, message: String| Error::Decode {
            operation: self.operation,
            status: self.status,
            path,
            message,
            snippet: snippet(&self.body),
        };
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| decode_error(e.path().to_string(), e.inner().to_string()))?;
        de.end()
            .map_err(|e| decode_error(".".to_owned(), e.to_string()))?;
        Ok(value)
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
        }))
    }
}
