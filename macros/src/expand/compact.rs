//! The compact form: an operation whose arms are one success kind (`json(T)` or `empty`) and
//! failures that share one error body type (or have none), with nothing streamed, picked by
//! media type, wrapped or judged by a verdict, is expanded to one call of the runtime's
//! `vendor_clients::__answer` with a table of statuses, instead of a `match` written out per
//! operation; the method returns that call's future. Same behaviour (the table is read in the order the full form matches: exact
//! codes, then ranges, then `default`); much less code for the compiler to check per operation.

use quote::ToTokens;
use syn::Type;

use crate::check::Checked;
use crate::parse::{Arm, Kind, StatusKey};

/// The call answering the sent request, as plain values: `call::<ok, _>(request, table,
/// error_body::<error, _>)`.
pub(super) struct Compact<'a> {
    /// `call_json` or `call_empty`.
    pub(super) call: &'static str,
    /// The success type of `call_json`.
    pub(super) ok: Option<&'a Type>,
    /// `(lo, hi, outcome)`, the outcome as `vendor_clients::__answer::Outcome`'s code.
    pub(super) table: Vec<(u16, u16, u8)>,
    /// `error_body` or `no_error_body`.
    pub(super) error_body: &'static str,
    /// The error body type of `error_body`.
    pub(super) error: Option<&'a Type>,
}

/// The compact call, or `None` when the operation needs the full form.
pub(super) fn compact(endpoint: &Checked) -> Option<Compact<'_>> {
    if !endpoint.media_statuses.is_empty() {
        return None;
    }
    let plain = |a: &Arm| a.media.is_none() && a.wrap.is_none() && a.verdict.is_none();
    if !endpoint.arms().all(|(a, _)| plain(a)) {
        return None;
    }
    let [ok] = endpoint.ok.as_slice() else {
        return None;
    };
    let (call, ok) = match &ok.kind {
        Kind::Json(ty) => ("call_json", Some(&**ty)),
        Kind::Empty => ("call_empty", None),
        Kind::Text | Kind::Bytes | Kind::Stream => return None,
    };
    let error = error_body(&endpoint.err)?;
    Some(Compact {
        call,
        ok,
        table: table(endpoint),
        error_body: if error.is_some() {
            "error_body"
        } else {
            "no_error_body"
        },
        error,
    })
}

/// The one error body type of the failure arms (`None` inside when none has a body); `None`
/// when they differ or some arm reads text or bytes.
fn error_body(err: &[Arm]) -> Option<Option<&Type>> {
    let mut body: Option<&Type> = None;
    for arm in err {
        match &arm.kind {
            Kind::Json(ty) => match body {
                Some(seen)
                    if seen.to_token_stream().to_string() != ty.to_token_stream().to_string() =>
                {
                    return None
                }
                _ => body = Some(ty),
            },
            Kind::Empty => {}
            Kind::Text | Kind::Bytes | Kind::Stream => return None,
        }
    }
    Some(body)
}

/// `(lo, hi, outcome)` entries: exact codes, then ranges, then `default` as `0..=999`. An arm
/// with `default` is the fallback for its other codes too (as in the full form's `_` arm). The
/// outcome is a code of the runtime's `Outcome`: 0 a success, 1 a failure with the error body,
/// 2 a failure without one. (Plain numbers: the table names no path the compiler would resolve
/// per entry.)
fn table(endpoint: &Checked) -> Vec<(u16, u16, u8)> {
    let outcome = |arm: &Arm, ok: bool| match (ok, &arm.kind) {
        (true, _) => 0,
        (false, Kind::Empty) => 2,
        (false, _) => 1,
    };
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    let mut fallback = None;
    for (arm, ok) in endpoint.arms() {
        let o = outcome(arm, ok);
        if arm.has_default() {
            fallback = Some((0, 999, o));
            continue;
        }
        for key in &arm.statuses {
            match key {
                StatusKey::Code(code, _) => exact.push((*code, *code, o)),
                StatusKey::Range(class, _) => {
                    let (lo, hi) = StatusKey::class_bounds(*class);
                    ranges.push((lo, hi, o));
                }
                StatusKey::Default(_) => {}
            }
        }
    }
    exact.into_iter().chain(ranges).chain(fallback).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::checked;
    use proc_macro2::TokenStream as TokenStream2;
    use quote::quote;

    /// The call, its success type, its table, and its error reader and type, as text.
    fn compact_of(attr: TokenStream2) -> Option<String> {
        let item = quote!(
            async fn get(&self) -> R;
        );
        let c = checked(attr, item).unwrap_or_else(|e| panic!("refused: {e}"));
        let text = |ty: Option<&Type>| {
            ty.map(|t| t.to_token_stream().to_string())
                .unwrap_or_default()
        };
        compact(&c).map(|call| {
            format!(
                "{}<{}> {:?} {}<{}>",
                call.call,
                text(call.ok),
                call.table,
                call.error_body,
                text(call.error)
            )
        })
    }

    #[test]
    fn one_json_success_and_one_error_body_is_one_call_with_the_table_in_match_order() {
        let code = compact_of(quote!(GET "/a",
            ok(200 | 201 => json(T)), err(4XX => json(E), 404 => empty, default => json(E))))
        .expect("compact");
        assert_eq!(
            code,
            "call_json<T> [(200, 200, 0), (201, 201, 0), (404, 404, 2), (400, 499, 1), (0, 999, 1)] \
             error_body<E>"
        );
    }

    #[test]
    fn an_empty_success_without_error_body_answers_empty_with_no_body() {
        let code = compact_of(quote!(DELETE "/a", ok(204 => empty))).expect("compact");
        assert_eq!(code, "call_empty<> [(204, 204, 0)] no_error_body<>");
    }

    #[test]
    fn anything_the_table_cannot_say_keeps_the_full_form() {
        for attr in [
            quote!(GET "/a", ok(200 => json(T), 202 => empty)),
            quote!(GET "/a", ok(200 => text)),
            quote!(GET "/a", ok(200 => json(T)), err(400 => json(E), 500 => json(F))),
            quote!(GET "/a", ok(200 => json(T)), err(400 => text)),
            quote!(GET "/a", ok(200 => json(T) as W::A)),
            quote!(GET "/a", ok(200 "text/csv" => json(T))),
            quote!(GET "/a", ok(200 => stream)),
        ] {
            assert!(compact_of(attr.clone()).is_none(), "{attr}");
        }
    }
}
