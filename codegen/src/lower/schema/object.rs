//! Object schemas to struct fields: properties, `additionalProperties`, `x-row`.

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use crate::lower::cx::{Cx, Types};
use crate::lower::rename;
use crate::lower::schema::union::open_enum;
use crate::lower::schema::{
    doc_of, lower_boxed, lower_schema, resolve_schema_ref, rust_name_ext, unescape, Lowered,
};
use crate::model::{kind_named, Field, Ty, TypeKind};
use crate::names::{pascal, snake};
use crate::source::child;

fn owner_field_conflict(_rust: &str) -> bool {
    false
}

/// Whether a schema's `default` value is one of the field's type (other defaults are ignored).
fn default_fits(ty: &Ty, value: &serde_json::Value, types: &Types, depth: usize) -> bool {
    use serde_json::Value;
    if depth > 8 {
        return false;
    }
    match (ty, value) {
        (Ty::String, Value::String(_)) | (Ty::Bool, Value::Bool(_)) => true,
        (Ty::I32, Value::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        (Ty::I64, Value::Number(n)) => n.is_i64(),
        (Ty::F32 | Ty::F64, Value::Number(_)) => true,
        (Ty::Vec(t), Value::Array(items)) => {
            items.iter().all(|i| default_fits(t, i, types, depth + 1))
        }
        (Ty::Named(n), v) => match kind_named(types, n) {
            Some(TypeKind::Enum { .. }) => v.is_string(),
            Some(TypeKind::IntEnum { .. }) => v.is_i64(),
            Some(TypeKind::Alias(t)) => default_fits(t, v, types, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// `x-row: {metrics: {$ref}, dimensions: {$ref}}` on an object: its keys (beyond the named
/// properties) are metric and dimension names, read through `vendor_clients::Row`. `None`
/// without the extension; `Some(None)` when it is malformed (reported).
pub(in crate::lower) fn x_row(cx: &mut Cx<'_>, s: &Schema, pointer: &str) -> Option<Option<Ty>> {
    let v = s.schema_data.extensions.get("x-row")?;
    let at = child(pointer, "x-row");
    let help = "write `x-row: {metrics: {$ref: '#/components/schemas/Metric'}, dimensions: {$ref: '#/components/schemas/Dimension'}}` (`dimensions` optional), each a string enum";
    let Some(obj) = v.as_object() else {
        cx.err_help(&at, "`x-row` must be an object", help);
        return Some(None);
    };
    if let Some(k) = obj.keys().find(|k| *k != "metrics" && *k != "dimensions") {
        cx.err_help(&at, format!("`x-row` has no `{k}`"), help);
        return Some(None);
    }
    let mut names = Vec::new();
    for key in ["metrics", "dimensions"] {
        let Some(entry) = obj.get(key) else {
            if key == "metrics" {
                cx.err_help(&at, "`x-row` needs `metrics`", help);
                return Some(None);
            }
            names.push(None);
            continue;
        };
        let here = child(&at, key);
        let Some(reference) = entry.get("$ref").and_then(|r| r.as_str()) else {
            cx.err_help(&here, format!("`x-row.{key}` must be a `$ref`"), help);
            return Some(None);
        };
        let is_enum = reference
            .strip_prefix("#/components/schemas/")
            .and_then(|k| cx.doc.components.as_ref()?.schemas.get(&unescape(k)))
            .is_some_and(|t| match t {
                ReferenceOr::Item(t) => match &t.schema_kind {
                    SchemaKind::Type(Type::String(st)) => !st.enumeration.is_empty(),
                    // The open-enum idiom, `anyOf: [{type: string, enum: [...]}, {type: string}]`.
                    SchemaKind::AnyOf { any_of } if t.schema_data.discriminator.is_none() => {
                        open_enum(any_of).is_some()
                    }
                    _ => false,
                },
                ReferenceOr::Reference { .. } => false,
            });
        match resolve_schema_ref(cx, reference, &here) {
            Some(Lowered {
                ty: Ty::Named(n), ..
            }) if is_enum => names.push(Some(n)),
            Some(_) => {
                cx.err_help(
                    &here,
                    format!("`x-row.{key}` must name a string enum (the names of the keys)"),
                    help,
                );
                return Some(None);
            }
            None => return Some(None),
        }
    }
    let dimensions = names.pop().flatten();
    let metrics = names.pop().flatten()?;
    Some(Some(Ty::Row(metrics, dimensions)))
}

pub(in crate::lower) fn lower_additional(
    cx: &mut Cx<'_>,
    ap: &Option<AdditionalProperties>,
    pointer: &str,
    hint: &str,
) -> Option<Ty> {
    match ap {
        Some(AdditionalProperties::Schema(s)) => {
            let value_hint = format!("{hint}Value");
            lower_schema(cx, s, &child(pointer, "additionalProperties"), &value_hint).map(|l| l.ty)
        }
        Some(AdditionalProperties::Any(true)) | None => Some(Ty::Json),
        Some(AdditionalProperties::Any(false)) => None,
    }
}

pub(in crate::lower) fn fields(
    cx: &mut Cx<'_>,
    properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &[String],
    pointer: &str,
    owner: &str,
) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (wire, schema) in properties {
        let at = child(&child(pointer, "properties"), wire);
        let Some(rust) = field_rust_name(cx, wire, schema, &at, &mut seen) else {
            continue;
        };
        let hint = format!("{owner}{}", pascal(wire).unwrap_or_default());
        let Some(l) = lower_boxed(cx, schema, &at, &hint) else {
            continue;
        };
        let doc = property_doc(cx, schema);
        let aliases = property_aliases(cx, schema, &at, properties);
        let (read_only, write_only, default) = match schema {
            ReferenceOr::Item(s) => (
                s.schema_data.read_only,
                s.schema_data.write_only,
                s.schema_data.default.clone(),
            ),
            ReferenceOr::Reference { .. } => (false, false, None),
        };
        let is_required = required.contains(wire);
        let (default, doc) = match default {
            Some(d) if !is_required && !l.nullable => field_default(cx, &l.ty, &d, doc),
            _ => (None, doc),
        };
        fields.push(Field {
            rust,
            wire: wire.clone(),
            ty: l.ty,
            required: is_required,
            nullable: l.nullable,
            doc,
            aliases,
            boxed: false,
            read_only,
            write_only,
            default,
        });
    }
    required_only_fields(cx, properties, required, pointer, &mut seen, &mut fields);
    fields
}

/// The Rust field name of a property (`x-rust-name`, else its name), unique in the struct.
fn field_rust_name(
    cx: &mut Cx<'_>,
    wire: &str,
    schema: &ReferenceOr<Box<Schema>>,
    at: &str,
    seen: &mut HashMap<String, String>,
) -> Option<String> {
    let explicit = match schema {
        ReferenceOr::Item(s) => rust_name_ext(&s.schema_data.extensions).and_then(|n| snake(&n)),
        ReferenceOr::Reference { .. } => None,
    };
    let rust = explicit.or_else(|| snake(wire));
    let rust = match rust {
        Some(r) if !cx.lenient() || (!seen.contains_key(&r) && !owner_field_conflict(&r)) => {
            Some(r)
        }
        // A published spec: a property without letters, or whose name another property took
        // (`+1` and `-1`), gets a field name of its own, with a warning.
        other if cx.lenient() => {
            let position = seen.len();
            let free = rename::snake_free(wire, position, |n| {
                seen.contains_key(n) || owner_field_conflict(n)
            });
            let why = match other.as_ref().and_then(|r| seen.get(r).map(|p| (r, p))) {
                Some((r, prev)) => format!(
                    "property `{wire}` would become the Rust field `{r}`, as `{prev}` does: named `{free}`"
                ),
                None => format!("property `{wire}` has no usable Rust field name: named `{free}`"),
            };
            cx.warn(at, why);
            Some(free)
        }
        other => other,
    };
    let Some(rust) = rust else {
        cx.err_help(
            at,
            format!(
                "property name `{wire}` has no letters or digits to make a Rust field name from"
            ),
            "set `x-rust-name` on the property",
        );
        return None;
    };
    if let Some(prev) = seen.get(&rust) {
        let prev = prev.clone();
        cx.err_help(
            at,
            format!("properties `{prev}` and `{wire}` both become the Rust field `{rust}`"),
            "set `x-rust-name` on one of them",
        );
        return None;
    }
    if owner_field_conflict(&rust) {
        cx.err_help(at, format!("property `{wire}` becomes the Rust field `{rust}`, which the generated type uses itself"), "set `x-rust-name` on the property");
        return None;
    }
    seen.insert(rust.clone(), wire.to_string());
    Some(rust)
}

fn property_doc(cx: &Cx<'_>, schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
    match schema {
        ReferenceOr::Item(s) => doc_of(s),
        // A property that is a `$ref` is documented by the schema it names.
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|k| cx.doc.components.as_ref()?.schemas.get(&unescape(k)))
            .and_then(|t| match t {
                ReferenceOr::Item(t) => doc_of(t),
                ReferenceOr::Reference { .. } => None,
            }),
    }
}

/// `x-aliases`: other names the property is read under; none may be a property itself.
fn property_aliases(
    cx: &mut Cx<'_>,
    schema: &ReferenceOr<Box<Schema>>,
    at: &str,
    properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
) -> Vec<String> {
    let aliases = match schema {
        ReferenceOr::Item(s) => match s.schema_data.extensions.get("x-aliases") {
            None => Vec::new(),
            Some(v) => match v.as_array().and_then(|a| {
                a.iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
            }) {
                Some(list) => list,
                None => {
                    cx.err(
                        &child(at, "x-aliases"),
                        "`x-aliases` must be a list of property names",
                    );
                    Vec::new()
                }
            },
        },
        ReferenceOr::Reference { .. } => Vec::new(),
    };
    for a in &aliases {
        if properties.contains_key(a) {
            cx.err(
                &child(at, "x-aliases"),
                format!("alias `{a}` is also a property of this object"),
            );
        }
    }
    aliases
}

/// The default of an optional, non-nullable field (as Rust text), and its documentation.
fn field_default(
    cx: &Cx<'_>,
    ty: &Ty,
    d: &serde_json::Value,
    doc: Option<String>,
) -> (Option<String>, Option<String>) {
    if default_fits(ty, d, &cx.types, 0) {
        (Some(d.to_string()), doc)
    } else {
        // Not lost silently: the field's documentation says what the spec gave.
        let note = format!("The spec's default `{d}` is not a value of this type, so it is not applied: an absent property is `None`.");
        let doc = match doc {
            Some(text) => format!("{}\n\n{note}", text.trim_end()),
            None => note,
        };
        (None, Some(doc))
    }
}

/// `required` may name a property the object does not describe: it must be present, with
/// any value (JSON Schema), so it becomes a field holding any JSON value.
fn required_only_fields(
    cx: &mut Cx<'_>,
    properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &[String],
    pointer: &str,
    seen: &mut HashMap<String, String>,
    fields: &mut Vec<Field>,
) {
    for (i, r) in required.iter().enumerate() {
        if properties.contains_key(r) {
            continue;
        }
        let at = child(&child(pointer, "required"), i.to_string());
        let Some(rust) = snake(r) else {
            cx.err_help(&at, format!("required property `{r}` has no letters or digits to make a Rust field name from"), "describe it under `properties` with `x-rust-name`");
            continue;
        };
        if let Some(prev) = seen.get(&rust) {
            let prev = prev.clone();
            cx.err_help(
                &at,
                format!("properties `{prev}` and `{r}` both become the Rust field `{rust}`"),
                "describe it under `properties` with `x-rust-name`",
            );
            continue;
        }
        seen.insert(rust.clone(), r.clone());
        fields.push(Field {
            rust,
            wire: r.clone(),
            ty: Ty::Json,
            required: true,
            nullable: false,
            doc: Some(format!(
                "`{r}`: listed as required without a schema, so any JSON value."
            )),
            aliases: Vec::new(),
            boxed: false,
            read_only: false,
            write_only: false,
            default: None,
        });
    }
}
