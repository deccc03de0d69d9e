//! Fakes for your tests (feature `mock`): a local fake vendor server with typed expectations.
//!
//! Each vendor module has its own `mock::MockServer` (for instance
//! `vendor_clients::dxfeed::mock::MockServer`), generated from the spec with one method per
//! operation. That method takes the operation's path parameters and returns an
//! [`Expectation`]: refine which requests it matches ([`Expectation::params`],
//! [`Expectation::body`], [`Expectation::query`], [`Expectation::header`]), say how often it
//! must be called ([`Expectation::times`]), then mount it with what the fake vendor answers:
//! [`Expectation::responds`] with a success value of the operation's own type,
//! [`Expectation::responds_with_status`] with the vendor's typed error body, or
//! [`Expectation::responds_status`] with an empty body. The [`Mocked`] handle it returns counts
//! the calls and gives back what the client sent, decoded into the operation's request type.
//!
//! ```rust,no_run
//! # #[cfg(feature = "dxfeed")]
//! # async fn run() {
//! use vendor_clients::dxfeed::{mock::MockServer, Account};
//!
//! let mock = MockServer::start().await;
//! let account = Account { id: "a1".into(), email: "bob@example.com".into() };
//! let get = mock.get_account_by_id("a1").once().responds(&account).await;
//! let client = mock.client_builder().bearer_auth("test-token").build().unwrap();
//! assert_eq!(client.get_account_by_id("a1").await.unwrap(), account);
//! assert_eq!(get.calls(), 1);
//! mock.verify().await; // also checked when `mock` is dropped
//! # }
//! ```
//!
//! The server is [wiremock](https://docs.rs/wiremock)'s: everything runs on `127.0.0.1`, a real
//! HTTP server the real client talks to. What is checked, and when:
//!
//! - **Matching**: the method and the path (segment by segment, percent-decoded, so a path
//!   parameter holding `/` or spaces matches as the client encodes it), then every refinement.
//!   Refinements are "contains": [`Expectation::params`] and [`Expectation::body`] match when
//!   every parameter or property you give is in the request, so what the client adds by itself
//!   (a credential in the query, a signed token in the body) does not stop a match.
//! - **No expectation matches**: the fake answers status [`UNMATCHED_STATUS`] with a body that
//!   names the request and lists the mounted expectations (the client returns it as an
//!   `Error::Api`, whose snippet shows it), and records the request. [`FakeServer::verify`]
//!   fails on it, and so does dropping the server (unless the test is already panicking):
//!   a test cannot pass by accident on a request nothing expected. A test that means to send
//!   one takes it back with [`FakeServer::take_unmatched`].
//! - **Call counts**: [`Expectation::times`] (or [`Expectation::once`]) is verified by
//!   [`FakeServer::verify`] and when the server is dropped; [`Mocked::calls`] reads the count
//!   at any time.
//!
//! Priority: when several expectations match a request, the one mounted first answers (all
//! have the same priority, wiremock's default, 5), except that [`Expectation::priority`] can put
//! one ahead. The expectations of an operation whose path template has a fixed query
//! (`/stats?view=summary`) default to 4: ahead of an operation on the same path without it
//! (`/stats`), which would match their requests too.
//!
//! The server is wiremock's [`wiremock::MockServer`] underneath ([`FakeServer::wiremock`]),
//! and [`Expectation::responds_with`] takes a [`wiremock::ResponseTemplate`], for what the
//! typed methods do not cover (delays, odd headers, malformed bodies).

use std::fmt::Write as _;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wiremock::matchers::{any, body_partial_json, header, method};
use wiremock::{Match, Mock, Respond, ResponseTemplate};

use crate::{ApiDescription, ClientBuilder, Core, Method, Operation, Params, PathParam, ToParam};

/// The wiremock crate the fakes are built on, for [`Expectation::responds_with`],
/// [`Expectation::matching`] and [`FakeServer::wiremock`].
pub use wiremock;

