//! `oneOf` to tagged and untagged unions: discriminators, implicit tags, string alternatives.

use std::collections::{HashMap, HashSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::lower::cx::Cx;
use crate::lower::rename;
use crate::lower::schema::enums::{int_enum_labelled, string_enum, string_enum_labelled, Label};
use crate::lower::schema::scalar::is_lenient;
use crate::lower::schema::{deref_schema, lower_schema, unescape};
use crate::model::{Ty, TypeKind, Variant};
use crate::names::pascal;
use crate::source::child;

fn ty_variant_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Secret => "Secret".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::NaiveDateTime => "NaiveDateTime".into(),
        Ty::EpochMillis => "EpochMillis".into(),
        Ty::EpochSeconds => "EpochSeconds".into(),
        Ty::Lenient(inner) => ty_variant_name(inner),
        Ty::Bool => "Bool".into(),
        Ty::I32 | Ty::I64 => "Integer".into(),
        Ty::F32 | Ty::F64 => "Number".into(),
        Ty::Json => "Json".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Stream => "Stream".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(_) => "List".into(),
        Ty::Map(_) => "Map".into(),
        Ty::Row(..) => "Row".into(),
        Ty::Envelope(inner, _) => ty_variant_name(inner),
    }
}

/// A `oneOf`/`anyOf` being lowered: where it is, its type's name, and how its alternatives
/// are told apart.
struct Union<'u> {
    pointer: &'u str,
    name: &'u str,
    /// `oneOf` or `anyOf`.
    key: &'u str,
    /// The tag property (`discriminator`, or the implicit one).
    tag: Option<String>,
    /// The implicit tag property and each alternative's value of it.
    implicit: Option<(String, Vec<String>)>,
    /// With a discriminator, each alternative's value of it ([`tag_value_of`]), found once.
    tag_values: Vec<Option<String>>,
}

pub(in crate::lower) fn lower_one_of(
    cx: &mut Cx<'_>,
    items: &[ReferenceOr<Schema>],
    s: &Schema,
    pointer: &str,
    name: &str,
    key: &str,
) -> Option<TypeKind> {
    if items.is_empty() {
        cx.err(pointer, format!("`{key}` has no alternatives"));
        return None;
    }
    let disc = s.schema_data.discriminator.as_ref();
    if disc.is_none() && key == "anyOf" {
        if let Some(open) = open_enum(items) {
            // Known values, any other string allowed: the open enum every string enum is.
            let at = child(&child(pointer, key), open.at.to_string());
            return string_enum(cx, open.values, &at);
        }
    }
    if disc.is_none() {
        if let Some(constants) = constant_alternatives(items) {
            return constants_enum(cx, constants, pointer);
        }
        if let Some(values) = string_alternatives(items, pointer, key) {
            // A union of string enums (or constants) is one string enum.
            return string_enum(cx, &values, pointer);
        }
    }
    // Without `discriminator`, alternatives that are objects each fixing the same required
    // property to a different single value are internally tagged by that property.
    let implicit = if disc.is_none() {
        implicit_tag(cx, items, pointer, key)
    } else {
        None
    };
    let mut mapping: HashMap<String, String> = HashMap::new();
    if let Some(d) = disc {
        for (value, target) in &d.mapping {
            let key = target
                .strip_prefix("#/components/schemas/")
                .map(unescape)
                .unwrap_or_else(|| target.clone());
            mapping.insert(key, value.clone());
        }
    }
    let mut tag_values: Vec<Option<String>> = match disc {
        Some(d) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = child(&child(pointer, key), i.to_string());
                tag_value_of(cx, item, &at, &d.property_name, &mapping)
            })
            .collect(),
        None => Vec::new(),
    };
    let mut disc = disc;
    if let Some(d) = disc.filter(|_| cx.lenient()) {
        // Someone else's spec: alternatives the tag cannot tell apart (an inline one without a
        // value of it, a union nested in it, a `$recursiveRef`; two with the same value) make
        // the union untagged, each alternative tried in order, rather than a refused spec.
        if let Some((i, why)) = untaggable(&tag_values, &d.property_name) {
            cx.warn(
                &child(&child(pointer, key), i.to_string()),
                format!("{why}: the `{key}` is read untagged, each alternative tried in order"),
            );
            disc = None;
            tag_values.clear();
        }
    }
    let tag = disc
        .map(|d| d.property_name.clone())
        .or_else(|| implicit.as_ref().map(|(p, _)| p.clone()));
    let union = Union {
        pointer,
        name,
        key,
        tag,
        implicit,
        tag_values,
    };
    let mut variants = Vec::new();
    let mut seen = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        variants.extend(one_of_variant(cx, &union, i, item, &mut seen));
    }
    Some(TypeKind::OneOf {
        tag: union.tag,
        variants,
        rejected: Vec::new(),
    })
}

