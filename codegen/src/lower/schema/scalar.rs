//! Schemas that need no definition of their own (strings, numbers, arrays, maps, ...) to [`Ty`].

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use crate::lower::cx::Cx;
use crate::lower::schema::all_of::annotation_only;
use crate::lower::schema::lenient::{lenient_any_of, lower_lenient_any_of, plain_lenient};
use crate::lower::schema::object::{lower_additional, x_row};
use crate::lower::schema::{lower_boxed, resolve_schema_ref};
use crate::model::Ty;
use crate::source::child;

/// The values of a schema's `type` in OpenAPI 3.0.
const JSON_TYPES: &[&str] = &["string", "number", "integer", "boolean", "array", "object"];

/// The type under a `Lenient` wrapper.
pub(in crate::lower) fn strip_lenient(t: &Ty) -> &Ty {
    match t {
        Ty::Lenient(inner) => inner,
        other => other,
    }
}

pub(in crate::lower) fn is_lenient(s: &Schema) -> bool {
    s.schema_data
        .extensions
        .get("x-lenient")
        .and_then(|v| v.as_bool())
        == Some(true)
}

/// Types that need no definition of their own; `None` if the schema needs a named type.
pub(in crate::lower) fn scalar(
    cx: &mut Cx<'_>,
    s: &Schema,
    pointer: &str,
    hint: &str,
) -> Option<Ty> {
    if let SchemaKind::Any(any) = &s.schema_kind {
        if let Some(t) = any.typ.as_deref().filter(|t| !JSON_TYPES.contains(t)) {
            cx.err_help(
                &child(pointer, "type"),
                format!("`type: {t}` is not a type OpenAPI 3.0 knows"),
                format!("use one of {}", JSON_TYPES.join(", ")),
            );
            return Some(Ty::Json);
        }
    }
    if let Some(branches) = lenient_any_of(s) {
        return lower_lenient_any_of(cx, s, branches, pointer, hint);
    }
    let ty = scalar_plain(cx, s, pointer, hint)?;
    Some(if is_lenient(s) {
        plain_lenient(cx, &ty, pointer);
        lenient(cx, ty, pointer)
    } else {
        ty
    })
}

/// `x-lenient` wraps the types that have other wire forms; elsewhere it is a mistake.
pub(in crate::lower) fn lenient(cx: &mut Cx<'_>, ty: Ty, pointer: &str) -> Ty {
    match ty {
        Ty::I32
        | Ty::I64
        | Ty::F32
        | Ty::F64
        | Ty::Bool
        | Ty::String
        | Ty::EpochSeconds
        | Ty::Map(_)
        | Ty::Named(_) => Ty::Lenient(Box::new(ty)),
        other => {
            cx.err_help(
                &child(pointer, "x-lenient"),
                "`x-lenient` applies to plain strings, numbers, integers (also epoch-seconds), booleans and objects",
                "remove it here",
            );
            other
        }
    }
}

pub(in crate::lower) fn scalar_plain(
    cx: &mut Cx<'_>,
    s: &Schema,
    pointer: &str,
    hint: &str,
) -> Option<Ty> {
    let sensitive = s
        .schema_data
        .extensions
        .get("x-sensitive")
        .and_then(|v| v.as_bool())
        == Some(true);
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => string_ty(st, sensitive),
        SchemaKind::Type(Type::Integer(it)) => {
            if !it.enumeration.is_empty()
                && s.schema_data.extensions.contains_key("x-enum-varnames")
            {
                return None;
            }
            Some(match &it.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => Ty::I32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "epoch-millis" => Ty::EpochMillis,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "epoch-seconds" => Ty::EpochSeconds,
                _ => Ty::I64,
            })
        }
        SchemaKind::Type(Type::Number(nt)) => Some(match &nt.format {
            VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => Ty::F32,
            _ => Ty::F64,
        }),
        SchemaKind::Type(Type::Boolean(_)) => Some(Ty::Bool),
        SchemaKind::AllOf { all_of } => all_of_scalar(cx, all_of, pointer, hint),
        SchemaKind::Type(Type::Array(at)) => {
            let item = match &at.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    lower_boxed(cx, items, &child(pointer, "items"), &item_hint)
                        .map(|l| l.ty)
                        .unwrap_or(Ty::Json)
                }
                None => Ty::Json,
            };
            Some(Ty::Vec(Box::new(item)))
        }
        SchemaKind::Type(Type::Object(ot)) if ot.properties.is_empty() => {
            Some(map_ty(cx, s, &ot.additional_properties, pointer, hint))
        }
        SchemaKind::Any(any) => any_scalar(cx, s, any, sensitive, pointer, hint),
        _ => None,
    }
}

