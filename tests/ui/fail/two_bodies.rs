use vendor_clients::{endpoint, Core, Endpoints, Error};

struct Client(Core);

impl Endpoints for Client {
    fn core(&self) -> &Core {
        &self.0
    }
}

impl Client {
    #[endpoint(POST "/items", body = a, body = b, ok(200 => empty))]
    async fn create(&self, a: &str, b: &str) -> Result<(), Error>;
}

fn main() {}
