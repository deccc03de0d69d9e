//! The constructs published specs use (see `check-corpus`), each on a small spec written here:
//! what the lowered model says and what the emitted Rust contains. Whether the output compiles
//! is checked by `check-corpus` over ../shared/corpus in CI, and for the runtime side by
//! tests/bodies_and_ranges.rs of the root crate.

use vendor_clients_codegen::generate;
use vendor_clients_codegen::model::*;

mod common;
use common::*;

fn with_schemas(schemas: &str) -> String {
    format!("{PING}components:\n  schemas:\n{schemas}")
}

#[test]
fn all_of_with_one_ref_and_a_description_is_the_referenced_type() {
    let a = api(&with_schemas(
        "    Name: {type: string}\n    Thing:\n      type: object\n      properties:\n        name:\n          description: The thing's name.\n          allOf: [{$ref: '#/components/schemas/Name'}]\n",
    ));
    let f = &fields(ty(&a, "Thing"))[0];
    assert_eq!(f.ty, Ty::Named("Name".into()));
    assert_eq!(f.doc.as_deref(), Some("The thing's name."));
}

#[test]
fn all_of_with_one_inline_part_is_that_part() {
    let a = api(&with_schemas(
        "    Thing:\n      type: object\n      properties:\n        id:\n          allOf: [{type: string, format: uuid}]\n",
    ));
    assert_eq!(fields(ty(&a, "Thing"))[0].ty, Ty::String);
}

#[test]
fn one_of_string_enums_is_one_enum() {
    let a = api(&with_schemas(
        "    SortMode:\n      oneOf:\n        - {type: string, enum: [name_ascending]}\n        - {type: string, enum: [name_descending, id_ascending]}\n",
    ));
    match &ty(&a, "SortMode").kind {
        TypeKind::Enum { values, .. } => {
            let wire: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
            assert_eq!(wire, ["name_ascending", "name_descending", "id_ascending"]);
        }
        other => panic!("not an enum: {other:?}"),
    }
}

/// "Known values, any other string allowed", the JSON Schema idiom for an open enum: the same
/// open Rust enum as a plain string enum (known variants and `Unknown(String)`), in either
/// order, with `nullable` and a description beside it; anything more is a union.
#[test]
fn any_of_an_enum_and_a_plain_string_is_an_open_enum() {
    let a = api(&with_schemas(
        "    Sort:\n      description: Order.\n      anyOf:\n        - {type: string, enum: [asc, desc]}\n        - {type: string}\n    Back:\n      nullable: true\n      anyOf: [{type: string}, {type: string, enum: [x]}]\n    Formatted:\n      anyOf: [{type: string, enum: [x]}, {type: string, format: uuid}]\n    Nullable:\n      anyOf: [{type: string, enum: [x]}, {type: string, nullable: true}]\n    Two:\n      anyOf: [{type: string, enum: [x]}, {type: string, enum: [y]}, {type: string}]\n",
    ));
    let plain = api(&with_schemas(
        "    Sort:\n      description: Order.\n      type: string\n      enum: [asc, desc]\n",
    ));
    assert_eq!(ty(&a, "Sort"), ty(&plain, "Sort"));
    assert_eq!(ty(&a, "Sort").doc.as_deref(), Some("Order."));
    match &ty(&a, "Back").kind {
        TypeKind::Enum { values, unknown } => {
            assert_eq!(values.len(), 1);
            assert_eq!(values[0].wire, "x");
            assert_eq!(unknown, "Unknown");
        }
        other => panic!("not an enum: {other:?}"),
    }
    // OpenAPI 3.0.3 applies `nullable` only beside `type`: a nullable open enum says it in
    // the plain branch, and the field is nullable.
    assert_eq!(ty(&a, "Nullable").kind, ty(&a, "Back").kind);
    let user = api(&with_schemas(
        "    Thing:\n      type: object\n      properties:\n        n: {anyOf: [{type: string, enum: [x]}, {type: string, nullable: true}]}\n        e: {anyOf: [{type: string, enum: [x], nullable: true}, {type: string}]}\n",
    ));
    let f = fields(ty(&user, "Thing"));
    assert!(f[0].nullable, "{:?}", f[0]);
    assert!(
        matches!(ty(&user, "ThingE").kind, TypeKind::OneOf { .. }),
        "a nullable enum branch would need null among its values: a union"
    );
    for union in ["Formatted", "Two"] {
        assert!(
            matches!(ty(&a, union).kind, TypeKind::OneOf { .. }),
            "{union}: {:?}",
            ty(&a, union).kind
        );
    }
    // A value listed twice is reported where it is, inside the `anyOf`.
    let err = generate(
        "t.yaml",
        &format!(
            "{HEAD}{}",
            with_schemas(
                "    Sort:\n      anyOf: [{type: string}, {type: string, enum: [a, a]}]\n"
            )
        ),
        "t",
    )
    .expect_err("a value twice");
    assert!(
        err.to_string()
            .contains("#/components/schemas/Sort/anyOf/1/enum/1"),
        "{err}"
    );
}

#[test]
fn internally_tagged_union_without_discriminator_keyword() {
    let a = api(&with_schemas(
        "    Source:\n      oneOf:\n        - type: object\n          required: [type, url]\n          properties:\n            type: {type: string, enum: [url]}\n            url: {type: string}\n        - type: object\n          required: [type, id]\n          properties:\n            type: {type: string, enum: [snapshot]}\n            id: {type: string}\n",
    ));
    match &ty(&a, "Source").kind {
        TypeKind::OneOf { tag, variants, .. } => {
            assert_eq!(tag.as_deref(), Some("type"));
            let vs: Vec<(&str, Option<&str>)> = variants
                .iter()
                .map(|v| (v.rust.as_str(), v.tag_value.as_deref()))
                .collect();
            assert_eq!(vs, [("Url", Some("url")), ("Snapshot", Some("snapshot"))]);
        }
        other => panic!("not a union: {other:?}"),
    }
    // The tag is the enum's business, not a field of the variant structs.
    let url = fields(ty(&a, "SourceUrl"));
    assert!(url.iter().all(|f| f.wire != "type"), "{url:?}");
    let c = code(&with_schemas(
        "    Source:\n      oneOf:\n        - type: object\n          required: [type]\n          properties:\n            type: {type: string, enum: [a]}\n        - type: object\n          required: [type]\n          properties:\n            type: {type: string, enum: [b]}\n",
    ));
    assert!(
        c.contains("::vendor_clients::__tagged_union!(Source \"type\"; A \"a\", B \"b\");"),
        "{c}"
    );
}

