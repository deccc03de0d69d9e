//! Stage 1: YAML text to `openapiv3::OpenAPI`, with located errors.

use openapiv3::{
    OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema,
    SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_path_to_error::Segment;
use serde_yaml::Value;

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{child, SourceFile};

mod split;

/// Parses the spec's YAML and deserializes it into the OpenAPI 3.0 document model. A large spec
/// is parsed in pieces on up to [`crate::emit::default_threads`] threads (see
/// [`load_with_threads`]).
pub fn load(src: &SourceFile) -> Result<OpenAPI, Diagnostics> {
    load_with_threads(src, crate::emit::default_threads())
}

/// [`load`] on at most `threads` threads (1: all on the caller's). The result, document or
/// diagnostics, does not depend on the number of threads: a spec of at least 32 KiB is cut into
/// pieces at its mappings' keys, each parsed on its own, and `paths` and `components` are
/// deserialized apart; anything unusual, and every error, goes through the one-piece path,
/// which is the one that reports.
pub fn load_with_threads(src: &SourceFile, threads: usize) -> Result<OpenAPI, Diagnostics> {
    let text = src.text();
    if threads > 1 && text.len() >= split::MIN_LEN {
        let piece_len = text.len() / (threads * 4);
        if let Some(doc) = split::load(text, threads, piece_len) {
            return Ok(doc);
        }
    }
    load_one(src).map_err(Diagnostics::from)
}

// The error path builds one diagnostic and stops; its size does not matter there.
#[allow(clippy::result_large_err)]
fn load_one(src: &SourceFile) -> Result<OpenAPI, Diagnostic> {
    let value: serde_yaml::Value = serde_yaml::from_str(src.text()).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((1, 1));
        let d = src.error_at(
            "#",
            line,
            column,
            format!("invalid YAML: {}", strip_location(&e.to_string())),
        );
        let tab = src
            .text()
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.chars().nth(column.saturating_sub(1)))
            == Some('\t');
        if tab {
            d.with_help("YAML indents with spaces only; replace the tab with spaces")
        } else {
            d
        }
    })?;
    let version = match &value {
        serde_yaml::Value::Mapping(m) => m.get("openapi").cloned(),
        serde_yaml::Value::Null => return Err(src.error("#", "the spec is empty").with_help(
            "a spec is an OpenAPI 3.0 document: start with `openapi: 3.0.3`, `info` and `paths`",
        )),
        _ => {
            return Err(src
                .error("#", "the spec's top level is not a mapping")
                .with_help("a spec is an OpenAPI 3.0 document: start with `openapi: 3.0.3`"))
        }
    };
    match version {
        Some(serde_yaml::Value::String(v)) if v.starts_with("3.0") => {}
        Some(serde_yaml::Value::String(v)) => {
            return Err(src
                .error(
                    "#/openapi",
                    format!("OpenAPI version `{v}` is not supported"),
                )
                .with_help("this generator reads OpenAPI 3.0.x documents; write `openapi: 3.0.3`"))
        }
        Some(_) => {
            return Err(src
                .error("#/openapi", "`openapi` must be a string such as \"3.0.3\"")
                .with_help("quote the version: `openapi: \"3.0.3\"`"))
        }
        None => {
            return Err(src
                .error("#", "missing `openapi` version field")
                .with_help("add `openapi: 3.0.3` at the top of the file"))
        }
    }
    let mut value = value;
    tuple_items_as_any(&mut value, false);
    if let Some(path) = bad_path_key(value.get("paths")) {
        return Err(src
            .error(
                &child("#/paths", path),
                format!("path `{path}` does not start with `/`"),
            )
            .with_help(format!("write `/{path}`")));
    }
    // The common case first: a valid document, deserialized in place (no copy of the tree, no
    // path tracking). Only a failure pays for locating the bad node. (The text goes through a
    // `Value` first because that is where duplicate keys are refused: typed maps would keep
    // the last one silently.)
    if let Ok(doc) = OpenAPI::deserialize(&value) {
        return Ok(doc);
    }
    match probe::<OpenAPI>(&value, "#") {
        Ok(doc) => Ok(doc),
        Err((pointer, message)) => {
            // openapiv3 flattens and buffers many of its types, which hides where inside them a
            // value was wrong; probing the parts one by one finds the innermost bad node.
            let (pointer, message) = narrow(&value).unwrap_or((pointer, message));
            Err(src.error(&pointer, format!("invalid OpenAPI document: {message}")))
        }
    }
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
            if !in_example && matches!(m.get("items"), Some(Value::Sequence(_))) {
                m.remove("items");
            }
            for (k, v) in m.iter_mut() {
                let example = in_example
                    || matches!(
                        k.as_str(),
                        Some("example" | "examples" | "default" | "enum")
                    );
                tuple_items_as_any(v, example);
            }
        }
        Value::Sequence(items) => {
            for v in items {
                tuple_items_as_any(v, in_example);
            }
        }
        Value::Tagged(t) => tuple_items_as_any(&mut t.value, in_example),
        _ => {}
    }
}

