//! What the benchmarks share: SaaSquatch's documented user, and the per-call overhead setup (a
//! local server answering dxFeed's `getAccountById`, the generated call and the same call by
//! hand).

#![allow(dead_code)] // each bench uses its own part

use serde_json::Value;

/// The first user of the spec's `listUsers` example: what SaaSquatch documents a user to be.
pub fn example_user() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/saasquatch.yaml"
    ))
    .expect("read specs/saasquatch.yaml");
    let spec: Value = vendor_clients_codegen::load::to_json(&text).expect("parse spec");
    let op = &spec["paths"]["/users"]["get"];
    assert_eq!(op["operationId"], "listUsers", "the spec moved listUsers");
    op["responses"]["200"]["content"]["application/json"]["example"]["users"][0].clone()
}

/// The runtime the call benchmarks run on: one worker thread.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// The per-call overhead pair: a local server answering one dxFeed account, the generated
/// client pointed at it, and what the hand-written call needs.
#[cfg(feature = "dxfeed")]
pub struct AccountCalls {
    /// Kept alive for the calls.
    pub server: wiremock::MockServer,
    pub generated: vendor_clients::dxfeed::Client,
    pub hand: reqwest::Client,
    pub url: String,
}

#[cfg(feature = "dxfeed")]
const KEY: &str = "bench-key";

#[cfg(feature = "dxfeed")]
impl AccountCalls {
    pub async fn start() -> AccountCalls {
        use wiremock::matchers::{header, method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        // Requests are not recorded: the bench makes tens of thousands, and keeping each would
        // grow the server's memory (and its cost per request) as the run goes on.
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        let account = serde_json::json!({"id": "6b3f0c1e-2d4a-4f7b-9a51-8c2e7d9f0a13", "email": "bob@example.com"});
        // Both calls must send these headers (a request without them gets a 404, which both
        // calls refuse), so that they are the same request on the wire.
        Mock::given(method("GET"))
            .and(path("/api/v1/accounts/6b3f0c1e"))
            .and(header("authorization", format!("Bearer {KEY}").as_str()))
            .and(header("accept", "application/json"))
            .and(header("user-agent", vendor_clients::DEFAULT_USER_AGENT))
            .respond_with(ResponseTemplate::new(200).set_body_json(&account))
            .mount(&server)
            .await;
        let generated = vendor_clients::dxfeed::Client::builder()
            .base_url(server.uri())
            .bearer_auth(KEY)
            .build()
            .expect("client");
        let url = format!("{}/api/v1/accounts/6b3f0c1e", server.uri());
        AccountCalls {
            server,
            generated,
            hand: reqwest::Client::new(),
            url,
        }
    }

    /// One generated call: build the request, send, decode.
    pub async fn generated(&self) {
        let a = self
            .generated
            .get_account_by_id("6b3f0c1e")
            .await
            .expect("call");
        assert_eq!(a.email, "bob@example.com");
    }

    /// The same request written by hand with reqwest + serde_json: the same headers on the wire
    /// (`Authorization`, `Accept`, `User-Agent`).
    pub async fn hand_written(&self) {
        let response = self
            .hand
            .get(&self.url)
            .bearer_auth(KEY)
            .header("accept", "application/json")
            // The generated client names itself; without this the two requests would differ on
            // the wire, and the server's work with them.
            .header("user-agent", vendor_clients::DEFAULT_USER_AGENT)
            .send()
            .await
            .expect("send");
        assert!(response.status().is_success());
        let body = response.bytes().await.expect("body");
        let a: vendor_clients::dxfeed::Account = serde_json::from_slice(&body).expect("decode");
        assert_eq!(a.email, "bob@example.com");
    }
}
