use vendor_clients::{endpoint, Core, Endpoints, Error};

struct Client(Core);

impl Endpoints for Client {
    fn core(&self) -> &Core {
        &self.0
    }
}

impl Client {
    // A fixed query is fine (`/items?view=summary`); a parameter's value goes in `query(...)`.
    #[endpoint(GET "/items?view=summary&limit={limit}", ok(200 => empty))]
    async fn list(&self, limit: u32) -> Result<(), Error>;
}

fn main() {}