/// The tag value of alternative `item`: its `mapping` entry, else the one value it fixes the
/// tag property `tag` to, else (a `$ref`) its schema's name, as OpenAPI says; an inline
/// alternative that fixes none has none.
fn tag_value_of(
    cx: &mut Cx<'_>,
    item: &ReferenceOr<Schema>,
    at: &str,
    tag: &str,
    mapping: &HashMap<String, String>,
) -> Option<String> {
    let schema_key = match item {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .map(unescape),
        ReferenceOr::Item(_) => None,
    };
    if let Some(v) = schema_key.as_ref().and_then(|k| mapping.get(k)) {
        return Some(v.clone());
    }
    fixed_tag(cx, item, at, tag).or(schema_key)
}

/// The first alternative the tag cannot tell from the others (by their `values` of `tag`), and
/// why.
fn untaggable(values: &[Option<String>], tag: &str) -> Option<(usize, String)> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, value) in values.iter().enumerate() {
        let Some(value) = value else {
            return Some((
                i,
                format!("this alternative fixes no value of the discriminator `{tag}`"),
            ));
        };
        if let Some(first) = seen.insert(value, i) {
            return Some((
                i,
                format!("this alternative has the discriminator value `{value}`, as alternative {first} does"),
            ));
        }
    }
    None
}

/// Alternative `i` of a union to its variant: the type, the Rust name, the tag value.
fn one_of_variant(
    cx: &mut Cx<'_>,
    u: &Union<'_>,
    i: usize,
    item: &ReferenceOr<Schema>,
    seen: &mut HashSet<String>,
) -> Option<Variant> {
    let (name, key) = (u.name, u.key);
    let at = child(&child(u.pointer, key), i.to_string());
    let implicit_value = u.implicit.as_ref().map(|(_, values)| values[i].clone());
    let title = match item {
        ReferenceOr::Item(s) => s.schema_data.title.as_deref().and_then(pascal),
        ReferenceOr::Reference { .. } => None,
    };
    let hint = match (&implicit_value, &title) {
        (Some(v), _) => format!(
            "{name}{}",
            pascal(v).unwrap_or_else(|| format!("Variant{}", i + 1))
        ),
        (None, Some(t)) => format!("{name}{t}"),
        (None, None) => format!("{name}Variant{}", i + 1),
    };
    let l = lower_schema(cx, item, &at, &hint)?;
    // Without a mapping, a referenced schema's value is its name (OpenAPI's rule), unless it
    // fixes the tag property to one value, the only one that validates. An inline alternative
    // has no name: it must fix the value.
    let tag_value = match &u.tag {
        _ if implicit_value.is_some() => implicit_value,
        Some(t) => match u.tag_values.get(i).cloned().flatten() {
            Some(v) => Some(v),
            None => {
                cx.err_help(&at, format!("a `{key}` with discriminator `{t}` needs each alternative to be a `$ref` to a named schema, or to fix `{t}` to one value"), format!("move the inline alternative into components.schemas, or give its `{t}` property an `enum` of one value"));
                return None;
            }
        },
        None => None,
    };
    let Some(rust) = variant_name(tag_value.as_deref(), title, &l.ty, name) else {
        cx.err(&at, "cannot make a Rust variant name for this alternative");
        return None;
    };
    let rust = if seen.contains(&rust) && cx.lenient() {
        // A published spec: the later alternative is named by its position, with a warning.
        let free = rename::suffixed(rust.clone(), i, |n| seen.contains(n));
        cx.warn(
            &at,
            format!("this alternative would become the Rust variant `{rust}`, as an earlier one does: named `{free}`"),
        );
        free
    } else {
        rust
    };
    if !seen.insert(rust.clone()) {
        cx.err_help(
            &at,
            format!("two alternatives both become the Rust variant `{rust}`"),
            "give the alternatives distinct schema names or discriminator values",
        );
        return None;
    }
    if let (Some(t), Ty::Named(n)) = (&u.tag, &l.ty) {
        cx.drop_tag.push((n.clone(), t.clone()));
    }
    Some(Variant {
        rust,
        ty: l.ty,
        tag_value,
        boxed: false,
        keeps_tag: false,
    })
}

