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
    /// Directory the generated `<vendor>.rs` files go to [default: generated/ of the repository];
    /// with `generate --spec`, the file to write
    #[arg(long, global = true, value_name = "DIR|FILE")]
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
    ///
    /// With `--spec FILE --out FILE [--module NAME]`, generates the client of one spec of your
    /// own (`.yaml`, `.yml` or `.json`) into one file, to include in a crate that depends on
    /// `vendor-clients` (`mod NAME { include!("FILE"); }`).
    Generate(GenerateArgs),
    /// Exit non-zero, naming the files, when generated/ differs from what specs/ produce.
    Check,
    /// Compare two versions of a spec: what changes for callers, in the generated Rust API, and
    /// the semver bump it calls for.
    ///
    /// Either two spec files (`diff old.yaml new.yaml`), or the specs/ directory at a git
    /// revision against the working tree (`diff --base origin/main`, all vendors or those given
    /// with --vendor). Prints markdown for a pull-request comment, or JSON with --format json.
    ///
    /// Exit status: 0 when the comparison ran (and --fail-on was not triggered), 1 when
    /// --fail-on found a change of that class or worse, 2 when a spec cannot be read or
    /// generated.
    Diff(DiffArgs),
    /// Generate and compile a client for every OpenAPI spec under DIR (`.yaml`, `.yml`, `.json`,
    /// recursively), and print a table: spec, operations, generated, compiled, first error.
    ///
    /// Each spec's client is written to <scratch>/modules/<module>.rs; the runtime crate is then
    /// checked once with its `corpus` feature, which compiles every one of them as a module of
    /// the crate, where vendor clients live (one shared target directory, <scratch>/target).
    /// Any rustc error or warning in a generated module fails its row.
    /// The generator runs inside `catch_unwind`, so a panic is a row, not an abort.
    ///
    /// Exit status: 0 when every spec generated and compiled without warnings, or was refused
    /// with a located diagnostic (unless --strict); 1 when any spec panicked, could not be read,
    /// or failed to compile; 2 when the folder or the scratch workspace cannot be used.
    CheckCorpus(CorpusArgs),
}

/// Arguments of `generate`.
#[derive(clap::Args, Debug)]
struct GenerateArgs {
    /// One spec file of your own to generate, instead of the repository's specs/ (needs --out FILE)
    #[arg(long, value_name = "FILE", conflicts_with = "vendors")]
    spec: Option<PathBuf>,
    /// With --spec: the module name [default: the spec's file stem in snake_case]
    #[arg(long, value_name = "NAME", requires = "spec")]
    module: Option<String>,
    /// With --spec: who wrote it: `published` (someone else: collisions renamed and defects that
    /// do not stop a client reported as warnings) or `own` (refused, as specs/ are)
    #[arg(long, value_enum, default_value_t = Origin::Published, requires = "spec")]
    origin: Origin,
}

/// Arguments of `check-corpus`.
#[derive(clap::Args, Debug)]
struct CorpusArgs {
    /// The folder of specs
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Scratch folder for the generated modules [default: target/corpus of the repository]
    #[arg(long, value_name = "DIR")]
    scratch: Option<PathBuf>,
    /// Shared target directory for compiling them [default: <scratch>/target]
    #[arg(long, value_name = "DIR")]
    target_dir: Option<PathBuf>,
    /// A spec refused with a diagnostic counts as a failure too
    #[arg(long)]
    strict: bool,
    /// Only generate (do not compile)
    #[arg(long)]
    no_compile: bool,
    /// Print the full diagnostics of refused specs, and every warning
    #[arg(long)]
    verbose: bool,
    /// Who wrote the specs: `published` (collisions renamed and defects that do not stop a
    /// client reported as warnings) or `own` (refused, as specs/ are)
    #[arg(long, value_enum, default_value_t = Origin::Published)]
    origin: Origin,
}

/// Who wrote the specs `check-corpus` or `generate --spec` reads.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Origin {
    /// Ours: what cannot be taken as written is an error.
    Own,
    /// Someone else's: renamed or read leniently, with a located warning for each spot.
    Published,
}

impl Origin {
    fn spec_origin(self) -> vendor_clients_codegen::SpecOrigin {
        match self {
            Origin::Own => vendor_clients_codegen::SpecOrigin::Own,
            Origin::Published => vendor_clients_codegen::SpecOrigin::Published,
        }
    }
}

