//! [`ClientBuilder`], [`Core`] and [`Credential`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use crate::{ApiDescription, BuildError, Hook, Operation, Request, RetryPolicy, Secret};

/// Default limit for response bodies: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Default `User-Agent`: `vendor-clients/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("vendor-clients/", env!("CARGO_PKG_VERSION"));

/// Default timeout of each attempt, from connecting until the response body is read (until its
/// headers, for a streamed download): 30 seconds. A silent server never holds a call forever
/// unless the client asks for that with [`ClientBuilder::no_timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default timeout for establishing a connection: 10 seconds (see
/// [`ClientBuilder::no_connect_timeout`]).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A credential for one security scheme. `Debug` shows no secret.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credential {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: Secret,
    },
    /// An API key sent in a header.
    ApiKeyHeader {
        /// Header name.
        header: &'static str,
        /// The key.
        value: Secret,
    },
    /// An API key sent as a query parameter.
    ApiKeyQuery {
        /// Query parameter name.
        name: &'static str,
        /// The key.
        value: Secret,
    },
    /// A credential computed from each request by a [`Signer`](crate::signers::Signer), for
    /// vendors whose authentication is derived from the request (Mention Me's token).
    Signer(std::sync::Arc<dyn crate::signers::Signer>),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Bearer(_) => f.write_str("Bearer(***)"),
            // The user name can be personal data or a key id: hidden too.
            Credential::Basic { .. } => f.write_str("Basic { username: ***, password: *** }"),
            Credential::ApiKeyHeader { header, .. } => {
                write!(f, "ApiKeyHeader {{ header: {header:?}, value: *** }}")
            }
            Credential::ApiKeyQuery { name, .. } => {
                write!(f, "ApiKeyQuery {{ name: {name:?}, value: *** }}")
            }
            Credential::Signer(signer) => f.debug_tuple("Signer").field(signer).finish(),
        }
    }
}

/// Configures a client for the API `A`, then [`ClientBuilder::build_core`]
/// makes the [`Core`] a generated client wraps.
pub struct ClientBuilder<A: ApiDescription> {
    base_url: Option<String>,
    server_index: usize,
    variables: Vec<(&'static str, String)>,
    credentials: Vec<(&'static str, Credential)>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: usize,
    default_headers: Vec<(String, String)>,
    api: PhantomData<fn() -> A>,
}

impl<A: ApiDescription> Default for ClientBuilder<A> {
    fn default() -> Self {
        Self {
            base_url: None,
            server_index: 0,
            variables: Vec::new(),
            credentials: Vec::new(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            operation_timeout: None,
            retry: RetryPolicy::default(),
            hooks: Vec::new(),
            user_agent: None,
            http_client: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            default_headers: Vec::new(),
            api: PhantomData,
        }
    }
}

impl<A: ApiDescription> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field("api", &A::NAME)
            .field("base_url", &self.base_url.as_deref().map(redact_url_str))
            .field("server_index", &self.server_index)
            .field("variables", &self.variables)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks.len())
            .field("user_agent", &self.user_agent)
            .field("custom_http_client", &self.http_client.is_some())
            .field("max_response_bytes", &self.max_response_bytes)
            .field("default_headers", &header_names)
            .finish()
    }
}

