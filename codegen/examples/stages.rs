//! One spec through each stage, timed: `cargo run --release -p vendor-clients-codegen --example
//! stages -- specs/partnerize.yaml [runs] [stage]`, where `stage` is `load`, `load1`, `lower`,
//! `emit`, `emit1` or `all` (the default). Made for callgrind (`valgrind --tool=callgrind
//! --separate-threads=yes`), whose instruction counts are steadier than timings on a shared
//! machine: with `stage`, only that stage runs `runs` times after one untimed pass.

use std::time::Instant;

use vendor_clients_codegen::{emit, load, lower, SourceFile};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "specs/partnerize.yaml".into());
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let stage = args.next().unwrap_or_else(|| "all".into());
    let text = std::fs::read_to_string(&path).expect("read the spec");
    let module = std::path::Path::new(&path)
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(vendor_clients_codegen::module_name)
        .expect("module name");
    let src = SourceFile::new(path.as_str(), text.as_str());
    // On the caller's thread, so that callgrind's per-thread counts hold only the measured stage.
    let doc = load::load_with_threads(&src, 1).expect("loads");
    let api = lower::lower(&src, &doc, &module).expect("lowers");
    let time = |name: &str, f: &dyn Fn()| {
        let started = Instant::now();
        for _ in 0..runs {
            f();
        }
        eprintln!(
            "{name}: {:.2?} per run",
            started.elapsed() / runs.max(1) as u32
        );
    };
    match stage.as_str() {
        "load" => time("load", &|| drop(load::load(&src).expect("loads"))),
        "load1" => time("load1", &|| {
            drop(load::load_with_threads(&src, 1).expect("loads"))
        }),
        "lower" => time("lower", &|| {
            drop(lower::lower(&src, &doc, &module).expect("lowers"))
        }),
        "emit" => time("emit", &|| drop(emit::emit(&api).expect("emits"))),
        "emit1" => time("emit1", &|| {
            drop(emit::emit_with_threads(&api, 1).expect("emits"))
        }),
        _ => time("generate", &|| {
            drop(vendor_clients_codegen::generate(&path, &text, &module).expect("generates"))
        }),
    }
}
