//! `allOf` to one merged object: the parts' properties and required lists, collected in order.

use std::collections::HashSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use crate::lower::cx::Cx;
use crate::lower::schema::object::{fields, lower_additional};
use crate::lower::schema::{deref_schema, resolve_schema_ref, unescape};
use crate::model::TypeKind;
use crate::source::child;

static EMPTY_PROPS: std::sync::LazyLock<IndexMap<String, ReferenceOr<Box<Schema>>>> =
    std::sync::LazyLock::new(IndexMap::new);

static EMPTY_REQ: Vec<String> = Vec::new();

/// A schema that only documents (`description`, `title`, examples): no type, no constraint.
pub(in crate::lower) fn annotation_only(r: &ReferenceOr<Schema>) -> bool {
    match r {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Any(a) => *a == openapiv3::AnySchema::default(),
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// A part that only names a type, without a constraint (`{type: string}`, `{type: object}`): in
/// someone else's spec it adds nothing beside a `$ref` (see [`single_reference`]).
fn bare_type(r: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(s) = r else {
        return false;
    };
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => *t == openapiv3::StringType::default(),
        SchemaKind::Type(Type::Number(t)) => *t == openapiv3::NumberType::default(),
        SchemaKind::Type(Type::Integer(t)) => *t == openapiv3::IntegerType::default(),
        SchemaKind::Type(Type::Boolean(t)) => *t == openapiv3::BooleanType::default(),
        SchemaKind::Type(Type::Object(t)) => *t == openapiv3::ObjectType::default(),
        _ => false,
    }
}

/// In someone else's spec, an `allOf` whose only part with content is a `$ref` to a schema that
/// is not an object (an enum, a string), beside parts or siblings that only annotate or name a
/// type (`allOf: [$ref: Kind], type: object`; `allOf: [$ref: Id, {type: string}]`): there is
/// nothing to merge, so it is the referenced type, with a warning.
fn single_reference(
    cx: &mut Cx<'_>,
    parts: &[ReferenceOr<Schema>],
    pointer: &str,
) -> Option<TypeKind> {
    let mut content = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| !annotation_only(p) && !bare_type(p));
    let (Some((i, ReferenceOr::Reference { reference })), None) = (content.next(), content.next())
    else {
        return None;
    };
    let at = child(&child(pointer, "allOf"), i.to_string());
    let before = cx.diags.len();
    let (schema, _) = deref_schema(cx, &parts[i], &at)?;
    let object = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => !any.all_of.is_empty() || !any.properties.is_empty(),
        _ => false,
    };
    if object || cx.diags.len() > before {
        return None;
    }
    let ty = resolve_schema_ref(cx, reference, &at)?.ty;
    cx.warn(
        &at,
        format!("`allOf` of `{reference}`, which is not an object, with nothing else to merge: read as that schema"),
    );
    Some(TypeKind::Alias(ty))
}

/// In someone else's spec, an `allOf` of one union (`anyOf`/`oneOf` of events) and objects
/// adding properties to every alternative (`allOf: [{anyOf: [...]}, {properties: {stream_id}}]`):
/// the union, with a warning naming the added properties, which the alternatives' types do not
/// hold (a received value keeps decoding; those properties are not read).
fn union_with_extras(
    cx: &mut Cx<'_>,
    parts: &[ReferenceOr<Schema>],
    pointer: &str,
    name: &str,
) -> Option<TypeKind> {
    let mut union = None;
    let mut extras: Vec<String> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let at = child(&child(pointer, "allOf"), i.to_string());
        if annotation_only(part) {
            continue;
        }
        let before = cx.diags.len();
        let resolved = deref_schema(cx, part, &at);
        cx.diags.truncate(before);
        let (schema, _) = resolved?;
        let alternatives = match &schema.schema_kind {
            SchemaKind::OneOf { one_of } => Some((one_of, "oneOf")),
            SchemaKind::AnyOf { any_of } => Some((any_of, "anyOf")),
            _ => None,
        };
        match (alternatives, &schema.schema_kind) {
            (Some(found), _) if union.is_none() => union = Some((i, schema, found)),
            (None, SchemaKind::Type(Type::Object(ot))) => {
                extras.extend(ot.properties.keys().cloned())
            }
            (None, SchemaKind::Any(any))
                if any.one_of.is_empty() && any.any_of.is_empty() && any.all_of.is_empty() =>
            {
                extras.extend(any.properties.keys().cloned())
            }
            _ => return None,
        }
    }
    let (i, schema, (alternatives, key)) = union?;
    let at = child(&child(pointer, "allOf"), i.to_string());
    let shown: Vec<String> = extras.iter().map(|p| format!("`{p}`")).collect();
    cx.warn(
        &at,
        if shown.is_empty() {
            "`allOf` of a union and nothing to add to it: read as the union".to_string()
        } else {
            format!(
                "`allOf` of a union and properties for every alternative ({}): read as the union, without them",
                shown.join(", ")
            )
        },
    );
    match &parts[i] {
        // A named union is that type.
        ReferenceOr::Reference { reference } => {
            Some(TypeKind::Alias(resolve_schema_ref(cx, reference, &at)?.ty))
        }
        ReferenceOr::Item(_) => {
            crate::lower::schema::union::lower_one_of(cx, alternatives, schema, &at, name, key)
        }
    }
}

