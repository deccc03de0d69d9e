//! `paths` to [`Operation`]s: the walk over paths and methods, naming each operation, and the
//! lowering of one operation from its parts.

use std::collections::HashMap;

use openapiv3::{Parameter, ReferenceOr};

use crate::load::lenient::split_query;
use crate::lower::body::lower_body;
use crate::lower::cx::Cx;
use crate::lower::pagination::lower_pagination;
use crate::lower::params::{group_params, lower_param, params_struct, resolve_param, ParamSite};
use crate::lower::rename::suffixed;
use crate::lower::responses::{lower_responses, success_ty, Responses};
use crate::lower::schema::rust_name_ext;
use crate::lower::security::lower_security;
use crate::lower::template_names;
use crate::model::{Arm, BodyKind, Method, Operation, OutTy, Output, Param, ParamIn, Scheme};
use crate::names::{is_keyword, pascal, snake};
use crate::source::child;

struct OpCtx<'o> {
    /// The path template, without any query.
    path: &'o str,
    /// The fixed pairs of the template's query (`view=summary`), sent as written.
    fixed_query: Option<&'o str>,
    item: &'o openapiv3::PathItem,
    op: &'o openapiv3::Operation,
    method: Method,
    id: String,
    rust: String,
    pointer: String,
}

fn path_ptr_of(op_pointer: &str) -> String {
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

/// Operation ids and Rust method names taken so far, each with who took it.
#[derive(Default)]
struct Taken {
    /// operationId -> `METHOD /path`.
    ids: HashMap<String, String>,
    /// Rust method name -> operationId.
    rust_names: HashMap<String, String>,
}

pub(super) fn lower_operations(cx: &mut Cx<'_>, schemes: &[Scheme]) -> Vec<Operation> {
    let mut ops = Vec::new();
    let mut taken = Taken::default();
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
        lower_path_item(cx, path, item, &path_ptr, &mut taken, schemes, &mut ops);
    }
    check_extra_methods(cx, &ops);
    ops
}

/// The operations of one path item, in the order of [`Method`]s.
fn lower_path_item(
    cx: &mut Cx<'_>,
    path: &str,
    item: &openapiv3::PathItem,
    path_ptr: &str,
    taken: &mut Taken,
    schemes: &[Scheme],
    ops: &mut Vec<Operation>,
) {
    // (A path without a leading `/` never gets here: load.rs refuses it, because
    // openapiv3 would drop it silently.)
    let path = fragment_free(cx, path, path_ptr);
    let (path, fixed_query) = query_free(cx, path, path_ptr);
    // What names an operation without an operationId: the fixed query tells apart two
    // operations on one path.
    let named_path = match &fixed_query {
        Some(fixed) => format!("{path}?{fixed}"),
        None => path.to_string(),
    };
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
        let message = format!("path `{path}` has no operations");
        if cx.lenient() {
            cx.warn(
                path_ptr,
                format!("{message}: the client has no method for it"),
            );
        } else {
            cx.err_help(
                path_ptr,
                message,
                "add an operation (get, post, ...) or remove the path",
            );
        }
    }
    for (method, op) in methods {
        let Some(op) = op else { continue };
        let pointer = child(path_ptr, method.as_str().to_ascii_lowercase());
        let Some((id, rust)) = name_operation(cx, method, &named_path, op, &pointer, taken) else {
            continue;
        };
        let opcx = OpCtx {
            path,
            fixed_query: fixed_query.as_deref(),
            item,
            op,
            method,
            id,
            rust,
            pointer,
        };
        if let Some(o) = lower_operation(cx, opcx, schemes) {
            ops.push(o);
        }
    }
}

