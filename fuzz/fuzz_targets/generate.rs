//! Any text through load -> lower -> emit: the generator returns code or located diagnostics,
//! and never panics. Code it returns must be Rust that parses: the emitter falls back to a
//! `compile_error!` when it built invalid tokens, which means the spec should have been refused.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vendor_clients_codegen::{generate_as, SpecOrigin};

fuzz_target!(|data: &[u8]| {
    // Specs are read as UTF-8 text; invalid bytes become U+FFFD, as a lossy reader would see them.
    let text = String::from_utf8_lossy(data);
    // Both readings: our own specs (refused on a collision) and published ones (renamed, with
    // warnings, and OpenAPI 3.1 / Swagger 2.0 slips read leniently).
    for origin in [SpecOrigin::Own, SpecOrigin::Published] {
        match generate_as("specs/fuzz.yaml", &text, "fuzz", origin) {
            Ok(g) => {
                assert!(
                    !g.code
                        .contains("vendor-clients-codegen produced invalid Rust"),
                    "accepted a spec and emitted invalid Rust:\n{}",
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
