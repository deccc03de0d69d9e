//! docs/REFUSALS.md, the table of what the generator refuses and why, is made from the
//! diagnostic cases (tests/diagnostics/cases: the comment at the top of each says what is wrong)
//! and their snapshots (the first line is the message a user sees). This test fails when the
//! committed table differs from the cases, so a new refusal cannot land undocumented.
//!
//! After adding or changing a case:
//!
//! ```text
//! UPDATE_SNAPSHOTS=1 cargo test -p vendor-clients-codegen --test refusals_doc
//! ```

use std::path::Path;

fn table() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = root.join("tests/diagnostics/cases");
    let mut names: Vec<String> = std::fs::read_dir(&cases)
        .expect("tests/diagnostics/cases")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
        .collect();
    names.sort();
    let mut out = String::from(
        "# What the generator refuses, and why\n\n\
         <!-- Made by codegen/tests/refusals_doc.rs from codegen/tests/diagnostics: do not edit by hand;\n\
         run `UPDATE_SNAPSHOTS=1 cargo test -p vendor-clients-codegen --test refusals_doc`. -->\n\n\
         Every spec below is refused, with diagnostics that name the file, line, column and JSON\n\
         pointer (the full text is in `codegen/tests/diagnostics/snapshots/<case>.txt`). What the\n\
         generator accepts by renaming, escaping or wrapping instead is in\n\
         [SPECS.md](SPECS.md#what-is-refused-and-what-is-repaired).\n\n\
         | case | what is wrong | what the generator says |\n|---|---|---|\n",
    );
    for name in &names {
        let spec = std::fs::read_to_string(cases.join(format!("{name}.yaml"))).unwrap_or_default();
        let what: Vec<&str> = spec
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect();
        let snapshot =
            std::fs::read_to_string(root.join(format!("tests/diagnostics/snapshots/{name}.txt")))
                .unwrap_or_default();
        let said = snapshot
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ");
        let cell = |s: &str| s.replace('|', "\\|");
        out.push_str(&format!(
            "| `{name}` | {} | {} |\n",
            cell(&what.join(" ")),
            cell(said)
        ));
    }
    out
}

#[test]
fn the_refusals_table_lists_every_diagnostic_case() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/REFUSALS.md");
    let want = table();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &want).expect("write docs/REFUSALS.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/REFUSALS.md is out of date with the diagnostic cases: run `UPDATE_SNAPSHOTS=1 cargo test -p vendor-clients-codegen --test refusals_doc`"
    );
}
