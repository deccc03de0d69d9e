//! The settings every generated `ClientBuilder` shares, forwarded to [`crate::ClientBuilder`].
//!
//! A generated module owns its builder (`pub struct ClientBuilder(vendor_clients::ClientBuilder<Api>)`)
//! so that it can add the API's own setters (credentials per security scheme, server variables)
//! as inherent methods in any crate: an inherent `impl vendor_clients::ClientBuilder<Api>` is only
//! allowed inside this crate (E0116). The settings common to every API are written once, here,
//! and expanded into each generated builder by [`__client_builder_methods!`](crate::__client_builder_methods).

/// Expands, inside `impl ClientBuilder { ... }` of a generated module whose builder is the
/// newtype `ClientBuilder(vendor_clients::ClientBuilder<$api>)`, the constructor and the
/// settings every API shares, each forwarding to [`crate::ClientBuilder`]'s method of the same
/// name. Used by generated code; not a stable interface of its own.
#[doc(hidden)]
#[macro_export]
macro_rules! __client_builder_methods {
    ($api:ty) => {
        /// A builder with default settings: the spec's first server with its default variables,
        /// no credentials, a 30 s timeout per attempt, the default retry policy, no hooks, a
        /// 32 MiB response limit.
        pub fn new() -> Self {
            Self($crate::ClientBuilder::<$api>::new())
        }

        /// Uses this base URL instead of the API's servers (e.g. a local test server).
        /// Any path in it is kept as a prefix of every request path.
        pub fn base_url(self, url: impl ::core::convert::AsRef<str>) -> Self {
            Self(self.0.base_url(url))
        }

        /// Selects the server by its index in the spec's `servers` (default 0).
        pub fn server_index(self, index: usize) -> Self {
            Self(self.0.server_index(index))
        }

        /// Sets a variable of the server URL template by its name in the spec (the
        /// variable's own setter, when there is one, does the same).
        pub fn server_variable(
            self,
            name: &'static str,
            value: impl ::core::convert::Into<::std::string::String>,
        ) -> Self {
            Self(self.0.server_variable(name, value))
        }

        /// Sets the credential for the security scheme `scheme` (its name in the spec's
        /// `securitySchemes`); the scheme's own setter, when there is one, does the same.
        pub fn credential(self, scheme: &'static str, credential: $crate::Credential) -> Self {
            Self(self.0.credential(scheme, credential))
        }

        /// Timeout for each attempt, from connecting until the response body is read
        /// (30 s unless set). A timed-out attempt is retried like a connect error.
        pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
            Self(self.0.timeout(timeout))
        }

        /// No timeout for each attempt (the operation timeout, if set, still applies).
        pub fn no_timeout(self) -> Self {
            Self(self.0.no_timeout())
        }

        /// Timeout for a whole call: all attempts and the waits between them (none by default).
        pub fn operation_timeout(self, timeout: ::std::time::Duration) -> Self {
            Self(self.0.operation_timeout(timeout))
        }

        /// When failed calls are retried (`RetryPolicy::default()` unless set).
        pub fn retry(self, policy: $crate::RetryPolicy) -> Self {
            Self(self.0.retry(policy))
        }

        /// Sends every call once: the same as `retry(RetryPolicy::none())`.
        pub fn no_retries(self) -> Self {
            Self(self.0.no_retries())
        }

        /// Adds a hook called on every attempt of every call (logging, metrics, request
        /// signing). Hooks run in the order they were added.
        pub fn hook(self, hook: impl $crate::Hook) -> Self {
            Self(self.0.hook(hook))
        }

        /// Timeout for establishing connections (10 s unless set); ignored with
        /// [`http_client`](Self::http_client).
        pub fn connect_timeout(self, timeout: ::std::time::Duration) -> Self {
            Self(self.0.connect_timeout(timeout))
        }

        /// No timeout of its own for establishing connections.
        pub fn no_connect_timeout(self) -> Self {
            Self(self.0.no_connect_timeout())
        }

        /// The `User-Agent` header (default `vendor-clients/<version>`).
        pub fn user_agent(
            self,
            user_agent: impl ::core::convert::Into<::std::string::String>,
        ) -> Self {
            Self(self.0.user_agent(user_agent))
        }

        /// Uses this HTTP client (its connection pool, proxies, TLS settings, redirect policy).
        pub fn http_client(self, client: $crate::reqwest::Client) -> Self {
            Self(self.0.http_client(client))
        }

        /// Largest response body accepted, in bytes (default 32 MiB); streamed downloads have
        /// no limit.
        pub fn max_response_bytes(self, limit: usize) -> Self {
            Self(self.0.max_response_bytes(limit))
        }

        /// A header sent with every request (its name and value are checked by `build`).
        pub fn default_header(
            self,
            name: impl ::core::convert::Into<::std::string::String>,
            value: impl ::core::convert::Into<::std::string::String>,
        ) -> Self {
            Self(self.0.default_header(name, value))
        }

        /// The runtime's builder this one wraps, with every setting made so far.
        pub fn into_inner(self) -> $crate::ClientBuilder<$api> {
            self.0
        }
    };
}
