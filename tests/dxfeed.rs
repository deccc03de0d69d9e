//! dxFeed Retail Services: every operation against a local HTTP server that checks method, path,
//! headers (the Bearer key) and JSON body, and answers with the spec's documented example; the
//! tests assert the decoded values. Every documented failure kind is exercised at least once.

mod support;

use serde_json::{json, Value};
use vendor_clients::dxfeed::*;
use vendor_clients::{Error as ClientError, Nullable};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-api-key-123";
const ACCOUNT: &str = "6b3f0c1e-2d4a-4f7b-9a51-8c2e7d9f0a13";

fn spec() -> support::Spec {
    support::Spec::load("dxfeed.yaml")
}

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(KEY)
        .build()
        .expect("client");
    (server, client)
}

/// Expects one call of `verb path` with the Bearer key (and `body`, if given), answering `status`
/// with `answer`.
async fn expect(
    server: &MockServer,
    verb: &str,
    p: &str,
    body: Option<Value>,
    status: u16,
    answer: Option<Value>,
) {
    let auth = format!("Bearer {KEY}");
    support::expect_once(server, &auth, verb, p, body, status, answer).await;
}

/// The decoded vendor error body of an `Error::Api`, with its status.
fn api_failure(e: ClientError<ErrorBody>) -> (u16, ErrorBody) {
    support::api_body(e)
}

fn failure(e: ClientError<ErrorBody>) -> (u16, Failure) {
    match api_failure(e) {
        (s, ErrorBody::Failure(f)) => (s, f),
        (_, other) => panic!("expected a Failure body, got {other:?}"),
    }
}

#[tokio::test]
async fn create_account_sends_the_documented_body_and_decodes_the_id() {
    let (server, client) = setup().await;
    let s = spec();
    let request = s.request("createAccount", None);
    expect(
        &server,
        "POST",
        "/api/v1/accounts",
        Some(request.clone()),
        200,
        Some(s.response("createAccount", 200, None)),
    )
    .await;
    let body = CreateAccountRequest {
        email: "bob.smith@example.com".into(),
        metadata: AccountMetadata {
            first_name: Nullable::Value("Bob".into()),
            last_name: Nullable::Value("Smith".into()),
            country: Nullable::Null,
            state: Nullable::Null,
            address: Nullable::Null,
            city: Nullable::Null,
            zip: Nullable::Null,
            phone: Nullable::Null,
            company_name: Nullable::Null,
            job_title: Nullable::Null,
        },
        allowed_statuses: Some("ALL".into()),
    };
    // The typed request serializes to exactly the documented example (explicit nulls included).
    assert_eq!(serde_json::to_value(&body).unwrap(), request);
    let created = client.create_account(&body).await.expect("created");
    assert_eq!(created.account_id, ACCOUNT);
}

#[tokio::test]
async fn create_account_omits_absent_optional_fields() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/api/v1/accounts",
        Some(json!({"email": "a@example.com", "metadata": {}})),
        200,
        Some(json!({"accountId": "x"})),
    )
    .await;
    let body = CreateAccountRequest {
        email: "a@example.com".into(),
        metadata: AccountMetadata::default(),
        allowed_statuses: None,
    };
    assert_eq!(client.create_account(&body).await.unwrap().account_id, "x");
}

#[tokio::test]
async fn create_account_conflict_is_422_with_the_failure_body() {
    let (server, client) = setup().await;
    let s = spec();
    let answer = s.response("createAccount", 422, Some("accountAlreadyExists"));
    expect(&server, "POST", "/api/v1/accounts", None, 422, Some(answer)).await;
    let body = CreateAccountRequest {
        email: "bob.smith@example.com".into(),
        metadata: AccountMetadata::default(),
        allowed_statuses: None,
    };
    let (status, f) = failure(client.create_account(&body).await.unwrap_err());
    assert_eq!(status, 422);
    assert_eq!(
        (f.error_code, f.reason.as_str()),
        (422, "ACCOUNT_ALREADY_EXISTS")
    );
    assert_eq!(f.date_time.to_string(), "2024-01-15T10:00:00Z");
}

