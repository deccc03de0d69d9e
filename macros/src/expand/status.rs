//! The status match: turns the arms into `match __vc_resp.status() { ... }`, exact codes
//! first, then statuses picked by media type, then ranges, then `default` or the API error.

use proc_macro2::TokenStream as TokenStream2;
use quote::{quote, ToTokens};
use syn::{LitInt, LitStr};

use super::body::arm_body;
use crate::check::{Checked, MediaStatus};
use crate::parse::{Arm, Kind, StatusKey};

/// The match on the response's status, whose value the method returns.
pub(super) fn status_match(endpoint: &Checked) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    let option = quote!(::core::option::Option);
    let mut match_arms = Vec::new();
    // Ranges come after every exact code, so `404` wins over `4XX` whatever the arm order.
    let mut range_arms = Vec::new();
    let mut default_arm = None;
    // Streamed arms were taken before the body was read (see `send`; `err` arms cannot
    // stream), and arms with a media type are matched per status after these.
    for (arm, is_ok) in endpoint
        .arms()
        .filter(|(a, _)| !matches!(a.kind, Kind::Stream) && a.media.is_none())
    {
        let body = arm_body(arm, is_ok);
        if arm.has_default() {
            // `default` also covers the arm's other codes, so one `_` arm does.
            default_arm = Some(quote! { _ => { #body } });
            continue;
        }
        let codes = exact_codes(arm, &endpoint.media_statuses);
        if !codes.is_empty() {
            match_arms.push(quote! { #(#codes)|* => { #body } });
        }
        let ranges = ranges(arm);
        if !ranges.is_empty() {
            range_arms.push(quote! { #(#ranges)|* => { #body } });
        }
    }
    for status in &endpoint.media_statuses {
        match_arms.push(media_arm(endpoint, status));
    }
    let fallback = default_arm.unwrap_or_else(|| {
        quote! { _ => #result::Err(__vc_resp.into_api_error(#option::None)), }
    });
    quote! {
        match __vc_resp.status() {
            #(#match_arms)*
            #(#range_arms)*
            #fallback
        }
    }
}

/// The arm's exact codes, but those with media arms: they are matched in `media_arm`, this
/// arm being their fallback.
fn exact_codes(arm: &Arm, media_statuses: &[MediaStatus]) -> Vec<TokenStream2> {
    arm.statuses
        .iter()
        .filter_map(|k| match k {
            StatusKey::Code(code, _) if media_statuses.iter().any(|s| s.code == *code) => None,
            StatusKey::Code(code, span) => {
                Some(LitInt::new(&code.to_string(), *span).into_token_stream())
            }
            StatusKey::Range(..) | StatusKey::Default(_) => None,
        })
        .collect()
}

/// The arm's ranges as `400u16..=499u16` patterns.
fn ranges(arm: &Arm) -> Vec<TokenStream2> {
    arm.statuses
        .iter()
        .filter_map(|k| match k {
            StatusKey::Range(class, span) => {
                let (lo, hi) = StatusKey::class_bounds(*class);
                let lo = LitInt::new(&format!("{lo}u16"), *span);
                let hi = LitInt::new(&format!("{hi}u16"), *span);
                Some(quote! { #lo..=#hi })
            }
            _ => None,
        })
        .collect()
}

/// A status with media arms: the first arm whose media type matches the response's, else
/// the status's arm without a media type, else an error naming what was declared.
fn media_arm(endpoint: &Checked, status: &MediaStatus) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    let option = quote!(::core::option::Option);
    let &MediaStatus { code, span, ok } = status;
    let side = endpoint.side(ok);
    let arms: Vec<&Arm> = side
        .iter()
        .filter(|a| a.media.is_some() && a.covers(code))
        .collect();
    let declared: Vec<String> = arms
        .iter()
        .filter_map(|a| a.media.as_ref().map(LitStr::value))
        .collect();
    let plain = side.iter().find(|a| a.media.is_none() && a.covers(code));
    let otherwise = match plain {
        Some(arm) => arm_body(arm, ok),
        None if ok => {
            quote! { #result::Err(__vc_resp.unexpected_media_type(&[#(#declared),*])) }
        }
        None => quote! { #result::Err(__vc_resp.into_api_error(#option::None)) },
    };
    // The response's media type is read once and matched against each arm's in order;
    // streamed arms were taken before the body was read (see `send`).
    let read: Vec<&Arm> = arms
        .into_iter()
        .filter(|a| !matches!(a.kind, Kind::Stream))
        .collect();
    let code = LitInt::new(&code.to_string(), span);
    if read.is_empty() {
        // Every arm of this status is streamed: what arrives here matched none of them.
        return quote! { #code => { #otherwise } };
    }
    let patterns = read.iter().filter_map(|a| a.media.as_ref());
    let indices = (0..read.len()).map(syn::Index::from);
    let bodies = read.iter().map(|arm| arm_body(arm, ok));
    let pick = quote! {
        {
            let __vc_media = __vc_resp.media_type();
            [#(#patterns),*]
                .iter()
                .position(|p| ::vendor_clients::media_type_matches(&__vc_media, p))
        }
    };
    quote! {
        #code => match #pick {
            #(#option::Some(#indices) => { #bodies })*
            _ => { #otherwise }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::checked;

    fn match_of(attr: TokenStream2) -> String {
        let item = quote!(
            async fn get(&self) -> R;
        );
        let c = checked(attr, item).unwrap_or_else(|e| panic!("refused: {e}"));
        status_match(&c).to_string()
    }

    #[test]
    fn an_ok_204_empty_arm_is_a_match_arm_returning_unit() {
        let code = match_of(quote!(DELETE "/a", ok(204 => empty)));
        assert!(
            code.contains("204 => { :: core :: result :: Result :: Ok (()) }"),
            "{code}"
        );
        assert!(code.ends_with("_ => :: core :: result :: Result :: Err (__vc_resp . into_api_error (:: core :: option :: Option :: None)) , }"), "{code}");
    }

    #[test]
    fn exact_codes_come_before_ranges_whatever_the_arm_order() {
        let code =
            match_of(quote!(GET "/a", ok(200 => empty), err(4XX => text, 404 | 410 => empty)));
        let range = code.find("400u16 ..= 499u16 =>").expect("a range arm");
        let exact = code.find("404 | 410 =>").expect("an exact arm");
        assert!(exact < range, "{code}");
    }

    #[test]
    fn default_replaces_the_fallback_and_takes_its_arms_codes() {
        let code = match_of(quote!(GET "/a", ok(200 => empty), err(400 | default => text)));
        assert!(!code.contains("400 =>"), "{code}");
        assert!(code.contains("_ => { let __vc_body"), "{code}");
        assert!(
            !code.contains("into_api_error (:: core :: option :: Option :: None)) ,"),
            "{code}"
        );
    }

    #[test]
    fn a_status_with_media_arms_picks_by_media_type_then_its_plain_arm() {
        let code = match_of(quote!(GET "/a", ok(200 "text/csv" => text, 200 => json(T))));
        assert!(
            code.contains(
                "200 => match { let __vc_media = __vc_resp . media_type () ; [\"text/csv\"]"
            ),
            "{code}"
        );
        assert!(
            code.contains(":: core :: option :: Option :: Some (0) =>"),
            "{code}"
        );
        assert!(
            code.contains("_ => { let __vc_value = match __vc_resp . json :: < T , _ >"),
            "{code}"
        );
    }

    #[test]
    fn a_success_status_without_plain_arm_reports_the_declared_media_types() {
        let code = match_of(quote!(GET "/a", ok(200 "text/csv" => text, 200 "text/plain" => text)));
        assert!(
            code.contains("unexpected_media_type (& [\"text/csv\" , \"text/plain\"])"),
            "{code}"
        );
        let streamed = match_of(quote!(GET "/a", ok(200 "text/csv" => stream)));
        assert!(streamed.contains("200 => { :: core :: result :: Result :: Err (__vc_resp . unexpected_media_type (& [\"text/csv\"])) }"), "{streamed}");
    }
}