/// A request as the fake server received it (wiremock's): method, URL, headers and body.
pub type ReceivedRequest = wiremock::Request;

/// What `responds` and `responds_with_status` take where the spec leaves a body untyped, or
/// where the client's value cannot be turned back into the body as sent (an outcome enum
/// holding an unwrapped value or a stream): the body as JSON.
pub type Untyped = serde_json::Value;

/// The request body type of an operation whose body the typed matcher does not compare
/// (none, multipart, binary): [`Expectation::body`] and [`Mocked::bodies`] are not available
/// for it. Use [`Expectation::matching`] and [`Mocked::requests`] instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoBody {}

/// The status the fake server answers when no expectation matches a request (a status no
/// vendor documents and the client never retries).
pub const UNMATCHED_STATUS: u16 = 599;

/// Locks a mutex, going on with the data if a panicking test poisoned it (the lists it guards
/// stay consistent: each change is one push).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The fake server of one vendor: a wiremock server on `127.0.0.1` with a fallback for
/// requests no expectation matches. Each vendor's `mock::MockServer` wraps one (and
/// dereferences to it), adding a method per operation.
pub struct FakeServer {
    server: wiremock::MockServer,
    api: &'static str,
    state: Arc<Shared>,
}

/// What the fallback and the expectations share with the server.
#[derive(Default)]
struct Shared {
    /// Requests no expectation matched, in arrival order.
    unmatched: Mutex<Vec<ReceivedRequest>>,
    /// What each mounted expectation matches, for the fallback's message.
    mounted: Mutex<Vec<String>>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("api", &self.api)
            .field("uri", &self.server.uri())
            .field("expectations", &lock(&self.state.mounted).len())
            .field("unmatched", &lock(&self.state.unmatched).len())
            .finish()
    }
}

impl FakeServer {
    /// Starts a fake server for the API named `api` (used in messages) on a free port of
    /// `127.0.0.1`. Generated `MockServer::start` calls it.
    pub async fn start(api: &'static str) -> Self {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(Shared::default());
        Mock::given(any())
            .respond_with(Fallback {
                api,
                state: Arc::clone(&state),
            })
            .with_priority(u8::MAX)
            .named(format!("{api} fake: fallback for unmatched requests"))
            .mount(&server)
            .await;
        Self { server, api, state }
    }

    /// The server's base URL, `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client builder for API `A` aimed at this server, with retries off (so that an error
    /// status is answered once and call counts are what the code under test did). Add the
    /// credentials the operations need, then `build()`.
    pub fn client_builder<A: ApiDescription>(&self) -> ClientBuilder<A> {
        ClientBuilder::<A>::new().base_url(self.uri()).no_retries()
    }

    /// The wiremock server underneath, to mount hand-written [`wiremock::Mock`]s beside the
    /// typed expectations.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }

    /// Every request the server received, matched or not, in arrival order.
    pub async fn received_requests(&self) -> Vec<ReceivedRequest> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The requests no expectation matched so far (they were answered [`UNMATCHED_STATUS`]).
    pub fn unmatched_requests(&self) -> Vec<ReceivedRequest> {
        lock(&self.state.unmatched).clone()
    }

    /// Takes the unmatched requests out of the server, so that neither [`FakeServer::verify`]
    /// nor dropping the server fails on them: for a test that sends one on purpose.
    pub fn take_unmatched(&self) -> Vec<ReceivedRequest> {
        std::mem::take(&mut *lock(&self.state.unmatched))
    }

    /// Checks every expectation's call count ([`Expectation::times`]) and that no request
    /// went unmatched; panics with what failed (the expectations, the requests) otherwise.
    /// Dropping the server checks the same (unless the thread is already panicking).
    pub async fn verify(&self) {
        self.check_unmatched();
        self.server.verify().await;
    }

