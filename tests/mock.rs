//! The fakes of feature `mock` (`<vendor>::mock::MockServer`), used as an application would use
//! them: the application's own code runs against the fake vendor, and the test says what the
//! vendor answers and checks what the code sent. One flow per vendor, the Mention Me
//! enrol-then-ask-again flow of an application, and what the fake does with mistakes: a request
//! no expectation matches, a call count not met, a path parameter that needs encoding.
//!
//! `cargo test --workspace` builds this with `mock` on: the crate is its own dev-dependency
//! with that feature (see Cargo.toml), so no flag is needed.

mod support;

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt as _;

/// Application code: what a shop's "invite your friends" page does with Mention Me. It is the
/// code under test; the fake stands in for Mention Me.
mod shop {
    use vendor_clients::mention_me::{
        Client, EnrolCustomer, EnrolReferrerRequest, Error, GetReferrerDashboardParams,
        GetReferrerDashboardResponse, ReferralDashboardOffer, RequestContextWithVariation,
    };

    pub const PARTNER: &str = "acme-uk";
    pub const SITUATION: &str = "invite-page";

    /// A signed-in shopper.
    pub struct Shopper {
        pub email: String,
        pub first_name: String,
        pub last_name: String,
    }

    /// What the page shows.
    #[derive(Debug, PartialEq)]
    pub enum Page {
        /// The shopper's share links, and whether they were enrolled just now.
        Links {
            urls: Vec<String>,
            new_referrer: bool,
        },
        /// Mention Me has no offer for this shopper.
        NoOffer,
    }

    pub fn dashboard_params(shopper: &Shopper) -> GetReferrerDashboardParams {
        GetReferrerDashboardParams::new(&shopper.email, PARTNER, SITUATION)
    }

    fn urls(dashboard: &ReferralDashboardOffer) -> Vec<String> {
        dashboard
            .share_links
            .iter()
            .flatten()
            .filter_map(|l| l.url.clone())
            .collect()
    }

    /// The dashboard; a shopper who is not a referrer yet is enrolled, and the dashboard asked
    /// for again.
    pub async fn invite_page(client: &Client, shopper: &Shopper) -> Result<Page, Error> {
        let params = dashboard_params(shopper);
        if let GetReferrerDashboardResponse::Ok(d) = client.get_referrer_dashboard(&params).await? {
            return Ok(Page::Links {
                urls: urls(&d),
                new_referrer: false,
            });
        }
        let enrol = EnrolReferrerRequest {
            customer: EnrolCustomer {
                email_address: shopper.email.clone(),
                title: None,
                firstname: shopper.first_name.clone(),
                surname: shopper.last_name.clone(),
                unique_identifier: None,
                segment: None,
                custom_field: None,
                has_engaged: Some(true),
            },
            request: RequestContextWithVariation {
                partner_code: PARTNER.into(),
                situation: SITUATION.into(),
                locale_code: None,
                ip_address: None,
                user_device_identifier: None,
                device_type: None,
                app_name: None,
                app_version: None,
                authentication_token: None,
                variation: None,
            },
            order: None,
            address: None,
        };
        match client.enrol_referrer(&enrol).await {
            Ok(_) => {}
            // No suitable offer for this shopper.
            Err(e) if e.status() == Some(404) => return Ok(Page::NoOffer),
            Err(e) => return Err(e),
        }
        Ok(match client.get_referrer_dashboard(&params).await? {
            GetReferrerDashboardResponse::Ok(d) => Page::Links {
                urls: urls(&d),
                new_referrer: true,
            },
            GetReferrerDashboardResponse::NotAReferrer => Page::NoOffer,
        })
    }
}

mod mention_me {
    use super::shop::{self, Page, Shopper};
    use super::*;
    use vendor_clients::mention_me::mock::MockServer;
    use vendor_clients::mention_me::*;

    const SECRET: &str = "s3cret";
    /// SHA-256 of `jane.doe@example.coms3cret`, lower-case hex (as in tests/mention_me.rs).
    const JANE_TOKEN: &str = "e0af8b3addc661090b108a6a57f5ee32fb3338d568f9bc682f58b9450f543f90";

    fn jane() -> Shopper {
        Shopper {
            email: "jane.doe@example.com".into(),
            first_name: "Jane".into(),
            last_name: "Doe".into(),
        }
    }

    fn dashboard() -> ReferralDashboardOffer {
        let example =
            support::Spec::load("mention-me.yaml").response("getReferrerDashboard", 200, None);
        serde_json::from_value(example).expect("the spec's dashboard example")
    }

