//! Schemas to types: component schemas get their Rust names first, then each schema (component
//! or inline) becomes a [`Ty`], defining a named [`TypeDef`] where one is needed.

pub(super) mod all_of;
pub(super) mod enums;
pub(super) mod lenient;
pub(super) mod object;
pub(super) mod recursion;
pub(super) mod scalar;
pub(super) mod union;

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use crate::lower::cx::Cx;
use crate::lower::schema::all_of::lower_all_of;
use crate::lower::schema::enums::{int_enum, string_enum};
use crate::lower::schema::lenient::{lenient_nullable, lenient_struct, plain_lenient};
use crate::lower::schema::object::{fields, lower_additional, x_row};
use crate::lower::schema::scalar::{is_lenient, scalar};
use crate::lower::schema::union::{lower_one_of, open_enum_nullable};
use crate::model::{Ty, TypeDef, TypeKind};
use crate::names::pascal;
use crate::source::child;

/// Nullability travels beside the type: it belongs to the field, not to the Rust type.
pub(in crate::lower) struct Lowered {
    pub(in crate::lower) ty: Ty,
    pub(in crate::lower) nullable: bool,
}

pub(in crate::lower) fn doc_of(s: &Schema) -> Option<String> {
    s.schema_data
        .description
        .clone()
        .or_else(|| s.schema_data.title.clone())
}

