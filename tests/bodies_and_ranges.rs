//! The endpoint forms published specs need (check-corpus): form, text and binary request
//! bodies, cookies, and status-range arms, exercised against wiremock.

use serde::{Deserialize, Serialize};
use serde_json::json;
use vendor_clients::{endpoint, ClientBuilder, Error, RetryPolicy, Upload};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/hand_api.rs"]
#[macro_use]
mod hand_api;

hand_api!(Corpus, C);

#[derive(Debug, Serialize)]
struct TokenForm {
    grant_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    retries: u32,
}

/// A form with nested objects, a map and lists, as payment APIs take them.
#[derive(Debug, Serialize)]
struct ChargeForm {
    amount: u32,
    card: Card,
    expand: Vec<String>,
    metadata: std::collections::BTreeMap<String, String>,
    items: Vec<Item>,
}

#[derive(Debug, Serialize)]
struct Card {
    number: String,
    exp: Exp,
}

#[derive(Debug, Serialize)]
struct Exp {
    month: u8,
    year: u16,
}

#[derive(Debug, Serialize)]
struct Item {
    price: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Problem {
    message: String,
}

impl C {
    #[endpoint(POST "/token", body(form) = form, ok(200 => text))]
    async fn token(&self, form: &TokenForm) -> Result<String, Error<Problem>>;

    #[endpoint(POST "/charges", body(form) = form, ok(200 => text))]
    async fn charge(&self, form: &ChargeForm) -> Result<String, Error<Problem>>;

    #[endpoint(PUT "/name", body(text) = body, ok(204 => empty))]
    async fn put_name(&self, body: &str) -> Result<(), Error<Problem>>;

    #[endpoint(POST "/chunk", body(bytes) = body, ok(2XX => empty))]
    async fn chunk(&self, body: &[u8]) -> Result<(), Error<Problem>>;

    #[endpoint(GET "/me", cookies(session = "session", theme = "ui-theme"), ok(200 => text))]
    async fn me(&self, session: &str, theme: Option<&str>) -> Result<String, Error<Problem>>;

    #[endpoint(PUT "/upload", body(upload) = body, ok(2XX => empty), err(5XX => empty))]
    async fn upload(&self, body: impl Into<Upload>) -> Result<(), Error<Problem>>;

    #[endpoint(PATCH "/merge", body = patch, content_type = "application/merge-patch+json",
        ok(204 => empty))]
    async fn merge(&self, patch: &serde_json::Value) -> Result<(), Error<Problem>>;

    #[endpoint(POST "/rows", body(text) = csv, content_type = "text/csv", ok(204 => empty))]
    async fn rows(&self, csv: &str) -> Result<(), Error<Problem>>;

    #[endpoint(POST "/note", body(bytes) = xml, content_type = "application/xml; charset=utf-8",
        ok(204 => empty))]
    async fn note(&self, xml: &[u8]) -> Result<(), Error<Problem>>;

    #[endpoint(PUT "/avatar", body(upload) = image, content_type = "image/png", ok(204 => empty))]
    async fn avatar(&self, image: impl Into<Upload>) -> Result<(), Error<Problem>>;

    #[endpoint(GET "/file", ok(200 => stream), err(4XX => json(Problem)))]
    async fn file(&self) -> Result<vendor_clients::ByteStream<Problem>, Error<Problem>>;

    #[endpoint(GET "/thing", ok(200 => text),
        err(5XX => json(Problem), 404 => empty, 4XX => json(Problem)))]
    async fn thing(&self) -> Result<String, Error<Problem>>;
}

fn client(server: &MockServer) -> C {
    C {
        core: ClientBuilder::<Corpus>::new()
            .base_url(server.uri())
            .build_core()
            .expect("valid configuration"),
    }
}

fn retrying(server: &MockServer) -> C {
    C {
        core: ClientBuilder::<Corpus>::new()
            .base_url(server.uri())
            .retry(RetryPolicy::default().with_backoff(
                std::time::Duration::from_millis(1),
                std::time::Duration::from_millis(5),
            ))
            .build_core()
            .expect("valid configuration"),
    }
}