#[tokio::test]
async fn create_account_bad_email_is_400() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/api/v1/accounts",
        None,
        400,
        Some(spec().response("createAccount", 400, Some("invalidEmail"))),
    )
    .await;
    let body = CreateAccountRequest {
        email: "nope".into(),
        metadata: AccountMetadata::default(),
        allowed_statuses: None,
    };
    let (status, f) = failure(client.create_account(&body).await.unwrap_err());
    assert_eq!(
        (status, f.reason.as_str(), f.message.as_str()),
        (400, "BAD_REQUEST", "Valid email should be specified")
    );
}

#[tokio::test]
async fn get_account_by_id_decodes_the_account() {
    let (server, client) = setup().await;
    let answer = spec().response("getAccountById", 200, None);
    expect(
        &server,
        "GET",
        &format!("/api/v1/accounts/{ACCOUNT}"),
        None,
        200,
        Some(answer.clone()),
    )
    .await;
    let account = client.get_account_by_id(ACCOUNT).await.unwrap();
    assert_eq!(account.id, answer["id"].as_str().unwrap());
    assert_eq!(account.email, answer["email"].as_str().unwrap());
}

#[tokio::test]
async fn get_account_by_id_with_a_wrong_key_is_401() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth("wrong")
        .build()
        .unwrap();
    let s = spec();
    let unauthorized = s.response("getAccountById", 401, Some("authenticationFailed"));
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer wrong"))
        .respond_with(ResponseTemplate::new(401).set_body_json(unauthorized))
        .expect(1)
        .mount(&server)
        .await;
    let err = client.get_account_by_id(ACCOUNT).await.unwrap_err();
    assert!(
        !format!("{err} {err:?}").contains("wrong\""),
        "the key must not appear in errors"
    );
    let (status, f) = failure(err);
    assert_eq!((status, f.error_code), (401, 401));
    assert!(f.reason.starts_with("AUTHENTICATION"), "{}", f.reason);
}

#[tokio::test]
async fn get_account_by_id_unknown_account_is_404() {
    let (server, client) = setup().await;
    expect(
        &server,
        "GET",
        "/api/v1/accounts/missing",
        None,
        404,
        Some(spec().response("getAccountById", 404, Some("accountNotFound"))),
    )
    .await;
    let (status, f) = failure(client.get_account_by_id("missing").await.unwrap_err());
    assert_eq!((status, f.reason.as_str()), (404, "ACCOUNT_NOT_FOUND"));
}

#[tokio::test]
async fn get_account_by_email_percent_encodes_the_email_segment() {
    let (server, client) = setup().await;
    let answer = spec().response("getAccountByEmail", 200, None);
    // `+` and `@` must not be taken literally by the server's path parser.
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/by-email/bob%2Bnews%40example.com"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer.clone()))
        .expect(1)
        .mount(&server)
        .await;
    let account = client
        .get_account_by_email("bob+news@example.com")
        .await
        .unwrap();
    assert_eq!(account.email, answer["email"].as_str().unwrap());
}

#[tokio::test]
async fn reset_password_answers_200_without_body() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/reset-password"),
        None,
        200,
        None,
    )
    .await;
    client.reset_password(ACCOUNT).await.expect("reset");
}

#[tokio::test]
async fn reset_password_credentials_disabled_is_422() {
    let (server, client) = setup().await;
    let s = spec();
    let answer = s.response(
        "resetPassword",
        422,
        Some(first_example_name(&s, "resetPassword", 422).as_str()),
    );
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/reset-password"),
        None,
        422,
        Some(answer),
    )
    .await;
    let (status, f) = failure(client.reset_password(ACCOUNT).await.unwrap_err());
    assert_eq!(
        (status, f.reason.as_str()),
        (422, "CREDENTIALS_GENERATION_DISABLED")
    );
}

#[tokio::test]
async fn change_email_sends_the_new_email() {
    let (server, client) = setup().await;
    let request = spec().request("changeEmail", None);
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/change-email"),
        Some(request.clone()),
        200,
        None,
    )
    .await;
    let body = ChangeEmailRequest {
        email: request["email"].as_str().unwrap().into(),
    };
    client.change_email(ACCOUNT, &body).await.expect("changed");
}