    fn check_unmatched(&self) {
        let unmatched = lock(&self.state.unmatched);
        if !unmatched.is_empty() {
            let mut message = format!(
                "{} fake: {} request(s) matched no expectation:\n",
                self.api,
                unmatched.len()
            );
            for r in unmatched.iter() {
                let _ = writeln!(message, "- {}", describe_request(r));
            }
            message.push_str(&mounted_list(&lock(&self.state.mounted)));
            drop(unmatched);
            panic!("{message}");
        }
    }

    /// An expectation on one operation: used by the generated `MockServer` methods, which
    /// give the route and how the operation's typed values become an answer.
    #[doc(hidden)]
    pub fn expect<O: ?Sized, B: ?Sized, E>(
        &self,
        route: Route,
        reply: fn(&O) -> Reply,
        body: BodyEncoding,
    ) -> Expectation<'_, O, B, E> {
        Expectation {
            server: self,
            route,
            matchers: Vec::new(),
            described: Vec::new(),
            times: None,
            up_to: None,
            priority: None,
            reply,
            body,
            _types: PhantomData,
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.check_unmatched();
        }
    }
}

/// One line for a received request: method, path and query, and how long its body is.
fn describe_request(r: &ReceivedRequest) -> String {
    let mut s = format!("{} {}", r.method, r.url.path());
    if let Some(q) = r.url.query() {
        s.push('?');
        s.push_str(q);
    }
    if !r.body.is_empty() {
        let _ = write!(s, " ({} bytes of body", r.body.len());
        match std::str::from_utf8(&r.body) {
            Ok(text) if text.len() <= 500 => {
                let _ = write!(s, ": {text}");
            }
            _ => {}
        }
        s.push(')');
    }
    s
}

fn mounted_list(mounted: &[String]) -> String {
    if mounted.is_empty() {
        "No expectation is mounted.\n".to_owned()
    } else {
        let mut s = String::from("Mounted expectations:\n");
        for m in mounted {
            let _ = writeln!(s, "- {m}");
        }
        s
    }
}

/// The answer to requests no expectation matched.
struct Fallback {
    api: &'static str,
    state: Arc<Shared>,
}

impl Respond for Fallback {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let message = format!(
            "vendor-clients {} fake: no expectation matched {}\n{}",
            self.api,
            describe_request(request),
            mounted_list(&lock(&self.state.mounted))
        );
        lock(&self.state.unmatched).push(request.clone());
        ResponseTemplate::new(UNMATCHED_STATUS).set_body_raw(message, "text/plain")
    }
}

/// The default priority of an expectation whose route has a fixed query (see the module docs).
const FIXED_QUERY_PRIORITY: u8 = 4;

/// The method and path an expectation matches: an operation with its path parameters filled
/// in. Built by generated code.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Route {
    operation: &'static str,
    method: Method,
    template: &'static str,
    path: String,
    /// The template's fixed query (`?view=summary`), decoded: every request of the operation
    /// carries it, and it tells apart operations on one path.
    fixed_query: Vec<(String, String)>,
}

impl Route {
    /// The route of operation `operation` (its `operationId`), `method` and path template
    /// (wire names in braces, and any fixed query after `?`), before its parameters are filled
    /// in.
    pub fn new(operation: &'static str, method: Method, template: &'static str) -> Self {
        let (path, query) = template.split_once('?').unwrap_or((template, ""));
        Self {
            operation,
            method,
            template,
            path: path.to_owned(),
            fixed_query: url::form_urlencoded::parse(query.as_bytes())
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect(),
        }
    }

    /// Fills in path parameter `name` (its wire name), encoded as the client encodes it.
    pub fn path_param(mut self, name: &str, value: &(impl PathParam + ?Sized)) -> Self {
        let mut encoded = String::new();
        value.encode_path(&mut encoded);
        self.path = self.path.replace(&format!("{{{name}}}"), &encoded);
        self
    }
}

