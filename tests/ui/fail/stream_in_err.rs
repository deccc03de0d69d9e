use vendor_clients::{endpoint, ByteStream, Core, Endpoints, Error};

pub struct Client {
    core: Core,
}

impl Endpoints for Client {
    fn core(&self) -> &Core {
        &self.core
    }
}

impl Client {
    #[endpoint(GET "/download", ok(200 => stream), err(500 => stream))]
    async fn download(&self) -> Result<ByteStream, Error>;

    #[endpoint(GET "/other", ok(default => stream))]
    async fn other(&self) -> Result<ByteStream, Error>;
}

fn main() {}