/// In someone else's spec, a path template ending in a fragment that is a bare word
/// (`/oauth2/token#refresh`, Box's way of writing two operations on one path and method): the
/// path without it. A client never sends a fragment, so the requests are what the spec describes.
/// A fragment that carries data (`/#Action=CreateQueue`, AWS's, which its requests must carry)
/// is left for `template_names` to refuse.
fn fragment_free<'p>(cx: &mut Cx<'_>, path: &'p str, path_ptr: &str) -> &'p str {
    let Some((bare, fragment)) = path.split_once('#') else {
        return path;
    };
    let word = !fragment.is_empty()
        && fragment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !cx.lenient() || !word || bare.is_empty() {
        return path;
    }
    cx.warn(
        path_ptr,
        format!("path `{path}` ends in the fragment `#{fragment}`, which is never sent: read as `{bare}`"),
    );
    bare
}

/// In someone else's spec, a path template with a query of `name={name}` placeholders for
/// parameters declared apart and fixed `name=value` pairs (`/orders?customerName={customerName}`
/// beside a `/orders`, so that the loader could not rename it; `/stats?view=summary`): the path,
/// and the fixed pairs, which `#[endpoint]` sends as written. The parameters are sent as
/// declared. Anything else is left for `template_names` to refuse.
fn query_free<'p>(cx: &mut Cx<'_>, path: &'p str, path_ptr: &str) -> (&'p str, Option<String>) {
    let Some((bare, parameters, fixed)) = split_query(path).filter(|_| cx.lenient()) else {
        return (path, None);
    };
    if bare.contains('#') {
        return (path, None);
    }
    if !parameters.is_empty() {
        cx.warn(
            path_ptr,
            format!("path `{path}` has a query of parameters in its template: read as `{bare}`, the parameters sent as declared"),
        );
    }
    if fixed.is_empty() {
        return (bare, None);
    }
    cx.warn(
        path_ptr,
        format!("path `{path}` has fixed text in the query of its template: `{fixed}` is sent with every call, before the query parameters"),
    );
    (bare, Some(fixed))
}

/// The method name of an operation without a usable operationId: its method and path
/// (`GET /pets/{id}` is `get_pets_id`).
fn named_after_path(method: Method, path: &str) -> Option<String> {
    snake(&format!("{} {path}", method.as_str()))
}

/// The operation's id and Rust method name, each checked against the ones taken before.
fn name_operation(
    cx: &mut Cx<'_>,
    method: Method,
    path: &str,
    op: &openapiv3::Operation,
    pointer: &str,
    taken: &mut Taken,
) -> Option<(String, String)> {
    // Without an operationId the method is named after the method and path; `x-rust-name` can
    // name it instead.
    let id = match op.operation_id.clone() {
        Some(id) => id,
        None => match named_after_path(method, path) {
            Some(name) => name,
            None => {
                cx.err_help(
                    pointer,
                    format!("{} {path} has no operationId", method.as_str()),
                    "add `operationId: someName`; it names the Rust method",
                );
                return None;
            }
        },
    };
    let id_at = child(pointer, "operationId");
    // In someone else's spec an operationId used twice is kept (errors and logs name it) and
    // the operation gets a method name of its own below; ours must not repeat one.
    let used_by = taken.ids.get(&id).cloned();
    match &used_by {
        Some(prev) if !cx.lenient() => {
            cx.err(
                &id_at,
                format!("operationId `{id}` is already used by {prev}"),
            );
            return None;
        }
        Some(_) => {}
        None => {
            taken
                .ids
                .insert(id.clone(), format!("{} {path}", method.as_str()));
        }
    }
    let explicit = rust_name_ext(&op.extensions).and_then(|n| snake(&n));
    let (id, rust) = match explicit.or_else(|| snake(&id)) {
        Some(rust) => (id, rust),
        None => {
            let message = format!("operationId `{id}` cannot become a Rust method name");
            // Named after its method and path instead, as without an operationId.
            match named_after_path(method, path).filter(|_| cx.lenient()) {
                Some(rust) => {
                    cx.warn(
                        &id_at,
                        format!("{message}: named after its method and path, `{rust}`"),
                    );
                    (rust.clone(), rust)
                }
                None => {
                    cx.err(&id_at, message);
                    return None;
                }
            }
        }
    };
    let rust = if is_keyword(&rust) || rust == "builder" {
        format!("{rust}_")
    } else {
        rust
    };
    let rust = match taken.rust_names.get(&rust) {
        None => rust,
        Some(prev) => {
            if !cx.lenient() {
                cx.err_help(
                    &id_at,
                    format!("operationId `{id}` and `{prev}` both become the Rust method `{rust}`"),
                    "rename one of them, or set `x-rust-name` on the operation",
                );
                return None;
            }
            let free = suffixed(format!("{rust}_"), 1, |n| taken.rust_names.contains_key(n));
            if used_by.is_none() {
                cx.warn(
                    &id_at,
                    format!(
                        "operationId `{id}` would become the Rust method `{rust}`, as `{prev}` does: named `{free}`"
                    ),
                );
            }
            free
        }
    };
    if let Some(prev) = used_by {
        cx.warn(
            &id_at,
            format!(
                "operationId `{id}` is already used by {prev}: this operation's method is `{rust}`"
            ),
        );
    }
    taken.rust_names.insert(rust.clone(), id.clone());
    Some((id, rust))
}

