use vendor_clients::{endpoint, Core, Endpoints, Error};

struct C {
    core: Core,
}

impl Endpoints for C {
    fn core(&self) -> &Core {
        &self.core
    }
}

impl C {
    #[endpoint(GET "/items", ok(200 "text csv" => text))]
    async fn items(&self) -> Result<String, Error>;
}

fn main() {}
