use vendor_clients::{endpoint, Core, Endpoints, Error};

struct C {
    core: Core,
}

impl Endpoints for C {
    fn core(&self) -> &Core {
        &self.core
    }
}

#[derive(serde::Serialize)]
struct Login {
    user: String,
}

impl C {
    #[endpoint(POST "/login", body(form) = login, content_type = "application/json", ok(204 => empty))]
    async fn login(&self, login: &Login) -> Result<(), Error>;
}

fn main() {}
