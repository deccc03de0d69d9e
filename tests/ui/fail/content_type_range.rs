use vendor_clients::{endpoint, Core, Endpoints, Error, Upload};

struct C {
    core: Core,
}

impl Endpoints for C {
    fn core(&self) -> &Core {
        &self.core
    }
}

impl C {
    // One media type is sent; a range is for the caller to narrow (`Upload::content_type`).
    #[endpoint(POST "/images", body(upload) = image, content_type = "image/*", ok(201 => empty))]
    async fn add_image(&self, image: impl Into<Upload>) -> Result<(), Error>;
}

fn main() {}