/// `type: string` without `enum`: its `format` (or `x-sensitive`) picks the Rust type.
fn string_ty(st: &openapiv3::StringType, sensitive: bool) -> Option<Ty> {
    if !st.enumeration.is_empty() {
        return None;
    }
    if sensitive {
        return Some(Ty::Secret);
    }
    Some(match &st.format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Ty::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Ty::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Ty::Secret,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "naive-date-time" => Ty::NaiveDateTime,
        _ => Ty::String,
    })
}

/// The `allOf`s that are one type already; `None` for a real merge (a named type).
fn all_of_scalar(
    cx: &mut Cx<'_>,
    all_of: &[ReferenceOr<Schema>],
    pointer: &str,
    hint: &str,
) -> Option<Ty> {
    // `allOf: [$ref]` with a description or `nullable` beside it (the OpenAPI 3.0 way to
    // annotate a reference) is the referenced type itself.
    if all_of.len() == 1 && matches!(all_of[0], ReferenceOr::Reference { .. }) {
        let at = child(&child(pointer, "allOf"), "0");
        return match &all_of[0] {
            ReferenceOr::Reference { reference } => {
                resolve_schema_ref(cx, reference, &at).map(|l| l.ty)
            }
            ReferenceOr::Item(_) => None,
        };
    }
    // `allOf: [{description: ...}, $ref]`: parts that only annotate add nothing.
    if all_of.len() > 1
        && all_of.iter().filter(|p| !annotation_only(p)).count() == 1
        && all_of
            .iter()
            .any(|p| matches!(p, ReferenceOr::Reference { .. }))
    {
        let (i, part) = all_of
            .iter()
            .enumerate()
            .find(|(_, p)| !annotation_only(p))?;
        return match part {
            ReferenceOr::Reference { reference } => {
                let at = child(&child(pointer, "allOf"), i.to_string());
                resolve_schema_ref(cx, reference, &at).map(|l| l.ty)
            }
            ReferenceOr::Item(_) => None,
        };
    }
    // `allOf` with one inline part is that part.
    if all_of.len() == 1 {
        return match &all_of[0] {
            ReferenceOr::Item(part) => {
                let at = child(&child(pointer, "allOf"), "0");
                scalar(cx, part, &at, hint)
            }
            ReferenceOr::Reference { .. } => None,
        };
    }
    None
}

/// An object without properties: an `x-row`, else a map of its `additionalProperties`.
fn map_ty(
    cx: &mut Cx<'_>,
    s: &Schema,
    additional: &Option<AdditionalProperties>,
    pointer: &str,
    hint: &str,
) -> Ty {
    if let Some(row) = x_row(cx, s, pointer) {
        return row.unwrap_or(Ty::Json);
    }
    Ty::Map(Box::new(
        lower_additional(cx, additional, pointer, hint).unwrap_or(Ty::Json),
    ))
}

/// A schema openapiv3 could not read as one `type`: a scalar, a map, or any JSON, when it has
/// no properties, alternatives or `enum`; else `None` (a named type).
fn any_scalar(
    cx: &mut Cx<'_>,
    s: &Schema,
    any: &openapiv3::AnySchema,
    sensitive: bool,
    pointer: &str,
    hint: &str,
) -> Option<Ty> {
    if !(any.properties.is_empty()
        && any.one_of.is_empty()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.enumeration.is_empty())
    {
        return None;
    }
    // A scalar `type` with keywords of another type beside it (`type: string` with
    // `minimum`) is read loosely by openapiv3; the `type` decides.
    if matches!(
        any.typ.as_deref(),
        Some("string" | "integer" | "number" | "boolean")
    ) {
        return Some(match (any.typ.as_deref(), any.format.as_deref()) {
            (Some("string"), _) if sensitive => Ty::Secret,
            (Some("string"), Some("date-time")) => Ty::DateTime,
            (Some("string"), Some("date")) => Ty::Date,
            (Some("string"), Some("password")) => Ty::Secret,
            (Some("string"), _) => Ty::String,
            (Some("integer"), Some("int32")) => Ty::I32,
            (Some("integer"), _) => Ty::I64,
            (Some("number"), Some("float")) => Ty::F32,
            (Some("number"), _) => Ty::F64,
            _ => Ty::Bool,
        });
    }
    if any.additional_properties.is_some() || any.typ.as_deref() == Some("object") {
        Some(map_ty(cx, s, &any.additional_properties, pointer, hint))
    } else {
        Some(Ty::Json)
    }
}
