//! Retries, timeouts, body limits and hooks against a misbehaving local server
//! (`support/fault_server.rs`). Each test checks the typed error or the success after retries,
//! the number of attempts the server saw, and the elapsed time within the configured bounds.
//!
//! Timing bounds: lower bounds are exact (timers never fire early); upper bounds are generous
//! (seconds where the expected time is milliseconds) so a loaded machine cannot fail them, while
//! still far below what the call would take without the behaviour under test.

#[path = "support/fault_server.rs"]
mod fault_server;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fault_server::{Fault, FaultServer};
use serde::{Deserialize, Serialize};
use vendor_clients::{
    endpoint, ApiDescription, AttemptFailure, ClientBuilder, Core, Endpoints, Error, Hook,
    RequestParts, ResponseInfo, RetryPolicy, ServerSpec,
};

struct Store;

impl ApiDescription for Store {
    const NAME: &'static str = "Store";
    const SERVERS: &'static [ServerSpec] = &[];
}

#[derive(Debug)]
struct StoreClient {
    core: Core,
}

impl Endpoints for StoreClient {
    fn core(&self) -> &Core {
        &self.core
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct Item {
    id: String,
}

#[derive(Debug, Serialize)]
struct NewOrder {
    item: String,
}

impl StoreClient {
    #[endpoint(GET "/items/{id}", operation_id = "getItem", ok(200 => json(Item)))]
    async fn get_item(&self, id: &str) -> Result<Item, Error>;

    #[endpoint(GET "/blob", ok(200 => bytes))]
    async fn blob(&self) -> Result<bytes::Bytes, Error>;

    #[endpoint(POST "/orders", operation_id = "createOrder", body = order, ok(200 => json(Item)))]
    async fn create_order(&self, order: &NewOrder) -> Result<Item, Error>;

    #[endpoint(POST "/orders/{key}", operation_id = "putOrder", idempotent, body = order,
        ok(200 => json(Item)))]
    async fn put_order(&self, key: &str, order: &NewOrder) -> Result<Item, Error>;

    #[endpoint(GET "/side-effect", idempotent = false, ok(200 => json(Item)))]
    async fn side_effect(&self) -> Result<Item, Error>;
}

const ITEM: &str = r#"{"id":"1"}"#;

/// Short waits, so retries cost milliseconds.
fn fast_policy(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(attempts)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(40))
}

fn builder(server: &FaultServer) -> ClientBuilder<Store> {
    ClientBuilder::new()
        .base_url(server.url())
        .retry(fast_policy(3))
}

fn client(b: ClientBuilder<Store>) -> StoreClient {
    StoreClient {
        core: b.build_core().expect("valid configuration"),
    }
}

fn order() -> NewOrder {
    NewOrder {
        item: "lamp".into(),
    }
}

/// `elapsed` lies in `min..max`.
#[track_caller]
fn assert_between(elapsed: Duration, min: Duration, max: Duration) {
    assert!(
        elapsed >= min && elapsed < max,
        "elapsed {elapsed:?} not in {min:?}..{max:?}"
    );
}

/// A closed port on 127.0.0.1 (bound, then released).
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{addr}")
}

// ------------------------------------------------------------------ delays and timeouts

#[tokio::test]
async fn delay_past_the_attempt_timeout_is_retried_and_then_succeeds() {
    let server = FaultServer::start(
        vec![Fault::json(200, ITEM).after(Duration::from_secs(10))],
        Fault::json(200, ITEM),
    )
    .await;
    let c = client(builder(&server).timeout(Duration::from_millis(500)));
    let start = Instant::now();
    let item = c.get_item("1").await.expect("second attempt succeeds");
    assert_eq!(item.id, "1");
    assert_eq!(server.count(), 2);
    assert_between(
        start.elapsed(),
        Duration::from_millis(500),
        Duration::from_secs(5),
    );
}

