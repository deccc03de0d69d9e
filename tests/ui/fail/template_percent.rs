use vendor_clients::{endpoint, Core, Endpoints, Error};

struct Client(Core);

impl Endpoints for Client {
    fn core(&self) -> &Core {
        &self.0
    }
}

impl Client {
    #[endpoint(GET "/a/%2e%2e/b", ok(200 => empty))]
    async fn list(&self) -> Result<(), Error>;
}

fn main() {}