impl<A: ApiDescription> ClientBuilder<A> {
    /// A builder with default settings: server 0 with default variables, no
    /// credentials, [`DEFAULT_TIMEOUT`] per attempt and [`DEFAULT_CONNECT_TIMEOUT`], no
    /// timeout for the whole call, [`RetryPolicy::default`], no hooks, 32 MiB
    /// response limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses this base URL instead of the API's servers (e.g. a mock server).
    /// Any path in it is kept as a prefix of every request path.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = Some(url.as_ref().to_owned());
        self
    }

    /// Selects the server by its index in the spec's `servers` (default 0).
    pub fn server_index(mut self, index: usize) -> Self {
        self.server_index = index;
        self
    }

    /// Sets a variable of the server URL template.
    pub fn server_variable(mut self, name: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.variables.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.variables.push((name, value)),
        }
        self
    }

    /// Sets the credential for the security scheme `scheme` (the name used
    /// in the spec's `securitySchemes`). Setting it again replaces it.
    pub fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        match self.credentials.iter_mut().find(|(n, _)| *n == scheme) {
            Some(slot) => slot.1 = credential,
            None => self.credentials.push((scheme, credential)),
        }
        self
    }

    /// Timeout for each attempt, from connecting until the response body is
    /// read. A timed-out attempt is retried like a connect error (see
    /// [`RetryPolicy`]). [`DEFAULT_TIMEOUT`] (30 s) unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No timeout for each attempt: a server that accepts the request and never answers holds
    /// the call until [`ClientBuilder::operation_timeout`], if set, or forever.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Timeout for a whole call: all attempts and the waits between them.
    /// When it passes, the call fails with [`crate::Error::Timeout`]; no
    /// retry is started whose wait would end after it. None by default.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// When failed calls are retried ([`RetryPolicy::default`] unless set).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends every call once: the same as `retry(RetryPolicy::none())`.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// Adds a hook called on every attempt of every call (logging, metrics,
    /// request signing). Hooks run in the order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Timeout for establishing connections, [`DEFAULT_CONNECT_TIMEOUT`] (10 s) unless set.
    /// Ignored when a client is given with [`ClientBuilder::http_client`] (configure it there).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// No timeout of its own for establishing connections (the per-attempt timeout, if any,
    /// still covers them).
    pub fn no_connect_timeout(mut self) -> Self {
        self.connect_timeout = None;
        self
    }

    /// The `User-Agent` header (default `vendor-clients/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this HTTP client (sharing its connection pool, proxies, TLS
    /// settings). Timeout, user agent and default headers set here still
    /// apply per request; [`ClientBuilder::connect_timeout`] does not.
    ///
    /// A client built here does not follow redirects (so API keys in custom
    /// headers are never forwarded to another host); a client given here
    /// keeps its own redirect policy.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Largest response body accepted, in bytes (default 32 MiB). Larger
    /// bodies fail with [`crate::Error::BodyTooLarge`]. Streamed downloads
    /// ([`crate::ByteStream`], `x-stream` in the spec) are not held in memory
    /// and have no limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// A header sent with every request (validated by
    /// [`ClientBuilder::build_core`]).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Checks the configuration and creates the shared client state.
    pub fn build_core(self) -> Result<Core, BuildError> {
        let base_url = self.resolve_url()?;

        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader {
                    name: name.clone(),
                    reason: "not a valid header name",
                })?;
            let header_value =
                crate::params::header_value(value).ok_or_else(|| BuildError::InvalidHeader {
                    name: name.clone(),
                    reason: "the value may only contain visible ASCII characters, spaces and tabs",
                })?;
            default_headers.append(header_name, header_value);
        }

        let user_agent =
            crate::params::header_value(self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT))
                .ok_or(BuildError::InvalidUserAgent)?;

        let http = match self.http_client {
            Some(client) => client,
            None => {
                let mut builder =
                    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                if let Some(t) = self.connect_timeout {
                    builder = builder.connect_timeout(t);
                }
                builder.build().map_err(BuildError::HttpClient)?
            }
        };

        Ok(Core {
            inner: Arc::new(Inner {
                api: A::NAME,
                base_url,
                http,
                credentials: self
                    .credentials
                    .into_iter()
                    .map(|(scheme, credential)| Configured::new(scheme, credential))
                    .collect(),
                timeout: self.timeout,
                operation_timeout: self.operation_timeout,
                retry: self.retry,
                hooks: self.hooks,
                user_agent,
                default_headers,
                max_response_bytes: self.max_response_bytes,
            }),
            follow: None,
        })
    }

    fn resolve_url(&self) -> Result<Url, BuildError> {
        let text = match &self.base_url {
            Some(url) => url.clone(),
            None => self.expand_server()?,
        };
        let invalid = |reason: String| BuildError::InvalidUrl {
            api: A::NAME,
            url: redact_url_str(&text),
            reason,
        };
        let url = Url::parse(&text).map_err(|e| invalid(e.to_string()))?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(invalid("the scheme must be http or https".to_owned()));
        }
        if url.host_str().is_none() {
            return Err(invalid("it has no host".to_owned()));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(
                "a base URL may not have a query or fragment".to_owned(),
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                "credentials in the URL are not supported; use ClientBuilder::credential"
                    .to_owned(),
            ));
        }
        Ok(url)
    }

    fn expand_server(&self) -> Result<String, BuildError> {
        let server = A::SERVERS
            .get(self.server_index)
            .ok_or(BuildError::NoSuchServer {
                api: A::NAME,
                index: self.server_index,
                available: A::SERVERS.len(),
            })?;
        for (name, _) in &self.variables {
            if !server.variables.iter().any(|v| v.name == *name) {
                return Err(BuildError::UnknownServerVariable {
                    api: A::NAME,
                    name,
                    known: server.variables.iter().map(|v| v.name).collect(),
                });
            }
        }
        let mut url = server.url.to_owned();
        for var in server.variables {
            let set = self
                .variables
                .iter()
                .find(|(n, _)| *n == var.name)
                .map(|(_, v)| v.as_str());
            let value = match set {
                Some(value) => {
                    check_variable_value(A::NAME, var.name, value)?;
                    if !var.allowed.is_empty() && !var.allowed.contains(&value) {
                        return Err(BuildError::ServerVariableNotAllowed {
                            api: A::NAME,
                            name: var.name,
                            value: value.to_owned(),
                            allowed: var.allowed,
                        });
                    }
                    value
                }
                None if var.default.is_empty() => {
                    return Err(BuildError::MissingServerVariable {
                        api: A::NAME,
                        name: var.name,
                    })
                }
                None => var.default,
            };
            url = url.replace(&format!("{{{}}}", var.name), value);
        }
        Ok(url)
    }
}

