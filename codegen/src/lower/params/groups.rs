//! `x-param-groups` to group enums (exactly one of several query parameters), and the
//! operation's optional parameters to a `<Operation>Params` struct.

use crate::lower::cx::Cx;
use crate::model::{Param, ParamIn, ParamStyle, Ty, TypeDef, TypeKind};
use crate::names::{pascal, snake};
use crate::source::child;

/// Replaces the members of each `x-param-groups` entry by one parameter of a generated enum.
pub(in crate::lower) fn group_params(
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
pub(in crate::lower) fn params_struct(
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
