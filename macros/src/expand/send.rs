//! Sending: turns the request block and the `stream` arms into the statement binding
//! `__vc_resp`, the response read in full; streamed statuses return their `ByteStream`
//! before any body is read.

use proc_macro2::TokenStream as TokenStream2;
use quote::{quote, ToTokens};
use syn::{LitInt, LitStr};

use crate::check::Checked;
use crate::parse::{Arm, Kind, StatusKey};

/// Sending `request`: the future of the response (the request is built and checked when the
/// method is called), and `let __vc_resp = ...;`, reading its output `__vc_sent` in the
/// function that answers it (see `super::expand`).
pub(super) fn send(endpoint: &Checked, request: &TokenStream2) -> (TokenStream2, TokenStream2) {
    let result = quote!(::core::result::Result);
    let stream_arms: Vec<&Arm> = endpoint
        .ok
        .iter()
        .filter(|a| matches!(a.kind, Kind::Stream))
        .collect();
    let Some((last, rest)) = stream_arms.split_last() else {
        return (
            quote!(#request.send()),
            quote! {
                let __vc_resp = match __vc_sent {
                    #result::Ok(resp) => resp,
                    #result::Err(err) => return #result::Err(err),
                };
            },
        );
    };
    let streams_by_media = stream_arms.iter().any(|a| a.media.is_some());
    let codes = stream_codes(&stream_arms, streams_by_media);
    let send_fn = if streams_by_media {
        quote!(send_streaming_media)
    } else {
        quote!(send_streaming)
    };
    let mut by_status: Vec<TokenStream2> = rest.iter().map(|arm| stream_arm(arm)).collect();
    let v = stream_value(last);
    by_status.push(quote! { _ => #v, });
    let sent = quote!(#request.#send_fn(&[#(#codes),*]));
    let resp = quote! {
        let __vc_resp = match __vc_sent {
            #result::Ok(::vendor_clients::Streamed::Full(resp)) => resp,
            #result::Ok(::vendor_clients::Streamed::Stream(__vc_stream)) => {
                return match __vc_stream.status() {
                    #(#by_status)*
                };
            }
            #result::Err(err) => return #result::Err(err),
        };
    };
    (sent, resp)
}

/// What the runtime streams: `200u16`, or `(200u16, "text/csv")` when some stream arm has a
/// media type (`*/*` for those without).
fn stream_codes(stream_arms: &[&Arm], streams_by_media: bool) -> Vec<TokenStream2> {
    stream_arms
        .iter()
        .flat_map(|a| a.statuses.iter().map(move |k| (a, k)))
        .filter_map(|(a, k)| match k {
            StatusKey::Code(code, span) => {
                let code = LitInt::new(&format!("{code}u16"), *span);
                Some(if streams_by_media {
                    let media = a.media.clone().unwrap_or_else(|| LitStr::new("*/*", *span));
                    quote! { (#code, #media) }
                } else {
                    code.into_token_stream()
                })
            }
            // Refused for stream arms by `check`.
            StatusKey::Default(_) | StatusKey::Range(..) => None,
        })
        .collect()
}

/// The stream, wrapped as the arm says.
fn stream_value(arm: &Arm) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    match &arm.wrap {
        Some(path) => quote! { #result::Ok(#path(__vc_stream)) },
        None => quote! { #result::Ok(__vc_stream) },
    }
}

/// A match arm on the streamed status (and media type) returning the arm's value; the last
/// stream arm is the `_` one.
fn stream_arm(arm: &Arm) -> TokenStream2 {
    let codes = arm.statuses.iter().filter_map(|k| match k {
        StatusKey::Code(code, span) => {
            Some(LitInt::new(&code.to_string(), *span).into_token_stream())
        }
        StatusKey::Default(_) | StatusKey::Range(..) => None,
    });
    let v = stream_value(arm);
    match &arm.media {
        Some(media) => {
            quote! { #(#codes)|* if __vc_stream.has_media_type(#media) => #v, }
        }
        None => quote! { #(#codes)|* => #v, },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::checked;

    fn send_of(attr: TokenStream2) -> String {
        let item = quote!(
            async fn get(&self) -> R;
        );
        let c = checked(attr, item).unwrap_or_else(|e| panic!("refused: {e}"));
        let (sent, resp) = send(&c, &quote!({ REQUEST }));
        format!("{sent} | {resp}")
    }

    #[test]
    fn without_stream_arms_the_response_is_read_in_full() {
        let code = send_of(quote!(GET "/a", ok(200 => json(T))));
        assert!(
            code.starts_with("{ REQUEST } . send () | let __vc_resp = match __vc_sent {"),
            "{code}"
        );
        assert!(!code.contains("send_streaming"), "{code}");
    }

    #[test]
    fn stream_arms_name_their_codes_and_the_last_arm_takes_the_rest() {
        let code = send_of(
            quote!(GET "/a", ok(200 => stream as D::Whole, 206 => stream as D::Part, 202 => empty)),
        );
        assert!(
            code.contains(
                ". send_streaming (& [200u16 , 206u16]) | let __vc_resp = match __vc_sent {"
            ),
            "{code}"
        );
        assert!(
            code.contains("200 => :: core :: result :: Result :: Ok (D :: Whole (__vc_stream)) ,"),
            "{code}"
        );
        assert!(
            code.contains("_ => :: core :: result :: Result :: Ok (D :: Part (__vc_stream)) ,"),
            "{code}"
        );
    }

    #[test]
    fn stream_arms_with_media_types_are_streamed_by_status_and_media_type() {
        let code = send_of(quote!(GET "/a",
            ok(200 "text/csv" => stream, 201 => stream, 200 "application/json" => json(T))));
        let codes = ". send_streaming_media (& [(200u16 , \"text/csv\") , (201u16 , \"*/*\")])";
        assert!(code.contains(codes), "{code}");
        assert!(
            code.contains("200 if __vc_stream . has_media_type (\"text/csv\") =>"),
            "{code}"
        );
    }
}
