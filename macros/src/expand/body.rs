//! Response bodies: turns one arm into the code that reads `__vc_resp` as the arm's kind
//! and returns it, `Ok(value)` for an `ok(...)` arm, `Err(Error::Api { .. })` for `err(...)`.

use proc_macro2::TokenStream as TokenStream2;
use quote::quote;

use crate::parse::{Arm, Kind};

/// The arm's body, on its side.
pub(super) fn arm_body(arm: &Arm, is_ok: bool) -> TokenStream2 {
    if is_ok {
        ok_arm(arm)
    } else {
        err_arm(arm)
    }
}

/// Code producing `__vc_value` (the body as the arm's kind) for an ok arm.
fn decode_value(arm: &Arm) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    match &arm.kind {
        Kind::Json(ty) => quote! {
            let __vc_value = match __vc_resp.json::<#ty, _>() {
                #result::Ok(value) => value,
                #result::Err(err) => return #result::Err(err),
            };
        },
        Kind::Empty => quote! { let __vc_value = (); },
        Kind::Text => quote! { let __vc_value = __vc_resp.text().into_owned(); },
        // Copied: the body may be a slice of the connection's read buffer (up to about 400 KiB),
        // which a caller keeping a small answer would otherwise keep alive whole.
        Kind::Bytes => quote! {
            let __vc_value = ::vendor_clients::bytes::Bytes::copy_from_slice(__vc_resp.bytes());
        },
        // Returned before the response is read (see `send`).
        Kind::Stream => TokenStream2::new(),
    }
}

fn ok_arm(arm: &Arm) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    let option = quote!(::core::option::Option);
    let decode = decode_value(arm);
    let verdict = arm.verdict.as_ref().map(|_| {
        quote! {
            let __vc_value = match ::vendor_clients::Verdict::verdict(__vc_value) {
                #result::Ok(accepted) => accepted,
                #result::Err(rejected) => {
                    return #result::Err(__vc_resp.into_api_error(
                        #option::Some(::core::convert::Into::into(rejected)),
                    ))
                }
            };
        }
    });
    let value = match (&arm.wrap, &arm.kind) {
        (Some(path), Kind::Empty) => quote! { #path },
        (Some(path), _) => quote! { #path(__vc_value) },
        (None, Kind::Empty) => quote! { () },
        (None, _) => quote! { __vc_value },
    };
    match arm.kind {
        Kind::Empty => quote! { #result::Ok(#value) },
        _ => quote! {
            #decode
            #verdict
            #result::Ok(#value)
        },
    }
}

fn err_arm(arm: &Arm) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    let option = quote!(::core::option::Option);
    let wrap = |v: TokenStream2| match &arm.wrap {
        Some(path) => quote! { #path(#v) },
        None => v,
    };
    let body = match &arm.kind {
        Kind::Json(ty) => {
            let wrapped = wrap(quote!(body));
            quote! {
                __vc_resp
                    .error_body::<#ty>()
                    .map(|body| ::core::convert::Into::into(#wrapped))
            }
        }
        Kind::Empty => match &arm.wrap {
            Some(path) => quote! { #option::Some(::core::convert::Into::into(#path)) },
            None => quote! { #option::None },
        },
        Kind::Text => {
            let wrapped = wrap(quote!(__vc_resp.text().into_owned()));
            quote! { #option::Some(::core::convert::Into::into(#wrapped)) }
        }
        Kind::Bytes => {
            let wrapped = wrap(quote!(::core::clone::Clone::clone(__vc_resp.bytes())));
            quote! { #option::Some(::core::convert::Into::into(#wrapped)) }
        }
        // Refused by `check`.
        Kind::Stream => quote! { #option::None },
    };
    quote! {
        let __vc_body = #body;
        #result::Err(__vc_resp.into_api_error(__vc_body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(text: &str) -> Arm {
        syn::parse_str(text).unwrap_or_else(|e| panic!("{text:?} was refused: {e}"))
    }

    fn ok(text: &str) -> String {
        ok_arm(&arm(text)).to_string()
    }

    fn err(text: &str) -> String {
        err_arm(&arm(text)).to_string()
    }

    #[test]
    fn an_empty_ok_arm_returns_unit_or_its_wrap_without_reading() {
        assert_eq!(ok("204 => empty"), ":: core :: result :: Result :: Ok (())");
        assert_eq!(
            ok("202 => empty as R::Later"),
            ":: core :: result :: Result :: Ok (R :: Later)"
        );
    }

    #[test]
    fn a_json_ok_arm_decodes_its_type_and_applies_verdict_then_wrap() {
        let code = ok("200 => json(Item) verdict as R::Got");
        assert!(
            code.contains("__vc_resp . json :: < Item , _ > ()"),
            "{code}"
        );
        let verdict = code.find(":: vendor_clients :: Verdict :: verdict (__vc_value)");
        let wrap = code.find("Ok (R :: Got (__vc_value))");
        assert!(
            verdict.is_some() && wrap.is_some() && verdict < wrap,
            "{code}"
        );
    }

    #[test]
    fn bytes_are_copied_out_of_the_read_buffer() {
        let code = ok("200 => bytes");
        assert!(
            code.contains("Bytes :: copy_from_slice (__vc_resp . bytes ())"),
            "{code}"
        );
    }

    #[test]
    fn err_arms_become_api_errors_with_their_body() {
        let json = err("404 => json(Problem) as E::NotFound");
        assert!(json.contains("error_body :: < Problem > ()"), "{json}");
        assert!(
            json.contains("Into :: into (E :: NotFound (body))"),
            "{json}"
        );
        assert!(
            json.ends_with("Err (__vc_resp . into_api_error (__vc_body))"),
            "{json}"
        );
        let empty = err("410 => empty");
        assert!(
            empty.starts_with("let __vc_body = :: core :: option :: Option :: None ;"),
            "{empty}"
        );
        assert_eq!(arm_body(&arm("410 => empty"), false).to_string(), empty);
    }
}
