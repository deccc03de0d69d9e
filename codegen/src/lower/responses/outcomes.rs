//! Success and error responses to arms: error arms that decode alike grouped, success arms to
//! one output type or to an enum over the outcomes, and the type each success arm hands over.

use std::collections::HashMap;

use crate::lower::cx::Cx;
use crate::lower::responses::verdict::accepted_ty;
use crate::lower::responses::OkResponse;
use crate::model::{Arm, BodyKind, OutTy, Output, Statuses, Ty};
use crate::source::child;

/// Groups error arms that decode the same way.
pub(super) fn group_errors(err: Vec<(Statuses, BodyKind)>) -> Vec<Arm> {
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
                err_arms.push(plain_arm(Statuses::Codes(codes), kind));
            }
            statuses => err_arms.push(plain_arm(statuses, kind)),
        }
    }
    err_arms
}

/// An arm with a body and nothing else: no variant, verdict, unwrap or media type.
fn plain_arm(statuses: Statuses, kind: BodyKind) -> Arm {
    Arm {
        statuses,
        kind,
        variant: None,
        verdict: false,
        unwrap: None,
        media: None,
    }
}

/// Success responses that all give the same output: arms grouped by how they decode.
pub(super) fn single_outcome(
    cx: &mut Cx<'_>,
    ok: Vec<OkResponse>,
    unwrap_of: &HashMap<(u16, Option<String>), usize>,
    range2: Option<BodyKind>,
    rp: &str,
) -> Option<Vec<Arm>> {
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
    if let Some(kind) = range2 {
        if groups
            .iter()
            .all(|a| a.kind == kind && !a.verdict && a.unwrap.is_none())
        {
            groups.push(plain_arm(Statuses::Range(2), kind));
        } else {
            cx.err_help(
                &child(rp, "2XX"),
                "a `2XX` range beside exact 2xx statuses must have the same body as they do",
                "give `2XX` the same content as the exact statuses, or list the exact codes",
            );
            return None;
        }
    }
    Some(groups)
}

/// Success responses with different outputs (or `x-outcome` names): an enum with a variant
/// per outcome, and the arms that pick them.
pub(super) fn outcome_enum(
    cx: &mut Cx<'_>,
    ok: Vec<OkResponse>,
    out_tys: Vec<OutTy>,
    unwrap_of: &HashMap<(u16, Option<String>), usize>,
    rp: &str,
    op_pascal: &str,
) -> Option<(Vec<Arm>, Output)> {
    let name = cx.claim_auto(&format!("{op_pascal}Response"), rp);
    let mut arms: Vec<Arm> = Vec::new();
    let mut variants: Vec<(String, Option<Ty>, Vec<u16>)> = Vec::new();
    for ((code, kind, verdict, outcome, media), out) in ok.into_iter().zip(out_tys) {
        let vname = outcome.unwrap_or_else(|| status_variant(code));
        let payload = outcome_payload(out);
        match variants.iter_mut().find(|(v, _, _)| v == &vname) {
            Some((_, p, codes)) if *p == payload => codes.push(code),
            Some(_) => {
                cx.err_help(
                    &child(rp, code.to_string()),
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
    Some((arms, Output::Enum { name, variants }))
}

/// What an outcome variant carries.
fn outcome_payload(out: OutTy) -> Option<Ty> {
    match out {
        OutTy::Unit => None,
        OutTy::Ty(t) => Some(t),
        OutTy::Text => Some(Ty::String),
        OutTy::Bytes => Some(Ty::Bytes),
        // Handed over before the body is read: the endpoint's streaming path picks
        // this outcome by status, and the other outcomes are read as usual.
        OutTy::Stream => Some(Ty::Stream),
    }
}

fn status_variant(code: u16) -> String {
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

pub(super) fn out_ty(cx: &Cx<'_>, kind: &BodyKind, verdict: bool) -> OutTy {
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
