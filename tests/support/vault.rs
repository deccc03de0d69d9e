//! A small hand-written client (`#[endpoint]` on a hand-declared struct) whose every credential,
//! header, query value and body field is a recognisable secret, shared by the security tests.

#![allow(dead_code)] // each test file uses its own part

use serde::Serialize;
use vendor_clients::{
    endpoint, ApiDescription, ClientBuilder, Core, Credential, Endpoints, Error, RetryPolicy,
    Secret, ServerSpec,
};

pub struct Vault;

impl ApiDescription for Vault {
    const NAME: &'static str = "Vault";
    const SERVERS: &'static [ServerSpec] = &[];
}

#[derive(Debug)]
pub struct VaultClient {
    pub core: Core,
}

impl Endpoints for VaultClient {
    fn core(&self) -> &Core {
        &self.core
    }
}

#[derive(Debug, Serialize)]
pub struct Event {
    pub password: Secret,
}

impl VaultClient {
    #[endpoint(GET "/items/{id}", operation_id = "getItem", ok(200 => empty))]
    pub async fn get_item(&self, id: &str) -> Result<(), Error>;

    #[endpoint(GET "/search", operation_id = "searchItems", auth(bearerAuth), query(q),
        headers(session = "X-Session-Key", note = "X-Note"), ok(200 => bytes))]
    pub async fn search(
        &self,
        q: &str,
        session: &Secret,
        note: Option<&str>,
    ) -> Result<bytes::Bytes, Error>;

    #[endpoint(PUT "/events", operation_id = "putEvent", auth("query-key"), body = event,
        ok(200 => empty))]
    pub async fn put_event(&self, event: &Event) -> Result<(), Error>;
}

pub fn client(b: ClientBuilder<Vault>) -> VaultClient {
    VaultClient {
        core: b.build_core().expect("valid configuration"),
    }
}

pub fn fast() -> RetryPolicy {
    RetryPolicy::default().with_backoff(
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(5),
    )
}

pub const SECRETS: [&str; 5] = [
    "BEARER-SECRET-1",
    "SESSION-SECRET-2",
    "QUERY-KEY-SECRET-3",
    "BODY-SECRET-4",
    "RESPONSE-SECRET-5",
];

pub fn secret_client(url: &str) -> VaultClient {
    client(
        ClientBuilder::new()
            .base_url(url)
            .retry(fast())
            .credential("bearerAuth", Credential::Bearer(Secret::new(SECRETS[0])))
            .credential(
                "query-key",
                Credential::ApiKeyQuery {
                    name: "key",
                    value: Secret::new(SECRETS[2]),
                },
            ),
    )
}

#[track_caller]
pub fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} leaks {secret}: {text}");
    }
}