/// Matches the path segment by segment, each percent-decoded (so `%2f` and `%2F` are one
/// thing, while a `/` inside a parameter stays inside its segment).
struct PathMatcher(Vec<String>);

impl PathMatcher {
    fn segments(path: &str) -> Vec<String> {
        path.split('/')
            .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
            .collect()
    }
}

impl Match for PathMatcher {
    fn matches(&self, request: &wiremock::Request) -> bool {
        Self::segments(request.url.path()) == self.0
    }
}

/// Matches when every `(name, value)` pair is in the query string (decoded), each as many
/// times as it is listed.
struct QueryContains(Vec<(String, String)>);

impl Match for QueryContains {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let mut present: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        self.0
            .iter()
            .all(|wanted| match present.iter().position(|p| p == wanted) {
                Some(i) => {
                    present.swap_remove(i);
                    true
                }
                None => false,
            })
    }
}

/// Matches when every form field pair of a `application/x-www-form-urlencoded` body is there.
struct FormContains(Vec<(String, String)>);

impl Match for FormContains {
    fn matches(&self, request: &wiremock::Request) -> bool {
        let mut present: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        self.0
            .iter()
            .all(|wanted| match present.iter().position(|p| p == wanted) {
                Some(i) => {
                    present.swap_remove(i);
                    true
                }
                None => false,
            })
    }
}

/// Matches a body byte for byte.
struct BodyIs(Vec<u8>);

impl Match for BodyIs {
    fn matches(&self, request: &wiremock::Request) -> bool {
        request.body == self.0
    }
}

/// How an operation's request body is sent, so that [`Expectation::body`] compares it the same
/// way. Given by generated code.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// No body, or one the typed matcher does not compare (multipart, binary).
    None,
    /// JSON: compared as "contains" (every property given is there with that value).
    Json,
    /// `application/x-www-form-urlencoded`: every field given is there.
    Form,
    /// Text: compared whole.
    Text,
}

/// What the fake answers: a status, and a body with its media type. Generated code builds one
/// from an operation's success value; [`Expectation::responds`] sends it.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    body: Result<Option<(Vec<u8>, String)>, String>,
}

impl Reply {
    /// `status` with no body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            body: Ok(None),
        }
    }

    /// `status` with `value` as JSON.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        Self {
            status,
            body: serde_json::to_vec(value)
                .map(|b| Some((b, "application/json".to_owned())))
                .map_err(|e| format!("cannot serialize the answer as JSON: {e}")),
        }
    }

    /// `status` with `text` as `text/plain; charset=utf-8`.
    pub fn text(status: u16, text: &str) -> Self {
        Self::bytes(status, "text/plain; charset=utf-8", text.as_bytes())
    }

    /// `status` with raw `bytes` of `media_type`.
    pub fn bytes(status: u16, media_type: &str, bytes: &[u8]) -> Self {
        Self {
            status,
            body: Ok(Some((bytes.to_vec(), media_type.to_owned()))),
        }
    }

    /// The same answer with another `Content-Type` (an operation whose arms differ by media
    /// type).
    pub fn media_type(mut self, media_type: &str) -> Self {
        if let Ok(Some((_, t))) = &mut self.body {
            *t = media_type.to_owned();
        }
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    fn template(self, operation: &str) -> ResponseTemplate {
        let template = ResponseTemplate::new(self.status);
        match self.body {
            Ok(None) => template,
            Ok(Some((body, media))) => template.set_body_raw(body, &media),
            // A value that cannot be serialized is a mistake in the test: say which.
            Err(e) => panic!("mock of `{operation}`: {e}"),
        }
    }
}

/// Records each request an expectation answers, then answers it.
struct Recorder {
    template: ResponseTemplate,
    calls: Arc<Mutex<Vec<ReceivedRequest>>>,
}

impl Respond for Recorder {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        lock(&self.calls).push(request.clone());
        self.template.clone()
    }
}

