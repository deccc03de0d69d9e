//! `paths` to [`Operation`]s: the walk over paths and methods, naming each operation, and the
//! lowering of one operation from its parts.

use crate::lower::body::{is_json, lower_body};
use crate::lower::cx::Cx;
use crate::lower::pagination::lower_pagination;
use crate::lower::params::{
    group_params, one_or_many, param_type_ok, params_struct, query_style, resolve_param,
};
use crate::lower::responses::{lower_responses, success_ty, Responses};
use crate::lower::schema::{lower_schema, rust_name_ext};
use crate::lower::security::lower_security;
use crate::lower::template_names;
use crate::model::{
    Arm, BodyKind, Method, Operation, OutTy, Output, Param, ParamIn, ParamStyle, Scheme,
    SchemeKind, Ty,
};
use crate::names::{is_keyword, pascal, snake};
use crate::source::child;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};
use std::collections::HashMap;

pub(super) struct OpCtx<'o> {
    pub(super) path: &'o String,
    pub(super) item: &'o openapiv3::PathItem,
    pub(super) op: &'o openapiv3::Operation,
    pub(super) method: Method,
    pub(super) id: String,
    pub(super) rust: String,
    pub(super) pointer: String,
}

pub(super) fn path_ptr_of(op_pointer: &str) -> String {
    match op_pointer.rfind('/') {
        Some(i) => op_pointer[..i].to_string(),
        None => op_pointer.to_string(),
    }
}

pub(super) fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

pub(super) fn lower_operations(cx: &mut Cx<'_>, schemes: &[Scheme]) -> Vec<Operation> {
    let mut ops = Vec::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut rust_names: HashMap<String, String> = HashMap::new();
    if cx.doc.paths.paths.is_empty() {
        cx.err_help(
            "#/paths",
            "the spec has no paths",
            "add at least one operation under `paths`",
        );
    }
    for (path, item) in &cx.doc.paths.paths {
        let path_ptr = child("#/paths", path);
        let ReferenceOr::Item(item) = item else {
            cx.err(
                &path_ptr,
                "path item references are not supported; write the path item here",
            );
            continue;
        };
        // (A path without a leading `/` never gets here: load.rs refuses it, because
        // openapiv3 would drop it silently.)
        let methods = [
            (Method::Get, &item.get),
            (Method::Put, &item.put),
            (Method::Post, &item.post),
            (Method::Delete, &item.delete),
            (Method::Options, &item.options),
            (Method::Head, &item.head),
            (Method::Patch, &item.patch),
            (Method::Trace, &item.trace),
        ];
        if methods.iter().all(|(_, o)| o.is_none()) {
            cx.err_help(
                &path_ptr,
                format!("path `{path}` has no operations"),
                "add an operation (get, post, ...) or remove the path",
            );
        }
        for (method, op) in methods {
            let Some(op) = op else { continue };
            let pointer = child(&path_ptr, method.as_str().to_ascii_lowercase());
            // Without an operationId the method is named after the method and path
            // (`GET /pets/{id}` is `get_pets_id`); `x-rust-name` can name it instead.
            let id = match op.operation_id.clone() {
                Some(id) => id,
                None => match snake(&format!("{} {path}", method.as_str())) {
                    Some(name) => name,
                    None => {
                        cx.err_help(
                            &pointer,
                            format!("{} {path} has no operationId", method.as_str()),
                            "add `operationId: someName`; it names the Rust method",
                        );
                        continue;
                    }
                },
            };
            if let Some(prev) = ids.get(&id) {
                let prev = prev.clone();
                cx.err(
                    &child(&pointer, "operationId"),
                    format!("operationId `{id}` is already used by {prev}"),
                );
                continue;
            }
            ids.insert(id.clone(), format!("{} {path}", method.as_str()));
            let explicit = rust_name_ext(&op.extensions).and_then(|n| snake(&n));
            let Some(rust) = explicit.or_else(|| snake(&id)) else {
                cx.err(
                    &child(&pointer, "operationId"),
                    format!("operationId `{id}` cannot become a Rust method name"),
                );
                continue;
            };
            let rust = if is_keyword(&rust) || rust == "builder" {
                format!("{rust}_")
            } else {
                rust
            };
            if let Some(prev) = rust_names.get(&rust) {
                let prev = prev.clone();
                cx.err_help(
                    &child(&pointer, "operationId"),
                    format!("operationId `{id}` and `{prev}` both become the Rust method `{rust}`"),
                    "rename one of them, or set `x-rust-name` on the operation",
                );
                continue;
            }
            rust_names.insert(rust.clone(), id.clone());
            if let Some(o) = lower_operation(
                cx,
                OpCtx {
                    path,
                    item,
                    op,
                    method,
                    id,
                    rust,
                    pointer,
                },
                schemes,
            ) {
                ops.push(o);
            }
        }
    }
    // A paginated operation also gets `<method>_stream`, which must not be another
    // operation's method.
    // (One whose answer's media type is chosen also has a private `<method>_json_page`.)
    for op in ops.iter().filter(|o| o.pagination.is_some()) {
        let mut extra = vec![(format!("{}_stream", op.rust), "item stream")];
        if op.json_page.is_some() {
            extra.push((format!("{}_json_page", op.rust), "JSON page method"));
        }
        for (name, what) in extra {
            if let Some(other) = ops.iter().find(|o| o.rust == name) {
                cx.err_help(
                    &child(&other.pointer, "operationId"),
                    format!(
                        "operationId `{}` becomes the Rust method `{name}`, which is the {what} of the paginated operation `{}`",
                        other.id, op.id
                    ),
                    "rename one of them, or set `x-rust-name` on one of the operations",
                );
            }
        }
    }
    ops
}

