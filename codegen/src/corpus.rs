//! `check-corpus`: generate a client for every spec in a folder, compile them all, and report.
//!
//! This is how the generator is tried on specs we did not write. Each spec's client is written to
//! a scratch folder; the runtime crate is then checked once with its `corpus` feature, which
//! makes every one of them a module of the crate, exactly where a vendor client lives (generated
//! code extends runtime types such as `ClientBuilder<Api>`, which only the runtime crate may do).
//! Every spec gets a row: operations, whether it generated (or was refused with a diagnostic, or
//! made the generator panic), whether it compiled without errors or warnings, and the first one.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Generated, SpecOrigin};

/// One spec found in a corpus folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusSpec {
    /// Path relative to the corpus folder, with `/` separators (how it is shown in the table).
    pub name: String,
    /// Full path of the file.
    pub path: PathBuf,
    /// Module (and scratch crate) name, unique within the corpus.
    pub module: String,
}

/// The `.yaml`, `.yml` and `.json` files under `dir` (recursively), sorted by relative path, with
/// unique module names: the file stem in snake_case, with the extension (then the folder, then a
/// number) added when two files would share one.
pub fn find_corpus_specs(dir: &Path) -> std::io::Result<Vec<CorpusSpec>> {
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort();
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for (name, path) in files {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        let ext = path.extension().and_then(|s| s.to_str()).unwrap_or("");
        let folder = name.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let base = crate::names::snake(stem).unwrap_or_else(|| "spec".to_string());
        // A module name must not start with a digit and should not be a keyword.
        let base = if base.starts_with(|c: char| c.is_ascii_digit()) || is_keyword(&base) {
            format!("spec_{base}")
        } else {
            base
        };
        let candidates = [
            base.clone(),
            format!("{base}_{ext}"),
            crate::names::snake(&format!("{folder}_{base}_{ext}")).unwrap_or_default(),
        ];
        let mut module = candidates
            .iter()
            .find(|c| !c.is_empty() && !used.contains(*c))
            .cloned()
            .unwrap_or_default();
        let mut n = 2;
        while module.is_empty() || used.contains(&module) {
            module = format!("{base}_{n}");
            n += 1;
        }
        used.insert(module.clone());
        out.push(CorpusSpec { name, path, module });
    }
    Ok(out)
}

fn is_keyword(s: &str) -> bool {
    syn::parse_str::<syn::Ident>(s).is_err()
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(root, &path, out)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "yaml" | "yml" | "json") {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.push((rel, path));
    }
    Ok(())
}

/// What generating one spec gave.
#[derive(Debug, Clone, PartialEq)]
pub enum GenOutcome {
    /// A client.
    Generated(Generated),
    /// Refused with diagnostics: the first one's message and location, and how many there were.
    Refused {
        /// `file:line:column: message` of the first diagnostic.
        first: String,
        /// The full rendered diagnostics.
        rendered: String,
        /// Number of diagnostics.
        count: usize,
    },
    /// The generator panicked (a bug): the panic message.
    Panicked(String),
    /// The file could not be read.
    Unreadable(String),
}

/// Runs the generator on one spec, catching a panic as a [`GenOutcome::Panicked`] row.
///
/// The default panic hook still prints the panic to stderr; the CLI replaces it while it runs.
///
/// The spec is read as written by `origin` (check-corpus reads the corpus as
/// [`SpecOrigin::Published`]: collisions renamed, with warnings).
pub fn generate_spec(spec: &CorpusSpec, origin: SpecOrigin) -> GenOutcome {
    let text = match crate::read_spec(&spec.path, &spec.name) {
        Ok(t) => t,
        Err(e) => return GenOutcome::Unreadable(e.trim_end().to_string()),
    };
    let result = catch_unwind(AssertUnwindSafe(|| {
        crate::generate_as(&spec.name, &text, &spec.module, origin)
    }));
    match result {
        Ok(Ok(g)) => GenOutcome::Generated(g),
        Ok(Err(d)) => {
            let first = d
                .iter()
                .next()
                .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
                .unwrap_or_default();
            GenOutcome::Refused {
                first,
                rendered: d.to_string(),
                count: d.0.len(),
            }
        }
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic with a non-string payload".to_string());
            GenOutcome::Panicked(msg)
        }
    }
}