type Located = (String, String);

/// Deserializes `value` (found at `pointer`) as `T`, or says where and why it failed.
fn probe<T: DeserializeOwned>(value: &Value, pointer: &str) -> Result<T, Located> {
    serde_path_to_error::deserialize(value.clone()).map_err(|e| {
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
            without.remove(k);
            match probe::<T>(&Value::Mapping(without), pointer) {
                Err((_, other)) if other == message => {}
                _ => return Some((child(pointer, key), message)),
            }
        }
    }
    Some((at, message))
}

fn entries<'v>(value: &'v Value, key: &str) -> Vec<(String, &'v Value)> {
    match value.get(key) {
        Some(Value::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| match k {
                Value::String(s) => Some((s.clone(), v)),
                Value::Number(n) => Some((n.to_string(), v)),
                _ => None,
            })
            .collect(),
        Some(Value::Sequence(s)) => s
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
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
    let components = root.get("components")?;
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
        if let Some(op) = item.get(m) {
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
    if let Some(body) = op.get("requestBody") {
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
    if let Some(s) = p.get("schema") {
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
        if let Some(s) = m.get("schema") {
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
        if let Some(inner @ Value::Mapping(_)) = s.get(key) {
            if let Some(e) = schema_node(inner, &child(at, key)) {
                return Some(e);
            }
        }
    }
    check::<ReferenceOr<Schema>>(s, at)
}

/// serde_yaml appends " at line L column C" to its messages; the diagnostic says that already.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every spec in `dir`, with its text.
    fn yaml_files(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("directory exists")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("readable");
                (p.display().to_string(), text)
            })
            .collect();
        out.sort();
        out
    }

    /// The pieces path either answers what the whole-document path answers or leaves it to it.
    fn same_as_whole(name: &str, text: &str, piece_len: usize) -> bool {
        let src = SourceFile::new(name, text);
        let whole = load_one(&src);
        match split::load(text, 2, piece_len) {
            None => false,
            Some(doc) => {
                assert_eq!(
                    whole.as_ref().ok(),
                    Some(&doc),
                    "{name}, pieces of {piece_len}"
                );
                true
            }
        }
    }

    #[test]
    fn the_vendor_specs_load_in_pieces_to_the_same_document() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let specs = yaml_files(&dir);
        assert!(specs.len() >= 5);
        for (name, text) in &specs {
            for piece_len in [1, 300, 4096, text.len() / 8] {
                assert!(same_as_whole(name, text, piece_len), "{name}: {piece_len}");
            }
        }
    }

    #[test]
    fn broken_specs_are_left_to_the_whole_document_path() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics/cases");
        for (name, text) in yaml_files(&dir) {
            for piece_len in [1, 64, 1024] {
                same_as_whole(&name, &text, piece_len);
            }
        }
    }

    #[test]
    fn pieces_that_do_not_stand_alone_fall_back_to_the_whole_document() {
        let head = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";
        let op = |id: &str| {
            format!("    get:\n      operationId: {id}\n      responses: {{'204': {{description: ok}}}}\n")
        };
        let ok = format!("{head}paths:\n  /a:\n{}  /b:\n{}", op("a"), op("b"));
        assert!(same_as_whole("ok", &ok, 1));
        // An alias to an anchor in another entry: not cut between them.
        let aliased = format!(
            "{head}paths:\n  /a: &item\n{}  /b: *item\n  /c:\n{}",
            op("a"),
            op("c")
        );
        assert!(same_as_whole("aliased", &aliased, 1));
        let cases = [
            // A key twice, in different pieces.
            format!("{head}paths:\n  /a:\n{}  /a:\n{}", op("a"), op("b")),
            format!("{head}paths:\n  /a:\n{}paths:\n  /b:\n{}", op("a"), op("b")),
            // A quoted scalar over lines that look like keys.
            format!("{head}paths:\n  /a:\n    description: \"x\n  /b: y\"\n{}", op("a")),
            // A flow mapping over lines that look like keys.
            format!("{head}paths:\n  /a: {{summary: x,\n  description: y}}\n"),
            // A tuple `items` directly in a cut mapping.
            format!("{head}components:\n  schemas:\n    A: {{}}\n    items: [1]\n    B: {{}}\npaths:\n  /a:\n{}", op("a")),
            // Not a mapping of keys.
            format!("{head}paths:\n  /a:\n{}- x\n", op("a")),
            // Bad path key, bad version, bad operation.
            format!("{head}paths:\n  a:\n{}", op("a")),
            format!("openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n{}", op("a")),
            format!("{head}paths:\n  /a:\n    get: 1\n  /b:\n{}", op("b")),
        ];
        for text in &cases {
            assert!(!same_as_whole("case", text, 1), "{text}");
        }
    }
}
