//! The generated Bookshelf client, from a crate outside vendor-clients, against a local server
//! (wiremock on 127.0.0.1).

use own_spec::add_unless_present;
use own_spec::bookshelf::{Client, ListBooksParams, Problem, ReadingStatus};
use vendor_clients::serde_json::json;
use vendor_clients::Endpoints as _;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_auth("shelf-token")
        .no_retries()
        .build()
        .expect("client")
}

fn book(id: &str, title: &str) -> vendor_clients::serde_json::Value {
    json!({"id": id, "title": title, "author": "Ursula K. Le Guin", "status": "reading", "addedOn": "2026-11-30"})
}

#[tokio::test]
async fn get_book_sends_the_token_and_decodes_the_typed_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/books/b%201"))
        .and(header("authorization", "Bearer shelf-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(book("b 1", "The Dispossessed")))
        .expect(1)
        .mount(&server)
        .await;
    let got = client(&server).get_book("b 1").await.expect("book");
    assert_eq!(got.id, "b 1");
    assert_eq!(got.title, "The Dispossessed");
    assert_eq!(got.status, ReadingStatus::Reading);
    assert_eq!(got.added_on.to_string(), "2026-11-30");
}

#[tokio::test]
async fn an_error_status_carries_the_specs_problem_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/books/nope"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"code": "not_found", "message": "no book nope"})),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .remove_book("nope")
        .await
        .expect_err("404 is an error");
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.api_body(),
        Some(&Problem {
            code: "not_found".into(),
            message: "no book nope".into()
        })
    );
}

#[tokio::test]
async fn query_parameters_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/books"))
        .and(query_param("status", "finished"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let params = ListBooksParams::new()
        .status(ReadingStatus::Finished)
        .limit(2);
    assert!(client(&server)
        .list_books(&params)
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn application_code_adds_a_missing_book_and_leaves_a_present_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/books"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([book("b1", "Lathe of Heaven")])),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/books"))
        .and(body_json(
            json!({"title": "Tehanu", "author": "Ursula K. Le Guin", "status": "unread"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(book("b2", "Tehanu")))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let present = add_unless_present(&c, "Lathe of Heaven", "Ursula K. Le Guin")
        .await
        .expect("present");
    assert_eq!(present.id, "b1");
    let added = add_unless_present(&c, "Tehanu", "Ursula K. Le Guin")
        .await
        .expect("added");
    assert_eq!(added.id, "b2");
}

#[test]
fn the_server_variable_has_its_own_setter() {
    let c = Client::builder()
        .host("shelf.internal:8443")
        .bearer_auth("t")
        .build()
        .expect("client");
    assert_eq!(
        c.core().base_url().as_str(),
        "https://shelf.internal:8443/v1"
    );
}
