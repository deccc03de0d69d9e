//! Spaaza get-campaign-referrals against a local HTTP server: the session headers (both, or the
//! privileged bearer instead), the app-hostname and API-version headers, the customer identity
//! sent as exactly one query parameter, the `{result, results}` envelope unwrapped with its
//! warnings kept, and the error envelope as a typed error (documented codes as named variants,
//! unknown codes kept) with its HTTP status, name and description.

mod support;

use serde_json::{json, Value};
use time::macros::datetime;
use vendor_clients::spaaza::*;
use vendor_clients::Error as ClientError;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const HOST: &str = "shop.example.com";

fn spec() -> support::Spec {
    support::Spec::load("spaaza.yaml")
}

fn session_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .session_user_id("4")
        .session_key("sess-key-9f2c")
        .no_retries()
        .build()
        .expect("client")
}

/// Serves `status` with `body` for any get-campaign-referrals call.
async fn answer(server: &MockServer, status: u16, body: Value) {
    Mock::given(method("GET"))
        .and(path("/get-campaign-referrals"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

fn params() -> GetCampaignReferralsParams {
    GetCampaignReferralsParams::new(HOST, 52)
}

#[tokio::test]
async fn session_call_sends_both_session_headers_and_unwraps_the_results() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/get-campaign-referrals"))
        .and(query_param("campaign_id", "52"))
        .and(query_param_is_missing("chain_id"))
        .and(query_param_is_missing("user_id"))
        .and(header("X-Spaaza-Session-User-Id", "4"))
        .and(header("X-Spaaza-Session-Key", "sess-key-9f2c"))
        .and(header("X-Spaaza-MyPrice-App-Hostname", HOST))
        .and(header("X-Spaaza-API-version", "1.6.3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "getCampaignReferrals",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let referrals = session_client(&server)
        .get_campaign_referrals(&params().x_spaaza_api_version("1.6.3"))
        .await
        .expect("referrals");
    // The value derefs to `results`; the envelope's marker is in the meta part.
    assert_eq!(referrals.count, 2);
    assert_eq!(referrals.result_type, "get-campaign-referrals");
    assert_eq!(referrals.referrals.len(), 2);
    let first = &referrals.referrals[0];
    assert_eq!(first.referred_user.user_id, 7);
    assert_eq!(first.referred_user.initials, "John S");
    assert_eq!(
        first.referred_user.created_date.0,
        datetime!(2021-08-04 12:07:52)
    );
    assert_eq!(first.referring_user.user_id, 4);
    assert_eq!(referrals.meta().result.code, 1);
    assert_eq!(referrals.meta().result.status, "ok");
    assert_eq!(referrals.meta().warnings, None);
}

#[tokio::test]
async fn privileged_auth_sends_a_bearer_and_no_session_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/get-campaign-referrals"))
        .and(header("authorization", "Bearer priv-token-1"))
        .and(query_param("member_number", "200000004"))
        .and(query_param("chain_id", "1743"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "getCampaignReferrals",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .privileged_auth("priv-token-1")
        .build()
        .expect("client");
    client
        .get_campaign_referrals(
            &params()
                .chain_id(1743)
                .customer_identity(CustomerIdentity::MemberNumber("200000004".into())),
        )
        .await
        .expect("referrals");
    let sent = &server.received_requests().await.unwrap()[0];
    assert!(sent.headers.get("X-Spaaza-Session-Key").is_none());
    assert!(sent.headers.get("X-Spaaza-Session-User-Id").is_none());
}

/// The identity enum sends exactly one of the four query parameters, under its wire name.
#[tokio::test]
async fn each_customer_identity_sends_exactly_its_own_parameter() {
    let all = [
        "user_id",
        "member_number",
        "username",
        "authentication_point_identifier",
    ];
    let cases = [
        (CustomerIdentity::UserId(4), "user_id", "4"),
        (
            CustomerIdentity::MemberNumber("200000004".into()),
            "member_number",
            "200000004",
        ),
        (
            CustomerIdentity::Username("jane.doe@example.com".into()),
            "username",
            "jane.doe@example.com",
        ),
        (
            CustomerIdentity::AuthenticationPointIdentifier("auth0|5f7c8ec7".into()),
            "authentication_point_identifier",
            "auth0|5f7c8ec7",
        ),
    ];
    for (identity, name, value) in cases {
        let server = MockServer::start().await;
        answer(
            &server,
            200,
            spec().response("getCampaignReferrals", 200, None),
        )
        .await;
        session_client(&server)
            .get_campaign_referrals(&params().customer_identity(identity))
            .await
            .expect("referrals");
        let sent: &Request = &server.received_requests().await.unwrap()[0];
        let pairs: Vec<(String, String)> = sent.url.query_pairs().into_owned().collect();
        let identities: Vec<&(String, String)> = pairs
            .iter()
            .filter(|(k, _)| all.contains(&k.as_str()))
            .collect();
        assert_eq!(identities, [&(name.to_string(), value.to_string())]);
    }
}

#[tokio::test]
async fn a_session_with_only_one_of_its_two_headers_is_missing_credentials() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .session_user_id("4")
        .build()
        .expect("client");
    let err = client
        .get_campaign_referrals(&params())
        .await
        .expect_err("half a session");
    assert!(
        matches!(err, ClientError::MissingCredentials { .. }),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn warnings_in_a_successful_response_are_kept() {
    let server = MockServer::start().await;
    let mut body = spec().response("getCampaignReferrals", 200, None);
    body["warnings"] = json!([{
        "code": 12,
        "name": "parameter_deprecated",
        "description": "A parameter you sent is deprecated",
        "message": "chain_id is ignored with a user session"
    }]);
    answer(&server, 200, body).await;
    let referrals = session_client(&server)
        .get_campaign_referrals(&params())
        .await
        .expect("referrals");
    let warnings = referrals.meta().warnings.as_ref().expect("warnings");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].code, 12);
    assert_eq!(warnings[0].name, "parameter_deprecated");
    assert_eq!(
        warnings[0].message.as_deref(),
        Some("chain_id is ignored with a user session")
    );
    assert_eq!(referrals.count, 2);
}

/// The decoded error envelope of an API error, with its status.
fn api_error(e: Error) -> (u16, ErrorEnvelope) {
    let status = e.status().expect("a status");
    match e {
        ClientError::Api(api) => (status, api.body.expect("decoded error body")),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn documented_error_codes_are_named_variants_with_status_name_and_description() {
    let cases = [
        (400, "campaignNotFound", ErrorCode::CampaignNotFound, 413),
        (
            400,
            "multipleParameterMismatch",
            ErrorCode::MultipleParameterMismatch,
            416,
        ),
        (401, "noValidSession", ErrorCode::NoValidSession, 6),
        (404, "userNotFound", ErrorCode::UserNotFound, 270),
        (
            500,
            "permissionDeniedOrNonExistent",
            ErrorCode::PermissionDeniedOrNonExistent,
            68,
        ),
    ];
    for (status, example, code, number) in cases {
        let server = MockServer::start().await;
        let body = spec().response("getCampaignReferrals", status, Some(example));
        answer(&server, status, body.clone()).await;
        let err = session_client(&server)
            .get_campaign_referrals(&params())
            .await
            .expect_err("an error");
        let (got_status, envelope) = api_error(err);
        assert_eq!(got_status, status, "{example}");
        assert_eq!(envelope.error.code, code, "{example}");
        assert_eq!(envelope.error.code.code(), number);
        assert_eq!(envelope.error.name, body["error"]["name"], "{example}");
        assert_eq!(
            envelope.error.description, body["error"]["description"],
            "{example}"
        );
        assert_eq!(envelope.result.code, 2);
    }
}

#[tokio::test]
async fn an_undocumented_code_and_status_are_kept_as_unknown() {
    let server = MockServer::start().await;
    answer(
        &server,
        409,
        json!({
            "result": {"code": 2, "status": "error"},
            "error": {"code": 999, "name": "something_new", "description": "A new error"}
        }),
    )
    .await;
    let err = session_client(&server)
        .get_campaign_referrals(&params())
        .await
        .expect_err("an error");
    let (status, envelope) = api_error(err);
    assert_eq!(status, 409);
    assert_eq!(envelope.error.code, ErrorCode::Unknown(999));
    assert_eq!(envelope.error.code.code(), 999);
    assert_eq!(envelope.error.name, "something_new");
}

#[test]
fn every_documented_code_round_trips_through_its_variant() {
    let documented = [
        1, 6, 68, 144, 154, 217, 228, 264, 265, 267, 269, 270, 403, 405, 413, 416, 424,
    ];
    for n in documented {
        let code = ErrorCode::from_code(n);
        assert!(!matches!(code, ErrorCode::Unknown(_)), "{n} is documented");
        assert_eq!(code.code(), n);
        let decoded: ErrorCode = serde_json::from_value(json!(n)).unwrap();
        assert_eq!(decoded, code);
        assert_eq!(serde_json::to_value(code).unwrap(), json!(n));
    }
}

#[tokio::test]
async fn a_success_body_missing_results_is_a_decode_error_naming_the_field() {
    let server = MockServer::start().await;
    answer(&server, 200, json!({"result": {"code": 1, "status": "ok"}})).await;
    let err = session_client(&server)
        .get_campaign_referrals(&params())
        .await
        .expect_err("bad body");
    match err {
        ClientError::Decode { path, message, .. } => {
            assert!(
                path.contains("results") || message.contains("results"),
                "{path}: {message}"
            )
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
