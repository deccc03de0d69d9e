//! Mention Me Consumer API: every operation against a local HTTP server. The server checks the
//! wire names (bracketed query names such as `request[partnerCode]`), the `{version}` path
//! segment, and the authentication token the client computes from the merchant secret; the tests
//! assert the decoded values and each outcome of get-dashboard (200, 204, 404, 400, 403).
//!
//! Request bodies are the spec's examples. Those examples carry the real token for their email
//! and the secret `s3cret` (`lowercase_hex(SHA-256(lowercase(email) + "s3cret"))`, checked with
//! `sha256sum`), so the client is given the body *without* the token and must add exactly that.

mod support;

use serde_json::Value;
use vendor_clients::mention_me::*;
use vendor_clients::{Endpoints, Error as ClientError};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "s3cret";
/// SHA-256 of `jane.doe@example.coms3cret`, lower-case hex (`printf ... | sha256sum`).
const JANE_TOKEN: &str = "e0af8b3addc661090b108a6a57f5ee32fb3338d568f9bc682f58b9450f543f90";

fn spec() -> support::Spec {
    support::Spec::load("mention-me.yaml")
}

/// A client for a mock server that serves the API under `/api/consumer/v2`, as the production
/// host does.
async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(format!("{}/api/consumer/v2", server.uri()))
        .merchant_secret(SECRET)
        .no_retries()
        .build()
        .expect("client");
    (server, client)
}

/// The spec's request example for `operation`, and the same body with the token taken out (what
/// a caller builds: the token is the client's job).
fn example_without_token(operation: &str) -> (Value, Value) {
    let sent = spec().request(operation, None);
    let mut given = sent.clone();
    let removed = given["request"]
        .as_object_mut()
        .expect("request object")
        .remove("authenticationToken");
    assert!(removed.is_some(), "the example carries a token");
    (sent, given)
}

fn dashboard_params(email: &str) -> GetReferrerDashboardParams {
    GetReferrerDashboardParams::new(email, "acme-uk", "mobile-app")
        .request_locale_code("en_GB")
        .segment("vip")
}

