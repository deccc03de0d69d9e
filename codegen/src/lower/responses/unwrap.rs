//! `x-unwrap` paths to [`Unwrap`] steps: where a value sits inside a success body.

use crate::lower::cx::Cx;
use crate::lower::schema::scalar::strip_lenient;
use crate::model::{
    kind_named, Access, AccessRoot, BodyKind, Field, Ty, TypeDef, TypeKind, Unwrap, UnwrapStep,
};
use crate::names::snake;

/// What the walk along an `x-unwrap` path finds in the envelope.
struct Walked {
    steps: Vec<UnwrapStep>,
    /// The type of the value taken out.
    value: Ty,
    /// The envelope's other fields (its meta): Rust names, and the fields themselves.
    meta_fields: Vec<String>,
    meta_defs: Vec<Field>,
}

/// The conversion for `x-unwrap: path` on a body of `kind` (shared by every response that
/// unwraps the same envelope the same way).
pub(in crate::lower) fn unwrap_for(
    cx: &mut Cx<'_>,
    kind: &BodyKind,
    path: &str,
    at: &str,
) -> Option<usize> {
    let BodyKind::Json(Ty::Named(envelope)) = kind else {
        cx.err(
            at,
            "`x-unwrap` needs a JSON body whose schema is a named object",
        );
        return None;
    };
    let segments: Vec<&str> = path.split('/').collect();
    let walked = walk_unwrap(cx, envelope, &segments, path, at)?;
    let method = format!(
        "into_{}",
        segments
            .iter()
            .filter(|s| **s != "*")
            .filter_map(|s| snake(s))
            .collect::<Vec<_>>()
            .join("_")
    );
    if let Some(i) = cx
        .unwraps
        .iter()
        .position(|u| &u.envelope == envelope && u.method == method)
    {
        return Some(i);
    }
    register_unwrap(cx, envelope, method, path, at, walked)
}

/// Follows `segments` from the envelope's first property to the value.
fn walk_unwrap(
    cx: &mut Cx<'_>,
    envelope: &str,
    segments: &[&str],
    path: &str,
    at: &str,
) -> Option<Walked> {
    let Some(TypeKind::Struct { fields, .. }) = cx
        .types
        .iter()
        .find(|t| t.name == envelope)
        .map(|t| &t.kind)
    else {
        cx.err(at, format!("`x-unwrap` needs `{envelope}` to be an object"));
        return None;
    };
    let Some(first) = fields.iter().find(|f| f.wire == segments[0]) else {
        cx.err_help(
            at,
            format!("`{}` is not a property of `{envelope}`", segments[0]),
            "start the path with one of its properties",
        );
        return None;
    };
    let meta_fields: Vec<String> = fields
        .iter()
        .filter(|f| f.wire != segments[0])
        .map(|f| f.rust.clone())
        .collect();
    let meta_defs: Vec<Field> = fields
        .iter()
        .filter(|f| f.wire != segments[0])
        .cloned()
        .collect();
    let mut steps = vec![UnwrapStep::Field(first.rust.clone())];
    let optional_first = !first.required || first.nullable;
    let ty = if !optional_first || segments.len() == 1 {
        first.ty.clone()
    } else {
        cx.err(
            at,
            format!(
                "`x-unwrap` cannot go through `{}`, which may be missing or null",
                first.wire
            ),
        );
        return None;
    };
    let value = walk_rest(cx, ty, &segments[1..], path, at, &mut steps)?;
    if optional_first {
        cx.err(
            at,
            format!(
                "`x-unwrap` needs `{}` to be required and not nullable",
                segments[0]
            ),
        );
        return None;
    }
    Some(Walked {
        steps,
        value,
        meta_fields,
        meta_defs,
    })
}

/// Walks the rest of the path from a value of type `ty`; `*` maps over array elements.
fn walk_rest(
    cx: &mut Cx<'_>,
    mut ty: Ty,
    rest: &[&str],
    path: &str,
    at: &str,
    steps: &mut Vec<UnwrapStep>,
) -> Option<Ty> {
    let mut wrap_vecs = 0usize;
    for seg in rest {
        if *seg == "*" {
            match ty {
                Ty::Vec(inner) => {
                    ty = *inner;
                    wrap_vecs += 1;
                    steps.push(UnwrapStep::Each);
                }
                _ => {
                    cx.err(at, format!("`*` in `{path}` needs an array there"));
                    return None;
                }
            }
            continue;
        }
        let f = path_property(cx, &ty, seg, path, at)?;
        if !f.required || f.nullable {
            cx.err(
                at,
                format!("`x-unwrap` cannot go through `{seg}`, which may be missing or null"),
            );
            return None;
        }
        steps.push(UnwrapStep::Field(f.rust.clone()));
        ty = f.ty.clone();
    }
    for _ in 0..wrap_vecs {
        ty = Ty::Vec(Box::new(ty));
    }
    Some(ty)
}

