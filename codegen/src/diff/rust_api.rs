//! The generated Rust API as a list of items with signatures, and the difference between two.
//!
//! Signatures follow what `emit` writes (method arguments, field wrappers such as `Option` and
//! `Nullable`, builder setters), close enough to compare: they are compared as text, so any
//! difference in a signature is a change.

use std::collections::BTreeMap;

use crate::model::*;

use super::{Impact, RustChange, RustChangeKind};

/// What an item is: decides how adding it is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A top-level type, a `Client` method, a builder method, a trait impl: adding one is
    /// additive.
    Item,
    /// A public field of a struct that exists on both sides: adding one breaks struct literals
    /// and exhaustive patterns.
    Field,
    /// A variant of an enum that exists on both sides: adding one breaks exhaustive `match`es.
    Variant,
    /// An associated function or setter: adding one is additive.
    Method,
}

#[derive(Debug, Clone)]
struct Item {
    kind: Kind,
    sig: String,
    /// The item this one belongs to (`Account` for `Account::email`).
    parent: Option<String>,
    deprecated: bool,
}

type Surface = BTreeMap<String, Item>;

/// The Rust text of a type.
fn rust(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Secret => "Secret".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Date => "Date".into(),
        Ty::NaiveDateTime => "NaiveDateTime".into(),
        Ty::EpochMillis => "EpochMillis".into(),
        Ty::Lenient(t) => format!("Lenient<{}>", rust(t)),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F32 => "f32".into(),
        Ty::F64 => "f64".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::Stream => "ByteStream".into(),
        Ty::Row(m, Some(d)) => format!("Row<{m}, {d}>"),
        Ty::Row(m, None) => format!("Row<{m}>"),
        Ty::Named(n) => n.clone(),
        Ty::Vec(t) => format!("Vec<{}>", rust(t)),
        Ty::Map(t) => format!("BTreeMap<String, {}>", rust(t)),
        Ty::Envelope(t, meta) => format!("Envelope<{}, {meta}>", rust(t)),
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}

/// How a method takes a parameter (as `emit` does).
fn arg(ty: &Ty, required: bool) -> String {
    let base = match ty {
        Ty::String => "&str".to_string(),
        Ty::Vec(inner) => format!("&[{}]", rust(inner)),
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 | Ty::EpochMillis => rust(ty),
        other => format!("&{}", rust(other)),
    };
    if required {
        base
    } else {
        format!("Option<{base}>")
    }
}

fn setter_arg(ty: &Ty) -> String {
    match ty {
        Ty::String => "impl Into<String>".into(),
        Ty::Secret => "impl Into<Secret>".into(),
        other => rust(other),
    }
}

fn field_ty(f: &Field) -> String {
    let t = rust(&f.ty);
    match (f.required, f.nullable) {
        (true, false) => t,
        (true, true) | (false, false) => format!("Option<{t}>"),
        (false, true) => format!("Nullable<{t}>"),
    }
}

fn output(op: &Operation) -> String {
    match &op.output {
        Output::Single(OutTy::Unit) => "()".into(),
        Output::Single(OutTy::Ty(t)) => rust(t),
        Output::Single(OutTy::Text) => "String".into(),
        Output::Single(OutTy::Bytes) => "Bytes".into(),
        Output::Single(OutTy::Stream) => "ByteStream".into(),
        Output::Enum { name, .. } => name.clone(),
    }
}

fn add(s: &mut Surface, path: String, kind: Kind, sig: String, parent: Option<&str>) {
    s.insert(
        path,
        Item {
            kind,
            sig,
            parent: parent.map(str::to_string),
            deprecated: false,
        },
    );
}