#[tokio::test]
async fn an_upload_is_sent_as_octet_stream_from_bytes_or_from_a_stream_of_chunks() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/upload"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let c = client(&server);
    c.upload(vec![1u8, 2, 3]).await.expect("bytes");
    c.upload(&b"in memory"[..]).await.expect("a slice, copied");
    let chunks = futures_util::stream::iter(
        ["first,", "second,", "third"].map(|c| Ok::<_, std::io::Error>(bytes::Bytes::from(c))),
    );
    let streamed = Upload::stream(chunks);
    assert!(streamed.is_stream());
    assert_eq!(format!("{streamed:?}"), "Upload::Stream");
    c.upload(streamed).await.expect("a stream");
    let bodies: Vec<Vec<u8>> = server
        .received_requests()
        .await
        .expect("recorded")
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(
        bodies,
        vec![
            vec![1, 2, 3],
            b"in memory".to_vec(),
            b"first,second,third".to_vec()
        ]
    );
}

#[tokio::test]
async fn a_declared_content_type_replaces_the_encodings_and_an_uploads_own_wins() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let c = client(&server);
    c.merge(&json!({"name": null})).await.expect("merge patch");
    c.rows("a,b\n1,2\n").await.expect("csv");
    c.note(b"<note/>").await.expect("xml");
    c.avatar(vec![0x89, b'P', b'N', b'G']).await.expect("png");
    let jpeg = Upload::bytes(&b"\xff\xd8"[..]).content_type("image/jpeg");
    assert_eq!(
        format!("{jpeg:?}"),
        "Upload::Bytes(2 bytes) as \"image/jpeg\""
    );
    c.avatar(jpeg).await.expect("the caller's type");
    let sent: Vec<(String, String, Vec<u8>)> = server
        .received_requests()
        .await
        .expect("recorded")
        .into_iter()
        .map(|r| {
            let ct = r.headers.get("content-type").expect("a content type");
            (
                r.url.path().to_owned(),
                ct.to_str().unwrap().to_owned(),
                r.body,
            )
        })
        .collect();
    let expected: Vec<(String, String, Vec<u8>)> = [
        (
            "/merge",
            "application/merge-patch+json",
            &br#"{"name":null}"#[..],
        ),
        ("/rows", "text/csv", b"a,b\n1,2\n"),
        ("/note", "application/xml; charset=utf-8", b"<note/>"),
        ("/avatar", "image/png", b"\x89PNG"),
        ("/avatar", "image/jpeg", b"\xff\xd8"),
    ]
    .into_iter()
    .map(|(p, ct, b)| (p.to_owned(), ct.to_owned(), b.to_vec()))
    .collect();
    assert_eq!(sent, expected);

    // A type the caller chose that no header can carry: refused before anything is sent.
    server.reset().await;
    let err = c
        .avatar(Upload::bytes(vec![1]).content_type("image/png\r\nX-Injected: 1"))
        .await
        .expect_err("not a header value");
    assert!(
        matches!(&err, Error::InvalidRequest { message, .. } if message.contains("content type")),
        "{err:?}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn a_content_type_set_by_hand_that_no_header_can_carry_is_refused_unsent() {
    static NOTE: vendor_clients::Operation = vendor_clients::Operation {
        id: "note",
        method: vendor_clients::Method::Post,
        path: "/note",
        auth: &[],
        idempotent: false,
        sensitive: false,
    };
    let server = MockServer::start().await;
    let c = client(&server);
    let mut request = vendor_clients::Endpoints::core(&c).request(&NOTE);
    request.push_literal("/note");
    request.bytes_body(b"<note/>");
    request.content_type("application/xml\n");
    let err = request.send::<Problem>().await.expect_err("refused");
    assert!(
        matches!(&err, Error::InvalidRequest { message, .. } if message.contains("\"application/xml\\n\" cannot be sent in a header")),
        "{err:?}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn a_streamed_upload_is_sent_once_while_bytes_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let c = retrying(&server);
    let err = c
        .upload(bytes::Bytes::from_static(b"again"))
        .await
        .expect_err("503 every time");
    assert_eq!(err.status(), Some(503));
    let in_memory = server.received_requests().await.expect("recorded").len();
    assert!(in_memory > 1, "bytes are resent on a retry: {in_memory}");
    server.reset().await;
    Mock::given(method("PUT"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from("once"))]);
    let err = c
        .upload(Upload::stream(chunks))
        .await
        .expect_err("503, not retried");
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.attempts(), 1);
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 1, "a stream cannot be sent twice");
    assert_eq!(received[0].body, b"once");
}

