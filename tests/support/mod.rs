//! Shared test support: the documented examples of a spec, so integration tests serve and send
//! exactly what the vendor documents.

#![allow(dead_code)]

use serde_json::Value;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts a mock that expects exactly one `verb p` request carrying the `Authorization` value
/// `auth` (and, with `body`, that JSON body sent as `application/json`), and answers `status`
/// with `answer` as JSON (or no body).
pub async fn expect_once(
    server: &MockServer,
    auth: &str,
    verb: &str,
    p: &str,
    body: Option<Value>,
    status: u16,
    answer: Option<Value>,
) {
    let mut m = Mock::given(method(verb))
        .and(path(p))
        .and(header("authorization", auth));
    if let Some(b) = body {
        m = m
            .and(body_json(b))
            .and(header("content-type", "application/json"));
    }
    let mut t = ResponseTemplate::new(status);
    if let Some(a) = answer {
        t = t.set_body_json(a);
    }
    m.respond_with(t).expect(1).mount(server).await;
}

/// The status and decoded vendor body of an `Error::Api`; panics on any other error, or when
/// the body was not decoded.
pub fn api_body<E: std::fmt::Debug>(e: vendor_clients::Error<E>) -> (u16, E) {
    match e {
        vendor_clients::Error::Api(api) => (
            api.status,
            api.body
                .unwrap_or_else(|| panic!("undecoded error body; snippet: {}", api.snippet)),
        ),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// A vendor spec, parsed as JSON values.
pub struct Spec {
    doc: Value,
}

impl Spec {
    /// Loads `specs/<file>`.
    pub fn load(file: &str) -> Spec {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("specs")
            .join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let doc: Value = vendor_clients_codegen::load::to_json(&text)
            .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
        Spec { doc }
    }

    fn operation(&self, operation_id: &str) -> &Value {
        let paths = self.doc["paths"].as_object().expect("paths");
        for item in paths.values() {
            for op in item.as_object().into_iter().flat_map(|o| o.values()) {
                if op.get("operationId").and_then(Value::as_str) == Some(operation_id) {
                    return op;
                }
            }
        }
        panic!("no operation {operation_id} in the spec")
    }

    fn deref<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.trim_start_matches('#');
                self.doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling $ref {r}"))
            }
            None => v,
        }
    }

    fn media_example(media: &Value, name: Option<&str>) -> Value {
        let json = &media["content"]["application/json"];
        match name {
            None => json
                .get("example")
                .cloned()
                .unwrap_or_else(|| panic!("no single `example` in {json}")),
            Some(n) => json["examples"][n]["value"].clone(),
        }
        .clone()
    }

    /// The response example of `operation_id` for `status`: the single `example`, or the
    /// named one of `examples`.
    pub fn response(&self, operation_id: &str, status: u16, name: Option<&str>) -> Value {
        let op = self.operation(operation_id);
        let resp = self.deref(&op["responses"][status.to_string()]);
        let v = Self::media_example(resp, name);
        assert!(
            !v.is_null(),
            "no example {name:?} for {operation_id} {status}"
        );
        v
    }

    /// The request body example of `operation_id`.
    pub fn request(&self, operation_id: &str, name: Option<&str>) -> Value {
        let op = self.operation(operation_id);
        let body = self.deref(&op["requestBody"]);
        let v = Self::media_example(body, name);
        assert!(
            !v.is_null(),
            "no request example {name:?} for {operation_id}"
        );
        v
    }

    /// Names of the named examples of a response.
    pub fn response_example_names(&self, operation_id: &str, status: u16) -> Vec<String> {
        let op = self.operation(operation_id);
        let resp = self.deref(&op["responses"][status.to_string()]);
        Self::names(resp)
    }

    /// Names of the named examples of a request body.
    pub fn request_example_names(&self, operation_id: &str) -> Vec<String> {
        let op = self.operation(operation_id);
        Self::names(self.deref(&op["requestBody"]))
    }

    fn names(media: &Value) -> Vec<String> {
        media["content"]["application/json"]["examples"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }
}

impl Spec {
    /// The single `example` of a non-JSON response (e.g. `text/html`) of `operation_id`.
    pub fn response_of_type(&self, operation_id: &str, status: u16, content_type: &str) -> Value {
        let op = self.operation(operation_id);
        let resp = self.deref(&op["responses"][status.to_string()]);
        let v = resp["content"][content_type]["example"].clone();
        assert!(
            !v.is_null(),
            "no {content_type} example for {operation_id} {status}"
        );
        v
    }
}

impl Spec {
    /// The single JSON `example` of the response of `operation_id` under the key `status` as the
    /// spec writes it (`"2XX"`, `"default"`, or a code).
    pub fn response_at(&self, operation_id: &str, status: &str) -> Value {
        let op = self.operation(operation_id);
        let resp = self.deref(&op["responses"][status]);
        let v = Self::media_example(resp, None);
        assert!(!v.is_null(), "no example for {operation_id} {status}");
        v
    }
}
