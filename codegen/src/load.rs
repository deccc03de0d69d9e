//! Stage 1: YAML text to `openapiv3::OpenAPI`, with located errors.
//!
//! The text is parsed once, by saphyr-parser, into a tree of values that carry their positions
//! (`load/yaml.rs`); the document model is deserialized from that tree (`load/de.rs`), and the tree is kept
//! by the [`SourceFile`] to locate later diagnostics.

use std::borrow::Cow;

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_path_to_error::Segment;

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{child, SourceFile, SpecOrigin};

mod de;
pub(crate) mod lenient;
mod oas31;
mod refs;
mod swagger2;
pub(crate) mod yaml;

use yaml::{Key, Value};

/// Parses the spec's YAML and deserializes it into the OpenAPI 3.0 document model.
pub fn load(src: &SourceFile) -> Result<OpenAPI, Diagnostics> {
    load_with_threads(src, crate::emit::default_threads())
}

/// [`load`]; kept for callers that name a number of threads. Loading is one pass over the text
/// on the caller's thread (a spec parses in a few milliseconds), so the result, document or
/// diagnostics, does not depend on `_threads`.
pub fn load_with_threads(src: &SourceFile, _threads: usize) -> Result<OpenAPI, Diagnostics> {
    load_one(src).map_err(Diagnostics::from)
}

// The error path builds one diagnostic and stops; its size does not matter there.
#[allow(clippy::result_large_err)]
fn load_one(src: &SourceFile) -> Result<OpenAPI, Diagnostic> {
    let mut tree = yaml::parse(src.text()).map_err(|e| syntax_error(src, e))?;
    let version = check_version(src, &tree.value)?;
    // 3.1 (and the 3.1 `type` lists of published 3.0 specs) rewritten into 3.0 in the tree; the
    // rewritten nodes keep the positions they were written at, so the source locates them.
    let mut notes = oas31::Notes::default();
    let lenient = src.origin() == SpecOrigin::Published;
    if lenient && version != Version::Swagger2 {
        lenient::inline_refs(&mut tree, &mut notes);
    }
    match version {
        Version::V30 => oas31::type_lists_in_30(&mut tree, &mut notes, lenient),
        Version::V31 => oas31::normalise(&mut tree, &mut notes, lenient),
        Version::Swagger2 => {
            swagger2::convert(&mut tree, &mut notes);
            oas31::type_lists_in_30(&mut tree, &mut notes, lenient);
        }
    }
    if lenient {
        oas31::lenient_fixups(&mut tree, &mut notes);
        lenient::fix_paths(&mut tree, &mut notes);
    }
    if let Some(e) = notes.1.into_iter().next() {
        return Err(src
            .error_at(&e.pointer, e.pos.0, e.pos.1, e.message)
            .with_help(
                "write a bound within -9223372036854775808..=9223372036854775807, or remove it",
            ));
    }
    for n in notes.0 {
        src.warn(src.error_at(&n.pointer, n.pos.0, n.pos.1, n.message));
    }
    let value = &src.keep(tree).value;
    // The tree the source keeps is the text as written; the one the document is read from has
    // tuple `items` dropped and `$ref` pointers percent-decoded, which only a few specs need
    // (so only they pay for a copy).
    let value = if has_tuple_items(value, false) || refs::has_encoded_refs(value) {
        let mut copy = value.clone();
        tuple_items_as_any(&mut copy, false);
        refs::decode_refs(&mut copy);
        Cow::Owned(copy)
    } else {
        Cow::Borrowed(value)
    };
    let value = value.as_ref();
    if let Some(path) = bad_path_key(get(value, "paths")) {
        return Err(src
            .error(
                &child("#/paths", path),
                format!("path `{path}` does not start with `/`"),
            )
            .with_help(format!("write `/{path}`")));
    }
    // The common case first: a valid document, deserialized in place (no copy of the tree, no
    // path tracking). Only a failure pays for locating the bad node. (Duplicate keys were refused
    // while the tree was built: typed maps would keep the last one silently.)
    if let Ok(doc) = OpenAPI::deserialize(value) {
        return Ok(doc);
    }
    match probe::<OpenAPI>(value, "#") {
        Ok(doc) => Ok(doc),
        Err((pointer, message)) => {
            // openapiv3 flattens and buffers many of its types, which hides where inside them a
            // value was wrong; probing the parts one by one finds the innermost bad node.
            let (pointer, message) = narrow(value).unwrap_or((pointer, message));
            Err(src.error(&pointer, format!("invalid OpenAPI document: {message}")))
        }
    }
}

