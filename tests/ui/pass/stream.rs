//! `stream` bodies: returned as a `ByteStream` (alone or wrapped), next to read arms.

use vendor_clients::{
    endpoint, ApiDescription, ByteStream, ClientBuilder, Core, Endpoints, Error, ServerSpec,
};

struct Api;

impl ApiDescription for Api {
    const NAME: &'static str = "Stream";
    const SERVERS: &'static [ServerSpec] = &[ServerSpec {
        url: "https://example.invalid",
        description: "",
        variables: &[],
    }];
}

pub enum Download {
    Whole(ByteStream<String>),
    Part(ByteStream<String>),
    NotReady,
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
    #[endpoint(GET "/exports/{id}/download", auth(apiKey), ok(200 => stream), err(404 => text))]
    async fn download(&self, id: &str) -> Result<ByteStream<String>, Error<String>>;

    #[endpoint(GET "/files/{id}",
        ok(200 => stream as Download::Whole, 206 => stream as Download::Part,
           202 => empty as Download::NotReady))]
    async fn file(&self, id: &str) -> Result<Download, Error<String>>;
}

fn assert_send<T: Send>(_: &T) {}

fn main() {
    let core = ClientBuilder::<Api>::new().build_core();
    let Ok(core) = core else { return };
    let client = Client { core };
    assert_send(&client.download("1"));
    assert_send(&client.file("1"));
}