fn check_variable_value(
    api: &'static str,
    name: &'static str,
    value: &str,
) -> Result<(), BuildError> {
    let reason = value.chars().find_map(|c| match c {
        '/' => Some("'/'"),
        '?' => Some("'?'"),
        '#' => Some("'#'"),
        '@' => Some("'@'"),
        '\\' => Some("'\\'"),
        c if c.is_whitespace() => Some("whitespace"),
        c if c.is_control() => Some("a control character"),
        _ => None,
    });
    match reason {
        Some(reason) => Err(BuildError::UnsafeServerVariable { api, name, reason }),
        None => Ok(()),
    }
}

/// Replaces a password in a URL string by `***` (for messages).
fn redact_url_str(text: &str) -> String {
    match Url::parse(text) {
        Ok(mut url) if url.password().is_some() => {
            // Cannot fail: the URL has a password, so it can have one.
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => text.to_owned(),
    }
}

/// Shared state of a client: base URL, HTTP client, credentials, limits.
/// Cheap to clone. `Debug` shows no secret.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
    /// A page link to request instead of the operation's path and query (see [`Core::following`]).
    follow: Option<Arc<str>>,
}

pub(crate) struct Inner {
    pub(crate) api: &'static str,
    pub(crate) base_url: Url,
    pub(crate) http: reqwest::Client,
    pub(crate) credentials: Vec<Configured>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) default_headers: HeaderMap,
    pub(crate) max_response_bytes: usize,
}

/// A credential as the client holds it: what it adds to each request, with a header built once
/// so that a call does not format, encode and validate it again.
pub(crate) struct Configured {
    pub(crate) scheme: &'static str,
    pub(crate) sends: Sends,
}

