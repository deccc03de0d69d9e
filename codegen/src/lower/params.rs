//! Operation parameters to [`Param`]s: references, query styles, grouping into a params struct,
//! and the checks that a parameter's type can be sent.

use std::collections::HashMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr};

use crate::lower::body::is_json;
use crate::lower::cx::Cx;
use crate::lower::operations::location_name;
use crate::lower::schema::{lower_schema, unescape};
use crate::model::{
    is_scalar_param, kind_named, Param, ParamIn, ParamStyle, Scheme, SchemeKind, Ty, TypeDef,
    TypeKind,
};
use crate::names::{is_keyword, pascal, snake};
use crate::source::child;

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
        param_group(cx, g, &child(&at, i.to_string()), params);
    }
}

/// One entry of `x-param-groups`: its members leave `params`, and one parameter of the new
/// group enum takes their place.
fn param_group(cx: &mut Cx<'_>, g: &serde_json::Value, gp: &str, params: &mut Vec<Param>) {
    let name = g.get("name").and_then(|v| v.as_str()).and_then(pascal);
    let members: Option<Vec<String>> = g
        .get("one-of")
        .or_else(|| g.get("oneOf"))
        .and_then(|v| v.as_array())
        .and_then(|a| a.iter().map(|x| x.as_str().map(str::to_string)).collect());
    let (Some(name), Some(members)) = (name, members) else {
        cx.err_help(
            gp,
            "a parameter group needs `name` and `one-of`",
            "write `{name: EnumName, one-of: [param, ...]}`",
        );
        return;
    };
    if members.len() < 2 {
        cx.err(
            &child(gp, "one-of"),
            "a parameter group needs at least two parameters",
        );
        return;
    }
    let required = g.get("required").and_then(|v| v.as_bool()).unwrap_or(true);
    let variants = group_members(cx, &members, gp, params);
    if variants.len() != members.len() || !cx.claim_type(&name, gp) {
        return;
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
        pointer: gp.to_string(),
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

/// Takes the group's members out of `params`, each with its variant name; a member that is
/// not an optional plain query parameter is reported.
fn group_members(
    cx: &mut Cx<'_>,
    members: &[String],
    gp: &str,
    params: &mut Vec<Param>,
) -> Vec<(String, Param)> {
    let mut variants = Vec::new();
    for m in members {
        let Some(pos) = params
            .iter()
            .position(|p| &p.wire == m && p.location == ParamIn::Query)
        else {
            cx.err_help(
                &child(gp, "one-of"),
                format!("`{m}` is not a query parameter of this operation"),
                "list the names of declared query parameters",
            );
            continue;
        };
        let p = params.remove(pos);
        if p.style != ParamStyle::Plain {
            cx.err_help(
                &child(gp, "one-of"),
                format!("`{m}` has a `style`, `explode: false` or `content`, which a parameter group cannot send"),
                "group only plain scalar or list parameters",
            );
        }
        if p.required {
            cx.err_help(
                &child(gp, "one-of"),
                format!("`{m}` is required, so it cannot be one of a group"),
                "declare the grouped parameters with `required: false`",
            );
        }
        let variant = pascal(&p.wire).unwrap_or_else(|| p.rust.clone());
        variants.push((variant, p));
    }
    variants
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

/// What the parameters of one operation are checked against.
pub(in crate::lower) struct ParamSite<'s> {
    pub(in crate::lower) schemes: &'s [Scheme],
    /// The placeholders of the path template, in order.
    pub(in crate::lower) template: &'s [String],
    pub(in crate::lower) path: &'s str,
    pub(in crate::lower) op_pascal: &'s str,
}

/// One parameter (its `$ref` followed) to a [`Param`]; `None` when it is refused (that is
/// reported) or filled in by a signer.
pub(in crate::lower) fn lower_param(
    cx: &mut Cx<'_>,
    at: &str,
    p: &Parameter,
    site: &ParamSite<'_>,
    rust_seen: &mut HashMap<String, String>,
) -> Option<Param> {
    let data = p.parameter_data_ref();
    let location = param_location(cx, at, p)?;
    if let Some(by) = data.extensions.get("x-signed-by") {
        check_signed_by(cx, at, by, location, site.schemes);
        return None;
    }
    if location == ParamIn::Path && !site.template.contains(&data.name) {
        cx.err_help(
            at,
            format!(
                "path parameter `{}` does not appear in the path `{}`",
                data.name, site.path
            ),
            format!(
                "add `{{{}}}` to the path, or remove the parameter",
                data.name
            ),
        );
        return None;
    }
    let prust = param_rust_name(cx, at, &data.name, rust_seen)?;
    let hint = format!(
        "{}{}",
        site.op_pascal,
        pascal(&data.name).unwrap_or_default()
    );
    let (ty, json) = param_type(cx, at, p, location, &hint)?;
    // `oneOf: [T, array of T]` in the query is a list: one value or several, each sent
    // as `name=value`, exactly what `Vec<T>` sends.
    let ty = match (&ty, location) {
        (Ty::Named(n), ParamIn::Query) if !json => one_or_many(n, &cx.types).unwrap_or(ty),
        _ => ty,
    };
    let style = param_style(cx, at, p, json, &ty)?;
    Some(Param {
        rust: prust,
        wire: data.name.clone(),
        location,
        ty,
        required: data.required,
        doc: data.description.clone(),
        style,
    })
}

/// Where the parameter goes; path parameters must be `simple` and required.
fn param_location(cx: &mut Cx<'_>, at: &str, p: &Parameter) -> Option<ParamIn> {
    let data = p.parameter_data_ref();
    Some(match p {
        Parameter::Path { style, .. } => {
            if !matches!(style, openapiv3::PathStyle::Simple) {
                cx.err_help(
                    &child(at, "style"),
                    "only the `simple` style is supported for path parameters",
                    "remove `style`",
                );
                return None;
            }
            if !data.required {
                cx.err_help(
                    at,
                    format!("path parameter `{}` must be `required: true`", data.name),
                    "OpenAPI requires path parameters to be required",
                );
                return None;
            }
            ParamIn::Path
        }
        Parameter::Query { .. } => ParamIn::Query,
        Parameter::Header { .. } => ParamIn::Header,
        Parameter::Cookie { .. } => ParamIn::Cookie,
    })
}

/// `x-signed-by`: the parameter is filled in by a signer, so it is no parameter of the
/// method; it must name a signer scheme and not be in the path.
fn check_signed_by(
    cx: &mut Cx<'_>,
    at: &str,
    by: &serde_json::Value,
    location: ParamIn,
    schemes: &[Scheme],
) {
    let by = by.as_str().unwrap_or_default();
    match schemes.iter().find(|s| s.name == by) {
        Some(Scheme {
            kind: SchemeKind::Signer(_),
            ..
        }) if location != ParamIn::Path => {}
        Some(Scheme {
            kind: SchemeKind::Signer(_),
            ..
        }) => {
            cx.err(
                &child(at, "x-signed-by"),
                "a path parameter cannot be filled by a signer",
            );
        }
        _ => {
            cx.err_help(
                &child(at, "x-signed-by"),
                format!("`{by}` is not a security scheme with `x-signer`"),
                "name a scheme of components.securitySchemes that has `x-signer`",
            );
        }
    }
}

/// The Rust name of a parameter, unique among the operation's parameters.
fn param_rust_name(
    cx: &mut Cx<'_>,
    at: &str,
    name: &str,
    rust_seen: &mut HashMap<String, String>,
) -> Option<String> {
    let Some(mut prust) = snake(name) else {
        cx.err(
            at,
            format!("parameter name `{name}` cannot become a Rust parameter name"),
        );
        return None;
    };
    if is_keyword(&prust) || prust == "body" {
        prust.push('_');
    }
    if let Some(prev) = rust_seen.get(&prust) {
        let prev = prev.clone();
        cx.err_help(
            at,
            format!("parameters `{prev}` and `{name}` both become the Rust parameter `{prust}`"),
            "rename one of them",
        );
        return None;
    }
    rust_seen.insert(prust.clone(), name.to_string());
    Some(prust)
}

/// The parameter's type, and whether it is sent as JSON text (`content: application/json`).
fn param_type(
    cx: &mut Cx<'_>,
    at: &str,
    p: &Parameter,
    location: ParamIn,
    hint: &str,
) -> Option<(Ty, bool)> {
    let data = p.parameter_data_ref();
    let content = match &data.format {
        ParameterSchemaOrContent::Schema(s) => {
            return lower_schema(cx, s, &child(at, "schema"), hint).map(|l| (l.ty, false));
        }
        ParameterSchemaOrContent::Content(content) => content,
    };
    let cp = child(at, "content");
    let Some((ct, media)) = content.iter().find(|(ct, _)| is_json(ct)) else {
        let types: Vec<&str> = content.keys().map(String::as_str).collect();
        cx.err_help(
            &cp,
            format!(
                "parameter `{}` has content type {}, which is not supported",
                data.name,
                types.join(", ")
            ),
            "use `application/json` (sent as JSON text) or a `schema`",
        );
        return None;
    };
    if !matches!(location, ParamIn::Query | ParamIn::Header) {
        cx.err_help(
            &cp,
            format!(
                "parameter `{}` is a {} parameter with `content`; only query and header parameters can be sent as JSON text",
                data.name,
                location_name(p)
            ),
            "give the parameter a `schema`",
        );
        return None;
    }
    let ty = match &media.schema {
        Some(s) => lower_schema(cx, s, &child(&child(&cp, ct), "schema"), hint)?.ty,
        None => Ty::Json,
    };
    Some((ty, true))
}

/// How the parameter is written: JSON text, a query style, or plain; a plain one must have a
/// type that can be sent that way.
fn param_style(
    cx: &mut Cx<'_>,
    at: &str,
    p: &Parameter,
    json: bool,
    ty: &Ty,
) -> Option<ParamStyle> {
    let data = p.parameter_data_ref();
    let style = if json {
        ParamStyle::Json
    } else if let Parameter::Query { style, .. } = p {
        query_style(cx, style, data.explode, ty, at, &data.name)?
    } else {
        ParamStyle::Plain
    };
    if style == ParamStyle::Plain && !param_type_ok(ty, &cx.types) {
        cx.err_help(
            &child(at, "schema"),
            format!(
                "parameter `{}` has a type that cannot be sent as a {} parameter",
                data.name,
                location_name(p)
            ),
            "use a string, number, boolean, string enum, or (for query) an array or object of those; other values can be sent as JSON text with `content: application/json`",
        );
        return None;
    }
    Some(style)
}
