//! Mention Me Entry Point API: its three operations against a local HTTP server that checks the
//! path (with the `{version}` segment), the JSON body and the authentication token the client
//! computes from the merchant secret (the Consumer API's signer), and answers the spec's example;
//! the tests assert the decoded values, the unsigned referee call, and the error statuses.
//!
//! Request bodies are the spec's examples, which carry the real token for their email and the
//! secret `s3cret`; the client is given each body without the token and must add exactly that.
#![cfg(feature = "mention-me-entry-point")]

mod support;

use serde_json::Value;
use vendor_clients::mention_me_entry_point::*;
use vendor_clients::Error as ClientError;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "s3cret";
/// SHA-256 of `jane.doe@example.coms3cret`, lower-case hex (`printf ... | sha256sum`).
const JANE_TOKEN: &str = "e0af8b3addc661090b108a6a57f5ee32fb3338d568f9bc682f58b9450f543f90";

fn spec() -> support::Spec {
    support::Spec::load("mention-me-entry-point.yaml")
}

/// A client for a mock server that serves the API under `/api/entry-point/v2`, as the
/// production host does.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/api/entry-point/v2", server.uri()))
        .merchant_secret(SECRET)
        .no_retries()
        .build()
        .expect("client");
    (server, client)
}

/// The spec's request example for `operation`, and the same body without the token.
fn example_without_token(operation: &str) -> (Value, Value) {
    let sent = spec().request(operation, None);
    let mut given = sent.clone();
    let removed = given["request"]
        .as_object_mut()
        .expect("request object")
        .remove("authenticationToken");
    assert_eq!(
        removed.as_ref().and_then(Value::as_str),
        Some(JANE_TOKEN),
        "the example carries Jane's token"
    );
    (sent, given)
}

/// Expects one POST of exactly `body` to `/api/entry-point/v2{p}`, answering `status`.
async fn expect_post(
    server: &MockServer,
    p: &str,
    body: Value,
    status: u16,
    answer: Option<Value>,
) {
    let mut t = ResponseTemplate::new(status);
    if let Some(a) = answer {
        t = t.set_body_json(a);
    }
    Mock::given(method("POST"))
        .and(path(format!("/api/entry-point/v2{p}")))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
        .respond_with(t)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn offer_is_signed_in_the_body_and_decodes_the_offer() {
    let (server, client) = setup().await;
    let (sent, given) = example_without_token("getOfferEntryPoint");
    let answer = spec().response("getOfferEntryPoint", 200, None);
    expect_post(&server, "/offer", sent, 200, Some(answer.clone())).await;
    let body: OfferEntryPointRequest = serde_json::from_value(given).expect("body");
    assert_eq!(body.request.authentication_token, None);
    let offer = client.get_offer_entry_point(&body).await.expect("offer");
    assert_eq!(offer.url.as_deref(), answer["url"].as_str());
    assert_eq!(offer.offer_code.as_deref(), Some("acme20"));
    assert_eq!(offer.locale_code.as_deref(), Some("en_GB"));
    assert_eq!(serde_json::to_value(&offer).expect("encode"), answer);
}

#[tokio::test]
async fn dashboard_is_signed_in_the_body() {
    let (server, client) = setup().await;
    let (sent, given) = example_without_token("getDashboardEntryPoint");
    let answer = spec().response("getDashboardEntryPoint", 200, None);
    expect_post(&server, "/dashboard", sent, 200, Some(answer)).await;
    let link = client
        .get_dashboard_entry_point(&serde_json::from_value(given).expect("body"))
        .await
        .expect("dashboard");
    assert_eq!(
        link.url.as_deref(),
        Some("https://mention-me.com/m/ep/dashboard/jd5kq")
    );
    assert_eq!(
        link.default_call_to_action.as_deref(),
        Some("See your rewards")
    );
}

#[tokio::test]
async fn referee_is_not_signed_and_needs_no_secret() {
    let server = MockServer::start().await;
    // No merchant secret: the referee call is sent all the same, with the body as given.
    let client = Client::builder()
        .base_url(format!("{}/api/entry-point/v2", server.uri()))
        .no_retries()
        .build()
        .expect("client");
    let body = spec().request("getRefereeEntryPoint", None);
    assert!(body["request"].get("authenticationToken").is_none());
    let answer = spec().response("getRefereeEntryPoint", 200, None);
    expect_post(&server, "/referee", body.clone(), 200, Some(answer)).await;
    let link = client
        .get_referee_entry_point(&serde_json::from_value(body).expect("body"))
        .await
        .expect("referee");
    assert_eq!(
        link.default_call_to_action.as_deref(),
        Some("Were you referred by a friend?")
    );
}

#[tokio::test]
async fn signed_calls_without_the_secret_are_not_sent() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/api/entry-point/v2", server.uri()))
        .build()
        .expect("client");
    let (_, given) = example_without_token("getDashboardEntryPoint");
    let err = client
        .get_dashboard_entry_point(&serde_json::from_value(given).expect("body"))
        .await
        .expect_err("no secret");
    assert!(
        matches!(err, ClientError::MissingCredentials { .. }),
        "{err:?}"
    );
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn a_minimal_answer_decodes() {
    let (server, client) = setup().await;
    let (sent, given) = example_without_token("getOfferEntryPoint");
    expect_post(&server, "/offer", sent, 200, Some(serde_json::json!({}))).await;
    let offer = client
        .get_offer_entry_point(&serde_json::from_value(given).expect("body"))
        .await
        .expect("offer");
    assert_eq!(offer, OfferEntryPoint::default());
}

#[tokio::test]
async fn documented_failures_are_api_errors_with_their_status() {
    for status in [404, 422, 500] {
        let (server, client) = setup().await;
        let (sent, given) = example_without_token("getOfferEntryPoint");
        expect_post(&server, "/offer", sent, status, None).await;
        let err = client
            .get_offer_entry_point(&serde_json::from_value(given).expect("body"))
            .await
            .expect_err("failure");
        match err {
            ClientError::Api(api) => assert_eq!(api.status, status),
            other => panic!("expected Error::Api({status}), got {other:?}"),
        }
    }
}