    fn client(mock: &MockServer) -> Client {
        mock.client_builder()
            .merchant_secret(SECRET)
            .build()
            .expect("client")
    }

    /// The application-level flow: not a referrer yet, so the page enrols the shopper and asks
    /// again; the test checks what the page shows and what it sent, by type.
    #[tokio::test]
    async fn invite_page_enrols_a_new_referrer_then_shows_their_links() {
        let mock = MockServer::start().await;
        let params = shop::dashboard_params(&jane());
        let not_yet = mock
            .get_referrer_dashboard()
            .params(&params)
            .up_to(1)
            .responds(&GetReferrerDashboardResponse::NotAReferrer)
            .await;
        let enrol = mock
            .enrol_referrer()
            .once()
            .responds(&ReferralShareOffer::default())
            .await;
        let dashboard = dashboard();
        let again = mock
            .get_referrer_dashboard()
            .params(&params)
            .once()
            .responds(&GetReferrerDashboardResponse::Ok(dashboard.clone()))
            .await;

        let page = shop::invite_page(&client(&mock), &jane())
            .await
            .expect("page");

        let expected: Vec<String> = dashboard
            .share_links
            .iter()
            .flatten()
            .filter_map(|l| l.url.clone())
            .collect();
        assert!(!expected.is_empty(), "the example has share links");
        assert_eq!(
            page,
            Page::Links {
                urls: expected,
                new_referrer: true
            }
        );
        assert_eq!((not_yet.calls(), enrol.calls(), again.calls()), (1, 1, 1));
        // What the page sent, decoded into the request type: the shopper, engaged, with the
        // token the client computed from the merchant secret.
        let sent = enrol.bodies().expect("typed bodies");
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].customer.email_address, "jane.doe@example.com");
        assert_eq!(sent[0].customer.has_engaged, Some(true));
        assert_eq!(sent[0].request.situation, shop::SITUATION);
        assert_eq!(
            sent[0].request.authentication_token.as_deref(),
            Some(JANE_TOKEN)
        );
        // Both dashboard calls carried the token in the query, beside the params.
        for r in not_yet.requests().iter().chain(again.requests().iter()) {
            let token = r
                .url
                .query_pairs()
                .find(|(n, _)| n == "request[authenticationToken]")
                .map(|(_, v)| v.into_owned());
            assert_eq!(token.as_deref(), Some(JANE_TOKEN));
        }
        mock.verify().await;
    }

    /// A referrer already: one call, no enrolment.
    #[tokio::test]
    async fn invite_page_shows_an_existing_referrers_links_without_enrolling() {
        let mock = MockServer::start().await;
        mock.get_referrer_dashboard()
            .params(&shop::dashboard_params(&jane()))
            .once()
            .responds(&GetReferrerDashboardResponse::Ok(dashboard()))
            .await;
        let enrol = mock
            .enrol_referrer()
            .times(0)
            .responds(&ReferralShareOffer::default())
            .await;
        let page = shop::invite_page(&client(&mock), &jane())
            .await
            .expect("page");
        assert!(
            matches!(
                page,
                Page::Links {
                    new_referrer: false,
                    ..
                }
            ),
            "{page:?}"
        );
        assert_eq!(enrol.calls(), 0);
    }

    /// No offer: Mention Me answers the enrolment 404, the page says so.
    #[tokio::test]
    async fn invite_page_without_an_offer_says_so() {
        let mock = MockServer::start().await;
        mock.get_referrer_dashboard()
            .responds(&GetReferrerDashboardResponse::NotAReferrer)
            .await;
        mock.enrol_referrer().once().responds_status(404).await;
        let page = shop::invite_page(&client(&mock), &jane())
            .await
            .expect("page");
        assert_eq!(page, Page::NoOffer);
    }

    /// A vendor error with its typed body reaches the application as `Error::Api`, decoded.
    #[tokio::test]
    async fn a_typed_error_body_is_what_the_client_decodes() {
        let mock = MockServer::start().await;
        let body = ReferrerFound {
            found_multiple_referrers: Some(true),
            ..Default::default()
        };
        mock.search_referrer()
            .responds_with_status(400, &body)
            .await;
        let err = client(&mock)
            .search_referrer(&SearchReferrerParams::new("Ann", "acme-uk", "checkout"))
            .await
            .expect_err("400");
        let (status, decoded) = support::api_body(err);
        assert_eq!((status, decoded), (400, body));
    }

    /// `params` matches the query as the client writes it: another email is not this
    /// expectation, and the fake says so instead of answering 404 (which the client would
    /// read as "not a referrer").
    #[tokio::test]
    async fn a_request_no_expectation_matches_fails_loudly() {
        let mock = MockServer::start().await;
        mock.get_referrer_dashboard()
            .params(&shop::dashboard_params(&jane()))
            .responds(&GetReferrerDashboardResponse::NotAReferrer)
            .await;
        let other = Shopper {
            email: "someone.else@example.com".into(),
            ..jane()
        };
        let err = client(&mock)
            .get_referrer_dashboard(&shop::dashboard_params(&other))
            .await
            .expect_err("unmatched");
        assert_eq!(err.status(), Some(vendor_clients::mock::UNMATCHED_STATUS));
        let vendor_clients::Error::Api(api) = &err else {
            panic!("expected Error::Api, got {err:?}");
        };
        assert!(
            api.snippet
                .contains("no expectation matched GET /referrer/dashboard"),
            "{}",
            api.snippet
        );
        assert!(
            api.snippet.contains("someone.else%40example.com"),
            "{}",
            api.snippet
        );
        assert!(
            api.snippet
                .contains("getReferrerDashboard GET /referrer/dashboard"),
            "{}",
            api.snippet
        );

        // verify() fails on it, naming the request ...
        let verified = AssertUnwindSafe(mock.verify()).catch_unwind().await;
        let message = panic_text(verified.expect_err("verify fails"));
        assert!(
            message.contains("1 request(s) matched no expectation"),
            "{message}"
        );
        assert!(message.contains("someone.else%40example.com"), "{message}");
        // ... and so does dropping the server, unless the test takes the request back.
        assert_eq!(mock.take_unmatched().len(), 1);
        mock.verify().await;
    }

    /// Dropping a server with an unmatched request fails the test.
    #[tokio::test]
    async fn dropping_the_server_with_an_unmatched_request_panics() {
        let mock = MockServer::start().await;
        let _ = client(&mock)
            .record_order(
                &serde_json::from_value(
                    support::Spec::load("mention-me.yaml").request("recordOrder", None),
                )
                .expect("order example"),
            )
            .await;
        let dropped = std::panic::catch_unwind(AssertUnwindSafe(|| drop(mock)));
        let message = panic_text(dropped.expect_err("drop panics"));
        assert!(message.contains("POST /order"), "{message}");
        assert!(message.contains("No expectation is mounted"), "{message}");
    }

    /// An expected call count not met fails `verify`.
    #[tokio::test]
    async fn a_call_count_not_met_fails_verify() {
        let mock = MockServer::start().await;
        mock.get_referrer_dashboard()
            .responds(&GetReferrerDashboardResponse::NotAReferrer)
            .await;
        let enrol = mock
            .enrol_referrer()
            .times(2)
            .responds(&ReferralShareOffer::default())
            .await;
        let _ = shop::invite_page(&client(&mock), &jane()).await;
        enrol.assert_calls(1);
        let wrong = std::panic::catch_unwind(AssertUnwindSafe(|| enrol.assert_calls(2)));
        let message = panic_text(wrong.expect_err("assert_calls fails"));
        assert!(
            message.starts_with("expected 2 call(s) of enrolReferrer POST /referrer/enrol"),
            "{message}"
        );
        assert!(
            message.contains(", got 1\n- POST /referrer/enrol"),
            "{message}"
        );
        let verified = AssertUnwindSafe(mock.verify()).catch_unwind().await;
        let message = panic_text(verified.expect_err("verify fails"));
        assert!(
            message.contains("enrolReferrer POST /referrer/enrol"),
            "{message}"
        );
        assert!(message.contains("expected 2 time(s)"), "{message}");
        // Meet it, so that dropping the server (which checks again) passes.
        let _ = shop::invite_page(&client(&mock), &jane()).await;
        assert_eq!(enrol.calls(), 2);
    }

    /// `body` matches by type, as "contains": the token the client adds does not stop it, a
    /// different shopper does.
    #[tokio::test]
    async fn body_matches_the_typed_request_as_contains() {
        let mock = MockServer::start().await;
        let wanted: EnrolReferrerRequest = serde_json::from_value(serde_json::json!({
            "customer": {"emailAddress": "jane.doe@example.com", "firstname": "Jane", "surname": "Doe"},
            "request": {"partnerCode": "acme-uk", "situation": "invite-page"}
        }))
        .expect("typed body");
        let enrol = mock
            .enrol_referrer()
            .body(&wanted)
            .responds(&ReferralShareOffer::default())
            .await;
        mock.get_referrer_dashboard()
            .responds(&GetReferrerDashboardResponse::NotAReferrer)
            .await;
        shop::invite_page(&client(&mock), &jane())
            .await
            .expect("page");
        assert_eq!(enrol.calls(), 1);
        let bob = Shopper {
            email: "bob@example.com".into(),
            ..jane()
        };
        let err = shop::invite_page(&client(&mock), &bob)
            .await
            .expect_err("unmatched");
        assert_eq!(err.status(), Some(vendor_clients::mock::UNMATCHED_STATUS));
        assert_eq!(enrol.calls(), 1);
        assert_eq!(mock.take_unmatched().len(), 1);
    }
}

