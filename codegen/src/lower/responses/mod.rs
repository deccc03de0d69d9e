//! An operation's responses to its outcomes: success and error [`Arm`]s and the [`Output`].

pub(super) mod accept;
mod outcomes;
pub(super) mod response;
pub(super) mod unwrap;
mod verdict;

use std::collections::HashMap;

use openapiv3::{ReferenceOr, StatusCode};

use crate::lower::cx::Cx;
use crate::lower::responses::outcomes::{group_errors, out_ty, outcome_enum, single_outcome};
use crate::lower::responses::response::lower_response;
use crate::lower::responses::unwrap::unwrap_for;
use crate::lower::responses::verdict::mark_rejected;
use crate::model::{Arm, BodyKind, OutTy, Output, Statuses};
use crate::source::child;

pub(super) use outcomes::success_ty;

/// What a response says, once resolved.
pub(in crate::lower) struct RespInfo {
    pub(in crate::lower) kind: BodyKind,
    /// Schema names listed in `x-error-variants`.
    pub(in crate::lower) rejected: Vec<String>,
    /// JSON pointer of the response object.
    pub(in crate::lower) ptr: String,
    /// `x-outcome`: a success outcome with this variant name.
    pub(in crate::lower) outcome: Option<String>,
    /// `x-unwrap`: the path of the value to return.
    pub(in crate::lower) unwrap: Option<String>,
    /// `x-media-type-param`: one arm per media type, picked by the response's `Content-Type`.
    pub(in crate::lower) media: Option<MediaArms>,
}

/// A success response while lowering: status, body, verdict, outcome name, media type
/// (`x-media-type-param`).
pub(in crate::lower) type OkResponse = (u16, BodyKind, bool, Option<String>, Option<String>);

/// The arms of a success response whose media type the request chooses (`x-media-type-param`).
pub(in crate::lower) struct MediaArms {
    /// Media type (lower case, without parameters), body, outcome variant.
    pub(in crate::lower) arms: Vec<(String, BodyKind, String)>,
    /// The parameter named as choosing it, and the pointer of the extension.
    pub(in crate::lower) param: String,
    pub(in crate::lower) ptr: String,
}

/// What [`lower_responses`] makes of an operation's responses.
pub(in crate::lower) struct Responses {
    pub(in crate::lower) ok: Vec<Arm>,
    pub(in crate::lower) err: Vec<Arm>,
    pub(in crate::lower) output: Output,
    /// `x-media-type-param` values with their pointers, to check against the parameters.
    pub(in crate::lower) media_params: Vec<(String, String)>,
}

/// The responses of one operation as the walk over them finds them, before they are grouped
/// into arms.
#[derive(Default)]
struct Found {
    ok: Vec<OkResponse>,
    /// (status, media type) -> index into `unwraps` of the response's `x-unwrap`.
    unwrap_of: HashMap<(u16, Option<String>), usize>,
    media_params: Vec<(String, String)>,
    err: Vec<(Statuses, BodyKind)>,
    /// The body of a `2XX` range response.
    range2: Option<BodyKind>,
}

pub(in crate::lower) fn lower_responses(
    cx: &mut Cx<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    op_pascal: &str,
) -> Option<Responses> {
    let rp = child(pointer, "responses");
    let before = cx.diags.len();
    let mut found = Found::default();
    let success_count = op
        .responses
        .responses
        .keys()
        .filter(|s| matches!(s, StatusCode::Code(c) if (200..300).contains(c)))
        .count();
    for (status, resp) in &op.responses.responses {
        let at = child(&rp, status.to_string());
        find_status(cx, &mut found, status, resp, &at, op_pascal, success_count);
    }
    if let Some(resp) = &op.responses.default {
        find_default(cx, &mut found, resp, &child(&rp, "default"), op_pascal);
    }
    if found.ok.is_empty() && (success_count > 0 || cx.diags.len() > before) {
        // A success response was there but is broken (or uses a schema that was refused);
        // that was reported already.
        return None;
    }
    if found.ok.is_empty() {
        return without_success(cx, op, found, &rp);
    }
    let Found {
        ok,
        unwrap_of,
        media_params,
        err,
        range2,
    } = found;
    let err_arms = group_errors(err);
    // One output shape, or an enum over success outcomes.
    let out_tys: Vec<OutTy> = ok
        .iter()
        .map(|(code, k, v, _, m)| {
            success_ty(cx, k, *v, unwrap_of.get(&(*code, m.clone())).copied())
        })
        .collect();
    let single =
        ok.iter().all(|(_, _, _, o, _)| o.is_none()) && out_tys.iter().all(|t| t == &out_tys[0]);
    let (ok_arms, output) = if single {
        let output = Output::Single(out_tys[0].clone());
        (single_outcome(cx, ok, &unwrap_of, range2, &rp)?, output)
    } else {
        if range2.is_some() {
            cx.err_help(
                &child(&rp, "2XX"),
                "a `2XX` range cannot share an operation with several success outcomes",
                "list the exact success status codes",
            );
            return None;
        }
        outcome_enum(cx, ok, out_tys, &unwrap_of, &rp, op_pascal)?
    };
    Some(Responses {
        ok: ok_arms,
        err: err_arms,
        output,
        media_params,
    })
}

