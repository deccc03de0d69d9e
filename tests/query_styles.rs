//! Query parameter styles, parameters sent as JSON text, and `multipart/form-data` bodies, on
//! the wire: the exact query string and body a wiremock server receives from endpoints declared
//! by hand with the `#[endpoint]` options the generator emits.

use serde::Serialize;
use vendor_clients::{
    endpoint, ClientBuilder, Core, Endpoints, Error, FilePart, Multipart, MultipartBody, QueryStyle,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/hand_api.rs"]
#[macro_use]
mod hand_api;

hand_api!(Styles, C);

#[derive(Debug, Serialize)]
struct Owner {
    id: i64,
}

#[derive(Debug, Serialize)]
struct Filter {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<Owner>,
}

#[derive(Debug, Serialize)]
struct Color {
    #[serde(rename = "R")]
    r: u8,
    #[serde(rename = "G")]
    g: u8,
}

struct Upload {
    title: String,
    tags: Vec<String>,
    note: Option<String>,
    meta: Option<serde_json::Value>,
    file: FilePart,
    extra: Vec<FilePart>,
}

impl MultipartBody for Upload {
    fn parts(&self, form: &mut Multipart) {
        form.text("title", &self.title);
        form.text("tags", &self.tags);
        form.text("note", &self.note);
        form.json("meta", &self.meta);
        form.file("file", &self.file);
        form.files("extra", &self.extra);
    }
}

impl C {
    // One argument per style, as a generated method with this many parameters has.
    #[allow(clippy::too_many_arguments)]
    #[endpoint(GET "/things",
        query(ids(explode = false), pipes = "p"(style = "pipeDelimited"),
              spaces(style = "spaceDelimited"), plain, filter(style = "deepObject"),
              color(explode = false), exploded(style = "form")),
        ok(200 => empty))]
    async fn things(
        &self,
        ids: &[i64],
        pipes: &[&str],
        spaces: Option<&[String]>,
        plain: &[&str],
        filter: &Filter,
        color: Option<&Color>,
        exploded: Option<&Color>,
    ) -> Result<(), Error>;

    #[endpoint(GET "/search", query(q = "q"(json)), headers(ctx = "X-Context"(json)), ok(200 => empty))]
    async fn search(&self, q: &Filter, ctx: Option<&Owner>) -> Result<(), Error>;

    #[endpoint(POST "/upload", body(multipart) = body, ok(2XX => empty))]
    async fn upload(&self, body: &Upload) -> Result<(), Error>;
}

fn client(server: &MockServer) -> C {
    C {
        core: ClientBuilder::<Styles>::new()
            .base_url(server.uri())
            .build_core()
            .expect("valid configuration"),
    }
}

async fn received_query(server: &MockServer) -> String {
    let received = server.received_requests().await.unwrap_or_default();
    let last = received.last().expect("a request");
    last.url.query().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn each_style_is_laid_out_and_encoded_as_openapi_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let c = client(&server);
    let filter = Filter {
        name: "a,b&c".into(),
        age: Some(3),
        owner: Some(Owner { id: 7 }),
    };
    c.things(
        &[1, 2, 3],
        &["x|y", "z"],
        Some(&["a b".to_string(), "c".to_string()]),
        &["a,b", "c"],
        &filter,
        Some(&Color { r: 100, g: 200 }),
        Some(&Color { r: 1, g: 2 }),
    )
    .await
    .expect("sent");
    assert_eq!(
        received_query(&server).await,
        "ids=1,2,3&p=x%7Cy|z&spaces=a+b%20c&plain=a%2Cb&plain=c\
         &filter[name]=a%2Cb%26c&filter[age]=3&filter[owner][id]=7\
         &color=R,100,G,200&R=1&G=2"
    );

    // `None` and empty lists add nothing; a comma inside an item is never a separator.
    c.things(
        &[],
        &["a,b"],
        None,
        &[],
        &Filter {
            name: "n".into(),
            age: None,
            owner: None,
        },
        None,
        None,
    )
    .await
    .expect("sent");
    assert_eq!(received_query(&server).await, "p=a%2Cb&filter[name]=n");
}