pub(super) fn lower_operation(
    cx: &mut Cx<'_>,
    opcx: OpCtx<'_>,
    schemes: &[Scheme],
) -> Option<Operation> {
    let OpCtx {
        path,
        item,
        op,
        method,
        id,
        rust,
        pointer,
    } = opcx;
    let op_pascal = pascal(&id).unwrap_or_else(|| "Operation".into());
    let before = cx.diags.len();

    // Parameters: the path item's, overridden by the operation's with the same name and place.
    let mut raw: Vec<(String, &Parameter)> = Vec::new();
    for (base, list) in [
        (
            child(&path_ptr_of(&pointer), "parameters"),
            &item.parameters,
        ),
        (child(&pointer, "parameters"), &op.parameters),
    ] {
        for (i, p) in list.iter().enumerate() {
            let at = child(&base, i.to_string());
            let Some(p) = resolve_param(cx, p, &at) else {
                continue;
            };
            let key = (p.parameter_data_ref().name.clone(), location_name(p));
            raw.retain(|(_, q)| (q.parameter_data_ref().name.clone(), location_name(q)) != key);
            raw.push((at, p));
        }
    }
    let template = match template_names(path) {
        Ok(t) => t,
        Err(msg) => {
            cx.err(
                &path_ptr_of(&pointer),
                format!("malformed path template `{path}`: {msg}"),
            );
            return None;
        }
    };
    let mut params: Vec<Param> = Vec::new();
    let mut rust_seen: HashMap<String, String> = HashMap::new();
    for (at, p) in &raw {
        let data = p.parameter_data_ref();
        let location = match p {
            Parameter::Path { style, .. } => {
                if !matches!(style, openapiv3::PathStyle::Simple) {
                    cx.err_help(
                        &child(at, "style"),
                        "only the `simple` style is supported for path parameters",
                        "remove `style`",
                    );
                    continue;
                }
                if !data.required {
                    cx.err_help(
                        at,
                        format!("path parameter `{}` must be `required: true`", data.name),
                        "OpenAPI requires path parameters to be required",
                    );
                    continue;
                }
                ParamIn::Path
            }
            Parameter::Query { .. } => ParamIn::Query,
            Parameter::Header { .. } => ParamIn::Header,
            Parameter::Cookie { .. } => ParamIn::Cookie,
        };
        if let Some(by) = data.extensions.get("x-signed-by") {
            let by = by.as_str().unwrap_or_default();
            match schemes.iter().find(|s| s.name == by) {
                Some(Scheme {
                    kind: SchemeKind::Signer(_),
                    ..
                }) if location != ParamIn::Path => continue,
                Some(Scheme {
                    kind: SchemeKind::Signer(_),
                    ..
                }) => {
                    cx.err(
                        &child(at, "x-signed-by"),
                        "a path parameter cannot be filled by a signer",
                    );
                    continue;
                }
                _ => {
                    cx.err_help(
                        &child(at, "x-signed-by"),
                        format!("`{by}` is not a security scheme with `x-signer`"),
                        "name a scheme of components.securitySchemes that has `x-signer`",
                    );
                    continue;
                }
            }
        }
        if location == ParamIn::Path && !template.contains(&data.name) {
            cx.err_help(
                at,
                format!(
                    "path parameter `{}` does not appear in the path `{path}`",
                    data.name
                ),
                format!(
                    "add `{{{}}}` to the path, or remove the parameter",
                    data.name
                ),
            );
            continue;
        }
        let Some(mut prust) = snake(&data.name) else {
            cx.err(
                at,
                format!(
                    "parameter name `{}` cannot become a Rust parameter name",
                    data.name
                ),
            );
            continue;
        };
        if is_keyword(&prust) || prust == "body" {
            prust.push('_');
        }
        if let Some(prev) = rust_seen.get(&prust) {
            let prev = prev.clone();
            cx.err_help(
                at,
                format!(
                    "parameters `{prev}` and `{}` both become the Rust parameter `{prust}`",
                    data.name
                ),
                "rename one of them",
            );
            continue;
        }
        rust_seen.insert(prust.clone(), data.name.clone());
        let hint = format!("{op_pascal}{}", pascal(&data.name).unwrap_or_default());
        let (ty, json) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                match lower_schema(cx, s, &child(at, "schema"), &hint) {
                    Some(l) => (l.ty, false),
                    None => continue,
                }
            }
            ParameterSchemaOrContent::Content(content) => {
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
                    continue;
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
                    continue;
                }
                let ty = match &media.schema {
                    Some(s) => {
                        match lower_schema(cx, s, &child(&child(&cp, ct), "schema"), &hint) {
                            Some(l) => l.ty,
                            None => continue,
                        }
                    }
                    None => Ty::Json,
                };
                (ty, true)
            }
        };
        // `oneOf: [T, array of T]` in the query is a list: one value or several, each sent
        // as `name=value`, exactly what `Vec<T>` sends.
        let ty = match (&ty, location) {
            (Ty::Named(n), ParamIn::Query) if !json => one_or_many(n, &cx.types).unwrap_or(ty),
            _ => ty,
        };
        let style = if json {
            ParamStyle::Json
        } else if let Parameter::Query { style, .. } = p {
            match query_style(cx, style, data.explode, &ty, at, &data.name) {
                Some(s) => s,
                None => continue,
            }
        } else {
            ParamStyle::Plain
        };
        if style == ParamStyle::Plain && !param_type_ok(&ty, &cx.types) {
            cx.err_help(
                &child(at, "schema"),
                format!(
                    "parameter `{}` has a type that cannot be sent as a {} parameter",
                    data.name,
                    location_name(p)
                ),
                "use a string, number, boolean, string enum, or (for query) an array or object of those; other values can be sent as JSON text with `content: application/json`",
            );
            continue;
        }
        params.push(Param {
            rust: prust,
            wire: data.name.clone(),
            location,
            ty,
            required: data.required,
            doc: data.description.clone(),
            style,
        });
    }
    for name in &template {
        if !params
            .iter()
            .any(|p| p.location == ParamIn::Path && &p.wire == name)
            && !raw.iter().any(|(_, p)| {
                matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == name
            })
        {
            cx.err_help(&path_ptr_of(&pointer), format!("path `{path}` uses `{{{name}}}` but {} {path} declares no path parameter `{name}`", method.as_str()), format!("add a parameter with `name: {name}` and `in: path`"));
        }
    }
    // Path parameters first, in template order.
    params.sort_by_key(|p| match p.location {
        ParamIn::Path => template.iter().position(|n| n == &p.wire).unwrap_or(0),
        _ => usize::MAX,
    });
    let mut rust_path = path.clone();
    for p in params.iter().filter(|p| p.location == ParamIn::Path) {
        rust_path = rust_path.replace(&format!("{{{}}}", p.wire), &format!("{{{}}}", p.rust));
    }
    group_params(cx, op, &pointer, &mut params);
    let params_struct = params_struct(cx, &id, &op_pascal, &pointer, &mut params);

    let body = match &op.request_body {
        None => None,
        Some(rb) => lower_body(cx, rb, &child(&pointer, "requestBody"), &op_pascal),
    };

    let Responses {
        ok,
        err,
        output,
        media_params,
    } = lower_responses(cx, op, &pointer, &op_pascal)?;
    for (name, at) in media_params {
        if !raw.iter().any(|(_, p)| p.parameter_data_ref().name == name) {
            cx.err_help(
                &at,
                format!("`x-media-type-param` names `{name}`, which is not a parameter of this operation"),
                "name the path, query or header parameter whose value chooses the media type",
            );
        }
    }
    let auth = lower_security(cx, op, &pointer, schemes);
    // Paging reads the JSON form of an answer whose media type the request chooses.
    let json_page = match &output {
        Output::Enum { .. }
            if op.extensions.contains_key("x-pagination")
                && ok.iter().any(|a| a.media.is_some()) =>
        {
            let arms: Vec<Arm> = ok
                .iter()
                .filter(|a| a.media.is_some() && matches!(a.kind, BodyKind::Json(_)))
                .map(|a| Arm {
                    variant: None,
                    ..a.clone()
                })
                .collect();
            let outs: Vec<OutTy> = arms
                .iter()
                .map(|a| success_ty(cx, &a.kind, false, a.unwrap))
                .collect();
            match outs.first() {
                Some(first) if outs.iter().all(|o| o == first) => Some((arms, first.clone())),
                _ => None,
            }
        }
        _ => None,
    };
    let pagination = match op.extensions.get("x-pagination") {
        None => None,
        Some(v) => lower_pagination(
            cx,
            v,
            &child(&pointer, "x-pagination"),
            &match &json_page {
                Some((_, out)) => Output::Single(out.clone()),
                None => output.clone(),
            },
            params_struct.as_deref(),
        ),
    };
    if cx.diags.len() > before {
        return None;
    }
    Some(Operation {
        id,
        rust,
        method,
        path: path.clone(),
        rust_path,
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        params,
        params_struct,
        body,
        ok,
        err,
        auth,
        output,
        pagination,
        json_page,
        pointer,
    })
}