mod dxfeed {
    use super::*;
    use vendor_clients::dxfeed::mock::MockServer;
    use vendor_clients::dxfeed::*;

    fn client(mock: &MockServer) -> Client {
        mock.client_builder()
            .bearer_auth("test-token")
            .build()
            .expect("client")
    }

    fn account(id: &str) -> Account {
        Account {
            id: id.into(),
            email: "bob.smith@example.com".into(),
        }
    }

    #[tokio::test]
    async fn get_account_by_id_answers_the_typed_account() {
        let mock = MockServer::start().await;
        let get = mock
            .get_account_by_id("a1")
            .header("authorization", "Bearer test-token")
            .once()
            .responds(&account("a1"))
            .await;
        let got = client(&mock)
            .get_account_by_id("a1")
            .await
            .expect("account");
        assert_eq!(got, account("a1"));
        assert_eq!(get.calls(), 1);
        assert_eq!(get.requests()[0].url.path(), "/api/v1/accounts/a1");
    }

    /// A path parameter is matched as the client encodes it: `/` and spaces stay inside the
    /// segment, and another id is another path.
    #[tokio::test]
    async fn path_parameters_match_as_the_client_encodes_them() {
        let mock = MockServer::start().await;
        let odd = mock
            .get_account_by_id("a/1 b")
            .responds(&account("a/1 b"))
            .await;
        let c = client(&mock);
        assert_eq!(
            c.get_account_by_id("a/1 b").await.expect("odd id"),
            account("a/1 b")
        );
        assert_eq!(odd.requests()[0].url.path(), "/api/v1/accounts/a%2F1%20b");
        let err = c.get_account_by_id("a").await.expect_err("other id");
        assert_eq!(err.status(), Some(vendor_clients::mock::UNMATCHED_STATUS));
        assert_eq!(mock.take_unmatched().len(), 1);
        assert_eq!(odd.calls(), 1);
    }