/// Every public item `emit` writes for `api`, by path.
fn surface(api: &Api) -> Surface {
    let mut s = Surface::new();
    for op in &api.operations {
        let mut args: Vec<String> = vec!["&self".into()];
        for p in &op.params {
            args.push(format!("{}: {}", p.rust, arg(&p.ty, p.required)));
        }
        if let Some(ps) = &op.params_struct {
            args.push(format!("params: &{ps}"));
        }
        if let Some(b) = &op.body {
            let t = rust(&b.ty);
            args.push(if b.required {
                format!("body: &{t}")
            } else {
                format!("body: Option<&{t}>")
            });
        }
        let path = format!("Client::{}", op.rust);
        let sig = format!(
            "async fn {}({}) -> Result<{}, Error>",
            op.rust,
            args.join(", "),
            output(op)
        );
        s.insert(
            path,
            Item {
                kind: Kind::Item,
                sig,
                parent: None,
                deprecated: op.deprecated,
            },
        );
        if let Some(p) = &op.pagination {
            let mut stream_args: Vec<String> = vec!["&self".into()];
            for q in &op.params {
                stream_args.push(format!("{}: {}", q.rust, arg(&q.ty, q.required)));
            }
            if let Some(ps) = &op.params_struct {
                stream_args.push(format!("params: {ps}"));
            }
            add(
                &mut s,
                format!("Client::{}_stream", op.rust),
                Kind::Item,
                format!(
                    "fn {}_stream({}) -> impl Stream<Item = Result<{}, Error>>",
                    op.rust,
                    stream_args.join(", "),
                    rust(&p.item)
                ),
                None,
            );
        }
        if let Output::Enum { name, variants } = &op.output {
            add(
                &mut s,
                name.clone(),
                Kind::Item,
                format!("enum {name}"),
                None,
            );
            for (v, payload, _) in variants {
                let sig = match payload {
                    Some(t) => format!("{v}({})", rust(t)),
                    None => v.clone(),
                };
                add(
                    &mut s,
                    format!("{name}::{v}"),
                    Kind::Variant,
                    sig,
                    Some(name),
                );
            }
        }
    }
    for v in api.servers.iter().flat_map(|s| &s.variables) {
        add(
            &mut s,
            format!("ClientBuilder::{}", v.setter),
            Kind::Method,
            format!("fn {}(self, value: impl Into<String>) -> Self", v.setter),
            None,
        );
    }
    for sc in &api.schemes {
        let args = match sc.kind {
            SchemeKind::Bearer => "token: impl Into<Secret>",
            SchemeKind::Basic => "username: impl Into<String>, password: impl Into<Secret>",
            SchemeKind::ApiKeyHeader(_) | SchemeKind::ApiKeyQuery(_) => "key: impl Into<Secret>",
            SchemeKind::Signer(_) => "secret: impl Into<Secret>",
            SchemeKind::BasicFixedUser(_) => "password: impl Into<Secret>",
            #[allow(unreachable_patterns)]
            _ => "..",
        };
        add(
            &mut s,
            format!("ClientBuilder::{}", sc.setter),
            Kind::Method,
            format!("fn {}(self, {args}) -> Self", sc.setter),
            None,
        );
    }
    match api.error_bodies.as_slice() {
        [] => add(
            &mut s,
            "Error".into(),
            Kind::Item,
            "type Error = vendor_clients::Error".into(),
            None,
        ),
        [one] => add(
            &mut s,
            "Error".into(),
            Kind::Item,
            format!("type Error = vendor_clients::Error<{}>", rust(one)),
            None,
        ),
        many => {
            add(
                &mut s,
                "Error".into(),
                Kind::Item,
                "type Error = vendor_clients::Error<ErrorBody>".into(),
                None,
            );
            add(
                &mut s,
                "ErrorBody".into(),
                Kind::Item,
                "enum ErrorBody".into(),
                None,
            );
            for t in many {
                let v = match t {
                    Ty::Named(n) => n.clone(),
                    Ty::Json => "Json".into(),
                    _ => "Other".into(),
                };
                add(
                    &mut s,
                    format!("ErrorBody::{v}"),
                    Kind::Variant,
                    format!("{v}({})", rust(t)),
                    Some("ErrorBody"),
                );
            }
        }
    }
    for def in &api.types {
        type_items(&mut s, def);
    }
    for u in &api.unwraps {
        add(
            &mut s,
            format!("{}::{}", u.envelope, u.method),
            Kind::Method,
            format!(
                "fn {}(self) -> Envelope<{}, {}>",
                u.method,
                rust(&u.value),
                u.meta
            ),
            Some(&u.envelope),
        );
    }
    s
}

