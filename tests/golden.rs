//! Golden: the committed generated/ is exactly what the generator produces from specs/ now.
//!
//! When this fails, run `cargo run -p vendor-clients-codegen -- generate`, review the diff of
//! generated/, and commit it with the spec change.

use std::path::Path;

#[test]
fn generated_dir_matches_the_generator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = vendor_clients_codegen::find_specs(&root.join("specs")).expect("read specs/");
    assert!(!specs.is_empty(), "specs/ has no *.yaml files");
    let mut stale = Vec::new();
    for spec in &specs {
        let text = std::fs::read_to_string(&spec.path).expect("read spec");
        let name = format!(
            "specs/{}",
            spec.path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        let generated = vendor_clients_codegen::generate(&name, &text, &spec.module)
            .unwrap_or_else(|d| panic!("{name} does not generate:\n{d}"));
        let committed_path = root.join("generated").join(format!("{}.rs", spec.module));
        match std::fs::read_to_string(&committed_path) {
            Ok(committed) if committed == generated.code => {}
            Ok(committed) => {
                let line = committed
                    .lines()
                    .zip(generated.code.lines())
                    .position(|(a, b)| a != b)
                    .map(|i| i + 1)
                    .unwrap_or_else(|| {
                        committed
                            .lines()
                            .count()
                            .min(generated.code.lines().count())
                            + 1
                    });
                stale.push(format!(
                    "generated/{}.rs differs from {name} first at line {line}",
                    spec.module
                ));
            }
            Err(_) => stale.push(format!("generated/{}.rs is missing", spec.module)),
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrun `cargo run -p vendor-clients-codegen -- generate` and commit generated/",
        stale.join("\n")
    );
}

#[test]
fn every_generated_file_has_a_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = vendor_clients_codegen::find_specs(&root.join("specs")).expect("read specs/");
    for entry in std::fs::read_dir(root.join("generated")).expect("read generated/") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert!(
            specs.iter().any(|s| s.module == stem),
            "{} has no spec in specs/",
            path.display()
        );
    }
}

/// The library compiles what build.rs generates; this makes sure that is the committed code.
#[test]
fn build_script_output_is_the_committed_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = Path::new(env!("VENDOR_CLIENTS_OUT_DIR"));
    let enabled: &[&str] = &[
        #[cfg(feature = "dxfeed")]
        "dxfeed",
    ];
    for module in enabled {
        let built =
            std::fs::read_to_string(out_dir.join(format!("{module}.rs"))).expect("build.rs output");
        let committed =
            std::fs::read_to_string(root.join("generated").join(format!("{module}.rs")))
                .expect("generated copy");
        assert!(
            built == committed,
            "build.rs output for {module} differs from generated/{module}.rs"
        );
    }
}

/// Each spec in `folder` (of the repository) generates, read as written by `origin`, exactly
/// the committed `.rs` beside it; `regenerate` is the command that writes them, with `{file}`
/// and `{module}` for a spec's file and module names.
fn fixtures_match_the_generator(
    folder: &str,
    origin: vendor_clients_codegen::SpecOrigin,
    regenerate: &str,
) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let specs = vendor_clients_codegen::find_specs(&dir).expect("read the fixtures");
    for spec in &specs {
        let file = spec
            .path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        // As the generator names them when run from the repository.
        let name = format!("{folder}/{file}");
        let text = std::fs::read_to_string(&spec.path).expect("read spec");
        let generated = vendor_clients_codegen::generate_as(&name, &text, &spec.module, origin)
            .unwrap_or_else(|d| panic!("{name} does not generate:\n{d}"));
        let committed =
            std::fs::read_to_string(dir.join(format!("{}.rs", spec.module))).unwrap_or_default();
        assert!(
            committed == generated.code,
            "{folder}/{}.rs is stale: run `{}`",
            spec.module,
            regenerate
                .replace("{file}", file)
                .replace("{module}", &spec.module)
        );
    }
    specs.len()
}

/// The hostile specs of tests/fixtures/hostile (compiled into the library's unit tests) are
/// generated into the committed `.rs` beside each.
#[test]
fn hostile_fixtures_match_the_generator() {
    let n = fixtures_match_the_generator(
        "tests/fixtures/hostile",
        vendor_clients_codegen::SpecOrigin::Own,
        "cargo run -p vendor-clients-codegen -- generate --specs tests/fixtures/hostile --out tests/fixtures/hostile",
    );
    assert!(n >= 5, "{n} hostile specs");
}

/// The specs of tests/fixtures/hostile/published, read as someone else's, likewise.
#[test]
fn published_hostile_fixtures_match_the_generator() {
    let n = fixtures_match_the_generator(
        "tests/fixtures/hostile/published",
        vendor_clients_codegen::SpecOrigin::Published,
        "cargo run -p vendor-clients-codegen -- generate --spec tests/fixtures/hostile/published/{file} --out tests/fixtures/hostile/published/{module}.rs",
    );
    assert!(n >= 1, "{n} published hostile specs");
}