/// An expectation on one operation, before it is mounted: refine what it matches, say how
/// often it must be called, then mount it with one of the `responds*` methods (nothing is
/// mounted until then).
///
/// Type parameters: `O`, what [`Expectation::responds`] takes (the operation's success value,
/// or its body as sent when the client unwraps it); `B`, the request body type (what
/// [`Expectation::body`] takes and [`Mocked::bodies`] decodes); `E`, the vendor's error body
/// ([`Expectation::responds_with_status`]).
#[must_use = "an expectation does nothing until one of its `responds*` methods is awaited"]
pub struct Expectation<'s, O: ?Sized, B: ?Sized, E> {
    server: &'s FakeServer,
    route: Route,
    matchers: Vec<Box<dyn Match>>,
    described: Vec<String>,
    times: Option<u64>,
    up_to: Option<u64>,
    priority: Option<u8>,
    reply: fn(&O) -> Reply,
    body: BodyEncoding,
    _types: PhantomData<fn(&B, E)>,
}

impl<O: ?Sized, B: ?Sized, E> std::fmt::Debug for Expectation<'_, O, B, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expectation")
            .field("operation", &self.route.operation)
            .field("method", &self.route.method)
            .field("path", &self.route.path)
            .field("matching", &self.described)
            .field("times", &self.times)
            .finish()
    }
}

/// A scratch client core, to lay parameter structs out exactly as the client does.
fn scratch_core() -> &'static Core {
    struct Scratch;
    impl ApiDescription for Scratch {
        const NAME: &'static str = "mock";
        const SERVERS: &'static [crate::ServerSpec] = &[];
    }
    static CORE: OnceLock<Core> = OnceLock::new();
    CORE.get_or_init(|| {
        // A fixed, valid URL and default settings: nothing here can fail but the TLS backend.
        ClientBuilder::<Scratch>::new()
            .base_url("http://127.0.0.1/")
            .build_core()
            .unwrap_or_else(|e| panic!("vendor-clients mock: cannot build a scratch client: {e}"))
    })
}

static SCRATCH_OPERATION: Operation = Operation {
    id: "mock",
    method: Method::Get,
    path: "/",
    auth: &[],
    idempotent: true,
    sensitive: false,
};

impl<'s, O: ?Sized, B: ?Sized, E> Expectation<'s, O, B, E> {
    /// Matches only requests carrying every query and header parameter that `params` sets, as
    /// the client writes them (other parameters, such as credentials, may be there too).
    pub fn params<P: Params + ?Sized>(mut self, params: &P) -> Self {
        let mut request = scratch_core().request(&SCRATCH_OPERATION);
        params.apply(&mut request);
        let (query, headers, problem) = request.mock_parts();
        if let Some(problem) = problem {
            // The client would refuse to send these parameters: no request can match.
            panic!(
                "mock of `{}`: these parameters cannot be sent: {problem}",
                self.route.operation
            );
        }
        if !query.is_empty() {
            let text = query
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("&");
            let pairs = url::form_urlencoded::parse(text.as_bytes())
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect();
            self.described.push(format!("query contains {text}"));
            self.matchers.push(Box::new(QueryContains(pairs)));
        }
        for (name, value) in headers {
            if let Ok(v) = value.to_str() {
                self.described.push(format!("header {name}: {v}"));
                self.matchers.push(Box::new(header(name.as_str(), v)));
            }
        }
        self
    }

    /// Matches only requests whose query has `name` with this value (decoded; a repeated name
    /// matches if any of its values is this one).
    pub fn query(mut self, name: &str, value: impl ToParam) -> Self {
        let value = value.to_param().into_owned();
        self.described.push(format!("query {name}={value}"));
        self.matchers
            .push(Box::new(QueryContains(vec![(name.to_owned(), value)])));
        self
    }

