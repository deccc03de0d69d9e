//! The compact form: an operation whose arms are one success kind (`json(T)` or `empty`) and
//! failures that share one error body type (or have none), with nothing streamed, picked by
//! media type, wrapped or judged by a verdict, is expanded to one call of the runtime's
//! `vendor_clients::__answer` with a table of statuses, instead of a `match` written out per
//! operation; the method returns that call's future. Same behaviour (the table is read in the order the full form matches: exact
//! codes, then ranges, then `default`); much less code for the compiler to check per operation.

use proc_macro2::{Ident, Span, TokenStream as TokenStream2};
use quote::{quote, ToTokens};
use syn::Type;

use crate::check::Checked;
use crate::parse::{Arm, Kind, StatusKey};

/// The call answering the sent request, or `None` when the operation needs the full form.
pub(super) fn compact(endpoint: &Checked, request: &TokenStream2) -> Option<TokenStream2> {
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
    let answer = match &ok.kind {
        Kind::Json(ty) => quote!(::vendor_clients::__answer::call_json::<#ty, _>),
        Kind::Empty => quote!(::vendor_clients::__answer::call_empty),
        Kind::Text | Kind::Bytes | Kind::Stream => return None,
    };
    let body = error_body(&endpoint.err)?;
    let (lo, (hi, outcome)): (Vec<u16>, (Vec<u16>, Vec<Ident>)) = table(endpoint)
        .into_iter()
        .map(|(lo, hi, outcome)| (lo, (hi, Ident::new(outcome, Span::call_site()))))
        .unzip();
    Some(quote! {
        #answer(#request, &[#((#lo, #hi, ::vendor_clients::__answer::Outcome::#outcome)),*], #body)
    })
}

/// The one error body type of the failure arms, as the function that decodes it; `None` when
/// they differ or some arm reads text or bytes.
fn error_body(err: &[Arm]) -> Option<TokenStream2> {
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
    Some(match body {
        Some(ty) => quote!(::vendor_clients::__answer::error_body::<#ty, _>),
        None => quote!(::vendor_clients::__answer::no_error_body),
    })
}

/// `(lo, hi, outcome)` entries: exact codes, then ranges, then `default` as `0..=999`. An arm
/// with `default` is the fallback for its other codes too (as in the full form's `_` arm). The
/// outcome is the name of an `Outcome` variant. (Plain values, written into the call by one
/// `quote!`: each token stream built apart and then spliced in costs a dev build several round
/// trips to the compiler.)
fn table(endpoint: &Checked) -> Vec<(u16, u16, &'static str)> {
    let outcome = |arm: &Arm, ok: bool| match (ok, &arm.kind) {
        (true, _) => "Ok",
        (false, Kind::Empty) => "ErrEmpty",
        (false, _) => "Err",
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

    fn compact_of(attr: TokenStream2) -> Option<String> {
        let item = quote!(
            async fn get(&self) -> R;
        );
        let c = checked(attr, item).unwrap_or_else(|e| panic!("refused: {e}"));
        compact(&c, &quote!({ REQUEST })).map(|t| t.to_string())
    }

    #[test]
    fn one_json_success_and_one_error_body_is_one_call_with_the_table_in_match_order() {
        let code = compact_of(quote!(GET "/a",
            ok(200 | 201 => json(T)), err(4XX => json(E), 404 => empty, default => json(E))))
        .expect("compact");
        assert!(
            code.starts_with(
                ":: vendor_clients :: __answer :: call_json :: < T , _ > ({ REQUEST } , & ["
            ),
            "{code}"
        );
        let at = |s: &str| code.find(s).unwrap_or_else(|| panic!("{s} in {code}"));
        let ok = "(200u16 , 200u16 , :: vendor_clients :: __answer :: Outcome :: Ok)";
        let gone = "(404u16 , 404u16 , :: vendor_clients :: __answer :: Outcome :: ErrEmpty)";
        let range = "(400u16 , 499u16 , :: vendor_clients :: __answer :: Outcome :: Err)";
        let default = "(0u16 , 999u16 , :: vendor_clients :: __answer :: Outcome :: Err)";
        assert!(at(ok) < at(gone) && at(gone) < at(range) && at(range) < at(default));
        assert!(
            code.ends_with(":: vendor_clients :: __answer :: error_body :: < E , _ >)"),
            "{code}"
        );
    }

    #[test]
    fn an_empty_success_without_error_body_answers_empty_with_no_body() {
        let code = compact_of(quote!(DELETE "/a", ok(204 => empty))).expect("compact");
        assert!(code.starts_with(":: vendor_clients :: __answer :: call_empty ({ REQUEST } ,"));
        assert!(code.ends_with(":: vendor_clients :: __answer :: no_error_body)"));
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
