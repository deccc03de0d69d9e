//! `oneOf` to tagged and untagged unions: discriminators, implicit tags, string alternatives.

use std::collections::{HashMap, HashSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use crate::lower::cx::Cx;
use crate::lower::rename;
use crate::lower::schema::enums::string_enum;
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
    /// Schema key -> discriminator value, from `discriminator.mapping`.
    mapping: HashMap<String, String>,
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
    let tag = disc
        .map(|d| d.property_name.clone())
        .or_else(|| implicit.as_ref().map(|(p, _)| p.clone()));
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
    let union = Union {
        pointer,
        name,
        key,
        tag,
        implicit,
        mapping,
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
    let schema_key = match item {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .map(unescape),
        ReferenceOr::Item(_) => None,
    };
    let tag_value = match (&u.tag, &schema_key) {
        _ if implicit_value.is_some() => implicit_value,
        (Some(_), Some(k)) => Some(u.mapping.get(k).cloned().unwrap_or_else(|| k.clone())),
        (Some(t), None) => {
            cx.err_help(&at, format!("a `{key}` with discriminator `{t}` needs each alternative to be a `$ref` to a named schema"), "move the inline alternative into components.schemas");
            return None;
        }
        (None, _) => None,
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
        let n = cx.diags.len();
        let resolved = deref_schema(cx, item, &at);
        // A broken reference is reported where the alternative is lowered.
        cx.diags.truncate(n);
        let (schema, _) = resolved?;
        let (props, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) if a.all_of.is_empty() && a.one_of.is_empty() => {
                (&a.properties, &a.required)
            }
            _ => return None,
        };
        let mut consts = Vec::new();
        for (p, ps) in props {
            if !required.contains(p) {
                continue;
            }
            let ReferenceOr::Item(ps) = ps else { continue };
            if let SchemaKind::Type(Type::String(st)) = &ps.schema_kind {
                if let [Some(v)] = st.enumeration.as_slice() {
                    consts.push((p.clone(), v.clone()));
                }
            }
        }
        per_item.push(consts);
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
