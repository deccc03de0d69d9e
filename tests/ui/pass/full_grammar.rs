//! Every form of the `#[endpoint]` grammar, compiled (not sent).

use serde::{Deserialize, Serialize};
use vendor_clients::{
    endpoint, ApiDescription, ClientBuilder, Core, Endpoints, Error, ServerSpec, Verdict,
};

struct Api;

impl ApiDescription for Api {
    const NAME: &'static str = "Pass";
    const SERVERS: &'static [ServerSpec] = &[ServerSpec {
        url: "https://example.invalid",
        description: "",
        variables: &[],
    }];
}

#[derive(Debug, Deserialize)]
pub struct Item {
    pub id: String,
}

#[derive(Debug, Serialize)]
pub struct NewItem {
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct Failure {
    pub reason: String,
}

#[derive(Debug, Deserialize)]
pub struct Conflict {
    pub existing: String,
}

/// An error body type that several schemas convert into.
#[derive(Debug)]
pub enum Problem {
    Failure(Failure),
    Conflict(Conflict),
    Gone,
    Text(String),
}

impl From<Failure> for Problem {
    fn from(f: Failure) -> Self {
        Problem::Failure(f)
    }
}

#[derive(Debug, Deserialize)]
pub struct Reply {
    pub status: String,
    pub token: Option<String>,
}

impl Verdict for Reply {
    type Accepted = String;
    type Rejected = Failure;
    fn verdict(self) -> Result<String, Failure> {
        self.token.ok_or(Failure {
            reason: self.status,
        })
    }
}

pub enum Outcome {
    Created(Item),
    Accepted,
    Token(String),
}

pub struct Client {
    core: Core,
}

impl Endpoints for Client {
    fn core(&self) -> &Core {
        &self.core
    }
}

impl Client {
    /// Docs are kept.
    #[endpoint(GET "/items/{id}/parts/{part}", ok(200 => json(Item)))]
    pub async fn get(&self, id: &str, part: u32) -> Result<Item, Error>;

    #[endpoint(POST "/accounts/{account_id}/items",
        operation_id = "createItemV1",
        auth(bearerAuth, "api-key"),
        query(limit, offset = "page[offset]", tags, r#type),
        headers(app_host = "X-App-Hostname", trace = "X-Trace"),
        body = request,
        ok(201 => json(Item) as Outcome::Created, 202 => empty as Outcome::Accepted,
           200 => json(Reply) verdict as Outcome::Token),
        err(400 | 401 | 404 => json(Failure),
            409 => json(Conflict) as Problem::Conflict,
            410 => empty as Problem::Gone,
            418 => text as Problem::Text,
            default => json(Failure)),
    )]
    pub async fn create(
        &self,
        account_id: &str,
        limit: Option<u32>,
        offset: u64,
        tags: &[String],
        r#type: Option<&str>,
        app_host: &str,
        trace: Option<String>,
        request: &NewItem,
    ) -> Result<Outcome, Error<Problem>>;

    #[endpoint(DELETE "/items/{id}", ok(204 | 200 => empty))]
    pub(crate) async fn delete(&self, id: i64) -> Result<(), Error<Failure>>;

    #[endpoint(GET "/export.csv", ok(200 => text), err(500 => text))]
    async fn export(&self) -> Result<String, Error<String>>;

    #[endpoint(HEAD "/blob", ok(200 => bytes), err(default => bytes))]
    async fn blob(&self) -> Result<bytes::Bytes, Error<bytes::Bytes>>;

    #[endpoint(PUT "/a", ok(200 => empty))]
    async fn put(&self) -> Result<(), Error>;

    #[endpoint(PATCH "/a", ok(200 => empty))]
    async fn patch(&self) -> Result<(), Error>;

    #[endpoint(OPTIONS "/a", ok(200 => empty))]
    async fn options(&self) -> Result<(), Error>;

    #[endpoint(TRACE "/a", ok(default => empty),)]
    async fn trace(&self) -> Result<(), Error>;

    /// A POST the spec marks idempotent (may be retried).
    #[endpoint(POST "/orders/{key}", idempotent, body = order, ok(200 => empty))]
    async fn put_order(&self, key: &str, order: &NewItem) -> Result<(), Error>;

    /// A GET with side effects: never retried.
    #[endpoint(GET "/side-effect", idempotent = false, ok(200 => empty))]
    async fn side_effect(&self) -> Result<(), Error>;

    #[endpoint(PATCH "/b", idempotent = true, ok(200 => empty))]
    async fn patch_idempotent(&self) -> Result<(), Error>;
}

fn assert_send<T: Send>(_: &T) {}

fn main() {
    let core = ClientBuilder::<Api>::new().build_core();
    let Ok(core) = core else { return };
    let client = Client { core };
    // The futures are Send (usable from multi-threaded runtimes); not polled.
    assert_send(&client.get("1", 2));
    assert_send(&client.delete(3));
    assert_send(&client.create(
        "a",
        None,
        0,
        &[],
        None,
        "h",
        None,
        &NewItem { name: "n".into() },
    ));
    let _ = (client.export(), client.blob(), client.put(), client.patch());
    let _ = (client.options(), client.trace());
    let order = NewItem { name: "n".into() };
    assert_send(&client.put_order("k", &order));
    let _ = (client.side_effect(), client.patch_idempotent());
}