#[test]
fn one_of_with_discriminator_mapping_and_any_of() {
    let a = api(&with_schemas(
        "    Cat: {type: object, properties: {kind: {type: string}, meow: {type: boolean}}}\n    Dog: {type: object, properties: {kind: {type: string}}}\n    Pet:\n      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n      discriminator:\n        propertyName: kind\n        mapping: {kitty: '#/components/schemas/Cat', doggo: '#/components/schemas/Dog'}\n    Either:\n      anyOf: [{type: string}, {type: integer}]\n",
    ));
    match &ty(&a, "Pet").kind {
        TypeKind::OneOf { tag, variants, .. } => {
            assert_eq!(tag.as_deref(), Some("kind"));
            let values: Vec<Option<&str>> =
                variants.iter().map(|v| v.tag_value.as_deref()).collect();
            assert_eq!(values, [Some("kitty"), Some("doggo")]);
        }
        other => panic!("{other:?}"),
    }
    match &ty(&a, "Either").kind {
        TypeKind::OneOf { tag, variants, .. } => {
            assert_eq!(tag, &None);
            assert_eq!(variants.len(), 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn inline_union_alternatives_are_named_after_their_title() {
    let a = api(&with_schemas(
        "    NameOrId:\n      oneOf:\n        - {title: id, allOf: [{type: string, format: uuid}]}\n        - {title: name, allOf: [{$ref: '#/components/schemas/Name'}]}\n    Name: {type: string}\n",
    ));
    match &ty(&a, "NameOrId").kind {
        TypeKind::OneOf { variants, .. } => {
            let names: Vec<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
            assert_eq!(names, ["Id", "Name"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn recursive_types_are_boxed() {
    let spec = with_schemas(
        "    Node:\n      type: object\n      properties:\n        value: {type: integer}\n        next: {$ref: '#/components/schemas/Node'}\n    Expr:\n      oneOf:\n        - {$ref: '#/components/schemas/Not'}\n        - {type: integer}\n    Not:\n      type: object\n      required: [inner]\n      properties:\n        inner: {$ref: '#/components/schemas/Expr'}\n",
    );
    let a = api(&spec);
    let next = &fields(ty(&a, "Node"))[1];
    assert!(next.boxed, "{next:?}");
    assert!(!fields(ty(&a, "Node"))[0].boxed);
    let c = code(&spec);
    assert!(c.contains("pub next: Option<Box<Node>>"), "{c}");
    assert!(
        c.contains("Not(Box<Not>)") || c.contains("pub inner: Box<Expr>"),
        "{c}"
    );
}

#[test]
fn names_reserved_by_the_client_or_taken_get_a_free_variant() {
    let a = api(&with_schemas(
        "    Error: {type: object, properties: {message: {type: string}}}\n    my_type: {type: object}\n    MyType: {type: object}\n",
    ));
    assert_eq!(ty(&a, "ErrorSchema").pointer, "#/components/schemas/Error");
    assert_eq!(ty(&a, "MyType").pointer, "#/components/schemas/my_type");
    assert_eq!(ty(&a, "MyType2").pointer, "#/components/schemas/MyType");
}

#[test]
fn keywords_and_generated_identifiers_as_names() {
    let c = code("paths:\n  /things/{type}:\n    get:\n      operationId: self\n      parameters:\n        - {name: type, in: path, required: true, schema: {type: string}}\n        - {name: body, in: query, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Client'}}}\ncomponents:\n  schemas:\n    Client: {type: object, properties: {type: {type: string}, self: {type: string}}}\n");
    assert!(c.contains("pub r#type: Option<String>"), "{c}");
    assert!(
        c.contains("pub self_: Option<String>") || c.contains("rename = \"self\""),
        "{c}"
    );
    assert!(c.contains("pub struct ClientSchema"), "{c}");
    assert!(c.contains("pub async fn self_("), "{c}");
    assert!(c.contains("type_: &str"), "{c}");
    assert!(c.contains("body_: &str"), "{c}");
}

#[test]
fn required_name_without_a_property_is_any_json() {
    let a = api(&with_schemas(
        "    T:\n      type: object\n      required: [id, extra]\n      properties:\n        id: {type: string}\n",
    ));
    let f = fields(ty(&a, "T"));
    assert_eq!(f.len(), 2);
    assert_eq!(
        (f[1].wire.as_str(), &f[1].ty, f[1].required),
        ("extra", &Ty::Json, true)
    );
}

#[test]
fn additional_properties_true_schema_and_false() {
    let a = api(&with_schemas(
        "    Free: {type: object, properties: {a: {type: string}}, additionalProperties: true}\n    Typed: {type: object, properties: {a: {type: string}}, additionalProperties: {type: integer}}\n    Closed: {type: object, properties: {a: {type: string}}, additionalProperties: false}\n    Bag: {type: object, additionalProperties: {type: string}}\n",
    ));
    let add = |n: &str| match &ty(&a, n).kind {
        TypeKind::Struct { additional, .. } => additional.clone(),
        TypeKind::Alias(t) => Some(t.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(add("Free"), Some(Ty::Json));
    assert_eq!(add("Typed"), Some(Ty::I64));
    assert_eq!(add("Closed"), None);
    assert_eq!(add("Bag"), Some(Ty::Map(Box::new(Ty::String))));
}

#[test]
fn status_ranges_become_range_arms() {
    let spec = "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {description: ok}\n        '404': {description: gone}\n        4XX:\n          description: client\n          content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}\n        5XX:\n          description: server\n          content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}\ncomponents:\n  schemas:\n    Problem: {type: object, properties: {message: {type: string}}}\n";
    let a = api(spec);
    let statuses: Vec<&Statuses> = op(&a, "a").err.iter().map(|a| &a.statuses).collect();
    assert_eq!(
        statuses,
        [
            &Statuses::Codes(vec![404]),
            &Statuses::Range(4),
            &Statuses::Range(5)
        ]
    );
    let c = code(spec);
    assert!(
        c.contains("err(404 => empty, 4XX | 5XX => json(Problem))"),
        "{c}"
    );
}

#[test]
fn a_2xx_range_is_a_success_arm() {
    let spec = "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        2XX:\n          description: ok\n          content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}\n        4XX: {description: bad}\n  /b:\n    post:\n      operationId: b\n      responses:\n        '201': {description: created}\n        2XX: {description: ok}\n";
    let a = api(spec);
    let o = op(&a, "a");
    assert_eq!(o.ok.len(), 1);
    assert_eq!(o.ok[0].statuses, Statuses::Range(2));
    assert!(matches!(o.output, Output::Single(OutTy::Ty(Ty::Named(_)))));
    let b = op(&a, "b");
    let statuses: Vec<&Statuses> = b.ok.iter().map(|a| &a.statuses).collect();
    assert_eq!(statuses, [&Statuses::Codes(vec![201]), &Statuses::Range(2)]);
    let c = code(spec);
    assert!(c.contains("ok(2XX => json(AResponse)),"), "{c}");
    // Arms read the same way are one arm.
    assert!(c.contains("ok(201 | 2XX => empty),"), "{c}");
}

#[test]
fn a_2xx_range_beside_different_success_bodies_is_refused_with_a_located_diagnostic() {
    let text = format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content: {{text/plain: {{schema: {{type: string}}}}}}\n        2XX: {{description: ok}}\n");
    let d = generate("t.yaml", &text, "t").expect_err("refused");
    let first = d.iter().next().expect("a diagnostic");
    assert!(first.message.contains("`2XX` range beside exact"), "{d}");
    assert_eq!(first.pointer, "#/paths/~1a/get/responses/2XX");
}

#[test]
fn default_only_responses_are_the_success() {
    let a = api("paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        default:\n          description: done\n          content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}\n");
    let o = op(&a, "a");
    assert_eq!(o.ok.len(), 1);
    assert_eq!(o.ok[0].statuses, Statuses::Range(2));
    assert!(o.err.is_empty());
    assert!(matches!(o.output, Output::Single(OutTy::Ty(Ty::Named(_)))));
}

#[test]
fn no_responses_at_all_answer_bytes() {
    let a = api("paths:\n  /a:\n    get:\n      operationId: a\n      responses: {}\n");
    let o = op(&a, "a");
    assert_eq!(o.ok[0].statuses, Statuses::Range(2));
    assert_eq!(o.ok[0].kind, BodyKind::Bytes);
    assert_eq!(o.output, Output::Single(OutTy::Bytes));
}

#[test]
fn redirects_are_the_success_when_no_2xx_is_documented() {
    let a = api("paths:\n  /login:\n    post:\n      operationId: login\n      responses:\n        '303': {description: see other}\n        4XX: {description: bad}\n");
    let o = op(&a, "login");
    assert_eq!(o.ok[0].statuses, Statuses::Codes(vec![303]));
    assert_eq!(o.err[0].statuses, Statuses::Range(4));
}

#[test]
fn several_success_codes_with_different_bodies_make_an_outcome_enum() {
    let a = api("paths:\n  /a:\n    post:\n      operationId: a\n      responses:\n        '200':\n          description: existing\n          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}\n        '202':\n          description: queued\n          content: {text/plain: {schema: {type: string}}}\n        '204': {description: nothing}\n");
    match &op(&a, "a").output {
        Output::Enum { variants, .. } => {
            let names: Vec<&str> = variants.iter().map(|(n, _, _)| n.as_str()).collect();
            assert_eq!(names, ["Ok", "Accepted", "NoContent"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_operation_id_names_the_method_after_method_and_path() {
    let a = api("paths:\n  /streams/{id}:\n    post:\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {'204': {description: ok}}\n");
    assert_eq!(a.operations[0].rust, "post_streams_id");
}

#[test]
fn request_bodies_form_text_bytes_and_several_types() {
    let spec = "paths:\n  /form:\n    post:\n      operationId: form\n      requestBody:\n        required: true\n        content:\n          application/x-www-form-urlencoded:\n            schema: {type: object, required: [grant], properties: {grant: {type: string}, n: {type: integer}}}\n      responses: {'204': {description: ok}}\n  /text:\n    put:\n      operationId: text\n      requestBody:\n        content: {text/plain: {schema: {type: string}}}\n      responses: {'204': {description: ok}}\n  /bytes:\n    post:\n      operationId: bytes\n      requestBody:\n        content: {application/octet-stream: {schema: {type: string, format: binary}}}\n      responses: {'204': {description: ok}}\n  /both:\n    post:\n      operationId: both\n      requestBody:\n        content:\n          application/xml: {schema: {$ref: '#/components/schemas/Pet'}}\n          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Pet'}}\n          application/json: {schema: {$ref: '#/components/schemas/Pet'}}\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n    Pet: {type: object, properties: {name: {type: string}}}\n";
    let a = api(spec);
    let enc = |id: &str| op(&a, id).body.as_ref().map(|b| b.encoding);
    assert_eq!(enc("form"), Some(BodyEncoding::Form));
    assert_eq!(enc("text"), Some(BodyEncoding::Text));
    assert_eq!(enc("bytes"), Some(BodyEncoding::Bytes));
    assert_eq!(enc("both"), Some(BodyEncoding::Json));
    let c = code(spec);
    assert!(c.contains("body(form) = body,"), "{c}");
    assert!(c.contains("pub async fn text(&self, body: &str)"), "{c}");
    // Binary: bytes or a stream, through `Upload`.
    assert!(
        c.contains("pub async fn bytes(\n        &self,\n        body: impl Into<::vendor_clients::Upload>,\n    )"),
        "{c}"
    );
    assert!(c.contains("body(upload) = body,"), "{c}");
}

#[test]
fn a_form_body_with_a_union_property_is_refused() {
    // Nested objects are written in bracket notation (see the test below); a `oneOf` has no
    // one form shape, so it is still refused, at the body's schema.
    let text = format!("{HEAD}paths:\n  /f:\n    post:\n      operationId: f\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {{type: object, properties: {{inner: {{oneOf: [{{type: object, properties: {{a: {{type: string}}}}}}, {{type: integer}}]}}}}}}\n      responses: {{'204': {{description: ok}}}}\n");
    let d = generate("t.yaml", &text, "t").expect_err("a union in a form refused");
    let first = d.iter().next().expect("a diagnostic");
    assert!(
        first.message.contains("must be an object whose properties are scalars, enums, or lists, maps and objects of them"),
        "{d}"
    );
    assert!(
        first
            .pointer
            .ends_with("application~1x-www-form-urlencoded/schema"),
        "{d}"
    );
}

#[test]
fn multipart_bodies_are_structs_of_file_text_and_json_parts() {
    let spec = "paths:\n  /up:\n    post:\n      operationId: up\n      requestBody:\n        required: true\n        content:\n          multipart/form-data:\n            schema:\n              type: object\n              required: [file]\n              properties:\n                file: {type: string, format: binary, description: The picture.}\n                more: {type: array, items: {type: string, format: binary}}\n                title: {type: string}\n                tags: {type: array, items: {type: string}}\n                meta: {type: object, properties: {k: {type: integer}}}\n            encoding:\n              title: {contentType: text/plain}\n      responses: {'204': {description: ok}}\n";
    let a = api(spec);
    let o = op(&a, "up");
    let body = o.body.as_ref().expect("a body");
    assert_eq!(body.encoding, BodyEncoding::Multipart);
    assert_eq!(body.ty, Ty::Named("UpForm".into()));
    match &ty(&a, "UpForm").kind {
        TypeKind::Multipart { parts } => {
            let kinds: Vec<(&str, PartKind, bool)> = parts
                .iter()
                .map(|p| (p.wire.as_str(), p.kind, p.required))
                .collect();
            assert_eq!(
                kinds,
                [
                    ("file", PartKind::File, true),
                    ("more", PartKind::Files, false),
                    ("title", PartKind::Text, false),
                    ("tags", PartKind::Text, false),
                    ("meta", PartKind::Json, false),
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    let c = code(spec);
    assert!(c.contains("body(multipart) = body,"), "{c}");
    assert!(c.contains("pub async fn up(&self, body: &UpForm)"), "{c}");
    assert!(c.contains("pub file: ::vendor_clients::FilePart,"), "{c}");
    assert!(
        c.contains("pub more: Option<Vec<::vendor_clients::FilePart>>,"),
        "{c}"
    );
    assert!(
        c.contains("impl ::vendor_clients::MultipartBody for UpForm"),
        "{c}"
    );
    assert!(c.contains("form.file(\"file\", &self.file);"), "{c}");
    assert!(c.contains("form.files(\"more\", files);"), "{c}");
    assert!(c.contains("form.text(\"tags\", &self.tags);"), "{c}");
    assert!(c.contains("form.json(\"meta\", &self.meta);"), "{c}");
}

#[test]
fn a_multipart_body_that_is_not_an_object_is_refused_with_a_located_diagnostic() {
    let text = format!("{HEAD}paths:\n  /up:\n    post:\n      operationId: up\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {{type: string}}\n      responses: {{'204': {{description: ok}}}}\n");
    let d = generate("t.yaml", &text, "t").expect_err("refused");
    let first = d.iter().next().expect("a diagnostic");
    assert!(first.message.contains("must be an object"), "{d}");
    assert_eq!(
        first.pointer,
        "#/paths/~1up/post/requestBody/content/multipart~1form-data/schema"
    );
}

#[test]
fn query_styles_become_endpoint_options_and_typed_arguments() {
    let spec = "paths:\n  /things:\n    get:\n      operationId: things\n      parameters:\n        - {name: ids, in: query, required: true, explode: false, schema: {type: array, items: {type: integer}}}\n        - {name: tags, in: query, required: true, style: pipeDelimited, schema: {type: array, items: {type: string}}}\n        - {name: words, in: query, required: true, style: spaceDelimited, schema: {type: array, items: {type: string}}}\n        - {name: filter, in: query, required: true, style: deepObject, schema: {$ref: '#/components/schemas/Filter'}}\n        - {name: color, in: query, required: true, explode: false, schema: {$ref: '#/components/schemas/Color'}}\n        - {name: point, in: query, required: true, schema: {$ref: '#/components/schemas/Color'}}\n        - {name: one, in: query, required: true, explode: false, schema: {type: string}}\n      responses: {'204': {description: ok}}\n  /paged:\n    get:\n      operationId: paged\n      parameters:\n        - {name: ids, in: query, explode: false, schema: {type: array, items: {type: integer}}}\n        - {name: filter, in: query, style: deepObject, schema: {$ref: '#/components/schemas/Filter'}}\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n    Filter:\n      type: object\n      properties:\n        name: {type: string}\n        age: {type: integer}\n        owner: {type: object, properties: {id: {type: integer}}}\n    Color:\n      type: object\n      properties:\n        R: {type: integer}\n        G: {type: integer}\n";
    let a = api(spec);
    let styles: Vec<ParamStyle> = op(&a, "things").params.iter().map(|p| p.style).collect();
    assert_eq!(
        styles,
        [
            ParamStyle::FormUnexploded,
            ParamStyle::PipeDelimited,
            ParamStyle::SpaceDelimited,
            ParamStyle::DeepObject,
            ParamStyle::FormUnexploded,
            ParamStyle::Form,
            ParamStyle::Plain,
        ]
    );
    let c = code(spec);
    assert!(
        c.contains("query(ids(explode = false), tags(style = \"pipeDelimited\"), words(style = \"spaceDelimited\"), filter(style = \"deepObject\"), color(explode = false), point(style = \"form\"), one),"),
        "{c}"
    );
    assert!(c.contains("ids: &[i64],\n        tags: &[String],"), "{c}");
    assert!(c.contains("filter: &Filter,"), "{c}");
    let flat: String = c.split_whitespace().collect();
    assert!(
        flat.contains("#[param(query=\"ids\",style=FormUnexploded"),
        "{c}"
    );
    assert!(
        flat.contains("#[param(query=\"filter\",style=DeepObject"),
        "{c}"
    );
}

#[test]
fn deep_object_lists_of_scalars_are_accepted_and_lists_of_lists_refused() {
    let spec = "paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: pivot, in: query, required: true, style: deepObject, schema: {type: object, additionalProperties: {type: array, items: {type: string}}}}\n      responses: {'204': {description: ok}}\n";
    let a = api(spec);
    let p = &op(&a, "a").params[0];
    assert_eq!(p.style, ParamStyle::DeepObject);
    assert_eq!(p.ty, Ty::Map(Box::new(Ty::Vec(Box::new(Ty::String)))));
    let c = code(spec);
    assert!(c.contains("query(pivot(style = \"deepObject\")),"), "{c}");
}

#[test]
fn deep_object_on_a_scalar_or_with_a_list_of_lists_inside_is_refused_with_a_located_diagnostic() {
    for schema in [
        "{type: string}",
        "{type: object, properties: {tags: {type: array, items: {type: array, items: {type: string}}}}}",
        "{type: object, properties: {tags: {type: array, items: {type: object, properties: {a: {type: string}}}}}}",
    ] {
        let text = format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {{name: f, in: query, style: deepObject, schema: {schema}}}\n      responses: {{'204': {{description: ok}}}}\n");
        let d = generate("t.yaml", &text, "t").expect_err("refused");
        let first = d.iter().next().expect("a diagnostic");
        assert!(first.message.contains("deepObject"), "{d}");
        assert_eq!(first.pointer, "#/paths/~1a/get/parameters/0/style");
    }
}

#[test]
fn json_content_parameters_are_sent_as_json_text() {
    let spec = "paths:\n  /search:\n    get:\n      operationId: search\n      parameters:\n        - name: q\n          in: query\n          required: true\n          content: {application/json: {schema: {$ref: '#/components/schemas/Q'}}}\n        - name: X-Context\n          in: header\n          content: {application/json: {schema: {type: object, properties: {id: {type: integer}}}}}\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n    Q: {type: object, properties: {name: {type: string}}}\n";
    let a = api(spec);
    let ps = &op(&a, "search").params;
    assert!(ps.is_empty(), "optional header: a params struct");
    let c = code(spec);
    assert!(c.contains("#[param(query = \"q\", json, required)]"), "{c}");
    assert!(c.contains("#[param(header = \"X-Context\", json)]"), "{c}");
}

#[test]
fn a_non_json_content_parameter_is_refused_with_a_located_diagnostic() {
    let text = format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - name: q\n          in: query\n          content: {{application/xml: {{schema: {{type: object}}}}}}\n      responses: {{'204': {{description: ok}}}}\n");
    let d = generate("t.yaml", &text, "t").expect_err("refused");
    let first = d.iter().next().expect("a diagnostic");
    assert!(first.message.contains("application/xml"), "{d}");
    assert_eq!(first.pointer, "#/paths/~1a/get/parameters/0/content");
}

#[test]
fn one_or_many_query_parameter_is_a_list() {
    let a = api("paths:\n  /things:\n    get:\n      operationId: things\n      parameters:\n        - name: id\n          in: query\n          required: true\n          schema:\n            oneOf: [{type: string}, {type: array, items: {type: string}}]\n      responses: {'204': {description: ok}}\n");
    let p = &op(&a, "things").params[0];
    assert_eq!(p.ty, Ty::Vec(Box::new(Ty::String)));
}

#[test]
fn union_of_scalars_is_a_path_parameter() {
    let spec = "paths:\n  /things/{thing}:\n    get:\n      operationId: get_thing\n      parameters:\n        - {name: thing, in: path, required: true, schema: {$ref: '#/components/schemas/NameOrId'}}\n      responses: {'204': {description: ok}}\ncomponents:\n  schemas:\n    NameOrId:\n      oneOf:\n        - {title: id, type: string, format: uuid}\n        - {title: name, $ref: '#/components/schemas/Name'}\n    Name: {type: string}\n";
    let c = code(spec);
    assert!(
        c.contains("impl ::vendor_clients::ToParam for NameOrId"),
        "{c}"
    );
    assert!(c.contains("thing: &NameOrId"), "{c}");
}

#[test]
fn path_level_parameters_are_overridden_by_the_operation() {
    let a = api("paths:\n  /a/{id}:\n    parameters:\n      - {name: id, in: path, required: true, schema: {type: string}, description: path level}\n      - {name: q, in: query, required: true, schema: {type: string}}\n    get:\n      operationId: a\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: integer}, description: op level}\n      responses: {'204': {description: ok}}\n");
    let ps = &op(&a, "a").params;
    assert_eq!(ps.len(), 2);
    assert_eq!(ps[0].ty, Ty::I64);
    assert_eq!(ps[0].doc.as_deref(), Some("op level"));
    assert_eq!(ps[1].wire, "q");
}

#[test]
fn tuple_items_are_read_as_any_json() {
    let a = api(&with_schemas(
        "    T:\n      type: object\n      properties:\n        pair:\n          type: array\n          items:\n            - {type: string}\n            - {type: number}\n",
    ));
    assert_eq!(fields(ty(&a, "T"))[0].ty, Ty::Vec(Box::new(Ty::Json)));
}

#[test]
fn callbacks_links_xml_and_mismatched_examples_are_ignored() {
    let a = api("paths:\n  /subs:\n    post:\n      operationId: subscribe\n      callbacks:\n        onData:\n          '{$request.query.url}':\n            post:\n              requestBody: {content: {application/json: {schema: {type: object}}}}\n              responses: {'202': {description: ok}}\n      responses:\n        '201':\n          description: ok\n          links:\n            unsubscribe: {operationId: unsubscribe}\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Sub'}\n              example: {id: 12, unexpected: [1, 2]}\ncomponents:\n  schemas:\n    Sub:\n      type: object\n      xml: {name: subscription}\n      properties:\n        id: {type: string, example: 42, xml: {attribute: true}}\n");
    assert_eq!(a.operations.len(), 1);
    assert_eq!(fields(ty(&a, "Sub"))[0].ty, Ty::String);
}

#[test]
fn read_only_write_only_and_defaults_keep_their_fields() {
    let a = api(&with_schemas(
        "    T:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string, readOnly: true}\n        password: {type: string, writeOnly: true}\n        size: {type: integer, default: 10}\n",
    ));
    let f = fields(ty(&a, "T"));
    let names: Vec<&str> = f.iter().map(|f| f.wire.as_str()).collect();
    assert_eq!(names, ["id", "password", "size"]);
}

const ACCESS: &str = "paths:\n  /users:\n    post:\n      operationId: create\n      requestBody:\n        required: true\n        content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}\n      responses:\n        '201':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}\n    get:\n      operationId: list\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Seen'}}}\ncomponents:\n  schemas:\n    User:\n      type: object\n      required: [id, name, password]\n      properties:\n        id: {type: string, readOnly: true}\n        name: {type: string}\n        password: {type: string, writeOnly: true}\n        size: {type: integer, default: 10}\n        mood: {type: string, enum: [calm, busy], default: calm}\n        wrong: {type: integer, default: lots}\n    Seen:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string, readOnly: true}\n";

#[test]
fn read_only_and_write_only_required_properties_are_optional_where_they_are_absent() {
    let a = api(ACCESS);
    let f = fields(ty(&a, "User"));
    // Sent and received: the read-only id is optional (never sent), the write-only password
    // too (never received); name stays required.
    let req: Vec<(&str, bool, bool)> = f
        .iter()
        .map(|f| (f.wire.as_str(), f.required, f.read_only))
        .collect();
    assert_eq!(
        &req[..3],
        [
            ("id", false, true),
            ("name", true, false),
            ("password", false, false)
        ]
    );
    // Only received: the read-only id stays required and serialized.
    let seen = &fields(ty(&a, "Seen"))[0];
    assert!(seen.required && !seen.read_only);
    let c = code(ACCESS);
    assert!(
        c.contains("    /// Read-only: set by the server, never sent (skipped when serializing), so optional here.\n    #[serde(default, skip_serializing)]\n    pub id: Option<String>,"),
        "{c}"
    );
    assert!(
        c.contains("Write-only: sent by the client, left out of responses, so optional here."),
        "{c}"
    );
}

#[test]
fn defaults_of_optional_properties_are_decoded_when_absent() {
    let a = api(ACCESS);
    let f = fields(ty(&a, "User"));
    let defaults: Vec<Option<&str>> = f.iter().map(|f| f.default.as_deref()).collect();
    // A default that does not fit the type (`lots` for an integer) is not applied, and the
    // field's documentation says so.
    assert_eq!(
        defaults,
        [None, None, None, Some("10"), Some("\"calm\""), None]
    );
    let ignored = f[5].doc.as_deref().unwrap_or_default();
    assert!(
        ignored.contains(
            "The spec's default `\"lots\"` is not a value of this type, so it is not applied"
        ),
        "{ignored}"
    );
    let c = code(ACCESS);
    assert!(
        c.contains(
            "#[serde(default = \"User::default_size\", skip_serializing_if = \"Option::is_none\")]"
        ),
        "{c}"
    );
    assert!(
        c.contains("fn default_mood() -> Option<UserMood> {\n        ::vendor_clients::serde_json::from_str(\"\\\"calm\\\"\").ok()"),
        "{c}"
    );
    assert!(
        c.contains("Default `10`: decoded as that when the property is absent."),
        "{c}"
    );
}

#[test]
fn only_failures_documented_means_an_empty_success() {
    let a = api("paths:\n  /a:\n    delete:\n      operationId: a\n      responses:\n        '404': {description: gone}\n");
    let o = op(&a, "a");
    assert_eq!(o.ok[0].statuses, Statuses::Range(2));
    assert_eq!(o.ok[0].kind, BodyKind::Empty);
    assert_eq!(o.err[0].statuses, Statuses::Codes(vec![404]));
}

#[test]
fn cookie_parameters() {
    let spec = "paths:\n  /a:\n    parameters:\n      - {name: session, in: cookie, required: true, schema: {type: string}}\n    get:\n      operationId: a\n      responses: {'204': {description: ok}}\n  /b:\n    get:\n      operationId: b\n      parameters:\n        - {name: theme, in: cookie, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    let a = api(spec);
    assert_eq!(op(&a, "a").params[0].location, ParamIn::Cookie);
    let c = code(spec);
    assert!(c.contains("cookies(session = \"session\"),"), "{c}");
    assert!(c.contains("#[param(cookie = \"theme\")]"), "{c}");
}

#[test]
fn annotation_parts_of_all_of_and_loosely_typed_scalars() {
    let a = api(&with_schemas(
        "    Pet: {type: object, properties: {name: {type: string}}}\n    T:\n      type: object\n      properties:\n        pet:\n          allOf:\n            - {description: My pet, title: Pettie}\n            - $ref: '#/components/schemas/Pet'\n        id: {type: string, minimum: 1}\n",
    ));
    let f = fields(ty(&a, "T"));
    assert_eq!(f[0].ty, Ty::Named("Pet".into()));
    assert_eq!(f[1].ty, Ty::String);
}

/// A 200 in JSON, XML, CSV or PDF, as the `format` parameter asks.
const BY_FORMAT: &str = "paths:\n  /report.{format}:\n    get:\n      operationId: report\n      parameters:\n        - {name: format, in: path, required: true, schema: {type: string, enum: [json, xml, csv, pdf]}}\n      responses:\n        '200':\n          description: the report\n          x-media-type-param: format\n          content:\n            application/json: {schema: {type: object, properties: {rows: {type: integer}}}}\n            text/xml; charset=utf-8: {schema: {type: string}}\n            text/csv: {schema: {type: string}, x-outcome: Table}\n            application/pdf: {schema: {type: string, format: binary}}\n        '202':\n          description: queued\n          content:\n            application/json: {schema: {type: object, properties: {job: {type: string}}}}\n        '404': {description: none}\n";

#[test]
fn a_response_whose_media_type_a_parameter_chooses_has_one_outcome_per_media_type() {
    let a = api(BY_FORMAT);
    let o = op(&a, "report");
    let arms: Vec<(Option<&str>, &BodyKind, Option<&str>)> =
        o.ok.iter()
            .map(|a| (a.media.as_deref(), &a.kind, a.variant.as_deref()))
            .collect();
    assert!(matches!(
        arms[0],
        (Some("application/json"), BodyKind::Json(_), Some("Json"))
    ));
    assert_eq!(arms[1], (Some("text/xml"), &BodyKind::Text, Some("Xml")));
    assert_eq!(arms[2], (Some("text/csv"), &BodyKind::Text, Some("Table")));
    assert_eq!(
        arms[3],
        (Some("application/pdf"), &BodyKind::Bytes, Some("Pdf"))
    );
    assert_eq!(arms[4].0, None, "the 202 is picked by status alone");
    let Output::Enum { name, variants } = &o.output else {
        panic!("an outcome enum: {:?}", o.output)
    };
    assert_eq!(name, "ReportResponse");
    let names: Vec<&str> = variants.iter().map(|(v, _, _)| v.as_str()).collect();
    assert_eq!(names, ["Json", "Xml", "Table", "Pdf", "Accepted"]);
    let c = code(BY_FORMAT);
    assert!(
        c.contains("ok(200 \"application/json\" => json(ReportResponse200) as ReportResponse::Json, 200 \"text/xml\" => text as ReportResponse::Xml, 200 \"text/csv\" => text as ReportResponse::Table, 200 \"application/pdf\" => bytes as ReportResponse::Pdf, 202 => json(ReportResponse202) as ReportResponse::Accepted),"),
        "{c}"
    );
    assert!(c.contains("/// HTTP 200, answered as `text/xml`."), "{c}");
}

#[test]
fn x_stream_streams_the_other_media_types_of_a_chosen_response_and_paging_reads_the_json_form() {
    let spec = "paths:\n  /rows:\n    get:\n      operationId: rows\n      parameters:\n        - {name: export, in: query, schema: {type: boolean}}\n        - {name: offset, in: query, schema: {type: integer}}\n      x-pagination: {style: offset, offset: offset, items: rows}\n      responses:\n        '200':\n          description: rows, or the export\n          x-media-type-param: export\n          x-stream: true\n          content:\n            application/json: {schema: {type: object, properties: {rows: {type: array, items: {type: string}}}}}\n            text/csv: {schema: {type: string}}\n";
    let a = api(spec);
    let o = op(&a, "rows");
    assert_eq!(o.ok[1].kind, BodyKind::Stream);
    let (page_arms, _) = o.json_page.as_ref().expect("a JSON page method");
    assert_eq!(page_arms.len(), 1);
    assert_eq!(page_arms[0].media.as_deref(), Some("application/json"));
    assert_eq!(page_arms[0].variant, None);
    let c = code(spec);
    assert!(c.contains("async fn rows_json_page("), "{c}");
    assert!(!c.contains("pub async fn rows_json_page("), "private: {c}");
    assert!(c.contains("self.rows_json_page(&p).await"), "{c}");
    assert!(c.contains("Csv(ByteStream)"), "{c}");
}

#[test]
fn media_type_param_mistakes_are_located_diagnostics() {
    let cases = [
        // Names no parameter.
        (
            BY_FORMAT.replace("x-media-type-param: format", "x-media-type-param: fmt"),
            "`fmt`, which is not a parameter",
            "#/paths/~1report.{format}/get/responses/200/x-media-type-param",
        ),
        // Not a name.
        (
            BY_FORMAT.replace("x-media-type-param: format", "x-media-type-param: [format]"),
            "must be the name of the parameter",
            "#/paths/~1report.{format}/get/responses/200/x-media-type-param",
        ),
        // On an error response.
        (
            BY_FORMAT.replace(
                "'404': {description: none}",
                "'404': {description: none, x-media-type-param: format, content: {text/html: {schema: {type: string}}}}",
            ),
            "only applies to exact success",
            "#/paths/~1report.{format}/get/responses/404/x-media-type-param",
        ),
        // A media type that cannot be matched.
        (
            BY_FORMAT.replace("text/csv:", "csv:"),
            "`csv` is not a media type",
            "#/paths/~1report.{format}/get/responses/200/content/csv",
        ),
    ];
    for (body, message, pointer) in cases {
        let text = format!("{HEAD}{body}");
        let d = generate("t.yaml", &text, "t").expect_err("refused");
        let first = d.iter().next().expect("a diagnostic");
        assert!(first.message.contains(message), "{d}");
        assert_eq!(first.pointer, pointer, "{d}");
    }
}

#[test]
fn union_alternatives_of_a_type_their_own_convert_into_the_union() {
    // `Amount` has two integer alternatives: `into()` could not tell them apart, so neither
    // converts; the object and the string do. A recursive alternative is built through its box.
    let c = code(&with_schemas(
        "    Amount:\n      oneOf:\n        - {type: integer, minimum: 0, title: Credit}\n        - {type: integer, maximum: -1, title: Debit}\n        - {type: string}\n        - {$ref: '#/components/schemas/Money'}\n    Money:\n      type: object\n      required: [cents]\n      properties:\n        cents: {type: integer}\n    Expr:\n      oneOf:\n        - {$ref: '#/components/schemas/Not'}\n        - {type: boolean}\n    Not:\n      type: object\n      required: [inner]\n      properties:\n        inner: {$ref: '#/components/schemas/Expr'}\n",
    ));
    assert!(c.contains("impl From<String> for Amount {"), "{c}");
    assert!(c.contains("impl From<Money> for Amount {"), "{c}");
    assert!(c.contains("Credit(i64)") && c.contains("Debit(i64)"), "{c}");
    assert!(!c.contains("impl From<i64> for Amount"), "{c}");
    assert!(c.contains("impl From<bool> for Expr {"), "{c}");
    if c.contains("Not(Box<Not>)") {
        assert!(c.contains("Self::Not(Box::new(value))"), "{c}");
    }
    assert!(c.contains("impl From<Not> for Expr {"), "{c}");
}

#[test]
fn union_alternatives_that_are_aliases_of_one_type_do_not_convert() {
    // As nexus.json's `IpNet`: two named strings are both `String` to the compiler, so
    // `From<Ipv4Net>` and `From<Ipv6Net>` would be the same impl twice.
    let c = code(&with_schemas(
        "    IpNet:\n      oneOf:\n        - {$ref: '#/components/schemas/Ipv4Net'}\n        - {$ref: '#/components/schemas/Ipv6Net'}\n        - {$ref: '#/components/schemas/Ports'}\n    Ipv4Net: {type: string, pattern: '^[0-9./]+$'}\n    Ipv6Net: {type: string, pattern: '^[0-9a-f:/]+$'}\n    Ports: {type: array, items: {type: integer}}\n",
    ));
    assert!(c.contains("pub type Ipv4Net = String;"), "{c}");
    assert!(!c.contains("impl From<Ipv4Net> for IpNet"), "{c}");
    assert!(!c.contains("impl From<Ipv6Net> for IpNet"), "{c}");
    assert!(c.contains("impl From<Ports> for IpNet {"), "{c}");
}

#[test]
fn nested_objects_maps_and_lists_in_a_form_body_are_accepted() {
    // Payment APIs take `card[number]=..&items[0][price]=..`: the runtime writes nested fields in
    // bracket notation, so the generator no longer refuses them; a file still belongs in
    // multipart.
    let form = "paths:\n  /charges:\n    post:\n      operationId: createCharge\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              properties:\n                amount: {type: integer}\n                metadata: {type: object, additionalProperties: {type: string}}\n                card: {type: object, properties: {number: {type: string}, exp: {type: object, properties: {month: {type: integer}}}}}\n                expand: {type: array, items: {type: string}}\n                items: {type: array, items: {type: object, properties: {price: {type: string}}}}\n      responses:\n        '204': {description: ok}\n";
    let c = code(form);
    assert!(c.contains("body(form) = body,"), "{c}");
    assert!(
        c.contains("pub card: Option<CreateChargeRequestCard>,"),
        "{c}"
    );
    assert!(c.contains("pub expand: Option<Vec<String>>,"), "{c}");
}

#[test]
fn list_path_and_header_parameters_are_lists_and_a_list_cookie_is_refused() {
    let spec = "paths:\n  /lines/{modes}:\n    get:\n      operationId: lines\n      parameters:\n        - {name: modes, in: path, required: true, schema: {type: array, items: {type: string}}}\n        - {name: X-Zones, in: header, schema: {type: array, items: {type: integer}}}\n      responses: {'204': {description: ok}}\n";
    let c = code(spec);
    assert!(c.contains("modes: &[String],"), "{c}");
    assert!(
        c.contains("#[param(header = \"X-Zones\")]\n    pub x_zones: Option<Vec<i64>>,"),
        "{c}"
    );
    let cookie = "paths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: ids, in: cookie, schema: {type: array, items: {type: string}}}\n      responses: {'204': {description: ok}}\n";
    let e = generate("t.yaml", &format!("{HEAD}{cookie}"), "t").unwrap_err();
    let msgs: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        msgs,
        ["cookie parameter `ids` is a list, which a cookie value cannot hold (its items would be joined by commas)"],
        "{e}"
    );
}

#[test]
fn error_bodies_that_are_aliases_of_one_type_are_one_variant_of_the_error_body() {
    let spec = "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '204': {description: ok}\n        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Limit'}}}}\n        '404': {description: gone, content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}\n        '500': {description: broken, content: {application/json: {schema: {$ref: '#/components/schemas/Base'}}}}\ncomponents:\n  schemas:\n    Limit: {type: object, additionalProperties: {type: string}}\n    Missing: {type: object, additionalProperties: {type: string}}\n    Base: {type: object, properties: {message: {type: string}}}\n";
    let a = api(spec);
    assert_eq!(
        a.error_bodies,
        [Ty::Map(Box::new(Ty::String)), Ty::Named("Base".into())]
    );
    let c = code(spec);
    let froms: Vec<&str> = c
        .lines()
        .filter(|l| l.contains(" for ErrorBody {"))
        .collect();
    assert_eq!(
        froms,
        [
            "impl From<::std::collections::BTreeMap<String, String>> for ErrorBody {",
            "impl From<Base> for ErrorBody {"
        ]
    );
    assert!(
        c.contains("err(400 => json(Limit), 404 => json(Missing), 500 => json(Base)),"),
        "{c}"
    );
}