/// The text is not YAML: where and why, with help for a tab in the indentation.
fn syntax_error(src: &SourceFile, e: yaml::Error) -> Diagnostic {
    // saphyr-parser reports a tab in the indentation just after it: point at the tab.
    let tab = tab_before(src.text(), e.line, e.column);
    let column = tab.unwrap_or(e.column);
    let d = src.error_at("#", e.line, column, format!("invalid YAML: {}", e.message));
    if tab.is_some() {
        d.with_help("YAML indents with spaces only; replace the tab with spaces")
    } else {
        d
    }
}

/// The document versions the loader reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    /// OpenAPI 3.0.x, read as it is.
    V30,
    /// OpenAPI 3.1.x, rewritten into 3.0 (`load/oas31.rs`).
    V31,
    /// Swagger 2.0, converted into OpenAPI 3.0 (`load/swagger2.rs`).
    Swagger2,
}

/// The document is a mapping whose `openapi` is a 3.0 or 3.1 version.
#[allow(clippy::result_large_err)]
fn check_version(src: &SourceFile, value: &Value) -> Result<Version, Diagnostic> {
    let version = match value {
        Value::Mapping(m) => m.get(&Key("openapi")).map(|n| &n.value),
        Value::Null => return Err(src.error("#", "the spec is empty").with_help(
            "a spec is an OpenAPI 3.0 document: start with `openapi: 3.0.3`, `info` and `paths`",
        )),
        _ => {
            return Err(src
                .error("#", "the spec's top level is not a mapping")
                .with_help("a spec is an OpenAPI 3.0 document: start with `openapi: 3.0.3`"))
        }
    };
    let swagger = match value {
        Value::Mapping(m) => m.get(&Key("swagger")).map(|n| &n.value),
        _ => None,
    };
    match (version, swagger) {
        (None, Some(Value::String(v))) if v == "2.0" => return Ok(Version::Swagger2),
        (None, Some(v)) => {
            return Err(src
                .error("#/swagger", format!("Swagger version `{}` is not supported", v.token().unwrap_or_default()))
                .with_help("this generator reads Swagger 2.0 (`swagger: \"2.0\"`, quoted) and OpenAPI 3.0.x and 3.1.x"))
        }
        _ => {}
    }
    match version {
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(Version::V30),
        Some(Value::String(v)) if v.starts_with("3.1") => Ok(Version::V31),
        Some(Value::String(v)) => Err(src
            .error(
                "#/openapi",
                format!("OpenAPI version `{v}` is not supported"),
            )
            .with_help("this generator reads OpenAPI 3.0.x and 3.1.x documents (and Swagger 2.0, `swagger: \"2.0\"`)")),
        Some(_) => Err(src
            .error("#/openapi", "`openapi` must be a string such as \"3.0.3\"")
            .with_help("quote the version: `openapi: \"3.0.3\"`")),
        None => Err(src
            .error("#", "missing `openapi` version field")
            .with_help("add `openapi: 3.0.3` at the top of the file")),
    }
}

/// The column of the tab at `line`:`column` (1-based), or of the first tab in the indentation
/// before it.
fn tab_before(text: &str, line: usize, column: usize) -> Option<usize> {
    let l = text.lines().nth(line.saturating_sub(1))?;
    if l.chars().nth(column.saturating_sub(1)) == Some('\t') {
        return Some(column);
    }
    l.chars()
        .take(column)
        .take_while(|c| c.is_whitespace())
        .position(|c| c == '\t')
        .map(|i| i + 1)
}

/// The value under string key `key` of a mapping.
fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.get(key).map(|n| &n.value)
}

/// The first key of `paths` that is neither a path (`/...`) nor an extension (`x-...`):
/// openapiv3 would drop it silently, so both loaders look before it does.
fn bad_path_key(paths: Option<&Value>) -> Option<&str> {
    let Some(Value::Mapping(paths)) = paths else {
        return None;
    };
    paths
        .keys()
        .filter_map(Value::as_str)
        .find(|path| !path.starts_with('/') && !path.starts_with("x-"))
}

