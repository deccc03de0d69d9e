//! Puts the client of each enabled vendor into `$OUT_DIR/<module>.rs`, where `src/lib.rs`
//! includes it.
//!
//! By default the client is the committed `generated/<module>.rs`, used as it is: an application
//! that depends on this crate does not compile the generator (syn, prettyplease, openapiv3, the
//! YAML parser, ...). Each generated file records the SHA-256 of the spec it was made from
//! (`// spec-sha256: ...` in its header); when `specs/<vendor>.yaml` no longer has that digest,
//! the build fails and says to regenerate, so that an edited spec is never silently ignored.
//!
//! With the `regenerate` feature (for work on the specs) the client is generated from the spec
//! here, as `cargo run -p vendor-clients-codegen -- generate` would, and a broken spec fails the
//! build with the generator's located diagnostics.
//!
//! Only the enabled specs and their generated files trigger a rerun (`rerun-if-changed`); with
//! `regenerate`, a change of the generator does too, since cargo reruns a build script when a
//! build-dependency changes. A no-op `cargo build` does not run it again.

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

    let specs = match enabled_specs(&specs_dir) {
        Ok(s) => s,
        Err(e) => fail(&format!("error: cannot read {}: {e}", specs_dir.display())),
    };
    for spec in &specs {
        println!("cargo:rerun-if-changed={}", spec.path.display());
    }
    if !vendors(&manifest, &out_dir, &specs) {
        fail("error: a vendor client could not be built (see above)");
    }
    if std::env::var_os("CARGO_FEATURE_CORPUS").is_some() {
        corpus_modules(&out_dir);
    }
}

/// A vendor spec whose cargo feature is on.
struct Spec {
    /// `specs/<file>`, relative to the package, as diagnostics name it.
    shown: String,
    path: PathBuf,
    /// The module (and generated file) name: the file stem with `-` as `_`.
    module: String,
}

/// The `specs/*.yaml` whose feature is enabled (feature `mention-me` is seen here as
/// `CARGO_FEATURE_MENTION_ME`, module `mention_me`), sorted by module.
fn enabled_specs(dir: &Path) -> std::io::Result<Vec<Spec>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let Some(file) = path.file_name().and_then(|s| s.to_str()) else {
            continue;
        };
        let module = file.trim_end_matches(".yaml").replace('-', "_");
        let feature = format!("CARGO_FEATURE_{}", module.to_ascii_uppercase());
        if std::env::var_os(feature).is_none() {
            continue;
        }
        out.push(Spec {
            shown: format!("specs/{file}"),
            path: path.clone(),
            module,
        });
    }
    out.sort_by(|a, b| a.module.cmp(&b.module));
    Ok(out)
}

/// Default: the committed generated/ files, checked against their specs' digests.
#[cfg(not(feature = "regenerate"))]
fn vendors(manifest: &Path, out_dir: &Path, specs: &[Spec]) -> bool {
    let mut ok = true;
    for spec in specs {
        let committed = manifest
            .join("generated")
            .join(format!("{}.rs", spec.module));
        println!("cargo:rerun-if-changed={}", committed.display());
        let shown_generated = format!("generated/{}.rs", spec.module);
        let regenerate = "run `cargo run -p vendor-clients-codegen -- generate` (or build with `--features regenerate`)";
        let code = match std::fs::read_to_string(&committed) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: cannot read {shown_generated}, the client of {}: {e}\n  help: {regenerate}", spec.shown);
                ok = false;
                continue;
            }
        };
        let text = match std::fs::read_to_string(&spec.path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", spec.shown);
                ok = false;
                continue;
            }
        };
        let recorded = code
            .lines()
            .take_while(|l| l.starts_with("//"))
            .find_map(|l| l.strip_prefix(SPEC_DIGEST_PREFIX));
        let actual = spec_digest(&text);
        if recorded != Some(actual.as_str()) {
            eprintln!(
                "error: {shown_generated} was not generated from the current {}{}\n  help: {regenerate}, then build again",
                spec.shown,
                match recorded {
                    Some(_) => " (the spec changed since)",
                    None => " (it records no spec digest)",
                }
            );
            ok = false;
            continue;
        }
        let target = out_dir.join(format!("{}.rs", spec.module));
        if let Err(e) = write_if_changed(&target, &code) {
            eprintln!("error: cannot write {}: {e}", target.display());
            ok = false;
        }
    }
    ok
}

/// The header line of a generated file that records its spec's digest (the same as
/// `vendor_clients_codegen::SPEC_DIGEST_PREFIX`, which this script cannot use without compiling
/// the generator).
#[cfg(not(feature = "regenerate"))]
const SPEC_DIGEST_PREFIX: &str = "// spec-sha256: ";

/// SHA-256 of the spec, lowercase hex, `\r\n` read as `\n`: as
/// `vendor_clients_codegen::spec_digest` computes it.
#[cfg(not(feature = "regenerate"))]
fn spec_digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Feature `regenerate`: the clients generated from the specs, now.
#[cfg(feature = "regenerate")]
fn vendors(_manifest: &Path, out_dir: &Path, specs: &[Spec]) -> bool {
    let files: Vec<vendor_clients_codegen::SpecFile> = specs
        .iter()
        .map(|s| vendor_clients_codegen::SpecFile {
            module: s.module.clone(),
            path: s.path.clone(),
        })
        .collect();
    let mut ok = true;
    for (spec, (result, _)) in specs
        .iter()
        .zip(vendor_clients_codegen::generate_files(&files))
    {
        match result {
            Ok(g) => {
                let target = out_dir.join(format!("{}.rs", spec.module));
                if let Err(e) = write_if_changed(&target, &g.code) {
                    eprintln!("error: cannot write {}: {e}", target.display());
                    ok = false;
                }
            }
            Err(diagnostics) => {
                eprint!("{diagnostics}");
                eprintln!(
                    "error: {} is invalid (see above); fix it and build again",
                    spec.shown
                );
                ok = false;
            }
        }
    }
    ok
}

/// Writes `code` unless `path` holds it already (so that rustc does not see a change).
fn write_if_changed(path: &Path, code: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == code) {
        return Ok(());
    }
    std::fs::write(path, code)
}

/// Feature `corpus` (used by `vendor-clients-codegen check-corpus`): every `<name>.rs` in
/// `$VENDOR_CLIENTS_CORPUS_DIR` becomes `vendor_clients::corpus::<name>`, compiled inside this
/// crate exactly as a vendor module is.
fn corpus_modules(out_dir: &Path) {
    println!("cargo:rerun-if-env-changed=VENDOR_CLIENTS_CORPUS_DIR");
    let mut modules = String::new();
    if let Some(dir) = std::env::var_os("VENDOR_CLIENTS_CORPUS_DIR") {
        let dir = PathBuf::from(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("rs"))
                .collect(),
            Err(e) => fail(&format!("error: cannot read {}: {e}", dir.display())),
        };
        files.sort();
        for file in files {
            let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            println!("cargo:rerun-if-changed={}", file.display());
            modules.push_str(&format!(
                "/// Generated by check-corpus.\npub mod {stem} {{\n    include!({:?});\n}}\n",
                file.display().to_string()
            ));
        }
    }
    let target = out_dir.join("corpus.rs");
    if let Err(e) = std::fs::write(&target, modules) {
        fail(&format!("error: cannot write {}: {e}", target.display()));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1)
}
