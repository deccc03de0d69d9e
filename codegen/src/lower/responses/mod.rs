//! An operation's responses to its outcomes: success and error [`Arm`]s and the [`Output`].

pub(super) mod response;
pub(super) mod unwrap;

use crate::lower::cx::Cx;
use crate::lower::responses::response::lower_response;
use crate::lower::responses::unwrap::unwrap_for;
use crate::model::{Arm, BodyKind, OutTy, Output, Statuses, Ty, TypeKind, Variant};
use crate::source::child;
use openapiv3::StatusCode;
use std::collections::HashMap;

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

pub(in crate::lower) fn status_variant(code: u16) -> String {
    match code {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        206 => "PartialContent".into(),
        c => format!("Status{c}"),
    }
}

pub(in crate::lower) fn lower_responses(
    cx: &mut Cx<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    op_pascal: &str,
) -> Option<Responses> {
    let rp = child(pointer, "responses");
    let before = cx.diags.len();
    let mut ok: Vec<OkResponse> = Vec::new();
    let mut unwrap_of: HashMap<(u16, Option<String>), usize> = HashMap::new();
    let mut media_params: Vec<(String, String)> = Vec::new();
    let mut err: Vec<(Statuses, BodyKind)> = Vec::new();
    let mut range2: Option<BodyKind> = None;
    let mut ok_range: Option<BodyKind> = None;
    let success_count = op
        .responses
        .responses
        .keys()
        .filter(|s| matches!(s, StatusCode::Code(c) if (200..300).contains(c)))
        .count();
    for (status, resp) in &op.responses.responses {
        let at = child(&rp, status.to_string());
        let code = match status {
            StatusCode::Code(c) if (100..600).contains(c) => *c,
            StatusCode::Code(c) => {
                cx.err(
                    &at,
                    format!("status code {c} is not an HTTP status (100-599)"),
                );
                continue;
            }
            // `2XX`: a success arm for the 2xx codes no exact status matches.
            StatusCode::Range(2) => {
                if let Some(info) =
                    lower_response(cx, resp, &at, &format!("{op_pascal}Response"), false)
                {
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
                        None => range2 = Some(info.kind),
                    }
                }
                continue;
            }
            // `4XX`, `5XX` (and 1XX, 3XX): an error arm for the codes no exact status matches.
            StatusCode::Range(r) if (1..=5).contains(r) => {
                if let Some(info) =
                    lower_response(cx, resp, &at, &format!("{op_pascal}Error{r}XX"), false)
                {
                    err.push((Statuses::Range(*r), info.kind));
                }
                continue;
            }
            StatusCode::Range(r) => {
                cx.err(
                    &at,
                    format!("status range `{r}XX` is not an HTTP status class"),
                );
                continue;
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
        let Some(RespInfo {
            kind,
            rejected,
            ptr: resp_ptr,
            outcome,
            unwrap,
            media,
        }) = lower_response(cx, resp, &at, &hint, is_ok)
        else {
            continue;
        };
        if let Some(media) = media {
            // One success outcome per media type (`lower_response` refused the rest).
            for (ct, kind, variant) in media.arms {
                if let (Some(path), BodyKind::Json(_)) = (&unwrap, &kind) {
                    let up = child(&resp_ptr, "x-unwrap");
                    if let Some(i) = unwrap_for(cx, &kind, path, &up) {
                        unwrap_of.insert((code, Some(ct.clone())), i);
                    }
                }
                ok.push((code, kind, false, Some(variant), Some(ct)));
            }
            media_params.push((media.param, media.ptr));
            continue;
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
                unwrap_of.insert((code, None), i);
            }
        }
        if kind == BodyKind::Stream && !is_ok {
            refuse_error_stream(cx, &resp_ptr);
            continue;
        }
        if is_ok || outcome.is_some() {
            let verdict = !rejected.is_empty();
            if verdict {
                mark_rejected(cx, &kind, rejected, &resp_ptr);
            }
            ok.push((code, kind, verdict, outcome, None));
        } else {
            if !rejected.is_empty() {
                cx.err(
                    &child(&resp_ptr, "x-error-variants"),
                    "`x-error-variants` only applies to success (2xx) responses",
                );
            }
            err.push((Statuses::Codes(vec![code]), kind));
        }
    }
    if let Some(resp) = &op.responses.default {
        let at = child(&rp, "default");
        if let Some(info) = lower_response(cx, resp, &at, &format!("{op_pascal}Error"), false) {
            if info.outcome.is_some() {
                cx.err(
                    &child(&info.ptr, "x-outcome"),
                    "`x-outcome` cannot be used on the `default` response",
                );
            }
            if info.kind == BodyKind::Stream {
                refuse_error_stream(cx, &info.ptr);
            } else {
                err.push((Statuses::Default, info.kind));
            }
        }
    }
    if ok.is_empty() && (success_count > 0 || cx.diags.len() > before) {
        // A success response was there but is broken (or uses a schema that was refused);
        // that was reported already.
        return None;
    }
    if ok.is_empty() {
        if let Some(kind) = range2.take() {
            // Only `2XX`: one success arm for the whole class.
            ok_range = Some(kind);
        }
    }
    // Group error arms that decode the same way.
    let group_errors = |err: Vec<(Statuses, BodyKind)>| {
        let mut err_arms: Vec<Arm> = Vec::new();
        for (statuses, kind) in err {
            match statuses {
                Statuses::Codes(codes) => {
                    if let Some(arm) = err_arms
                        .iter_mut()
                        .find(|a| a.kind == kind && matches!(a.statuses, Statuses::Codes(_)))
                    {
                        if let Statuses::Codes(c) = &mut arm.statuses {
                            c.extend(codes);
                        }
                        continue;
                    }
                    err_arms.push(Arm {
                        statuses: Statuses::Codes(codes),
                        kind,
                        variant: None,
                        verdict: false,
                        unwrap: None,
                        media: None,
                    });
                }
                statuses => err_arms.push(Arm {
                    statuses,
                    kind,
                    variant: None,
                    verdict: false,
                    unwrap: None,
                    media: None,
                }),
            }
        }
        err_arms
    };
    if ok.is_empty() {
        // No success documented: a `default` response describes the success (common in
        // generated specs), and an operation with no responses at all answers raw bytes.
        let fallback = match err.iter().position(|(s, _)| *s == Statuses::Default) {
            _ if ok_range.is_some() => ok_range.take(),
            Some(i) => Some(err.remove(i).1),
            None if op.responses.responses.is_empty() => Some(BodyKind::Bytes),
            // Only failures documented: success has no documented body.
            None if !err.is_empty() => Some(BodyKind::Empty),
            None => None,
        };
        if let Some(kind) = fallback {
            let output = Output::Single(out_ty(cx, &kind, false));
            let arm = Arm {
                statuses: Statuses::Range(2),
                kind,
                variant: None,
                verdict: false,
                unwrap: None,
                media: None,
            };
            return Some(Responses {
                ok: vec![arm],
                err: group_errors(err),
                output,
                media_params,
            });
        }
    }
    if ok.is_empty() {
        cx.err_help(
            &rp,
            "operation has no success (2xx or `x-outcome`) response",
            "document at least one 2xx response; use one without `content` for an empty answer",
        );
        return None;
    }
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
        let mut groups: Vec<Arm> = Vec::new();
        for (code, kind, verdict, _, _) in ok {
            let unwrap = unwrap_of.get(&(code, None)).copied();
            if let Some(arm) = groups
                .iter_mut()
                .find(|a| a.kind == kind && a.verdict == verdict && a.unwrap == unwrap)
            {
                if let Statuses::Codes(c) = &mut arm.statuses {
                    c.push(code);
                }
            } else {
                groups.push(Arm {
                    statuses: Statuses::Codes(vec![code]),
                    kind,
                    variant: None,
                    verdict,
                    unwrap,
                    media: None,
                });
            }
        }
        // `2XX` beside exact codes: the same body, so one more arm.
        if let Some(kind) = range2.take() {
            if groups
                .iter()
                .all(|a| a.kind == kind && !a.verdict && a.unwrap.is_none())
            {
                groups.push(Arm {
                    statuses: Statuses::Range(2),
                    kind,
                    variant: None,
                    verdict: false,
                    unwrap: None,
                    media: None,
                });
            } else {
                cx.err_help(
                    &child(&rp, "2XX"),
                    "a `2XX` range beside exact 2xx statuses must have the same body as they do",
                    "give `2XX` the same content as the exact statuses, or list the exact codes",
                );
                return None;
            }
        }
        (groups, Output::Single(out_tys[0].clone()))
    } else {
        if range2.is_some() {
            cx.err_help(
                &child(&rp, "2XX"),
                "a `2XX` range cannot share an operation with several success outcomes",
                "list the exact success status codes",
            );
            return None;
        }
        let name = cx.claim_auto(&format!("{op_pascal}Response"), &rp);
        let mut arms: Vec<Arm> = Vec::new();
        let mut variants: Vec<(String, Option<Ty>, Vec<u16>)> = Vec::new();
        for ((code, kind, verdict, outcome, media), out) in ok.into_iter().zip(out_tys) {
            let vname = outcome.unwrap_or_else(|| status_variant(code));
            let payload = match out {
                OutTy::Unit => None,
                OutTy::Ty(t) => Some(t),
                OutTy::Text => Some(Ty::String),
                OutTy::Bytes => Some(Ty::Bytes),
                // Handed over before the body is read: the endpoint's streaming path picks
                // this outcome by status, and the other outcomes are read as usual.
                OutTy::Stream => Some(Ty::Stream),
            };
            match variants.iter_mut().find(|(v, _, _)| v == &vname) {
                Some((_, p, codes)) if *p == payload => codes.push(code),
                Some(_) => {
                    cx.err_help(
                        &child(&rp, code.to_string()),
                        format!("responses of the outcome `{vname}` have different bodies"),
                        "give them the same schema, or different `x-outcome` names",
                    );
                    return None;
                }
                None => variants.push((vname.clone(), payload, vec![code])),
            }
            let unwrap = unwrap_of.get(&(code, media.clone())).copied();
            match arms.iter_mut().find(|a| {
                a.variant.as_deref() == Some(vname.as_str())
                    && a.kind == kind
                    && a.verdict == verdict
                    && a.unwrap == unwrap
                    && a.media.is_none()
                    && media.is_none()
            }) {
                Some(arm) => {
                    if let Statuses::Codes(c) = &mut arm.statuses {
                        c.push(code);
                    }
                }
                None => arms.push(Arm {
                    statuses: Statuses::Codes(vec![code]),
                    kind,
                    variant: Some(vname),
                    verdict,
                    unwrap,
                    media,
                }),
            }
        }
        (arms, Output::Enum { name, variants })
    };
    Some(Responses {
        ok: ok_arms,
        err: err_arms,
        output,
        media_params,
    })
}

