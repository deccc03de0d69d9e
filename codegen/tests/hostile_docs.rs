//! Text from a spec never becomes code: descriptions with code blocks of every kind are
//! generated, their doc comments handed to `rustdoc --test` as they would be in a user's crate,
//! and nothing runs. The same text passed through unchanged does run (the control), so the test
//! would see a regression.

use std::path::Path;
use std::process::Command;

use vendor_clients_codegen::generate;

/// A description with each kind of code block rustdoc would run, each writing a marker file.
fn hostile_description(marker: &Path) -> String {
    let m = marker.display();
    format!(
        "Untagged:\n\n```\nstd::fs::write(r\"{m}\", \"1\").unwrap();\n```\n\nTagged rust:\n\n~~~rust\nstd::fs::write(r\"{m}\", \"2\").unwrap();\n~~~\n\nIndented:\n\n    std::fs::write(r\"{m}\", \"3\").unwrap();\n\n> quoted\n> ```\n> std::fs::write(r\"{m}\", \"4\").unwrap();\n> ```\n\n- a list\n  ```\n  std::fs::write(r\"{m}\", \"5\").unwrap();\n  ```\n\nA JSON example:\n```\n{{\"a\": 1}}\n```"
    )
}

/// The spec (as JSON, which is YAML too): the description on the API, an operation, a schema
/// and a property.
fn spec(description: &str) -> String {
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1", "description": description},
        "paths": {"/t": {"get": {
            "operationId": "getT",
            "description": description,
            "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}}
            }}
        }}},
        "components": {"schemas": {"T": {
            "type": "object",
            "description": description,
            "properties": {"a": {"type": "string", "description": description}}
        }}}
    })
    .to_string()
}

/// The doc comments of `code` as the inner docs of a crate, and what `rustdoc --test` says of
/// it: (success, combined output).
fn rustdoc_test(dir: &Path, name: &str, docs: &[String]) -> (bool, String) {
    let file = dir.join(format!("{name}.rs"));
    let mut text: String = docs.iter().map(|l| format!("//!{l}\n")).collect();
    text.push_str("pub fn f() {}\n");
    std::fs::write(&file, text).unwrap();
    let rustdoc = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".into());
    let out = Command::new(rustdoc)
        .args(["--test", "--edition", "2021", "--crate-type", "lib"])
        .arg("--crate-name")
        .arg(name)
        .arg(&file)
        .current_dir(dir)
        .output()
        .expect("rustdoc runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), all)
}

/// The `///` lines of generated code, without the slashes.
fn doc_lines(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|l| l.trim_start().strip_prefix("///"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_hostile_description_runs_nothing_under_rustdoc_test() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("ran");
    let description = hostile_description(&marker);
    let generated = generate("hostile.yaml", &spec(&description), "hostile").unwrap();

    // Each block kind made it into the docs, as text.
    let docs = doc_lines(&generated.code);
    for n in 1..=5 {
        let line = format!("\"{n}\").unwrap();");
        assert!(
            docs.iter().any(|d| d.contains(&line)),
            "block {n} missing from the docs:\n{}",
            docs.join("\n")
        );
    }
    let (ok, out) = rustdoc_test(dir.path(), "generated_docs", &docs);
    assert!(ok, "{out}");
    assert!(out.contains("running 0 tests"), "{out}");
    assert!(!marker.exists(), "a doc block ran:\n{out}");

    // The control: the description as written is a set of doctests that do run.
    let raw: Vec<String> = description.lines().map(|l| format!(" {l}")).collect();
    let (_, out) = rustdoc_test(dir.path(), "raw_docs", &raw);
    assert!(marker.exists(), "the control ran nothing:\n{out}");
}

#[test]
fn control_characters_in_a_spec_reach_the_code_escaped() {
    let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n  description: \"bell \\a esc \\e nul \\0 bs \\b cr \\r mid, bidi \\u202Erev\\u202C \\u2066iso\\u2069\"\npaths:\n  /t:\n    get:\n      operationId: getT\n      parameters:\n        - {name: q, in: query, schema: {type: string, enum: [\"a\\u202Eb\", \"c\\ad\"]}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                description: \"obj \\e[31m\"\n                properties:\n                  \"we\\u202Eird\": {type: string, description: \"p \\0\"}\n";
    let generated = generate("controls.yaml", text, "controls").unwrap();
    let bad: Vec<(usize, char)> = generated
        .code
        .char_indices()
        .filter(|(_, c)| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(
        bad.is_empty(),
        "raw characters {bad:?} in:\n{}",
        generated.code
    );
    assert!(
        generated.code.contains("bell \\u{7} esc \\u{1b}"),
        "{}",
        generated.code
    );
    // The wire values keep their characters, as escapes in string literals.
    assert!(generated.code.contains("a\\u{202e}b"), "{}", generated.code);
    syn::parse_file(&generated.code).expect("the generated code parses");
}
