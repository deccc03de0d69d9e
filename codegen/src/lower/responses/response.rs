//! One response object to a [`RespInfo`]: its body kind, `x-outcome`, `x-unwrap`, and the arms
//! of `x-media-type-param`.

use openapiv3::ReferenceOr;

use crate::lower::body::is_json;
use crate::lower::cx::Cx;
use crate::lower::responses::{MediaArms, RespInfo};
use crate::lower::schema::{lower_schema, unescape};
use crate::model::{BodyKind, Ty};
use crate::names::pascal;
use crate::source::child;

/// The name a response's inline body type is given: a shared response (`$ref`) is named after
/// itself, not after the first operation that uses it; otherwise `hint`.
fn response_hint(r: &ReferenceOr<openapiv3::Response>, hint: &str) -> String {
    match r {
        ReferenceOr::Reference { reference } => {
            pascal(reference.rsplit('/').next().unwrap_or(hint)).unwrap_or_else(|| hint.to_string())
        }
        ReferenceOr::Item(_) => hint.to_string(),
    }
}

/// The outcome name of a media type (`text/csv` is `Csv`).
fn media_variant(top: &str, sub: &str) -> String {
    let sub = sub.rsplit('+').next().unwrap_or(sub);
    match (top, sub) {
        (_, "json") => "Json".into(),
        (_, "xml") => "Xml".into(),
        ("text", "plain") => "Text".into(),
        ("application", "octet-stream") => "Binary".into(),
        (top, "*") => pascal(top).unwrap_or_else(|| "Any".into()),
        (_, sub) => pascal(sub).unwrap_or_else(|| "Other".into()),
    }
}

/// The extensions a response object may carry, as written.
struct RespExt {
    /// `x-error-variants`.
    rejected: Vec<String>,
    /// `x-outcome`.
    outcome: Option<String>,
    /// `x-unwrap`.
    unwrap: Option<String>,
    /// `x-stream` as written (`None`: not said).
    stream: Option<bool>,
}

/// Body kind, rejected variant schema names, and the pointer of the response object.
/// One response. `success`: an exact 2xx status, whose `application/octet-stream` body is
/// streamed unless the spec says `x-stream: false`.
pub(in crate::lower) fn lower_response(
    cx: &mut Cx<'_>,
    r: &ReferenceOr<openapiv3::Response>,
    at: &str,
    hint: &str,
    success: bool,
) -> Option<RespInfo> {
    let (resp, resp_ptr) = resolve_response(cx, r, at)?;
    let ext = response_ext(cx, resp, &resp_ptr)?;
    if let Some(v) = resp.extensions.get("x-media-type-param") {
        let site = RespSite {
            r,
            resp,
            resp_ptr: &resp_ptr,
            hint,
        };
        return media_response(cx, &site, v, success, ext);
    }
    // A binary download is streamed by default: it can be large, and a `ByteStream` is
    // still one `collect()` away from the whole body.
    let binary_only = !resp.content.is_empty()
        && resp
            .content
            .keys()
            .all(|ct| ct.eq_ignore_ascii_case("application/octet-stream"));
    let stream = ext
        .stream
        .unwrap_or(success && binary_only && ext.unwrap.is_none() && ext.rejected.is_empty());
    if stream {
        check_stream(cx, resp, &resp_ptr, &ext)?;
    }
    let kind = if stream {
        BodyKind::Stream
    } else if resp.content.is_empty() {
        BodyKind::Empty
    } else {
        body_kind(cx, r, resp, &resp_ptr, hint)?
    };
    Some(RespInfo {
        kind,
        rejected: ext.rejected,
        ptr: resp_ptr,
        outcome: ext.outcome,
        unwrap: ext.unwrap,
        media: None,
    })
}

