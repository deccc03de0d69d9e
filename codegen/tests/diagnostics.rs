//! Broken specs: each gives a located diagnostic (file, line, column, JSON pointer, snippet) and
//! none panics.

use vendor_clients_codegen::generate;

/// Generates `text` and returns the first diagnostic, rendered, with its line and pointer.
fn first_error(text: &str) -> (usize, usize, String, String) {
    let d = match generate("specs/broken.yaml", text, "broken") {
        Ok(_) => panic!("expected a diagnostic for:\n{text}"),
        Err(d) => d,
    };
    let first = d.0.first().expect("at least one diagnostic").clone();
    let rendered = first.to_string();
    assert!(
        rendered.contains(&format!(
            "--> specs/broken.yaml:{}:{}",
            first.line, first.column
        )),
        "{rendered}"
    );
    assert!(
        rendered.contains(&format!("= at {}", first.pointer)),
        "{rendered}"
    );
    if !text.is_empty() {
        assert!(
            rendered.contains(&format!("{} | ", first.line)),
            "snippet shows the line: {rendered}"
        );
    }
    (first.line, first.column, first.pointer, rendered)
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

#[test]
fn invalid_yaml_points_at_the_syntax_error() {
    let (line, _, pointer, msg) = first_error("openapi: 3.0.3\ninfo: {title: T\npaths: {}\n");
    assert!(msg.contains("invalid YAML"), "{msg}");
    assert_eq!(pointer, "#");
    assert!(line >= 2, "{msg}");
}

#[test]
fn empty_file_is_reported() {
    let (line, _, _, msg) = first_error("");
    assert!(msg.contains("the spec is empty"), "{msg}");
    assert_eq!(line, 1);
}

#[test]
fn unsupported_openapi_version() {
    let (line, col, pointer, msg) =
        first_error("openapi: 3.2.0\ninfo: {title: T, version: '1'}\npaths: {}\n");
    assert!(
        msg.contains("OpenAPI version `3.2.0` is not supported"),
        "{msg}"
    );
    assert_eq!((line, col, pointer.as_str()), (1, 1, "#/openapi"));
}

#[test]
fn wrong_type_in_document_names_the_path() {
    let (line, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: [not, a, string]\n"));
    assert!(msg.contains("invalid OpenAPI document"), "{msg}");
    assert!(
        pointer.starts_with("#/paths/~1a/get/responses"),
        "{pointer}"
    );
    assert!(line >= 6, "{msg}");
}

#[test]
fn missing_ref_target() {
    let (line, col, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Acount'}}\ncomponents:\n  schemas:\n    Account: {{type: object}}\n"));
    assert!(
        msg.contains("`$ref` target `#/components/schemas/Acount` does not exist"),
        "{msg}"
    );
    assert_eq!(
        pointer,
        "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
    );
    assert_eq!((line, col), (12, 24), "{msg}");
}

#[test]
fn duplicate_operation_id() {
    let (line, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{'204': {{description: ok}}}}\n  /b:\n    get:\n      operationId: same\n      responses: {{'204': {{description: ok}}}}\n"));
    assert!(
        msg.contains("operationId `same` is already used by GET /a"),
        "{msg}"
    );
    assert_eq!(pointer, "#/paths/~1b/get/operationId");
    assert_eq!(line, 10);
}

#[test]
fn path_placeholder_without_parameter() {
    let (line, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}}}\n"));
    assert!(
        msg.contains("uses `{id}` but GET /a/{id} declares no path parameter `id`"),
        "{msg}"
    );
    assert_eq!(pointer, "#/paths/~1a~1{id}");
    assert_eq!(line, 4);
}

#[test]
fn path_parameter_not_in_template() {
    let (line, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      responses: {{'204': {{description: ok}}}}\n"));
    assert!(
        msg.contains("path parameter `id` does not appear in the path `/a`"),
        "{msg}"
    );
    assert_eq!(pointer, "#/paths/~1a/get/parameters/0");
    assert_eq!(line, 8);
}

#[test]
fn unsupported_request_content_type() {
    let (_, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    post:\n      operationId: a\n      requestBody:\n        content:\n          multipart/mixed:\n            schema: {{type: object}}\n      responses: {{'204': {{description: ok}}}}\n"));
    assert!(
        msg.contains("request body content type multipart/mixed is not supported"),
        "{msg}"
    );
    assert_eq!(pointer, "#/paths/~1a/post/requestBody/content");
}

#[test]
fn deep_object_style_on_a_scalar() {
    let (_, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {{name: f, in: query, style: deepObject, schema: {{type: integer}}}}\n      responses: {{'204': {{description: ok}}}}\n"));
    assert!(
        msg.contains("query parameter `f` has `style: deepObject` but is not an object"),
        "{msg}"
    );
    assert_eq!(pointer, "#/paths/~1a/get/parameters/0/style");
}

#[test]
fn names_that_collide_after_case_conversion() {
    let (line, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    T:\n      type: object\n      properties:\n        fooBar: {{type: string}}\n        foo_bar: {{type: string}}\n"));
    assert!(
        msg.contains("properties `fooBar` and `foo_bar` both become the Rust field `foo_bar`"),
        "{msg}"
    );
    assert_eq!(pointer, "#/components/schemas/T/properties/foo_bar");
    assert_eq!(line, 14);
}

#[test]
fn type_names_that_collide() {
    // Names the generator picks are made unique (corpus_constructs.rs); names given with
    // `x-rust-name` are the user's choice, so a clash is reported.
    let (_, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    a: {{type: object, x-rust-name: MyType}}\n    b: {{type: object, x-rust-name: MyType}}\n"));
    assert!(
        msg.contains(
            "the Rust type name `MyType` is already taken by the schema at #/components/schemas/a"
        ),
        "{msg}"
    );
    assert_eq!(pointer, "#/components/schemas/b");
}

#[test]
fn empty_paths() {
    let (line, _, pointer, msg) = first_error(&format!("{HEAD}paths: {{}}\n"));
    assert!(msg.contains("the spec has no paths"), "{msg}");
    assert_eq!((line, pointer.as_str()), (3, "#/paths"));
}

#[test]
fn reference_cycle_by_value() {
    // A struct that contains itself is boxed (corpus_constructs.rs); aliases of each other are
    // no type at all.
    let (_, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    Node: {{$ref: '#/components/schemas/Other'}}\n    Other: {{$ref: '#/components/schemas/Node'}}\n"));
    assert!(
        msg.contains("`Node` is only a `$ref` that leads back to itself (Node -> Other -> Node)"),
        "{msg}"
    );
    assert_eq!(pointer, "#/components/schemas/Node");
}

#[test]
fn undefined_security_scheme() {
    let (_, _, pointer, msg) = first_error(&format!("{HEAD}security: [{{nope: []}}]\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}}}\n"));
    assert!(
        msg.contains("security scheme `nope` is not defined"),
        "{msg}"
    );
    assert_eq!(pointer, "#/security/0");
}

#[test]
fn enum_values_that_collide() {
    let (_, _, pointer, msg) = first_error(&format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    R:\n      type: string\n      enum: ['AUTHENTICATION FAILED', AUTHENTICATION_FAILED]\n"));
    assert!(msg.contains("enum values `AUTHENTICATION FAILED` and `AUTHENTICATION_FAILED` both become the Rust variant `AuthenticationFailed`"), "{msg}");
    assert_eq!(pointer, "#/components/schemas/R/enum/1");
}

#[test]
fn several_problems_are_reported_together() {
    let d = generate("specs/broken.yaml", &format!("{HEAD}paths:\n  /a/{{y}}:\n    get:\n      operationId: a\n      responses: {{'204': {{description: ok}}}}\n  /b/{{x}}:\n    get:\n      operationId: b\n      responses: {{'204': {{description: ok}}}}\n"), "broken").unwrap_err();
    assert_eq!(d.0.len(), 2, "{d}");
    assert!(d.to_string().contains("2 problems found"), "{d}");
}