#[tokio::test]
async fn activate_subscriptions_v1_decodes_links_and_confirmation_id() {
    let (server, client) = setup().await;
    let s = spec();
    let request = s.request("activateSubscriptionsV1", None);
    let answer = s.response(
        "activateSubscriptionsV1",
        200,
        Some("signupAndConfirmation"),
    );
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions"),
        Some(request.clone()),
        200,
        Some(answer.clone()),
    )
    .await;
    let body: ActivateSubscriptionsV1Request = serde_json::from_value(request).unwrap();
    let result = client
        .activate_subscriptions_v1(ACCOUNT, &body)
        .await
        .unwrap();
    let links = result.signup_page_by_theme.expect("links");
    assert_eq!(
        links["LIGHT"],
        answer["signupPageByTheme"]["LIGHT"].as_str().unwrap()
    );
    assert_eq!(
        links["DARK"],
        answer["signupPageByTheme"]["DARK"].as_str().unwrap()
    );
    assert_eq!(
        result.confirmation_id.as_deref(),
        answer["confirmationId"].as_str()
    );
}

#[tokio::test]
async fn activate_subscriptions_v1_already_active_is_409() {
    let (server, client) = setup().await;
    let s = spec();
    let answer = s.response(
        "activateSubscriptionsV1",
        409,
        Some(first_example_name(&s, "activateSubscriptionsV1", 409).as_str()),
    );
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions"),
        None,
        409,
        Some(answer.clone()),
    )
    .await;
    let body = ActivateSubscriptionsV1Request {
        subscriptions: vec!["CMEGROUP".into()],
        success_redirect_url: None,
    };
    let (status, f) = failure(
        client
            .activate_subscriptions_v1(ACCOUNT, &body)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (status, f.reason.as_str()),
        (409, answer["reason"].as_str().unwrap())
    );
}

#[tokio::test]
async fn activate_subscriptions_v2_sends_end_dates_and_decodes_the_all_null_answer() {
    let (server, client) = setup().await;
    let s = spec();
    let request = s.request("activateSubscriptionsV2", None);
    let answer = s.response("activateSubscriptionsV2", 200, Some("activated"));
    expect(
        &server,
        "POST",
        &format!("/api/v2/accounts/{ACCOUNT}/subscriptions"),
        Some(request.clone()),
        200,
        Some(answer),
    )
    .await;
    let body: ActivateSubscriptionsV2Request = serde_json::from_value(request.clone()).unwrap();
    assert!(
        body.subscriptions.iter().any(|s| s.end_date.is_some()),
        "the documented example carries an endDate"
    );
    let result = client
        .activate_subscriptions_v2(ACCOUNT, &body)
        .await
        .unwrap();
    assert_eq!(
        result,
        ActivationResult {
            signup_page_by_theme: None,
            confirmation_id: None
        }
    );
}

#[tokio::test]
async fn activate_subscriptions_v2_end_date_in_the_past_is_400() {
    let (server, client) = setup().await;
    let s = spec();
    let name = example_names(&s, "activateSubscriptionsV2", 400)
        .into_iter()
        .find(|n| {
            s.response("activateSubscriptionsV2", 400, Some(n))["message"]
                .as_str()
                .unwrap_or("")
                .contains("future")
        })
        .expect("documented 'End date should be set in the future'");
    expect(
        &server,
        "POST",
        &format!("/api/v2/accounts/{ACCOUNT}/subscriptions"),
        None,
        400,
        Some(s.response("activateSubscriptionsV2", 400, Some(&name))),
    )
    .await;
    let body = ActivateSubscriptionsV2Request {
        subscriptions: vec![SubscriptionOrder {
            feed_name: "CME".into(),
            end_date: Some("2000-01-01T00:00:00Z".parse().unwrap()),
        }],
        success_redirect_url: None,
    };
    let (status, f) = failure(
        client
            .activate_subscriptions_v2(ACCOUNT, &body)
            .await
            .unwrap_err(),
    );
    assert_eq!((status, f.reason.as_str()), (400, "BAD_REQUEST"));
    assert!(
        f.message.contains("End date should be set in the future"),
        "{}",
        f.message
    );
}

