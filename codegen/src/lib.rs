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
//! To generate a client for your own spec from a build script, use [`Builder`] (add this
//! crate as a build-dependency with `default-features = false`, which leaves out the
//! command-line interface and its `clap` dependency).
//!
//! Every problem in a spec is a [`Diagnostic`] with file, line, column, JSON pointer and the
//! source lines around it. Nothing that comes from a spec can make the generator panic.

#![warn(missing_docs)]

pub mod build;
pub mod corpus;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod load;
pub mod lower;
pub mod model;
pub mod names;
mod read;
pub mod source;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use build::Builder;
pub use diag::{Diagnostic, Diagnostics};
pub use read::{decode_spec, read_spec, NotText};
pub use source::{SourceFile, SpecOrigin};

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
    /// Located warnings: each spot read as something other than what it says (an OpenAPI 3.1
    /// construct without a 3.0 spelling, a renamed collision, ...).
    pub warnings: Vec<Diagnostic>,
}

/// Generates the client for one spec. `name` is how the file is named in diagnostics and in the
/// generated header (e.g. `specs/dxfeed.yaml`); `module` is the vendor's module name.
///
/// The spec is read as one of our own ([`SpecOrigin::Own`]): what [`generate_as`] would rename
/// for a published spec is an error here.
pub fn generate(name: &str, text: &str, module: &str) -> Result<Generated, Diagnostics> {
    generate_as(name, text, module, SpecOrigin::Own)
}

/// [`generate`] for a spec written by `origin`: a [`SpecOrigin::Published`] spec has its name
/// collisions renamed and its defects that do not stop a client reported as warnings
/// ([`Generated::warnings`]) rather than refused.
pub fn generate_as(
    name: &str,
    text: &str,
    module: &str,
    origin: SpecOrigin,
) -> Result<Generated, Diagnostics> {
    let src = SourceFile::new(name, text).with_origin(origin);
    let doc = load::load(&src)?;
    let api = lower::lower(&src, &doc, module)?;
    let code = emit::emit(&api).map_err(|e| {
        Diagnostics::from(src.error("#", format!("internal error: {e}")).with_help(
            "this is a bug in the generator, not in the spec: please report it with the spec",
        ))
    })?;
    Ok(Generated {
        module: module.to_string(),
        code: with_spec_digest(code, text),
        operations: api.operations.len(),
        types: api.types.len(),
        warnings: src.warnings(),
    })
}

/// The start of the header line that records which spec text a file was generated from:
/// `// spec-sha256: <64 hex digits>`, the SHA-256 of the spec with `\r\n` read as `\n` (so that
/// a checkout with Windows line endings has the same digest). The `vendor-clients` build script
/// compares it with its specs/ to use the committed generated/ files without running the
/// generator.
pub const SPEC_DIGEST_PREFIX: &str = "// spec-sha256: ";

/// The SHA-256 of a spec's text, lowercase hex, with `\r\n` read as `\n` (see
/// [`SPEC_DIGEST_PREFIX`]).
pub fn spec_digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `code` with the spec digest line added at the end of its header comment (before the first
/// blank line).
fn with_spec_digest(code: String, text: &str) -> String {
    let line = format!("{SPEC_DIGEST_PREFIX}{}", spec_digest(text));
    match code.find("\n\n") {
        Some(end) => format!("{}\n{line}{}", &code[..end], &code[end..]),
        None => format!("{line}\n{code}"),
    }
}

/// Generates every spec in `specs` (each read from its path), several at a time on up to
/// [`emit::default_threads`] threads, and returns the results in the order of `specs`, each with
/// the time it took. An error is the text to show: the spec's diagnostics, or why it could not
/// be read. Diagnostics (and the generated file's first line) name the file by
/// [`shown_name`].
pub fn generate_files(specs: &[SpecFile]) -> Vec<(Result<Generated, String>, Duration)> {
    // Largest first, so that the big spec is not the last one started.
    let mut order: Vec<(usize, u64)> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| (i, std::fs::metadata(&s.path).map_or(0, |m| m.len())))
        .collect();
    order.sort_by_key(|&(_, len)| std::cmp::Reverse(len));
    let mut done = parallel_map(&order, emit::default_threads(), |&(i, _)| {
        let spec = &specs[i];
        let started = Instant::now();
        let shown = shown_name(&spec.path);
        let result = read_spec(&spec.path, &shown)
            .and_then(|text| generate(&shown, &text, &spec.module).map_err(|d| d.to_string()));
        (i, result, started.elapsed())
    });
    done.sort_by_key(|(i, _, _)| *i);
    done.into_iter().map(|(_, r, t)| (r, t)).collect()
}

