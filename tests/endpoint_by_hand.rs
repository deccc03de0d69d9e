//! A hand-written client using `#[endpoint]`, exercised against wiremock.

use std::borrow::Cow;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use vendor_clients::{
    endpoint, ApiDescription, ClientBuilder, Core, Credential, Endpoints, Error, Secret,
    ServerSpec, ServerVariable, ToParam, Verdict,
};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Shop;

impl ApiDescription for Shop {
    const NAME: &'static str = "Shop";
    const SERVERS: &'static [ServerSpec] = &[ServerSpec {
        url: "http://{host}/shop",
        description: "any host",
        variables: &[ServerVariable {
            name: "host",
            default: "",
            allowed: &[],
            description: "host and port",
        }],
    }];
}

#[derive(Debug, Clone)]
struct ShopClient {
    core: Core,
}

impl Endpoints for ShopClient {
    fn core(&self) -> &Core {
        &self.core
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct Item {
    id: String,
    name: String,
    #[serde(default)]
    tags: Vec<Tag>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Tag {
    label: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Failure {
    reason: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct NewItem {
    name: String,
    price_cents: u32,
}

#[derive(Debug, PartialEq)]
enum CreateOutcome {
    Created(Item),
    Existing(Item),
    Queued,
}

#[derive(Debug, Deserialize)]
struct TokenReply {
    status: String,
    token: Option<String>,
    reason: Option<String>,
}

impl Verdict for TokenReply {
    type Accepted = String;
    type Rejected = Failure;
    fn verdict(self) -> Result<String, Failure> {
        match (self.status.as_str(), self.token) {
            ("OK", Some(token)) => Ok(token),
            _ => Err(Failure {
                reason: self.reason.unwrap_or_default(),
            }),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Sort {
    Newest,
}

impl ToParam for Sort {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Sort::Newest => "newest",
        })
    }
}

impl ShopClient {
    #[endpoint(GET "/items/{id}", operation_id = "getItem", auth(bearerAuth, basicAuth),
        ok(200 => json(Item)), err(404 => json(Failure)))]
    async fn get_item(&self, id: &str) -> Result<Item, Error<Failure>>;

    #[endpoint(GET "/items", query(limit, sort, tags = "tag[]", cursor),
        headers(app_host = "X-App-Hostname"), ok(200 => json(Vec<Item>)))]
    async fn list_items(
        &self,
        limit: Option<u32>,
        sort: Sort,
        tags: &[String],
        cursor: Option<&str>,
        app_host: &str,
    ) -> Result<Vec<Item>, Error<Failure>>;

    #[endpoint(GET "/items/{id}/stats?view=summary&fields=a,b%20c", query(limit),
        ok(200 => text))]
    async fn item_stats(&self, id: &str, limit: Option<u32>) -> Result<String, Error<Failure>>;

    #[endpoint(POST "/items", auth(bearerAuth), body = item,
        ok(201 => json(Item) as CreateOutcome::Created, 200 => json(Item) as CreateOutcome::Existing,
           202 => empty as CreateOutcome::Queued),
        err(400 | 422 => json(Failure)))]
    async fn create_item(&self, item: &NewItem) -> Result<CreateOutcome, Error<Failure>>;

    #[endpoint(DELETE "/items/{id}", auth(apiKey), ok(204 => empty))]
    async fn delete_item(&self, id: u64) -> Result<(), Error<Failure>>;

    #[endpoint(POST "/token", auth("query-key"), ok(200 => json(TokenReply) verdict),
        err(default => json(Failure)))]
    async fn token(&self) -> Result<String, Error<Failure>>;

    #[endpoint(GET "/files/{name}.txt", ok(200 => text))]
    async fn file(&self, name: &str) -> Result<String, Error<Failure>>;

    #[endpoint(GET "/blob", ok(200 => bytes))]
    async fn blob(&self) -> Result<bytes::Bytes, Error<Failure>>;

    #[endpoint(GET "/report.{format}",
        ok(200 "application/json" => json(Vec<Item>) as Report::Items,
           200 "text/*" => text as Report::Text,
           200 "application/octet-stream" => stream as Report::Download,
           202 => json(Tag) as Report::Queued),
        err(404 "text/html" => text as Failure::from_page, 404 => json(Failure)))]
    async fn report(&self, format: &str) -> Result<Report, Error<Failure>>;

    #[endpoint(GET "/strict",
        ok(200 "application/json" => json(Item), 200 "text/csv" => text as item_from_csv))]
    async fn strict(&self) -> Result<Item, Error<Failure>>;

    #[endpoint(GET "/export", ok(200 "text/csv" => stream))]
    async fn export(&self) -> Result<vendor_clients::ByteStream<Failure>, Error<Failure>>;

    #[endpoint(GET "/pdf", ok(200 => bytes), err(400 => bytes))]
    async fn pdf(&self) -> Result<bytes::Bytes, Error<bytes::Bytes>>;

    #[endpoint(GET "/lines/{modes}", headers(zones = "X-Zones"), ok(200 => json(Vec<Item>)))]
    async fn lines(
        &self,
        modes: &[String],
        zones: Option<Vec<u8>>,
    ) -> Result<Vec<Item>, Error<Failure>>;
}