/// The response object and its pointer, following a `$ref` to `#/components/responses`;
/// `None` for a reference to nothing (see [`resolve_response`], which reports it).
pub(in crate::lower) fn lookup_response<'r>(
    doc: &'r openapiv3::OpenAPI,
    r: &'r ReferenceOr<openapiv3::Response>,
    at: &str,
) -> Option<(&'r openapiv3::Response, String)> {
    match r {
        ReferenceOr::Item(resp) => Some((resp, at.to_string())),
        ReferenceOr::Reference { reference } => {
            let key = reference
                .strip_prefix("#/components/responses/")
                .map(unescape)?;
            match doc.components.as_ref()?.responses.get(&key)? {
                ReferenceOr::Item(resp) => Some((resp, child("#/components/responses", &key))),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

/// [`lookup_response`], reporting a reference to nothing.
fn resolve_response<'a: 'r, 'r>(
    cx: &mut Cx<'a>,
    r: &'r ReferenceOr<openapiv3::Response>,
    at: &str,
) -> Option<(&'r openapiv3::Response, String)> {
    let found = lookup_response(cx.doc, r, at);
    if found.is_none() {
        if let ReferenceOr::Reference { reference } = r {
            cx.err_help(
                &child(at, "$ref"),
                format!("`$ref` target `{reference}` does not exist"),
                "responses may refer to `#/components/responses/<Name>`",
            );
        }
    }
    found
}

/// Reads `x-error-variants`, `x-outcome`, `x-unwrap` and `x-stream`, in that order.
fn response_ext(cx: &mut Cx<'_>, resp: &openapiv3::Response, resp_ptr: &str) -> Option<RespExt> {
    let rejected: Vec<String> = match resp.extensions.get("x-error-variants") {
        None => Vec::new(),
        Some(v) => match v.as_array().map(|a| {
            a.iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        }) {
            Some(Some(list)) if !list.is_empty() => list,
            _ => {
                cx.err(
                    &child(resp_ptr, "x-error-variants"),
                    "`x-error-variants` must be a non-empty list of schema names",
                );
                return None;
            }
        },
    };
    let outcome = match resp.extensions.get("x-outcome") {
        None => None,
        Some(v) => match v.as_str().and_then(pascal) {
            Some(name) => Some(name),
            None => {
                cx.err(
                    &child(resp_ptr, "x-outcome"),
                    "`x-outcome` must be a name (it becomes a Rust enum variant)",
                );
                return None;
            }
        },
    };
    let unwrap = match resp.extensions.get("x-unwrap") {
        None => None,
        Some(v) => match v.as_str() {
            Some(p) if !p.is_empty() => Some(p.to_string()),
            _ => {
                cx.err(
                    &child(resp_ptr, "x-unwrap"),
                    "`x-unwrap` must be a path such as `results` or `networks/*/network`",
                );
                return None;
            }
        },
    };
    let stream = match resp.extensions.get("x-stream") {
        None => None,
        Some(serde_json::Value::Bool(b)) => Some(*b),
        Some(_) => {
            cx.err(
                &child(resp_ptr, "x-stream"),
                "`x-stream` must be `true` or `false`",
            );
            return None;
        }
    };
    Some(RespExt {
        rejected,
        outcome,
        unwrap,
        stream,
    })
}

/// The response a body's arms come from, and the name its inline body type is given.
struct RespSite<'s> {
    r: &'s ReferenceOr<openapiv3::Response>,
    resp: &'s openapiv3::Response,
    resp_ptr: &'s str,
    hint: &'s str,
}

/// A success response whose media type the request chooses (`x-media-type-param`).
fn media_response(
    cx: &mut Cx<'_>,
    site: &RespSite<'_>,
    v: &serde_json::Value,
    success: bool,
    ext: RespExt,
) -> Option<RespInfo> {
    let at = child(site.resp_ptr, "x-media-type-param");
    let param = match v.as_str() {
        Some(p) if !p.is_empty() => p.to_string(),
        _ => {
            cx.err_help(
                &at,
                "`x-media-type-param` must be the name of the parameter that chooses the response's media type",
                "e.g. `x-media-type-param: format` for a `.{format}` path suffix",
            );
            return None;
        }
    };
    if !success {
        cx.err_help(
            &at,
            "`x-media-type-param` only applies to exact success (2xx) statuses",
            "error bodies are decoded as JSON whatever their media type; drop it here",
        );
        return None;
    }
    if !ext.rejected.is_empty() {
        cx.err(
            &at,
            "`x-media-type-param` cannot be combined with `x-error-variants`",
        );
        return None;
    }
    let arms = lower_media_arms(cx, site, ext.outcome.as_deref(), ext.stream)?;
    if ext.unwrap.is_some() && !arms.iter().any(|(_, k, _)| matches!(k, BodyKind::Json(_))) {
        cx.err(
            &child(site.resp_ptr, "x-unwrap"),
            "`x-unwrap` applies to the JSON form of the response, and it has none",
        );
        return None;
    }
    Some(RespInfo {
        kind: arms.first()?.1.clone(),
        rejected: ext.rejected,
        ptr: site.resp_ptr.to_string(),
        outcome: ext.outcome,
        unwrap: ext.unwrap,
        media: Some(MediaArms {
            arms,
            param,
            ptr: at,
        }),
    })
}

/// A streamed body must be binary or text, and is handed over as it is.
fn check_stream(
    cx: &mut Cx<'_>,
    resp: &openapiv3::Response,
    resp_ptr: &str,
    ext: &RespExt,
) -> Option<()> {
    let at = child(resp_ptr, "x-stream");
    if resp.content.is_empty() || resp.content.keys().any(|ct| is_json(ct)) {
        cx.err_help(
            &at,
            "`x-stream` needs a binary or text body (not JSON, not empty)",
            "use it on a download such as `text/csv` or `application/octet-stream` with `format: binary`",
        );
        return None;
    }
    if ext.unwrap.is_some() || !ext.rejected.is_empty() {
        cx.err(
            &at,
            "`x-stream` cannot be combined with `x-unwrap` or `x-error-variants`",
        );
        return None;
    }
    Some(())
}

/// The body of a response with content: JSON if any media type is, else text or bytes.
fn body_kind(
    cx: &mut Cx<'_>,
    r: &ReferenceOr<openapiv3::Response>,
    resp: &openapiv3::Response,
    resp_ptr: &str,
    hint: &str,
) -> Option<BodyKind> {
    Some(
        if let Some((ct, media)) = resp.content.iter().find(|(ct, _)| is_json(ct)) {
            let sp = child(&child(&child(resp_ptr, "content"), ct), "schema");
            match &media.schema {
                Some(s) => {
                    let hint = response_hint(r, hint);
                    BodyKind::Json(lower_schema(cx, s, &sp, &hint)?.ty)
                }
                None => BodyKind::Json(Ty::Json),
            }
        } else if resp.content.keys().all(|ct| ct.starts_with("text/")) {
            BodyKind::Text
        } else {
            BodyKind::Bytes
        },
    )
}

/// One arm per media type of a response with `x-media-type-param`: JSON decoded into its
/// schema, `application/octet-stream` streamed (unless `x-stream: false`), other media types
/// read whole as text (`text/*`) or bytes, or streamed with `x-stream: true`. Each is an
/// outcome: the media type object's `x-outcome`, else the response's `x-outcome` (if any)
/// followed by a name for the media type (`Json`, `Xml`, `Csv`, ...).
fn lower_media_arms(
    cx: &mut Cx<'_>,
    site: &RespSite<'_>,
    outcome: Option<&str>,
    stream: Option<bool>,
) -> Option<Vec<(String, BodyKind, String)>> {
    let content_ptr = child(site.resp_ptr, "content");
    if site.resp.content.is_empty() {
        cx.err_help(
            &child(site.resp_ptr, "x-media-type-param"),
            "`x-media-type-param` needs `content` listing the media types the parameter chooses between",
            "add each media type under `content`",
        );
        return None;
    }
    let before = cx.diags.len();
    let mut arms: Vec<(String, BodyKind, String)> = Vec::new();
    for (ct, media) in &site.resp.content {
        let mp = child(&content_ptr, ct);
        let essence = ct
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let Some((top, sub)) = media_type_parts(&essence) else {
            cx.err_help(
                &mp,
                format!("`{ct}` is not a media type the response can be matched against"),
                "write `type/subtype` (e.g. `text/csv`) or `type/*`",
            );
            continue;
        };
        if arms.iter().any(|(m, _, _)| *m == essence) {
            cx.err(
                &mp,
                format!("media type `{essence}` is listed twice (parameters aside)"),
            );
            continue;
        }
        let variant = match media.extensions.get("x-outcome") {
            Some(v) => match v.as_str().and_then(pascal) {
                Some(name) => name,
                None => {
                    cx.err(
                        &child(&mp, "x-outcome"),
                        "`x-outcome` must be a name (it becomes a Rust enum variant)",
                    );
                    continue;
                }
            },
            None => format!("{}{}", outcome.unwrap_or_default(), media_variant(top, sub)),
        };
        let Some(kind) = media_arm_kind(cx, site, media, &mp, &essence, top, stream) else {
            continue;
        };
        arms.push((essence, kind, variant));
    }
    if cx.diags.len() > before || arms.is_empty() {
        return None;
    }
    Some(arms)
}

/// The type and subtype of a media type's essence (`text/csv`), each a token, the subtype
/// possibly `*`.
fn media_type_parts(essence: &str) -> Option<(&str, &str)> {
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'+-.^_`|~".contains(&b))
    };
    essence
        .split_once('/')
        .filter(|(t, s)| token(t) && (token(s) || *s == "*"))
}

/// How one media type's body of a `x-media-type-param` response is read.
fn media_arm_kind(
    cx: &mut Cx<'_>,
    site: &RespSite<'_>,
    media: &openapiv3::MediaType,
    mp: &str,
    essence: &str,
    top: &str,
    stream: Option<bool>,
) -> Option<BodyKind> {
    Some(if is_json(essence) {
        match &media.schema {
            Some(schema) => {
                let hint = response_hint(site.r, site.hint);
                BodyKind::Json(lower_schema(cx, schema, &child(mp, "schema"), &hint)?.ty)
            }
            None => BodyKind::Json(Ty::Json),
        }
    } else if stream.unwrap_or(essence == "application/octet-stream") {
        BodyKind::Stream
    } else if top == "text" {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    })
}
