//! The generator on small specs, one construct each: what the lowered model says, and what the
//! emitted Rust contains.

use vendor_clients_codegen::model::*;
use vendor_clients_codegen::{generate, load, lower, SourceFile};

mod common;
use common::*;

#[test]
fn required_optional_and_nullable_stay_distinct() {
    let a = api(&format!(
        "{PING}components:\n  schemas:\n    Thing:\n      type: object\n      required: [a, b]\n      properties:\n        a: {{type: string}}\n        b: {{type: string, nullable: true}}\n        c: {{type: string}}\n        d: {{type: string, nullable: true}}\n"
    ));
    let f = fields(ty(&a, "Thing"));
    let flags: Vec<(&str, bool, bool)> = f
        .iter()
        .map(|f| (f.wire.as_str(), f.required, f.nullable))
        .collect();
    assert_eq!(
        flags,
        vec![
            ("a", true, false),
            ("b", true, true),
            ("c", false, false),
            ("d", false, true)
        ]
    );
    let c = code(&format!(
        "{PING}components:\n  schemas:\n    Thing:\n      type: object\n      required: [a, b]\n      properties:\n        a: {{type: string}}\n        b: {{type: string, nullable: true}}\n        c: {{type: string}}\n        d: {{type: string, nullable: true}}\n"
    ));
    assert!(c.contains("pub a: String,"), "{c}");
    assert!(c.contains("pub b: Option<String>,"), "{c}");
    assert!(c.contains("#[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub c: Option<String>,"), "{c}");
    assert!(
        c.contains("pub d: ::vendor_clients::Nullable<String>,"),
        "{c}"
    );
}

#[test]
fn refs_resolve_to_named_types_and_inline_objects_get_names() {
    let a = api(&format!(
        "{PING}components:\n  schemas:\n    Outer:\n      type: object\n      properties:\n        inner: {{$ref: '#/components/schemas/Inner'}}\n        meta:\n          type: object\n          properties:\n            x: {{type: integer, format: int32}}\n    Inner:\n      type: object\n      properties:\n        y: {{type: boolean}}\n"
    ));
    let f = fields(ty(&a, "Outer"));
    assert_eq!(f[0].ty, Ty::Named("Inner".into()));
    assert_eq!(f[1].ty, Ty::Named("OuterMeta".into()));
    assert_eq!(fields(ty(&a, "OuterMeta"))[0].ty, Ty::I32);
}

#[test]
fn all_of_merges_properties_and_required() {
    let a = api(&format!(
        "{PING}components:\n  schemas:\n    Base:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string}}\n    Full:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          required: [name]\n          properties:\n            name: {{type: string}}\n            age: {{type: integer}}\n"
    ));
    let f = fields(ty(&a, "Full"));
    let got: Vec<(&str, bool, &Ty)> = f
        .iter()
        .map(|f| (f.wire.as_str(), f.required, &f.ty))
        .collect();
    assert_eq!(
        got,
        vec![
            ("id", true, &Ty::String),
            ("name", true, &Ty::String),
            ("age", false, &Ty::I64)
        ]
    );
}

#[test]
fn one_of_becomes_an_enum_untagged_or_tagged() {
    let spec = format!(
        "{PING}components:\n  schemas:\n    TokenRequest:\n      oneOf:\n        - $ref: '#/components/schemas/TokenRequestByAccountId'\n        - $ref: '#/components/schemas/TokenRequestByCredentials'\n    TokenRequestByAccountId:\n      type: object\n      required: [accountId]\n      properties:\n        accountId: {{type: string}}\n    TokenRequestByCredentials:\n      type: object\n      required: [login, password]\n      properties:\n        login: {{type: string}}\n        password: {{type: string, format: password}}\n    Pet:\n      oneOf:\n        - $ref: '#/components/schemas/Cat'\n        - $ref: '#/components/schemas/Dog'\n      discriminator:\n        propertyName: kind\n        mapping: {{cat: '#/components/schemas/Cat'}}\n    Cat:\n      type: object\n      required: [kind]\n      properties:\n        kind: {{type: string}}\n        purrs: {{type: boolean}}\n    Dog:\n      type: object\n      properties:\n        kind: {{type: string}}\n"
    );
    let a = api(&spec);
    match &ty(&a, "TokenRequest").kind {
        TypeKind::OneOf {
            tag: None,
            variants,
            ..
        } => {
            let names: Vec<&str> = variants.iter().map(|v| v.rust.as_str()).collect();
            assert_eq!(names, vec!["ByAccountId", "ByCredentials"]);
        }
        other => panic!("{other:?}"),
    }
    match &ty(&a, "Pet").kind {
        TypeKind::OneOf {
            tag: Some(t),
            variants,
            ..
        } => {
            assert_eq!(t, "kind");
            let tags: Vec<Option<&str>> = variants.iter().map(|v| v.tag_value.as_deref()).collect();
            assert_eq!(
                tags,
                vec![Some("cat"), Some("Dog")],
                "unmapped variants use the schema name"
            );
        }
        other => panic!("{other:?}"),
    }
    // The discriminator is the serde tag, so the variant structs no longer carry it.
    assert_eq!(
        fields(ty(&a, "Cat"))
            .iter()
            .map(|f| f.wire.as_str())
            .collect::<Vec<_>>(),
        vec!["purrs"]
    );
    assert_eq!(
        fields(ty(&a, "TokenRequestByCredentials"))[1].ty,
        Ty::Secret
    );
    let c = code(&spec);
    assert!(c.contains("#[serde(untagged)]\npub enum TokenRequest {\n    /// A `TokenRequestByAccountId`.\n    ByAccountId(TokenRequestByAccountId),"), "{c}");
    assert!(
        c.contains("pub enum Pet {\n    /// `kind: cat`\n    Cat(Cat),"),
        "{c}"
    );
    assert!(
        c.contains("::vendor_clients::__tagged_union!(Pet \"kind\"; Cat \"cat\", Dog \"Dog\");"),
        "{c}"
    );
}

#[test]
fn string_enums_keep_unknown_values() {
    let spec = format!("{PING}components:\n  schemas:\n    Status:\n      type: string\n      enum: [ACTIVE, EXPIRED, Unknown]\n");
    let a = api(&spec);
    match &ty(&a, "Status").kind {
        TypeKind::Enum { values, unknown } => {
            assert_eq!(
                values.iter().map(|v| v.rust.as_str()).collect::<Vec<_>>(),
                vec!["Active", "Expired", "Unknown"]
            );
            assert_eq!(
                unknown, "UnknownValue",
                "the catch-all must not clash with a known value"
            );
        }
        other => panic!("{other:?}"),
    }
    let c = code(&spec);
    assert!(
        c.contains("#[::vendor_clients::string_enum]\n#[derive(Debug, Clone, PartialEq, Eq, Hash)]\npub enum Status {"),
        "{c}"
    );
    assert!(c.contains("#[wire(\"ACTIVE\")]\n    Active,"), "{c}");
    assert!(
        c.contains("kept as received.\n    UnknownValue(String),\n}"),
        "{c}"
    );
}

