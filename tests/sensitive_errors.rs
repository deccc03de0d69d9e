//! A response that holds a secret and fails to decode on another field (issue 18, item 2): the
//! error names the failing field, and neither its message nor its Debug shows the secret.

use vendor_clients::dxfeed::{Client, Error, TokenRequest, TokenRequestByAccountId};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "granted-token-7d41c9e0";

async fn answer(body: serde_json::Value) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth("key")
        .no_retries()
        .build()
        .unwrap();
    let request = TokenRequest::ByAccountId(TokenRequestByAccountId {
        account_id: "a1".into(),
        with_details: Some(true),
    });
    client
        .request_token(&request)
        .await
        .expect_err("the answer does not decode")
}

#[tokio::test]
async fn a_granted_token_that_fails_to_decode_elsewhere_is_not_in_the_error() {
    // `details` must be a list of strings.
    let err = answer(serde_json::json!({
        "status": "OK", "token": TOKEN, "reason": null, "details": "all"
    }))
    .await;
    let Error::Decode { path, snippet, .. } = &err else {
        panic!("not a decode error: {err:?}");
    };
    assert_eq!(path, "details", "{err}");
    assert!(snippet.contains("left out"), "{snippet}");
    let shown = format!("{err} / {err:?}");
    assert!(!shown.contains(TOKEN), "the token is in the error: {shown}");
    assert!(shown.contains("details"), "{shown}");
}

#[tokio::test]
async fn the_failing_field_is_named_inside_a_tagged_union() {
    let err = answer(serde_json::json!({
        "status": "OK", "token": TOKEN, "details": ["a", 7]
    }))
    .await;
    let Error::Decode { path, message, .. } = &err else {
        panic!("not a decode error: {err:?}");
    };
    assert_eq!(path, "details[1]", "{err}");
    assert!(message.contains("invalid type"), "{message}");
}
