//! `x-lenient`: a value the vendor sends in more than one JSON form (a flag as `true` or `"y"`,
//! a number as `12.5` or `"12.50"`, an empty object as `[]`).
//!
//! The spec says every form in standard JSON Schema, as an `anyOf` whose first branch is the
//! plain type (`nullable: true` there if the value may be `null`: OpenAPI 3.0.3 applies
//! `nullable` only beside `type`) and whose other branches are exactly the wire forms
//! [`wire_forms`] lists for it; `x-lenient: true` beside the `anyOf` makes the generator decode
//! it with `vendor_clients::Lenient<T>` (T: the first branch's type) instead of a union. The forms are
//! those `vendor_clients::lenient::LenientForm` accepts (it accepts a little more: letters in
//! any case, surrounding white space), so a value that fits the schema always decodes.
//!
//! `x-lenient` on a plain `type` (the form before the wire forms were written out) is refused
//! in our own specs, which must say what the wire carries, and read with a warning in a
//! published one.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::{json, Value};

use crate::lower::cx::Cx;
use crate::lower::schema::scalar::{is_lenient, scalar_plain};
use crate::model::Ty;
use crate::source::child;

/// A whole (optionally signed) decimal integer, as `str::parse::<i64>` reads it.
pub const INTEGER_TEXT: &str = "^[-+]?[0-9]+$";
/// A decimal number with an optional exponent, as `str::parse::<f64>` reads it.
pub const NUMBER_TEXT: &str = r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$";

/// The branches an `x-lenient` `anyOf` lists after the plain type, for the Rust type that
/// plain type lowers to; `None` for a type that has no other wire forms.
pub fn wire_forms(plain: &Ty) -> Option<Vec<Value>> {
    Some(match plain {
        Ty::Bool => vec![
            json!({"type": "string", "enum": ["y", "n", "yes", "no", "1", "0", "true", "false"]}),
            json!({"type": "integer", "enum": [0, 1]}),
        ],
        Ty::I32 | Ty::I64 | Ty::EpochSeconds => {
            vec![json!({"type": "string", "pattern": INTEGER_TEXT})]
        }
        Ty::F32 | Ty::F64 => vec![json!({"type": "string", "pattern": NUMBER_TEXT})],
        Ty::String => vec![json!({"type": "number"})],
        Ty::Map(_) | Ty::Named(_) => vec![json!({"type": "array", "maxItems": 0})],
        _ => return None,
    })
}

/// What a reader calls the plain type, in messages.
fn kind_name(plain: &Ty) -> &'static str {
    match plain {
        Ty::Bool => "boolean",
        Ty::I32 | Ty::I64 | Ty::EpochSeconds => "integer",
        Ty::F32 | Ty::F64 => "number",
        Ty::String => "string",
        _ => "object",
    }
}

/// The wire forms as a reader would write them in YAML flow style (as specs/partnerize.yaml
/// does: `type` first, values quoted where YAML would read them as something else).
fn forms_text(forms: &[Value]) -> String {
    forms.iter().map(flow).collect::<Vec<_>>().join(", ")
}

fn flow(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by_key(|k| (k.as_str() != "type", k.as_str()));
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}: {}", flow(&m[*k])))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Value::String(t) if t.contains('\\') => format!("'{t}'"),
        Value::String(t)
            if t.chars().all(|c| c.is_ascii_alphabetic())
                && !matches!(t.as_str(), "y" | "n" | "yes" | "no" | "true" | "false") =>
        {
            t.clone()
        }
        Value::String(t) if t.starts_with('^') => format!("'{t}'"),
        other => other.to_string(),
    }
}

/// The `anyOf` branches of a schema marked `x-lenient`, when it is written that way.
pub(in crate::lower) fn lenient_any_of(s: &Schema) -> Option<&[ReferenceOr<Schema>]> {
    if !is_lenient(s) {
        return None;
    }
    match &s.schema_kind {
        SchemaKind::AnyOf { any_of } => Some(any_of),
        SchemaKind::Any(any) if !any.any_of.is_empty() => Some(&any.any_of),
        _ => None,
    }
}

/// Whether a lenient `anyOf` allows `null`: its first branch (the plain type) is `nullable`.
pub(in crate::lower) fn lenient_nullable(s: &Schema) -> bool {
    matches!(
        lenient_any_of(s).and_then(<[_]>::first),
        Some(ReferenceOr::Item(b)) if b.schema_data.nullable
    )
}

/// The first branch of a lenient `anyOf`, when it is an object with properties (a struct that
/// may arrive as `[]`): `define` makes the struct from it. `None` otherwise.
pub(in crate::lower) fn lenient_struct(s: &Schema) -> Option<&Schema> {
    let branches = lenient_any_of(s)?;
    match branches.first() {
        Some(ReferenceOr::Item(b)) => match &b.schema_kind {
            SchemaKind::Type(Type::Object(ot)) if !ot.properties.is_empty() => Some(b),
            _ => None,
        },
        _ => None,
    }
}