/// The Rust name of a variant: from its tag value, else its `title`, else its type (a type
/// named after the union loses the union's name as a prefix).
fn variant_name(
    tag_value: Option<&str>,
    title: Option<String>,
    ty: &Ty,
    name: &str,
) -> Option<String> {
    match (tag_value, ty) {
        (Some(v), _) => pascal(v),
        (None, _) if title.is_some() => title,
        (None, Ty::Named(n)) => Some(
            n.strip_prefix(name)
                .filter(|r| pascal(r).as_deref() == Some(*r))
                .unwrap_or(n)
                .to_string(),
        ),
        (None, ty) => Some(ty_variant_name(ty)),
    }
}

/// The open-enum idiom `anyOf: [{type: string, enum: [...]}, {type: string}]` (in either
/// order): one inline string enum and one plain string, nothing else. The generated enum keeps
/// values it does not know (`Unknown(String)`), which is exactly what the idiom says; a plain
/// string with a `format`, `pattern`, length bound or `x-` extension is not plain, and the
/// `anyOf` stays a union.
pub(in crate::lower) struct OpenEnum<'s> {
    /// The index of the enum branch.
    pub(in crate::lower) at: usize,
    /// The known values.
    pub(in crate::lower) values: &'s [Option<String>],
    /// Whether the plain branch is `nullable` (OpenAPI 3.0.3 applies `nullable` only beside
    /// `type`, so a nullable open enum says it there).
    pub(in crate::lower) nullable: bool,
}

pub(in crate::lower) fn open_enum(items: &[ReferenceOr<Schema>]) -> Option<OpenEnum<'_>> {
    let [ReferenceOr::Item(a), ReferenceOr::Item(b)] = items else {
        return None;
    };
    fn string(s: &Schema) -> Option<&openapiv3::StringType> {
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) if s.schema_data.extensions.is_empty() => Some(st),
            _ => None,
        }
    }
    let (sa, sb) = (string(a)?, string(b)?);
    let plain = |st: &openapiv3::StringType| *st == openapiv3::StringType::default();
    // An enum branch that is nullable would need `null` among its values: not this idiom.
    let known = |s: &Schema, st: &openapiv3::StringType| {
        !s.schema_data.nullable
            && !st.enumeration.is_empty()
            && st.enumeration.iter().all(Option::is_some)
            && plain(&openapiv3::StringType {
                enumeration: Vec::new(),
                ..st.clone()
            })
    };
    match (known(a, sa), known(b, sb)) {
        (true, false) if plain(sb) => Some(OpenEnum {
            at: 0,
            values: &sa.enumeration,
            nullable: b.schema_data.nullable,
        }),
        (false, true) if plain(sa) => Some(OpenEnum {
            at: 1,
            values: &sb.enumeration,
            nullable: a.schema_data.nullable,
        }),
        _ => None,
    }
}

