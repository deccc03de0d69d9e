//! Any bytes through read -> load -> lower -> emit, in both readings (our own specs, refused on
//! a collision; published ones, renamed with warnings and OpenAPI 3.1 / Swagger 2.0 slips read
//! leniently): the generator returns code or located diagnostics, and never panics. Code it
//! returns must be Rust that parses (the emitter falls back to a `compile_error!` when it built
//! invalid tokens, which means the spec should have been refused), and holds no raw control
//! character (spec text reaches it escaped).

#![no_main]

use libfuzzer_sys::fuzz_target;
use vendor_clients_codegen::{generate_as, SpecOrigin};

fuzz_target!(|data: &[u8]| {
    // Bytes as the CLI reads a file: UTF-8 or UTF-16, a byte-order mark dropped; what does not
    // decode is refused with its position (rendered, like any diagnostic).
    let text = match vendor_clients_codegen::decode_spec(data) {
        Ok(text) => text,
        Err(e) => {
            assert!(!e.render("specs/fuzz.yaml", data).is_empty());
            return;
        }
    };
    for origin in [SpecOrigin::Own, SpecOrigin::Published] {
        match generate_as("specs/fuzz.yaml", &text, "fuzz", origin) {
            Ok(g) => {
                assert!(
                    !g.code.contains("vendor-clients-codegen produced invalid Rust"),
                    "accepted a spec and emitted invalid Rust:\n{}",
                    g.code
                );
                assert!(
                    !g.code.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                    "raw control character in the emitted code:\n{}",
                    g.code
                );
                for w in &g.warnings {
                    assert!(w.to_string().starts_with("warning: "));
                }
            }
            Err(d) => {
                // Rendering is part of what the CLI does with a broken spec.
                let text = d.to_string();
                assert!(!text.is_empty());
            }
        }
    }
});