/// JSON Schema's tuple form of `items` (a list of schemas, one per position) is not OpenAPI 3.0,
/// but published specs use it; such an array is read as an array of any JSON values (its `items`
/// is dropped before the document is typed). Example and default values are left alone.
fn tuple_items_as_any(value: &mut Value, in_example: bool) {
    match value {
        Value::Mapping(m) => {
            if !in_example
                && matches!(m.get(&Key("items")), Some(n) if matches!(n.value, Value::Sequence(_)))
            {
                // As serde_yaml's `Mapping::remove` did: the last entry takes its place.
                m.swap_remove(&Key("items"));
            }
            for (k, v) in m.iter_mut() {
                tuple_items_as_any(&mut v.value, in_example || is_example_key(k));
            }
        }
        Value::Sequence(items) => {
            for v in items {
                tuple_items_as_any(&mut v.value, in_example);
            }
        }
        Value::Tagged(t) => tuple_items_as_any(&mut t.1.value, in_example),
        _ => {}
    }
}

/// Whether [`tuple_items_as_any`] would change `value`.
fn has_tuple_items(value: &Value, in_example: bool) -> bool {
    match value {
        Value::Mapping(m) => {
            (!in_example
                && matches!(m.get(&Key("items")), Some(n) if matches!(n.value, Value::Sequence(_))))
                || m.iter()
                    .any(|(k, v)| has_tuple_items(&v.value, in_example || is_example_key(k)))
        }
        Value::Sequence(items) => items.iter().any(|v| has_tuple_items(&v.value, in_example)),
        Value::Tagged(t) => has_tuple_items(&t.1.value, in_example),
        _ => false,
    }
}

fn is_example_key(k: &Value) -> bool {
    matches!(
        k.as_str(),
        Some("example" | "examples" | "default" | "enum")
    )
}

type Located = (String, String);

/// Deserializes `value` (found at `pointer`) as `T`, or says where and why it failed.
fn probe<T: DeserializeOwned>(value: &Value, pointer: &str) -> Result<T, Located> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut p = pointer.to_string();
        for seg in e.path().iter() {
            match seg {
                Segment::Seq { index } => p = child(&p, index.to_string()),
                Segment::Map { key } => p = child(&p, key),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        (p, e.inner().to_string())
    })
}

fn check<T: DeserializeOwned>(value: &Value, pointer: &str) -> Option<Located> {
    let (at, message) = probe::<T>(value, pointer).err()?;
    if at != pointer {
        return Some((at, message));
    }
    // serde could not say which field is wrong (openapiv3 buffers flattened and tagged types):
    // the first key whose removal makes the error go away or change is the one to blame.
    if let Value::Mapping(m) = value {
        for k in m.keys() {
            let Some(key) = k.as_str() else { continue };
            let mut without = m.clone();
            // serde_yaml's `Mapping::remove`: the last entry takes its place.
            without.swap_remove(k);
            match probe::<T>(&Value::Mapping(without), pointer) {
                Err((_, other)) if other == message => {}
                _ => return Some((child(pointer, key), message)),
            }
        }
    }
    Some((at, message))
}

fn entries<'v>(value: &'v Value, key: &str) -> Vec<(String, &'v Value)> {
    match get(value, key) {
        Some(Value::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| match k {
                Value::String(s) => Some((s.clone(), &v.value)),
                Value::Number(n) => Some((n.to_string(), &v.value)),
                _ => None,
            })
            .collect(),
        Some(Value::Sequence(s)) => s
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), &v.value))
            .collect(),
        _ => Vec::new(),
    }
}