    /// Matches only requests with header `name` set to this value.
    pub fn header(mut self, name: &str, value: impl ToParam) -> Self {
        let value = value.to_param().into_owned();
        self.described.push(format!("header {name}: {value}"));
        self.matchers.push(Box::new(header(name, value.as_str())));
        self
    }

    /// Matches only requests whose body contains `body`: for JSON, every property `body`
    /// has, with its value (properties the client adds, such as a signed token, may be there
    /// too); for a form, every field; text is compared whole. Operations whose body is
    /// multipart or binary have no typed body to compare (see [`Expectation::matching`]).
    pub fn body(mut self, body: &B) -> Self
    where
        B: Serialize,
    {
        let described = format!("{:?} body", self.body);
        let matcher: Box<dyn Match> = match self.body {
            BodyEncoding::Json => match serde_json::to_value(body) {
                Ok(v) => Box::new(body_partial_json(v)),
                Err(e) => panic!(
                    "mock of `{}`: cannot serialize the expected body: {e}",
                    self.route.operation
                ),
            },
            BodyEncoding::Form => match serde_urlencoded::to_string(body) {
                Ok(text) => Box::new(FormContains(
                    url::form_urlencoded::parse(text.as_bytes())
                        .map(|(n, v)| (n.into_owned(), v.into_owned()))
                        .collect(),
                )),
                Err(e) => panic!(
                    "mock of `{}`: cannot serialize the expected form: {e}",
                    self.route.operation
                ),
            },
            BodyEncoding::Text => match serde_json::to_value(body) {
                Ok(serde_json::Value::String(s)) => Box::new(BodyIs(s.into_bytes())),
                _ => panic!(
                    "mock of `{}`: the expected text body is not text",
                    self.route.operation
                ),
            },
            BodyEncoding::None => panic!(
                "mock of `{}`: this operation's body is not compared by type; use `matching`",
                self.route.operation
            ),
        };
        self.described.push(described);
        self.matchers.push(matcher);
        self
    }

    /// Matches only requests that `matcher` (any [`wiremock::Match`], such as
    /// `wiremock::matchers::body_string_contains`) accepts.
    pub fn matching(mut self, matcher: impl Match + 'static) -> Self {
        self.described.push("a custom matcher".to_owned());
        self.matchers.push(Box::new(matcher));
        self
    }

    /// The expectation must be called exactly `n` times: checked by [`FakeServer::verify`]
    /// and when the server is dropped. Without it, any number of calls (also none) is fine.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Same as `times(1)`.
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// Answers at most `n` requests; later ones go to the next expectation that matches
    /// them (mounted after this one, or of a lower priority). For a sequence: "not a
    /// referrer" once, then the dashboard.
    pub fn up_to(mut self, n: u64) -> Self {
        self.up_to = Some(n);
        self
    }

    /// Puts this expectation ahead of others that match the same request (1 is first; the
    /// default is 5, wiremock's). Among equal priorities, the one mounted first answers.
    pub fn priority(mut self, priority: u8) -> Self {
        self.priority = Some(priority.max(1));
        self
    }

    /// Mounts the expectation answering with `value`, the operation's success value: its
    /// documented success status, and the body as the vendor sends it. For an operation with
    /// several outcomes, the outcome's variant picks the status (and media type).
    pub async fn responds(self, value: &O) -> Mocked<B> {
        let reply = (self.reply)(value);
        let template = reply.template(self.route.operation);
        self.mount(template).await
    }

    /// Mounts the expectation answering `status` with the vendor's error body `body`, as JSON
    /// (what the client decodes into `Error::Api`). `body` is the module's error body type,
    /// or, when the vendor has several (an `ErrorBody` enum), one of them: any type the error
    /// body converts from.
    pub async fn responds_with_status<T>(self, status: u16, body: &T) -> Mocked<B>
    where
        T: Serialize + Into<E>,
    {
        let template = Reply::json(status, body).template(self.route.operation);
        self.mount(template).await
    }

