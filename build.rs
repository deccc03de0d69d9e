//! Generates the client of each enabled vendor from `specs/<vendor>.yaml` into `$OUT_DIR`.
//!
//! The output depends only on the enabled specs and on the generator, so those are all that
//! trigger a rerun: the spec files through `rerun-if-changed`, the generator because cargo
//! rebuilds (and reruns) this script whenever a build-dependency changes. A no-op `cargo build`
//! does not run it again.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let specs_dir = manifest.join("specs");
    println!("cargo:rerun-if-changed=build.rs");
    // Lets the golden test compare what was compiled with the committed copy.
    println!(
        "cargo:rustc-env=VENDOR_CLIENTS_OUT_DIR={}",
        out_dir.display()
    );

    let specs = match vendor_clients_codegen::find_specs(&specs_dir) {
        Ok(s) => s,
        Err(e) => fail(&format!("error: cannot read {}: {e}", specs_dir.display())),
    };
    let mut failed = false;
    for spec in specs {
        // Feature `mention-me` is seen here as CARGO_FEATURE_MENTION_ME, module `mention_me`.
        let feature_var = format!("CARGO_FEATURE_{}", spec.module.to_ascii_uppercase());
        if std::env::var_os(&feature_var).is_none() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", spec.path.display());
        if !generate(&spec.path, &spec.module, &out_dir) {
            failed = true;
        }
    }
    if failed {
        fail("error: a spec in specs/ is invalid (see above); fix it and build again");
    }
}

fn generate(path: &Path, module: &str, out_dir: &Path) -> bool {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return false;
        }
    };
    let name = format!(
        "specs/{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("spec.yaml")
    );
    match vendor_clients_codegen::generate(&name, &text, module) {
        Ok(g) => {
            let target = out_dir.join(format!("{module}.rs"));
            if let Err(e) = std::fs::write(&target, g.code) {
                eprintln!("error: cannot write {}: {e}", target.display());
                return false;
            }
            true
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            false
        }
    }
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1)
}