/// The innermost node of the document that fails to deserialize.
fn narrow(root: &Value) -> Option<Located> {
    for (path, item) in entries(root, "paths") {
        let at = child("#/paths", &path);
        if let Some(e) = path_item(item, &at) {
            return Some(e);
        }
    }
    let components = get(root, "components")?;
    for (name, schema) in entries(components, "schemas") {
        if let Some(e) = schema_node(schema, &child("#/components/schemas", &name)) {
            return Some(e);
        }
    }
    for (name, p) in entries(components, "parameters") {
        if let Some(e) = parameter(p, &child("#/components/parameters", &name)) {
            return Some(e);
        }
    }
    for (name, r) in entries(components, "responses") {
        if let Some(e) = response(r, &child("#/components/responses", &name)) {
            return Some(e);
        }
    }
    for (name, s) in entries(components, "securitySchemes") {
        if let Some(e) =
            check::<ReferenceOr<SecurityScheme>>(s, &child("#/components/securitySchemes", &name))
        {
            return Some(e);
        }
    }
    None
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn path_item(item: &Value, at: &str) -> Option<Located> {
    for (i, p) in entries(item, "parameters") {
        if let Some(e) = parameter(p, &child(&child(at, "parameters"), &i)) {
            return Some(e);
        }
    }
    for m in METHODS {
        if let Some(op) = get(item, m) {
            if let Some(e) = operation(op, &child(at, m)) {
                return Some(e);
            }
        }
    }
    check::<ReferenceOr<PathItem>>(item, at)
}

fn operation(op: &Value, at: &str) -> Option<Located> {
    for (i, p) in entries(op, "parameters") {
        if let Some(e) = parameter(p, &child(&child(at, "parameters"), &i)) {
            return Some(e);
        }
    }
    if let Some(body) = get(op, "requestBody") {
        let bp = child(at, "requestBody");
        if let Some(e) = media(body, &bp) {
            return Some(e);
        }
        if let Some(e) = check::<ReferenceOr<RequestBody>>(body, &bp) {
            return Some(e);
        }
    }
    for (code, r) in entries(op, "responses") {
        if let Some(e) = response(r, &child(&child(at, "responses"), &code)) {
            return Some(e);
        }
    }
    check::<Operation>(op, at)
}

fn parameter(p: &Value, at: &str) -> Option<Located> {
    if let Some(s) = get(p, "schema") {
        if let Some(e) = schema_node(s, &child(at, "schema")) {
            return Some(e);
        }
    }
    check::<ReferenceOr<Parameter>>(p, at)
}

fn response(r: &Value, at: &str) -> Option<Located> {
    media(r, at).or_else(|| check::<ReferenceOr<Response>>(r, at))
}

fn media(holder: &Value, at: &str) -> Option<Located> {
    for (ct, m) in entries(holder, "content") {
        if let Some(s) = get(m, "schema") {
            let sp = child(&child(&child(at, "content"), &ct), "schema");
            if let Some(e) = schema_node(s, &sp) {
                return Some(e);
            }
        }
    }
    None
}

fn schema_node(s: &Value, at: &str) -> Option<Located> {
    for (name, p) in entries(s, "properties") {
        if let Some(e) = schema_node(p, &child(&child(at, "properties"), &name)) {
            return Some(e);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, p) in entries(s, key) {
            if let Some(e) = schema_node(p, &child(&child(at, key), &i)) {
                return Some(e);
            }
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner @ Value::Mapping(_)) = get(s, key) {
            if let Some(e) = schema_node(inner, &child(at, key)) {
                return Some(e);
            }
        }
    }
    check::<ReferenceOr<Schema>>(s, at)
}

/// The YAML `text` as a JSON value (mapping keys as written; objects ordered as `serde_json`
/// orders them), for tests and benchmarks that read a spec's examples.
pub fn to_json(text: &str) -> Result<serde_json::Value, String> {
    let tree = yaml::parse(text).map_err(|e| format!("{}:{}: {}", e.line, e.column, e.message))?;
    Ok(json(&tree.value))
}

fn json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(yaml::Number::PosInt(n)) => J::from(*n),
        Value::Number(yaml::Number::NegInt(n)) => J::from(*n),
        Value::Number(yaml::Number::Float(f)) => {
            serde_json::Number::from_f64(*f).map_or(J::Null, J::Number)
        }
        Value::String(s) => J::String(s.clone()),
        Value::Sequence(items) => J::Array(items.iter().map(|n| json(&n.value)).collect()),
        Value::Mapping(m) => J::Object(
            m.iter()
                .map(|(k, n)| (k.token().unwrap_or_default(), json(&n.value)))
                .collect(),
        ),
        Value::Tagged(t) => json(&t.1.value),
    }
}