    /// Mounts the expectation answering `status` with no body.
    pub async fn responds_status(self, status: u16) -> Mocked<B> {
        self.mount(ResponseTemplate::new(status)).await
    }

    /// Mounts the expectation answering `status` with any JSON `body`: for answers the
    /// operation's types cannot express (a body the client must refuse, say).
    pub async fn responds_json(self, status: u16, body: &(impl Serialize + ?Sized)) -> Mocked<B> {
        let reply = Reply::json(status, body);
        let template = reply.template(self.route.operation);
        self.mount(template).await
    }

    /// Mounts the expectation answering `status` with raw `body` of `media_type`: for
    /// downloads and streamed answers (CSV exports, files), whatever `O` is.
    pub async fn responds_bytes(
        self,
        status: u16,
        media_type: &str,
        body: impl AsRef<[u8]>,
    ) -> Mocked<B> {
        let reply = Reply::bytes(status, media_type, body.as_ref());
        let template = reply.template(self.route.operation);
        self.mount(template).await
    }

    /// Mounts the expectation answering with a hand-made wiremock response (headers, delays,
    /// raw bytes).
    pub async fn responds_with(self, template: ResponseTemplate) -> Mocked<B> {
        self.mount(template).await
    }

    fn description(&self) -> String {
        let mut s = format!(
            "{} {} {} (template {})",
            self.route.operation, self.route.method, self.route.path, self.route.template
        );
        for d in &self.described {
            let _ = write!(s, ", {d}");
        }
        if let Some(n) = self.times {
            let _ = write!(s, ", expected {n} time(s)");
        }
        if let Some(n) = self.up_to {
            let _ = write!(s, ", answers up to {n} time(s)");
        }
        s
    }

    async fn mount(self, template: ResponseTemplate) -> Mocked<B> {
        let description = self.description();
        let calls = Arc::new(Mutex::new(Vec::new()));
        let mut builder = Mock::given(method(self.route.method.as_str()))
            .and(PathMatcher(PathMatcher::segments(&self.route.path)));
        if !self.route.fixed_query.is_empty() {
            builder = builder.and(QueryContains(self.route.fixed_query.clone()));
        }
        for m in self.matchers {
            builder = builder.and(BoxedMatch(m));
        }
        let mut mock = builder
            .respond_with(Recorder {
                template,
                calls: Arc::clone(&calls),
            })
            .named(description.clone());
        if let Some(n) = self.times {
            mock = mock.expect(n);
        }
        if let Some(n) = self.up_to {
            mock = mock.up_to_n_times(n);
        }
        // An operation whose template has a fixed query is the more specific route: ahead of
        // one on the same path without it, which matches its requests too.
        let specific = (!self.route.fixed_query.is_empty()).then_some(FIXED_QUERY_PRIORITY);
        if let Some(p) = self.priority.or(specific) {
            mock = mock.with_priority(p);
        }
        self.server.server.register(mock).await;
        lock(&self.server.state.mounted).push(description.clone());
        Mocked {
            description,
            calls,
            encoding: self.body,
            _body: PhantomData,
        }
    }
}

/// A boxed matcher as a matcher (wiremock's `and` takes a sized one).
struct BoxedMatch(Box<dyn Match>);

impl Match for BoxedMatch {
    fn matches(&self, request: &wiremock::Request) -> bool {
        self.0.matches(request)
    }
}

/// A mounted expectation: how many calls it answered, and what they sent.
pub struct Mocked<B: ?Sized> {
    description: String,
    calls: Arc<Mutex<Vec<ReceivedRequest>>>,
    encoding: BodyEncoding,
    _body: PhantomData<fn(&B)>,
}

impl<B: ?Sized> std::fmt::Debug for Mocked<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mocked")
            .field("expectation", &self.description)
            .field("calls", &self.calls())
            .finish()
    }
}