/// A new unwrap conversion: its meta struct is registered, and its index returned.
fn register_unwrap(
    cx: &mut Cx<'_>,
    envelope: &str,
    method: String,
    path: &str,
    at: &str,
    walked: Walked,
) -> Option<usize> {
    let meta = format!("{envelope}Meta");
    if cx.unwraps.iter().any(|u| u.envelope == envelope) {
        cx.err(at, format!("`{envelope}` is already unwrapped along another path; one envelope unwraps one way"));
        return None;
    }
    if !cx.claim_type(&meta, at) {
        return None;
    }
    cx.push_type(TypeDef {
        name: meta.clone(),
        doc: Some(format!(
            "The rest of a `{envelope}` once `{path}` is taken out of it."
        )),
        pointer: at.to_string(),
        kind: TypeKind::Struct {
            fields: walked.meta_defs,
            additional: None,
        },
    });
    cx.unwraps.push(Unwrap {
        envelope: envelope.to_string(),
        method,
        wire_path: path.to_string(),
        path: walked.steps,
        value: walked.value,
        meta,
        meta_fields: walked.meta_fields,
    });
    Some(cx.unwraps.len() - 1)
}

/// The property `seg` of the object type `ty`, one step of the body path `path` (x-unwrap,
/// a next link, a paging path); a located error when `ty` is no object or has no such
/// property.
pub(in crate::lower) fn path_property(
    cx: &mut Cx<'_>,
    ty: &Ty,
    seg: &str,
    path: &str,
    at: &str,
) -> Option<Field> {
    let Ty::Named(n) = ty else {
        cx.err(at, format!("`{seg}` in `{path}` needs an object there"));
        return None;
    };
    let Some(TypeKind::Struct { fields, .. }) = kind_named(&cx.types, n) else {
        cx.err(
            at,
            format!("`{seg}` in `{path}` needs `{n}` to be an object"),
        );
        return None;
    };
    match fields.iter().find(|f| f.wire == seg) {
        Some(f) => Some(f.clone()),
        None => {
            cx.err(at, format!("`{seg}` is not a property of `{n}`"));
            None
        }
    }
}

/// Where `path` (a body path) is in a success value of type `out`.
pub(in crate::lower) fn access(
    cx: &mut Cx<'_>,
    out: &Ty,
    path: &str,
    at: &str,
) -> Option<(Access, Ty)> {
    let segments: Vec<&str> = path.split('/').collect();
    if let Ty::Envelope(value, meta) = out {
        let u = cx.unwraps.iter().find(|u| &u.meta == meta)?;
        if u.wire_path == path {
            return Some((
                Access {
                    from: AccessRoot::Value,
                    steps: Vec::new(),
                    optional: false,
                    lenient: false,
                    nullable: false,
                },
                (**value).clone(),
            ));
        }
    }
    if segments.contains(&"*") {
        cx.err(at, format!("`{path}`: paging paths cannot contain `*`"));
        return None;
    }
    let (root, start_ty, segs): (AccessRoot, Ty, &[&str]) = match out {
        Ty::Envelope(_, meta) => {
            // Found, and not the unwrapped value itself: both answered above.
            let u = cx.unwraps.iter().find(|u| &u.meta == meta)?;
            if segments[0] == u.wire_path.split('/').next().unwrap_or_default() {
                cx.err(at, format!("`{path}` is inside the unwrapped `{}`; page over the unwrapped value itself", u.wire_path));
                return None;
            }
            (AccessRoot::Meta, Ty::Named(meta.clone()), &segments[..])
        }
        other => (AccessRoot::Value, other.clone(), &segments[..]),
    };
    let mut ty = start_ty;
    let mut steps = Vec::new();
    let mut optional = false;
    let mut nullable = false;
    for seg in segs {
        if optional {
            cx.err(
                at,
                format!("`{path}` goes through a property that may be missing"),
            );
            return None;
        }
        let f = path_property(cx, strip_lenient(&ty), seg, path, at)?;
        optional = !f.required || f.nullable;
        nullable = !f.required && f.nullable;
        steps.push(UnwrapStep::Field(f.rust.clone()));
        ty = f.ty.clone();
    }
    let lenient = matches!(ty, Ty::Lenient(_));
    Some((
        Access {
            from: root,
            steps,
            optional,
            lenient,
            nullable,
        },
        ty,
    ))
}