fn type_items(s: &mut Surface, def: &TypeDef) {
    let n = def.name.as_str();
    match &def.kind {
        TypeKind::Alias(t) => add(
            s,
            n.into(),
            Kind::Item,
            format!("type {n} = {}", rust(t)),
            None,
        ),
        TypeKind::Newtype(t) => add(
            s,
            n.into(),
            Kind::Item,
            format!("struct {n}({})", rust(t)),
            None,
        ),
        TypeKind::Struct { fields, additional } => {
            add(s, n.into(), Kind::Item, format!("struct {n}"), None);
            for f in fields {
                add(
                    s,
                    format!("{n}::{}", f.rust),
                    Kind::Field,
                    format!("{}: {}", f.rust, field_ty(f)),
                    Some(n),
                );
            }
            if let Some(a) = additional {
                // As `emit` names it: an `x-row` is `values` unless a property has that name.
                let (field, ty) = match a {
                    Ty::Row(..) if !fields.iter().any(|f| f.rust == "values") => {
                        ("values", rust(a))
                    }
                    Ty::Row(..) => ("additional_properties", rust(a)),
                    _ => (
                        "additional_properties",
                        format!("BTreeMap<String, {}>", rust(a)),
                    ),
                };
                add(
                    s,
                    format!("{n}::{field}"),
                    Kind::Field,
                    format!("{field}: {ty}"),
                    Some(n),
                );
            }
            if fields.iter().all(|f| !f.required) {
                add(
                    s,
                    format!("impl Default for {n}"),
                    Kind::Method,
                    format!("impl Default for {n}"),
                    Some(n),
                );
            }
        }
        TypeKind::Enum { values, unknown } => {
            add(s, n.into(), Kind::Item, format!("enum {n}"), None);
            for v in values {
                add(
                    s,
                    format!("{n}::{}", v.rust),
                    Kind::Variant,
                    format!("{} = {:?}", v.rust, v.wire),
                    Some(n),
                );
            }
            add(
                s,
                format!("{n}::{unknown}"),
                Kind::Variant,
                format!("{unknown}(String)"),
                Some(n),
            );
        }
        TypeKind::IntEnum { values, unknown } => {
            add(s, n.into(), Kind::Item, format!("enum {n}"), None);
            for v in values {
                add(
                    s,
                    format!("{n}::{}", v.rust),
                    Kind::Variant,
                    format!("{} = {}", v.rust, v.value),
                    Some(n),
                );
            }
            add(
                s,
                format!("{n}::{unknown}"),
                Kind::Variant,
                format!("{unknown}(i64)"),
                Some(n),
            );
        }
        TypeKind::Params { members, .. } => {
            add(s, n.into(), Kind::Item, format!("struct {n}"), None);
            let owned = |p: &Param| {
                if p.required {
                    rust(&p.ty)
                } else {
                    format!("Option<{}>", rust(&p.ty))
                }
            };
            for p in members {
                add(
                    s,
                    format!("{n}::{}", p.rust),
                    Kind::Field,
                    format!("{}: {}", p.rust, owned(p)),
                    Some(n),
                );
            }
            let new_args: Vec<String> = members
                .iter()
                .filter(|p| p.required)
                .map(|p| format!("{}: {}", p.rust, setter_arg(&p.ty)))
                .collect();
            add(
                s,
                format!("{n}::new"),
                Kind::Method,
                format!("fn new({}) -> Self", new_args.join(", ")),
                Some(n),
            );
            for p in members.iter().filter(|p| !p.required) {
                add(
                    s,
                    format!("{n}::{}()", p.rust),
                    Kind::Method,
                    format!("fn {}(self, value: {}) -> Self", p.rust, setter_arg(&p.ty)),
                    Some(n),
                );
            }
        }
        TypeKind::ParamGroup { variants } => {
            add(s, n.into(), Kind::Item, format!("enum {n}"), None);
            for (v, p) in variants {
                add(
                    s,
                    format!("{n}::{v}"),
                    Kind::Variant,
                    format!("{v}({})", rust(&p.ty)),
                    Some(n),
                );
            }
        }
        TypeKind::OneOf {
            variants, rejected, ..
        } => {
            add(s, n.into(), Kind::Item, format!("enum {n}"), None);
            for v in variants {
                add(
                    s,
                    format!("{n}::{}", v.rust),
                    Kind::Variant,
                    format!("{}({})", v.rust, rust(&v.ty)),
                    Some(n),
                );
            }
            if !rejected.is_empty() {
                let accepted: Vec<&Variant> = variants
                    .iter()
                    .filter(|v| !rejected.contains(&v.rust))
                    .collect();
                if let [a] = accepted.as_slice() {
                    add(
                        s,
                        format!("impl Verdict for {n}"),
                        Kind::Method,
                        format!("impl Verdict for {n} (Accepted = {})", rust(&a.ty)),
                        Some(n),
                    );
                }
            }
        }
        #[allow(unreachable_patterns)]
        _ => add(s, n.into(), Kind::Item, format!("type {n}"), None),
    }
}

