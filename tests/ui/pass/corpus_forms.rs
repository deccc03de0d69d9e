//! The `#[endpoint]` forms generated clients of published specs use: form, text and binary
//! bodies, cookies, status ranges. Compiled (not sent).

use serde::{Deserialize, Serialize};
use vendor_clients::{endpoint, ApiDescription, ClientBuilder, Core, Endpoints, Error, ServerSpec};

struct Api;

impl ApiDescription for Api {
    const NAME: &'static str = "Pass";
    const SERVERS: &'static [ServerSpec] = &[ServerSpec {
        url: "https://example.invalid",
        description: "",
        variables: &[],
    }];
}

#[derive(Debug, Serialize)]
pub struct Form {
    pub grant_type: String,
}

#[derive(Debug, Deserialize)]
pub struct Problem {
    pub message: String,
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
    #[endpoint(POST "/token", body(form) = form, ok(2XX => text), err(4XX | 5XX => json(Problem)))]
    pub async fn token(&self, form: &Form) -> Result<String, Error<Problem>>;

    #[endpoint(PUT "/name", body(text) = name, ok(204 => empty), err(404 => empty, 4xx => json(Problem)))]
    pub async fn name(&self, name: &str) -> Result<(), Error<Problem>>;

    #[endpoint(POST "/chunk", query(x), body(bytes) = chunk, ok(200 => empty))]
    pub async fn chunk(&self, chunk: &[u8], x: u8) -> Result<(), Error<Problem>>;

    #[endpoint(POST "/json", body(json) = item, cookies(session = "sid"), ok(303 => bytes, 2XX => bytes))]
    pub async fn json(&self, item: &Form, session: Option<&str>) -> Result<bytes::Bytes, Error<Problem>>;
}

fn main() {
    let Ok(core) = ClientBuilder::<Api>::new().build_core() else { return };
    let client = Client { core };
    let form = Form { grant_type: "x".into() };
    let _ = (client.token(&form), client.name("n"), client.chunk(&[1], 0));
    let _ = client.json(&form, Some("s"));
}