/// A report answered in the form its `{format}` suffix asks for.
#[derive(Debug)]
enum Report {
    Items(Vec<Item>),
    Text(String),
    Download(vendor_clients::ByteStream<Failure>),
    Queued(Tag),
}

impl Failure {
    fn from_page(html: String) -> Self {
        Failure { reason: html }
    }
}

fn item_from_csv(line: String) -> Item {
    let (id, name) = line.trim().split_once(',').unwrap_or_default();
    Item {
        id: id.to_owned(),
        name: name.to_owned(),
        tags: Vec::new(),
    }
}

fn builder(server: &MockServer) -> ClientBuilder<Shop> {
    ClientBuilder::new().base_url(server.uri())
}

fn client(b: ClientBuilder<Shop>) -> ShopClient {
    ShopClient {
        core: b.build_core().expect("valid configuration"),
    }
}

fn bearer(token: &str) -> Credential {
    Credential::Bearer(Secret::new(token))
}

async fn received_paths(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect()
}

fn item_json() -> serde_json::Value {
    json!({"id": "1", "name": "lamp", "tags": [{"label": "home"}]})
}

#[tokio::test]
async fn get_decodes_json_with_bearer_auth_user_agent_and_accept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/1"))
        .and(header("authorization", "Bearer tok-1"))
        .and(header("accept", "application/json"))
        .and(header("user-agent", vendor_clients::DEFAULT_USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_json(item_json()))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(builder(&server).credential("bearerAuth", bearer("tok-1")));
    let item = c.get_item("1").await.expect("success");
    assert_eq!(
        item,
        Item {
            id: "1".into(),
            name: "lamp".into(),
            tags: vec![Tag {
                label: "home".into()
            }],
        }
    );
}

#[tokio::test]
async fn server_variable_resolves_base_url_and_keeps_its_path_prefix() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/shop/items/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item_json()))
        .expect(1)
        .mount(&server)
        .await;
    let host = server.address().to_string();
    let c = client(
        ClientBuilder::new()
            .server_variable("host", host)
            .credential("bearerAuth", bearer("t")),
    );
    assert_eq!(c.get_item("1").await.expect("success").id, "1");
}

