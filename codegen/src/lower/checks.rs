//! Whole-API checks after all operations are lowered: tags and verdicts on the types, and the
//! error bodies the operations can return.

use std::collections::{BTreeMap, HashSet};

use crate::lower::cx::{Cx, Types};
use crate::model::{BodyKind, Operation, Ty, TypeDef, TypeKind, Variant};
use crate::source::child;

/// The types that error bodies decode into, deduplicated, in order.
pub(super) fn collect_error_bodies(ops: &[Operation], types: &Types) -> Vec<Ty> {
    let mut out: Vec<Ty> = Vec::new();
    // Aliases are the types they name: two schemas that are both a map of JSON values (AWS's
    // error schemas) are one Rust type, which the error type can take only once.
    let resolved = |mut t: Ty| {
        for _ in 0..types.len() {
            let Ty::Named(n) = &t else { break };
            match types.named(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => t = inner.clone(),
                _ => break,
            }
        }
        t
    };
    let mut push = |t: Ty| {
        let t = resolved(t);
        if !out.contains(&t) {
            out.push(t);
        }
    };
    let rejected_of = |n: &str| -> Option<Ty> {
        let def = types.named(n)?;
        let TypeKind::OneOf {
            variants, rejected, ..
        } = &def.kind
        else {
            return None;
        };
        let r: Vec<&Variant> = variants
            .iter()
            .filter(|v| rejected.contains(&v.rust))
            .collect();
        match r.as_slice() {
            [one] => Some(one.ty.clone()),
            _ => Some(Ty::Named(n.to_string())),
        }
    };
    for op in ops {
        for arm in &op.ok {
            if let (true, BodyKind::Json(Ty::Named(n))) = (arm.verdict, &arm.kind) {
                if let Some(t) = rejected_of(n) {
                    push(t);
                }
            }
        }
        for arm in &op.err {
            if let BodyKind::Json(t) = &arm.kind {
                push(t.clone());
            }
        }
    }
    // A binary error arm (a spec whose operation produces only `application/pdf`, say) hands
    // its body to the error type as `Bytes`: the error type needs a variant for it, or is
    // `Bytes` when there is no other.
    let bytes = ops
        .iter()
        .any(|op| op.err.iter().any(|a| matches!(a.kind, BodyKind::Bytes)));
    if bytes && !out.contains(&Ty::Bytes) {
        out.push(Ty::Bytes);
    }
    // A text error arm hands its body to the error type as a `String`: beside JSON error
    // bodies, the error type needs a variant for it (`serde_json::Value`, the type when there
    // are none, takes a string already).
    let text = ops
        .iter()
        .any(|op| op.err.iter().any(|a| matches!(a.kind, BodyKind::Text)));
    if text && !out.is_empty() && !out.contains(&Ty::String) {
        out.push(Ty::String);
    }
    let _ = BTreeMap::<(), ()>::new;
    out
}