/// Arguments of `diff`.
#[derive(clap::Args, Debug)]
struct DiffArgs {
    /// The old spec file (omit with --base)
    #[arg(value_name = "BASE")]
    base_file: Option<PathBuf>,
    /// The new spec file (omit with --base)
    #[arg(value_name = "HEAD")]
    head_file: Option<PathBuf>,
    /// Compare specs/ at this git revision (e.g. origin/main) with the working tree
    #[arg(long = "base", value_name = "REV", conflicts_with_all = ["base_file", "head_file"])]
    base_rev: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    format: DiffFormat,
    /// Exit with status 1 when a change of this class or a more severe one is found
    #[arg(long, value_enum, value_name = "CLASS")]
    fail_on: Option<FailOn>,
}

/// Output format of `diff`.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum DiffFormat {
    /// Markdown for a pull-request comment.
    Markdown,
    /// JSON for tools.
    Json,
}

/// The least severe class that makes `diff` fail.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum FailOn {
    /// Breaking changes only.
    Breaking,
    /// Breaking or non-breaking changes.
    NonBreaking,
    /// Any change.
    Informational,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = repo_root();
    if let Command::Diff(args) = &cli.command {
        return diff(&cli, args, &root);
    }
    if let Command::CheckCorpus(args) = &cli.command {
        return check_corpus(args, &root);
    }
    if let Command::Generate(GenerateArgs {
        spec: Some(spec),
        module,
        origin,
    }) = &cli.command
    {
        return generate_one(
            spec,
            cli.out.as_deref(),
            module.as_deref(),
            origin.spec_origin(),
        );
    }
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
        eprintln!(
            "error: no `*.yaml`, `*.yml` or `*.json` specs in {}",
            specs_dir.display()
        );
        return ExitCode::FAILURE;
    }
    match cli.command {
        Command::Generate(_) => generate(&specs, &out_dir, cli.vendors.is_empty()),
        Command::Check => check(&specs, &out_dir, cli.vendors.is_empty()),
        Command::Diff(_) | Command::CheckCorpus(_) => ExitCode::FAILURE, // handled above
    }
}

