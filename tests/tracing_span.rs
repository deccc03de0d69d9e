//! The tracing span of a call: operation, method, path template, status and attempts recorded,
//! no secret and no query value in the output.
//!
//! Alone in its test binary on purpose: it captures with a thread-local subscriber, and in a
//! binary with other tests, a test thread that reaches the same tracing callsites first can
//! cache them as uninteresting, so the span would be missing from this capture.

#[path = "support/fault_server.rs"]
mod fault_server;
#[path = "support/vault.rs"]
mod vault;

use std::io::Write;
use std::sync::{Arc, Mutex};

use fault_server::{Fault, FaultServer};
use vault::*;
use vendor_clients::Secret;

/// A `Write` into a shared buffer, for capturing tracing output.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut out) = self.0.lock() {
            out.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

#[tokio::test]
async fn span_records_operation_method_template_status_and_attempts_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = FaultServer::start(
        vec![Fault::json(503, r#"{"detail":"RESPONSE-SECRET-5"}"#)],
        Fault::json(200, r#"{"token":"RESPONSE-SECRET-5"}"#),
    )
    .await;
    let c = secret_client(&server.url());
    let body = c
        .search("QUERY-TEXT-7", &Secret::new(SECRETS[1]), None)
        .await
        .expect("second attempt");
    assert!(String::from_utf8_lossy(&body).contains(SECRETS[4]));
    let server_b = FaultServer::always(Fault::json(404, r#"{"e":"RESPONSE-SECRET-5"}"#)).await;
    let c_b = secret_client(&server_b.url());
    let err = c_b
        .put_event(&Event {
            password: Secret::new(SECRETS[3]),
        })
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(404));
    // The body and the query key did reach the server.
    let sent = &server_b.requests()[0];
    assert!(String::from_utf8_lossy(&sent.body).contains(SECRETS[3]));
    assert!(sent.target.contains(SECRETS[2]));

    let text = captured.text();
    for expected in [
        "vendor_clients.call",
        "operation=\"searchItems\"",
        "method=\"GET\"",
        "path=\"/search\"",
        "status=200",
        "attempts=2",
        "retrying",
        "operation=\"putEvent\"",
        "status=404",
        "attempts=1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_no_secret("tracing output", &text);
    assert!(
        !text.contains("QUERY-TEXT-7"),
        "query value logged:\n{text}"
    );
}