#[test]
fn arrays_maps_and_formats() {
    let a = api(&format!(
        "{PING}components:\n  schemas:\n    Bag:\n      type: object\n      properties:\n        tags: {{type: array, items: {{type: string}}}}\n        links: {{type: object, additionalProperties: {{type: string, format: uri}}}}\n        any: {{}}\n        when: {{type: string, format: date-time}}\n        day: {{type: string, format: date}}\n        n32: {{type: integer, format: int32}}\n        n64: {{type: integer, format: int64}}\n        f: {{type: number, format: float}}\n        d: {{type: number}}\n        flag: {{type: boolean}}\n        secret: {{type: string, x-sensitive: true}}\n"
    ));
    let got: Vec<&Ty> = fields(ty(&a, "Bag")).iter().map(|f| &f.ty).collect();
    assert_eq!(
        got,
        vec![
            &Ty::Vec(Box::new(Ty::String)),
            &Ty::Map(Box::new(Ty::String)),
            &Ty::Json,
            &Ty::DateTime,
            &Ty::Date,
            &Ty::I32,
            &Ty::I64,
            &Ty::F32,
            &Ty::F64,
            &Ty::Bool,
            &Ty::Secret,
        ]
    );
}

#[test]
fn parameters_bodies_and_responses_per_status() {
    let spec = "servers:\n  - url: https://{host}/base\n    variables:\n      host: {default: ''}\nsecurity: [{bearerAuth: []}]\npaths:\n  /things/{thingId}:\n    parameters:\n      - {name: thingId, in: path, required: true, schema: {type: string}}\n    post:\n      operationId: putThing\n      parameters:\n        - {name: 'page[size]', in: query, required: true, schema: {type: integer, format: int32}}\n        - {name: X-Trace, in: header, required: true, schema: {type: string}}\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Thing'}\n      responses:\n        '200':\n          description: updated\n          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}\n        '201':\n          description: created\n          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}\n        '204': {description: nothing}\n        '404':\n          description: no\n          content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}\ncomponents:\n  securitySchemes:\n    bearerAuth: {type: http, scheme: bearer}\n  schemas:\n    Thing: {type: object, properties: {a: {type: string}}}\n    Problem: {type: object, properties: {m: {type: string}}}\n";
    let a = api(spec);
    let op = &a.operations[0];
    assert_eq!(op.rust, "put_thing");
    assert_eq!(op.rust_path, "/things/{thing_id}");
    let ps: Vec<(&str, &str, ParamIn, bool)> = op
        .params
        .iter()
        .map(|p| (p.rust.as_str(), p.wire.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        ps,
        vec![
            ("thing_id", "thingId", ParamIn::Path, true),
            ("page_size", "page[size]", ParamIn::Query, true),
            ("x_trace", "X-Trace", ParamIn::Header, true)
        ]
    );
    assert_eq!(
        op.body,
        Some(Body {
            ty: Ty::Named("Thing".into()),
            required: true,
            encoding: BodyEncoding::Json,
            media: None,
            alternatives: Vec::new(),
            unencoded_schema: false,
        })
    );
    assert_eq!(op.auth, vec!["bearerAuth".to_string()]);
    match &op.output {
        Output::Enum { name, variants } => {
            assert_eq!(name, "PutThingResponse");
            let vs: Vec<(&str, bool)> = variants
                .iter()
                .map(|(v, p, _)| (v.as_str(), p.is_some()))
                .collect();
            assert_eq!(
                vs,
                vec![("Ok", true), ("Created", true), ("NoContent", false)]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(a.error_bodies, vec![Ty::Named("Problem".into())]);
    assert_eq!(a.servers[0].variables[0].setter, "host");
    let c = code(spec);
    assert!(c.contains("    POST \"/things/{thing_id}\",\n        operation_id = \"putThing\",\n        auth(bearerAuth),\n        query(page_size = \"page[size]\"),\n        headers(x_trace = \"X-Trace\"),\n        body = body,\n        ok(200 => json(Thing) as PutThingResponse::Ok, 201 => json(Thing) as PutThingResponse::Created, 204 => empty as PutThingResponse::NoContent),\n        err(404 => json(Problem)),"), "{c}");
    assert!(c.contains("pub async fn put_thing(\n        &self,\n        thing_id: &str,\n        page_size: i32,\n        x_trace: &str,\n        body: &Thing,\n    ) -> Result<PutThingResponse, Error>;"), "{c}");
    assert!(
        c.contains("pub type Error = ::vendor_clients::Error<Problem>;"),
        "{c}"
    );
}

#[test]
fn error_variants_turn_a_200_into_an_error() {
    let spec = "paths:\n  /token:\n    post:\n      operationId: token\n      responses:\n        '200':\n          description: maybe\n          x-error-variants: [Refused]\n          content: {application/json: {schema: {$ref: '#/components/schemas/Answer'}}}\n        '401':\n          description: no\n          content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}\ncomponents:\n  schemas:\n    Answer:\n      oneOf: [{$ref: '#/components/schemas/Granted'}, {$ref: '#/components/schemas/Refused'}]\n      discriminator: {propertyName: status, mapping: {OK: '#/components/schemas/Granted', ERROR: '#/components/schemas/Refused'}}\n    Granted: {type: object, required: [status, token], properties: {status: {type: string}, token: {type: string}}}\n    Refused: {type: object, required: [status, reason], properties: {status: {type: string}, reason: {type: string}}}\n    Failure: {type: object, properties: {message: {type: string}}}\n";
    let a = api(spec);
    assert_eq!(
        a.operations[0].output,
        Output::Single(OutTy::Ty(Ty::Named("Granted".into())))
    );
    assert!(a.operations[0].ok[0].verdict);
    assert_eq!(
        a.error_bodies,
        vec![Ty::Named("Refused".into()), Ty::Named("Failure".into())]
    );
    let c = code(spec);
    assert!(c.contains("ok(200 => json(Answer) verdict),"), "{c}");
    assert!(c.contains("impl ::vendor_clients::Verdict for Answer {\n    type Accepted = Granted;\n    type Rejected = Refused;"), "{c}");
    assert!(
        c.contains("pub enum ErrorBody {\n    /// A `Refused` body.\n    Refused(Refused),\n    /// A `Failure` body.\n    Failure(Failure),\n}"),
        "{c}"
    );
}

#[test]
fn servers_and_security_schemes_become_builder_setters() {
    let spec = "servers:\n  - url: 'https://{tenant}.example.com/{version}'\n    variables:\n      tenant: {default: ''}\n      version: {default: v2, enum: [v1, v2]}\npaths:\n  /ping:\n    get:\n      operationId: ping\n      security: [{apiKey: []}, {basicAuth: []}]\n      responses: {'204': {description: ok}}\ncomponents:\n  securitySchemes:\n    apiKey: {type: apiKey, in: header, name: X-Key}\n    basicAuth: {type: http, scheme: basic}\n";
    let a = api(spec);
    let vars: Vec<(&str, &str, &[String])> = a.servers[0]
        .variables
        .iter()
        .map(|v| (v.setter.as_str(), v.default.as_str(), v.allowed.as_slice()))
        .collect();
    assert_eq!(
        vars,
        vec![
            ("tenant", "", &[][..]),
            ("version", "v2", &["v1".to_string(), "v2".to_string()][..])
        ]
    );
    assert_eq!(
        a.schemes
            .iter()
            .map(|s| (s.setter.as_str(), s.kind.clone()))
            .collect::<Vec<_>>(),
        vec![
            ("api_key", SchemeKind::ApiKeyHeader("X-Key".into())),
            ("basic_auth", SchemeKind::Basic)
        ]
    );
    assert_eq!(
        a.operations[0].auth,
        vec!["apiKey".to_string(), "basicAuth".to_string()]
    );
    let c = code(spec);
    assert!(c.contains("pub fn tenant(self, value: impl Into<String>) -> Self {\n        self.server_variable(\"tenant\", value)"), "{c}");
    assert!(
        c.contains("pub fn basic_auth(\n        self,\n        username: impl Into<String>,"),
        "{c}"
    );
}

#[test]
fn output_is_deterministic() {
    let spec = format!("{PING}components:\n  schemas:\n    A: {{type: object, properties: {{x: {{type: string}}, y: {{type: array, items: {{type: object, properties: {{z: {{type: integer}}}}}}}}}}}}\n");
    assert_eq!(code(&spec), code(&spec));
}

#[test]
fn keywords_become_raw_identifiers() {
    let c = code(&format!("{PING}components:\n  schemas:\n    A: {{type: object, properties: {{type: {{type: string}}, self: {{type: string}}}}}}\n"));
    assert!(c.contains("pub r#type: Option<String>,"), "{c}");
    assert!(c.contains("#[serde(rename = \"self\", default, skip_serializing_if = \"Option::is_none\")]\n    pub self_: Option<String>,"), "{c}");
}

#[test]
fn outcomes_turn_chosen_statuses_into_success_variants() {
    let spec = "paths:\n  /dash:\n    get:\n      operationId: getDash\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Dash'}}}\n        '204': {description: none, x-outcome: NotAReferrer}\n        '404': {description: none, x-outcome: NotAReferrer}\n        '400': {description: bad}\ncomponents:\n  schemas:\n    Dash: {type: object, properties: {a: {type: string}}}\n";
    let a = api(spec);
    match &a.operations[0].output {
        Output::Enum { name, variants } => {
            assert_eq!(name, "GetDashResponse");
            let vs: Vec<(&str, bool, &[u16])> = variants
                .iter()
                .map(|(v, p, c)| (v.as_str(), p.is_some(), c.as_slice()))
                .collect();
            assert_eq!(
                vs,
                vec![
                    ("Ok", true, &[200][..]),
                    ("NotAReferrer", false, &[204, 404][..])
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    let c = code(spec);
    assert!(c.contains("ok(200 => json(Dash) as GetDashResponse::Ok, 204 | 404 => empty as GetDashResponse::NotAReferrer),"), "{c}");
    assert!(c.contains("err(400 => empty),"), "{c}");
}

#[test]
fn optional_query_parameters_make_a_params_struct_with_a_builder() {
    let spec = "paths:\n  /s:\n    get:\n      operationId: search\n      parameters:\n        - {name: 'request[partnerCode]', in: query, required: true, schema: {type: string}}\n        - {name: 'request[localeCode]', in: query, schema: {type: string}}\n        - {name: X-App, in: header, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    let a = api(spec);
    let op = &a.operations[0];
    assert!(
        op.params.is_empty(),
        "query and header parameters moved to the struct"
    );
    assert_eq!(op.params_struct.as_deref(), Some("SearchParams"));
    match &ty(&a, "SearchParams").kind {
        TypeKind::Params { members, .. } => {
            let m: Vec<(&str, bool)> = members
                .iter()
                .map(|p| (p.rust.as_str(), p.required))
                .collect();
            assert_eq!(
                m,
                vec![
                    ("request_partner_code", true),
                    ("request_locale_code", false),
                    ("x_app", false)
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    // Each field says where it goes; `#[params]` writes `new`, the setters and `Params`.
    let c = code(spec);
    assert!(
        c.contains("#[::vendor_clients::params(operation = \"search\")]\n#[derive(Debug, Clone, PartialEq)]\npub struct SearchParams {"),
        "{c}"
    );
    assert!(
        c.contains("#[param(query = \"request[partnerCode]\", required)]\n    pub request_partner_code: String,"),
        "{c}"
    );
    assert!(
        c.contains("#[param(query = \"request[localeCode]\")]\n    pub request_locale_code: Option<String>,"),
        "{c}"
    );
    assert!(
        c.contains("#[param(header = \"X-App\")]\n    pub x_app: Option<String>,"),
        "{c}"
    );
    assert!(c.contains("params = params,"), "{c}");
    assert!(
        c.contains("pub async fn search(&self, params: &SearchParams) -> Result<(), Error>;"),
        "{c}"
    );
}

#[test]
fn param_groups_become_an_enum_of_exactly_one() {
    let spec = "paths:\n  /r:\n    get:\n      operationId: refs\n      x-param-groups:\n        - {name: Identity, one-of: [user_id, username]}\n      parameters:\n        - {name: user_id, in: query, schema: {type: integer}}\n        - {name: username, in: query, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    let a = api(spec);
    match &ty(&a, "Identity").kind {
        TypeKind::ParamGroup { variants } => {
            let v: Vec<(&str, &str, &Ty)> = variants
                .iter()
                .map(|(n, p)| (n.as_str(), p.wire.as_str(), &p.ty))
                .collect();
            assert_eq!(
                v,
                vec![
                    ("UserId", "user_id", &Ty::I64),
                    ("Username", "username", &Ty::String)
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    let c = code(spec);
    assert!(c.contains("pub enum Identity {"), "{c}");
    assert!(
        c.contains("Self::UserId(value) => request.query(\"user_id\", value),"),
        "{c}"
    );
    assert!(
        c.contains("#[param(group, required)]\n    pub identity: Identity,"),
        "{c}"
    );
}

#[test]
fn integer_enums_with_names_keep_unknown_codes() {
    let spec = format!("{PING}components:\n  schemas:\n    Code:\n      type: integer\n      enum: [1, 154]\n      x-enum-varnames: [UsernameInvalid, UserIdInvalid]\n");
    let a = api(&spec);
    match &ty(&a, "Code").kind {
        TypeKind::IntEnum { values, unknown } => {
            let values: Vec<(&str, i64)> =
                values.iter().map(|v| (v.rust.as_str(), v.value)).collect();
            assert_eq!(values, [("UsernameInvalid", 1), ("UserIdInvalid", 154)]);
            assert_eq!(unknown, "Unknown");
        }
        other => panic!("{other:?}"),
    }
    let c = code(&spec);
    assert!(c.contains("154 => Self::UserIdInvalid,"), "{c}");
    assert!(c.contains("other => Self::Unknown(other),"), "{c}");
}

#[test]
fn unwrap_returns_the_value_with_the_rest_as_meta() {
    let spec = "paths:\n  /n:\n    get:\n      operationId: networks\n      responses:\n        '200':\n          description: ok\n          x-unwrap: networks/*/network\n          content: {application/json: {schema: {$ref: '#/components/schemas/Page'}}}\ncomponents:\n  schemas:\n    Page:\n      type: object\n      required: [networks]\n      properties:\n        networks: {type: array, items: {$ref: '#/components/schemas/Wrapper'}}\n        count: {type: integer}\n    Wrapper: {type: object, required: [network], properties: {network: {$ref: '#/components/schemas/Network'}}}\n    Network: {type: object, properties: {id: {type: string}}}\n";
    let a = api(spec);
    assert_eq!(a.unwraps.len(), 1);
    let u = &a.unwraps[0];
    assert_eq!(
        (u.envelope.as_str(), u.method.as_str(), u.meta.as_str()),
        ("Page", "into_networks_network", "PageMeta")
    );
    assert_eq!(
        u.path,
        vec![
            UnwrapStep::Field("networks".into()),
            UnwrapStep::Each,
            UnwrapStep::Field("network".into())
        ]
    );
    assert_eq!(u.value, Ty::Vec(Box::new(Ty::Named("Network".into()))));
    assert_eq!(u.meta_fields, vec!["count".to_string()]);
    let c = code(spec);
    assert!(
        c.contains("ok(200 => json(Page) as Page::into_networks_network),"),
        "{c}"
    );
    assert!(
        c.contains("-> Result<::vendor_clients::Envelope<Vec<Network>, PageMeta>, Error>;"),
        "{c}"
    );
    assert!(
        c.contains("self.networks.into_iter().map(|item| item.network).collect::<Vec<_>>()"),
        "{c}"
    );
}

/// The wire forms of lenient values, as `x-lenient` `anyOf` branches (YAML flow).
const NUMBER_TEXT: &str =
    r"{type: string, pattern: '^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$'}";
const INTEGER_TEXT: &str = "{type: string, pattern: '^[-+]?[0-9]+$'}";
const FLAG_TEXT: &str =
    r#"{type: string, enum: ["y", "n", "yes", "no", "1", "0", "true", "false"]}"#;

#[test]
fn formats_aliases_and_lenient_values() {
    let spec = format!("{PING}components:\n  schemas:\n    Row:\n      type: object\n      properties:\n        created: {{type: string, format: naive-date-time}}\n        at: {{type: integer, format: epoch-millis}}\n        amount: {{x-lenient: true, anyOf: [{{type: number}}, {NUMBER_TEXT}]}}\n        active: {{x-lenient: true, anyOf: [{{type: boolean}}, {FLAG_TEXT}, {{type: integer, enum: [0, 1]}}]}}\n        mobileTwitterShareLink: {{type: string, x-aliases: [mobileTwitterSharelink]}}\n");
    let a = api(&spec);
    let f = fields(ty(&a, "Row"));
    let got: Vec<&Ty> = f.iter().map(|f| &f.ty).collect();
    assert_eq!(
        got,
        vec![
            &Ty::NaiveDateTime,
            &Ty::EpochMillis,
            &Ty::Lenient(Box::new(Ty::F64)),
            &Ty::Lenient(Box::new(Ty::Bool)),
            &Ty::String
        ]
    );
    assert_eq!(f[4].aliases, vec!["mobileTwitterSharelink".to_string()]);
    let c = code(&spec);
    assert!(c.contains("alias = \"mobileTwitterSharelink\""), "{c}");
    assert!(
        c.contains("pub amount: Option<::vendor_clients::Lenient<f64>>,"),
        "{c}"
    );
}

/// A signer's credential declared where it travels: the GET's query parameter (HTTP-level
/// `security` and `x-signed-by` on the parameter), a POST's JSON body (`security: []` and
/// `x-signed-by` on a body property, at any depth, through `$ref`s and `allOf`). Both are
/// signed; a body-signed call with other HTTP security needs both.
#[test]
fn operations_are_signed_where_the_credential_travels() {
    let spec = "security: [{tok: []}]\npaths:\n  /d:\n    get:\n      operationId: dash\n      parameters:\n        - {name: emailAddress, in: query, required: true, schema: {type: string}}\n        - {name: 'request[authenticationToken]', in: query, required: true, x-signed-by: tok, schema: {type: string}}\n      responses: {'204': {description: ok}}\n  /o:\n    post:\n      operationId: order\n      security: []\n      requestBody:\n        content: {application/json: {schema: {$ref: '#/components/schemas/Order'}}}\n      responses: {'204': {description: ok}}\n    put:\n      operationId: keyed\n      security: [{key: []}]\n      requestBody:\n        content: {application/json: {schema: {allOf: [{$ref: '#/components/schemas/Order'}]}}}\n      responses: {'204': {description: ok}}\n  /f:\n    post:\n      operationId: find\n      security: []\n      requestBody:\n        content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}\n      responses: {'204': {description: ok}}\ncomponents:\n  securitySchemes:\n    tok: {type: apiKey, in: query, name: 'request[authenticationToken]', x-signer: mention-me-token}\n    key: {type: apiKey, in: header, name: X-Key}\n  schemas:\n    Order:\n      type: object\n      properties:\n        request: {$ref: '#/components/schemas/Context'}\n    Context:\n      type: object\n      properties:\n        authenticationToken: {type: string, x-signed-by: tok}\n";
    let a = api(spec);
    let auth = |id: &str| op(&a, id).auth.clone();
    assert_eq!(auth("dash"), vec!["tok".to_string()]);
    assert_eq!(auth("order"), vec!["tok".to_string()]);
    assert_eq!(auth("keyed"), vec!["key+tok".to_string()]);
    assert!(auth("find").is_empty(), "no credential anywhere");
}

/// A call whose token travels in the body must not also claim the query credential (here
/// inherited from the document's `security`), and `x-signed-by` in a body must name a signer.
#[test]
fn a_body_signed_call_that_claims_the_query_credential_is_refused() {
    let spec = "security: [{tok: []}]\npaths:\n  /o:\n    post:\n      operationId: order\n      requestBody:\n        content: {application/json: {schema: {type: object, properties: {token: {type: string, x-signed-by: tok}, other: {type: string, x-signed-by: nope}}}}}\n      responses: {'204': {description: ok}}\ncomponents:\n  securitySchemes:\n    tok: {type: apiKey, in: query, name: 'request[authenticationToken]', x-signer: mention-me-token}\n";
    let err = generate("t.yaml", &format!("{HEAD}{spec}"), "t").expect_err("refused");
    let msgs: Vec<&str> = err.0.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(msgs.len(), 2, "{err}");
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("`tok` is declared as an HTTP credential here, but the operation `order` sends it in its JSON body")),
        "{err}"
    );
    assert!(
        msgs.contains(&"`nope` is not a security scheme with `x-signer`"),
        "{err}"
    );
}

/// specs/mention-me.yaml: the POSTs carry the token in the body and declare `security: []`;
/// one that inherited the query credential again is refused.
#[test]
fn mention_me_posts_may_not_claim_the_query_credential_again() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/mention-me.yaml");
    let text = std::fs::read_to_string(path).expect("specs/mention-me.yaml");
    let g =
        generate("specs/mention-me.yaml", &text, "mention_me").unwrap_or_else(|d| panic!("{d}"));
    assert!(g.code.contains("auth(authenticationToken)"), "still signed");
    let marker = "      # is what makes the client compute and send it.\n      security: []\n";
    assert_eq!(text.matches(marker).count(), 3, "one per POST");
    for op in ["enrolReferrer", "recordOrder", "registerReferee"] {
        let at = text
            .find(&format!("operationId: {op}\n"))
            .expect("operation");
        let rel = text[at..].find(marker).expect("its security: []");
        let mut broken = text.clone();
        broken.replace_range(
            at + rel..at + rel + marker.len(),
            "      # is what makes the client compute and send it.\n",
        );
        let err = generate("specs/mention-me.yaml", &broken, "mention_me")
            .expect_err("a POST that claims the query credential");
        assert!(
            err.0.iter().any(|d| d
                .message
                .contains(&format!("the operation `{op}` sends it in its JSON body"))),
            "{op}: {err}"
        );
    }
}

#[test]
fn signers_fill_their_parameters_and_get_a_secret_setter() {
    let spec = "security: [{tok: []}]\npaths:\n  /d:\n    get:\n      operationId: dash\n      parameters:\n        - {name: emailAddress, in: query, required: true, schema: {type: string}}\n        - {name: 'request[authenticationToken]', in: query, required: true, x-signed-by: tok, schema: {type: string}}\n      responses: {'204': {description: ok}}\ncomponents:\n  securitySchemes:\n    tok: {type: apiKey, in: query, name: 'request[authenticationToken]', x-signer: mention-me-token, x-rust-name: merchant_secret}\n";
    let a = api(spec);
    assert_eq!(
        a.schemes[0].kind,
        SchemeKind::Signer("mention-me-token".into())
    );
    assert_eq!(a.schemes[0].setter, "merchant_secret");
    let wires: Vec<&str> = a.operations[0]
        .params
        .iter()
        .map(|p| p.wire.as_str())
        .collect();
    assert_eq!(
        wires,
        vec!["emailAddress"],
        "the signed parameter is not an argument"
    );
    let c = code(spec);
    assert!(
        c.contains(
            "pub fn merchant_secret(self, secret: impl Into<::vendor_clients::Secret>) -> Self {"
        ),
        "{c}"
    );
    assert!(
        c.contains("::vendor_clients::signers::MentionMeToken::new(secret)"),
        "{c}"
    );
}

#[test]
fn schemes_required_together_are_joined() {
    let spec = "security: [{a: [], b: []}, {c: []}]\npaths:\n  /p:\n    get:\n      operationId: p\n      responses: {'204': {description: ok}}\ncomponents:\n  securitySchemes:\n    a: {type: apiKey, in: header, name: X-A}\n    b: {type: apiKey, in: header, name: X-B}\n    c: {type: http, scheme: bearer}\n";
    let a = api(spec);
    assert_eq!(
        a.operations[0].auth,
        vec!["a+b".to_string(), "c".to_string()]
    );
    assert!(code(spec).contains("auth(\"a+b\", c),"));
}

#[test]
fn rust_keywords_as_spec_names_are_escaped_into_valid_code() {
    // Keywords as operationId, path and query parameter, schema, property and enum value names
    // are accepted: each is escaped (`r#`, or a `_` suffix where `r#` is not allowed).
    let c = code("paths:\n  /type/{fn}:\n    get:\n      operationId: type\n      parameters:\n        - {name: fn, in: path, required: true, schema: {type: string}}\n        - {name: in, in: query, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/self'}}}\ncomponents:\n  schemas:\n    self:\n      type: object\n      properties:\n        match: {type: string}\n        crate: {type: string}\n        kind: {type: string, enum: [self, async]}\n");
    assert!(!c.contains("compile_error!"), "{c}");
    syn::parse_file(&c).unwrap_or_else(|e| panic!("not valid Rust: {e}\n{c}"));
    assert!(c.contains("pub async fn type_("), "{c}");
    assert!(c.contains("fn_: &str"), "{c}");
    assert!(c.contains("in_: &str"), "{c}");
    assert!(c.contains("pub struct Self_ {"), "{c}");
    assert!(c.contains("pub r#match: Option<String>,"), "{c}");
    assert!(c.contains("pub crate_: Option<String>,"), "{c}");
    assert!(c.contains("Self_,"), "{c}");
    assert!(c.contains("Async,"), "{c}");
}

#[test]
fn error_bodies_of_unnamed_types_get_distinct_variants() {
    // A list body and a map body used to both become `ErrorBody::Other`, which does not compile.
    let c = code("paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '204': {description: ok}\n        '400':\n          description: bad\n          content: {application/json: {schema: {type: array, items: {type: string}}}}\n        '500':\n          description: bad\n          content: {application/json: {schema: {type: object, additionalProperties: {type: string}}}}\n");
    syn::parse_file(&c).unwrap_or_else(|e| panic!("not valid Rust: {e}\n{c}"));
    assert!(c.contains("    List(Vec<String>),\n"), "{c}");
    assert!(
        c.contains("    Map(::std::collections::BTreeMap<String, String>),\n"),
        "{c}"
    );
}

#[test]
fn basic_with_a_fixed_user_name_takes_only_the_password() {
    let spec = "paths:\n  /ping:\n    get:\n      operationId: ping\n      security: [{apiKey: []}]\n      responses: {'204': {description: ok}}\ncomponents:\n  securitySchemes:\n    apiKey: {type: http, scheme: basic, x-basic-username: ''}\n";
    let a = api(spec);
    assert_eq!(a.schemes[0].kind, SchemeKind::BasicFixedUser(String::new()));
    let c = code(spec);
    assert!(
        c.contains("pub fn api_key(self, password: impl Into<::vendor_clients::Secret>) -> Self"),
        "{c}"
    );
    assert!(
        c.contains("username: ::std::string::String::from(\"\")"),
        "{c}"
    );
    assert!(!c.contains("username: impl Into<String>"), "{c}");
}

#[test]
fn basic_user_name_must_be_a_string_without_a_colon() {
    for bad in ["'a:b'", "7", "[x]"] {
        let text = format!("{HEAD}paths:\n  /ping:\n    get:\n      operationId: ping\n      security: [{{apiKey: []}}]\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  securitySchemes:\n    apiKey: {{type: http, scheme: basic, x-basic-username: {bad}}}\n");
        let d = generate("t.yaml", &text, "t").expect_err(bad).to_string();
        assert!(d.contains("x-basic-username"), "{bad}: {d}");
    }
}

const DOWNLOAD: &str = "paths:\n  /export/{id}/download:\n    get:\n      operationId: downloadExport\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200':\n          description: the file\n          x-stream: true\n          content:\n            text/csv:\n              schema: {type: string, format: binary}\n        '404':\n          description: gone\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Problem'}\ncomponents:\n  schemas:\n    Problem: {type: object, properties: {message: {type: string}}}\n";

#[test]
fn streamed_downloads_return_a_byte_stream() {
    let a = api(DOWNLOAD);
    let op = &a.operations[0];
    assert_eq!(op.output, Output::Single(OutTy::Stream));
    assert_eq!(op.ok[0].kind, BodyKind::Stream);
    let c = code(DOWNLOAD);
    assert!(c.contains("ok(200 => stream),"), "{c}");
    assert!(
        c.contains("pub type ByteStream = ::vendor_clients::ByteStream<Problem>;"),
        "{c}"
    );
    assert!(
        c.contains("pub async fn download_export(&self, id: &str) -> Result<ByteStream, Error>;"),
        "{c}"
    );
    // Without `x-stream` the same body is read whole, and no alias is emitted.
    let c = code(&DOWNLOAD.replace("          x-stream: true\n", ""));
    assert!(c.contains("ok(200 => text),"), "{c}");
    assert!(!c.contains("ByteStream"), "{c}");
}

#[test]
fn a_streamed_body_can_be_one_outcome_among_others() {
    // A 200 download or a 202 job: the enum holds the stream, and the endpoint streams only 200.
    let spec = DOWNLOAD.replace(
        "        '404':",
        "        '202':\n          description: a job\n          x-outcome: job\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Problem'}\n        '404':",
    );
    let a = api(&spec);
    match &a.operations[0].output {
        Output::Enum { variants, .. } => assert_eq!(
            variants,
            &vec![
                ("Ok".to_string(), Some(Ty::Stream), vec![200]),
                (
                    "Job".to_string(),
                    Some(Ty::Named("Problem".into())),
                    vec![202]
                ),
            ]
        ),
        other => panic!("{other:?}"),
    }
    let c = code(&spec);
    assert!(
        c.contains("ok(200 => stream as DownloadExportResponse::Ok, 202 => json(Problem) as DownloadExportResponse::Job),"),
        "{c}"
    );
    assert!(c.contains("pub type ByteStream = "), "{c}");
    assert!(c.contains("    Ok(ByteStream),"), "{c}");
    // A stream is neither `Clone` nor `PartialEq`, so neither is the enum.
    assert!(
        c.contains("#[derive(Debug)]\n#[allow(clippy::large_enum_variant)]\npub enum DownloadExportResponse"),
        "{c}"
    );
    // Two streamed outcomes are told apart by status too.
    let two = spec.replace(
        "        '202':\n          description: a job\n          x-outcome: job\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Problem'}",
        "        '206':\n          description: a part\n          x-stream: true\n          content:\n            text/csv:\n              schema: {type: string, format: binary}\n        '204':\n          description: nothing",
    );
    let c = code(&two);
    assert!(
        c.contains("ok(200 => stream as DownloadExportResponse::Ok, 206 => stream as DownloadExportResponse::PartialContent, 204 => empty as DownloadExportResponse::NoContent),"),
        "{c}"
    );
}

#[test]
fn x_stream_is_refused_where_nothing_can_stream() {
    let cases = [
        (
            DOWNLOAD.replace("text/csv:\n              schema: {type: string, format: binary}", "application/json:\n              schema: {type: string}"),
            "`x-stream` needs a binary or text body",
        ),
        (
            DOWNLOAD.replace(
                "          description: gone\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Problem'}",
                "          description: gone\n          x-stream: true\n          content:\n            text/plain:\n              schema: {type: string}",
            ),
            "`x-stream` only applies to success (2xx) responses",
        ),
        (
            DOWNLOAD.replace("x-stream: true", "x-stream: yes please"),
            "`x-stream` must be `true` or `false`",
        ),
    ];
    for (spec, message) in cases {
        let text = format!("{HEAD}{spec}");
        let d = generate("t.yaml", &text, "t").expect_err(&spec).to_string();
        assert!(d.contains(message), "{d}");
    }
}

#[test]
fn next_link_paging_reads_the_link_through_optional_and_nullable_properties() {
    let spec = "paths:\n  /tags:\n    get:\n      operationId: listTags\n      parameters:\n        - {name: partner, in: query, required: false, schema: {type: string}}\n      x-pagination: {style: next-link, items: data, next: hypermedia/pagination/next_page}\n      responses:\n        '200':\n          description: ok\n          x-unwrap: data\n          content: {application/json: {schema: {$ref: '#/components/schemas/TagList'}}}\ncomponents:\n  schemas:\n    TagList:\n      type: object\n      required: [data]\n      properties:\n        data: {type: array, items: {type: string}}\n        hypermedia: {$ref: '#/components/schemas/Hypermedia'}\n    Hypermedia:\n      type: object\n      properties:\n        pagination:\n          type: object\n          required: [next_page]\n          properties:\n            next_page: {type: string, nullable: true}\n";
    let a = api(spec);
    let p = a.operations[0].pagination.as_ref().expect("pagination");
    assert_eq!(p.item, Ty::String);
    match &p.style {
        PageStyle::NextLink { next } => {
            assert_eq!(next.from, AccessRoot::Meta);
            let steps: Vec<(&str, FieldWrap)> =
                next.steps.iter().map(|(f, w)| (f.as_str(), *w)).collect();
            assert_eq!(
                steps,
                vec![
                    ("hypermedia", FieldWrap::Option),
                    ("pagination", FieldWrap::Option),
                    ("next_page", FieldWrap::Option),
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    let c = code(spec);
    assert!(c.contains("pub fn list_tags_stream<'a>("), "{c}");
    assert!(
        c.contains("::vendor_clients::pagination::by_next_link("),
        "{c}"
    );
    assert!(c.contains("core: self.core.following(&__vc_link)"), "{c}");
    assert!(
        c.contains(".and_then(|x| x.hypermedia)\n                        .and_then(|x| x.pagination)\n                        .and_then(|x| x.next_page),"),
        "{c}"
    );
}

#[test]
fn next_link_paging_refuses_a_link_that_is_not_a_string() {
    let text = format!("{HEAD}paths:\n  /tags:\n    get:\n      operationId: listTags\n      x-pagination: {{style: next-link, items: data, next: next}}\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/TagList'}}}}}}\ncomponents:\n  schemas:\n    TagList:\n      type: object\n      required: [data]\n      properties:\n        data: {{type: array, items: {{type: string}}}}\n        next: {{type: integer}}\n");
    let e = generate("t.yaml", &text, "t").expect_err("refused");
    let msg = e.to_string();
    assert!(msg.contains("`next: next` is not a string"), "{msg}");
    assert!(msg.contains("x-pagination"), "{msg}");
}

#[test]
fn a_binary_body_can_be_one_outcome_beside_a_job() {
    let spec = "paths:\n  /export.csv:\n    get:\n      operationId: exportCsv\n      responses:\n        '200':\n          description: the file\n          x-stream: false\n          content: {application/octet-stream: {schema: {type: string, format: binary}}}\n        '202':\n          description: a job\n          x-outcome: BackgroundJob\n          content: {application/json: {schema: {$ref: '#/components/schemas/Job'}}}\ncomponents:\n  schemas:\n    Job: {type: object, properties: {id: {type: string}}}\n";
    let a = api(spec);
    match &a.operations[0].output {
        Output::Enum { name, variants } => {
            assert_eq!(name, "ExportCsvResponse");
            assert_eq!(
                variants,
                &vec![
                    ("Ok".to_string(), Some(Ty::Bytes), vec![200]),
                    (
                        "BackgroundJob".to_string(),
                        Some(Ty::Named("Job".into())),
                        vec![202]
                    ),
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    let c = code(spec);
    assert!(c.contains("Ok(::vendor_clients::bytes::Bytes)"), "{c}");
    assert!(
        c.contains("ok(200 => bytes as ExportCsvResponse::Ok, 202 => json(Job) as ExportCsvResponse::BackgroundJob),"),
        "{c}"
    );
}

#[test]
fn epoch_seconds_and_lenient_strings() {
    let spec = format!("{PING}components:\n  schemas:\n    Feed:\n      type: object\n      properties:\n        updated: {{type: integer, format: epoch-seconds}}\n        processed: {{x-lenient: true, anyOf: [{{type: integer, format: epoch-seconds}}, {INTEGER_TEXT}]}}\n        id: {{x-lenient: true, anyOf: [{{type: string}}, {{type: number}}]}}\n");
    let a = api(&spec);
    let tys: Vec<(&str, &Ty)> = fields(ty(&a, "Feed"))
        .iter()
        .map(|f| (f.wire.as_str(), &f.ty))
        .collect();
    assert_eq!(
        tys,
        vec![
            ("updated", &Ty::EpochSeconds),
            ("processed", &Ty::Lenient(Box::new(Ty::EpochSeconds))),
            ("id", &Ty::Lenient(Box::new(Ty::String))),
        ]
    );
    let c = code(&spec);
    assert!(
        c.contains("pub updated: Option<::vendor_clients::EpochSeconds>,"),
        "{c}"
    );
    assert!(
        c.contains("pub id: Option<::vendor_clients::Lenient<String>>,"),
        "{c}"
    );
}

/// A lenient map and a lenient struct (each `[]` when empty), nullable beside the `anyOf`, and
/// the branches in another order: the same `Lenient<T>` as the plain type, never a union.
#[test]
fn lenient_any_of_objects_maps_and_nullable() {
    let spec = format!("{PING}components:\n  schemas:\n    Amounts:\n      x-lenient: true\n      anyOf:\n        - type: object\n          additionalProperties: {{x-lenient: true, anyOf: [{{type: number, format: double}}, {NUMBER_TEXT}]}}\n        - {{type: array, maxItems: 0}}\n    Meta:\n      x-lenient: true\n      anyOf:\n        - {{type: array, maxItems: 0}}\n        - type: object\n          properties:\n            a: {{type: string}}\n    Row:\n      type: object\n      properties:\n        amounts: {{$ref: '#/components/schemas/Amounts'}}\n        flag: {{x-lenient: true, anyOf: [{{type: boolean, nullable: true}}, {{type: integer, enum: [0, 1]}}, {FLAG_TEXT}]}}\n        meta: {{$ref: '#/components/schemas/Meta'}}\n");
    let err = vendor_clients_codegen::generate("t.yaml", &format!("{HEAD}{spec}"), "t")
        .expect_err("the struct branch must come first");
    assert!(
        err.to_string()
            .contains("#/components/schemas/Meta/anyOf/0"),
        "{err}"
    );
    let spec = spec.replace(
        "        - {type: array, maxItems: 0}\n        - type: object\n          properties:\n            a: {type: string}\n",
        "        - type: object\n          properties:\n            a: {type: string}\n        - {type: array, maxItems: 0}\n",
    );
    let a = api(&spec);
    assert_eq!(
        ty(&a, "Amounts").kind,
        TypeKind::Alias(Ty::Lenient(Box::new(Ty::Map(Box::new(Ty::Lenient(
            Box::new(Ty::F64)
        ))))))
    );
    assert_eq!(fields(ty(&a, "Meta"))[0].ty, Ty::String);
    let f = fields(ty(&a, "Row"));
    assert_eq!(f[0].ty, Ty::Lenient(Box::new(Ty::Named("Amounts".into()))));
    assert_eq!(f[1].ty, Ty::Lenient(Box::new(Ty::Bool)));
    assert!(f[1].nullable);
    assert_eq!(f[2].ty, Ty::Lenient(Box::new(Ty::Named("Meta".into()))));
    // `nullable` beside the `anyOf` has no effect in OpenAPI 3.0.3: refused in our specs.
    let outside = spec.replace(
        "flag: {x-lenient: true, anyOf: [{type: boolean, nullable: true}",
        "flag: {x-lenient: true, nullable: true, anyOf: [{type: boolean}",
    );
    assert_ne!(outside, spec);
    let err = vendor_clients_codegen::generate("t.yaml", &format!("{HEAD}{outside}"), "t")
        .expect_err("nullable beside the anyOf");
    assert!(
        err.to_string()
            .contains("`nullable` beside a lenient `anyOf` allows no `null`"),
        "{err}"
    );
    let c = code(&spec);
    assert!(
        c.contains("impl ::vendor_clients::lenient::LenientForm for Meta"),
        "{c}"
    );
}

/// An inline lenient struct is read leniently where it is (`[]` decodes as the empty struct),
/// as a lenient component is, and its `anyOf` is checked once.
#[test]
fn an_inline_lenient_struct_is_lenient_where_it_is() {
    let spec = format!("{PING}components:\n  schemas:\n    Row:\n      type: object\n      properties:\n        inner:\n          x-lenient: true\n          anyOf:\n            - type: object\n              properties:\n                a: {{type: string}}\n            - {{type: array, maxItems: 0}}\n");
    let a = api(&spec);
    assert_eq!(
        fields(ty(&a, "Row"))[0].ty,
        Ty::Lenient(Box::new(Ty::Named("RowInner".into())))
    );
    assert_eq!(fields(ty(&a, "RowInner"))[0].wire, "a");
    let c = code(&spec);
    assert!(
        c.contains("impl ::vendor_clients::lenient::LenientForm for RowInner"),
        "{c}"
    );
    let wrong = spec.replace("- {type: array, maxItems: 0}", "- {type: array}");
    let err = vendor_clients_codegen::generate("t.yaml", &format!("{HEAD}{wrong}"), "t")
        .expect_err("not the empty-array form");
    assert_eq!(err.0.len(), 1, "reported once: {err}");
}

/// `x-lenient` on a plain `type` says nothing a validator reads: refused in our own specs,
/// read as before (with a located warning) in a published one.
#[test]
fn lenient_on_a_plain_type_is_refused_in_own_specs_and_a_warning_in_published_ones() {
    let text = format!("{HEAD}{PING}components:\n  schemas:\n    Row:\n      type: object\n      properties:\n        n: {{type: integer, x-lenient: true}}\n");
    let own = vendor_clients_codegen::generate_as(
        "t.yaml",
        &text,
        "t",
        vendor_clients_codegen::SpecOrigin::Own,
    )
    .expect_err("own specs write the wire forms out");
    assert_eq!(own.0.len(), 1, "{own}");
    assert!(
        own.0[0]
            .message
            .starts_with("`x-lenient` on a plain `type`"),
        "{own}"
    );
    let published = vendor_clients_codegen::generate_as(
        "t.yaml",
        &text,
        "t",
        vendor_clients_codegen::SpecOrigin::Published,
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(published.warnings.len(), 1, "{:?}", published.warnings);
    assert!(
        published
            .code
            .contains("pub n: Option<::vendor_clients::Lenient<i64>>,"),
        "{}",
        published.code
    );
}

#[test]
fn output_does_not_depend_on_the_number_of_emit_threads() {
    // More schemas than one emit piece holds, so several threads each format some of them.
    let mut spec = format!("{PING}components:\n  schemas:\n");
    for i in 0..100 {
        spec.push_str(&format!(
            "    S{i}: {{type: object, description: 'Schema {i}.', properties: {{n: {{type: integer}}, next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
            (i + 1) % 100
        ));
    }
    let api = api(&spec);
    let one = vendor_clients_codegen::emit::emit_with_threads(&api, 1).expect("emits");
    for threads in [2, 3, 4, 16] {
        assert_eq!(
            one,
            vendor_clients_codegen::emit::emit_with_threads(&api, threads).expect("emits"),
            "{threads} threads"
        );
    }
    // Every type, once, in the spec's order.
    let mut at = 0;
    for i in 0..100 {
        let decl = format!("pub struct S{i} {{");
        assert_eq!(one.matches(&decl).count(), 1, "{decl}");
        let found = one[at..]
            .find(&decl)
            .unwrap_or_else(|| panic!("{decl} out of order"));
        at += found;
    }
    // The vendor spec with the most types, likewise.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/partnerize.yaml");
    let text = std::fs::read_to_string(path).expect("specs/partnerize.yaml");
    let src = SourceFile::new("specs/partnerize.yaml", text);
    let doc = load::load(&src).unwrap_or_else(|d| panic!("{d}"));
    let api = lower::lower(&src, &doc, "partnerize").unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        vendor_clients_codegen::emit::emit_with_threads(&api, 1).expect("emits"),
        vendor_clients_codegen::emit::emit_with_threads(&api, 3).expect("emits")
    );
}

#[test]
fn union_alternatives_that_keep_unknown_values_refuse_them_when_a_later_one_may_know() {
    let c = code(&format!(
        "{PING}components:\n  schemas:\n    U:\n      oneOf:\n        - $ref: '#/components/schemas/Color'\n        - $ref: '#/components/schemas/Size'\n        - type: integer\n    V:\n      oneOf:\n        - $ref: '#/components/schemas/Size'\n        - {{type: object, properties: {{a: {{type: string}}}}}}\n    Color: {{type: string, enum: [red, green]}}\n    Size: {{type: string, enum: [small, large]}}\n"
    ));
    // `Color` comes before `Size`, which could know a value `Color` does not: strict.
    assert!(
        c.contains(
            "    #[serde(deserialize_with = \"::vendor_clients::known_only\")]\n    Color(Color),"
        ),
        "{c}"
    );
    // `Size` is the last alternative that takes strings, in `U` and in `V` (an object cannot
    // be a string): it keeps unknown values.
    assert_eq!(c.matches("known_only").count(), 1, "{c}");
    assert!(
        c.contains("impl ::vendor_clients::KnownValues for Color {"),
        "{c}"
    );
    assert!(!c.contains("KnownValues for Size"), "{c}");
}

const REPORT: &str = "paths:\n  /report:\n    post:\n      operationId: report\n      requestBody:\n        required: true\n        content: {application/json: {schema: {type: object, properties: {metrics: {type: array, items: {$ref: '#/components/schemas/Metric'}}}}}}\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Report'}}}\ncomponents:\n  schemas:\n    Metric: {type: string, enum: [total_clicks]}\n    Dimension: {type: string, enum: [device]}\n    Report:\n      type: object\n      properties:\n        rows: {type: array, items: {$ref: '#/components/schemas/Row'}}\n        totals: {$ref: '#/components/schemas/Totals'}\n        buckets: {type: array, items: {$ref: '#/components/schemas/Bucket'}}\n    Row:\n      type: object\n      additionalProperties: true\n      x-row: {metrics: {$ref: '#/components/schemas/Metric'}, dimensions: {$ref: '#/components/schemas/Dimension'}}\n    Totals:\n      type: object\n      additionalProperties: true\n      x-row: {metrics: {$ref: '#/components/schemas/Metric'}}\n    Bucket:\n      type: object\n      required: [start]\n      properties:\n        start: {type: string}\n      additionalProperties: true\n      x-row: {metrics: {$ref: '#/components/schemas/Metric'}}\n";

#[test]
fn x_row_reads_keys_by_metric_and_dimension_name() {
    let a = api(REPORT);
    let kind = |n: &str| {
        a.types
            .iter()
            .find(|t| t.name == n)
            .map(|t| t.kind.clone())
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(
        kind("Row"),
        TypeKind::Alias(Ty::Row("Metric".into(), Some("Dimension".into())))
    );
    assert_eq!(
        kind("Totals"),
        TypeKind::Alias(Ty::Row("Metric".into(), None))
    );
    match kind("Bucket") {
        TypeKind::Struct { additional, .. } => {
            assert_eq!(additional, Some(Ty::Row("Metric".into(), None)))
        }
        other => panic!("{other:?}"),
    }
    let c = code(REPORT);
    assert!(
        c.contains("pub type Row = ::vendor_clients::Row<Metric, Dimension>;"),
        "{c}"
    );
    assert!(
        c.contains("pub type Totals = ::vendor_clients::Row<Metric>;"),
        "{c}"
    );
    assert!(
        c.contains("    #[serde(flatten)]\n    pub values: ::vendor_clients::Row<Metric>,"),
        "{c}"
    );
}

#[test]
fn x_row_is_refused_unless_it_names_string_enums() {
    let cases = [
        (
            REPORT.replace(
                "x-row: {metrics: {$ref: '#/components/schemas/Metric'}}\n    Bucket",
                "x-row: {metrics: {$ref: '#/components/schemas/Report'}}\n    Bucket",
            ),
            "`x-row.metrics` must name a string enum",
        ),
        (
            REPORT.replace(
                "x-row: {metrics: {$ref: '#/components/schemas/Metric'}}\n    Bucket",
                "x-row: {dimensions: {$ref: '#/components/schemas/Dimension'}}\n    Bucket",
            ),
            "`x-row` needs `metrics`",
        ),
        (
            REPORT.replace(
                "x-row: {metrics: {$ref: '#/components/schemas/Metric'}}\n    Bucket",
                "x-row: {metrics: Metric}\n    Bucket",
            ),
            "`x-row.metrics` must be a `$ref`",
        ),
        (
            REPORT.replace(
                "x-row: {metrics: {$ref: '#/components/schemas/Metric'}}\n    Bucket",
                "x-row: {metrics: {$ref: '#/components/schemas/Metric'}, keys: 1}\n    Bucket",
            ),
            "`x-row` has no `keys`",
        ),
    ];
    for (spec, message) in cases {
        let text = format!("{HEAD}{spec}");
        let d = generate("t.yaml", &text, "t").expect_err(&spec).to_string();
        assert!(d.contains(message), "{d}");
    }
}

#[test]
fn binary_downloads_stream_by_default_and_x_stream_false_reads_them_whole() {
    let spec = |ext: &str| {
        format!("paths:\n  /file:\n    get:\n      operationId: getFile\n      responses:\n        '200':\n          description: the file\n{ext}          content: {{application/octet-stream: {{schema: {{type: string, format: binary}}}}}}\n        '4XX':\n          description: refused\n          content: {{application/octet-stream: {{schema: {{type: string, format: binary}}}}}}\n")
    };
    let c = code(&spec(""));
    assert!(
        c.contains("ok(200 => stream),") && c.contains("-> Result<ByteStream, Error>"),
        "{c}"
    );
    // The error body is still read whole: it becomes part of the error.
    assert!(c.contains("err(4XX => bytes)"), "{c}");
    let c = code(&spec("          x-stream: false\n"));
    assert!(
        c.contains("ok(200 => bytes),")
            && c.contains("-> Result<::vendor_clients::bytes::Bytes, Error>"),
        "{c}"
    );
    // A text body is not binary: still read whole unless the spec says `x-stream: true`.
    let c = code(&spec("").replace("application/octet-stream", "text/plain"));
    assert!(!c.contains("ByteStream"), "{c}");
}

#[test]
fn a_union_parameter_is_written_by_the_same_rule_lowering_accepted_it_by() {
    // Lowering accepts an epoch-seconds alternative in a parameter union; the emitter must then
    // give the union `ToParam`, or the generated call would not compile.
    let c = code("paths:\n  /t:\n    get:\n      operationId: t\n      parameters:\n        - name: since\n          in: query\n          schema:\n            oneOf:\n              - {type: string}\n              - {type: integer, format: epoch-seconds}\n      responses: {'204': {description: ok}}\n");
    assert!(
        c.contains("impl ::vendor_clients::ToParam for TSince {"),
        "{c}"
    );
}

#[test]
fn a_struct_of_more_fields_than_object_takes_derives_serdes_traits() {
    let spec = |n: usize| {
        let props: String = (0..n)
            .map(|i| format!("        p{i}: {{type: string}}\n"))
            .collect();
        format!("{PING}components:\n  schemas:\n    Wide:\n      type: object\n      properties:\n{props}")
    };
    let derives = |code: &str| {
        let at = code.find("pub struct Wide").expect("no struct Wide");
        let start = code[..at].rfind("#[derive(").expect("no derive");
        code[start..at].to_string()
    };
    let most = derives(&code(&spec(256)));
    assert!(most.contains("::vendor_clients::Object"), "{most}");
    assert!(most.contains("#[object(partial_eq)]"), "{most}");
    let more = derives(&code(&spec(257)));
    assert!(
        more.contains("PartialEq") && more.contains("__serde::Serialize, __serde::Deserialize"),
        "{more}"
    );
    assert!(more.contains("#[serde(crate = \"__serde\")]"), "{more}");
    assert!(!more.contains("Object"), "{more}");
}