/// How diagnostics and the generated header name the spec at `path`: in a folder named
/// `specs`, as `specs/<file>` (the repository's own specs, so the committed output does not
/// depend on where the command runs); otherwise the path as given, without a leading `./`.
pub fn shown_name(path: &std::path::Path) -> String {
    let in_specs = path
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|n| n == "specs");
    match path.file_name().and_then(|n| n.to_str()) {
        Some(file) if in_specs => format!("specs/{file}"),
        _ => {
            let shown = path.display().to_string();
            match shown.strip_prefix("./") {
                Some(rest) => rest.to_string(),
                None => shown,
            }
        }
    }
}

/// `f` over `items` on at most `threads` scoped threads, each taking the next item not yet
/// taken; the results are in the order of `items`. One thread (or one item) runs on the
/// caller's thread.
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                slots.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(r);
            });
        }
    });
    // Every index below items.len() was taken by exactly one thread, and a thread that panics
    // takes the scope (and this call) down with it, so every slot is filled here.
    slots
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// A vendor spec found in a specs directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    /// Module name (the file stem, snake_case): `mention-me.yaml` is `mention_me`.
    pub module: String,
    /// Path of the spec file (YAML or JSON).
    pub path: PathBuf,
}

/// The module name for a spec file stem: `mention-me` becomes `mention_me`.
pub fn module_name(stem: &str) -> Option<String> {
    names::snake(stem)
}

/// The specs in `dir` (`*.yaml`, `*.yml` or `*.json`), sorted by module name; two files that
/// would be the same module are an error.
pub fn find_specs(dir: &Path) -> std::io::Result<Vec<SpecFile>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
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
    out.sort_by(|a, b| a.module.cmp(&b.module).then(a.path.cmp(&b.path)));
    // `x.yaml` and `x.json` would both be the module `x`.
    if let Some(w) = out.windows(2).find(|w| w[0].module == w[1].module) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{} and {} would both be the module `{}`: keep one of them",
                w[0].path.display(),
                w[1].path.display(),
                w[0].module
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_map_keeps_the_order_of_its_items_whatever_the_threads() {
        let items: Vec<u64> = (0..50).collect();
        // Uneven work, so threads finish out of order.
        let work = |&n: &u64| {
            std::thread::sleep(Duration::from_micros((50 - n) * 20));
            n * n
        };
        let expected: Vec<u64> = items.iter().map(|n| n * n).collect();
        for threads in [0, 1, 2, 3, 8, 100] {
            assert_eq!(parallel_map(&items, threads, work), expected, "{threads}");
        }
        assert!(parallel_map(&[] as &[u64], 4, work).is_empty());
    }

    #[test]
    fn generate_files_answers_in_the_order_given_with_unreadable_specs_as_errors() {
        let dir = std::env::temp_dir().join(format!("vc-gen-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let spec = |n: usize| {
            let mut s = String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n");
            for i in 0..n {
                s.push_str(&format!(
                    "  /p{i}:\n    get:\n      operationId: op{i}\n      responses: {{'204': {{description: ok}}}}\n"
                ));
            }
            s
        };
        let mut specs = Vec::new();
        for (name, ops) in [("small", 1), ("big", 40), ("medium", 5)] {
            let path = dir.join(format!("{name}.yaml"));
            std::fs::write(&path, spec(ops)).expect("write spec");
            specs.push(SpecFile {
                module: name.to_string(),
                path,
            });
        }
        specs.insert(
            1,
            SpecFile {
                module: "missing".into(),
                path: dir.join("missing.yaml"),
            },
        );
        let results = generate_files(&specs);
        let summary: Vec<Result<(String, usize), bool>> = results
            .into_iter()
            .map(|(r, _)| {
                r.map(|g| (g.module, g.operations))
                    .map_err(|e| e.contains("cannot read") && e.contains("missing.yaml"))
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                Ok(("small".to_string(), 1)),
                Err(true),
                Ok(("big".to_string(), 40)),
                Ok(("medium".to_string(), 5)),
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