#[tokio::test]
async fn hostile_path_param_arrives_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item_json()))
        .mount(&server)
        .await;
    let c = client(builder(&server).credential("bearerAuth", bearer("t")));
    c.get_item("a/../b?c#d %é%2e").await.expect("success");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/items/a%2F..%2Fb%3Fc%23d%20%25%C3%A9%252e"
    );
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn dot_segments_and_empty_path_params_are_refused_before_sending() {
    let server = MockServer::start().await;
    let c = client(builder(&server).credential("bearerAuth", bearer("t")));
    for bad in ["..", ".", ""] {
        match c.get_item(bad).await {
            Err(Error::InvalidRequest { operation, message }) => {
                assert_eq!(operation, "getItem");
                assert!(message.contains("`id`"), "{message}");
            }
            other => panic!("{bad:?}: expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(received_paths(&server).await.is_empty());
}

#[tokio::test]
async fn query_params_are_renamed_repeated_and_none_is_omitted_with_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(header("x-app-hostname", "shop.example"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(builder(&server));
    let tags = vec!["a".to_owned(), "b c".to_owned()];
    let items = c
        .list_items(None, Sort::Newest, &tags, Some("x&y"), "shop.example")
        .await
        .expect("success");
    assert!(items.is_empty());
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests[0].url.query(),
        Some("sort=newest&tag%5B%5D=a&tag%5B%5D=b+c&cursor=x%26y")
    );
}

#[tokio::test]
async fn a_fixed_query_in_the_template_is_sent_as_written_before_the_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items/i%2F1/stats"))
        .and(query_param("view", "summary"))
        .and(query_param("fields", "a,b c"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(builder(&server));
    c.item_stats("i/1", Some(5))
        .await
        .expect("with a parameter");
    c.item_stats("i/1", None).await.expect("without");
    let queries: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("view=summary&fields=a,b%20c&limit=5".to_owned()),
            Some("view=summary&fields=a,b%20c".to_owned())
        ]
    );

    // By hand, a pair without `=` is refused before anything is sent.
    static STATS: vendor_clients::Operation = vendor_clients::Operation {
        id: "stats",
        method: vendor_clients::Method::Get,
        path: "/stats?acl",
        auth: &[],
        idempotent: true,
        sensitive: false,
    };
    let mut request = c.core().request(&STATS);
    request.push_literal("/stats");
    request.query_literal("view=1&acl");
    let err = request.send::<Failure>().await.expect_err("refused");
    assert!(
        matches!(&err, Error::InvalidRequest { message, .. } if message.contains("`acl` in the fixed query `view=1&acl` is not a `name=value` pair")),
        "{err:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        2
    );
}

#[tokio::test]
async fn header_value_with_line_break_is_refused_without_echoing_it() {
    let server = MockServer::start().await;
    let c = client(builder(&server));
    let err = c
        .list_items(Some(1), Sort::Newest, &[], None, "evil\r\nX-Injected: yes")
        .await
        .expect_err("must be refused");
    match &err {
        Error::InvalidRequest { message, .. } => {
            assert!(message.contains("X-App-Hostname"), "{message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(!err.to_string().contains("Injected"));
    assert!(!format!("{err:?}").contains("Injected"));
    assert!(received_paths(&server).await.is_empty());
}

#[tokio::test]
async fn basic_auth_is_used_when_it_is_the_configured_scheme() {
    let server = MockServer::start().await;
    // base64("ann:pw:x") = "YW5uOnB3Ong="
    Mock::given(method("GET"))
        .and(path("/items/1"))
        .and(header("authorization", "Basic YW5uOnB3Ong="))
        .respond_with(ResponseTemplate::new(200).set_body_json(item_json()))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(builder(&server).credential(
        "basicAuth",
        Credential::Basic {
            username: "ann".into(),
            password: Secret::new("pw:x"),
        },
    ));
    c.get_item("1").await.expect("success");
}

#[tokio::test]
async fn first_configured_scheme_in_operation_order_wins() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(item_json()))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(
        builder(&server)
            .credential(
                "basicAuth",
                Credential::Basic {
                    username: "u".into(),
                    password: Secret::new("p"),
                },
            )
            .credential("bearerAuth", bearer("b")),
    );
    c.get_item("1").await.expect("success");
}

#[tokio::test]
async fn missing_credentials_fail_before_sending() {
    let server = MockServer::start().await;
    let c = client(builder(&server).credential("unrelated", bearer("x")));
    match c.get_item("1").await {
        Err(Error::MissingCredentials { operation, schemes }) => {
            assert_eq!(operation, "getItem");
            assert_eq!(schemes, &["bearerAuth", "basicAuth"]);
        }
        other => panic!("expected MissingCredentials, got {other:?}"),
    }
    assert!(received_paths(&server).await.is_empty());
}

#[tokio::test]
async fn a_credential_that_cannot_be_a_header_fails_each_call_without_sending_or_echoing_it() {
    // The header a credential sends is built once, with the client; a value that cannot be sent
    // is reported by every call that would send it.
    let server = MockServer::start().await;
    let c = client(builder(&server).credential("bearerAuth", bearer("tok\nSECRET-PART")));
    for _ in 0..2 {
        match c.get_item("1").await {
            Err(err @ Error::InvalidRequest { .. }) => {
                let text = err.to_string();
                assert!(text.contains("getItem"), "{text}");
                assert!(
                    text.contains("the credential for `bearerAuth` contains characters not allowed in HTTP headers"),
                    "{text}"
                );
                assert!(
                    !text.contains("SECRET-PART") && !format!("{err:?}").contains("SECRET-PART")
                );
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    let c = client(builder(&server).credential(
        "apiKey",
        Credential::ApiKeyHeader {
            header: "X-Api Key",
            value: Secret::new("k"),
        },
    ));
    match c.delete_item(1).await {
        Err(Error::InvalidRequest { message, .. }) => {
            assert_eq!(
                message,
                "`X-Api Key` (scheme `apiKey`) is not a valid header name"
            );
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(received_paths(&server).await.is_empty());
}

#[tokio::test]
async fn json_body_is_sent_and_statuses_map_to_wrapped_outcomes() {
    let server = MockServer::start().await;
    let expected_body = json!({"name": "lamp", "priceCents": 1299});
    for (status, name) in [(201, "new"), (200, "old")] {
        Mock::given(method("POST"))
            .and(path("/items"))
            .and(header("content-type", "application/json"))
            .and(header("authorization", "Bearer t"))
            .and(body_json(&expected_body))
            .respond_with(
                ResponseTemplate::new(status).set_body_json(json!({"id": "9", "name": name})),
            )
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let c = client(builder(&server).credential("bearerAuth", bearer("t")));
    let new_item = NewItem {
        name: "lamp".into(),
        price_cents: 1299,
    };
    let first = c.create_item(&new_item).await.expect("success");
    let second = c.create_item(&new_item).await.expect("success");
    let item = |name: &str| Item {
        id: "9".into(),
        name: name.into(),
        tags: vec![],
    };
    // Equal-priority mocks answer in mount order; each answers once.
    assert_eq!(first, CreateOutcome::Created(item("new")));
    assert_eq!(second, CreateOutcome::Existing(item("old")));

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    assert_eq!(
        c.create_item(&new_item).await.expect("success"),
        CreateOutcome::Queued
    );

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({"reason": "price"})))
        .mount(&server)
        .await;
    let err = c.create_item(&new_item).await.expect_err("422");
    assert_eq!(err.status(), Some(422));
    assert_eq!(
        err.api_body(),
        Some(&Failure {
            reason: "price".into()
        })
    );
}

#[tokio::test]
async fn delete_204_gives_unit_with_api_key_header() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/items/42"))
        .and(header("x-api-key", "k-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(builder(&server).credential(
        "apiKey",
        Credential::ApiKeyHeader {
            header: "X-Api-Key",
            value: Secret::new("k-1"),
        },
    ));
    c.delete_item(42).await.expect("success");
}

fn query_key_client(server: &MockServer) -> ShopClient {
    client(builder(server).credential(
        "query-key",
        Credential::ApiKeyQuery {
            name: "key",
            value: Secret::new("q-SECRET"),
        },
    ))
}

#[tokio::test]
async fn verdict_accepts_ok_and_rejection_becomes_api_error_with_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(query_param("key", "q-SECRET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "OK", "token": "abc"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let c = query_key_client(&server);
    assert_eq!(c.token().await.expect("accepted"), "abc");

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "ERROR", "reason": "expired"})),
        )
        .mount(&server)
        .await;
    let err = c.token().await.expect_err("rejected");
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status, 200);
            assert_eq!(api.operation, "token");
            assert_eq!(
                api.body,
                Some(Failure {
                    reason: "expired".into()
                })
            );
            assert!(api.snippet.contains("expired"));
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert!(!err.to_string().contains("q-SECRET"));
}

#[tokio::test]
async fn default_err_arm_decodes_any_other_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-request-id", "req-7")
                .set_body_json(json!({"reason": "maintenance"})),
        )
        .mount(&server)
        .await;
    let err = query_key_client(&server).token().await.expect_err("503");
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status, 503);
            assert_eq!(api.request_id.as_deref(), Some("req-7"));
            assert_eq!(
                api.body.as_ref().map(|b| b.reason.as_str()),
                Some("maintenance")
            );
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn not_found_error_body_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"reason": "no such item"})))
        .mount(&server)
        .await;
    let c = client(builder(&server).credential("bearerAuth", bearer("t")));
    let err = c.get_item("7").await.expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.api_body(),
        Some(&Failure {
            reason: "no such item".into()
        })
    );
    let text = err.to_string();
    assert!(text.starts_with("getItem: HTTP 404 Not Found: {"), "{text}");
}

