//! Static descriptions of an API and its operations, used by generated code
//! and by `#[endpoint]` expansions.

use std::fmt;

use crate::Core;

/// Describes one API (one spec): its name and servers.
pub trait ApiDescription: 'static {
    /// Human-readable API name, used in error messages.
    const NAME: &'static str;
    /// The spec's `servers`, in order; index 0 is the default.
    const SERVERS: &'static [ServerSpec];
}

/// One entry of a spec's `servers` list.
#[derive(Debug, Clone, Copy)]
pub struct ServerSpec {
    /// URL template, e.g. `"https://{server}/api"`.
    pub url: &'static str,
    /// What this server is (e.g. "production").
    pub description: &'static str,
    /// The variables the template uses.
    pub variables: &'static [ServerVariable],
}

/// A variable in a [`ServerSpec`] URL template.
#[derive(Debug, Clone, Copy)]
pub struct ServerVariable {
    /// Name, as written between braces in the template.
    pub name: &'static str,
    /// Default value; `""` means the caller must set it.
    pub default: &'static str,
    /// Allowed values; empty means any value.
    pub allowed: &'static [&'static str],
    /// What the variable is.
    pub description: &'static str,
}

/// HTTP method of an [`Operation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
}

impl Method {
    /// The method name in upper case, as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    /// Whether the method is idempotent by HTTP semantics, so that sending it
    /// twice has the effect of sending it once: GET, HEAD, PUT, DELETE and
    /// OPTIONS. Used as the default of [`Operation::idempotent`].
    pub const fn is_idempotent(self) -> bool {
        matches!(
            self,
            Method::Get | Method::Head | Method::Put | Method::Delete | Method::Options
        )
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
            Method::Trace => reqwest::Method::TRACE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Static description of one endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The spec's `operationId`; names the operation in errors.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/accounts/{account_id}` (informational; the
    /// request path is assembled by [`crate::Request`]).
    pub path: &'static str,
    /// Security schemes, any one of which is accepted; the first one
    /// configured on the client is applied. Empty: no authentication.
    pub auth: &'static [&'static str],
    /// Whether the call may be retried after a failure (see
    /// [`crate::RetryPolicy`]). [`Method::is_idempotent`] unless the spec
    /// says otherwise (`#[endpoint(POST "/x", idempotent, ...)]`).
    pub idempotent: bool,
    /// Whether the operation's responses can hold secrets (fields marked `x-sensitive` in the
    /// spec): its errors then leave the body out of their snippet (see [`crate::Error::Decode`]),
    /// so a token never reaches a log through an error message.
    pub sensitive: bool,
}

/// A client type whose methods are `#[endpoint]`s: gives them the [`Core`].
pub trait Endpoints {
    /// The shared client state.
    fn core(&self) -> &Core;
}

/// A 2xx body that can still report failure (e.g. `{"status":"ERROR"}`).
///
/// Used by `verdict` arms of `#[endpoint(ok(...))]`: the decoded body's
/// verdict decides between success and [`crate::Error::Api`].
pub trait Verdict {
    /// What a successful call returns.
    type Accepted;
    /// What a rejected call carries; converted with `Into` into the error
    /// body type of the endpoint.
    type Rejected;
    /// Splits the body into success or failure.
    fn verdict(self) -> Result<Self::Accepted, Self::Rejected>;
}