/// Mounts get-dashboard answering `status` (with `body`), for Jane's token and the bracketed
/// query names.
async fn mount_dashboard(server: &MockServer, status: u16, body: Option<Value>) {
    let mut answer = ResponseTemplate::new(status);
    if let Some(b) = body {
        answer = answer.set_body_json(b);
    }
    Mock::given(method("GET"))
        .and(path("/api/consumer/v2/referrer/dashboard"))
        .and(query_param("emailAddress", "Jane.Doe@Example.com"))
        .and(query_param("request[partnerCode]", "acme-uk"))
        .and(query_param("request[situation]", "mobile-app"))
        .and(query_param("request[localeCode]", "en_GB"))
        .and(query_param("segment", "vip"))
        .and(query_param("request[authenticationToken]", JANE_TOKEN))
        .and(query_param_is_missing("request[ipAddress]"))
        .respond_with(answer)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn dashboard_200_sends_the_computed_token_and_decodes_the_dashboard() {
    let (server, client) = setup().await;
    mount_dashboard(
        &server,
        200,
        Some(spec().response("getReferrerDashboard", 200, None)),
    )
    .await;
    // The email's case does not matter to the token: it is lower-cased before hashing.
    let outcome = client
        .get_referrer_dashboard(&dashboard_params("Jane.Doe@Example.com"))
        .await
        .expect("dashboard");
    let GetReferrerDashboardResponse::Ok(dashboard) = outcome else {
        panic!("expected the dashboard, got {outcome:?}");
    };
    let offer = dashboard.offer.expect("offer");
    assert_eq!(offer.id, Some(4821));
    assert_eq!(offer.locale_code.as_deref(), Some("en_GB"));
    assert_eq!(
        offer.referee_reward.and_then(|r| r.description).as_deref(),
        Some("A 20% discount code")
    );
    let links = dashboard.share_links.expect("share links");
    assert_eq!(links.len(), 2);
    assert_eq!(links[1].protocol.as_deref(), Some("mailto"));
    let stats = dashboard.referral_stats.expect("stats");
    assert_eq!(
        (
            stats.successful_referrals,
            stats.invitations,
            stats.clicks_on_invites
        ),
        (Some(2), Some(9), Some(5))
    );
    let rewards = dashboard.referral_rewards.expect("rewards");
    assert_eq!(rewards[1].status.as_deref(), Some("Pending"));
    assert_eq!(
        dashboard
            .terms_links
            .and_then(|t| t.link_to_terms_in_locale)
            .as_deref(),
        Some("https://mention-me.com/help/tnc_f/o/4821/en_GB")
    );
}

#[tokio::test]
async fn dashboard_204_and_404_are_the_not_a_referrer_outcome() {
    for status in [204, 404] {
        let (server, client) = setup().await;
        mount_dashboard(&server, status, None).await;
        let outcome = client
            .get_referrer_dashboard(&dashboard_params("Jane.Doe@Example.com"))
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(
            outcome,
            GetReferrerDashboardResponse::NotAReferrer,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn dashboard_400_and_403_are_errors_with_their_status() {
    for status in [400, 403] {
        let (server, client) = setup().await;
        mount_dashboard(&server, status, None).await;
        let err = client
            .get_referrer_dashboard(&dashboard_params("Jane.Doe@Example.com"))
            .await
            .expect_err("an error status");
        assert!(matches!(err, ClientError::Api(_)), "{err:?}");
        assert_eq!(err.status(), Some(status));
        assert!(err.to_string().contains("getReferrerDashboard"), "{err}");
    }
}

/// The flow docs/CLIENTS.md shows: not a referrer yet, so enrol, then ask again.
#[tokio::test]
async fn not_a_referrer_then_enrol_then_the_dashboard_is_there() {
    let (server, client) = setup().await;
    // First dashboard call: 204. Later ones: the dashboard.
    Mock::given(method("GET"))
        .and(path("/api/consumer/v2/referrer/dashboard"))
        .respond_with(ResponseTemplate::new(204))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/consumer/v2/referrer/enrol"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "enrolReferrer",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let params = dashboard_params("Jane.Doe@Example.com");
    let first = client.get_referrer_dashboard(&params).await.expect("first");
    assert_eq!(first, GetReferrerDashboardResponse::NotAReferrer);
    Mock::given(method("GET"))
        .and(path("/api/consumer/v2/referrer/dashboard"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "getReferrerDashboard",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;

    let (_, body) = example_without_token("enrolReferrer");
    let enrol: EnrolReferrerRequest = serde_json::from_value(body).expect("typed body");
    client.enrol_referrer(&enrol).await.expect("enrolled");
    let again = client.get_referrer_dashboard(&params).await.expect("again");
    assert!(matches!(again, GetReferrerDashboardResponse::Ok(_)));
}

#[tokio::test]
async fn enrol_referrer_puts_the_token_in_the_body_and_decodes_the_offer() {
    let (server, client) = setup().await;
    let (sent, given) = example_without_token("enrolReferrer");
    Mock::given(method("POST"))
        .and(path("/api/consumer/v2/referrer/enrol"))
        .and(header("content-type", "application/json"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "enrolReferrer",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let body: EnrolReferrerRequest = serde_json::from_value(given).expect("typed body");
    assert_eq!(body.request.authentication_token, None);
    let offer = client.enrol_referrer(&body).await.expect("enrolled");
    assert_eq!(offer.offer.as_ref().and_then(|o| o.id), Some(4821));
    let link = &offer.share_links.expect("links")[0];
    assert_eq!(
        link.url.as_deref(),
        Some("https://mention-me.com/m/ol/jd5kq-jane-doe")
    );
}

#[tokio::test]
async fn enrol_referrer_404_is_an_error() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path("/api/consumer/v2/referrer/enrol"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let (_, given) = example_without_token("enrolReferrer");
    let body: EnrolReferrerRequest = serde_json::from_value(given).expect("typed body");
    let err = client.enrol_referrer(&body).await.expect_err("404");
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn record_order_sends_the_order_with_the_token_and_accepts_202() {
    let (server, client) = setup().await;
    let (mut sent, mut given) = example_without_token("recordOrder");
    // `dateString` is a typed timestamp: the example's `+00:00` goes out as the same instant in
    // RFC 3339's `Z` form.
    assert_eq!(sent["order"]["dateString"], "2024-11-18T12:43:17+00:00");
    for body in [&mut sent, &mut given] {
        body["order"]["dateString"] = "2024-11-18T12:43:17Z".into();
    }
    Mock::given(method("POST"))
        .and(path("/api/consumer/v2/order"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    let body: RecordOrderRequest = serde_json::from_value(given.clone()).expect("typed body");
    // Every field of the example survives the typed body.
    assert_eq!(serde_json::to_value(&body).unwrap(), given);
    assert_eq!(body.order.order_identifier, "100045");
    client.record_order(&body).await.expect("accepted");
}

#[tokio::test]
async fn search_referrer_is_unauthenticated_and_decodes_the_match() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/consumer/v2/referrer/search"))
        .and(query_param("name", "Jane Doe"))
        .and(query_param("email", "jane.doe@example.com"))
        .and(query_param("request[partnerCode]", "acme-uk"))
        .and(query_param("request[situation]", "checkout"))
        .and(query_param_is_missing("request[authenticationToken]"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "searchReferrer",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let found = client
        .search_referrer(
            &SearchReferrerParams::new("Jane Doe", "acme-uk", "checkout")
                .email("jane.doe@example.com"),
        )
        .await
        .expect("found");
    let referrer = found.referrer.expect("referrer");
    assert_eq!(referrer.referrer_mention_me_identifier, Some(1043876));
    assert_eq!(referrer.referrer_token.as_deref(), Some("3f9a7c2e51d84b06"));
    assert_eq!(found.found_multiple_referrers, Some(false));
    let resource = found.links.expect("links")[0]
        .resource
        .clone()
        .expect("resource");
    assert_eq!(resource[0].key.as_deref(), Some("successHeadline"));
}

#[tokio::test]
async fn search_referrer_404_with_several_matches_is_an_error_with_its_body() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/consumer/v2/referrer/search"))
        .respond_with(ResponseTemplate::new(404).set_body_json(spec().response(
            "searchReferrer",
            404,
            Some("multipleMatches"),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let err = client
        .search_referrer(&SearchReferrerParams::new("Jane", "acme-uk", "checkout"))
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(404));
    let body = err.api_body().expect("decoded body");
    assert_eq!(body.found_multiple_referrers, Some(true));
}

#[tokio::test]
async fn search_referrer_content_decodes_the_page_texts() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path("/api/consumer/v2/referrer/search/content"))
        .and(query_param("request[partnerCode]", "acme-uk"))
        .and(query_param("request[situation]", "checkout"))
        .and(query_param("request[localeCode]", "en_GB"))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "searchReferrerContent",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let content = client
        .search_referrer_content(
            &SearchReferrerContentParams::new("acme-uk", "checkout").request_locale_code("en_GB"),
        )
        .await
        .expect("content");
    assert_eq!(
        content.entry_cta.as_deref(),
        Some("Been referred by a friend?")
    );
    assert_eq!(content.headline.as_deref(), Some("Who referred you to us?"));
}

#[tokio::test]
async fn register_referee_computes_the_referees_token_and_decodes_the_reward() {
    let (server, client) = setup().await;
    let (sent, given) = example_without_token("registerReferee");
    // The token is Tom's (the referee in the body), not Jane's.
    assert_eq!(
        sent["request"]["authenticationToken"],
        "58411678edfa43645bff51f91014ba5691896fa82c7a4769124024a8e2de172d"
    );
    Mock::given(method("POST"))
        .and(path("/api/consumer/v2/referee/register"))
        .and(body_json(&sent))
        .respond_with(ResponseTemplate::new(200).set_body_json(spec().response(
            "registerReferee",
            200,
            None,
        )))
        .expect(1)
        .mount(&server)
        .await;
    let body: RegisterRefereeRequest = serde_json::from_value(given).expect("typed body");
    let registered = client.register_referee(&body).await.expect("registered");
    let reward = registered.referee_reward.expect("reward");
    assert_eq!(reward.coupon_code.as_deref(), Some("MMFRIEND-7KQ2X"));
    assert_eq!(reward.amount.as_deref(), Some("20%"));
    assert_eq!(registered.status.as_deref(), Some("success"));
}

#[tokio::test]
async fn a_call_needing_the_token_without_a_secret_sends_nothing() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    let err = client
        .get_referrer_dashboard(&dashboard_params("jane.doe@example.com"))
        .await
        .expect_err("no secret");
    assert!(
        matches!(err, ClientError::MissingCredentials { .. }),
        "{err:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_secret_is_not_in_debug_output_or_errors() {
    let (server, client) = setup().await;
    mount_dashboard(&server, 400, None).await;
    let err = client
        .get_referrer_dashboard(&dashboard_params("Jane.Doe@Example.com"))
        .await
        .expect_err("400");
    for text in [format!("{client:?}"), format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(SECRET), "secret leaked: {text}");
        assert!(!text.contains(JANE_TOKEN), "token leaked: {text}");
    }
}

#[test]
fn servers_default_to_production_v2_and_the_version_and_demo_host_can_be_chosen() {
    let url = |b: ClientBuilder| b.build().expect("client").core().base_url().to_string();
    assert_eq!(
        url(Client::builder()),
        "https://mention-me.com/api/consumer/v2"
    );
    assert_eq!(
        url(Client::builder().version("v1")),
        "https://mention-me.com/api/consumer/v1"
    );
    assert_eq!(
        url(Client::builder().server_index(1)),
        "https://demo.mention-me.com/api/consumer/v2"
    );
}
