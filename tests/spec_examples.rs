//! Every example in `specs/` (request bodies, responses, parameters, named or single) validated
//! against its schema by an independent JSON Schema validator (the `jsonschema` crate, draft
//! 2020-12), so that the examples the integration tests serve, and the ones a mock server or a
//! validator would read, say what the schema says.
//!
//! OpenAPI 3.0 schemas are turned into JSON Schema the standard way and no other:
//! `#/components/schemas/X` becomes `#/$defs/X`, `nullable: true` adds `null` to the allowed
//! values where it has a `type` (or an `allOf`) beside it, and the OpenAPI-only keywords (`example`, `discriminator`, every `x-...`) are dropped.
//! No extension changes what the wire may carry: a value the vendor sends in several forms
//! (Partnerize's `x-lenient` flags and numbers) lists them itself, in an `anyOf`, so any
//! validator reads the same thing as this test.

use serde_json::{json, Map, Value};

fn specs_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")
}

fn load(file: &str) -> Value {
    let path = specs_dir().join(file);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    vendor_clients_codegen::load::to_json(&text)
        .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// An OpenAPI 3.0 schema as JSON Schema 2020-12.
fn convert(schema: &Value) -> Value {
    let Some(obj) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "$ref" => {
                let r = v.as_str().unwrap_or_default();
                let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
                out.insert("$ref".into(), json!(format!("#/$defs/{name}")));
            }
            "properties" => {
                let props = v
                    .as_object()
                    .map(|m| m.iter().map(|(p, s)| (p.clone(), convert(s))).collect())
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(k.clone(), convert(v));
            }
            "allOf" | "oneOf" | "anyOf" => {
                let parts = v
                    .as_array()
                    .map(|a| a.iter().map(convert).collect())
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Array(parts));
            }
            "nullable" | "example" | "examples" | "discriminator" | "xml" | "externalDocs" => {}
            _ if k.starts_with("x-") => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    let mut converted = Value::Object(out);
    // OpenAPI 3.0.3 applies `nullable` only beside `type`, so `nullable` beside an `anyOf` or
    // `oneOf` allows no `null` (the spec says it in a branch). Beside `allOf` (a `$ref` with a
    // description, `allOf: [$ref]`) it is read the way most 3.0 tools read it, as allowing
    // `null`: SaaSquatch's nullable references rely on that.
    if obj.get("nullable") == Some(&Value::Bool(true))
        && (obj.contains_key("type") || obj.contains_key("allOf"))
    {
        converted = json!({"anyOf": [converted, {"type": "null"}]});
    }
    converted
}

/// Every named schema of the spec, as `$defs`.
fn defs(doc: &Value) -> Value {
    let schemas = doc["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    Value::Object(
        schemas
            .iter()
            .map(|(n, s)| (n.clone(), convert(s)))
            .collect(),
    )
}

fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {r}")),
        None => v,
    }
}

/// One example and the schema it must fit, with where it is.
struct Case {
    at: String,
    schema: Value,
    example: Value,
}

/// The examples of a media type object (`example`, or each of `examples`).
fn media_cases(doc: &Value, at: &str, media: &Value, out: &mut Vec<Case>) {
    let Some(schema) = media.get("schema") else {
        return;
    };
    if let Some(e) = media.get("example") {
        out.push(Case {
            at: format!("{at}/example"),
            schema: schema.clone(),
            example: e.clone(),
        });
    }
    for (name, e) in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let e = deref(doc, e);
        if let Some(v) = e.get("value") {
            out.push(Case {
                at: format!("{at}/examples/{name}"),
                schema: schema.clone(),
                example: v.clone(),
            });
        }
    }
}

/// The JSON media types of a request body or response (`application/json`, `+json`).
fn json_content_cases(doc: &Value, at: &str, holder: &Value, out: &mut Vec<Case>) {
    for (media_type, media) in holder
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        if essence == "application/json" || essence.ends_with("+json") {
            media_cases(doc, &format!("{at}/content/{media_type}"), media, out);
        }
    }
}