/// How one generated crate compiled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compiled {
    /// Errors reported by rustc (rendered, first line + location).
    pub errors: Vec<String>,
    /// Warnings reported by rustc for the generated crate.
    pub warnings: Vec<String>,
    /// Whether cargo produced the crate's library artifact.
    pub artifact: bool,
}

impl Compiled {
    /// Compiled, with no errors and no warnings.
    pub fn clean(&self) -> bool {
        self.artifact && self.errors.is_empty() && self.warnings.is_empty()
    }
}

/// One row of the report.
#[derive(Debug, Clone)]
pub struct Row {
    /// The spec.
    pub spec: CorpusSpec,
    /// What generation gave.
    pub outcome: GenOutcome,
    /// How the crate compiled (None when not generated or compilation was not run).
    pub compiled: Option<Compiled>,
}

impl Row {
    /// Whether this row fails the run: a panic, an unreadable file, a compile error or warning,
    /// or (when `refusal_fails`) a refusal.
    pub fn failed(&self, refusal_fails: bool) -> bool {
        match &self.outcome {
            GenOutcome::Generated(_) => !self.compiled.as_ref().is_some_and(Compiled::clean),
            GenOutcome::Refused { .. } => refusal_fails,
            GenOutcome::Panicked(_) | GenOutcome::Unreadable(_) => true,
        }
    }

    fn first_error(&self) -> String {
        match &self.outcome {
            GenOutcome::Generated(_) => match &self.compiled {
                Some(c) => c
                    .errors
                    .first()
                    .map(|e| format!("error: {e}"))
                    .or_else(|| c.warnings.first().map(|w| format!("warning: {w}")))
                    .unwrap_or_else(|| {
                        if c.artifact {
                            String::new()
                        } else {
                            "no errors of its own, but the crate failed on another module, so later checks did not run".to_string()
                        }
                    }),
                None => "not compiled".to_string(),
            },
            GenOutcome::Refused { first, count, .. } if *count > 1 => {
                format!("refused: {first} (+{} more)", count - 1)
            }
            GenOutcome::Refused { first, .. } => format!("refused: {first}"),
            GenOutcome::Panicked(m) => format!("generator panicked: {m}"),
            GenOutcome::Unreadable(m) => format!("cannot read: {m}"),
        }
    }
}

/// The report as a markdown table: spec, operations, generated, compiled, first error.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str("| spec | operations | generated | compiled | first error |\n");
    out.push_str("|---|---:|---|---|---|\n");
    for r in rows {
        let (ops, generated) = match &r.outcome {
            GenOutcome::Generated(g) => (g.operations.to_string(), "yes"),
            GenOutcome::Refused { .. } => ("-".to_string(), "refused"),
            GenOutcome::Panicked(_) => ("-".to_string(), "PANIC"),
            GenOutcome::Unreadable(_) => ("-".to_string(), "no"),
        };
        let compiled = match (&r.outcome, &r.compiled) {
            (GenOutcome::Generated(_), Some(c)) if c.clean() => "yes",
            (GenOutcome::Generated(_), Some(c)) if c.artifact && c.errors.is_empty() => "warnings",
            (GenOutcome::Generated(_), Some(_)) => "no",
            _ => "-",
        };
        let err = r.first_error().replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.spec.name, ops, generated, compiled, err
        );
    }
    out
}