/// A paginated operation also gets `<method>_stream`, which must not be another
/// operation's method.
/// (One whose answer's media type is chosen also has a private `<method>_json_page`.)
fn check_extra_methods(cx: &mut Cx<'_>, ops: &[Operation]) {
    // Method name -> its operation (a lookup per paginated operation, not a scan of them all).
    let by_rust: HashMap<&str, &Operation> = ops.iter().map(|o| (o.rust.as_str(), o)).collect();
    for op in ops.iter().filter(|o| o.pagination.is_some()) {
        let mut extra = vec![(format!("{}_stream", op.rust), "item stream")];
        if op.json_page.is_some() {
            extra.push((format!("{}_json_page", op.rust), "JSON page method"));
        }
        for (name, what) in extra {
            if let Some(other) = by_rust.get(name.as_str()) {
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
}

fn lower_operation(cx: &mut Cx<'_>, opcx: OpCtx<'_>, schemes: &[Scheme]) -> Option<Operation> {
    let OpCtx {
        path,
        fixed_query,
        item,
        op,
        method,
        id,
        rust,
        pointer,
    } = opcx;
    let op_pascal = pascal(&id).unwrap_or_else(|| "Operation".into());
    let before = cx.diags.len();
    let raw = gather_params(cx, item, op, &pointer);
    let template = match template_names(path) {
        Ok(t) => t,
        Err(msg) => {
            let at = path_ptr_of(&pointer);
            cx.err(&at, format!("malformed path template `{path}`: {msg}"));
            return None;
        }
    };
    let site = ParamSite {
        schemes,
        template: &template,
        path,
        op_pascal: &op_pascal,
    };
    let mut params = operation_params(cx, &site, &raw, method, &pointer);
    let mut rust_path = rust_path_of(path, &params);
    let mut full_path = path.to_string();
    if let Some(fixed) = fixed_query {
        for p in [&mut rust_path, &mut full_path] {
            p.push('?');
            p.push_str(fixed);
        }
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
    check_media_params(cx, media_params, &raw);
    let auth = lower_security(cx, op, &pointer, schemes, &raw);
    let accept = crate::lower::responses::accept::accept_of(cx, op);
    let json_page = json_page_of(cx, op, &output, &ok);
    let pagination = op.extensions.get("x-pagination").and_then(|v| {
        let paged = match &json_page {
            Some((_, out)) => Output::Single(out.clone()),
            None => output.clone(),
        };
        let at = child(&pointer, "x-pagination");
        lower_pagination(cx, v, &at, &paged, params_struct.as_deref())
    });
    if cx.diags.len() > before {
        return None;
    }
    Some(Operation {
        id,
        rust,
        method,
        path: full_path,
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
        accept,
        // Known once every type is: see `security::mark_sensitive`.
        sensitive: false,
        output,
        pagination,
        json_page,
        pointer,
    })
}

/// The operation's parameters, path parameters first in template order.
fn operation_params(
    cx: &mut Cx<'_>,
    site: &ParamSite<'_>,
    raw: &[(String, &Parameter)],
    method: Method,
    pointer: &str,
) -> Vec<Param> {
    let mut params: Vec<Param> = Vec::new();
    let mut rust_seen: HashMap<String, String> = HashMap::new();
    // Path parameters are named first: where a published spec gives a query parameter the
    // same name, the query one is renamed (see `param_rust_name`).
    let (path_params, others): (Vec<_>, Vec<_>) = raw
        .iter()
        .partition(|(_, p)| matches!(p, Parameter::Path { .. }));
    for (at, p) in path_params.into_iter().chain(others) {
        params.extend(lower_param(cx, at, p, site, &mut rust_seen));
    }
    check_path_declared(cx, site, &params, raw, method, pointer);
    // Path parameters first, in template order.
    params.sort_by_key(|p| match p.location {
        ParamIn::Path => site.template.iter().position(|n| n == &p.wire).unwrap_or(0),
        _ => usize::MAX,
    });
    params
}

/// Parameters: the path item's, overridden by the operation's with the same name and place.
/// Each with its pointer, `$ref`s followed.
fn gather_params<'a: 'p, 'p>(
    cx: &mut Cx<'a>,
    item: &'p openapiv3::PathItem,
    op: &'p openapiv3::Operation,
    pointer: &str,
) -> Vec<(String, &'p Parameter)> {
    let mut raw: Vec<(String, &Parameter)> = Vec::new();
    for (base, list) in [
        (child(&path_ptr_of(pointer), "parameters"), &item.parameters),
        (child(pointer, "parameters"), &op.parameters),
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
    raw
}

/// Every `{name}` of the path template needs a path parameter of that name.
fn check_path_declared(
    cx: &mut Cx<'_>,
    site: &ParamSite<'_>,
    params: &[Param],
    raw: &[(String, &Parameter)],
    method: Method,
    pointer: &str,
) {
    let path = site.path;
    for name in site.template {
        if !params
            .iter()
            .any(|p| p.location == ParamIn::Path && &p.wire == name)
            && !raw.iter().any(|(_, p)| {
                matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == name
            })
        {
            cx.err_help(&path_ptr_of(pointer), format!("path `{path}` uses `{{{name}}}` but {} {path} declares no path parameter `{name}`", method.as_str()), format!("add a parameter with `name: {name}` and `in: path`"));
        }
    }
}

/// The path template with the Rust names of the path parameters in its placeholders, and its
/// literal text percent-encoded where a URL path needs it (`"` becomes `%22`, `ü` `%C3%BC`; an
/// escape already there, `%22`, is kept), as the `#[endpoint]` macro expects.
fn rust_path_of(path: &str, params: &[Param]) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    // `template_names` has checked that braces pair up.
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        push_encoded(&mut out, &rest[..open]);
        let wire = &rest[open + 1..close.min(rest.len())];
        let name = params
            .iter()
            .find(|p| p.location == ParamIn::Path && p.wire == wire)
            .map_or(wire, |p| p.rust.as_str());
        out.push('{');
        out.push_str(name);
        out.push('}');
        rest = rest.get(close + 1..).unwrap_or("");
    }
    push_encoded(&mut out, rest);
    out
}

/// `text` onto `out`, with every byte a URL path cannot hold as is written `%XX`.
fn push_encoded(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let escape = b == b'%'
            && bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) || escape {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        i += 1;
    }
}

/// `x-media-type-param` must name a parameter of the operation.
fn check_media_params(
    cx: &mut Cx<'_>,
    media_params: Vec<(String, String)>,
    raw: &[(String, &Parameter)],
) {
    for (name, at) in media_params {
        if !raw.iter().any(|(_, p)| p.parameter_data_ref().name == name) {
            cx.err_help(
                &at,
                format!("`x-media-type-param` names `{name}`, which is not a parameter of this operation"),
                "name the path, query or header parameter whose value chooses the media type",
            );
        }
    }
}

/// Paging reads the JSON form of an answer whose media type the request chooses.
fn json_page_of(
    cx: &Cx<'_>,
    op: &openapiv3::Operation,
    output: &Output,
    ok: &[Arm],
) -> Option<(Vec<Arm>, OutTy)> {
    match output {
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
    }
}