    /// dxFeed has several error bodies (`ErrorBody`): the fake takes any of them.
    #[tokio::test]
    async fn an_error_status_with_one_of_the_vendors_error_bodies() {
        let mock = MockServer::start().await;
        let failure: Failure = serde_json::from_value(serde_json::json!({
            "dateTime": "2024-05-01T12:00:00Z",
            "errorCode": 404,
            "reason": "ACCOUNT_NOT_FOUND",
            "message": "no account a9"
        }))
        .expect("failure");
        mock.get_account_by_id("a9")
            .responds_with_status(404, &failure)
            .await;
        let err = client(&mock)
            .get_account_by_id("a9")
            .await
            .expect_err("404");
        let (status, body) = support::api_body(err);
        assert_eq!(status, 404);
        assert_eq!(body, ErrorBody::Failure(failure));
    }

    /// A JSON body is decoded back into the operation's request type.
    #[tokio::test]
    async fn create_account_bodies_decode_into_the_request_type() {
        let mock = MockServer::start().await;
        let create = mock
            .create_account()
            .once()
            .responds(&AccountCreated {
                account_id: "a2".into(),
            })
            .await;
        let request = CreateAccountRequest {
            email: "bob.smith@example.com".into(),
            metadata: AccountMetadata {
                first_name: "Bob".to_string().into(),
                ..Default::default()
            },
            allowed_statuses: None,
        };
        let created = client(&mock)
            .create_account(&request)
            .await
            .expect("created");
        assert_eq!(created.account_id, "a2");
        assert_eq!(create.bodies().expect("typed"), vec![request]);
    }
}

mod spaaza {
    use super::*;
    use vendor_clients::spaaza::mock::MockServer;
    use vendor_clients::spaaza::*;