/// Writes each generated client to `<dir>/<module>.rs` (removing the files of modules that are
/// no longer generated), for the runtime's `corpus` feature to compile.
pub fn write_modules(dir: &Path, rows: &[Row]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let generated: Vec<(&CorpusSpec, &Generated)> = rows
        .iter()
        .filter_map(|r| match &r.outcome {
            GenOutcome::Generated(g) => Some((&r.spec, g)),
            _ => None,
        })
        .collect();
    for e in std::fs::read_dir(dir)?.flatten() {
        let path = e.path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if path.extension().and_then(|e| e.to_str()) == Some("rs")
            && !generated.iter().any(|(s, _)| s.module == stem)
        {
            std::fs::remove_file(&path)?;
        }
    }
    for (spec, g) in generated {
        write_if_changed(&dir.join(format!("{}.rs", spec.module)), &g.code)?;
    }
    Ok(())
}

fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text)
}

/// What compiling the corpus said.
#[derive(Debug, Clone, Default)]
pub struct CompileReport {
    /// Per module.
    pub modules: BTreeMap<String, Compiled>,
    /// Errors and warnings that are not in any generated module (the runtime itself).
    pub other: Vec<String>,
    /// Whether the crate compiled.
    pub success: bool,
}

/// Compiles the runtime crate at `root` with features `corpus` and `mock` (and no vendor
/// features), which makes every `<module>.rs` of `modules_dir` a module of the crate, exactly as
/// a vendor client is, fake server included: `cargo check -p vendor-clients --lib
/// --message-format=json`, in target directory
/// `target`. rustc's errors and warnings are attributed to modules by the file they point at.
///
/// `Err` when cargo cannot be run or gives no compiler output (its stderr).
pub fn compile_modules(
    root: &Path,
    modules_dir: &Path,
    target: &Path,
    modules: &[String],
) -> Result<CompileReport, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args([
            "check",
            "-p",
            "vendor-clients",
            "--lib",
            "--no-default-features",
            "--features",
            "corpus,mock",
            "--message-format=json",
        ])
        .env("CARGO_TARGET_DIR", target)
        .env("VENDOR_CLIENTS_CORPUS_DIR", modules_dir)
        // Checked with the crate's own lints whatever the caller's environment says.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut report = CompileReport {
        modules: modules
            .iter()
            .map(|m| (m.clone(), Compiled::default()))
            .collect(),
        other: Vec::new(),
        success: output.status.success(),
    };
    let mut any = false;
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg.pointer("/target/name").and_then(|v| v.as_str()) != Some("vendor_clients") {
            continue;
        }
        any = true;
        match msg.get("reason").and_then(|v| v.as_str()) {
            Some("compiler-artifact") => {
                for c in report.modules.values_mut() {
                    c.artifact = true;
                }
            }
            Some("compiler-message") => {
                let Some(m) = msg.get("message") else {
                    continue;
                };
                let level = m.get("level").and_then(|v| v.as_str()).unwrap_or("");
                let text = m.get("message").and_then(|v| v.as_str()).unwrap_or("");
                if text.starts_with("aborting due to")
                    || text.ends_with("warning emitted")
                    || text.ends_with("warnings emitted")
                {
                    continue;
                }
                let (module, at) = attribute(m, modules_dir);
                let full = format!("{at}{text}");
                let bucket = module.and_then(|m| report.modules.get_mut(&m));
                match (level, bucket) {
                    ("error" | "error: internal compiler error", Some(c)) => c.errors.push(full),
                    ("warning", Some(c)) => c.warnings.push(full),
                    ("error" | "error: internal compiler error" | "warning", None) => {
                        report.other.push(format!("{level}: {full}"))
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if !any {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        return Err(tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
    }
    Ok(report)
}

/// [`compile_modules`], and then, while the crate fails, again without the modules that have
/// errors of their own: rustc stops before checking everything once one module fails, so
/// without this one bad spec would hide the result of every other ("the crate failed on
/// another module"). The retries compile from `<modules_dir>-retry`; each module keeps the
/// result of the last compilation it was part of.
pub fn compile_isolated(
    root: &Path,
    modules_dir: &Path,
    target: &Path,
    modules: &[String],
) -> Result<CompileReport, String> {
    isolate(modules_dir, modules, |dir, mods| {
        compile_modules(root, dir, target, mods)
    })
}

/// [`compile_isolated`]'s loop, over any way of compiling a folder of modules.
fn isolate(
    modules_dir: &Path,
    modules: &[String],
    mut compile: impl FnMut(&Path, &[String]) -> Result<CompileReport, String>,
) -> Result<CompileReport, String> {
    let mut report = compile(modules_dir, modules)?;
    let retry_dir = modules_dir.with_file_name(format!(
        "{}-retry",
        modules_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("modules")
    ));
    let mut last = report.clone();
    while !last.success {
        let rest: Vec<String> = last
            .modules
            .iter()
            .filter(|(_, c)| c.errors.is_empty() && !c.artifact)
            .map(|(m, _)| m.clone())
            .collect();
        let failing = last.modules.values().any(|c| !c.errors.is_empty());
        if rest.is_empty() || !failing {
            break;
        }
        let _ = std::fs::remove_dir_all(&retry_dir);
        std::fs::create_dir_all(&retry_dir)
            .map_err(|e| format!("cannot create {}: {e}", retry_dir.display()))?;
        for m in &rest {
            let name = format!("{m}.rs");
            std::fs::copy(modules_dir.join(&name), retry_dir.join(&name))
                .map_err(|e| format!("cannot copy {name} to {}: {e}", retry_dir.display()))?;
        }
        last = compile(&retry_dir, &rest)?;
        for (m, c) in &last.modules {
            report.modules.insert(m.clone(), c.clone());
        }
        for o in &last.other {
            if !report.other.contains(o) {
                report.other.push(o.clone());
            }
        }
    }
    Ok(report)
}

/// The generated module a rustc message is about (from its spans and their macro expansions),
/// and `file:line: ` of the first such span.
fn attribute(message: &serde_json::Value, modules_dir: &Path) -> (Option<String>, String) {
    let mut spans: Vec<&serde_json::Value> = Vec::new();
    if let Some(list) = message.get("spans").and_then(|v| v.as_array()) {
        let (primary, rest): (Vec<_>, Vec<_>) = list
            .iter()
            .partition(|s| s.get("is_primary").and_then(|v| v.as_bool()) == Some(true));
        spans.extend(primary);
        spans.extend(rest);
    }
    let mut i = 0;
    while i < spans.len() {
        let span = spans[i];
        let file = span.get("file_name").and_then(|v| v.as_str()).unwrap_or("");
        let path = Path::new(file);
        if path.parent() == Some(modules_dir) || path.starts_with(modules_dir) {
            if let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                let line = span.get("line_start").and_then(|v| v.as_u64()).unwrap_or(0);
                return (Some(stem.to_string()), format!("{stem}.rs:{line}: "));
            }
        }
        if let Some(outer) = span.pointer("/expansion/span") {
            spans.push(outer);
        }
        i += 1;
        if i > 64 {
            break;
        }
    }
    let first = spans
        .first()
        .map(|s| {
            format!(
                "{}:{}: ",
                s.get("file_name").and_then(|v| v.as_str()).unwrap_or("?"),
                s.get("line_start").and_then(|v| v.as_u64()).unwrap_or(0)
            )
        })
        .unwrap_or_default();
    (None, first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_found_recursively_with_unique_module_names() {
        let dir = std::env::temp_dir().join(format!("corpus-find-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        for f in [
            "a/api.json",
            "a/api.yaml",
            "a/b/api.yaml",
            "self.yml",
            "notes.txt",
        ] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let found = find_corpus_specs(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|s| (s.name.as_str(), s.module.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a/api.json", "api"),
                ("a/api.yaml", "api_yaml"),
                ("a/b/api.yaml", "a_b_api_yaml"),
                ("self.yml", "spec_self"),
            ]
        );
    }

    #[test]
    fn messages_are_attributed_through_macro_expansions() {
        let dir = Path::new("/scratch/modules");
        let msg = serde_json::json!({
            "spans": [{
                "file_name": "macros/src/lib.rs", "line_start": 3, "is_primary": true,
                "expansion": {"span": {
                    "file_name": "/scratch/modules/nexus.rs", "line_start": 120, "is_primary": false
                }}
            }]
        });
        assert_eq!(
            attribute(&msg, dir),
            (Some("nexus".to_string()), "nexus.rs:120: ".to_string())
        );
        let runtime = serde_json::json!({"spans": [{"file_name": "src/lib.rs", "line_start": 9}]});
        assert_eq!(
            attribute(&runtime, dir),
            (None, "src/lib.rs:9: ".to_string())
        );
    }

    #[test]
    fn a_module_that_fails_does_not_hide_the_others() {
        let dir = std::env::temp_dir().join(format!("corpus-isolate-{}", std::process::id()));
        let modules_dir = dir.join("modules");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&modules_dir).unwrap();
        for m in ["bad", "good", "other"] {
            std::fs::write(modules_dir.join(format!("{m}.rs")), m).unwrap();
        }
        let modules: Vec<String> = ["bad", "good", "other"].map(String::from).to_vec();
        // A fake rustc: `bad` fails, and a failing crate produces no artifact for anyone.
        let mut calls: Vec<(PathBuf, Vec<String>)> = Vec::new();
        let report = isolate(&modules_dir, &modules, |d, mods| {
            calls.push((d.to_path_buf(), mods.to_vec()));
            let fails = mods.iter().any(|m| m == "bad");
            let mut r = CompileReport {
                success: !fails,
                ..Default::default()
            };
            for m in mods {
                assert!(d.join(format!("{m}.rs")).exists(), "{m} in {}", d.display());
                let c = Compiled {
                    artifact: !fails,
                    errors: if m == "bad" {
                        vec!["bad.rs:1: no".into()]
                    } else {
                        Vec::new()
                    },
                    ..Default::default()
                };
                r.modules.insert(m.clone(), c);
            }
            Ok(r)
        })
        .unwrap();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[1].1, ["good", "other"]);
        assert_eq!(calls[1].0, dir.join("modules-retry"));
        assert!(report.modules["good"].clean() && report.modules["other"].clean());
        assert_eq!(report.modules["bad"].errors, ["bad.rs:1: no"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn row(outcome: GenOutcome, compiled: Option<Compiled>) -> Row {
        Row {
            spec: CorpusSpec {
                name: "s.yaml".into(),
                path: PathBuf::from("s.yaml"),
                module: "s".into(),
            },
            outcome,
            compiled,
        }
    }

    #[test]
    fn what_fails_a_run() {
        let generated = || {
            GenOutcome::Generated(Generated {
                module: "s".into(),
                code: String::new(),
                operations: 2,
                types: 0,
                warnings: Vec::new(),
            })
        };
        let clean = Compiled {
            artifact: true,
            ..Default::default()
        };
        let warned = Compiled {
            artifact: true,
            warnings: vec!["s.rs:1: unused".into()],
            ..Default::default()
        };
        assert!(!row(generated(), Some(clean)).failed(true));
        assert!(row(generated(), Some(warned.clone())).failed(false));
        assert!(row(GenOutcome::Panicked("boom".into()), None).failed(false));
        let refused = GenOutcome::Refused {
            first: "s.yaml:1:1: no".into(),
            rendered: String::new(),
            count: 1,
        };
        assert!(!row(refused.clone(), None).failed(false));
        assert!(row(refused, None).failed(true));
        let t = table(&[
            row(generated(), Some(warned)),
            row(GenOutcome::Panicked("index out of bounds".into()), None),
        ]);
        assert!(
            t.contains("| s.yaml | 2 | yes | warnings | warning: s.rs:1: unused |"),
            "{t}"
        );
        assert!(
            t.contains("| s.yaml | - | PANIC | - | generator panicked: index out of bounds |"),
            "{t}"
        );
    }
}
