//! Snapshot tests of the generator's diagnostics: every spec under `tests/diagnostics/cases` is
//! broken or unsupported on purpose (its first lines say how). Each must be refused without a
//! panic, with diagnostics that are located (file, line, column, JSON pointer, snippet), and the
//! rendered text (exactly what the CLI prints) must equal `tests/diagnostics/snapshots/<case>.txt`.
//!
//! After a deliberate change to a message, rewrite the snapshots and review the diff:
//!
//! ```text
//! UPDATE_SNAPSHOTS=1 cargo test -p vendor-clients-codegen --test diagnostic_snapshots
//! ```

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use vendor_clients_codegen::{generate, Diagnostic, Diagnostics};

/// The issue asks for at least this many broken specs.
const MIN_CASES: usize = 30;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics")
}

/// Case names (file stems), sorted.
fn cases() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir().join("cases"))
        .expect("tests/diagnostics/cases exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// What running the generator on a case did.
enum Outcome {
    Refused(Diagnostics),
    Accepted,
    Panicked(String),
}

fn run(name: &str, text: &str) -> Outcome {
    let file = format!("cases/{name}.yaml");
    // The default hook would print the panic in the middle of the test output; the failure
    // message below says it instead.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(|| generate(&file, text, "broken")));
    panic::set_hook(hook);
    match result {
        Ok(Ok(_)) => Outcome::Accepted,
        Ok(Err(d)) => Outcome::Refused(d),
        Err(payload) => Outcome::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(non-string panic payload)".into()),
        ),
    }
}

/// The structural promises every diagnostic keeps; `Err` says which one is broken.
///
/// The only exception is honest: a file with no lines at all has nothing to show, so its
/// snippet is empty (it is still at line 1, column 1, pointer `#`). A YAML syntax error has no
/// document tree, so its pointer is `#` (the document), but it has a line, column and snippet.
fn check_located(name: &str, text: &str, d: &Diagnostic) -> Result<(), String> {
    let expected_file = format!("cases/{name}.yaml");
    if d.file != expected_file {
        return Err(format!("file is `{}`, not `{expected_file}`", d.file));
    }
    if d.line < 1 || d.column < 1 {
        return Err(format!(
            "line {} column {} is not 1-based",
            d.line, d.column
        ));
    }
    let lines = text.lines().count();
    if d.line > lines.max(1) {
        return Err(format!("line {} is past the end ({lines} lines)", d.line));
    }
    if !d.pointer.starts_with('#') {
        return Err(format!("pointer `{}` does not start with `#`", d.pointer));
    }
    if d.message.trim().is_empty() {
        return Err("empty message".into());
    }
    if d.message.starts_with("invalid YAML") && d.pointer != "#" {
        return Err(format!(
            "a YAML syntax error has no tree to point into, but the pointer is `{}`",
            d.pointer
        ));
    }
    if lines == 0 {
        if !d.snippet.is_empty() {
            return Err("a file without lines cannot have a snippet".into());
        }
        return Ok(());
    }
    // The snippet shows the diagnostic's own line, with a caret under its column.
    let width = d
        .snippet
        .lines()
        .next()
        .map_or(0, |l| l.find(" | ").unwrap_or(0));
    let own = format!("{:>width$} | ", d.line);
    let Some(at) = d.snippet.lines().position(|l| l.starts_with(&own)) else {
        return Err(format!(
            "snippet does not show line {}:\n{}",
            d.line, d.snippet
        ));
    };
    let caret = d.snippet.lines().nth(at + 1).unwrap_or_default();
    let expected_caret = format!("{:>width$} | {}^", "", " ".repeat(d.column - 1));
    if caret != expected_caret {
        return Err(format!(
            "no caret under column {} in the snippet:\n{}",
            d.column, d.snippet
        ));
    }
    Ok(())
}

#[test]
fn every_case_is_refused_with_located_diagnostics_matching_its_snapshot() {
    let update = std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    let names = cases();
    assert!(
        names.len() >= MIN_CASES,
        "only {} cases in tests/diagnostics/cases; at least {MIN_CASES} are required",
        names.len()
    );
    let mut failures = Vec::new();
    for name in &names {
        let path = dir().join("cases").join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&path).expect("case is readable");
        let diags = match run(name, &text) {
            Outcome::Panicked(msg) => {
                failures.push(format!("{name}: the generator PANICKED: {msg}"));
                continue;
            }
            Outcome::Accepted => {
                failures.push(format!("{name}: the spec was accepted, but it is broken"));
                continue;
            }
            Outcome::Refused(d) => d,
        };
        if diags.0.is_empty() {
            failures.push(format!("{name}: refused with no diagnostics"));
            continue;
        }
        for d in diags.iter() {
            if let Err(why) = check_located(name, &text, d) {
                failures.push(format!("{name}: {why}\n{d}"));
            }
        }
        // Exactly what `vendor-clients-codegen generate` prints to stderr.
        let rendered = diags.to_string();
        let snap = dir().join("snapshots").join(format!("{name}.txt"));
        if update {
            std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
            if std::fs::read_to_string(&snap).ok().as_deref() != Some(rendered.as_str()) {
                std::fs::write(&snap, &rendered).expect("snapshot is writable");
                eprintln!("updated {}", snap.display());
            }
            continue;
        }
        match std::fs::read_to_string(&snap) {
            Ok(expected) if expected == rendered => {}
            Ok(expected) => failures.push(format!(
                "{name}: diagnostics differ from snapshots/{name}.txt\n--- expected\n{expected}--- actual\n{rendered}"
            )),
            Err(_) => failures.push(format!(
                "{name}: no snapshots/{name}.txt; run with UPDATE_SNAPSHOTS=1 and review it\n--- actual\n{rendered}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed (UPDATE_SNAPSHOTS=1 rewrites snapshots after a deliberate change):\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_case_says_what_it_breaks_and_every_snapshot_has_a_case() {
    let names = cases();
    for name in &names {
        let text = std::fs::read_to_string(dir().join("cases").join(format!("{name}.yaml")))
            .expect("case is readable");
        assert!(
            text.starts_with("# "),
            "cases/{name}.yaml must start with a `# ...` comment saying what it breaks"
        );
    }
    for e in std::fs::read_dir(dir().join("snapshots")).expect("snapshots dir exists") {
        let p = e.unwrap().path();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            names.contains(&stem),
            "snapshots/{stem}.txt has no case cases/{stem}.yaml; delete it"
        );
    }
}