/// `x-stream` on a failure: error bodies are read whole, to be decoded into the error.
pub(in crate::lower) fn refuse_error_stream(cx: &mut Cx<'_>, resp_ptr: &str) {
    cx.err_help(
        &child(resp_ptr, "x-stream"),
        "`x-stream` only applies to success (2xx) responses",
        "an error body is read in full to decode it into the error; drop `x-stream` here",
    );
}

/// What a success arm yields: a verdict arm yields the accepted variant's type.
/// What a success arm hands the caller: the unwrapped `Envelope` when it has an `x-unwrap`
/// (an index into `unwraps`), else [`out_ty`].
pub(in crate::lower) fn success_ty(
    cx: &Cx<'_>,
    kind: &BodyKind,
    verdict: bool,
    unwrap: Option<usize>,
) -> OutTy {
    match unwrap.and_then(|i| cx.unwraps.get(i)) {
        Some(u) => OutTy::Ty(Ty::Envelope(Box::new(u.value.clone()), u.meta.clone())),
        None => out_ty(cx, kind, verdict),
    }
}

pub(in crate::lower) fn out_ty(cx: &Cx<'_>, kind: &BodyKind, verdict: bool) -> OutTy {
    match kind {
        BodyKind::Empty => OutTy::Unit,
        BodyKind::Text => OutTy::Text,
        BodyKind::Bytes => OutTy::Bytes,
        BodyKind::Stream => OutTy::Stream,
        BodyKind::Json(ty) if verdict => {
            OutTy::Ty(accepted_ty(cx, ty).unwrap_or_else(|| ty.clone()))
        }
        BodyKind::Json(ty) => OutTy::Ty(ty.clone()),
    }
}

pub(in crate::lower) fn accepted_ty(cx: &Cx<'_>, ty: &Ty) -> Option<Ty> {
    let Ty::Named(n) = ty else { return None };
    let (rejected, _) = cx.rejected.get(n)?;
    let def = cx.types.iter().find(|t| &t.name == n)?;
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

pub(in crate::lower) fn mark_rejected(
    cx: &mut Cx<'_>,
    kind: &BodyKind,
    names: Vec<String>,
    resp_ptr: &str,
) {
    let at = child(resp_ptr, "x-error-variants");
    let BodyKind::Json(Ty::Named(type_name)) = kind else {
        cx.err(
            &at,
            "`x-error-variants` needs a JSON body whose schema is a `oneOf`",
        );
        return;
    };
    let Some(def) = cx.types.iter().find(|t| &t.name == type_name) else {
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