#[tokio::test]
async fn content_parameters_are_sent_as_json_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let c = client(&server);
    let q = Filter {
        name: "x y".into(),
        age: None,
        owner: None,
    };
    c.search(&q, Some(&Owner { id: 5 })).await.expect("sent");
    assert_eq!(
        received_query(&server).await,
        "q=%7B%22name%22%3A%22x+y%22%7D"
    );
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        received[0]
            .headers
            .get("x-context")
            .and_then(|v| v.to_str().ok()),
        Some("{\"id\":5}")
    );
    c.search(&q, None).await.expect("sent");
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received[1].headers.get("x-context").is_none());
}

#[tokio::test]
async fn a_deep_object_sends_a_list_inside_in_brackets_and_refuses_a_list_of_lists() {
    #[derive(Serialize)]
    struct Tagged {
        tags: Vec<String>,
    }
    #[derive(Serialize)]
    struct Nested {
        tags: Vec<Vec<String>>,
    }
    struct D {
        core: Core,
    }
    impl Endpoints for D {
        fn core(&self) -> &Core {
            &self.core
        }
    }
    impl D {
        #[endpoint(GET "/d", query(f(style = "deepObject")), ok(200 => empty))]
        async fn d(&self, f: &Tagged) -> Result<(), Error>;

        #[endpoint(GET "/n", query(f(style = "deepObject")), ok(200 => empty))]
        async fn n(&self, f: &Nested) -> Result<(), Error>;
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/d"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let d = D {
        core: client(&server).core,
    };
    d.d(&Tagged {
        tags: vec!["a".into(), "b&c".into()],
    })
    .await
    .expect("sent");
    assert_eq!(received_query(&server).await, "f[tags][]=a&f[tags][]=b%26c");
    let err = d
        .n(&Nested {
            tags: vec![vec!["a".into()]],
        })
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::InvalidRequest { message, .. } if message.contains("deepObject")),
        "{err:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1,
        "the refused call sent nothing"
    );
    let _ = QueryStyle::DeepObject;
}

#[tokio::test]
async fn multipart_bodies_carry_text_json_and_file_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let body = Upload {
        title: "Zoë".into(),
        tags: vec!["a".into(), "b".into()],
        note: None,
        meta: Some(serde_json::json!({"k": 1})),
        file: FilePart::new(vec![0u8, 159, 146, 150])
            .file_name("pic.png")
            .content_type("image/png"),
        extra: vec![FilePart::new("plain")],
    };
    client(&server).upload(&body).await.expect("sent");
    let received = server.received_requests().await.unwrap_or_default();
    let req = &received[0];
    let ct = req
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .expect("content type")
        .to_owned();
    let boundary = ct
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a multipart content type with a boundary");
    let mut expected = Vec::new();
    let mut part = |headers: &str, content: &[u8]| {
        expected.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        expected.extend_from_slice(content);
        expected.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"title\"",
        "Zoë".as_bytes(),
    );
    part("Content-Disposition: form-data; name=\"tags\"", b"a");
    part("Content-Disposition: form-data; name=\"tags\"", b"b");
    part(
        "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json",
        b"{\"k\":1}",
    );
    part(
        "Content-Disposition: form-data; name=\"file\"; filename=\"pic.png\"\r\nContent-Type: image/png",
        &[0, 159, 146, 150],
    );
    part(
        "Content-Disposition: form-data; name=\"extra\"\r\nContent-Type: application/octet-stream",
        b"plain",
    );
    expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&req.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(req.body, expected);
}

/// A generated type with a `default` (SaaSquatch's `Account.currency`, USD when not given)
/// decodes the default when the property is absent, and the value when present.
#[cfg(feature = "saasquatch")]
#[test]
fn generated_defaults_fill_absent_properties() {
    use vendor_clients::saasquatch::Account;
    let absent: Account =
        serde_json::from_value(serde_json::json!({"id": "a", "subscription": {"status": "PAID"}}))
            .expect("decodes");
    assert_eq!(absent.currency.as_deref(), Some("USD"));
    let given: Account = serde_json::from_value(
        serde_json::json!({"id": "a", "subscription": {"status": "PAID"}, "currency": "EUR"}),
    )
    .expect("decodes");
    assert_eq!(given.currency.as_deref(), Some("EUR"));
}
