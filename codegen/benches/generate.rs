//! Generation time: load, lower, emit and format each vendor spec in `specs/`, and all of them,
//! in process; and the command-line `generate` for all vendors (the binary run as a child
//! process, writing to a scratch directory). Target: every spec under 100 ms in release, so the
//! build script never shows in a build's timings.
//!
//! Per vendor: `load` (YAML to the OpenAPI model), `lower`, `emit` (tokens, syn, prettyplease)
//! on one thread, the baseline, and on the default number of threads, and the whole `generate`.
//!
//! Run with `cargo bench -p vendor-clients-codegen --bench generate`.

use std::path::PathBuf;
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use vendor_clients_codegen::{emit, load, lower, SourceFile};

fn specs() -> Vec<(String, String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let found = vendor_clients_codegen::find_specs(&dir).expect("specs/");
    found
        .into_iter()
        .map(|s| {
            let text = std::fs::read_to_string(&s.path).expect("read spec");
            let name = format!(
                "specs/{}",
                s.path.file_name().and_then(|n| n.to_str()).unwrap_or("?")
            );
            (s.module, name, text)
        })
        .collect()
}

fn in_process(c: &mut Criterion) {
    let specs = specs();
    let mut group = c.benchmark_group("generate");
    for (module, name, text) in &specs {
        // Report size alongside time: generated lines per operation.
        let out = vendor_clients_codegen::generate(name, text, module).expect("generates");
        let lines = out.code.lines().count();
        eprintln!(
            "{module}: {} operations, {lines} generated lines, {:.0} lines/operation",
            out.operations,
            lines as f64 / out.operations.max(1) as f64
        );
        let src = SourceFile::new(name.as_str(), text.as_str());
        let doc = load::load(&src).expect("loads");
        let api = lower::lower(&src, &doc, module).expect("lowers");
        group.bench_function(format!("{module}/load"), |b| {
            b.iter(|| load::load(&src).expect("loads"))
        });
        group.bench_function(format!("{module}/lower"), |b| {
            b.iter(|| lower::lower(&src, &doc, module).expect("lowers"))
        });
        group.bench_function(format!("{module}/emit_1_thread"), |b| {
            b.iter(|| emit::emit_with_threads(&api, 1).expect("emits"))
        });
        group.bench_function(format!("{module}/emit"), |b| {
            b.iter(|| emit::emit(&api).expect("emits"))
        });
        group.bench_function(format!("{module}/generate"), |b| {
            b.iter(|| vendor_clients_codegen::generate(name, text, module).expect("generates"))
        });
    }
    group.bench_function("all", |b| {
        b.iter(|| {
            for (module, name, text) in &specs {
                vendor_clients_codegen::generate(name, text, module).expect("generates");
            }
        })
    });
    group.finish();
}

fn command_line(c: &mut Criterion) {
    let out = tempfile::tempdir().expect("scratch dir");
    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut group = c.benchmark_group("cli");
    group.sample_size(20);
    group.bench_function("generate_all_vendors", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_vendor-clients-codegen"))
                .arg("--specs")
                .arg(&specs)
                .arg("--out")
                .arg(out.path())
                .arg("generate")
                .stdout(std::process::Stdio::null())
                .status()
                .expect("run the generator");
            assert!(status.success());
        })
    });
    group.finish();
}

criterion_group!(benches, in_process, command_line);
criterion_main!(benches);
