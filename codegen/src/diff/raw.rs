//! What the lowered model does not keep, read from the spec's YAML: where a field or parameter
//! is written, string formats, and `deprecated` flags on schemas, properties and parameters.

use crate::load::yaml::{unescape, Key, Node, Value};
use crate::model::ParamIn;
use crate::source::child;

/// The value under `key` of a mapping (string keys, or numeric keys such as status codes), or
/// at index `key` of a sequence.
fn get<'v>(v: &'v Node, key: &str) -> Option<&'v Node> {
    match &v.value {
        Value::Mapping(m) => m.get(&Key(key)).or_else(|| {
            m.iter().find_map(|(k, val)| {
                let matches = match k {
                    Value::Number(n) => n.to_string() == key,
                    Value::Bool(b) => b.to_string() == key,
                    _ => false,
                };
                matches.then_some(val)
            })
        }),
        Value::Sequence(s) => key.parse::<usize>().ok().and_then(|i| s.get(i)),
        _ => None,
    }
}

fn as_str(v: &Node) -> Option<&str> {
    v.value.as_str()
}

fn as_sequence(v: &Node) -> Option<&[Node]> {
    match &v.value {
        Value::Sequence(s) => Some(s),
        _ => None,
    }
}

/// The node at `pointer` (`#/a/b`), without following references.
pub(crate) fn node<'v>(root: &'v Node, pointer: &str) -> Option<&'v Node> {
    let rest = pointer.strip_prefix('#').unwrap_or(pointer);
    let mut v = root;
    for token in rest.split('/').skip(1) {
        v = get(v, &unescape(token))?;
    }
    Some(v)
}

/// Follows `$ref`s from `v` (found at `pointer`) to the node they name, with its pointer.
fn deref<'v>(root: &'v Node, mut v: &'v Node, mut pointer: String) -> (&'v Node, String) {
    for _ in 0..32 {
        let Some(target) = get(v, "$ref").and_then(as_str) else {
            break;
        };
        if !target.starts_with("#/") {
            break;
        }
        match node(root, target) {
            Some(next) => {
                v = next;
                pointer = target.to_string();
            }
            None => break,
        }
    }
    (v, pointer)
}

/// The schema node of property `wire` of the schema at `type_pointer`, looking through `allOf`
/// parts and references; returns the property's pointer and its (dereferenced) schema.
pub(crate) fn property<'v>(
    root: &'v Node,
    type_pointer: &str,
    wire: &str,
) -> Option<(String, &'v Node)> {
    let start = node(root, type_pointer)?;
    find_property(root, start, type_pointer.to_string(), wire, 0)
}

fn find_property<'v>(
    root: &'v Node,
    schema: &'v Node,
    pointer: String,
    wire: &str,
    depth: usize,
) -> Option<(String, &'v Node)> {
    if depth > 16 {
        return None;
    }
    let (schema, pointer) = deref(root, schema, pointer);
    if let Some(p) = get(schema, "properties").and_then(|props| get(props, wire)) {
        let at = child(&child(&pointer, "properties"), wire);
        return Some((at, p));
    }
    let parts = get(schema, "allOf").and_then(as_sequence)?;
    parts.iter().enumerate().find_map(|(i, part)| {
        let at = child(&child(&pointer, "allOf"), i.to_string());
        find_property(root, part, at, wire, depth + 1)
    })
}

/// The pointer and the node of an operation's parameter: the operation's own list first, then
/// the path item's (a `$ref` entry is located where it is written).
pub(crate) fn parameter<'v>(
    root: &'v Node,
    op_pointer: &str,
    wire: &str,
    location: ParamIn,
) -> Option<(String, &'v Node)> {
    let want = match location {
        ParamIn::Path => "path",
        ParamIn::Query | ParamIn::Group => "query",
        ParamIn::Header => "header",
        ParamIn::Cookie => "cookie",
    };
    let path_pointer = match op_pointer.rfind('/') {
        Some(i) => &op_pointer[..i],
        None => op_pointer,
    };
    for holder in [op_pointer, path_pointer] {
        let base = child(holder, "parameters");
        let Some(list) = node(root, &base).and_then(as_sequence) else {
            continue;
        };
        for (i, p) in list.iter().enumerate() {
            let at = child(&base, i.to_string());
            let (resolved, _) = deref(root, p, at.clone());
            let name = get(resolved, "name").and_then(as_str);
            let place = get(resolved, "in").and_then(as_str);
            if name == Some(wire) && place == Some(want) {
                return Some((at, resolved));
            }
        }
    }
    None
}

/// The string format of a schema (`email`, `uri`, ...), following references; for arrays, the
/// items' format as `items: <format>`.
pub(crate) fn format(root: &Node, schema: &Node) -> Option<String> {
    let (s, _) = deref(root, schema, String::new());
    if let Some(items) = get(s, "items") {
        return format(root, items).map(|f| format!("items: {f}"));
    }
    get(s, "format").and_then(as_str).map(str::to_string)
}

/// The `schema` of a parameter node.
pub(crate) fn param_schema(param: &Node) -> Option<&Node> {
    get(param, "schema")
}

/// Whether a node (schema, property or parameter) itself says `deprecated: true`; a property
/// that is a `$ref` to a deprecated schema is not itself deprecated.
pub(crate) fn deprecated(v: &Node) -> bool {
    matches!(
        get(v, "deprecated").map(|d| &d.value),
        Some(Value::Bool(true))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Node {
        crate::load::yaml::parse(s).unwrap_or(Node::NULL)
    }

    #[test]
    fn finds_properties_through_all_of_and_refs() {
        let root = yaml(
            "components:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        - properties: {x: {type: string, format: email}}\n    B:\n      properties: {y: {type: integer}}\n",
        );
        let (at, x) = property(&root, "#/components/schemas/A", "x").expect("x");
        assert_eq!(at, "#/components/schemas/A/allOf/1/properties/x");
        assert_eq!(format(&root, x).as_deref(), Some("email"));
        let (at, _) = property(&root, "#/components/schemas/A", "y").expect("y");
        assert_eq!(at, "#/components/schemas/B/properties/y");
        assert!(property(&root, "#/components/schemas/A", "z").is_none());
    }

    #[test]
    fn finds_parameters_on_the_operation_or_the_path_item() {
        let root = yaml(
            "paths:\n  /a/{id}:\n    parameters:\n      - {name: id, in: path, required: true, deprecated: true}\n    get:\n      parameters:\n        - {name: q, in: query}\n",
        );
        let op = "#/paths/~1a~1{id}/get";
        let (at, _) = parameter(&root, op, "q", ParamIn::Query).expect("q");
        assert_eq!(at, "#/paths/~1a~1{id}/get/parameters/0");
        let (at, p) = parameter(&root, op, "id", ParamIn::Path).expect("id");
        assert_eq!(at, "#/paths/~1a~1{id}/parameters/0");
        assert!(deprecated(p));
        assert!(parameter(&root, op, "q", ParamIn::Header).is_none());
    }
}