#[tokio::test]
async fn delay_on_every_attempt_gives_timeout_after_max_attempts() {
    let server = FaultServer::always(Fault::json(200, ITEM).after(Duration::from_secs(10))).await;
    let c = client(builder(&server).timeout(Duration::from_millis(100)));
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("every attempt times out");
    assert!(matches!(err, Error::Timeout { attempts: 3, .. }), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.count(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    // Three 100 ms attempts; waits of at most 10 + 20 ms.
    assert_between(
        start.elapsed(),
        Duration::from_millis(300),
        Duration::from_secs(5),
    );
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call_including_retries() {
    let server = FaultServer::always(Fault::json(200, ITEM).after(Duration::from_secs(10))).await;
    // Without the operation timeout: 10 attempts of 300 ms, at least 3 s.
    let c = client(
        builder(&server)
            .retry(fast_policy(10).with_backoff(Duration::from_millis(1), Duration::from_millis(1)))
            .timeout(Duration::from_millis(300))
            .operation_timeout(Duration::from_millis(500)),
    );
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("operation times out");
    let elapsed = start.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    // One full attempt, then a second cut short by the operation deadline (on a very slow
    // machine, the deadline can pass during the first).
    assert!((1..=2).contains(&err.attempts()), "{err:?}");
    assert_eq!(server.count(), err.attempts() as usize);
    assert_between(
        elapsed,
        Duration::from_millis(490),
        Duration::from_millis(2500),
    );
}

#[tokio::test]
async fn post_that_times_out_is_not_retried() {
    let server = FaultServer::always(Fault::json(200, ITEM).after(Duration::from_secs(10))).await;
    let c = client(builder(&server).timeout(Duration::from_millis(100)));
    let start = Instant::now();
    let err = c.create_order(&order()).await.expect_err("times out");
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert_eq!(server.count(), 1);
    assert_between(
        start.elapsed(),
        Duration::from_millis(100),
        Duration::from_secs(3),
    );
}

// ------------------------------------------------------------- broken connections

#[tokio::test]
async fn connect_errors_are_retried_for_get_but_not_for_post() {
    let url = closed_port_url();
    let c = client(ClientBuilder::new().base_url(&url).retry(fast_policy(3)));
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("nothing listens");
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert_between(start.elapsed(), Duration::ZERO, Duration::from_secs(5));

    let err = c.create_order(&order()).await.expect_err("nothing listens");
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
}

/// A client built without any timeout setting still gives up on a server that takes the
/// request and never answers, after [`vendor_clients::DEFAULT_TIMEOUT`]. The runtime's clock is
/// paused once the request has reached the server, so the 30 seconds pass at once.
#[tokio::test]
async fn a_silent_server_times_out_by_default() {
    let server =
        FaultServer::always(Fault::json(200, ITEM).after(Duration::from_secs(24 * 3600))).await;
    let c = client(ClientBuilder::new().base_url(server.url()).no_retries());
    let started = tokio::time::Instant::now();
    let call = tokio::spawn(async move { c.get_item("1").await });
    while server.count() == 0 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    tokio::time::pause();
    let err = call.await.expect("call task").expect_err("no answer");
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    let waited = started.elapsed();
    assert!(
        waited >= vendor_clients::DEFAULT_TIMEOUT
            && waited < vendor_clients::DEFAULT_TIMEOUT + Duration::from_secs(5),
        "waited {waited:?}"
    );
}

/// The defaults are visible in the builder, and switched off only by asking.
#[test]
fn timeouts_are_on_by_default_and_off_only_when_asked() {
    let shown = format!("{:?}", ClientBuilder::<Store>::new());
    assert!(shown.contains("timeout: Some(30s)"), "{shown}");
    assert!(shown.contains("connect_timeout: Some(10s)"), "{shown}");
    let shown = format!(
        "{:?}",
        ClientBuilder::<Store>::new()
            .no_timeout()
            .no_connect_timeout()
    );
    assert!(shown.contains("timeout: None"), "{shown}");
    assert!(shown.contains("connect_timeout: None"), "{shown}");
}

#[tokio::test]
async fn reset_mid_body_gives_transport_error() {
    let server = FaultServer::always(Fault::ResetMidBody {
        declared: 1000,
        sent: br#"{"id":"#.to_vec(),
    })
    .await;
    let c = client(builder(&server));
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("connection reset");
    // A broken body is not one of the retried failures (connect errors, timeouts, 429, 502,
    // 503, 504): reported at once.
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
    assert_between(start.elapsed(), Duration::ZERO, Duration::from_secs(5));
}

// ------------------------------------------------------------------- bad bodies

#[tokio::test]
async fn truncated_json_gives_decode_error_without_retry() {
    let server = FaultServer::always(Fault::json(200, r#"{"id": "1", "na"#)).await;
    let c = client(builder(&server));
    let err = c.get_item("1").await.expect_err("truncated");
    match &err {
        Error::Decode {
            status,
            snippet,
            attempts,
            ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(*attempts, 1);
            assert!(snippet.contains(r#""na"#), "{snippet}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn html_error_page_from_a_gateway_is_retried_then_reported_as_api_error() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = FaultServer::always(Fault::typed(502, "text/html", page)).await;
    let c = client(builder(&server));
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("502");
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status, 502);
            assert_eq!(api.attempts, 3);
            assert!(api.body.is_none());
            assert!(api.snippet.contains("<h1>502 Bad Gateway</h1>"), "{api:?}");
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(server.count(), 3);
    assert_between(start.elapsed(), Duration::ZERO, Duration::from_secs(5));
}

#[tokio::test]
async fn html_page_with_status_200_gives_decode_error() {
    let server =
        FaultServer::always(Fault::typed(200, "text/html", "<html>maintenance</html>")).await;
    let c = client(builder(&server));
    let err = c.get_item("1").await.expect_err("not JSON");
    assert!(
        matches!(&err, Error::Decode { status: 200, snippet, attempts: 1, .. } if snippet.contains("maintenance")),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn json_with_a_wrong_content_type_is_still_decoded() {
    // Vendors label JSON as text/plain or text/html; the body decides.
    let server = FaultServer::always(Fault::typed(200, "text/plain", ITEM)).await;
    let c = client(builder(&server));
    assert_eq!(c.get_item("1").await.expect("decoded").id, "1");
    assert_eq!(server.count(), 1);
}

// -------------------------------------------------------------------- body limits

const TEN_MB: usize = 10 * 1024 * 1024;
const ONE_MB: usize = 1024 * 1024;

#[tokio::test]
async fn ten_megabyte_chunked_body_is_cut_off_at_the_limit() {
    let server = FaultServer::always(Fault::Chunked {
        status: 200,
        content_type: "application/octet-stream",
        total: TEN_MB,
    })
    .await;
    let c = client(builder(&server).max_response_bytes(ONE_MB));
    let start = Instant::now();
    let err = c.blob().await.expect_err("over the limit");
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: ONE_MB,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
    assert_between(start.elapsed(), Duration::ZERO, Duration::from_secs(5));
}

#[tokio::test]
async fn ten_megabyte_body_within_the_default_limit_is_read_whole() {
    let server = FaultServer::always(Fault::Chunked {
        status: 200,
        content_type: "application/octet-stream",
        total: TEN_MB,
    })
    .await;
    let c = client(builder(&server));
    let body = c.blob().await.expect("under the 32 MiB default");
    assert_eq!(body.len(), TEN_MB);
    // Every one of the 160 chunks, in order.
    let expected: Vec<u8> = (0..TEN_MB).map(fault_server::chunked_byte).collect();
    assert!(
        body[..] == expected[..],
        "the body differs from what was sent"
    );
}

#[tokio::test]
async fn declared_length_over_the_limit_is_refused_before_reading() {
    // Declares 10 MB but sends 2 bytes: refused on the declared length, without reading.
    let server = FaultServer::always(Fault::LyingLength {
        declared: TEN_MB,
        body: b"{}".to_vec(),
    })
    .await;
    let c = client(builder(&server).max_response_bytes(ONE_MB));
    let err = c.blob().await.expect_err("declared too large");
    assert!(
        matches!(err, Error::BodyTooLarge { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn short_declared_length_reads_only_the_declared_bytes() {
    // Declares 16 bytes, then sends 10 MB: the rest is never read.
    let server = FaultServer::always(Fault::LyingLength {
        declared: 16,
        body: vec![b'y'; TEN_MB],
    })
    .await;
    let c = client(builder(&server).max_response_bytes(ONE_MB));
    let body = c.blob().await.expect("16 bytes");
    assert_eq!(&body[..], &[b'y'; 16]);
}

// ------------------------------------------------------------ 429, 503 and Retry-After

#[tokio::test]
async fn storm_of_429s_gives_up_after_max_attempts_honouring_the_vendor_wait() {
    let server = FaultServer::always(
        Fault::json(429, r#"{"error":"slow down"}"#).header("X-RateLimit-Retry-After", "0.05"),
    )
    .await;
    let c = client(
        builder(&server)
            .retry(fast_policy(4).with_backoff(Duration::from_millis(1), Duration::from_secs(1))),
    );
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("429 every time");
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.attempts(), 4);
    assert_eq!(server.count(), 4);
    // Three waits of 50 ms, as the server asked (the jittered backoff would be ~1 ms).
    assert_between(
        start.elapsed(),
        Duration::from_millis(150),
        Duration::from_secs(5),
    );
}

/// A kept-alive connection the server closes just as it is reused: the request went out, no
/// answer came. Nothing was answered, so an idempotent call is sent again (on a new connection).
#[tokio::test]
async fn connection_closed_before_the_answer_is_retried_for_idempotent_calls() {
    let server = FaultServer::start(vec![Fault::CloseWithoutAnswer], Fault::json(200, ITEM)).await;
    let c = client(builder(&server));
    assert_eq!(c.get_item("1").await.expect("second attempt").id, "1");
    assert_eq!(server.count(), 2);
}

/// The same failure on a call that is not idempotent is reported, not repeated: the server may
/// have acted on the request before it closed the connection.
#[tokio::test]
async fn connection_closed_before_the_answer_is_not_retried_for_other_calls() {
    let server = FaultServer::start(vec![Fault::CloseWithoutAnswer], Fault::json(200, ITEM)).await;
    let c = client(builder(&server));
    let err = c.create_order(&order()).await.expect_err("closed");
    assert!(
        matches!(err, Error::Transport { attempts: 1, .. }),
        "{err:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn service_unavailable_twice_then_recovery_succeeds() {
    let server = FaultServer::start(
        vec![Fault::status(503), Fault::status(503)],
        Fault::json(200, ITEM),
    )
    .await;
    let c = client(builder(&server));
    let start = Instant::now();
    assert_eq!(c.get_item("1").await.expect("third attempt").id, "1");
    assert_eq!(server.count(), 3);
    // Waits of at most 10 and 20 ms.
    assert_between(start.elapsed(), Duration::ZERO, Duration::from_secs(5));
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    let server = FaultServer::start(
        vec![Fault::status(503).header("Retry-After", "1")],
        Fault::json(200, ITEM),
    )
    .await;
    let c = client(
        builder(&server)
            .retry(fast_policy(3).with_backoff(Duration::from_millis(1), Duration::from_secs(5))),
    );
    let start = Instant::now();
    c.get_item("1").await.expect("second attempt");
    assert_eq!(server.count(), 2);
    assert_between(
        start.elapsed(),
        Duration::from_secs(1),
        Duration::from_secs(5),
    );
}

#[tokio::test]
async fn retry_after_as_http_date_is_honoured() {
    // Two seconds ahead at one-second resolution: a wait of more than one second.
    let at = std::time::SystemTime::now() + Duration::from_secs(2);
    let date = httpdate::fmt_http_date(at);
    let server = FaultServer::start(
        vec![Fault::status(429).header("Retry-After", &date)],
        Fault::json(200, ITEM),
    )
    .await;
    let c = client(
        builder(&server)
            .retry(fast_policy(3).with_backoff(Duration::from_millis(1), Duration::from_secs(5))),
    );
    let start = Instant::now();
    c.get_item("1").await.expect("second attempt");
    assert_eq!(server.count(), 2);
    assert_between(
        start.elapsed(),
        Duration::from_millis(900),
        Duration::from_secs(6),
    );
}

#[tokio::test]
async fn server_wait_longer_than_max_backoff_is_capped() {
    let server = FaultServer::start(
        vec![Fault::status(503).header("Retry-After", "30")],
        Fault::json(200, ITEM),
    )
    .await;
    let c = client(
        builder(&server).retry(
            fast_policy(3)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(50))
                .with_max_elapsed(Duration::from_secs(60)),
        ),
    );
    let start = Instant::now();
    c.get_item("1").await.expect("second attempt");
    assert_eq!(server.count(), 2);
    assert_between(
        start.elapsed(),
        Duration::from_millis(50),
        Duration::from_secs(5),
    );
}

#[tokio::test]
async fn server_wait_past_the_elapsed_budget_returns_the_error_at_once() {
    let server = FaultServer::always(Fault::status(429).header("Retry-After", "3600")).await;
    let c = client(
        builder(&server).retry(
            fast_policy(3)
                .with_backoff(Duration::from_millis(1), Duration::from_secs(3600))
                .with_max_elapsed(Duration::from_secs(10)),
        ),
    );
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("429");
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.count(), 1);
    assert_between(start.elapsed(), Duration::ZERO, Duration::from_secs(3));
}

#[tokio::test]
async fn server_wait_past_the_operation_timeout_returns_the_error_at_once() {
    let server = FaultServer::always(Fault::status(503).header("Retry-After", "5")).await;
    let c = client(
        builder(&server)
            .retry(fast_policy(3).with_backoff(Duration::from_millis(1), Duration::from_secs(10)))
            .operation_timeout(Duration::from_secs(2)),
    );
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), 1);
    assert_between(start.elapsed(), Duration::ZERO, Duration::from_millis(1900));
}

#[tokio::test]
async fn max_elapsed_bounds_the_retries() {
    let server = FaultServer::always(Fault::status(503)).await;
    let c = client(
        builder(&server).retry(
            fast_policy(1000)
                .with_backoff(Duration::from_millis(20), Duration::from_millis(20))
                .with_max_elapsed(Duration::from_secs(1)),
        ),
    );
    let start = Instant::now();
    let err = c.get_item("1").await.expect_err("503");
    let elapsed = start.elapsed();
    assert_eq!(err.status(), Some(503));
    assert!((2..1000).contains(&err.attempts()), "{err:?}");
    assert_eq!(server.count(), err.attempts() as usize);
    // Stopped only once less than one maximum wait (20 ms) of the budget was left.
    assert_between(elapsed, Duration::from_millis(980), Duration::from_secs(4));
}

// ----------------------------------------------------------------------- idempotency

#[tokio::test]
async fn post_is_not_retried() {
    let server = FaultServer::always(Fault::status(503)).await;
    let c = client(builder(&server));
    let err = c.create_order(&order()).await.expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn get_marked_not_idempotent_is_not_retried() {
    let server = FaultServer::always(Fault::status(503)).await;
    let c = client(builder(&server));
    let err = c.side_effect().await.expect_err("503");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn post_marked_idempotent_is_retried_with_the_same_body() {
    let server = FaultServer::start(vec![Fault::status(503)], Fault::json(200, ITEM)).await;
    let c = client(builder(&server));
    c.put_order("k-1", &order()).await.expect("second attempt");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/orders/k-1");
        assert_eq!(r.body, br#"{"item":"lamp"}"#);
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/json")
        );
    }
}

#[tokio::test]
async fn retry_non_idempotent_opt_in_retries_post() {
    let server = FaultServer::start(vec![Fault::status(502)], Fault::json(200, ITEM)).await;
    let c = client(builder(&server).retry(fast_policy(3).with_retry_non_idempotent(true)));
    c.create_order(&order()).await.expect("second attempt");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn no_retries_sends_once() {
    let server = FaultServer::always(Fault::status(503)).await;
    let c = client(builder(&server).no_retries());
    let err = c.get_item("1").await.expect_err("503");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.count(), 1);
    assert!(!err.to_string().contains("attempts"), "{err}");
}

#[tokio::test]
async fn statuses_that_are_not_transient_are_not_retried() {
    for status in [400, 401, 404, 500, 501] {
        let server = FaultServer::always(Fault::status(status)).await;
        let c = client(builder(&server));
        let err = c.get_item("1").await.expect_err("error status");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.attempts(), 1, "{status}");
        assert_eq!(server.count(), 1, "{status}");
    }
}

// ---------------------------------------------------------------------------- hooks

/// Attempt number, status, failure, will retry.
type Seen = (u32, Option<u16>, Option<AttemptFailure>, bool);

#[derive(Default)]
struct Recorder {
    attempts: Mutex<Vec<Seen>>,
}

struct Signer;

impl Hook for Signer {
    fn on_request(&self, request: &mut RequestParts<'_>) {
        let signature = format!(
            "{}:{}:{}:{}",
            request.operation().id,
            request.method(),
            request.attempt(),
            request.body().map_or(0, <[u8]>::len)
        );
        if let Ok(value) = signature.parse() {
            request.headers_mut().insert("x-signature", value);
        }
    }
}

impl Hook for Recorder {
    fn on_response(&self, response: &ResponseInfo<'_>) {
        if let Ok(mut seen) = self.attempts.lock() {
            seen.push((
                response.attempt(),
                response.status(),
                response.failure(),
                response.will_retry(),
            ));
        }
    }
}

#[tokio::test]
async fn hooks_sign_every_attempt_and_see_every_outcome() {
    let server = FaultServer::start(
        vec![
            Fault::json(200, ITEM).after(Duration::from_secs(10)),
            Fault::status(503),
        ],
        Fault::json(200, ITEM),
    )
    .await;
    let recorder = Arc::new(Recorder::default());
    let c = client(
        builder(&server)
            .timeout(Duration::from_millis(500))
            .hook(Signer)
            .hook(recorder.clone()),
    );
    c.put_order("k", &order()).await.expect("third attempt");

    let signatures: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("x-signature"))
        .collect();
    assert_eq!(
        signatures,
        [1, 2, 3]
            .map(|n| Some(format!("putOrder:POST:{n}:15")))
            .to_vec()
    );
    let seen = recorder
        .attempts
        .lock()
        .map(|s| s.clone())
        .unwrap_or_default();
    assert_eq!(
        seen,
        vec![
            (1, None, Some(AttemptFailure::Timeout), true),
            (2, Some(503), None, true),
            (3, Some(200), None, false),
        ]
    );
}
