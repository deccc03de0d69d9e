//! Errors: [`Error`] for requests, [`ApiError`] for error statuses,
//! [`BuildError`] for client configuration.

use std::fmt;

/// How many bytes of a response body are kept in error snippets.
pub(crate) const SNIPPET_BYTES: usize = 512;

/// The first [`SNIPPET_BYTES`] bytes of `body` as (lossy) UTF-8, cut on a
/// character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    // A partial character at the end of the window becomes a replacement
    // character starting past byte 512 of the output, so truncating drops it.
    let window = &body[..body.len().min(SNIPPET_BYTES + 3)];
    let mut text = String::from_utf8_lossy(window).into_owned();
    if text.len() > SNIPPET_BYTES {
        let mut end = SNIPPET_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// ` (after N attempts)` when a call was sent more than once, else nothing.
pub(crate) struct AttemptsNote(u32);

pub(crate) fn attempts_note(attempts: &u32) -> AttemptsNote {
    AttemptsNote(*attempts)
}

impl fmt::Display for AttemptsNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 > 1 {
            write!(f, " (after {} attempts)", self.0)?;
        }
        Ok(())
    }
}

/// What failed, in words, for the message of [`Error::Transport`] (the details are in its
/// source).
fn transport_kind(e: &reqwest::Error) -> &'static str {
    if e.is_connect() {
        "could not connect"
    } else if e.is_timeout() {
        "timed out"
    } else if e.is_body() || e.is_decode() {
        "the connection failed while the response was read"
    } else if e.is_redirect() {
        "a redirect could not be followed"
    } else if e.is_request() {
        "the request could not be sent"
    } else {
        "the HTTP exchange failed"
    }
}

/// An error from calling an endpoint.
///
/// `E` is the type error bodies are decoded into (the spec's error schema).
/// No variant's `Display` or `Debug` output contains a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The request could not be built from the given arguments (for example
    /// a path parameter that is empty or `..`, or a header value with a line
    /// break). Nothing was sent.
    #[error("{operation}: invalid request: {message}")]
    InvalidRequest {
        /// Operation id.
        operation: &'static str,
        /// What is wrong and with which parameter (never the value itself).
        message: String,
    },
    /// The operation needs credentials and the client has none of the
    /// accepted kinds. Nothing was sent.
    #[error(
        "{operation}: no credentials for this operation; configure one of the security schemes [{}] on the client builder",
        .schemes.join(", ")
    )]
    MissingCredentials {
        /// Operation id.
        operation: &'static str,
        /// Security schemes the operation accepts.
        schemes: &'static [&'static str],
    },
    /// Connecting, sending or receiving failed (on the last attempt).
    // The reqwest error is the `source`, not part of this message: a report that prints the
    // chain (anyhow, eyre, `Error::source` loops) would show it twice.
    #[error("{operation}: transport error: {}{}", transport_kind(.source), attempts_note(.attempts))]
    Transport {
        /// Operation id.
        operation: &'static str,
        /// The underlying error (its URL removed, since a query may carry an
        /// API key).
        source: reqwest::Error,
        /// How many attempts were sent (see [`Error::attempts`]).
        attempts: u32,
    },
    /// The last attempt did not complete within the per-attempt timeout
    /// (`ClientBuilder::timeout`), or the whole call, retries included, not
    /// within the operation timeout (`ClientBuilder::operation_timeout`).
    #[error("{operation}: request timed out{}", attempts_note(.attempts))]
    Timeout {
        /// Operation id.
        operation: &'static str,
        /// How many attempts were sent (see [`Error::attempts`]).
        attempts: u32,
    },
    /// The server answered with an error status (or a 2xx body that reports
    /// failure, see [`crate::Verdict`]).
    #[error("{0}")]
    Api(Box<ApiError<E>>),
    /// The response body did not match the expected type.
    #[error("{operation}: HTTP {status}: could not decode the response body at `{path}`: {message}; body starts with: {snippet}{}", attempts_note(.attempts))]
    Decode {
        /// Operation id.
        operation: &'static str,
        /// HTTP status of the response.
        status: u16,
        /// Where in the document decoding failed, e.g. `items[0].expiresAt`
        /// (`.` for the top level).
        path: String,
        /// What went wrong there.
        message: String,
        /// The start of the raw body (see [`ApiError::snippet`]).
        snippet: String,
        /// How many attempts were sent (see [`Error::attempts`]).
        attempts: u32,
    },
    /// The response body was larger than the client's limit
    /// (`ClientBuilder::max_response_bytes`).
    #[error("{operation}: response body exceeds the limit of {limit} bytes (raise it with ClientBuilder::max_response_bytes){}", attempts_note(.attempts))]
    BodyTooLarge {
        /// Operation id.
        operation: &'static str,
        /// The limit in bytes.
        limit: usize,
        /// How many attempts were sent (see [`Error::attempts`]).
        attempts: u32,
    },
}