/// One entry of `responses` (an exact status or a status class) into `found`.
fn find_status(
    cx: &mut Cx<'_>,
    found: &mut Found,
    status: &StatusCode,
    resp: &ReferenceOr<openapiv3::Response>,
    at: &str,
    op_pascal: &str,
    success_count: usize,
) {
    let code = match status {
        StatusCode::Code(c) if (100..600).contains(c) => *c,
        StatusCode::Code(c) => {
            cx.err(
                at,
                format!("status code {c} is not an HTTP status (100-599)"),
            );
            return;
        }
        // `2XX`: a success arm for the 2xx codes no exact status matches.
        StatusCode::Range(2) => return find_range2(cx, found, resp, at, op_pascal),
        // `4XX`, `5XX` (and 1XX, 3XX): an error arm for the codes no exact status matches.
        StatusCode::Range(r) if (1..=5).contains(r) => {
            if let Some(info) =
                lower_response(cx, resp, at, &format!("{op_pascal}Error{r}XX"), false)
            {
                found.err.push((Statuses::Range(*r), info.kind));
            }
            return;
        }
        StatusCode::Range(r) => {
            cx.err(
                at,
                format!("status range `{r}XX` is not an HTTP status class"),
            );
            return;
        }
    };
    // With no 2xx documented, the documented 1xx and 3xx answers (a protocol switch, a
    // redirect) are what success looks like.
    let is_ok = (200..300).contains(&code) || (success_count == 0 && code < 400);
    let hint = if is_ok {
        if success_count > 1 {
            format!("{op_pascal}Response{code}")
        } else {
            format!("{op_pascal}Response")
        }
    } else {
        format!("{op_pascal}Error{code}")
    };
    if let Some(info) = lower_response(cx, resp, at, &hint, is_ok) {
        find_exact(cx, found, code, is_ok, info);
    }
}

/// A `2XX` response: a plain body only, since it stands for codes nobody listed.
fn find_range2(
    cx: &mut Cx<'_>,
    found: &mut Found,
    resp: &ReferenceOr<openapiv3::Response>,
    at: &str,
    op_pascal: &str,
) {
    let Some(info) = lower_response(cx, resp, at, &format!("{op_pascal}Response"), false) else {
        return;
    };
    let ext = if info.kind == BodyKind::Stream {
        Some("x-stream")
    } else if info.unwrap.is_some() {
        Some("x-unwrap")
    } else if !info.rejected.is_empty() {
        Some("x-error-variants")
    } else if info.outcome.is_some() {
        Some("x-outcome")
    } else {
        None
    };
    match ext {
        Some(ext) => cx.err_help(
            &child(&info.ptr, ext),
            format!("`{ext}` cannot be used on a `2XX` range"),
            "list the exact success status codes",
        ),
        None => found.range2 = Some(info.kind),
    }
}