/// Every example of a spec.
fn cases(doc: &Value) -> Vec<Case> {
    let mut out = Vec::new();
    let methods = ["get", "put", "post", "delete", "patch", "head", "options"];
    for (p, item) in doc["paths"].as_object().into_iter().flatten() {
        let mut params: Vec<(String, &Value)> = item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| (format!("paths/{p}/parameters/{i}"), v))
            .collect();
        for m in methods {
            let Some(op) = item.get(m) else { continue };
            let at = format!("paths/{p}/{m}");
            for (i, param) in op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                params.push((format!("{at}/parameters/{i}"), param));
            }
            if let Some(body) = op.get("requestBody") {
                json_content_cases(
                    doc,
                    &format!("{at}/requestBody"),
                    deref(doc, body),
                    &mut out,
                );
            }
            for (status, resp) in op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                json_content_cases(
                    doc,
                    &format!("{at}/responses/{status}"),
                    deref(doc, resp),
                    &mut out,
                );
            }
        }
        for (at, param) in params {
            let param = deref(doc, param);
            let Some(schema) = param.get("schema") else {
                continue;
            };
            if let Some(e) = param.get("example") {
                out.push(Case {
                    at: format!("{at}/example"),
                    schema: schema.clone(),
                    example: e.clone(),
                });
            }
        }
    }
    for (name, s) in doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if let Some(e) = s.get("example") {
            out.push(Case {
                at: format!("components/schemas/{name}/example"),
                schema: json!({"$ref": format!("#/components/schemas/{name}")}),
                example: e.clone(),
            });
        }
    }
    out
}

/// The problems of every example of `file` (empty when all fit), and how many were checked.
fn check(file: &str) -> (usize, Vec<String>) {
    let doc = load(file);
    let defs = defs(&doc);
    let cases = cases(&doc);
    let mut problems = Vec::new();
    // Many examples share a schema (a `$ref`); each is compiled once.
    let mut validators: std::collections::HashMap<String, jsonschema::Validator> =
        std::collections::HashMap::new();
    for case in &cases {
        let key = case.schema.to_string();
        if !validators.contains_key(&key) {
            let mut root = convert(&case.schema);
            if let Value::Object(m) = &mut root {
                m.insert("$defs".into(), defs.clone());
            }
            match jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&root)
            {
                Ok(v) => {
                    validators.insert(key.clone(), v);
                }
                Err(e) => {
                    problems.push(format!("{file}: {}: the schema is not valid: {e}", case.at));
                    continue;
                }
            }
        }
        let Some(validator) = validators.get(&key) else {
            continue;
        };
        for e in validator.iter_errors(&case.example) {
            problems.push(format!(
                "{file}: #/{}: at `{}`: {e}",
                case.at,
                e.instance_path()
            ));
        }
    }
    (cases.len(), problems)
}

#[test]
fn every_example_in_specs_fits_its_schema() {
    let mut files: Vec<String> = std::fs::read_dir(specs_dir())
        .expect("specs/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "{files:?}");
    let mut all = Vec::new();
    for f in &files {
        let (n, problems) = check(f);
        assert!(n > 0, "{f}: no example found");
        all.extend(problems);
    }
    assert!(
        all.is_empty(),
        "{} example(s) do not fit their schema:\n{}",
        all.len(),
        all.join("\n")
    );
}

/// The check can fail: a wrong type, a missing required field, a value outside an enum and a
/// lenient form the runtime refuses are each reported.
#[test]
fn the_check_reports_examples_that_do_not_fit() {
    let doc = json!({
        "components": {"schemas": {
            "Flag": {"x-lenient": true, "anyOf": [
                {"type": "boolean"},
                {"type": "string", "enum": ["y", "n", "yes", "no", "1", "0", "true", "false"]},
                {"type": "integer", "enum": [0, 1]}
            ]},
            "OldFlag": {"type": "boolean", "x-lenient": true},
            "Kind": {"type": "string", "enum": ["A", "B"]},
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "when": {"type": "string", "nullable": true},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "flag": {"$ref": "#/components/schemas/Flag"},
                    "old": {"$ref": "#/components/schemas/OldFlag"}
                }
            }
        }}
    });
    let mut root = convert(&json!({"$ref": "#/components/schemas/Thing"}));
    root["$defs"] = defs(&doc);
    let v = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&root)
        .expect("schema");
    assert!(v.is_valid(&json!({"id": "1", "when": null, "kind": "A", "flag": "y"})));
    assert!(v.is_valid(&json!({"id": "1", "flag": 0})));
    assert!(!v.is_valid(&json!({"id": 1})), "wrong type");
    assert!(!v.is_valid(&json!({"when": "x"})), "missing required");
    assert!(
        !v.is_valid(&json!({"id": "1", "kind": "C"})),
        "outside the enum"
    );
    assert!(
        !v.is_valid(&json!({"id": "1", "flag": "maybe"})),
        "not a lenient boolean"
    );
    assert!(
        !v.is_valid(&json!({"id": "1", "old": "y"})),
        "`x-lenient` alone declares no wire form: only the `anyOf` does"
    );
}