    /// The fake answers the envelope as Spaaza sends it; the client unwraps it as usual; the
    /// typed params (headers and query) select the expectation.
    #[tokio::test]
    async fn campaign_referrals_answer_the_envelope_and_the_client_unwraps_it() {
        let mock = MockServer::start().await;
        let example =
            support::Spec::load("spaaza.yaml").response("getCampaignReferrals", 200, None);
        let envelope: CampaignReferralsEnvelope =
            serde_json::from_value(example).expect("the spec's example");
        let params = GetCampaignReferralsParams::new("shop.example.com", 52)
            .customer_identity(CustomerIdentity::Username("jane.doe@example.com".into()));
        let get = mock
            .get_campaign_referrals()
            .params(&params)
            .header("X-Spaaza-Session-User-Id", "4")
            .once()
            .responds(&envelope)
            .await;
        let client = mock
            .client_builder()
            .session_user_id("4")
            .session_key("sess")
            .build()
            .expect("client");
        let referrals = client
            .get_campaign_referrals(&params)
            .await
            .expect("referrals");
        assert_eq!(referrals.count, envelope.results.count);
        assert_eq!(get.calls(), 1);
        assert_eq!(
            get.requests()[0]
                .headers
                .get("X-Spaaza-MyPrice-App-Hostname")
                .and_then(|v| v.to_str().ok()),
            Some("shop.example.com")
        );
    }
}

mod saasquatch {
    use super::*;
    use vendor_clients::saasquatch::mock::MockServer;
    use vendor_clients::saasquatch::*;

    #[tokio::test]
    async fn get_user_and_a_typed_403() {
        let mock = MockServer::start().await;
        let spec = support::Spec::load("saasquatch.yaml");
        let user: User = serde_json::from_value(spec.response("getUser", 200, None)).expect("user");
        mock.get_user("acc-1", "user 1")
            .once()
            .responds(&user)
            .await;
        let denied: ApiError = serde_json::from_value(serde_json::json!({
            "message": "no", "statusCode": 403, "apiErrorCode": "FORBIDDEN"
        }))
        .expect("error body");
        mock.get_account("acc-2")
            .responds_with_status(403, &denied)
            .await;
        let client = mock
            .client_builder()
            .tenant_alias("test_tenant")
            .api_key("key")
            .build()
            .expect("client");
        assert_eq!(
            client.get_user("acc-1", "user 1").await.expect("user"),
            user
        );
        let (status, body) = support::api_body(client.get_account("acc-2").await.expect_err("403"));
        assert_eq!((status, body), (403, denied));
    }
}

mod partnerize {
    use super::*;
    use futures_util::TryStreamExt as _;
    use vendor_clients::partnerize::mock::MockServer;
    use vendor_clients::partnerize::*;

    fn client(mock: &MockServer) -> Client {
        mock.client_builder()
            .basic_auth("app", "key")
            .build()
            .expect("client")
    }

    #[tokio::test]
    async fn get_partner_answers_the_envelope_the_client_unwraps() {
        let mock = MockServer::start().await;
        let spec = support::Spec::load("partnerize.yaml");
        let envelope: PartnerEnvelope =
            serde_json::from_value(spec.response("getPartner", 200, None)).expect("envelope");
        mock.get_partner("1l1007802")
            .once()
            .responds(&envelope)
            .await;
        let partner = client(&mock)
            .get_partner("1l1007802")
            .await
            .expect("partner");
        assert_eq!(partner, envelope.into_publisher());
    }

    /// A streamed CSV export: its outcome enum holds a stream, so the fake is told the bytes.
    #[tokio::test]
    async fn a_csv_export_answers_raw_bytes() {
        let mock = MockServer::start().await;
        let csv = "conversion_id,status\n1,approved\n";
        mock.export_conversions_csv()
            .responds_bytes(200, "text/csv", csv)
            .await;
        let outcome = client(&mock)
            .export_conversions_csv(&ExportConversionsCsvParams::new(
                "1l1007802",
                "2024-05-01T00:00:00Z".parse().expect("start"),
                "2024-05-02T00:00:00Z".parse().expect("end"),
            ))
            .await
            .expect("export");
        let ExportConversionsCsvResponse::Ok(stream) = outcome else {
            panic!("expected the CSV");
        };
        let bytes: Vec<u8> = stream
            .map_ok(|chunk| chunk.to_vec())
            .try_concat()
            .await
            .expect("body");
        assert_eq!(bytes, csv.as_bytes());
    }
}

/// The text of a caught panic.
fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}