#[tokio::test]
async fn confirm_subscription_v1_and_v2_use_their_own_paths() {
    let (server, client) = setup().await;
    let s = spec();
    let r1 = s.request("confirmSubscriptionV1", None);
    let r2 = s.request("confirmSubscriptionV2", None);
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions/confirm"),
        Some(r1.clone()),
        200,
        None,
    )
    .await;
    expect(
        &server,
        "POST",
        &format!("/api/v2/accounts/{ACCOUNT}/subscriptions/confirm"),
        Some(r2.clone()),
        200,
        None,
    )
    .await;
    client
        .confirm_subscription_v1(ACCOUNT, &serde_json::from_value(r1).unwrap())
        .await
        .expect("v1");
    client
        .confirm_subscription_v2(ACCOUNT, &serde_json::from_value(r2).unwrap())
        .await
        .expect("v2");
}

#[tokio::test]
async fn confirm_subscription_unknown_order_is_404() {
    let (server, client) = setup().await;
    let s = spec();
    let name = example_names(&s, "confirmSubscriptionV1", 404)
        .into_iter()
        .find(|n| s.response("confirmSubscriptionV1", 404, Some(n))["reason"] == "ORDER_NOT_FOUND")
        .expect("documented ORDER_NOT_FOUND");
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions/confirm"),
        None,
        404,
        Some(s.response("confirmSubscriptionV1", 404, Some(&name))),
    )
    .await;
    let body = ConfirmSubscriptionRequest {
        confirmation_id: "stale".into(),
    };
    let (status, f) = failure(
        client
            .confirm_subscription_v1(ACCOUNT, &body)
            .await
            .unwrap_err(),
    );
    assert_eq!((status, f.reason.as_str()), (404, "ORDER_NOT_FOUND"));
}

#[tokio::test]
async fn cancel_subscriptions_sends_the_feed_names() {
    let (server, client) = setup().await;
    let request = spec().request("cancelSubscriptions", None);
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions/cancel"),
        Some(request.clone()),
        200,
        None,
    )
    .await;
    client
        .cancel_subscriptions(ACCOUNT, &serde_json::from_value(request).unwrap())
        .await
        .expect("cancelled");
}

#[tokio::test]
async fn cancel_expired_subscription_is_409() {
    let (server, client) = setup().await;
    let s = spec();
    let answer = s.response(
        "cancelSubscriptions",
        409,
        Some(first_example_name(&s, "cancelSubscriptions", 409).as_str()),
    );
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions/cancel"),
        None,
        409,
        Some(answer),
    )
    .await;
    let body = CancelSubscriptionsRequest {
        subscriptions: vec!["CME".into()],
    };
    let (status, f) = failure(
        client
            .cancel_subscriptions(ACCOUNT, &body)
            .await
            .unwrap_err(),
    );
    assert_eq!(
        (status, f.reason.as_str()),
        (409, "SUBSCRIPTION_IS_EXPIRED")
    );
}

#[tokio::test]
async fn get_subscriptions_decodes_statuses_and_nullable_expiry() {
    let (server, client) = setup().await;
    let answer = spec().response("getSubscriptions", 200, Some("withSubscriptions"));
    expect(
        &server,
        "GET",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions"),
        None,
        200,
        Some(answer),
    )
    .await;
    let list = client.get_subscriptions(ACCOUNT).await.unwrap();
    let got: Vec<(&str, SubscriptionStatus, Option<String>)> = list
        .subscriptions
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.status.clone(),
                s.expires_at.map(|t| t.to_string()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "CMEGROUP",
                SubscriptionStatus::Active,
                Some("2024-12-31T23:59:59Z".into())
            ),
            (
                "CME",
                SubscriptionStatus::Expired,
                Some("2023-06-30T23:59:59Z".into())
            ),
            ("NASDAQ", SubscriptionStatus::Active, None),
        ]
    );
}

