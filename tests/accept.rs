//! `Accept` asks for what the spec says the operation answers (issue 18, item 9): a
//! content-negotiating server answers 406 Not Acceptable when the request's `Accept` leaves
//! out the media type it would send, as a CSV export asked for with `application/json` did.

use vendor_clients::{partnerize, saasquatch};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A server that sends `body` as `media` when the request accepts it, and 406 otherwise,
/// recording the `Accept` it saw.
struct Negotiating {
    media: &'static str,
    body: &'static str,
}

impl Respond for Negotiating {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let accept = req
            .headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let accepted = accept
            .split(',')
            .map(|m| m.split(';').next().unwrap_or("").trim())
            .any(|m| m == self.media || m == "*/*");
        if accepted {
            ResponseTemplate::new(200)
                .insert_header("content-type", self.media)
                .set_body_string(self.body)
        } else {
            ResponseTemplate::new(406).set_body_string(format!("cannot send {}", self.media))
        }
    }
}

async fn negotiating(media: &'static str, body: &'static str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path_regex(".*"))
        .respond_with(Negotiating { media, body })
        .mount(&server)
        .await;
    server
}

fn accepts(server_requests: &[Request]) -> Vec<String> {
    server_requests
        .iter()
        .map(|r| {
            r.headers
                .get("accept")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

fn saasquatch_client(server: &MockServer) -> saasquatch::Client {
    saasquatch::Client::builder()
        .base_url(format!("{}/api/v1/t1", server.uri()))
        .api_key("key")
        .no_retries()
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_csv_download_accepts_csv() {
    let server = negotiating("text/csv", "a,b\n1,2\n").await;
    let stream = saasquatch_client(&server)
        .download_export("e1")
        .await
        .expect("the server sends CSV to a client that accepts it");
    assert_eq!(stream.status(), 200);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(accepts(&requests), ["text/csv"]);
}

#[tokio::test]
async fn an_html_preview_accepts_html() {
    let server = negotiating("text/html", "<p>hi</p>").await;
    let out = saasquatch_client(&server)
        .preview_theme_email("referral", &saasquatch::PreviewThemeEmailParams::new())
        .await
        .expect("the server sends HTML to a client that accepts it");
    assert!(
        matches!(&out, saasquatch::PreviewThemeEmailResponse::Rendered(html) if html == "<p>hi</p>"),
        "{out:?}"
    );
}

#[tokio::test]
async fn a_partnerize_job_output_accepts_each_declared_form() {
    let server = negotiating("text/csv", "x\n").await;
    let client = partnerize::Client::builder()
        .base_url(server.uri())
        .basic_auth("app", "user")
        .no_retries()
        .build()
        .unwrap();
    client
        .download_job_output("j1", &partnerize::JobOutputFormat::Csv)
        .await
        .expect("CSV accepted");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        accepts(&requests),
        ["text/csv, application/octet-stream, application/json"]
    );
}

#[tokio::test]
async fn a_json_operation_still_accepts_json_only() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "data": [], "count": 0, "totalCount": 0
        })))
        .mount(&server)
        .await;
    let _ = saasquatch_client(&server)
        .list_exports(&saasquatch::ListExportsParams::new())
        .await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(accepts(&requests), ["application/json"]);
}