/// `generate --spec FILE --out FILE [--module NAME]`: one spec of the user's own into one file.
fn generate_one(
    spec: &Path,
    out: Option<&Path>,
    module: Option<&str>,
    origin: vendor_clients_codegen::SpecOrigin,
) -> ExitCode {
    let Some(out) = out else {
        eprintln!("error: `generate --spec` needs `--out FILE`, the file to write the client to");
        return ExitCode::from(2);
    };
    if out.is_dir() {
        eprintln!(
            "error: --out {} is a directory; with --spec, give the file to write (e.g. {})",
            out.display(),
            out.join("client.rs").display()
        );
        return ExitCode::from(2);
    }
    let module = match module.map(str::to_string).or_else(|| {
        spec.file_stem()
            .and_then(|s| s.to_str())
            .and_then(vendor_clients_codegen::module_name)
    }) {
        Some(m) => m,
        None => {
            eprintln!(
                "error: cannot make a module name from {}: give one with --module",
                spec.display()
            );
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    match vendor_clients_codegen::build::generate_file(spec, &module, origin) {
        Ok(g) => {
            for w in &g.warnings {
                eprint!("{w}");
            }
            let unchanged = std::fs::read_to_string(out).is_ok_and(|old| old == g.code);
            if !unchanged {
                if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                    if let Err(e) = std::fs::create_dir_all(parent) {
                        eprintln!("error: cannot create {}: {e}", parent.display());
                        return ExitCode::FAILURE;
                    }
                }
                if let Err(e) = std::fs::write(out, &g.code) {
                    eprintln!("error: cannot write {}: {e}", out.display());
                    return ExitCode::FAILURE;
                }
            }
            println!(
                "{:<12} {:>3} operations {:>4} types {:>6} lines {:>8.1} ms  {} {}",
                g.module,
                g.operations,
                g.types,
                g.code.lines().count(),
                started.elapsed().as_secs_f64() * 1000.0,
                if unchanged { "unchanged" } else { "wrote" },
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(vendor_clients_codegen::build::BuildError::Module(m)) => {
            eprintln!("error: `{m}` is not a snake_case Rust identifier: give one with --module");
            ExitCode::from(2)
        }
        Err(e) => {
            eprint!("{e}");
            if !e.to_string().ends_with('\n') {
                eprintln!();
            }
            ExitCode::FAILURE
        }
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

/// The generated client, after printing its warnings; or `None` after printing why there is
/// none (and noting the failure).
fn reported(
    result: Result<vendor_clients_codegen::Generated, String>,
    failed: &mut bool,
) -> Option<vendor_clients_codegen::Generated> {
    match result {
        Ok(g) => {
            for w in &g.warnings {
                eprint!("{w}");
            }
            Some(g)
        }
        Err(e) => {
            eprint!("{e}");
            *failed = true;
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
    for (result, took) in vendor_clients_codegen::generate_files(specs) {
        let Some(g) = reported(result, &mut failed) else {
            continue;
        };
        let ms = took.as_secs_f64() * 1000.0;
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
    let results = vendor_clients_codegen::generate_files(specs);
    for (spec, (result, _)) in specs.iter().zip(results) {
        let Some(g) = reported(result, &mut failed) else {
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

/// `diff`: compares two spec files, or specs/ at a git revision with the working tree.
fn diff(cli: &Cli, args: &DiffArgs, root: &Path) -> ExitCode {
    use vendor_clients_codegen::diff::{diff_vendor, git, Class, Report, SpecText};

    let read = |path: &Path| -> Result<SpecText, String> {
        vendor_clients_codegen::read_spec(path, &path.display().to_string())
            .map(|text| SpecText {
                name: path.display().to_string(),
                text,
            })
            .map_err(|e| e.trim_start_matches("error: ").trim_end().to_string())
    };
    // (module, BASE, HEAD) for every vendor to compare.
    let mut inputs: Vec<(String, Option<SpecText>, Option<SpecText>)> = Vec::new();
    let prepared: Result<(), String> = (|| match (&args.base_rev, &args.base_file, &args.head_file)
    {
        (None, Some(base), Some(head)) => {
            if !cli.vendors.is_empty() {
                return Err("--vendor applies to `diff --base REV`, not to two spec files".into());
            }
            let stem = head.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
            let module = vendor_clients_codegen::module_name(stem).unwrap_or_else(|| "spec".into());
            inputs.push((module, Some(read(base)?), Some(read(head)?)));
            Ok(())
        }
        (Some(rev), None, None) => {
            let specs_dir = cli.specs.clone().unwrap_or_else(|| root.join("specs"));
            let shown = |file: &str| match &cli.specs {
                Some(d) => d.join(file).display().to_string(),
                None => format!("specs/{file}"),
            };
            let head_specs = if specs_dir.is_dir() {
                vendor_clients_codegen::find_specs(&specs_dir)
                    .map_err(|e| format!("cannot read {}: {e}", specs_dir.display()))?
            } else {
                Vec::new()
            };
            let base_specs = git::specs_at(rev, &specs_dir)?;
            let mut modules: Vec<String> = Vec::new();
            for f in &base_specs {
                let stem = f.file_name.trim_end_matches(".yaml");
                if let Some(m) = vendor_clients_codegen::module_name(stem) {
                    let base = SpecText {
                        name: format!("{rev}:{}", shown(&f.file_name)),
                        text: f.text.clone(),
                    };
                    modules.push(m.clone());
                    inputs.push((m, Some(base), None));
                }
            }
            for s in &head_specs {
                let file = s
                    .path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("spec.yaml");
                let mut head = read(&s.path)?;
                head.name = shown(file);
                match inputs.iter_mut().find(|(m, _, _)| m == &s.module) {
                    Some(entry) => entry.2 = Some(head),
                    None => {
                        modules.push(s.module.clone());
                        inputs.push((s.module.clone(), None, Some(head)));
                    }
                }
            }
            for v in &cli.vendors {
                if !modules.contains(v) {
                    return Err(format!(
                        "no spec for vendor `{v}` in {} (at {rev} or now)",
                        specs_dir.display()
                    ));
                }
            }
            inputs.retain(|(m, _, _)| cli.vendors.is_empty() || cli.vendors.contains(m));
            if inputs.is_empty() {
                return Err(format!(
                    "no `*.yaml` specs in {} (at {rev} or now)",
                    specs_dir.display()
                ));
            }
            Ok(())
        }
        _ => Err(
            "give two spec files (`diff BASE HEAD`) or a git revision (`diff --base origin/main`)"
                .into(),
        ),
    })();
    if let Err(e) = prepared {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let mut vendors = Vec::new();
    let mut failed = false;
    for (module, base, head) in &inputs {
        match diff_vendor(module, base.as_ref(), head.as_ref()) {
            Ok(v) => vendors.push(v),
            Err(e) => {
                eprint!("error: vendor `{module}`: {e}");
                failed = true;
            }
        }
    }
    if failed {
        return ExitCode::from(2);
    }
    let report = Report::new(vendors);
    match args.format {
        DiffFormat::Markdown => print!("{}", report.to_markdown()),
        DiffFormat::Json => print!("{}", report.to_json()),
    }
    let threshold = args.fail_on.map(|f| match f {
        FailOn::Breaking => Class::Breaking,
        FailOn::NonBreaking => Class::NonBreaking,
        FailOn::Informational => Class::Informational,
    });
    match (threshold, report.worst()) {
        (Some(t), Some(worst)) if worst >= t => {
            eprintln!(
                "diff: {} change(s) at or above `{}` found (--fail-on {})",
                report
                    .vendors
                    .iter()
                    .flat_map(|v| &v.changes)
                    .filter(|c| c.class >= t)
                    .count(),
                t.as_str(),
                t.as_str()
            );
            ExitCode::FAILURE
        }
        _ => ExitCode::SUCCESS,
    }
}

/// `check-corpus`: generate, compile and tabulate every spec under a folder.
fn check_corpus(args: &CorpusArgs, root: &Path) -> ExitCode {
    use vendor_clients_codegen::corpus::{
        compile_isolated, find_corpus_specs, generate_spec, table, write_modules, GenOutcome, Row,
    };
    let specs = match find_corpus_specs(&args.dir) {
        Ok(s) if s.is_empty() => {
            eprintln!(
                "error: no `.yaml`, `.yml` or `.json` specs under {}",
                args.dir.display()
            );
            return ExitCode::from(2);
        }
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.dir.display());
            return ExitCode::from(2);
        }
    };
    // A panic is reported in the table; the default hook would also print it mid-run.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rows: Vec<Row> = specs
        .into_iter()
        .map(|spec| {
            let started = Instant::now();
            let origin = match args.origin {
                Origin::Own => vendor_clients_codegen::SpecOrigin::Own,
                Origin::Published => vendor_clients_codegen::SpecOrigin::Published,
            };
            let outcome = generate_spec(&spec, origin);
            eprintln!(
                "generated {:<48} {:>8.1} ms  {}",
                spec.name,
                started.elapsed().as_secs_f64() * 1000.0,
                match &outcome {
                    GenOutcome::Generated(g) if g.warnings.is_empty() =>
                        format!("{} operations", g.operations),
                    GenOutcome::Generated(g) =>
                        format!("{} operations, {} warnings", g.operations, g.warnings.len()),
                    GenOutcome::Refused { .. } => "refused".to_string(),
                    GenOutcome::Panicked(_) => "PANICKED".to_string(),
                    GenOutcome::Unreadable(_) => "unreadable".to_string(),
                }
            );
            Row {
                spec,
                outcome,
                compiled: None,
            }
        })
        .collect();
    std::panic::set_hook(hook);
    if args.verbose {
        for r in &rows {
            match &r.outcome {
                GenOutcome::Refused { rendered, .. } => eprint!("{rendered}"),
                GenOutcome::Generated(g) => {
                    for w in &g.warnings {
                        eprint!("{w}");
                    }
                }
                _ => {}
            }
        }
    }
    let mut other: Vec<String> = Vec::new();
    if !args.no_compile {
        let runtime = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let scratch = args
            .scratch
            .clone()
            .unwrap_or_else(|| runtime.join("target").join("corpus"));
        let scratch =
            match std::fs::create_dir_all(&scratch).and_then(|_| std::fs::canonicalize(&scratch)) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!(
                        "error: cannot create the scratch folder {}: {e}",
                        scratch.display()
                    );
                    return ExitCode::from(2);
                }
            };
        let target = args
            .target_dir
            .clone()
            .unwrap_or_else(|| scratch.join("target"));
        let modules_dir = scratch.join("modules");
        if let Err(e) = write_modules(&modules_dir, &rows) {
            eprintln!(
                "error: cannot write the generated modules to {}: {e}",
                modules_dir.display()
            );
            return ExitCode::from(2);
        }
        let modules: Vec<String> = rows
            .iter()
            .filter(|r| matches!(r.outcome, GenOutcome::Generated(_)))
            .map(|r| r.spec.module.clone())
            .collect();
        eprintln!(
            "compiling {} clients as modules of the runtime crate (sources {}, target {})",
            modules.len(),
            modules_dir.display(),
            target.display()
        );
        match compile_isolated(&runtime, &modules_dir, &target, &modules) {
            Ok(mut report) => {
                for r in &mut rows {
                    r.compiled = report.modules.remove(&r.spec.module);
                }
                other = report.other;
            }
            Err(e) => {
                eprintln!("error: cargo failed:\n{e}");
                return ExitCode::from(2);
            }
        }
    }
    print!("{}", table(&rows));
    for o in &other {
        println!("outside the generated modules: {o}");
    }
    let failed = usize::from(!other.is_empty())
        + rows
            .iter()
            .filter(|r| !args.no_compile || !matches!(r.outcome, GenOutcome::Generated(_)))
            .filter(|r| r.failed(args.strict))
            .count();
    let generated = rows
        .iter()
        .filter(|r| matches!(r.outcome, GenOutcome::Generated(_)))
        .count();
    println!(
        "\n{} specs: {} generated, {} refused, {} failed",
        rows.len(),
        generated,
        rows.iter()
            .filter(|r| matches!(r.outcome, GenOutcome::Refused { .. }))
            .count(),
        failed
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
