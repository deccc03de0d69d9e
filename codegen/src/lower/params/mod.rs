//! Operation parameters to [`Param`]s: `$ref`s followed, each parameter's place, Rust name,
//! type and style checked; [`types`] says what can be sent and how, [`groups`] groups them.

mod groups;
mod types;

use std::collections::HashMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

use crate::lower::body::is_json;
use crate::lower::cx::Cx;
use crate::lower::operations::location_name;
use crate::lower::rename::suffixed;
use crate::lower::schema::{lower_schema, unescape};
use crate::model::{Param, ParamIn, ParamStyle, Scheme, SchemeKind, Ty};
use crate::names::{is_keyword, pascal, snake};
use crate::source::child;

pub(super) use groups::{group_params, params_struct};
pub(super) use types::param_type_ok;
use types::{one_or_many, query_style};

/// A parameter, following a `$ref` to `#/components/parameters`.
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
    let prust = param_rust_name(cx, at, &data.name, location_name(p), rust_seen)?;
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
    let before = cx.diags.len();
    let (ty, style) = match param_style(cx, at, p, json, &ty) {
        Some(style) => (ty, style),
        // Someone else's spec: a parameter whose type has no form where it is sent (a union
        // of a string and a list, a nullable map in the query) is a string the caller writes,
        // rather than a refused spec.
        None if cx.lenient() && !json && cx.diags.len() == before + 1 => {
            let refused = cx.diags.pop().map(|d| d.message).unwrap_or_default();
            cx.warn(
                &child(at, "schema"),
                format!("{refused}: read as a string, sent as the text given"),
            );
            (Ty::String, ParamStyle::Plain)
        }
        None => return None,
    };
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
        Parameter::Header { .. } | Parameter::Cookie { .. } => {
            let (location, what) = match p {
                Parameter::Header { .. } => (ParamIn::Header, "header"),
                _ => (ParamIn::Cookie, "cookie"),
            };
            if let Some(bad) = not_a_token(&data.name) {
                cx.err_help(
                    &child(at, "name"),
                    format!("{what} name {:?} contains {bad}, so no request could send it", data.name),
                    "a header or cookie name is an HTTP token: letters, digits and ``!#$%&'*+-.^_`|~``",
                );
                return None;
            }
            location
        }
    })
}

/// What makes `name` no HTTP token (RFC 9110 `token`, which header names and, by RFC 6265,
/// cookie names are), in words; `None` if it is one.
pub(in crate::lower) fn not_a_token(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("nothing".into());
    }
    let bad = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)))?;
    Some(match bad {
        ' ' => "a space".into(),
        '\r' | '\n' => "a line break".into(),
        c if c.is_control() => format!("the control character {:?}", c),
        c => format!("`{c}`"),
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
    place: &str,
    rust_seen: &mut HashMap<String, String>,
) -> Option<String> {
    let Some(mut prust) = snake(name) else {
        cx.err(
            at,
            format!("parameter name `{name}` cannot become a Rust parameter name"),
        );
        return None;
    };
    // The method's own arguments: `body`, and `params` (the parameters struct) beside path
    // parameters, which are arguments too.
    if is_keyword(&prust) || prust == "body" || (prust == "params" && place == "path") {
        prust.push('_');
    }
    if let Some(prev) = rust_seen.get(&prust) {
        let message =
            format!("parameters `{prev}` and `{name}` both become the Rust parameter `{prust}`");
        if !cx.lenient() {
            cx.err_help(at, message, "rename one of them");
            return None;
        }
        // Someone else's spec (the same name in the path and the query is common): this one is
        // named after where it goes too, and still sent under its own name.
        let taken =
            |n: &str| rust_seen.contains_key(n) || is_keyword(n) || n == "body" || n == "params";
        let mut free = format!("{prust}_{place}");
        if taken(&free) {
            free = suffixed(free, 1, taken);
        }
        cx.warn(
            at,
            format!(
                "{place} parameter `{name}` would become the Rust parameter `{prust}`, as `{prev}` does: named `{free}`"
            ),
        );
        prust = free;
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
    if matches!(p, Parameter::Cookie { .. }) && matches!(ty, Ty::Vec(_)) {
        cx.err_help(
            &child(at, "schema"),
            format!(
                "cookie parameter `{}` is a list, which a cookie value cannot hold (its items would be joined by commas)",
                data.name
            ),
            "send it as a string, or as a query or header parameter",
        );
        return None;
    }
    if style == ParamStyle::Plain && !param_type_ok(ty, &cx.types) {
        cx.err_help(
            &child(at, "schema"),
            format!(
                "parameter `{}` has a type that cannot be sent as a {} parameter",
                data.name,
                location_name(p)
            ),
            "use a string, number, boolean, string enum, an array of those, or (for query) an object of those; other values can be sent as JSON text with `content: application/json`",
        );
        return None;
    }
    Some(style)
}