/// The named types used other than as an alternative of a tagged union: in a field, an alias,
/// an untagged union, a multipart part, a parameter, a request body or a response.
fn direct_uses(types: &Types, operations: &[Operation]) -> HashSet<String> {
    fn names(ty: &Ty, out: &mut HashSet<String>) {
        match ty {
            Ty::Named(n) => {
                out.insert(n.clone());
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Lenient(inner) | Ty::Envelope(inner, _) => {
                names(inner, out)
            }
            Ty::Row(a, b) => {
                out.insert(a.clone());
                out.extend(b.iter().cloned());
            }
            _ => {}
        }
    }
    let mut out = HashSet::new();
    for t in types.iter() {
        match &t.kind {
            TypeKind::Struct { fields, additional } => {
                for f in fields {
                    names(&f.ty, &mut out);
                }
                if let Some(a) = additional {
                    names(a, &mut out);
                }
            }
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => names(ty, &mut out),
            TypeKind::OneOf {
                tag: None,
                variants,
                ..
            } => {
                for v in variants {
                    names(&v.ty, &mut out);
                }
            }
            TypeKind::Multipart { parts } => {
                for p in parts {
                    names(&p.ty, &mut out);
                }
            }
            TypeKind::Params { members, .. } => {
                for p in members {
                    names(&p.ty, &mut out);
                }
            }
            _ => {}
        }
    }
    for op in operations {
        for p in &op.params {
            names(&p.ty, &mut out);
        }
        if let Some(b) = &op.body {
            names(&b.ty, &mut out);
        }
        for arm in op.ok.iter().chain(&op.err) {
            if let BodyKind::Json(ty) = &arm.kind {
                names(ty, &mut out);
            }
        }
    }
    out
}

/// Removes discriminator properties from tagged variants, and records rejected variants.
pub(super) fn apply_tags_and_verdicts(cx: &mut Cx<'_>, operations: &[Operation]) {
    // Pointers of dropped tag properties: the inline types defined at or under them are
    // removed in one pass at the end (a pass per tag was quadratic: OpenAI's spec has a
    // thousand tagged variants and four thousand types).
    let mut dropped: HashSet<String> = HashSet::new();
    // A type used other than as an alternative of a tagged union (an alternative of an untagged
    // union, where the property tells it apart; a field, a body, a response) keeps its tag
    // property: there it is written with it. Its tagged unions write and read it whole (`keep`
    // in `__tagged_union!`).
    let direct = direct_uses(&cx.types, operations);
    let mut kept: HashSet<String> = HashSet::new();
    for (ty, tag) in std::mem::take(&mut cx.drop_tag) {
        if direct.contains(&ty) {
            kept.insert(ty);
            continue;
        }
        let pointer = cx.types.named(&ty).map(|t| t.pointer.clone());
        match cx.types.named_mut(&ty) {
            Some(TypeDef {
                kind: TypeKind::Struct { fields, .. },
                pointer: struct_ptr,
                ..
            }) => {
                fields.retain(|f| f.wire != tag);
                // An inline type defined for the dropped property (e.g. `status: {enum: [OK]}`)
                // is no longer used by anything.
                dropped.insert(child(&child(struct_ptr, "properties"), &tag));
            }
            Some(_) => {
                let p = pointer.unwrap_or_default();
                cx.err_help(&p, format!("`{ty}` is an alternative of a `oneOf` with discriminator `{tag}`, so it must be an object"), "make it an object, or drop the discriminator");
            }
            None => {}
        }
    }
    if !dropped.is_empty() {
        // At a dropped pointer, or under one: the pointer itself or a prefix of it that ends
        // before a `/`.
        let orphan = |t: &TypeDef| {
            let p = t.pointer.as_str();
            std::iter::once(p.len())
                .chain(p.match_indices('/').map(|(i, _)| i))
                .any(|end| dropped.contains(&p[..end]))
        };
        let gone: Vec<String> = cx
            .types
            .iter()
            .filter(|t| orphan(t))
            .map(|t| t.name.clone())
            .collect();
        cx.types.retain(|t| !orphan(t));
        for name in gone {
            cx.type_owner.remove(&name);
        }
    }
    if !kept.is_empty() {
        for t in cx.types.iter_mut() {
            if let TypeKind::OneOf {
                tag: Some(_),
                variants,
                ..
            } = &mut t.kind
            {
                for v in variants.iter_mut() {
                    v.keeps_tag = matches!(&v.ty, Ty::Named(n) if kept.contains(n));
                }
            }
        }
    }
    let rejected = std::mem::take(&mut cx.rejected);
    for (ty, (names, _)) in &rejected {
        if let Some(TypeDef {
            kind: TypeKind::OneOf { rejected: r, .. },
            ..
        }) = cx.types.named_mut(ty)
        {
            *r = names.clone();
        }
    }
    cx.rejected = rejected;
}