impl<E> Error<E> {
    /// The HTTP status, for errors that got a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The decoded error body, for [`Error::Api`] errors that had one.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(api) => api.body.as_ref(),
            _ => None,
        }
    }

    /// How many attempts were sent for the call: 0 when nothing was sent
    /// ([`Error::InvalidRequest`], [`Error::MissingCredentials`]), more than 1
    /// when it was retried (see [`crate::RetryPolicy`]).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::InvalidRequest { .. } | Error::MissingCredentials { .. } => 0,
            Error::Transport { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::BodyTooLarge { attempts, .. } => *attempts,
            Error::Api(api) => api.attempts,
        }
    }

    /// Whether the call ran out of time ([`Error::Timeout`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The id of the operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::InvalidRequest { operation, .. }
            | Error::MissingCredentials { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Decode { operation, .. }
            | Error::BodyTooLarge { operation, .. } => operation,
            Error::Api(api) => api.operation,
        }
    }
}

/// An error answer from the server.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError<E> {
    /// Operation id.
    pub operation: &'static str,
    /// HTTP status.
    pub status: u16,
    /// The decoded error body, if the status has a declared error schema and
    /// the body matched it.
    pub body: Option<E>,
    /// The first 512 bytes of the raw body (lossy UTF-8, cut on a character
    /// boundary).
    pub snippet: String,
    /// The `x-request-id` or `request-id` response header, if any.
    pub request_id: Option<String>,
    /// How many attempts were sent; more than 1 when the call was retried
    /// (for example after 503s, the last of which this error reports).
    pub attempts: u32,
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(reason) = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
        {
            write!(f, " {reason}")?;
        }
        if !self.snippet.is_empty() {
            write!(f, ": {}", self.snippet)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        write!(f, "{}", AttemptsNote(self.attempts))
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// An error from [`crate::ClientBuilder::build_core`]: the configuration
/// cannot produce a working client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// `server_index` is past the end of the API's server list.
    #[error("{api}: server index {index} does not exist; the API has {available} server(s) (indexes 0..{available}), or set base_url")]
    NoSuchServer {
        /// API name.
        api: &'static str,
        /// The requested index.
        index: usize,
        /// How many servers the API declares.
        available: usize,
    },
    /// A server variable without a default was not given a value.
    #[error("{api}: server variable `{name}` has no default; set it with ClientBuilder::server_variable(\"{name}\", ...) or set base_url")]
    MissingServerVariable {
        /// API name.
        api: &'static str,
        /// Variable name.
        name: &'static str,
    },
    /// A server variable was set to a value outside its allowed list.
    #[error("{api}: server variable `{name}` cannot be `{value}`; allowed values: {}", .allowed.join(", "))]
    ServerVariableNotAllowed {
        /// API name.
        api: &'static str,
        /// Variable name.
        name: &'static str,
        /// The rejected value.
        value: String,
        /// The allowed values.
        allowed: &'static [&'static str],
    },
    /// A value was set for a variable the selected server does not have.
    #[error("{api}: the selected server has no variable `{name}`; its variables are: [{}]", .known.join(", "))]
    UnknownServerVariable {
        /// API name.
        api: &'static str,
        /// The unknown name.
        name: &'static str,
        /// The variables the selected server has.
        known: Vec<&'static str>,
    },
    /// A server variable value contains characters that could change the
    /// URL's structure (`/ ? # @ \`, whitespace or control characters).
    #[error("{api}: server variable `{name}` contains {reason}; a server variable may not contain '/', '?', '#', '@', '\\', whitespace or control characters")]
    UnsafeServerVariable {
        /// API name.
        api: &'static str,
        /// Variable name.
        name: &'static str,
        /// Which kind of character was found.
        reason: &'static str,
    },
    /// The resolved base URL is not a usable http(s) URL.
    #[error("{api}: base URL `{url}` is not usable: {reason}")]
    InvalidUrl {
        /// API name.
        api: &'static str,
        /// The URL (any password in it replaced by `***`).
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A default header has an invalid name or value.
    #[error("default header `{name}` is invalid: {reason}")]
    InvalidHeader {
        /// Header name as given.
        name: String,
        /// Why it was rejected (the value is never shown).
        reason: &'static str,
    },
    /// The user agent is not a valid header value.
    #[error("the user agent is not a valid header value (visible ASCII only)")]
    InvalidUserAgent,
    /// The HTTP client could not be created.
    #[error("could not create the HTTP client (its source error says why)")]
    HttpClient(#[source] reqwest::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_keeps_short_bodies() {
        assert_eq!(snippet(b"{\"a\":1}"), "{\"a\":1}");
    }

    #[test]
    fn snippet_cuts_at_512_bytes_on_a_char_boundary() {
        let mut body = vec![b'a'; 511];
        body.extend_from_slice("é and more".as_bytes());
        let s = snippet(&body);
        assert_eq!(s.len(), 511);
        assert!(s.chars().all(|c| c == 'a'));
        let s = snippet(&[b'x'; 2000]);
        assert_eq!(s.len(), 512);
    }

    #[test]
    fn snippet_is_lossy_for_invalid_utf8() {
        assert_eq!(snippet(&[b'o', 0xff, b'k']), "o\u{fffd}k");
    }

    #[test]
    fn api_error_display_names_operation_status_and_body() {
        let e: Error = Error::Api(Box::new(ApiError {
            operation: "createAccount",
            status: 422,
            body: None,
            snippet: r#"{"reason":"bad"}"#.to_owned(),
            request_id: Some("r-1".to_owned()),
            attempts: 1,
        }));
        assert_eq!(
            e.to_string(),
            r#"createAccount: HTTP 422 Unprocessable Entity: {"reason":"bad"} (request id r-1)"#
        );
        assert_eq!(e.status(), Some(422));
        assert_eq!(e.operation(), "createAccount");
    }
}