/// A response with an exact status code: a success (maybe one per media type) or an error.
fn find_exact(cx: &mut Cx<'_>, found: &mut Found, code: u16, is_ok: bool, info: RespInfo) {
    let RespInfo {
        kind,
        rejected,
        ptr: resp_ptr,
        outcome,
        unwrap,
        media,
    } = info;
    if let Some(media) = media {
        // One success outcome per media type (`lower_response` refused the rest).
        for (ct, kind, variant) in media.arms {
            if let (Some(path), BodyKind::Json(_)) = (&unwrap, &kind) {
                let up = child(&resp_ptr, "x-unwrap");
                if let Some(i) = unwrap_for(cx, &kind, path, &up) {
                    found.unwrap_of.insert((code, Some(ct.clone())), i);
                }
            }
            found.ok.push((code, kind, false, Some(variant), Some(ct)));
        }
        found.media_params.push((media.param, media.ptr));
        return;
    }
    if let Some(path) = unwrap {
        let up = child(&resp_ptr, "x-unwrap");
        if !(is_ok || outcome.is_some()) {
            cx.err(&up, "`x-unwrap` only applies to success responses");
        } else if !rejected.is_empty() {
            cx.err(
                &up,
                "`x-unwrap` and `x-error-variants` cannot be combined on one response",
            );
        } else if let Some(i) = unwrap_for(cx, &kind, &path, &up) {
            found.unwrap_of.insert((code, None), i);
        }
    }
    if kind == BodyKind::Stream && !is_ok {
        refuse_error_stream(cx, &resp_ptr);
        return;
    }
    if is_ok || outcome.is_some() {
        let verdict = !rejected.is_empty();
        if verdict {
            mark_rejected(cx, &kind, rejected, &resp_ptr);
        }
        found.ok.push((code, kind, verdict, outcome, None));
    } else {
        if !rejected.is_empty() {
            cx.err(
                &child(&resp_ptr, "x-error-variants"),
                "`x-error-variants` only applies to success (2xx) responses",
            );
        }
        found.err.push((Statuses::Codes(vec![code]), kind));
    }
}

/// The `default` response: an error arm for every status nothing else matches.
fn find_default(
    cx: &mut Cx<'_>,
    found: &mut Found,
    resp: &ReferenceOr<openapiv3::Response>,
    at: &str,
    op_pascal: &str,
) {
    let Some(info) = lower_response(cx, resp, at, &format!("{op_pascal}Error"), false) else {
        return;
    };
    if info.outcome.is_some() {
        cx.err(
            &child(&info.ptr, "x-outcome"),
            "`x-outcome` cannot be used on the `default` response",
        );
    }
    if info.kind == BodyKind::Stream {
        refuse_error_stream(cx, &info.ptr);
    } else {
        found.err.push((Statuses::Default, info.kind));
    }
}

/// No exact success documented: one success arm for the whole 2xx class, from what there is.
fn without_success(
    cx: &mut Cx<'_>,
    op: &openapiv3::Operation,
    found: Found,
    rp: &str,
) -> Option<Responses> {
    let Found {
        range2,
        mut err,
        media_params,
        ..
    } = found;
    // Only `2XX`: one success arm for the whole class. Else a `default` response describes
    // the success (common in generated specs), and an operation with no responses at all
    // answers raw bytes.
    let fallback = match err.iter().position(|(s, _)| *s == Statuses::Default) {
        _ if range2.is_some() => range2,
        Some(i) => Some(err.remove(i).1),
        None if op.responses.responses.is_empty() => Some(BodyKind::Bytes),
        // Only failures documented: success has no documented body.
        None if !err.is_empty() => Some(BodyKind::Empty),
        None => None,
    };
    let Some(kind) = fallback else {
        cx.err_help(
            rp,
            "operation has no success (2xx or `x-outcome`) response",
            "document at least one 2xx response; use one without `content` for an empty answer",
        );
        return None;
    };
    let output = Output::Single(out_ty(cx, &kind, false));
    let arm = Arm {
        statuses: Statuses::Range(2),
        kind,
        variant: None,
        verdict: false,
        unwrap: None,
        media: None,
    };
    Some(Responses {
        ok: vec![arm],
        err: group_errors(err),
        output,
        media_params,
    })
}

/// `x-stream` on a failure: error bodies are read whole, to be decoded into the error.
fn refuse_error_stream(cx: &mut Cx<'_>, resp_ptr: &str) {
    cx.err_help(
        &child(resp_ptr, "x-stream"),
        "`x-stream` only applies to success (2xx) responses",
        "an error body is read in full to decode it into the error; drop `x-stream` here",
    );
}