/// What a configured credential adds to a request.
pub(crate) enum Sends {
    /// `Bearer`, `Basic` and `ApiKeyHeader`: the header (its value marked sensitive), or why it
    /// cannot be sent, reported by each call that would send it.
    Header(Result<(HeaderName, HeaderValue), String>),
    /// `ApiKeyQuery`: a query pair.
    Query { name: &'static str, value: Secret },
    /// `Signer`: whatever the signer computes from the request.
    Signer(Arc<dyn crate::signers::Signer>),
}

impl Configured {
    fn new(scheme: &'static str, credential: Credential) -> Self {
        let secret = |text: &str| {
            crate::params::header_value(text)
                .map(|mut v| {
                    v.set_sensitive(true);
                    v
                })
                .ok_or_else(|| {
                    format!(
                        "the credential for `{scheme}` contains characters not allowed in HTTP headers ({})",
                        crate::params::HEADER_VALUE_RULE
                    )
                })
        };
        let authorization = |text: &str| secret(text).map(|v| (reqwest::header::AUTHORIZATION, v));
        let sends = match credential {
            Credential::Bearer(token) => {
                Sends::Header(authorization(&format!("Bearer {}", token.expose())))
            }
            Credential::Basic { username, password } => {
                use base64::Engine as _;
                let raw = format!("{username}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                Sends::Header(authorization(&format!("Basic {encoded}")))
            }
            Credential::ApiKeyHeader { header, value } => Sends::Header(
                HeaderName::from_bytes(header.as_bytes())
                    .map_err(|_| {
                        format!("`{header}` (scheme `{scheme}`) is not a valid header name")
                    })
                    .and_then(|name| secret(value.expose()).map(|v| (name, v))),
            ),
            Credential::ApiKeyQuery { name, value } => Sends::Query { name, value },
            Credential::Signer(signer) => Sends::Signer(signer),
        };
        Configured { scheme, sends }
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let schemes: Vec<&str> = i.credentials.iter().map(|c| c.scheme).collect();
        let headers: Vec<&str> = i.default_headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("Core")
            .field("api", &i.api)
            .field("base_url", &i.base_url.as_str())
            .field("credentials_for", &schemes)
            .field("timeout", &i.timeout)
            .field("operation_timeout", &i.operation_timeout)
            .field("retry", &i.retry)
            .field("hooks", &i.hooks.len())
            .field("user_agent", &i.user_agent)
            .field("default_headers", &headers)
            .field("max_response_bytes", &i.max_response_bytes)
            .finish()
    }
}

impl Core {
    /// Starts a request for `op`.
    pub fn request(&self, op: &'static Operation) -> Request<'_> {
        Request::new(self, op)
    }

    /// The resolved base URL.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// A copy of this core whose requests go to `link` (a next-page link from a response body,
    /// absolute or relative to the base URL) instead of the operation's path and query. Method,
    /// credentials, headers and retries stay those of the operation. When the request is sent,
    /// a link that does not resolve to the base URL's scheme, host and port is refused with
    /// [`crate::Error::InvalidRequest`], so credentials never go to another host. Used by
    /// [`crate::pagination::by_next_link`] streams.
    pub fn following(&self, link: &str) -> Core {
        Core {
            inner: Arc::clone(&self.inner),
            follow: Some(Arc::from(link)),
        }
    }

    /// The link set by [`Core::following`], if any.
    pub(crate) fn follow(&self) -> Option<&str> {
        self.follow.as_deref()
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ServerSpec, ServerVariable};

    struct Api;
    impl ApiDescription for Api {
        const NAME: &'static str = "Test API";
        const SERVERS: &'static [ServerSpec] = &[
            ServerSpec {
                url: "https://{server}/api",
                description: "needs a host",
                variables: &[ServerVariable {
                    name: "server",
                    default: "",
                    allowed: &[],
                    description: "host",
                }],
            },
            ServerSpec {
                url: "https://{region}.example.com:{port}",
                description: "regional",
                variables: &[
                    ServerVariable {
                        name: "region",
                        default: "eu",
                        allowed: &["eu", "us"],
                        description: "region",
                    },
                    ServerVariable {
                        name: "port",
                        default: "443",
                        allowed: &[],
                        description: "port",
                    },
                ],
            },
        ];
    }

    fn build(b: ClientBuilder<Api>) -> Result<Url, BuildError> {
        b.build_core().map(|c| c.base_url().clone())
    }

    #[test]
    fn server_variable_without_default_must_be_set() {
        let err = build(ClientBuilder::new()).expect_err("must fail");
        assert!(matches!(
            err,
            BuildError::MissingServerVariable { name: "server", .. }
        ));
        let msg = err.to_string();
        assert!(
            msg.contains("`server`") && msg.contains("server_variable(\"server\""),
            "{msg}"
        );
    }

    #[test]
    fn server_variable_is_substituted() {
        let url = build(ClientBuilder::new().server_variable("server", "api.example.com"))
            .expect("valid");
        assert_eq!(url.as_str(), "https://api.example.com/api");
    }

