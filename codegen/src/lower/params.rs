//! Operation parameters to [`Param`]s: references, query styles, grouping into a params struct,
//! and the checks that a parameter's type can be sent.

use crate::lower::cx::Cx;
use crate::lower::schema::unescape;
use crate::model::{
    is_scalar_param, kind_named, Param, ParamIn, ParamStyle, Ty, TypeDef, TypeKind,
};
use crate::names::{pascal, snake};
use crate::source::child;
use openapiv3::{Parameter, QueryStyle, ReferenceOr};

/// `T` when the named type is an untagged union of exactly `T` and `Vec<T>`, as `Vec<T>`.
pub(super) fn one_or_many(name: &str, types: &[TypeDef]) -> Option<Ty> {
    let def = types.iter().find(|t| t.name == name)?;
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
pub(super) fn object_param_ok(ty: &Ty, types: &[TypeDef], deep: bool, depth: usize) -> bool {
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
                    && additional.as_ref().map_or(true, prop_ok)
            }
            Some(TypeKind::Alias(t)) => object_param_ok(t, types, deep, depth + 1),
            _ => false,
        },
        _ => false,
    }
}

/// A parameter type: a scalar, a list of scalars, or an untagged union of scalars.
pub(super) fn param_type_ok(ty: &Ty, types: &[TypeDef]) -> bool {
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

pub(super) fn param_scalar_ok(ty: &Ty, types: &[TypeDef]) -> bool {
    match ty {
        Ty::Vec(inner) => !matches!(**inner, Ty::Vec(_)) && is_scalar_param(inner, types),
        other => is_scalar_param(other, types),
    }
}

/// How a query parameter of type `ty` is written, from its `style` and `explode`; `None`
/// (reported) when the type has no form in that style.
pub(super) fn query_style(
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

/// Replaces the members of each `x-param-groups` entry by one parameter of a generated enum.
pub(super) fn group_params(
    cx: &mut Cx<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    params: &mut Vec<Param>,
) {
    let Some(groups) = op.extensions.get("x-param-groups") else {
        return;
    };
    let at = child(pointer, "x-param-groups");
    let Some(groups) = groups.as_array() else {
        cx.err_help(
            &at,
            "`x-param-groups` must be a list",
            "write `- {name: EnumName, one-of: [param, ...]}`",
        );
        return;
    };
    for (i, g) in groups.iter().enumerate() {
        let gp = child(&at, i.to_string());
        let name = g.get("name").and_then(|v| v.as_str()).and_then(pascal);
        let members: Option<Vec<String>> = g
            .get("one-of")
            .or_else(|| g.get("oneOf"))
            .and_then(|v| v.as_array())
            .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect());
        let (Some(name), Some(members)) = (name, members) else {
            cx.err_help(
                &gp,
                "a parameter group needs `name` and `one-of`",
                "write `{name: EnumName, one-of: [param, ...]}`",
            );
            continue;
        };
        if members.len() < 2 {
            cx.err(
                &child(&gp, "one-of"),
                "a parameter group needs at least two parameters",
            );
            continue;
        }
        let required = g.get("required").and_then(|v| v.as_bool()).unwrap_or(true);
        let mut variants = Vec::new();
        for m in &members {
            let Some(pos) = params
                .iter()
                .position(|p| &p.wire == m && p.location == ParamIn::Query)
            else {
                cx.err_help(
                    &child(&gp, "one-of"),
                    format!("`{m}` is not a query parameter of this operation"),
                    "list the names of declared query parameters",
                );
                continue;
            };
            let p = params.remove(pos);
            if p.style != ParamStyle::Plain {
                cx.err_help(
                    &child(&gp, "one-of"),
                    format!("`{m}` has a `style`, `explode: false` or `content`, which a parameter group cannot send"),
                    "group only plain scalar or list parameters",
                );
            }
            if p.required {
                cx.err_help(
                    &child(&gp, "one-of"),
                    format!("`{m}` is required, so it cannot be one of a group"),
                    "declare the grouped parameters with `required: false`",
                );
            }
            let variant = pascal(&p.wire).unwrap_or_else(|| p.rust.clone());
            variants.push((variant, p));
        }
        if variants.len() != members.len() || !cx.claim_type(&name, &gp) {
            continue;
        }
        let mut doc = format!(
            "Exactly one of the query parameters {}.",
            members
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(d) = g.get("description").and_then(|v| v.as_str()) {
            doc = format!("{}\n\n{doc}", d.trim());
        }
        cx.push_type(TypeDef {
            name: name.clone(),
            doc: Some(doc.clone()),
            pointer: gp.clone(),
            kind: TypeKind::ParamGroup { variants },
        });
        let rust = snake(&name).unwrap_or_else(|| "group".into());
        params.push(Param {
            rust,
            wire: name.clone(),
            location: ParamIn::Group,
            ty: Ty::Named(name),
            required,
            doc: Some(doc),
            style: ParamStyle::Plain,
        });
    }
}

/// Moves the query, header and group parameters into a `<Operation>Params` struct when any
/// of them is optional: a builder reads better than a row of `None`s.
pub(super) fn params_struct(
    cx: &mut Cx<'_>,
    id: &str,
    op_pascal: &str,
    pointer: &str,
    params: &mut Vec<Param>,
) -> Option<String> {
    let movable = |p: &Param| p.location != ParamIn::Path;
    if !params
        .iter()
        .any(|p| movable(p) && (!p.required || p.location == ParamIn::Group))
    {
        return None;
    }
    let name = cx.claim_auto(&format!("{op_pascal}Params"), &child(pointer, "parameters"));
    let members: Vec<Param> = params.iter().filter(|p| movable(p)).cloned().collect();
    params.retain(|p| !movable(p));
    let doc = format!("The query and header parameters of `{id}`: the required ones go to `new`, the optional ones are set with the builder methods.");
    cx.push_type(TypeDef {
        name: name.clone(),
        doc: Some(doc),
        pointer: child(pointer, "parameters"),
        kind: TypeKind::Params {
            operation: id.to_string(),
            members,
        },
    });
    Some(name)
}

pub(super) fn resolve_param<'a, 'p>(
    cx: &mut Cx<'a>,
    p: &'p ReferenceOr<Parameter>,
    at: &str,
) -> Option<&'p Parameter>
where
    'a: 'p,
{
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/parameters/")
                .and_then(|k| cx.doc.components.as_ref()?.parameters.get(&unescape(k)));
            match found {
                Some(ReferenceOr::Item(p)) => Some(p),
                _ => {
                    cx.err_help(
                        &child(at, "$ref"),
                        format!("`$ref` target `{reference}` does not exist"),
                        "parameters may refer to `#/components/parameters/<Name>`",
                    );
                    None
                }
            }
        }
    }
}
