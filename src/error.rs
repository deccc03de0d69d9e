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
    /// Connecting, sending or receiving failed.
    #[error("{operation}: transport error: {source}")]
    Transport {
        /// Operation id.
        operation: &'static str,
        /// The underlying error (its URL removed, since a query may carry an
        /// API key).
        source: reqwest::Error,
    },
    /// The request did not complete within the configured timeout.
    #[error("{operation}: request timed out")]
    Timeout {
        /// Operation id.
        operation: &'static str,
    },
    /// The server answered with an error status (or a 2xx body that reports
    /// failure, see [`crate::Verdict`]).
    #[error("{0}")]
    Api(Box<ApiError<E>>),
    /// The response body did not match the expected type.
    #[error("{operation}: HTTP {status}: could not decode the response body at `{path}`: {message}; body starts with: {snippet}")]
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
    },
    /// The response body was larger than the client's limit
    /// (`ClientBuilder::max_response_bytes`).
    #[error("{operation}: response body exceeds the limit of {limit} bytes (raise it with ClientBuilder::max_response_bytes)")]
    BodyTooLarge {
        /// Operation id.
        operation: &'static str,
        /// The limit in bytes.
        limit: usize,
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

    /// The id of the operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::InvalidRequest { operation, .. }
            | Error::MissingCredentials { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation }
            | Error::Decode { operation, .. }
            | Error::BodyTooLarge { operation, .. } => operation,
            Error::Api(api) => api.operation,
        }
    }
}

/// An error answer from the server.
#[derive(Debug, Clone)]
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
        Ok(())
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
    #[error("could not create the HTTP client: {0}")]
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
        }));
        assert_eq!(
            e.to_string(),
            r#"createAccount: HTTP 422 Unprocessable Entity: {"reason":"bad"} (request id r-1)"#
        );
        assert_eq!(e.status(), Some(422));
        assert_eq!(e.operation(), "createAccount");
    }
}