pub(in crate::lower) fn lower_all_of(
    cx: &mut Cx<'_>,
    parts: &[ReferenceOr<Schema>],
    pointer: &str,
    name: &str,
) -> Option<TypeKind> {
    if cx.lenient() {
        if let Some(kind) = single_reference(cx, parts, pointer) {
            return Some(kind);
        }
        if let Some(kind) = union_with_extras(cx, parts, pointer, name) {
            return Some(kind);
        }
    }
    let mut props: IndexMap<String, ReferenceOr<Box<Schema>>> = IndexMap::new();
    let mut required: Vec<String> = Vec::new();
    let mut additional = None;
    collect_all_of(
        cx,
        parts,
        pointer,
        &mut props,
        &mut required,
        &mut additional,
        &mut HashSet::new(),
    )?;
    let fields = fields(cx, &props, &required, pointer, name);
    let additional = match &additional {
        Some(AdditionalProperties::Any(false)) | None => None,
        ap => lower_additional(cx, ap, pointer, name),
    };
    Some(TypeKind::Struct { fields, additional })
}

fn collect_all_of(
    cx: &mut Cx<'_>,
    parts: &[ReferenceOr<Schema>],
    pointer: &str,
    props: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &mut Vec<String>,
    additional: &mut Option<AdditionalProperties>,
    visiting: &mut HashSet<String>,
) -> Option<()> {
    for (i, part) in parts.iter().enumerate() {
        let at = child(&child(pointer, "allOf"), i.to_string());
        if annotation_only(part) {
            continue;
        }
        if let ReferenceOr::Reference { reference } = part {
            if !visiting.insert(reference.clone()) {
                cx.err(
                    &child(&at, "$ref"),
                    format!("`allOf` includes `{reference}` inside itself"),
                );
                return None;
            }
        }
        let (schema, _) = deref_schema(cx, part, &at)?;
        // Where the part's own nodes are in the file: the referenced schema for a `$ref`.
        let src_at = match part {
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/schemas/")
                .map(|k| child("#/components/schemas", unescape(k)))
                .unwrap_or_else(|| at.clone()),
            ReferenceOr::Item(_) => at.clone(),
        };
        let (p, r, a, nested): (_, _, _, Option<&Vec<ReferenceOr<Schema>>>) = match &schema
            .schema_kind
        {
            SchemaKind::Type(Type::Object(ot)) => (
                &ot.properties,
                &ot.required,
                &ot.additional_properties,
                None,
            ),
            SchemaKind::AllOf { all_of } => (&EMPTY_PROPS, &EMPTY_REQ, &None, Some(all_of)),
            // (A part of `additionalProperties` alone is an object part too: Box's `Metadata`.)
            SchemaKind::Any(any)
                if !any.all_of.is_empty()
                    || !any.properties.is_empty()
                    || any.additional_properties.is_some() =>
            {
                (
                    &any.properties,
                    &any.required,
                    &any.additional_properties,
                    if any.all_of.is_empty() {
                        None
                    } else {
                        Some(&any.all_of)
                    },
                )
            }
            _ => {
                cx.err_help(&at, "`allOf` parts must be objects (or other `allOf`s) to be merged into one struct", "use `oneOf` for alternatives, or make each part an object");
                return None;
            }
        };
        if let Some(nested) = nested {
            collect_all_of(cx, nested, &src_at, props, required, additional, visiting)?;
        }
        merge_part(cx, &src_at, p, props);
        for r in r {
            if !required.contains(r) {
                required.push(r.clone());
            }
        }
        if a.is_some() {
            *additional = a.clone();
        }
        if let ReferenceOr::Reference { reference } = part {
            visiting.remove(reference);
        }
    }
    Some(())
}

/// Adds a part's properties to the merged ones; parts must agree on a property they share.
fn merge_part(
    cx: &mut Cx<'_>,
    src_at: &str,
    part: &IndexMap<String, ReferenceOr<Box<Schema>>>,
    props: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
) {
    for (k, v) in part {
        if let Some(prev) = props.get(k) {
            if !same_but_docs(prev, v) && cx.lenient() {
                cx.warn(
                    &child(&child(src_at, "properties"), k),
                    format!("`allOf` parts disagree on the schema of property `{k}`: the first part's is used"),
                );
                continue;
            }
            if !same_but_docs(prev, v) {
                cx.err_help(
                    &child(&child(src_at, "properties"), k),
                    format!("`allOf` parts disagree on the schema of property `{k}`"),
                    "make the parts agree, or keep the property in one part only",
                );
                continue;
            }
        }
        props.insert(k.clone(), v.clone());
    }
}

/// Whether two property schemas are the same but for what only documents them (`example`,
/// `description`, `title`): parts that repeat a property with another example agree.
fn same_but_docs(a: &ReferenceOr<Box<Schema>>, b: &ReferenceOr<Box<Schema>>) -> bool {
    fn bare(s: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Box<Schema>> {
        let mut s = s.clone();
        if let ReferenceOr::Item(s) = &mut s {
            s.schema_data.example = None;
            s.schema_data.description = None;
            s.schema_data.title = None;
        }
        s
    }
    a == b || bare(a) == bare(b)
}
