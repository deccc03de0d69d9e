//! Path parameters cannot change the path, query or host; header values with line breaks are
//! refused; secrets stay out of Debug, Display, errors, and tracing spans and events. Checked on
//! the raw request line a local server (`support/fault_server.rs`) receives.

#[path = "support/fault_server.rs"]
mod fault_server;
#[path = "support/vault.rs"]
mod vault;

use std::sync::{Arc, Mutex};

use fault_server::{Fault, FaultServer};
use vault::*;
use vendor_clients::{ClientBuilder, Credential, Error, Hook, RequestParts, Secret};

#[tokio::test]
async fn every_dangerous_character_in_a_path_param_stays_inside_one_segment() {
    let cases = [
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("..%2F", "..%252F"),
        ("a?x=1", "a%3Fx%3D1"),
        ("a#frag", "a%23frag"),
        ("100%", "100%25"),
        ("%2e%2e", "%252e%252e"),
        ("a b", "a%20b"),
        ("é", "%C3%A9"),
        ("日本", "%E6%97%A5%E6%9C%AC"),
        ("\u{202e}rtl", "%E2%80%AErtl"),
        ("@evil.example", "%40evil.example"),
        ("//evil.example/x", "%2F%2Fevil.example%2Fx"),
        ("http://evil.example", "http%3A%2F%2Fevil.example"),
        ("a\\b", "a%5Cb"),
        ("a\r\nHost: evil", "a%0D%0AHost%3A%20evil"),
        ("a;b=c", "a%3Bb%3Dc"),
        ("-._~", "-._~"),
    ];
    let server = FaultServer::always(Fault::status(200)).await;
    let c = client(ClientBuilder::new().base_url(server.url()));
    for (value, _) in cases {
        c.get_item(value)
            .await
            .unwrap_or_else(|e| panic!("{value:?}: {e}"));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), cases.len());
    let host = server.addr().to_string();
    for ((value, encoded), request) in cases.iter().zip(&requests) {
        assert_eq!(request.target, format!("/items/{encoded}"), "{value:?}");
        assert_eq!(request.header("host").as_deref(), Some(host.as_str()));
    }
}