#[cfg(test)]
mod source_tests {
    use std::error::Error as _;

    use super::*;

    /// A real connect error: port 1 on the loopback interface, where nothing listens.
    async fn connect_error() -> reqwest::Error {
        reqwest::Client::new()
            .get("http://127.0.0.1:1/")
            .send()
            .await
            .expect_err("nothing listens on port 1")
    }

    #[tokio::test]
    async fn transport_errors_name_the_failure_and_leave_the_details_to_their_source() {
        let source = connect_error().await;
        let source_text = source.to_string();
        let e: Error = Error::Transport {
            operation: "getAccount",
            source,
            attempts: 2,
        };
        let shown = e.to_string();
        assert_eq!(
            shown,
            "getAccount: transport error: could not connect (after 2 attempts)"
        );
        assert!(!shown.contains(&source_text), "{shown}");
        let chained = e.source().expect("the reqwest error is the source");
        assert_eq!(chained.to_string(), source_text);
    }

    #[tokio::test]
    async fn http_client_errors_do_not_repeat_their_source() {
        let source = connect_error().await;
        let source_text = source.to_string();
        let e = BuildError::HttpClient(source);
        assert!(!e.to_string().contains(&source_text), "{e}");
        assert_eq!(e.source().map(|s| s.to_string()), Some(source_text));
    }
}

#[cfg(test)]
mod attempt_tests {
    use super::*;

    #[test]
    fn attempts_are_shown_only_after_retries() {
        let once: Error = Error::Timeout {
            operation: "op",
            attempts: 1,
        };
        assert_eq!(once.to_string(), "op: request timed out");
        assert_eq!(once.attempts(), 1);
        assert!(once.is_timeout());
        let thrice: Error = Error::Api(Box::new(ApiError {
            operation: "op",
            status: 503,
            body: None,
            snippet: String::new(),
            request_id: None,
            attempts: 3,
        }));
        assert_eq!(
            thrice.to_string(),
            "op: HTTP 503 Service Unavailable (after 3 attempts)"
        );
        assert_eq!(thrice.attempts(), 3);
        let unsent: Error = Error::InvalidRequest {
            operation: "op",
            message: "bad".into(),
        };
        assert_eq!(unsent.attempts(), 0);
    }
}
