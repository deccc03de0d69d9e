//! Which parameter types can be sent, and how: query styles (`form`, `deepObject`, ...) to
//! [`ParamStyle`]s, and `oneOf: [T, array of T]` query parameters to lists.

use openapiv3::QueryStyle;

use crate::lower::cx::{Cx, Types};
use crate::model::{is_scalar_param, kind_named, ParamStyle, Ty, TypeKind};
use crate::source::child;

/// `T` when the named type is an untagged union of exactly `T` and `Vec<T>`, as `Vec<T>`.
pub(in crate::lower) fn one_or_many(name: &str, types: &Types) -> Option<Ty> {
    let def = types.named(name)?;
    let TypeKind::OneOf {
        tag: None,
        variants,
        ..
    } = &def.kind
    else {
        return None;
    };
    match variants.as_slice() {
        [a, b] => match (&a.ty, &b.ty) {
            (t, Ty::Vec(inner)) | (Ty::Vec(inner), t) if **inner == *t => {
                Some(Ty::Vec(inner.clone()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// An object a query style can write: a struct or map whose properties are scalars (and, for
/// `deep`, lists of scalars, as `filter[a][]`, and objects of the same kind, as `filter[a][b]`).
fn object_param_ok(ty: &Ty, types: &Types, deep: bool, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    // deepObject writes a list of scalars inside as `name[key][]=item`.
    let prop_ok = |t: &Ty| {
        ((deep || !matches!(t, Ty::Vec(_))) && param_type_ok(t, types))
            || (deep && object_param_ok(t, types, true, depth + 1))
    };
    match ty {
        Ty::Map(inner) => prop_ok(inner),
        Ty::Named(n) => match kind_named(types, n) {
            Some(TypeKind::Struct { fields, additional }) => {
                !fields.is_empty()
                    && fields.iter().all(|f| !f.boxed && prop_ok(&f.ty))
                    && additional.as_ref().is_none_or(prop_ok)
            }
            Some(TypeKind::Alias(t)) => object_param_ok(t, types, deep, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// An object whose properties are scalars or lists of scalars (no object inside), which the
/// exploded `form` style writes as one pair per scalar and per list item.
fn exploded_form_ok(ty: &Ty, types: &Types) -> bool {
    let prop_ok = |t: &Ty| param_type_ok(t, types);
    match ty {
        Ty::Named(n) => match kind_named(types, n) {
            Some(TypeKind::Struct { fields, additional }) => {
                !fields.is_empty()
                    && fields.iter().all(|f| !f.boxed && prop_ok(&f.ty))
                    && additional.as_ref().is_none_or(prop_ok)
            }
            Some(TypeKind::Alias(t)) => exploded_form_ok(t, types),
            _ => false,
        },
        Ty::Map(inner) => prop_ok(inner),
        _ => false,
    }
}

/// A parameter type: a scalar, a list of scalars, or an untagged union of scalars.
pub(in crate::lower) fn param_type_ok(ty: &Ty, types: &Types) -> bool {
    if let Ty::Named(n) = ty {
        if let Some(TypeKind::OneOf {
            tag: None,
            variants,
            ..
        }) = kind_named(types, n)
        {
            return variants
                .iter()
                .all(|v| !v.boxed && !matches!(v.ty, Ty::Vec(_)) && param_scalar_ok(&v.ty, types));
        }
    }
    param_scalar_ok(ty, types)
}

fn param_scalar_ok(ty: &Ty, types: &Types) -> bool {
    match ty {
        Ty::Vec(inner) => !matches!(**inner, Ty::Vec(_)) && is_scalar_param(inner, types),
        other => is_scalar_param(other, types),
    }
}

/// How a query parameter of type `ty` is written, from its `style` and `explode`; `None`
/// (reported) when the type has no form in that style.
pub(in crate::lower) fn query_style(
    cx: &mut Cx<'_>,
    style: &QueryStyle,
    explode: Option<bool>,
    ty: &Ty,
    at: &str,
    name: &str,
) -> Option<ParamStyle> {
    let types = &cx.types;
    let scalar = !matches!(ty, Ty::Vec(_)) && param_type_ok(ty, types);
    let list = matches!(ty, Ty::Vec(_)) && param_type_ok(ty, types);
    // `explode` defaults to true for `form` only (OpenAPI).
    let exploded = explode.unwrap_or(matches!(style, QueryStyle::Form));
    let (style_name, wanted) = match style {
        QueryStyle::Form if exploded => ("form", ParamStyle::Form),
        QueryStyle::Form => ("form", ParamStyle::FormUnexploded),
        QueryStyle::PipeDelimited if exploded => ("pipeDelimited", ParamStyle::Form),
        QueryStyle::PipeDelimited => ("pipeDelimited", ParamStyle::PipeDelimited),
        QueryStyle::SpaceDelimited if exploded => ("spaceDelimited", ParamStyle::Form),
        QueryStyle::SpaceDelimited => ("spaceDelimited", ParamStyle::SpaceDelimited),
        QueryStyle::DeepObject => ("deepObject", ParamStyle::DeepObject),
    };
    if wanted == ParamStyle::DeepObject {
        if object_param_ok(ty, types, true, 0) {
            return Some(ParamStyle::DeepObject);
        }
        if (list || scalar) && cx.lenient() {
            // A published spec: `deepObject` is defined for objects only; a list or a scalar
            // is sent as `form` sends it (`ids=1&ids=2`), as most servers read it.
            cx.warn(
                &child(at, "style"),
                format!("query parameter `{name}` has `style: deepObject` but is not an object: sent in the `form` style"),
            );
            return Some(ParamStyle::Plain);
        }
        cx.err_help(
            &child(at, "style"),
            format!("query parameter `{name}` has `style: deepObject` but is not an object of scalar, list or object properties"),
            "use `deepObject` for objects (a list inside holds scalars: `name[key][]=item`); for a scalar or a list, remove `style`",
        );
        return None;
    }
    if scalar {
        return Some(ParamStyle::Plain);
    }
    if list {
        return Some(if wanted == ParamStyle::Form {
            ParamStyle::Plain
        } else {
            wanted
        });
    }
    // Objects: each property a pair (exploded form), or joined (`R,100,G,200`).
    if object_param_ok(ty, types, false, 0) {
        return Some(wanted);
    }
    // Exploded form writes a list property as its key repeated (`mics=a&mics=b`), as Spring's
    // and most servers' object binding read it; the runtime writes it so.
    if wanted == ParamStyle::Form && exploded_form_ok(ty, types) {
        return Some(wanted);
    }
    if wanted == ParamStyle::Form
        && matches!(ty, Ty::Named(_) | Ty::Map(_))
        && object_param_ok(ty, types, true, 0)
    {
        cx.err_help(
            &child(at, "schema"),
            format!("query parameter `{name}` is an object with object or list properties, which the `{style_name}` style cannot write"),
            "use `style: deepObject`, or flatten the object",
        );
        return None;
    }
    cx.err_help(
        &child(at, "schema"),
        format!(
            "query parameter `{name}` has a type that cannot be sent in the `{style_name}` style"
        ),
        "use a string, number, boolean, string enum, an array of those, or an object of those",
    );
    None
}