#[tokio::test]
async fn error_body_that_does_not_match_gives_api_error_without_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>gone</html>"))
        .mount(&server)
        .await;
    let c = client(builder(&server).credential("bearerAuth", bearer("t")));
    let err = c.get_item("7").await.expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert!(err.api_body().is_none());
    assert!(err.to_string().contains("<html>gone</html>"));
}

#[tokio::test]
async fn undecodable_body_gives_decode_error_with_field_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "1", "name": "x", "tags": [{"label": 3}]})),
        )
        .mount(&server)
        .await;
    let c = client(builder(&server).credential("bearerAuth", bearer("t")));
    match c.get_item("1").await {
        Err(Error::Decode {
            operation,
            status,
            path,
            message,
            snippet,
            ..
        }) => {
            assert_eq!(operation, "getItem");
            assert_eq!(status, 200);
            assert_eq!(path, "tags[0].label");
            assert!(message.contains("invalid type"), "{message}");
            assert!(snippet.contains("\"label\":3"), "{snippet}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn unlisted_status_gives_api_error_with_snippet_and_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    let c = client(builder(&server).credential("bearerAuth", bearer("t")));
    match c.get_item("1").await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 500);
            assert!(api.body.is_none());
            assert_eq!(api.snippet, "boom");
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

#[tokio::test]
async fn text_and_bytes_bodies_are_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/notes.txt"))
        .respond_with(ResponseTemplate::new(200).set_body_string("héllo"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8, 159, 146, 150]))
        .mount(&server)
        .await;
    let c = client(builder(&server));
    assert_eq!(c.file("notes").await.expect("text"), "héllo");
    let blob = c.blob().await.expect("bytes");
    assert_eq!(&blob[..], &[0u8, 159, 146, 150]);
    // The answer holds its own 4 bytes, not a slice of the connection's read buffer (8 KiB and
    // more), which a caller keeping it would keep alive whole.
    let held = blob.try_into_mut().map(|b| b.capacity());
    assert_eq!(
        held,
        Ok(4),
        "the bytes answer holds more memory than its body"
    );
}