/// A request body [`Mocked::bodies`] could not decode into the operation's type.
#[derive(Debug, thiserror::Error)]
#[error("request {index} to `{expectation}`: the body does not decode: {message}")]
pub struct BodyError {
    /// The expectation.
    pub expectation: String,
    /// Which call (0 is the first).
    pub index: usize,
    /// Why (serde's message, with the field path where there is one).
    pub message: String,
}

impl<B: ?Sized> Mocked<B> {
    /// How many requests this expectation answered so far.
    pub fn calls(&self) -> usize {
        lock(&self.calls).len()
    }

    /// The requests it answered, in order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        lock(&self.calls).clone()
    }

    /// Panics unless the expectation answered exactly `n` requests so far, naming it and
    /// listing the requests it answered.
    #[track_caller]
    pub fn assert_calls(&self, n: usize) {
        let calls = lock(&self.calls);
        if calls.len() != n {
            let mut message = format!(
                "expected {n} call(s) of {}, got {}",
                self.description,
                calls.len()
            );
            for r in calls.iter() {
                let _ = write!(message, "\n- {}", describe_request(r));
            }
            drop(calls);
            panic!("{message}");
        }
    }

    /// What the expectation matches (operation, method, path, refinements).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The bodies of the requests it answered, decoded into the operation's request type, in
    /// order: to assert on what the code under test sent.
    pub fn bodies(&self) -> Result<Vec<B>, BodyError>
    where
        B: DeserializeOwned + Sized,
    {
        let calls = lock(&self.calls);
        calls
            .iter()
            .enumerate()
            .map(|(index, r)| {
                let decoded: Result<B, String> = match self.encoding {
                    BodyEncoding::Form => {
                        serde_urlencoded::from_bytes(&r.body).map_err(|e| e.to_string())
                    }
                    _ => {
                        let de = &mut serde_json::Deserializer::from_slice(&r.body);
                        serde_path_to_error::deserialize(de).map_err(|e| e.to_string())
                    }
                };
                decoded.map_err(|message| BodyError {
                    expectation: self.description.clone(),
                    index,
                    message,
                })
            })
            .collect()
    }
}

/// A generated API's `mock` module, as written: `#[cfg(feature = "mock")] __mock_module! { pub
/// mod mock { .. } }`. Without the feature the compiler reads the module only as tokens, not as
/// items (it is a third of a generated file, and a user's build without the feature would parse
/// it on every build only to drop it). Used by generated code; not a stable interface of its own.
#[doc(hidden)]
#[macro_export]
macro_rules! __mock_module {
    ($($item:tt)*) => {
        $($item)*
    };
}

/// Declares a generated API's `MockServer` (in its `mock` module): the struct around a
/// [`FakeServer`] with `doc` as its documentation, `Deref` to it, `start` and `client_builder`.
/// The per-operation methods are the generated code's own `impl MockServer`. Used by generated
/// code; not a stable interface of its own.
#[doc(hidden)]
#[macro_export]
macro_rules! __mock_server {
    ($doc:expr, $api:ty, $builder:ty) => {
        #[doc = $doc]
        #[derive(Debug)]
        pub struct MockServer {
            fake: $crate::mock::FakeServer,
        }

        impl ::core::ops::Deref for MockServer {
            type Target = $crate::mock::FakeServer;

            fn deref(&self) -> &$crate::mock::FakeServer {
                &self.fake
            }
        }

        impl MockServer {
            /// Starts the fake server on a free port of `127.0.0.1`.
            pub async fn start() -> Self {
                Self {
                    fake: $crate::mock::FakeServer::start(<$api as $crate::ApiDescription>::NAME)
                        .await,
                }
            }

            /// A client builder aimed at this server, with retries off: add the
            /// credentials, then `build()`.
            pub fn client_builder(&self) -> $builder {
                <$builder>::from(self.fake.client_builder::<$api>())
            }
        }
    };
}