#[tokio::test]
async fn a_streamed_download_collects_whole_past_the_response_limit() {
    // What a binary (`application/octet-stream`) 200 becomes by default: a stream, which the
    // caller can still read whole.
    let server = MockServer::start().await;
    let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/file"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/octet-stream")
                .set_body_bytes(body.clone()),
        )
        .mount(&server)
        .await;
    let c = C {
        core: ClientBuilder::<Corpus>::new()
            .base_url(server.uri())
            .max_response_bytes(1024)
            .build_core()
            .expect("valid configuration"),
    };
    let stream = c.file().await.expect("the download starts");
    assert_eq!(stream.status(), 200);
    let whole = stream.collect().await.expect("the whole body");
    assert_eq!(whole.len(), body.len());
    assert_eq!(&whole[..], &body[..]);
}

#[tokio::test]
async fn form_body_is_urlencoded_with_its_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("grant_type=device+code&retries=3"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let form = TokenForm {
        grant_type: "device code".into(),
        scope: None,
        retries: 3,
    };
    assert_eq!(client(&server).token(&form).await.expect("sent"), "ok");
}

#[tokio::test]
async fn a_nested_form_body_is_sent_in_bracket_notation() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/charges"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let form = ChargeForm {
        amount: 2000,
        card: Card {
            number: "4242 4242".into(),
            exp: Exp {
                month: 1,
                year: 2030,
            },
        },
        expand: vec!["customer".into(), "invoice".into()],
        metadata: [("order".to_string(), "7".to_string())].into(),
        items: vec![Item { price: "p1".into() }],
    };
    assert_eq!(client(&server).charge(&form).await.expect("sent"), "ok");
    let requests = server.received_requests().await.unwrap();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&requests[0].body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let want = [
        ("amount", "2000"),
        ("card[exp][month]", "1"),
        ("card[exp][year]", "2030"),
        ("card[number]", "4242 4242"),
        ("expand", "customer"),
        ("expand", "invoice"),
        ("items[0][price]", "p1"),
        ("metadata[order]", "7"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(pairs, want);
}

#[tokio::test]
async fn text_and_binary_bodies_are_sent_as_given() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/name"))
        .and(header("content-type", "text/plain; charset=utf-8"))
        .and(body_string("Zoë"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/chunk"))
        .and(header("content-type", "application/octet-stream"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    c.put_name("Zoë").await.expect("text sent");
    // `2XX` accepts 201 as well as 200.
    c.chunk(&[0, 159, 146, 150]).await.expect("bytes sent");
    let received = server.received_requests().await.unwrap_or_default();
    let chunk = received
        .iter()
        .find(|r| r.url.path() == "/chunk")
        .expect("chunk request");
    assert_eq!(chunk.body, vec![0, 159, 146, 150]);
}

#[tokio::test]
async fn cookies_share_one_header_and_none_is_left_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("cookie", "session=abc; ui-theme=dark"))
        .respond_with(ResponseTemplate::new(200).set_body_string("both"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("cookie", "session=abc"))
        .respond_with(ResponseTemplate::new(200).set_body_string("one"))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    assert_eq!(c.me("abc", Some("dark")).await.expect("both"), "both");
    assert_eq!(c.me("abc", None).await.expect("one"), "one");
}

#[tokio::test]
async fn a_cookie_value_that_would_split_the_header_is_refused() {
    let server = MockServer::start().await;
    let err = client(&server)
        .me("abc; admin=1", None)
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::InvalidRequest { message, .. } if message.contains("cookie `session`")),
        "{err:?}"
    );
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn range_arms_match_their_class_and_exact_codes_win() {
    let server = MockServer::start().await;
    let c = client(&server);
    for (status, decoded) in [(503, true), (404, false), (418, true)] {
        server.reset().await;
        Mock::given(method("GET"))
            .and(path("/thing"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({"message": "no"})))
            .mount(&server)
            .await;
        match c.thing().await.expect_err("an error status") {
            Error::Api(api) => {
                assert_eq!(api.status, status);
                assert_eq!(api.body.is_some(), decoded, "status {status}");
            }
            other => panic!("expected Api, got {other:?}"),
        }
    }
    // A status no arm covers (3xx) is an error without a decoded body.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    match c.thing().await.expect_err("304") {
        Error::Api(api) => assert_eq!((api.status, api.body), (304, None)),
        other => panic!("expected Api, got {other:?}"),
    }
}
