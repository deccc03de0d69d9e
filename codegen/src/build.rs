//! Generating a client from a build script: [`Builder`].
//!
//! ```no_run
//! // build.rs of a crate that depends on `vendor-clients` (and, as a build-dependency, on
//! // `vendor-clients-codegen` with `default-features = false`), in its `fn main`:
//! vendor_clients_codegen::Builder::new("openapi/petstore.yaml")
//!     .module("petstore")
//!     .build();
//! ```
//!
//! and in the crate:
//!
//! ```ignore
//! pub mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Diagnostics, Generated, SpecOrigin};

/// Generates the client of one OpenAPI spec (`.yaml`, `.yml` or `.json`) into `$OUT_DIR`, from a
/// build script.
///
/// [`Builder::build`] is the usual entry point: it prints `cargo:rerun-if-changed` for the spec,
/// writes `<module>.rs`, and on a spec the generator refuses, shows each diagnostic as a
/// `cargo:warning` line (file:line:column and message) and the full located rendering on
/// stderr, then ends the build script with status 1 so that the build fails.
/// [`Builder::generate`] does the same work but returns the error instead of exiting.
///
/// The generated file is a module body: include it inside a `mod` (see the
/// [module docs](crate::build)). Every path in it goes through `::vendor_clients::`, so the crate
/// needs `vendor-clients` as a dependency (with `default-features = false` when it uses none
/// of the bundled vendors) and nothing else.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    module: Option<String>,
    out_dir: Option<PathBuf>,
    cargo_output: bool,
    origin: SpecOrigin,
}

impl Builder {
    /// A builder for the spec at `spec`; a relative path is relative to the package's directory
    /// (where cargo runs build scripts), and is how diagnostics name the file.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Builder {
            spec: spec.into(),
            module: None,
            out_dir: None,
            cargo_output: true,
            origin: SpecOrigin::Published,
        }
    }

    /// Who wrote the spec. [`SpecOrigin::Published`] (the default, for a spec written by someone
    /// else): names that collide are renamed and defects that do not stop a client are read
    /// leniently, each reported as a `cargo:warning`. [`SpecOrigin::Own`]: such spots are errors,
    /// as they are for this repository's specs, so a typo fails the build.
    pub fn origin(mut self, origin: SpecOrigin) -> Self {
        self.origin = origin;
        self
    }

    /// The module name, which is also the name of the file written (`<module>.rs`) and the
    /// API's name in error messages. Default: the spec's file stem in snake_case
    /// (`pet-store.yaml` gives `pet_store`).
    pub fn module(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// Writes to this directory instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Whether to print the `cargo:` instructions (`rerun-if-changed`, `warning`): on by
    /// default; turn it off when calling [`Builder::generate`] outside a build script.
    pub fn cargo_output(mut self, on: bool) -> Self {
        self.cargo_output = on;
        self
    }

    /// Generates and writes the client, returning the path written. The file is only rewritten
    /// when its content changes. On error nothing is written and, with cargo output on, each
    /// diagnostic is printed as a `cargo:warning` line.
    pub fn generate(&self) -> Result<PathBuf, BuildError> {
        if self.cargo_output {
            println!("cargo:rerun-if-changed={}", self.spec.display());
        }
        let result = self.generate_quietly();
        if self.cargo_output {
            if let Err(BuildError::Spec(diagnostics)) = &result {
                for d in diagnostics.iter() {
                    println!(
                        "cargo:warning=error: {}:{}:{}: {}",
                        d.file,
                        d.line,
                        d.column,
                        one_line(&d.message)
                    );
                }
            } else if let Err(e) = &result {
                println!("cargo:warning=error: {}", one_line(&e.to_string()));
            }
        }
        result
    }

    /// For `fn main` of a build script: [`Builder::generate`], and on error the full
    /// diagnostics on stderr and exit status 1 (cargo then fails the build and shows them).
    pub fn build(&self) {
        if let Err(e) = self.generate() {
            eprintln!("{e}");
            eprintln!(
                "error: vendor-clients-codegen could not generate a client from {}",
                self.spec.display()
            );
            std::process::exit(1);
        }
    }

    fn generate_quietly(&self) -> Result<PathBuf, BuildError> {
        let module = match &self.module {
            Some(m) => m.clone(),
            None => self
                .spec
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(crate::module_name)
                .ok_or_else(|| BuildError::Module(self.spec.display().to_string()))?,
        };
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let generated = generate_file(&self.spec, &module, self.origin)?;
        if self.cargo_output {
            for w in &generated.warnings {
                println!(
                    "cargo:warning={}:{}:{}: {}",
                    w.file,
                    w.line,
                    w.column,
                    one_line(&w.message)
                );
            }
        }
        let target = out_dir.join(format!("{module}.rs"));
        write_if_changed(&target, &generated.code).map_err(|e| BuildError::Io {
            path: target.clone(),
            error: e,
        })?;
        Ok(target)
    }
}