/// Lowers an `x-lenient` `anyOf`: checks that it is the plain type followed by exactly its wire
/// forms, each difference a located error, and gives `Lenient<plain>`. `None` when the plain
/// type is a struct (the caller defines it from the first branch, then wraps it where used).
pub(in crate::lower) fn lower_lenient_any_of(
    cx: &mut Cx<'_>,
    s: &Schema,
    branches: &[ReferenceOr<Schema>],
    pointer: &str,
    hint: &str,
) -> Option<Ty> {
    let at = child(pointer, "anyOf");
    let first_at = child(&at, "0");
    if let SchemaKind::Any(_) = &s.schema_kind {
        cx.err_help(
            pointer,
            "a lenient `anyOf` has other keywords beside it",
            "keep only annotations (`description`, `title`, ...) beside `anyOf` and `x-lenient`; the plain type goes in its first branch",
        );
        return Some(Ty::Json);
    }
    if s.schema_data.nullable && !cx.lenient() {
        cx.err_help(
            &child(pointer, "nullable"),
            "`nullable` beside a lenient `anyOf` allows no `null`: OpenAPI 3.0.3 applies it only beside `type`",
            "move `nullable: true` into the first branch, beside its `type`",
        );
    }
    let plain = match branches.first() {
        Some(ReferenceOr::Item(b)) if !is_lenient(b) => {
            match scalar_plain(cx, b, &first_at, hint) {
                Some(t) => Some(t),
                // A struct: `define` makes it (named `hint`) from this branch.
                None if lenient_struct(s).is_some() => Some(Ty::Named(hint.to_string())),
                None => None,
            }
        }
        _ => None,
    };
    let Some(plain) = plain else {
        cx.err_help(
            &first_at,
            "the first branch of an `x-lenient` `anyOf` must be the plain type, written inline",
            "put the string, number, integer, boolean or object schema first (with `nullable: true` if the value may be null), without `x-lenient` (that goes beside the `anyOf`)",
        );
        return Some(Ty::Json);
    };
    let Some(forms) = wire_forms(&plain) else {
        cx.err_help(
            &first_at,
            "`x-lenient` applies to plain strings, numbers, integers (also epoch-seconds), booleans and objects",
            "remove `x-lenient` and describe the value as a plain `anyOf`",
        );
        return Some(plain);
    };
    let kind = kind_name(&plain);
    let mut missing = forms.clone();
    let mut wrong = false;
    for (i, b) in branches.iter().enumerate().skip(1) {
        let written = match b {
            ReferenceOr::Item(b) => serde_json::to_value(b).ok(),
            ReferenceOr::Reference { .. } => None,
        };
        match written.and_then(|w| missing.iter().position(|f| *f == w)) {
            Some(k) => {
                missing.remove(k);
            }
            None => {
                wrong = true;
                cx.err_help(
                    &child(&at, i.to_string()),
                    format!("this branch is not a wire form of a lenient {kind}"),
                    format!(
                        "after the plain type, a lenient {kind} lists exactly: {} (written inline)",
                        forms_text(&forms)
                    ),
                );
            }
        }
    }
    if !wrong && !missing.is_empty() {
        cx.err_help(
            &at,
            format!(
                "the `anyOf` of a lenient {kind} does not list the wire form {}",
                forms_text(&missing)
            ),
            format!(
                "after the plain type, a lenient {kind} lists exactly: {}",
                forms_text(&forms)
            ),
        );
    }
    match plain {
        Ty::Named(_) => None,
        plain => Some(Ty::Lenient(Box::new(plain))),
    }
}

/// `x-lenient` on a plain `type`: the wire forms are not in the schema. Refused in our own
/// specs, a warning in a published one; the type is lenient either way.
pub(in crate::lower) fn plain_lenient(cx: &mut Cx<'_>, plain: &Ty, pointer: &str) {
    let Some(forms) = wire_forms(plain) else {
        return;
    };
    let message = "`x-lenient` on a plain `type`: the other forms the vendor sends are not in the schema, so a validator rejects them";
    if cx.lenient() {
        cx.warn(&child(pointer, "x-lenient"), message);
    } else {
        cx.err_help(
            &child(pointer, "x-lenient"),
            message,
            format!(
                "write `anyOf: [<this schema without x-lenient>, {}]` beside `x-lenient: true`",
                forms_text(&forms)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lenient_type_has_forms_and_others_have_none() {
        for t in [
            Ty::Bool,
            Ty::I32,
            Ty::I64,
            Ty::EpochSeconds,
            Ty::F32,
            Ty::F64,
            Ty::String,
            Ty::Map(Box::new(Ty::Json)),
        ] {
            assert!(wire_forms(&t).is_some(), "{t:?}");
        }
        for t in [Ty::DateTime, Ty::Json, Ty::Vec(Box::new(Ty::I64))] {
            assert!(wire_forms(&t).is_none(), "{t:?}");
        }
    }

    /// The forms in messages read as specs/partnerize.yaml writes them.
    #[test]
    fn forms_are_shown_as_yaml_flow() {
        let bool_forms = wire_forms(&Ty::Bool).unwrap_or_default();
        assert_eq!(
            forms_text(&bool_forms),
            r#"{type: string, enum: ["y", "n", "yes", "no", "1", "0", "true", "false"]}, {type: integer, enum: [0, 1]}"#
        );
        let number_forms = wire_forms(&Ty::F64).unwrap_or_default();
        assert_eq!(
            forms_text(&number_forms),
            r"{type: string, pattern: '^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$'}"
        );
        let map_forms = wire_forms(&Ty::Map(Box::new(Ty::Json))).unwrap_or_default();
        assert_eq!(forms_text(&map_forms), "{type: array, maxItems: 0}");
    }
}
