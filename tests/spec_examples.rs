//! Every example in `specs/` (request bodies, responses, parameters, named or single) validated
//! against its schema by an independent JSON Schema validator (the `jsonschema` crate, draft
//! 2020-12), so that the examples the integration tests serve, and the ones a mock server or a
//! validator would read, say what the schema says.
//!
//! OpenAPI 3.0 schemas are turned into JSON Schema the standard way: `#/components/schemas/X`
//! becomes `#/$defs/X`, `nullable: true` adds `null` to the allowed types, and the OpenAPI-only
//! keywords (`example`, `discriminator`, `x-...`) are dropped. One extension changes what the
//! wire may carry, `x-lenient: true`: it declares the other forms the vendor sends (numbers as
//! numeric strings, ids as numbers, booleans as `y`/`n`/`yes`/`no`/`0`/`1`, an empty object as
//! `[]`), and the schema gets them as alternatives, exactly as `vendor_clients::Lenient` decodes
//! them.

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

/// The wire forms `x-lenient` adds to a schema of this `type`.
fn lenient_forms(ty: &str) -> Vec<Value> {
    match ty {
        "boolean" => vec![
            json!({"type": "string", "pattern": "^\\s*(?i:y|yes|n|no|0|1|true|false)\\s*$"}),
            json!({"type": "integer", "enum": [0, 1]}),
        ],
        "integer" | "number" => {
            vec![
                json!({"type": "string", "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*$"}),
            ]
        }
        "string" => vec![json!({"type": "number"})],
        "object" => vec![json!({"type": "array", "maxItems": 0})],
        _ => Vec::new(),
    }
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
    if obj.get("x-lenient") == Some(&Value::Bool(true)) {
        let ty = obj.get("type").and_then(Value::as_str).unwrap_or_default();
        let mut alternatives = vec![converted];
        alternatives.extend(lenient_forms(ty));
        converted = json!({ "anyOf": alternatives });
    }
    if obj.get("nullable") == Some(&Value::Bool(true)) {
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
            "Flag": {"type": "boolean", "x-lenient": true},
            "Kind": {"type": "string", "enum": ["A", "B"]},
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "when": {"type": "string", "nullable": true},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "flag": {"$ref": "#/components/schemas/Flag"}
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
}