#[tokio::test]
async fn get_subscriptions_keeps_an_unknown_status() {
    let (server, client) = setup().await;
    let answer =
        json!({"subscriptions": [{"name": "X", "status": "SUSPENDED", "expiresAt": null}]});
    expect(
        &server,
        "GET",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions"),
        None,
        200,
        Some(answer),
    )
    .await;
    let list = client.get_subscriptions(ACCOUNT).await.unwrap();
    assert_eq!(
        list.subscriptions[0].status,
        SubscriptionStatus::Unknown("SUSPENDED".into())
    );
    assert_eq!(list.subscriptions[0].status.as_str(), "SUSPENDED");
}

#[tokio::test]
async fn get_subscriptions_with_a_malformed_date_names_the_field() {
    let (server, client) = setup().await;
    let answer =
        json!({"subscriptions": [{"name": "X", "status": "ACTIVE", "expiresAt": "31/12/2024"}]});
    expect(
        &server,
        "GET",
        &format!("/api/v1/accounts/{ACCOUNT}/subscriptions"),
        None,
        200,
        Some(answer),
    )
    .await;
    match client.get_subscriptions(ACCOUNT).await.unwrap_err() {
        ClientError::Decode { path, status, .. } => {
            assert_eq!(status, 200);
            assert_eq!(path, "subscriptions[0].expiresAt");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn request_token_by_account_id_returns_the_token_and_details() {
    let (server, client) = setup().await;
    let s = spec();
    let request = s.request("requestToken", Some("byAccountIdWithDetails"));
    let answer = s.response("requestToken", 200, Some("grantedWithDetails"));
    expect(
        &server,
        "POST",
        "/api/v1/token",
        Some(request),
        200,
        Some(answer.clone()),
    )
    .await;
    let body = TokenRequest::ByAccountId(TokenRequestByAccountId {
        account_id: ACCOUNT.into(),
        with_details: Some(true),
    });
    let granted = client.request_token(&body).await.unwrap();
    assert_eq!(granted.token.expose(), answer["token"].as_str().unwrap());
    assert_eq!(
        granted.details,
        Some(vec!["CMEGROUP".to_string(), "CME".to_string()])
    );
    assert!(
        !format!("{granted:?}").contains(granted.token.expose()),
        "the token is redacted in Debug"
    );
}

#[tokio::test]
async fn request_token_by_credentials_sends_login_and_password() {
    let (server, client) = setup().await;
    let s = spec();
    let request = s.request("requestToken", Some("byCredentials"));
    expect(
        &server,
        "POST",
        "/api/v1/token",
        Some(request),
        200,
        Some(s.response("requestToken", 200, Some("granted"))),
    )
    .await;
    let body = TokenRequest::ByCredentials(TokenRequestByCredentials {
        login: "bob.smith".into(),
        password: "s3cr3t-pa55".into(),
        with_details: None,
    });
    assert!(
        !format!("{body:?}").contains("s3cr3t-pa55"),
        "the password is redacted in Debug"
    );
    let granted = client.request_token(&body).await.unwrap();
    assert!(granted.details.is_none());
}

#[tokio::test]
async fn request_token_200_with_status_error_is_an_error_carrying_the_reason() {
    for (example, reason) in [
        ("accountNotFound", TokenRefusalReason::AccountNotFound),
        (
            "noActiveSubscriptions",
            TokenRefusalReason::NoActiveSubscriptions,
        ),
        ("invalidCredentials", TokenRefusalReason::InvalidCredentials),
    ] {
        let (server, client) = setup().await;
        expect(
            &server,
            "POST",
            "/api/v1/token",
            None,
            200,
            Some(spec().response("requestToken", 200, Some(example))),
        )
        .await;
        let body = TokenRequest::ByAccountId(TokenRequestByAccountId {
            account_id: ACCOUNT.into(),
            with_details: None,
        });
        let err = client
            .request_token(&body)
            .await
            .expect_err("a refusal is never a token");
        assert!(err.to_string().contains("200"), "{err}");
        match api_failure(err) {
            (200, ErrorBody::TokenRefused(r)) => assert_eq!(r.reason, reason, "{example}"),
            other => panic!("{example}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn request_token_bad_request_is_400_with_the_token_failure_body() {
    let (server, client) = setup().await;
    expect(
        &server,
        "POST",
        "/api/v1/token",
        None,
        400,
        Some(spec().response("requestToken", 400, Some("badRequest"))),
    )
    .await;
    let body = TokenRequest::ByAccountId(TokenRequestByAccountId {
        account_id: String::new(),
        with_details: None,
    });
    match api_failure(client.request_token(&body).await.unwrap_err()) {
        (400, ErrorBody::TokenFailure(f)) => assert_eq!(f.reason, "BAD_REQUEST"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn get_profile_page_decodes_links_and_expiry() {
    let (server, client) = setup().await;
    let answer = spec().response("getProfilePage", 200, None);
    expect(
        &server,
        "POST",
        &format!("/api/v1/accounts/{ACCOUNT}/profile-link"),
        None,
        200,
        Some(answer.clone()),
    )
    .await;
    let link = client.get_profile_page(ACCOUNT).await.unwrap();
    assert_eq!(
        link.profile_page_by_theme["DARK"],
        answer["profilePageByTheme"]["DARK"].as_str().unwrap()
    );
    assert_eq!(
        link.expires_at.to_string(),
        answer["expiresAt"].as_str().unwrap()
    );
}

#[tokio::test]
async fn track_trial_sends_only_what_is_known() {
    let (server, client) = setup().await;
    let s = spec();
    let request = s.request(
        "trackTrial",
        Some(first_request_example_name(&s, "trackTrial").as_str()),
    );
    expect(
        &server,
        "POST",
        "/api/v1/track",
        Some(request.clone()),
        200,
        None,
    )
    .await;
    let body: TrialTrackingRequest = serde_json::from_value(request).unwrap();
    client.track_trial(&body).await.expect("tracked");
}

#[tokio::test]
async fn track_trial_accepts_an_empty_object() {
    let (server, client) = setup().await;
    expect(&server, "POST", "/api/v1/track", Some(json!({})), 200, None).await;
    client
        .track_trial(&TrialTrackingRequest::default())
        .await
        .expect("tracked");
}

#[tokio::test]
async fn undocumented_status_keeps_status_and_snippet() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    match client.get_account_by_id(ACCOUNT).await.unwrap_err() {
        ClientError::Api(api) => {
            assert_eq!(api.status, 503);
            assert!(api.body.is_none());
            assert!(api.snippet.contains("maintenance"), "{}", api.snippet);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn builder_without_server_names_the_missing_variable() {
    let err = Client::builder()
        .bearer_auth(KEY)
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("server"), "{err}");
    assert!(!err.contains(KEY), "{err}");
}

#[test]
fn builder_with_server_builds_the_https_url() {
    let client = Client::builder()
        .server("acme.get.dxfeed.com")
        .bearer_auth(KEY)
        .build()
        .unwrap();
    assert_eq!(
        vendor_clients::Endpoints::core(&client).base_url().as_str(),
        "https://acme.get.dxfeed.com/"
    );
    assert!(
        !format!("{client:?}").contains(KEY),
        "the key is redacted in Debug"
    );
}

#[tokio::test]
async fn missing_credentials_are_reported_before_sending() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    match client.get_account_by_id(ACCOUNT).await.unwrap_err() {
        ClientError::MissingCredentials { schemes, .. } => assert_eq!(schemes, &["bearerAuth"]),
        other => panic!("{other:?}"),
    }
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

fn example_names(s: &support::Spec, op: &str, status: u16) -> Vec<String> {
    s.response_example_names(op, status)
}

fn first_example_name(s: &support::Spec, op: &str, status: u16) -> String {
    example_names(s, op, status)
        .into_iter()
        .next()
        .expect("at least one named example")
}

fn first_request_example_name(s: &support::Spec, op: &str) -> String {
    s.request_example_names(op)
        .into_iter()
        .next()
        .expect("at least one named request example")
}