    #[test]
    fn defaults_fill_unset_variables() {
        let url = build(ClientBuilder::new().server_index(1)).expect("valid");
        assert_eq!(url.as_str(), "https://eu.example.com/");
        let url = build(
            ClientBuilder::new()
                .server_index(1)
                .server_variable("region", "us"),
        )
        .expect("valid");
        assert_eq!(url.as_str(), "https://us.example.com/");
    }

    #[test]
    fn value_outside_allowed_list_is_rejected() {
        let err = build(
            ClientBuilder::new()
                .server_index(1)
                .server_variable("region", "mars"),
        )
        .expect_err("must fail");
        assert!(matches!(
            err,
            BuildError::ServerVariableNotAllowed { name: "region", .. }
        ));
        assert!(err.to_string().contains("eu, us"));
    }

    #[test]
    fn unknown_variable_is_rejected() {
        let err = build(
            ClientBuilder::new()
                .server_index(1)
                .server_variable("zone", "x"),
        )
        .expect_err("must fail");
        assert!(matches!(
            err,
            BuildError::UnknownServerVariable { name: "zone", .. }
        ));
    }

    #[test]
    fn unknown_server_index_is_rejected() {
        let err = build(ClientBuilder::new().server_index(5)).expect_err("must fail");
        assert!(matches!(
            err,
            BuildError::NoSuchServer {
                index: 5,
                available: 2,
                ..
            }
        ));
    }

    #[test]
    fn variable_values_cannot_inject_url_structure() {
        for bad in [
            "evil.com/x",
            "a?b",
            "a#b",
            "user@evil.com",
            "a b",
            "a\nb",
            "a\\b",
            "a\u{7f}",
        ] {
            let err =
                build(ClientBuilder::new().server_variable("server", bad)).expect_err("must fail");
            assert!(
                matches!(err, BuildError::UnsafeServerVariable { name: "server", .. }),
                "{bad:?}: {err}"
            );
        }
    }

    #[test]
    fn resolved_url_must_be_http() {
        let err = build(
            ClientBuilder::new()
                .server_index(1)
                .server_variable("port", "notaport"),
        )
        .expect_err("must fail");
        assert!(matches!(err, BuildError::InvalidUrl { .. }), "{err}");
        let err = build(ClientBuilder::new().base_url("ftp://example.com")).expect_err("must fail");
        assert!(matches!(err, BuildError::InvalidUrl { .. }), "{err}");
        let err = build(ClientBuilder::new().base_url("https://h/?q=1")).expect_err("must fail");
        assert!(matches!(err, BuildError::InvalidUrl { .. }), "{err}");
    }

    #[test]
    fn base_url_overrides_servers() {
        let url =
            build(ClientBuilder::new().base_url("http://127.0.0.1:9/prefix/")).expect("valid");
        assert_eq!(url.as_str(), "http://127.0.0.1:9/prefix/");
    }

    #[test]
    fn url_passwords_are_rejected_and_not_echoed() {
        let err = build(ClientBuilder::new().base_url("https://u:hunter2@example.com"))
            .expect_err("must fail");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn invalid_default_header_is_rejected_without_echoing_the_value() {
        let err = ClientBuilder::<Api>::new()
            .base_url("http://127.0.0.1")
            .default_header("x-token", "line\r\nbreak-secret")
            .build_core()
            .expect_err("must fail");
        assert!(matches!(err, BuildError::InvalidHeader { .. }));
        assert!(!err.to_string().contains("secret"));
    }

    #[test]
    fn debug_output_hides_credentials() {
        let b = ClientBuilder::<Api>::new()
            .base_url("http://127.0.0.1")
            .credential("bearer", Credential::Bearer(Secret::new("tok-123")))
            .credential(
                "basic",
                Credential::Basic {
                    username: "user-name".into(),
                    password: Secret::new("pw-456"),
                },
            )
            .default_header("x-key", "hdr-789");
        let text = format!("{b:?}");
        for secret in ["tok-123", "pw-456", "hdr-789", "user-name"] {
            assert!(!text.contains(secret), "{text}");
        }
        let core = b.build_core().expect("valid");
        let text = format!("{core:?}");
        for secret in ["tok-123", "pw-456", "hdr-789", "user-name"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}
