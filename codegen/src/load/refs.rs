//! `$ref` values are URI references: the JSON pointer after `#` is percent-encoded where a URI
//! needs it (`#/components/schemas/A%20B` names the schema `A B`, RFC 6901 section 6). The
//! pointers are decoded once, here, before the document is typed, so every later lookup compares
//! schema names as written.

use percent_encoding::percent_decode_str;

use super::yaml::{Key, Value};

/// Whether some local `$ref` of `value` has a percent escape that [`decode_refs`] would decode.
pub(super) fn has_encoded_refs(value: &Value) -> bool {
    match value {
        Value::Mapping(m) => {
            matches!(m.get(&Key("$ref")).map(|n| &n.value), Some(Value::String(r)) if encoded(r))
                || m.values().any(|v| has_encoded_refs(&v.value))
        }
        Value::Sequence(items) => items.iter().any(|v| has_encoded_refs(&v.value)),
        Value::Tagged(t) => has_encoded_refs(&t.1.value),
        _ => false,
    }
}

/// Every local `$ref` of `value` with its fragment percent-decoded. A fragment whose escapes
/// do not decode to UTF-8 is left as written (it then names no schema and is reported missing).
pub(super) fn decode_refs(value: &mut Value) {
    match value {
        Value::Mapping(m) => {
            if let Some(node) = m.get_mut(&Key("$ref")) {
                if let Value::String(r) = &mut node.value {
                    if encoded(r) {
                        if let Ok(decoded) = percent_decode_str(r).decode_utf8() {
                            *r = decoded.into_owned();
                        }
                    }
                }
            }
            for v in m.values_mut() {
                decode_refs(&mut v.value);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| decode_refs(&mut v.value)),
        Value::Tagged(t) => decode_refs(&mut t.1.value),
        _ => {}
    }
}

/// A local reference (`#...`) with a `%`.
fn encoded(r: &str) -> bool {
    r.starts_with('#') && r.contains('%')
}