/// Reads and generates one spec file (`.yaml`, `.yml` or `.json`, UTF-8 or UTF-16) as module
/// `module` (a snake_case identifier), read as written by `origin` (see [`SpecOrigin`]); the
/// diagnostics name the file by `path` as given. Warnings are in [`Generated::warnings`].
pub fn generate_file(
    path: &Path,
    module: &str,
    origin: SpecOrigin,
) -> Result<Generated, BuildError> {
    if crate::names::snake(module).as_deref() != Some(module) {
        return Err(BuildError::Module(module.to_string()));
    }
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| BuildError::Io {
        path: path.to_path_buf(),
        error: e,
    })?;
    let text =
        crate::decode_spec(&bytes).map_err(|e| BuildError::Read(e.render(&shown, &bytes)))?;
    crate::generate_as(&shown, &text, module, origin).map_err(BuildError::Spec)
}

/// Writes `code` to `path` unless it already holds exactly that (so that cargo does not see a
/// change, and an editor's open file is not touched).
pub(crate) fn write_if_changed(path: &Path, code: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == code) {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, code)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why [`Builder::generate`] wrote no client.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The spec has problems the generator cannot turn into a client, each located.
    Spec(Diagnostics),
    /// The spec could not be read, or the output could not be written.
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        error: std::io::Error,
    },
    /// The module name (given, or derived from the spec's file name) is not a snake_case Rust
    /// identifier.
    Module(String),
    /// The spec is not text the generator reads (not UTF-8 or UTF-16): what and where, as shown.
    Read(String),
    /// No output directory: `OUT_DIR` is not set (not running as a build script) and
    /// [`Builder::out_dir`] was not called.
    NoOutDir,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Spec(d) => write!(f, "{d}"),
            BuildError::Io { path, error } => write!(f, "error: {}: {error}", path.display()),
            BuildError::Module(m) => write!(
                f,
                "error: `{m}` is not a usable module name: give a snake_case Rust identifier with `.module(..)`"
            ),
            BuildError::Read(shown) => f.write_str(shown.trim_end()),
            BuildError::NoOutDir => f.write_str(
                "error: OUT_DIR is not set: call Builder::build from a build script, or set Builder::out_dir",
            ),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {name: {type: string}}}\n";

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vc-builder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    }

    #[test]
    fn writes_module_named_after_the_spec_and_only_rewrites_on_change() {
        let dir = scratch("ok");
        let spec = dir.join("pet-store.json");
        // JSON is accepted as well as YAML.
        let json = serde_json::to_string(&crate::load::to_json(SPEC).expect("yaml")).expect("json");
        std::fs::write(&spec, json).expect("write spec");
        let b = Builder::new(&spec).out_dir(&dir).cargo_output(false);
        let path = b.generate().expect("generates");
        assert_eq!(path, dir.join("pet_store.rs"));
        let code = std::fs::read_to_string(&path).expect("written");
        assert!(code.contains("pub async fn get_pet"), "{code}");
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        std::thread::sleep(std::time::Duration::from_millis(20));
        b.generate().expect("again");
        assert_eq!(
            std::fs::metadata(&path).and_then(|m| m.modified()).ok(),
            modified
        );
        let named = Builder::new(&spec)
            .module("pets")
            .out_dir(&dir)
            .cargo_output(false);
        assert_eq!(named.generate().expect("named"), dir.join("pets.rs"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_broken_spec_is_an_error_with_located_diagnostics_and_writes_nothing() {
        let dir = scratch("broken");
        let spec = dir.join("pets.yaml");
        std::fs::write(
            &spec,
            SPEC.replace("type: string}}}", "$ref: '#/nowhere'}}}"),
        )
        .expect("write spec");
        let err = Builder::new(&spec)
            .out_dir(&dir)
            .cargo_output(false)
            .generate()
            .expect_err("refused");
        let BuildError::Spec(d) = &err else {
            panic!("not a spec error: {err}")
        };
        assert!(d
            .iter()
            .all(|d| d.file.ends_with("pets.yaml") && d.line > 0));
        assert!(err.to_string().contains("#/nowhere"), "{err}");
        assert!(!dir.join("pets.rs").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_module_names_missing_files_and_no_out_dir_are_errors() {
        let dir = scratch("misc");
        let b = |m: &str| Builder::new(dir.join("x.yaml")).module(m).out_dir(&dir);
        assert!(matches!(
            b("Not A Module").cargo_output(false).generate(),
            Err(BuildError::Module(_))
        ));
        let missing = b("x").cargo_output(false).generate();
        assert!(matches!(&missing, Err(BuildError::Io { path, .. }) if path.ends_with("x.yaml")));
        if std::env::var_os("OUT_DIR").is_none() {
            assert!(matches!(
                Builder::new(dir.join("x.yaml"))
                    .cargo_output(false)
                    .generate(),
                Err(BuildError::NoOutDir)
            ));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