/// Whether `s` is the open-enum idiom with a nullable plain branch.
pub(in crate::lower) fn open_enum_nullable(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::AnyOf { any_of } if s.schema_data.discriminator.is_none() => {
            open_enum(any_of).is_some_and(|o| o.nullable)
        }
        _ => false,
    }
}

/// The alternatives of a `oneOf` of constants, each with its label: JSON Schema's way of naming
/// enum values (`oneOf: [{title: NORMAL, const: 0, description: ...}, ...]`, as Discord's spec
/// writes every enum; `const` is read as an `enum` of one).
enum Constants {
    Strings(Vec<Option<String>>, Vec<Label>),
    Integers(Vec<i64>, Vec<Label>),
}

/// Each alternative an inline schema of one string or integer value and nothing else but a
/// title and a description (and the type), the values all of one kind and all different.
fn constant_alternatives(items: &[ReferenceOr<Schema>]) -> Option<Constants> {
    let mut strings = Vec::new();
    let mut integers = Vec::new();
    let mut labels = Vec::new();
    for item in items {
        let ReferenceOr::Item(s) = item else {
            return None;
        };
        let value: serde_json::Value = match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 => {
                serde_json::Value::from(st.enumeration[0].clone()?)
            }
            SchemaKind::Type(Type::Integer(it)) if it.enumeration.len() == 1 => {
                serde_json::Value::from(it.enumeration[0]?)
            }
            SchemaKind::Any(any) if any.enumeration.len() == 1 && only_enum(any) => {
                any.enumeration[0].clone()
            }
            _ => return None,
        };
        match value {
            serde_json::Value::String(v) if !strings.contains(&Some(v.clone())) => {
                strings.push(Some(v))
            }
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(v) if !integers.contains(&v) => integers.push(v),
                _ => return None,
            },
            _ => return None,
        }
        labels.push(Label {
            name: s.schema_data.title.clone(),
            doc: s.schema_data.description.clone(),
        });
    }
    match (strings.is_empty(), integers.is_empty()) {
        (false, true) => Some(Constants::Strings(strings, labels)),
        (true, false) => Some(Constants::Integers(integers, labels)),
        _ => None,
    }
}

/// An untyped schema that says nothing but its `enum` (and annotations).
fn only_enum(any: &openapiv3::AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.items.is_none()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
        && any.all_of.is_empty()
        && any.not.is_none()
        && any.format.is_none()
}

/// A `oneOf` of constants as one enum: variants named after the titles when every constant
/// has a distinct one (else after the string values), documented with their descriptions.
/// Integers without a title for each are an integer, with the values in the docs' place:
/// there is nothing to name a variant after.
fn constants_enum(cx: &mut Cx<'_>, constants: Constants, pointer: &str) -> Option<TypeKind> {
    let named = |labels: &[Label]| {
        let names: HashSet<Option<String>> = labels
            .iter()
            .map(|l| l.name.as_deref().and_then(pascal))
            .collect();
        names.len() == labels.len() && !names.contains(&None)
    };
    // (A diagnostic about one value points at the schema: the values are under `oneOf`.)
    match constants {
        Constants::Strings(values, mut labels) => {
            if !named(&labels) {
                for label in &mut labels {
                    label.name = None;
                }
            }
            string_enum_labelled(cx, &values, &labels, pointer)
        }
        Constants::Integers(values, labels) if named(&labels) => {
            int_enum_labelled(cx, &values, &labels, pointer, pointer)
        }
        Constants::Integers(..) => Some(TypeKind::Alias(Ty::I64)),
    }
}

/// The values of a `oneOf`/`anyOf` whose alternatives are all string enums.
fn string_alternatives(
    items: &[ReferenceOr<Schema>],
    pointer: &str,
    key: &str,
) -> Option<Vec<Option<String>>> {
    let _ = (pointer, key);
    let mut values = Vec::new();
    for item in items {
        let ReferenceOr::Item(s) = item else {
            return None;
        };
        let SchemaKind::Type(Type::String(st)) = &s.schema_kind else {
            return None;
        };
        if st.enumeration.is_empty() || is_lenient(s) {
            return None;
        }
        values.extend(st.enumeration.iter().cloned());
    }
    // The same value twice would be one variant: then this is not a plain enum.
    let mut seen = HashSet::new();
    values
        .iter()
        .flatten()
        .all(|v| seen.insert(v.clone()))
        .then_some(values)
}

