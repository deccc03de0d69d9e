//! `x-error-variants` to verdicts: which alternatives of a success body's `oneOf` are
//! failures, recorded per type, and the one accepted alternative a verdict arm yields.

use crate::lower::cx::Cx;
use crate::model::{BodyKind, Ty, TypeKind, Variant};
use crate::source::child;

pub(super) fn accepted_ty(cx: &Cx<'_>, ty: &Ty) -> Option<Ty> {
    let Ty::Named(n) = ty else { return None };
    let (rejected, _) = cx.rejected.get(n)?;
    let def = cx.types.named(n)?;
    let TypeKind::OneOf { variants, .. } = &def.kind else {
        return None;
    };
    let accepted: Vec<&Variant> = variants
        .iter()
        .filter(|v| !rejected.contains(&v.rust))
        .collect();
    match accepted.as_slice() {
        [one] => Some(one.ty.clone()),
        _ => None,
    }
}

pub(super) fn mark_rejected(cx: &mut Cx<'_>, kind: &BodyKind, names: Vec<String>, resp_ptr: &str) {
    let at = child(resp_ptr, "x-error-variants");
    let BodyKind::Json(Ty::Named(type_name)) = kind else {
        cx.err(
            &at,
            "`x-error-variants` needs a JSON body whose schema is a `oneOf`",
        );
        return;
    };
    let Some(def) = cx.types.named(type_name) else {
        cx.err(
            &at,
            "`x-error-variants` needs the body schema to be a named `oneOf`",
        );
        return;
    };
    let TypeKind::OneOf { variants, .. } = &def.kind else {
        cx.err(
            &at,
            format!("`x-error-variants` needs the body schema `{type_name}` to be a `oneOf`"),
        );
        return;
    };
    let mut rust = Vec::new();
    for n in &names {
        let want = cx.component_names.get(n).cloned();
        match variants
            .iter()
            .find(|v| Some(&v.ty) == want.as_ref().map(|w| Ty::Named(w.clone())).as_ref())
        {
            Some(v) => rust.push(v.rust.clone()),
            None => {
                cx.err_help(
                    &at,
                    format!("`{n}` is not one of the alternatives of `{type_name}`"),
                    "list schema names that appear in the `oneOf`",
                );
                return;
            }
        }
    }
    let accepted = variants.len() - rust.len();
    if accepted != 1 {
        cx.err_help(&at, format!("`x-error-variants` must leave exactly one success alternative of `{type_name}`, it leaves {accepted}"), "list every failure alternative");
        return;
    }
    if let Some((prev, prev_at)) = cx.rejected.get(type_name) {
        if prev != &rust {
            let prev_at = prev_at.clone();
            cx.err(
                &at,
                format!("`{type_name}` has different `x-error-variants` at {prev_at}"),
            );
        }
        return;
    }
    cx.rejected.insert(type_name.clone(), (rust, at));
}