#[tokio::test]
async fn dot_segment_path_params_are_refused_before_sending() {
    let server = FaultServer::always(Fault::status(200)).await;
    let c = client(ClientBuilder::new().base_url(server.url()));
    for bad in ["..", ".", ""] {
        let err = c.get_item(bad).await.expect_err("refused");
        assert!(
            matches!(&err, Error::InvalidRequest { message, .. } if message.contains("`id`")),
            "{bad:?}: {err:?}"
        );
        assert_eq!(err.attempts(), 0);
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn header_values_with_cr_or_lf_are_refused_without_echoing_them() {
    let server = FaultServer::always(Fault::status(200)).await;
    let c = secret_client(&server.url());
    let session = Secret::new("s");
    for bad in [
        "a\rINJECTED",
        "a\nINJECTED",
        "a\r\nX-INJECTED: 1",
        "a\0INJECTED",
    ] {
        let err = c
            .search("q", &session, Some(bad))
            .await
            .expect_err("refused");
        match &err {
            Error::InvalidRequest { message, .. } => {
                assert!(message.contains("X-Note"), "{message}");
            }
            other => panic!("{bad:?}: expected InvalidRequest, got {other:?}"),
        }
        assert!(!format!("{err} {err:?}").contains("INJECTED"));
    }
    // A secret header value with a line break: refused, and the secret not shown.
    let err = c
        .search("q", &Secret::new("SESSION-SECRET-2\r\nX: y"), None)
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert_no_secret("invalid header error", &format!("{err} {err:?}"));
    assert_eq!(server.count(), 0);
}

/// The refusal says non-ASCII is not allowed, and so it is not: `ü` would otherwise go out as
/// raw UTF-8 bytes (obs-text), which servers read as Latin-1 or refuse.
#[tokio::test]
async fn header_values_outside_ascii_are_refused_as_the_message_says() {
    let server = FaultServer::always(Fault::status(200)).await;
    let c = secret_client(&server.url());
    for bad in ["Jürgen", "caf\u{e9}", "\u{202e}evil", "a\u{7f}b"] {
        let err = c
            .search("q", &Secret::new("s"), Some(bad))
            .await
            .expect_err("refused");
        match &err {
            Error::InvalidRequest { message, .. } => {
                assert!(message.contains("X-Note"), "{message}");
                assert!(message.contains("non-ASCII"), "{message}");
            }
            other => panic!("{bad:?}: expected InvalidRequest, got {other:?}"),
        }
    }
    // Visible ASCII, spaces and tabs still go out as they are.
    c.search("q", &Secret::new("s"), Some("plain text\twith tab"))
        .await
        .expect("sent");
    assert_eq!(server.count(), 1);
    // A credential is held to the same rule.
    let c = client(
        ClientBuilder::new()
            .base_url(server.url())
            .credential("bearerAuth", Credential::Bearer(Secret::new("tökén"))),
    );
    let err = c
        .search("q", &Secret::new("s"), None)
        .await
        .expect_err("refused");
    match &err {
        Error::InvalidRequest { message, .. } => {
            assert!(message.contains("non-ASCII"), "{message}")
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn credentials_with_line_breaks_are_refused_without_echoing_them() {
    let server = FaultServer::always(Fault::status(200)).await;
    let c = client(ClientBuilder::new().base_url(server.url()).credential(
        "bearerAuth",
        Credential::Bearer(Secret::new("BEARER-SECRET-1\r\nX-Evil: 1")),
    ));
    let err = c
        .search("q", &Secret::new("s"), None)
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert_no_secret("credential error", &text);
    assert!(!text.contains("Evil"), "{text}");
    assert_eq!(server.count(), 0);
}

/// Records, per attempt, whether the secret headers are marked sensitive, and the Debug output
/// of the request parts.
#[derive(Default)]
struct SensitivityProbe {
    seen: Mutex<Vec<(bool, bool, String)>>,
}

impl Hook for SensitivityProbe {
    fn on_request(&self, request: &mut RequestParts<'_>) {
        let sensitive = |name: &str| {
            request
                .headers()
                .get(name)
                .is_some_and(|v| v.is_sensitive())
        };
        let entry = (
            sensitive("authorization"),
            sensitive("x-session-key"),
            format!("{request:?}"),
        );
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(entry);
        }
    }
}

#[tokio::test]
async fn secret_headers_are_marked_sensitive_and_hidden_from_hook_debug_output() {
    let server = FaultServer::always(Fault::status(200)).await;
    let probe = Arc::new(SensitivityProbe::default());
    let c = client(
        ClientBuilder::new()
            .base_url(server.url())
            .hook(probe.clone())
            .credential("bearerAuth", Credential::Bearer(Secret::new(SECRETS[0]))),
    );
    c.search("q", &Secret::new(SECRETS[1]), Some("plain"))
        .await
        .expect("sent");
    let seen = probe.seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(seen.len(), 1);
    let (auth_sensitive, session_sensitive, debug) = &seen[0];
    assert!(auth_sensitive);
    assert!(session_sensitive);
    assert!(debug.contains("x-session-key"), "{debug}");
    assert_no_secret("RequestParts Debug", debug);
    // The values did reach the server.
    let request = &server.requests()[0];
    assert_eq!(request.header("x-session-key").as_deref(), Some(SECRETS[1]));
}

#[tokio::test]
async fn errors_hide_secrets_after_retries() {
    let server = FaultServer::always(Fault::status(503)).await;
    let err = secret_client(&server.url())
        .search("q", &Secret::new(SECRETS[1]), None)
        .await
        .expect_err("503");
    assert_eq!(err.attempts(), 3);
    assert_no_secret("api error", &format!("{err} {err:?}"));

    // A closed port: transport errors after retries do not show the URL with the query key.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    drop(listener);
    let err = secret_client(&format!("http://{addr}"))
        .put_event(&Event {
            password: Secret::new(SECRETS[3]),
        })
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert_no_secret("transport error", &format!("{err} {err:?}"));
}