/// The changes between the Rust APIs generated from `base` and `head`, sorted by item path.
pub(crate) fn compare(base: &Api, head: &Api) -> Vec<RustChange> {
    let b = surface(base);
    let h = surface(head);
    let mut out = Vec::new();
    for (path, bi) in &b {
        match h.get(path) {
            None => {
                // A member of a removed item is covered by the item.
                if bi.parent.as_ref().is_some_and(|p| !h.contains_key(p)) {
                    continue;
                }
                out.push(RustChange {
                    item: path.clone(),
                    change: RustChangeKind::Removed,
                    before: Some(bi.sig.clone()),
                    after: None,
                    impact: Impact::Breaking,
                    note: None,
                });
            }
            Some(hi) if hi.sig != bi.sig => out.push(RustChange {
                item: path.clone(),
                change: RustChangeKind::Changed,
                before: Some(bi.sig.clone()),
                after: Some(hi.sig.clone()),
                impact: Impact::Breaking,
                note: None,
            }),
            Some(hi) if hi.deprecated != bi.deprecated => out.push(RustChange {
                item: path.clone(),
                change: RustChangeKind::Changed,
                before: Some(bi.sig.clone()),
                after: Some(hi.sig.clone()),
                impact: Impact::Additive,
                note: Some(if hi.deprecated {
                    "now `#[deprecated]`: callers get a warning".into()
                } else {
                    "no longer `#[deprecated]`".into()
                }),
            }),
            Some(_) => {}
        }
    }
    for (path, hi) in &h {
        if b.contains_key(path) {
            continue;
        }
        let parent_is_new = hi.parent.as_ref().is_some_and(|p| !b.contains_key(p));
        if parent_is_new {
            continue;
        }
        let (impact, note) = match hi.kind {
            Kind::Field => (
                Impact::Breaking,
                Some(
                    "a new public field: struct literals and exhaustive patterns must name it"
                        .to_string(),
                ),
            ),
            Kind::Variant => (
                Impact::Breaking,
                Some("a new variant: exhaustive `match`es must handle it".to_string()),
            ),
            Kind::Item | Kind::Method => (Impact::Additive, None),
        };
        out.push(RustChange {
            item: path.clone(),
            change: RustChangeKind::Added,
            before: None,
            after: Some(hi.sig.clone()),
            impact,
            note,
        });
    }
    out.sort_by(|a, b| a.item.cmp(&b.item));
    out
}

/// The change when a whole vendor module appears or goes away.
pub(crate) fn whole_module(module: &str, change: RustChangeKind) -> Vec<RustChange> {
    let sig = format!("mod vendor_clients::{module}");
    let (before, after, impact) = match change {
        RustChangeKind::Removed => (Some(sig), None, Impact::Breaking),
        _ => (None, Some(sig), Impact::Additive),
    };
    vec![RustChange {
        item: module.to_string(),
        change,
        before,
        after,
        impact,
        note: None,
    }]
}
