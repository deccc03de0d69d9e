//! `vendor-clients-codegen`: regenerate the committed clients under generated/ from specs/, or
//! check that they are up to date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

/// Generate typed async Rust clients from the OpenAPI specs in specs/.
///
/// Each `specs/<vendor>.yaml` becomes `generated/<vendor>.rs`. The library crate builds the same
/// code from the specs in its build script; the copy in generated/ is committed so that a pull
/// request shows what a spec change does to the Rust API.
///
/// Typical use, from anywhere in the repository:
///
///   cargo run -p vendor-clients-codegen -- generate     # after editing a spec
///   cargo run -p vendor-clients-codegen -- check        # in CI: is generated/ up to date?
#[derive(Parser, Debug)]
#[command(name = "vendor-clients-codegen", version, verbatim_doc_comment)]
struct Cli {
    /// Directory holding the `<vendor>.yaml` specs [default: specs/ of the repository]
    #[arg(long, global = true, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Directory the generated `<vendor>.rs` files go to [default: generated/ of the repository]
    #[arg(long, global = true, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Only this vendor (the spec's file stem, e.g. `dxfeed`); repeat for several
    #[arg(long = "vendor", global = true, value_name = "NAME")]
    vendors: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Rewrite generated/ from specs/: prints, per vendor, operations, types and time taken.
    ///
    /// Files are only written when their content changes. A broken spec prints located
    /// diagnostics (file:line:column, JSON pointer, source lines) and makes the command fail;
    /// the other vendors are still generated.
    Generate,
    /// Exit non-zero, naming the files, when generated/ differs from what specs/ produce.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = repo_root();
    let specs_dir = cli.specs.clone().unwrap_or_else(|| root.join("specs"));
    let out_dir = cli.out.clone().unwrap_or_else(|| root.join("generated"));
    let specs = match vendor_clients_codegen::find_specs(&specs_dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "error: cannot read the specs directory {}: {e}",
                specs_dir.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let specs: Vec<_> = specs
        .into_iter()
        .filter(|s| cli.vendors.is_empty() || cli.vendors.contains(&s.module))
        .collect();
    for v in &cli.vendors {
        if !specs.iter().any(|s| &s.module == v) {
            eprintln!("error: no spec for vendor `{v}` in {}", specs_dir.display());
            return ExitCode::FAILURE;
        }
    }
    if specs.is_empty() {
        eprintln!("error: no `*.yaml` specs in {}", specs_dir.display());
        return ExitCode::FAILURE;
    }
    match cli.command {
        Command::Generate => generate(&specs, &out_dir, cli.vendors.is_empty()),
        Command::Check => check(&specs, &out_dir, cli.vendors.is_empty()),
    }
}

/// The repository root: the current directory if it has specs/, else the workspace this binary
/// was built from.
fn repo_root() -> PathBuf {
    if Path::new("specs").is_dir() {
        return PathBuf::from(".");
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Generates every spec; `None` for a spec with diagnostics (already printed).
fn run_one(
    spec: &vendor_clients_codegen::SpecFile,
) -> Option<(vendor_clients_codegen::Generated, f64)> {
    let started = Instant::now();
    let text = match std::fs::read_to_string(&spec.path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", spec.path.display());
            return None;
        }
    };
    let file_name = spec
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("spec.yaml");
    match vendor_clients_codegen::generate(&format!("specs/{file_name}"), &text, &spec.module) {
        Ok(g) => Some((g, started.elapsed().as_secs_f64() * 1000.0)),
        Err(d) => {
            eprint!("{d}");
            None
        }
    }
}

fn generate(specs: &[vendor_clients_codegen::SpecFile], out_dir: &Path, all: bool) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        eprintln!("error: cannot create {}: {e}", out_dir.display());
        return ExitCode::FAILURE;
    }
    let mut failed = false;
    for spec in specs {
        let Some((g, ms)) = run_one(spec) else {
            failed = true;
            continue;
        };
        let path = out_dir.join(format!("{}.rs", g.module));
        let unchanged = std::fs::read_to_string(&path)
            .map(|old| old == g.code)
            .unwrap_or(false);
        if !unchanged {
            if let Err(e) = std::fs::write(&path, &g.code) {
                eprintln!("error: cannot write {}: {e}", path.display());
                failed = true;
                continue;
            }
        }
        println!(
            "{:<12} {:>3} operations {:>4} types {:>6} lines {:>8.1} ms  {} {}",
            g.module,
            g.operations,
            g.types,
            g.code.lines().count(),
            ms,
            if unchanged { "unchanged" } else { "wrote" },
            path.display()
        );
    }
    if all {
        for orphan in orphans(specs, out_dir) {
            match std::fs::remove_file(&orphan) {
                Ok(()) => println!("removed {} (its spec is gone)", orphan.display()),
                Err(e) => {
                    eprintln!("error: cannot remove {}: {e}", orphan.display());
                    failed = true;
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn check(specs: &[vendor_clients_codegen::SpecFile], out_dir: &Path, all: bool) -> ExitCode {
    let mut stale = Vec::new();
    let mut failed = false;
    for spec in specs {
        let Some((g, _)) = run_one(spec) else {
            failed = true;
            continue;
        };
        let path = out_dir.join(format!("{}.rs", g.module));
        match std::fs::read_to_string(&path) {
            Ok(old) if old == g.code => {}
            Ok(_) => stale.push(format!(
                "{} differs from what {} generates",
                path.display(),
                spec.path.display()
            )),
            Err(_) => stale.push(format!(
                "{} is missing ({} has no generated copy)",
                path.display(),
                spec.path.display()
            )),
        }
    }
    if all {
        for orphan in orphans(specs, out_dir) {
            stale.push(format!("{} has no spec any more", orphan.display()));
        }
    }
    for s in &stale {
        eprintln!("stale: {s}");
    }
    if !stale.is_empty() {
        eprintln!("generated/ is out of date: run `cargo run -p vendor-clients-codegen -- generate` and commit the result");
    }
    if failed || !stale.is_empty() {
        ExitCode::FAILURE
    } else {
        println!("generated/ is up to date ({} vendors)", specs.len());
        ExitCode::SUCCESS
    }
}

/// Generated files (with our header) whose spec no longer exists.
fn orphans(specs: &[vendor_clients_codegen::SpecFile], out_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("rs"))
        .filter(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            !specs.iter().any(|s| s.module == stem)
        })
        .filter(|p| {
            std::fs::read_to_string(p)
                .map(|t| t.starts_with("// @generated by vendor-clients-codegen"))
                .unwrap_or(false)
        })
        .collect();
    out.sort();
    out
}
