//! Specs we do not own (`SpecOrigin::Published`): OpenAPI 3.1 read as 3.0, name collisions
//! renamed, and each spot read as something other than what it says reported as a located
//! warning; our own specs (`SpecOrigin::Own`) still refuse the collisions. The small specs are
//! in `tests/published/`.

use vendor_clients_codegen::{generate_as, Diagnostic, Generated, SpecOrigin};

fn spec(file: &str) -> String {
    let path = format!("{}/tests/published/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn published(file: &str) -> Generated {
    generate_as(file, &spec(file), "t", SpecOrigin::Published).unwrap_or_else(|d| panic!("{d}"))
}

/// `line: message` of each warning, in order.
fn warnings(g: &Generated) -> Vec<String> {
    g.warnings
        .iter()
        .map(|w: &Diagnostic| format!("{}: {}", w.line, w.message))
        .collect()
}

fn has(code: &str, needle: &str) {
    assert!(code.contains(needle), "missing `{needle}` in:\n{code}");
}

#[test]
fn openapi_31_is_read_as_30_with_a_warning_where_something_is_not_kept() {
    let g = published("oas31.yaml");
    assert_eq!(g.operations, 2);
    let c = &g.code;
    // type lists with null: nullable; const: a one-value enum; examples: the first example.
    has(c, "pub label: ::vendor_clients::Nullable<String>,");
    has(c, "pub kind: ThingKind,");
    has(c, "#[wire(\"thing\")]");
    // a list of several types and a tuple: any JSON value.
    has(
        c,
        "pub anything: Option<::vendor_clients::serde_json::Value>,",
    );
    has(
        c,
        "pub pair: Option<Vec<::vendor_clients::serde_json::Value>>,",
    );
    // $defs hoisted, an $anchor reference resolved to a copy, $ref with siblings kept.
    has(c, "pub size: Option<Size>,");
    has(c, "pub owner_id: Option<i64>,");
    has(c, "pub owner: ::vendor_clients::Nullable<");
    let w = warnings(&g);
    assert_eq!(
        w,
        vec![
            "2: `jsonSchemaDialect` is not the OpenAPI default: schemas are read as the OpenAPI dialect",
            "32: webhooks (thingChanged) are loaded but not generated: a client sends requests, webhooks are received",
            "60: `$defs/Size` of `Thing` is read as the component schema `Size`",
            "58: `$ref: https://example.com/owner#owner_id` names a schema inside another (#/components/schemas/Owner/properties/id): a copy of it is used here",
            "51: a value of several types (string, number) is read as any JSON value",
            "52: a tuple (`prefixItems`) has no Rust type here: read as an array of any JSON values",
        ],
        "{w:#?}"
    );
    assert!(g
        .warnings
        .iter()
        .all(|w| w.to_string().starts_with("warning: ")));
}

#[test]
fn a_published_specs_collisions_are_renamed_and_ours_are_refused() {
    let g = published("collisions.yaml");
    let c = &g.code;
    has(c, "#[wire(\"-1\")]\n    Minus1,");
    has(c, "#[wire(\"+1\")]\n    V1,");
    has(c, "pub minus_1: Option<i64>,");
    has(c, "Add2,");
    has(c, "Slash,");
    has(c, "List2(");
    let w = warnings(&g);
    assert_eq!(
        w,
        vec![
            "24: property `-1` would become the Rust field `_1`, as `+1` does: named `minus_1`",
            "25: enum value `Add` would become the Rust variant `Add`, as `add` does: named `Add2`",
            "25: enum value `/` has no letters or digits: named `Slash`",
            "31: this alternative would become the Rust variant `List`, as an earlier one does: named `List2`",
            "11: enum value `-1` would become the Rust variant `V1`, as `+1` does: named `Minus1`",
        ],
        "{w:#?}"
    );
    // allOf parts that differ only in their example agree, in both modes: no warning for them.
    assert!(!w.iter().any(|w| w.contains("allOf")));
    let own = generate_as(
        "collisions.yaml",
        &spec("collisions.yaml"),
        "t",
        SpecOrigin::Own,
    )
    .expect_err("our own specs refuse collisions");
    let msgs: Vec<&str> = own.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(msgs.len(), 5, "{own}");
    assert!(
        msgs.contains(&"enum values `+1` and `-1` both become the Rust variant `V1`"),
        "{own}"
    );
}

#[test]
fn a_published_specs_colliding_parameters_and_operations_are_renamed_and_ours_are_refused() {
    let g = published("operation_collisions.yaml");
    let c = &g.code;
    // The path parameter keeps its name; the others with the same Rust name are named after
    // where they go, and still sent under their own names.
    has(
        c,
        "pub async fn get_key(\n        &self,\n        key_id: &str,",
    );
    has(
        c,
        "#[param(query = \"keyId\")]\n    pub key_id_query: Option<String>,",
    );
    has(
        c,
        "#[param(header = \"KeyId\")]\n    pub key_id_header: Option<String>,",
    );
    has(
        c,
        "#[param(query = \"key_id_query\")]\n    pub key_id_query_query: Option<String>,",
    );
    // An operationId used twice keeps its id; the second method gets a name of its own, and so
    // does the second of two that differ only in case.
    has(
        c,
        "GET \"/things/other\",\n        operation_id = \"getThing\",\n        ok(204 => empty),\n    )]\n    pub async fn get_thing_2(",
    );
    has(c, "pub async fn create_audits(&self)");
    has(
        c,
        "operation_id = \"createAudits\",\n        ok(204 => empty),\n    )]\n    pub async fn create_audits_2(",
    );
    // An operationId with no letters: named after the method and path, as without one.
    has(c, "pub async fn get_stations_id(&self, id: &str)");
    assert_eq!(g.operations, 6);
    let w = warnings(&g);
    assert_eq!(
        w,
        vec![
            "9: query parameter `keyId` would become the Rust parameter `key_id`, as `keyId` does: named `key_id_query`",
            "11: header parameter `KeyId` would become the Rust parameter `key_id`, as `keyId` does: named `key_id_header`",
            "12: query parameter `key_id_query` would become the Rust parameter `key_id_query`, as `keyId` does: named `key_id_query_query`",
            "22: operationId `getThing` is already used by GET /things: this operation's method is `get_thing_2`",
            "27: operationId `createAudits` would become the Rust method `create_audits`, as `CreateAudits` does: named `create_audits_2`",
            "36: operationId `` cannot become a Rust method name: named after its method and path, `get_stations_id`",
            "41: path `/downloads/{id}` has no operations: the client has no method for it",
        ],
        "{w:#?}"
    );
    let own = generate_as(
        "operation_collisions.yaml",
        &spec("operation_collisions.yaml"),
        "t",
        SpecOrigin::Own,
    )
    .expect_err("our own specs refuse collisions");
    let msgs: Vec<&str> = own.iter().map(|d| d.message.as_str()).collect();
    for refused in [
        "parameters `keyId` and `keyId` both become the Rust parameter `key_id`",
        "operationId `getThing` is already used by GET /things",
        "operationId `createAudits` and `CreateAudits` both become the Rust method `create_audits`",
        "operationId `` cannot become a Rust method name",
        "path `/downloads/{id}` has no operations",
    ] {
        assert!(msgs.contains(&refused), "{refused}: {own}");
    }
}

#[test]
fn undefined_schemes_and_out_of_range_bounds_are_warnings_for_a_published_spec_only() {
    let g = published("defects.yaml");
    assert_eq!(
        warnings(&g),
        vec![
            "19: `maximum: 18446744073709551615` is not a 64-bit integer, which the field is: the bound is not kept",
            "20: `minimum: -1.7014118346046923e38` is not a 64-bit integer, which the field is: the bound is not kept",
            "25: security scheme `oauth` is not defined: this security alternative is ignored",
        ]
    );
    has(&g.code, "pub id: Option<i64>,");
    let own = generate_as("defects.yaml", &spec("defects.yaml"), "t", SpecOrigin::Own)
        .expect_err("our own specs refuse the bound");
    assert_eq!(own.0[0].line, 19, "{own}");
    let text = spec("defects.yaml")
        .replace("maximum: 18446744073709551615", "maximum: 10")
        .replace(
            "minimum: -170141183460469231731687303715884105728",
            "minimum: 1",
        );
    let own = generate_as("defects.yaml", &text, "t", SpecOrigin::Own)
        .expect_err("our own specs refuse the undefined scheme");
    assert_eq!(
        own.0[0].message, "security scheme `oauth` is not defined",
        "{own}"
    );
}

#[test]
fn an_inline_schema_of_a_shared_response_is_defined_once() {
    for origin in [SpecOrigin::Own, SpecOrigin::Published] {
        let text = spec("shared_responses.yaml");
        let g = generate_as("shared_responses.yaml", &text, "t", origin)
            .unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(
            g.code.matches("pub struct PreviewHeaderMissing").count(),
            1,
            "{}",
            g.code
        );
    }
}

#[test]
fn a_text_error_arm_beside_json_error_bodies_has_a_variant_of_the_error_body() {
    let g = published("text_default.yaml");
    has(&g.code, "err(404 => json(Problem), default => text)");
    has(
        &g.code,
        "pub type Error = ::vendor_clients::Error<ErrorBody>;",
    );
    has(&g.code, "impl From<String> for ErrorBody");
    has(&g.code, "impl From<Problem> for ErrorBody");
}

#[test]
fn a_binary_error_arm_has_a_variant_of_the_error_body_or_is_the_error_body() {
    let g = published("binary_errors.yaml");
    has(&g.code, "err(400 => bytes),");
    has(
        &g.code,
        "pub type Error = ::vendor_clients::Error<ErrorBody>;",
    );
    has(&g.code, "Bytes(::vendor_clients::bytes::Bytes),");
    has(
        &g.code,
        "impl From<::vendor_clients::bytes::Bytes> for ErrorBody",
    );
    has(&g.code, "impl From<String> for ErrorBody");
    has(&g.code, "impl From<ErrorDetails> for ErrorBody");
    // The only error body binary: the error type is `Bytes` itself.
    let only = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /d:\n    get:\n      operationId: d\n      responses:\n        '200': {description: ok, content: {application/pdf: {schema: {type: string, format: binary}}}}\n        '404': {description: gone, content: {application/pdf: {schema: {type: string}}}}\n";
    let g = generate_as("only.yaml", only, "t", SpecOrigin::Published)
        .unwrap_or_else(|d| panic!("{d}"));
    has(
        &g.code,
        "pub type Error = ::vendor_clients::Error<::vendor_clients::bytes::Bytes>;",
    );
    has(&g.code, "err(404 => bytes),");
}

#[test]
fn parameters_with_boolean_enums_or_items_of_any_value_are_read_as_their_wire_form() {
    let g = published("parameter_slips.yaml");
    let c = &g.code;
    has(c, "pub extended: Option<bool>,");
    has(c, "pub accepted: Option<ListFormsAccepted>,");
    has(c, "#[wire(\"true\")]");
    has(c, "#[wire(\"false\")]");
    has(c, "pub tags: Vec<String>,");
    has(c, "pub ids: Option<Vec<String>>,");
    assert_eq!(
        warnings(&g),
        vec![
            "11: a parameter whose `enum` lists booleans: read as a boolean",
            "14: a string parameter whose `enum` lists booleans: read as the strings `true` and `false`",
            "18: a list parameter whose `items` may be any value: read as a list of strings",
            "21: a list parameter without `items`: read as a list of strings",
        ]
    );
    // Our own specs are not read leniently.
    assert!(generate_as(
        "parameter_slips.yaml",
        &spec("parameter_slips.yaml"),
        "t",
        SpecOrigin::Own
    )
    .is_err());
}

#[test]
fn a_query_of_parameters_in_a_path_template_is_read_as_query_parameters() {
    let g = published("query_in_path.yaml");
    let c = &g.code;
    // Beside `/orders` with the same method: a second method on `/orders`.
    has(
        c,
        "GET \"/orders\",\n        operation_id = \"listOrders\",",
    );
    has(c, "pub async fn list_all_orders(&self)");
    // Beside `/products` with another method: a method on `/products`, with the path item's
    // parameter.
    has(
        c,
        "GET \"/products\",\n        operation_id = \"listProducts\",",
    );
    has(c, "POST \"/products\",");
    has(c, "GET \"/shipments\",");
    // Declared `in: path` because the template made them look so: optional query parameters.
    for (wire, field) in [
        ("customerName", "pub customer_name: Option<String>,"),
        ("page", "pub page: Option<i64>,"),
        ("sku", "pub sku: Option<String>,"),
        ("carrier", "pub carrier: Option<String>,"),
    ] {
        has(c, &format!("#[param(query = \"{wire}\")]\n    {field}"));
    }
    // Fixed text beside a parameter: the parameter's pair dropped, the fixed pair sent.
    has(
        c,
        "GET \"/reports?view=summary\",\n        operation_id = \"summarizeReports\",",
    );
    has(
        c,
        "#[param(query = \"from\")]\n    pub from: Option<String>,",
    );
    let w = warnings(&g);
    assert_eq!(w.len(), 11, "{w:#?}");
    assert!(w.contains(&"20: path `/products?sku={sku}` has a query of parameters in its template: read as `/products`, the parameters sent as declared".to_string()), "{w:#?}");
    assert!(w.contains(&"9: path `/orders?customerName={customerName}&page={page}` has a query of parameters in its template: read as `/orders`, the parameters sent as declared".to_string()), "{w:#?}");
    assert!(w.contains(&"14: path parameter `page` is in the query of the path template: read as an optional query parameter".to_string()), "{w:#?}");
    assert!(w.contains(&"36: path `/reports?view=summary&from={from}` has a query in its template: read as `/reports?view=summary`; the query's `from` is sent only as a declared query parameter".to_string()), "{w:#?}");
    assert!(w.contains(&"36: path `/reports?view=summary` has fixed text in the query of its template: `view=summary` is sent with every call, before the query parameters".to_string()), "{w:#?}");

    // A query of fixed text (`?mode=import`) is sent as written, beside `/keys` and alone.
    let fixed = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /keys:\n    post:\n      operationId: create\n      responses: {'204': {description: ok}}\n  /keys?mode=import&format=pem%20x:\n    post:\n      responses: {'204': {description: ok}}\n";
    let alone = fixed.replace(
        "  /keys:\n    post:\n      operationId: create\n      responses: {'204': {description: ok}}\n",
        "",
    );
    for spec in [fixed, alone.as_str()] {
        let g = generate_as("fixed.yaml", spec, "t", SpecOrigin::Published)
            .unwrap_or_else(|e| panic!("{e}"));
        // Named after the whole template, so that it differs from `/keys`'s.
        has(
            &g.code,
            "POST \"/keys?mode=import&format=pem%20x\",\n        ok(204 => empty),",
        );
        has(
            &g.code,
            "pub async fn post_keys_mode_import_format_pem_20x(&self)",
        );
        has(
            &g.code,
            "/// `POST /keys?mode=import&format=pem%20x` (operationId",
        );
    }
    // Refused still: a flag without a value, a placeholder under another name, text a query
    // cannot hold as written; and any query in our own specs.
    for query in ["acl", "key={APIKEY}", "q=a b", "q=x{y}"] {
        let spec = alone.replace("mode=import&format=pem%20x", query);
        let e = generate_as("fixed.yaml", &spec, "t", SpecOrigin::Published).unwrap_err();
        assert!(
            e.iter().any(|d| d
                .message
                .starts_with(&format!("malformed path template `/keys?{query}`"))),
            "{query}: {e}"
        );
    }
    let e = generate_as("fixed.yaml", &alone, "t", SpecOrigin::Own).unwrap_err();
    assert!(
        e.iter().any(|d| d
            .message
            .starts_with("malformed path template `/keys?mode=import")),
        "{e}"
    );
    assert!(generate_as(
        "query_in_path.yaml",
        &spec("query_in_path.yaml"),
        "t",
        SpecOrigin::Own
    )
    .is_err());
}

#[test]
fn an_all_of_of_one_reference_that_is_not_an_object_is_that_reference() {
    let g = published("all_of_references.yaml");
    let c = &g.code;
    // `type: object` or a narrower `enum` beside it, or a part that only names a type: the
    // referenced schema.
    has(c, "pub type RideProfile = Profile;");
    has(c, "pub type RideKind = Profile;");
    has(c, "pub type RideId = ResourceId;");
    // An object with a bare `{type: object}` part merges as before.
    has(c, "pub struct RideOwner {");
    assert_eq!(
        warnings(&g),
        vec![
            "21: `allOf` of `#/components/schemas/Profile`, which is not an object, with nothing else to merge: read as that schema",
            "25: `allOf` of `#/components/schemas/Profile`, which is not an object, with nothing else to merge: read as that schema",
            "28: `allOf` of `#/components/schemas/ResourceId`, which is not an object, with nothing else to merge: read as that schema",
        ]
    );
    let own = generate_as(
        "all_of_references.yaml",
        &spec("all_of_references.yaml"),
        "t",
        SpecOrigin::Own,
    )
    .expect_err("ours refuses them");
    assert!(
        own.iter()
            .any(|d| d.message.starts_with("`allOf` parts must be objects")),
        "{own}"
    );
}

#[test]
fn the_same_spec_generates_the_same_names_every_time() {
    assert_eq!(published("collisions.yaml"), published("collisions.yaml"));
}

#[test]
fn specs_folders_take_json_and_yml_too_and_refuse_two_files_for_one_module() {
    let dir = std::env::temp_dir().join(format!("i17-find-specs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for f in ["a.yaml", "b.json", "c-d.yml", "notes.md"] {
        std::fs::write(dir.join(f), "{}").expect("write");
    }
    let found = vendor_clients_codegen::find_specs(&dir).expect("found");
    let modules: Vec<&str> = found.iter().map(|s| s.module.as_str()).collect();
    assert_eq!(modules, ["a", "b", "c_d"]);
    std::fs::write(dir.join("a.json"), "{}").expect("write");
    let e = vendor_clients_codegen::find_specs(&dir).expect_err("a.json and a.yaml");
    assert!(
        e.to_string().contains("would both be the module `a`"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn swagger_2_is_converted_to_openapi_30() {
    for origin in [SpecOrigin::Own, SpecOrigin::Published] {
        let g = generate_as("swagger2.yaml", &spec("swagger2.yaml"), "t", origin)
            .unwrap_or_else(|d| panic!("{d}"));
        let c = &g.code;
        assert_eq!(g.operations, 3);
        // host + basePath + schemes, https first.
        let https = c
            .find("url: \"https://api.example.com/v1\"")
            .expect("https server");
        let http = c
            .find("url: \"http://api.example.com/v1\"")
            .expect("http server");
        assert!(https < http, "{c}");
        // securityDefinitions: basic and an oauth2 access-code flow (a bearer token).
        has(c, "pub fn key(");
        has(
            c,
            "pub fn oauth(self, token: impl Into<::vendor_clients::Secret>) -> Self",
        );
        // definitions, a body parameter by reference, produces, a shared response.
        has(c, "ok(200 => json(Vec<Thing>)),");
        has(c, "err(default => json(Problem)),");
        has(
            c,
            "pub async fn create_thing(&self, body: &Thing) -> Result<Thing, Error>;",
        );
        // x-nullable, collectionFormat multi, a parameter by reference, formData with a file.
        has(c, "pub note: ::vendor_clients::Nullable<String>,");
        has(
            c,
            "#[param(query = \"tags\")]\n    pub tags: Option<Vec<String>>,",
        );
        has(c, "#[param(query = \"limit\")]");
        has(c, "body(multipart) = body,");
        has(c, "form.file(\"file\", &self.file);");
        assert!(g.warnings.is_empty(), "{:?}", warnings(&g));
    }
    // A response's `examples` become its media type's `example`.
    let src = vendor_clients_codegen::SourceFile::new("swagger2.yaml", spec("swagger2.yaml"));
    let doc = vendor_clients_codegen::load::load(&src).unwrap_or_else(|d| panic!("{d}"));
    let created = doc.paths.paths["/things"]
        .as_item()
        .and_then(|p| p.post.as_ref())
        .and_then(|op| {
            op.responses
                .responses
                .get(&openapiv3::StatusCode::Code(201))
        })
        .and_then(|r| r.as_item())
        .expect("201");
    assert_eq!(
        created.content["application/json"].example,
        Some(serde_json::json!({"id": "t-1"}))
    );
}

#[test]
fn a_published_specs_slips_are_read_as_meant_with_a_warning_each() {
    let g = published("slips.yaml");
    let w = warnings(&g);
    let want = [
        "47: `$ref: #/paths/~1publishers~1%3Cpublisher_id%3E~1links/get/responses/200/content/application~1json/schema/properties/created` names a node that is not a component: a copy of it is used here",
        "13: a list parameter without `items`: read as a list of strings",
        "30: `allOf` of parts that are not objects: read as one schema, their constraints merged (the first part's where two disagree)",
        "35: path `/terms/{campaign}?ids={ids}` has a query in its template: read as `/terms/{campaign}`; the query's `ids` is sent only as a declared query parameter",
        "5: path `/publishers/<publisher_id>/links` writes its parameters in `<>`: read as `/publishers/{publisher_id}/links`",
        "9: path parameter `publisher_id` is not `required: true`: read as required, as a path needs it",
        "10: path parameter `partner_id` is not in the path `/publishers/{publisher_id}/links`: ignored",
        "36: `{campaign}` of the path has no parameter: read as a required string path parameter `campaign`",
        "16: query parameter `tags` has `style: deepObject` but is not an object: sent in the `form` style",
    ];
    assert_eq!(w, want, "{w:#?}");
    let c = &g.code;
    has(c, "GET \"/publishers/{publisher_id}/links\"");
    has(c, "GET \"/terms/{campaign}\"");
    has(c, "pub created: Option<::vendor_clients::DateTime>,");
    has(
        c,
        "#[param(query = \"ids\")]\n    pub ids: Option<Vec<String>>,",
    );
    has(c, "#[param(query = \"tags\")]");
    // Our own specs refuse the same slips.
    assert!(generate_as("slips.yaml", &spec("slips.yaml"), "t", SpecOrigin::Own).is_err());
}

/// Every prefix of every published case (cut at each line) and every case with one line left
/// out, in both readings: a located result, never a panic. (The fuzz target does this at random;
/// this runs in every `cargo test`.)
#[test]
fn cut_and_gapped_published_specs_never_panic() {
    let dir = format!("{}/tests/published", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("published cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    let mut runs = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let cut = lines[..i].join("\n");
            let gapped = [&lines[..i], &lines[i + 1..]].concat().join("\n");
            for t in [cut, gapped] {
                for origin in [SpecOrigin::Own, SpecOrigin::Published] {
                    match generate_as("cut.yaml", &t, "t", origin) {
                        Ok(g) => assert!(g.warnings.iter().all(|w| w.line >= 1)),
                        Err(d) => assert!(d.iter().all(|e| !e.message.is_empty())),
                    }
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 500, "{runs}");
}

#[test]
fn references_that_copy_themselves_are_bounded() {
    // Each level refers twice to the one above it: copying without a bound would double the
    // document at every round.
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n",
    );
    let base = "#/paths/~1a/get/responses/200/content/application~1json/schema";
    text.push_str(&format!(
        "                  x: {{$ref: '{base}'}}\n                  y: {{$ref: '{base}'}}\n"
    ));
    let started = std::time::Instant::now();
    let r = generate_as("loop.yaml", &text, "t", SpecOrigin::Published);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // Refused or generated, but located and finished.
    if let Err(d) = r {
        assert!(d.iter().all(|e| e.line > 0), "{d}");
    }
}

/// The open-enum idiom (`anyOf: [{type: string, enum: [...]}, {type: string}]`) is one open
/// enum in both origins, as a component, a property and a query parameter; near misses stay
/// unions.
#[test]
fn the_open_enum_idiom_is_an_open_enum_in_both_origins() {
    for origin in [SpecOrigin::Own, SpecOrigin::Published] {
        // 3.1 is only read as published; the same spec as 3.0.3 is our own.
        let text = match origin {
            SpecOrigin::Own => spec("open_enums.yaml").replace("openapi: 3.1.0", "openapi: 3.0.3"),
            SpecOrigin::Published => spec("open_enums.yaml"),
        };
        let g = generate_as("open_enums.yaml", &text, "t", origin)
            .unwrap_or_else(|d| panic!("{origin:?}: {d}"));
        let c = &g.code;
        for (name, first, last) in [
            ("Direction", "Asc,", "Desc,"),
            ("ReportStatus", "Pending,", "Done,"),
            ("ListReportsOrderBy", "CreatedAt,", "TotalCommission,"),
        ] {
            let at = c
                .find(&format!("pub enum {name} {{"))
                .unwrap_or_else(|| panic!("{origin:?}: no enum {name} in:\n{c}"));
            let body = &c[at..at + c[at..].find("\n}").unwrap_or(0)];
            assert!(body.contains(first) && body.contains(last), "{body}");
            assert!(body.contains("Unknown(String),"), "{body}");
            assert!(!body.contains("String(String)"), "{body}");
        }
        has(c, "pub status: Option<ReportStatus>,");
        has(c, "pub order_by: Option<ListReportsOrderBy>,");
        for union in ["ReportOneOfKind", "ReportPatterned", "ReportThree"] {
            let at = c
                .find(&format!("pub enum {union} {{"))
                .unwrap_or_else(|| panic!("{origin:?}: no enum {union} in:\n{c}"));
            let body = &c[at..at + c[at..].find("\n}").unwrap_or(0)];
            assert!(body.contains("(String)"), "{union} is a union: {body}");
            assert!(!body.contains("Unknown(String)"), "{union}: {body}");
        }
    }
}

#[test]
fn body_media_types_are_sent_as_declared_and_what_cannot_be_is_said() {
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    post:
      operationId: a
      requestBody:
        required: true
        content:
          "application/x-thing; label=\"caf\u00e9\"":
            schema: {type: string, format: binary}
      responses: {'204': {description: ok}}
  /b:
    post:
      operationId: b
      requestBody:
        required: true
        content:
          text/xml:
            schema: {type: object, properties: {x: {type: string}}}
          application/xml:
            schema: {type: object, properties: {x: {type: string}}}
      responses: {'204': {description: ok}}
  /c:
    post:
      operationId: c
      requestBody:
        required: true
        content:
          application/pdf: {}
          application/octet-stream: {}
      responses: {'204': {description: ok}}
  /d:
    post:
      operationId: d
      requestBody:
        content:
          multipart/related:
            schema: {type: object}
          text/plain:
            schema: {type: string}
      responses: {'204': {description: ok}}
"#;
    for origin in [SpecOrigin::Own, SpecOrigin::Published] {
        let g = generate_as("media.yaml", spec, "t", origin).unwrap_or_else(|d| panic!("{d}"));
        let c = &g.code;
        // Not sendable as a header: the encoding's own type, with a warning.
        has(c, "POST \"/a\",\n        body(upload) = body,\n        ok(");
        // Text is preferred to bytes; the schema it cannot encode is said, in the docs too.
        has(
            c,
            "body(text) = body,\n        content_type = \"text/xml\",",
        );
        has(c, "/// Sent as `text/xml`. The spec describes its content with a schema, which is not encoded here: pass the document itself.\n");
        // The encoding's own type first, then the others listed.
        has(c, "/// Sent as `application/octet-stream`. The operation takes `application/pdf`, `application/octet-stream`: give the body's own with `Upload::content_type`.");
        // A multipart type other than form data is passed over for one that can be sent.
        has(c, "POST \"/d\",\n        body(text) = body,\n        ok(");
        let w = warnings(&g);
        assert_eq!(
            w,
            vec![
                "10: the media type \"application/x-thing; label=\\\"café\\\"\" cannot be sent as a Content-Type header; the body is sent as `application/octet-stream`",
                "20: the `text/xml` body is sent as the text the caller gives: its schema is not encoded for them",
            ],
            "{origin:?}: {w:#?}"
        );
    }
}

/// tests/fixtures/hostile/published/constants_and_tags.yaml: what the published reading says of
/// it (its client is called against wiremock in the library's unit tests), and what ours refuses.
#[test]
fn titled_constants_constant_tags_and_untaggable_unions() {
    let path = format!(
        "{}/../tests/fixtures/hostile/published/constants_and_tags.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let g =
        generate_as("c.yaml", &text, "t", SpecOrigin::Published).unwrap_or_else(|d| panic!("{d}"));
    let c = &g.code;
    has(
        c,
        "    /// `-user`: Anyone but a person\n    #[wire(\"-user\")]\n    NoUser,",
    );
    has(c, "    /// `1`: A burst reaction\n    Burst,");
    has(c, "pub type Flags = i64;");
    has(
        c,
        "Event \"type\"; Created \"created\" keep, Deleted \"deleted\" keep, Renamed \"renamed\"",
    );
    has(c, "#[serde(untagged)]\npub enum Item {");
    has(c, "pub ids: Option<String>,");
    let w: Vec<String> = warnings(&g);
    assert_eq!(
        w,
        [
            "28: `type: null` has no OpenAPI 3.0 spelling: read as a nullable value of any type",
            "127: this alternative has the discriminator value `message`, as alternative 0 does: the `oneOf` is read untagged, each alternative tried in order",
            "133: `allOf` of a union and properties for every alternative (`stream_id`): read as the union, without them",
            "22: query parameter `ids` has a type that cannot be sent in the `form` style: read as a string, sent as the text given",
        ],
        "{w:#?}"
    );
    // Ours: the enums and the constant tags read the same; the rest is refused.
    let e = generate_as("c.yaml", &text, "t", SpecOrigin::Own).unwrap_err();
    let messages: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
    for refused in [
        "two alternatives both become the Rust variant",
        "`allOf` parts must be objects",
        "query parameter `ids` has a type that cannot be sent in the `form` style",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(refused)),
            "{refused}: {messages:#?}"
        );
    }
    assert!(
        !messages
            .iter()
            .any(|m| m.contains("AuthorKind") || m.contains("Level")),
        "{messages:#?}"
    );
}

#[test]
fn a_word_fragment_a_request_body_as_a_response_and_a_map_part_of_an_all_of() {
    let g = published("misfiled.yaml");
    let c = &g.code;
    // `#refresh` tells two operations on one path apart and is never sent.
    has(
        c,
        "POST \"/oauth2/token\",\n        operation_id = \"refreshToken\",",
    );
    has(c, "pub async fn refresh_token(&self)");
    // The request body's description and content as the response.
    has(c, "pub async fn put_cache(\n        &self,\n        id: &str,\n        body: &PutCacheRequest,\n    ) -> Result<PutCacheResponse, Error>;");
    // A part of `additionalProperties` alone merges as an object part: a map beside `scope`.
    has(c, "pub struct Metadata {");
    has(c, "#[serde(flatten)]\n    pub additional_properties: ::std::collections::BTreeMap<String, String>,");
    assert_eq!(
        warnings(&g),
        [
            "20: `$ref: #/components/requestBodies/CacheData` names a request body where a response belongs: its description and content are used as the response",
            "9: path `/oauth2/token#refresh` ends in the fragment `#refresh`, which is never sent: read as `/oauth2/token`",
        ]
    );
    // Ours: the fragment and the misfiled reference are refused; the map part is read the same.
    let e = generate_as(
        "misfiled.yaml",
        &spec("misfiled.yaml"),
        "t",
        SpecOrigin::Own,
    )
    .unwrap_err();
    let messages: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("malformed path template `/oauth2/token#refresh`")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("#/components/requestBodies/CacheData")),
        "{messages:#?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("allOf")),
        "{messages:#?}"
    );
}

#[test]
fn required_flags_on_schemas_and_schemas_never_defined() {
    let g = published("flags_and_missing.yaml");
    let c = &g.code;
    // `required: true` on a property: required of the object.
    has(c, "pub id: String,");
    has(c, "pub name: String,");
    has(c, "pub note: Option<String>,");
    // A schema the spec names and never defines: any JSON value.
    has(
        c,
        "pub documents: Option<Vec<::vendor_clients::serde_json::Value>>,",
    );
    assert_eq!(
        warnings(&g),
        [
            "14: `required: true` on a schema (whose `required` lists property names): ignored",
            "28: `required: true` on a property's schema: read as the property listed in the object's `required`",
            "29: `required: false` on a schema (whose `required` lists property names): ignored",
            "32: `$ref` target `#/components/schemas/signHashDocument` does not exist: read as any JSON value",
        ]
    );
    let e = generate_as(
        "f.yaml",
        &spec("flags_and_missing.yaml"),
        "t",
        SpecOrigin::Own,
    )
    .unwrap_err();
    assert!(
        e.iter().any(|d| d
            .message
            .starts_with("invalid OpenAPI document: invalid type: boolean `true`")),
        "{e}"
    );
}