#[tokio::test]
async fn body_larger_than_limit_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(100)))
        .mount(&server)
        .await;
    let c = client(builder(&server).max_response_bytes(16));
    match c.blob().await {
        Err(Error::BodyTooLarge {
            operation, limit, ..
        }) => {
            assert_eq!(operation, "blob");
            assert_eq!(limit, 16);
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    let c = client(builder(&server).max_response_bytes(100));
    assert_eq!(c.blob().await.expect("exactly at the limit").len(), 100);
}

#[tokio::test]
async fn slow_server_gives_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    let c = client(builder(&server).timeout(Duration::from_millis(100)));
    match c.blob().await {
        Err(Error::Timeout { operation, .. }) => assert_eq!(operation, "blob"),
        other => panic!("expected Timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn secrets_are_absent_from_debug_and_display_of_builder_core_and_errors() {
    let secrets = ["tok-SECRET", "pw-SECRET", "q-SECRET", "hdr-SECRET"];
    let check = |what: &str, text: String| {
        for s in secrets {
            assert!(!text.contains(s), "{what} leaks {s}: {text}");
        }
    };
    // A closed port: the transport error must not show the URL with the key.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let b = ClientBuilder::<Shop>::new()
        .base_url(format!("http://{addr}"))
        .credential("bearerAuth", bearer("tok-SECRET"))
        .credential(
            "basicAuth",
            Credential::Basic {
                username: "u".into(),
                password: Secret::new("pw-SECRET"),
            },
        )
        .credential(
            "query-key",
            Credential::ApiKeyQuery {
                name: "key",
                value: Secret::new("q-SECRET"),
            },
        )
        .default_header("x-extra", "hdr-SECRET");
    check("builder", format!("{b:?}"));
    let c = client(b);
    check("core", format!("{:?}", c.core));
    check("client", format!("{c:?}"));

    let err = c.token().await.expect_err("nothing listens");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    check("transport error Display", err.to_string());
    check("transport error Debug", format!("{err:?}"));

    let missing = client(ClientBuilder::new().base_url(format!("http://{addr}")))
        .get_item("1")
        .await
        .expect_err("no credentials");
    check("missing credentials", format!("{missing} {missing:?}"));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("fail"))
        .mount(&server)
        .await;
    let err = query_key_client(&server).token().await.expect_err("500");
    check("api error", format!("{err} {err:?}"));
}

fn answer(status: u16, content_type: &str, body: &[u8]) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_vec(), content_type)
}