/// The string properties alternative `item` (inline or `$ref`) fixes to one value (`enum` of
/// one, as `const` is read), each with whether it is required; `None` when it is not an object.
fn fixed_properties(
    cx: &mut Cx<'_>,
    item: &ReferenceOr<Schema>,
    at: &str,
) -> Option<Vec<(String, String, bool)>> {
    let n = cx.diags.len();
    let resolved = deref_schema(cx, item, at);
    // A broken reference is reported where the alternative is lowered.
    cx.diags.truncate(n);
    let (schema, _) = resolved?;
    let (props, required) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
        SchemaKind::Any(a) if a.all_of.is_empty() && a.one_of.is_empty() => {
            (&a.properties, &a.required)
        }
        // An object made of parts (`allOf: [{$ref: Event}, {properties: ...}]`): what its
        // parts fix, a part's required properties being required of the whole.
        SchemaKind::AllOf { all_of } => {
            let mut fixed = Vec::new();
            for (i, part) in all_of.iter().enumerate() {
                let part_at = child(&child(at, "allOf"), i.to_string());
                fixed.extend(fixed_properties(cx, part, &part_at)?);
            }
            return Some(fixed);
        }
        _ => return None,
    };
    let mut fixed = Vec::new();
    for (p, ps) in props {
        let ReferenceOr::Item(ps) = ps else { continue };
        let value = match &ps.schema_kind {
            SchemaKind::Type(Type::String(st)) => match st.enumeration.as_slice() {
                [Some(v)] => Some(v.clone()),
                _ => None,
            },
            SchemaKind::Any(any) => match any.enumeration.as_slice() {
                [serde_json::Value::String(v)] => Some(v.clone()),
                _ => None,
            },
            _ => None,
        };
        if let Some(v) = value {
            fixed.push((p.clone(), v, required.contains(p)));
        }
    }
    Some(fixed)
}

/// The value alternative `item` fixes its tag property `tag` to, if it fixes one.
fn fixed_tag(cx: &mut Cx<'_>, item: &ReferenceOr<Schema>, at: &str, tag: &str) -> Option<String> {
    fixed_properties(cx, item, at)?
        .into_iter()
        .find(|(p, _, _)| p == tag)
        .map(|(_, v, _)| v)
}

/// The property and per-alternative values of a `oneOf` tagged without `discriminator`:
/// every alternative an object (inline or `$ref`) with the same required string property
/// fixed to one value (`enum` of one), the values all different.
fn implicit_tag(
    cx: &mut Cx<'_>,
    items: &[ReferenceOr<Schema>],
    pointer: &str,
    key: &str,
) -> Option<(String, Vec<String>)> {
    if items.is_empty() {
        return None;
    }
    let mut per_item: Vec<Vec<(String, String)>> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = child(&child(pointer, key), i.to_string());
        let fixed = fixed_properties(cx, item, &at)?;
        per_item.push(
            fixed
                .into_iter()
                .filter(|(_, _, required)| *required)
                .map(|(p, v, _)| (p, v))
                .collect(),
        );
    }
    let first = per_item.first()?;
    for (prop, _) in first {
        let values: Option<Vec<String>> = per_item
            .iter()
            .map(|c| c.iter().find(|(p, _)| p == prop).map(|(_, v)| v.clone()))
            .collect();
        if let Some(values) = values {
            let distinct: HashSet<&String> = values.iter().collect();
            let names: HashSet<Option<String>> = values.iter().map(|v| pascal(v)).collect();
            if distinct.len() == values.len()
                && names.len() == values.len()
                && !names.contains(&None)
            {
                return Some((prop.clone(), values));
            }
        }
    }
    None
}
