//! Generates the Bookshelf client from `openapi/bookshelf.yaml` into `$OUT_DIR/bookshelf.rs`.
//! A spec the generator refuses fails the build with located diagnostics.

fn main() {
    vendor_clients_codegen::Builder::new("openapi/bookshelf.yaml")
        .module("bookshelf")
        .build();
}