pub(in crate::lower) fn rust_name_ext(ext: &IndexMap<String, serde_json::Value>) -> Option<String> {
    ext.get("x-rust-name")
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Decodes a JSON pointer token (RFC 6901).
pub(in crate::lower) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

pub(in crate::lower) fn name_components(cx: &mut Cx<'_>) {
    let Some(components) = &cx.doc.components else {
        return;
    };
    for (key, schema) in &components.schemas {
        let pointer = child("#/components/schemas", key);
        let explicit = match schema {
            ReferenceOr::Item(s) => rust_name_ext(&s.schema_data.extensions),
            ReferenceOr::Reference { .. } => None,
        };
        if let Some(name) = explicit {
            if cx.claim_type(&name, &pointer) {
                cx.component_names.insert(key.clone(), name);
            }
            continue;
        }
        let name = match pascal(key) {
            Some(n) => n,
            None => {
                cx.err(&pointer, format!("schema name `{key}` has no letters or digits to make a Rust type name from"));
                continue;
            }
        };
        let name = cx.claim_auto(&name, &pointer);
        cx.component_names.insert(key.clone(), name);
    }
}

pub(in crate::lower) fn lower_components(cx: &mut Cx<'_>) {
    let Some(components) = &cx.doc.components else {
        return;
    };
    for (key, schema) in &components.schemas {
        let Some(name) = cx.component_names.get(key).cloned() else {
            continue;
        };
        let pointer = child("#/components/schemas", key);
        match schema {
            ReferenceOr::Reference { reference } => {
                if let Some(target) = resolve_schema_ref(cx, reference, &pointer) {
                    cx.push_type(TypeDef {
                        name,
                        doc: None,
                        pointer,
                        kind: TypeKind::Alias(target.ty),
                    });
                }
            }
            ReferenceOr::Item(s) => {
                if let Some(kind) = define(cx, s, &pointer, &name) {
                    cx.push_type(TypeDef {
                        name,
                        doc: doc_of(s),
                        pointer,
                        kind,
                    });
                }
            }
        }
    }
}

/// The Rust type for `#/components/schemas/X`.
pub(in crate::lower) fn resolve_schema_ref(
    cx: &mut Cx<'_>,
    reference: &str,
    pointer: &str,
) -> Option<Lowered> {
    let Some(key) = reference.strip_prefix("#/components/schemas/") else {
        cx.err_help(
            &child(pointer, "$ref"),
            format!("unsupported reference `{reference}`"),
            "schemas may only refer to `#/components/schemas/<Name>` in the same file",
        );
        return None;
    };
    let key = unescape(key);
    let Some(target) = cx.doc.components.as_ref().and_then(|c| c.schemas.get(&key)) else {
        if cx.lenient() {
            // Someone else's spec names a schema it never defines (DocuSign's eSignature spec
            // has three): its values are kept as any JSON value rather than the spec refused.
            cx.warn(
                &child(pointer, "$ref"),
                format!("`$ref` target `{reference}` does not exist: read as any JSON value"),
            );
            return Some(Lowered {
                ty: Ty::Json,
                nullable: false,
            });
        }
        cx.err_help(
            &child(pointer, "$ref"),
            format!("`$ref` target `{reference}` does not exist"),
            format!("define `{key}` under components.schemas, or fix the name"),
        );
        return None;
    };
    let name = cx.component_names.get(&key)?.clone();
    let (nullable, lenient) = match target {
        ReferenceOr::Item(s) => (nullable_of(s), is_lenient(s)),
        ReferenceOr::Reference { .. } => (false, false),
    };
    // A lenient component is lenient wherever it is used.
    let ty = if lenient {
        Ty::Lenient(Box::new(Ty::Named(name)))
    } else {
        Ty::Named(name)
    };
    Some(Lowered { ty, nullable })
}

/// The schema a `$ref` names, following chains of references.
pub(in crate::lower) fn deref_schema<'a, 's>(
    cx: &mut Cx<'a>,
    mut r: &'s ReferenceOr<Schema>,
    pointer: &str,
) -> Option<(&'s Schema, String)>
where
    'a: 's,
{
    let mut seen = HashSet::new();
    loop {
        match r {
            ReferenceOr::Item(s) => return Some((s, pointer.to_string())),
            ReferenceOr::Reference { reference } => {
                let key = match reference.strip_prefix("#/components/schemas/") {
                    Some(k) => unescape(k),
                    None => {
                        cx.err(
                            &child(pointer, "$ref"),
                            format!("unsupported reference `{reference}`"),
                        );
                        return None;
                    }
                };
                if !seen.insert(key.clone()) {
                    cx.err(
                        &child(pointer, "$ref"),
                        format!("`$ref` cycle through `{reference}`"),
                    );
                    return None;
                }
                match cx.doc.components.as_ref().and_then(|c| c.schemas.get(&key)) {
                    Some(next) => r = next,
                    None => {
                        cx.err_help(
                            &child(pointer, "$ref"),
                            format!("`$ref` target `{reference}` does not exist"),
                            format!("define `{key}` under components.schemas, or fix the name"),
                        );
                        return None;
                    }
                }
            }
        }
    }
}

/// Lowers a schema used in place (field, item, parameter, body); inline objects, enums and
/// unions become named types called `hint`.
pub(in crate::lower) fn lower_schema(
    cx: &mut Cx<'_>,
    r: &ReferenceOr<Schema>,
    pointer: &str,
    hint: &str,
) -> Option<Lowered> {
    match r {
        ReferenceOr::Reference { reference } => resolve_schema_ref(cx, reference, pointer),
        ReferenceOr::Item(s) => lower_inline(cx, s, pointer, hint),
    }
}

pub(in crate::lower) fn lower_boxed(
    cx: &mut Cx<'_>,
    r: &ReferenceOr<Box<Schema>>,
    pointer: &str,
    hint: &str,
) -> Option<Lowered> {
    match r {
        ReferenceOr::Reference { reference } => resolve_schema_ref(cx, reference, pointer),
        ReferenceOr::Item(s) => lower_inline(cx, s, pointer, hint),
    }
}

/// Whether a schema allows `null`: `nullable: true`, or, in an `anyOf` whose branches make one
/// Rust type (`x-lenient`, an open enum), a `nullable` branch (OpenAPI 3.0.3 applies
/// `nullable` only beside `type`, so that is where such a schema says it).
fn nullable_of(s: &Schema) -> bool {
    s.schema_data.nullable || lenient_nullable(s) || open_enum_nullable(s)
}

fn lower_inline(cx: &mut Cx<'_>, s: &Schema, pointer: &str, hint: &str) -> Option<Lowered> {
    let nullable = nullable_of(s);
    // A lenient struct is no scalar; `define` checks its `anyOf` (once) and defines it, and
    // it is read leniently here as where a lenient component is used.
    let lenient = lenient_struct(s).is_some();
    let named = |name: String| {
        if lenient {
            Ty::Lenient(Box::new(Ty::Named(name)))
        } else {
            Ty::Named(name)
        }
    };
    if !lenient {
        if let Some(ty) = scalar(cx, s, pointer, hint) {
            return Some(Lowered { ty, nullable });
        }
    }
    // Needs a named type: the one already defined for this schema, when it is reached again.
    if let Some(name) = cx.inline_types.get(pointer) {
        return Some(Lowered {
            ty: named(name.clone()),
            nullable,
        });
    }
    let name = match rust_name_ext(&s.schema_data.extensions) {
        Some(explicit) => {
            if !cx.claim_type(&explicit, pointer) {
                return None;
            }
            explicit
        }
        None => cx.claim_auto(hint, pointer),
    };
    let kind = define(cx, s, pointer, &name)?;
    cx.inline_types.insert(pointer.to_string(), name.clone());
    cx.push_type(TypeDef {
        name: name.clone(),
        doc: doc_of(s),
        pointer: pointer.to_string(),
        kind,
    });
    Some(Lowered {
        ty: named(name),
        nullable,
    })
}

/// Defines the named type `name` for schema `s`.
pub(in crate::lower) fn define(
    cx: &mut Cx<'_>,
    s: &Schema,
    pointer: &str,
    name: &str,
) -> Option<TypeKind> {
    if let Some(ty) = scalar(cx, s, pointer, name) {
        return Some(TypeKind::Alias(ty));
    }
    // A lenient struct (`anyOf: [<object>, {type: array, maxItems: 0}]`): the struct of its
    // first branch, decoded leniently where it is used (`resolve_schema_ref`).
    if let Some(object) = lenient_struct(s) {
        return define(cx, object, &child(&child(pointer, "anyOf"), "0"), name);
    }
    if is_lenient(s) && matches!(s.schema_kind, SchemaKind::Type(Type::Object(_))) {
        plain_lenient(cx, &Ty::Named(name.to_string()), pointer);
    }
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => string_enum(cx, &st.enumeration, pointer),
        SchemaKind::Type(Type::Integer(it)) => {
            let values: Vec<i64> = it.enumeration.iter().flatten().copied().collect();
            int_enum(cx, &values, &s.schema_data.extensions, pointer)
        }
        SchemaKind::Type(Type::Object(ot)) => {
            let fields = fields(cx, &ot.properties, &ot.required, pointer, name);
            let additional = match (x_row(cx, s, pointer), &ot.additional_properties) {
                (Some(row), _) => row,
                (None, Some(AdditionalProperties::Any(false)) | None) => None,
                (None, ap) => lower_additional(cx, ap, pointer, name),
            };
            Some(TypeKind::Struct { fields, additional })
        }
        SchemaKind::OneOf { one_of } => lower_one_of(cx, one_of, s, pointer, name, "oneOf"),
        SchemaKind::AnyOf { any_of } => lower_one_of(cx, any_of, s, pointer, name, "anyOf"),
        SchemaKind::AllOf { all_of }
            if all_of.len() == 1 && matches!(all_of[0], ReferenceOr::Item(_)) =>
        {
            match &all_of[0] {
                ReferenceOr::Item(part) => {
                    define(cx, part, &child(&child(pointer, "allOf"), "0"), name)
                }
                ReferenceOr::Reference { .. } => None,
            }
        }
        SchemaKind::AllOf { all_of } => lower_all_of(cx, all_of, pointer, name),
        SchemaKind::Not { .. } => {
            cx.err_help(
                pointer,
                "`not` schemas are not supported",
                "describe the allowed shape instead",
            );
            None
        }
        SchemaKind::Any(any) => {
            if !any.one_of.is_empty() {
                lower_one_of(cx, &any.one_of, s, pointer, name, "oneOf")
            } else if !any.any_of.is_empty() {
                lower_one_of(cx, &any.any_of, s, pointer, name, "anyOf")
            } else if !any.all_of.is_empty() {
                lower_all_of(cx, &any.all_of, pointer, name)
            } else if !any.properties.is_empty() {
                let fields = fields(cx, &any.properties, &any.required, pointer, name);
                let additional = match (x_row(cx, s, pointer), &any.additional_properties) {
                    (Some(row), _) => row,
                    (None, Some(AdditionalProperties::Any(false)) | None) => None,
                    (None, ap) => lower_additional(cx, ap, pointer, name),
                };
                Some(TypeKind::Struct { fields, additional })
            } else if !any.enumeration.is_empty() {
                let values: Vec<Option<String>> = any
                    .enumeration
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect();
                if values.iter().all(Option::is_some) {
                    string_enum(cx, &values, pointer)
                } else {
                    Some(TypeKind::Alias(Ty::Json))
                }
            } else {
                Some(TypeKind::Alias(Ty::Json))
            }
        }
        SchemaKind::Type(_) => Some(TypeKind::Alias(Ty::Json)),
    }
}