/// Every wire form a lenient value of specs/partnerize.yaml declares (its `x-lenient-forms`,
/// used through YAML aliases) decodes with `vendor_clients::Lenient`: a value that fits the
/// schema never fails to decode. Each sample is checked against the schema first, and the ones
/// outside it must fail there (the schema is no wider than it says).
#[test]
fn partnerize_lenient_wire_forms_decode_with_the_runtime() {
    use vendor_clients::Lenient;
    fn decodes<T: vendor_clients::lenient::LenientForm>(v: &Value) -> bool {
        serde_json::from_value::<Lenient<T>>(v.clone()).is_ok()
    }
    let doc = load("partnerize.yaml");
    let forms = &doc["x-lenient-forms"];
    type Decoder = fn(&Value) -> bool;
    let cases: [(&str, Decoder, Vec<Value>, Vec<Value>); 6] = [
        (
            "boolean",
            decodes::<bool>,
            vec![
                json!(true),
                json!("y"),
                json!("n"),
                json!("yes"),
                json!("no"),
                json!("1"),
                json!("0"),
                json!("true"),
                json!("false"),
                json!(0),
                json!(1),
            ],
            vec![
                json!("Y "),
                json!("maybe"),
                json!(2),
                json!(null),
                json!([]),
            ],
        ),
        (
            "int32",
            decodes::<i32>,
            vec![
                json!(7),
                json!(-3),
                json!("12"),
                json!("-4"),
                json!("+5"),
                json!(2.0),
            ],
            vec![json!("1.5"), json!("x"), json!(""), json!(true)],
        ),
        (
            "int64",
            decodes::<i64>,
            vec![json!(7), json!("9007199254740993"), json!("-4")],
            vec![json!("1e3"), json!("12.0"), json!(null)],
        ),
        (
            "epoch-seconds",
            decodes::<vendor_clients::EpochSeconds>,
            vec![json!(1_700_000_000), json!("1700000000")],
            vec![json!("2023-11-14"), json!(false)],
        ),
        (
            "double",
            decodes::<f64>,
            vec![
                json!(12.5),
                json!(3),
                json!("12.50"),
                json!("-0.5"),
                json!(".5"),
                json!("1e3"),
                json!("7."),
            ],
            vec![
                json!("1,5"),
                json!("NaN"),
                json!("."),
                json!("abc"),
                json!(true),
            ],
        ),
        (
            "string",
            decodes::<String>,
            vec![json!("111111l1"), json!(1), json!(2.5)],
            vec![json!(true), json!(null), json!({})],
        ),
    ];
    for (name, decode, fit, outside) in cases {
        let schema = json!({"anyOf": convert(&forms[name])});
        let v = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&schema)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        for x in &fit {
            assert!(v.is_valid(x), "{name}: {x} should fit the schema");
            assert!(decode(x), "{name}: {x} fits the schema but does not decode");
        }
        for x in &outside {
            assert!(!v.is_valid(x), "{name}: {x} should not fit the schema");
        }
    }
    let empty = json!({"anyOf": [{"type": "object"}, convert(&forms["empty-object"])]});
    let v = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&empty)
        .expect("schema");
    for x in [json!([]), json!({}), json!({"GBP": 1})] {
        assert!(v.is_valid(&x), "{x}");
        assert!(
            serde_json::from_value::<Lenient<std::collections::BTreeMap<String, Value>>>(x.clone())
                .is_ok(),
            "{x}"
        );
    }
    assert!(
        !v.is_valid(&json!([1])),
        "a non-empty array is no empty object"
    );
}

/// Partnerize's sort fields and directions (`order_by` of the analytics queries, `/tq` and
/// `/selfbill`) are open enums in the schema, as the vendor leaves them: a name the spec does
/// not list validates, a non-string does not.
#[test]
fn partnerize_sort_fields_and_directions_are_open() {
    let doc = load("partnerize.yaml");
    let defs = defs(&doc);
    let validator = |name: &str| {
        let root = json!({"$ref": format!("#/$defs/{name}"), "$defs": defs.clone()});
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&root)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    for (name, known, new) in [
        ("SortDirection", json!("ASC"), json!("RANDOM")),
        (
            "AnalyticsSortDirection",
            json!("DESCENDING"),
            json!("RANDOM"),
        ),
        (
            "ClickAnalyticsOrderBy",
            json!({"field": "total_clicks", "direction": "ASCENDING"}),
            json!({"field": "a_metric_added_later", "direction": "RANDOM"}),
        ),
        (
            "ConversionAnalyticsOrderBy",
            json!({"field": "total_commission"}),
            json!({"field": "a_metric_added_later"}),
        ),
        (
            "ImpressionAnalyticsOrderBy",
            json!({"field": "device"}),
            json!({"field": "a_dimension_added_later"}),
        ),
    ] {
        let v = validator(name);
        assert!(v.is_valid(&known), "{name}: {known}");
        assert!(v.is_valid(&new), "{name}: {new} is open");
        let wrong = match &known {
            Value::Object(_) => json!({"field": 42}),
            _ => json!(42),
        };
        assert!(!v.is_valid(&wrong), "{name}: {wrong} is no name");
    }
}