#[tokio::test]
async fn arms_of_one_status_are_chosen_by_the_response_media_type() {
    let server = MockServer::start().await;
    for (format, template) in [
        (
            "json",
            answer(
                200,
                "application/json; charset=utf-8",
                br#"[{"id":"1","name":"lamp"}]"#,
            ),
        ),
        ("xml", answer(200, "Text/XML", b"<items/>")),
        (
            "bin",
            answer(200, "application/octet-stream", b"\x00\x01\x02"),
        ),
        (
            "job",
            answer(202, "application/json", br#"{"label":"queued"}"#),
        ),
        ("gone", answer(404, "text/html", b"<p>no such report</p>")),
        (
            "missing",
            answer(404, "application/json", br#"{"reason":"no report"}"#),
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/report.{format}")))
            .respond_with(template)
            .mount(&server)
            .await;
    }
    let c = client(builder(&server));
    match c.report("json").await.expect("json") {
        Report::Items(items) => assert_eq!(items[0].name, "lamp"),
        other => panic!("expected the JSON arm, got {other:?}"),
    }
    match c.report("xml").await.expect("xml") {
        Report::Text(text) => assert_eq!(text, "<items/>"),
        other => panic!("expected the text arm, got {other:?}"),
    }
    match c.report("bin").await.expect("binary") {
        Report::Download(stream) => {
            assert_eq!(stream.media_type(), "application/octet-stream");
            assert_eq!(&stream.collect().await.expect("whole")[..], b"\x00\x01\x02");
        }
        other => panic!("expected the streamed arm, got {other:?}"),
    }
    match c.report("job").await.expect("job") {
        Report::Queued(tag) => assert_eq!(tag.label, "queued"),
        other => panic!("expected the 202 arm, got {other:?}"),
    }
    match c.report("gone").await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 404);
            assert_eq!(api.body.expect("the page").reason, "<p>no such report</p>");
        }
        other => panic!("expected the text error arm, got {other:?}"),
    }
    match c.report("missing").await {
        Err(Error::Api(api)) => assert_eq!(api.body.expect("JSON body").reason, "no report"),
        other => panic!(
            "expected the JSON error arm (the status's arm without a media type), got {other:?}"
        ),
    }
    // `Accept` lists what the arms can take, in their order.
    let requests = server.received_requests().await.unwrap_or_default();
    let accept = requests[0].headers.get("accept").expect("an Accept header");
    assert_eq!(
        accept.to_str().expect("text"),
        "application/json, text/*, application/octet-stream"
    );
}

