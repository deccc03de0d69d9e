//! The loader's fast path (a valid document is deserialized without locating anything) must not
//! accept what the careful path refuses.

use vendor_clients_codegen::generate;

#[test]
fn duplicate_keys_are_refused_not_silently_merged() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: one\n      responses: {'200': {description: ok}}\n  /a:\n    get:\n      operationId: two\n      responses: {'200': {description: ok}}\n";
    let err = match generate("specs/dup.yaml", text, "dup") {
        Ok(g) => panic!(
            "a duplicate path was accepted ({} operations)",
            g.operations
        ),
        Err(d) => d,
    };
    let first = &err.0[0];
    assert!(first.to_string().contains("duplicate entry"), "{first}");
    assert_eq!(first.line, 4);
}

#[test]
fn a_valid_document_still_gets_positions_for_later_diagnostics() {
    // Valid YAML and OpenAPI, but an unknown `$ref`: the lazily built position index must still
    // locate it.
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: one\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Nope'}\n";
    let err = generate("specs/ref.yaml", text, "r").expect_err("dangling $ref");
    let first = &err.0[0];
    assert!(first.line >= 12, "{first}");
    assert!(first.to_string().contains("Nope"), "{first}");
}

const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: one\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A%20B'}\ncomponents:\n  schemas:\n    A B: {type: object, properties: {x: {type: string}}}\n";

#[test]
fn percent_encoded_ref_pointers_name_the_schema_as_written() {
    // `#/components/schemas/A%20B` is the URI form of the pointer to `A B` (RFC 6901, 6).
    let g = generate("specs/pct.yaml", SPEC, "pct").expect("the encoded pointer resolves");
    assert!(g.code.contains("pub struct AB {"), "{}", g.code);
    assert!(g.code.contains("-> Result<AB, Error>"), "{}", g.code);
    // An escape that names no schema is still reported, with the pointer as written.
    let missing = SPEC.replace("A%20B'", "A%21B'");
    let err = generate("specs/pct.yaml", &missing, "pct").expect_err("no schema `A!B`");
    assert!(err.0[0].to_string().contains("A!B"), "{}", err.0[0]);
}

/// A spec file written in `bytes`, then generated as the CLI and build script do.
fn generate_file(name: &str, bytes: &[u8]) -> Result<vendor_clients_codegen::Generated, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let spec = vendor_clients_codegen::SpecFile {
        module: "t".into(),
        path,
    };
    let mut out = vendor_clients_codegen::generate_files(&[spec]);
    out.remove(0).0
}

#[test]
fn a_byte_order_mark_and_utf16_are_read() {
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(SPEC.as_bytes());
    assert_eq!(generate_file("bom.yaml", &bom).unwrap().operations, 1);
    // The same in JSON, whose parsers refuse a mark.
    let json = vendor_clients_codegen::load::to_json(SPEC)
        .unwrap()
        .to_string();
    let mut bom_json = b"\xEF\xBB\xBF".to_vec();
    bom_json.extend(json.as_bytes());
    assert_eq!(generate_file("bom.json", &bom_json).unwrap().operations, 1);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(SPEC.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(generate_file("utf16.yaml", &utf16).unwrap().operations, 1);
    // And as a string: a mark at the start of the text is no second document.
    let text = format!("\u{FEFF}{SPEC}");
    assert_eq!(
        generate("specs/bom.yaml", &text, "t").unwrap().operations,
        1
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_byte() {
    let bytes = SPEC
        .replace("title: T", "title: caf\u{1}")
        .replace('\u{1}', "");
    let mut bytes = bytes.into_bytes();
    let at = bytes.windows(3).position(|w| w == b"caf").unwrap() + 3;
    bytes.insert(at, 0xE9);
    let err = generate_file("latin1.yaml", &bytes).unwrap_err();
    assert!(err.contains("byte 0xE9 does not decode"), "{err}");
    assert!(err.contains(&format!("at byte offset {at}")), "{err}");
    assert!(err.contains("latin1.yaml:2:18"), "{err}");
}
