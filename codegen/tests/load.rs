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