#[tokio::test]
async fn an_undeclared_media_type_is_a_decode_error_naming_it_and_the_declared_ones() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/strict"))
        .respond_with(answer(200, "text/html", b"<html>maintenance</html>"))
        .mount(&server)
        .await;
    let c = client(builder(&server));
    match c.strict().await {
        Err(Error::Decode {
            operation,
            status,
            message,
            snippet,
            ..
        }) => {
            assert_eq!((operation, status), ("strict", 200));
            assert!(
                message.contains("`text/html`") && message.contains("application/json, text/csv"),
                "{message}"
            );
            assert!(snippet.contains("maintenance"), "{snippet}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    // No Content-Type: application/octet-stream, which is not declared either.
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/strict"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"1,lamp".to_vec()))
        .mount(&server)
        .await;
    match c.strict().await {
        Err(Error::Decode { message, .. }) => {
            assert!(message.contains("`application/octet-stream`"), "{message}")
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/strict"))
        .respond_with(answer(200, "text/csv", b"1,lamp\n"))
        .mount(&server)
        .await;
    assert_eq!(c.strict().await.expect("the CSV arm").name, "lamp");
    // A status whose only arm is streamed: another media type is read whole, then refused.
    Mock::given(method("GET"))
        .and(path("/export"))
        .respond_with(answer(200, "text/html", b"<p>login</p>"))
        .mount(&server)
        .await;
    match c.export().await {
        Err(Error::Decode { message, .. }) => {
            assert!(
                message.contains("`text/html`") && message.contains("text/csv"),
                "{message}"
            )
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn a_call_future_holds_what_the_attempts_send_not_the_request_too() {
    // A call's future lives in the caller's task (or the caller's future) for the whole call,
    // and is written as it runs: each byte of it is paid on every call. Sending consumes the
    // `Request` before the first await, and the attempts borrow what they send, so the future
    // holds neither twice. Before that, this future was 3,472 bytes (1,056 after); the bound
    // leaves room for compiler changes, not for a second copy.
    let c = client(ClientBuilder::new().base_url("http://127.0.0.1:9"));
    let call = c.get_item("1");
    let size = std::mem::size_of_val(&call);
    assert!(size <= 1536, "a call's future is {size} bytes");
    // The full form (media-type arms, a stream) maps the response with a function instead of
    // awaiting it in a block of its own, which would hold the sending future twice.
    for (name, size) in [
        ("strict", std::mem::size_of_val(&c.strict())),
        ("export", std::mem::size_of_val(&c.export())),
        ("report", std::mem::size_of_val(&c.report("csv"))),
    ] {
        assert!(size <= 1536, "the future of `{name}` is {size} bytes");
    }
}

/// Every endpoint method is a plain `fn` returning a future: the request is built when it is
/// called, so the future borrows the client only, and it is `Send`, in both forms.
#[test]
fn a_call_future_borrows_the_client_only_and_is_send() {
    fn send<F: std::future::Future + Send>(f: F) -> F {
        f
    }
    let c = client(ClientBuilder::new().base_url("http://127.0.0.1:9"));
    let compact = {
        let id = String::from("1");
        send(c.get_item(&id))
    };
    let full = {
        let format = String::from("csv");
        send(c.report(&format))
    };
    let stream = send(c.export());
    drop((compact, full, stream));
}

#[tokio::test]
async fn list_path_and_header_parameters_are_sent_comma_joined() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let c = client(builder(&server));
    // Each item is encoded, the commas between them are not: a comma inside an item is `%2C`.
    let modes = ["tube".to_string(), "d l,r".to_string()];
    c.lines(&modes, Some(vec![1, 2])).await.expect("success");
    // No header for `None` or an empty list.
    c.lines(&modes, None).await.expect("success");
    c.lines(&modes, Some(vec![])).await.expect("success");
    let requests = server.received_requests().await.unwrap_or_default();
    let zones: Vec<Option<&str>> = requests
        .iter()
        .map(|r| r.headers.get("x-zones").and_then(|v| v.to_str().ok()))
        .collect();
    assert_eq!(zones, [Some("1,2"), None, None]);
    assert_eq!(received_paths(&server).await, ["/lines/tube,d%20l%2Cr"; 3]);
    // An empty list is an empty path segment: refused before sending.
    match c.lines(&[], None).await {
        Err(Error::InvalidRequest { message, .. }) => {
            assert!(message.contains("`modes` is empty"), "{message}")
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(received_paths(&server).await.len(), 3);
}

#[tokio::test]
async fn a_binary_error_body_is_handed_over_as_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pdf"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_raw(b"%PDF-1.7 \xff error".to_vec(), "application/pdf"),
        )
        .mount(&server)
        .await;
    let c = client(builder(&server));
    match c.pdf().await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 400);
            assert_eq!(api.body.as_deref(), Some(&b"%PDF-1.7 \xff error"[..]));
        }
        other => panic!("expected the 400 body, got {other:?}"),
    }
}
