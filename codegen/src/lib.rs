//! The vendor-clients generator: OpenAPI 3.0 YAML in, typed async Rust client code out.
//!
//! Data flows one way, and each stage can be used and tested alone:
//!
//! ```text
//! spec text --load--> openapiv3::OpenAPI --lower--> model::Api --emit--> Rust source
//! ```
//!
//! - [`load`]: YAML to the OpenAPI document model, with located errors.
//! - [`lower`]: resolves references and names; rejects what cannot be generated.
//! - [`emit`]: model to formatted Rust.
//!
//! Every problem in a spec is a [`Diagnostic`] with file, line, column, JSON pointer and the
//! source lines around it. Nothing that comes from a spec can make the generator panic.

#![warn(missing_docs)]

pub mod corpus;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
pub mod source;

use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Diagnostics};
pub use source::SourceFile;

/// The result of generating one vendor.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// Vendor module name.
    pub module: String,
    /// The formatted Rust source.
    pub code: String,
    /// Number of operations.
    pub operations: usize,
    /// Number of named types.
    pub types: usize,
}

/// Generates the client for one spec. `name` is how the file is named in diagnostics and in the
/// generated header (e.g. `specs/dxfeed.yaml`); `module` is the vendor's module name.
pub fn generate(name: &str, text: &str, module: &str) -> Result<Generated, Diagnostics> {
    let src = SourceFile::new(name, text);
    let doc = load::load(&src)?;
    let api = lower::lower(&src, &doc, module)?;
    let code = emit::try_emit(&api, emit::default_threads()).map_err(|e| {
        Diagnostics::from(src.error("#", format!("internal error: {e}")).with_help(
            "this is a bug in the generator, not in the spec: please report it with the spec",
        ))
    })?;
    Ok(Generated {
        module: module.to_string(),
        code,
        operations: api.operations.len(),
        types: api.types.len(),
    })
}

/// A vendor spec found in a specs directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    /// Module name (the file stem, snake_case): `mention-me.yaml` is `mention_me`.
    pub module: String,
    /// Path of the YAML file.
    pub path: PathBuf,
}

/// The module name for a spec file stem: `mention-me` becomes `mention_me`.
pub fn module_name(stem: &str) -> Option<String> {
    names::snake(stem)
}

/// The `*.yaml` specs in `dir`, sorted by module name.
pub fn find_specs(dir: &Path) -> std::io::Result<Vec<SpecFile>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let Some(module) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(module_name)
        else {
            continue;
        };
        out.push(SpecFile { module, path });
    }
    out.sort_by(|a, b| a.module.cmp(&b.module));
    Ok(out)
}
