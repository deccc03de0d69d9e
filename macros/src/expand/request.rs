//! The request: turns the checked request parts (path, query, headers, cookies, body,
//! params) and the arms' media types into the block that builds `__vc_req`.

use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::Ident;

use crate::check::{Checked, Part};
use crate::parse::{BodyEncoding, Kind, ParamOptions};

/// The block whose value is the request; it is awaited where it is written (see `send`).
/// `operation` is the expression of the `&'static Operation` (see `super::operation`).
pub(super) fn request(endpoint: &Checked, operation: &TokenStream2) -> TokenStream2 {
    let accept = accept(endpoint);
    let build = endpoint.parts.iter().map(part);
    quote! {
        {
            let mut __vc_req = ::vendor_clients::Endpoints::core(self).request(#operation);
            #accept
            #(#build)*
            __vc_req
        }
    }
}

/// Where a named value goes on a request: what `#[endpoint]`'s `query`, `headers` and `cookies`
/// and `#[params]`' `#[param(...)]` say.
#[derive(Clone, Copy)]
pub(crate) enum Target {
    Query(Option<ParamOptions>),
    Header { json: bool },
    Cookie,
}

/// The statement putting `value` (an expression of a reference) on `request` under `wire`, the
/// one way both attributes write it.
pub(crate) fn put(
    request: &TokenStream2,
    target: Target,
    wire: &TokenStream2,
    value: &TokenStream2,
) -> TokenStream2 {
    match target {
        Target::Query(None) => quote! { #request.query(#wire, #value); },
        Target::Query(Some(ParamOptions::Json(_))) => {
            quote! { #request.query_json(#wire, #value); }
        }
        Target::Query(Some(ParamOptions::Style(span, variant))) => {
            let variant = Ident::new(variant, span);
            quote! { #request.query_styled(#wire, #value, ::vendor_clients::QueryStyle::#variant); }
        }
        Target::Header { json: true } => quote! { #request.header_json(#wire, #value); },
        Target::Header { json: false } => quote! { #request.header(#wire, #value); },
        Target::Cookie => quote! { #request.cookie(#wire, #value); },
    }
}

/// The statement sending one part.
fn part(part: &Part) -> TokenStream2 {
    let req = quote!(__vc_req);
    match part {
        Part::Literal(text) => quote! { __vc_req.push_literal(#text); },
        Part::PathParam { name, ident } => quote! { __vc_req.push_param(#name, &#ident); },
        Part::Query {
            wire,
            ident,
            options,
        } => put(
            &req,
            Target::Query(*options),
            &quote!(#wire),
            &quote!(&#ident),
        ),
        Part::Header { wire, ident, json } => put(
            &req,
            Target::Header { json: *json },
            &quote!(#wire),
            &quote!(&#ident),
        ),
        Part::Cookie { wire, ident } => put(&req, Target::Cookie, &quote!(#wire), &quote!(&#ident)),
        Part::Body { encoding, ident } => body(*encoding, ident),
        Part::Params(ident) => {
            quote! { ::vendor_clients::Params::apply(&#ident, &mut __vc_req); }
        }
    }
}

fn body(encoding: BodyEncoding, ident: &Ident) -> TokenStream2 {
    match encoding {
        BodyEncoding::Json => quote! { __vc_req.json_body(&#ident); },
        BodyEncoding::Form => quote! { __vc_req.form_body(&#ident); },
        BodyEncoding::Text => quote! { __vc_req.text_body(&#ident); },
        BodyEncoding::Bytes => quote! { __vc_req.bytes_body(&#ident); },
        // Taken by value: `impl Into<Upload>` (bytes, or a stream sent once).
        BodyEncoding::Upload => quote! {
            __vc_req.upload_body(::std::convert::Into::<::vendor_clients::Upload>::into(#ident));
        },
        BodyEncoding::Multipart => quote! { __vc_req.multipart_body(&#ident); },
    }
}

/// `Accept`: as given by `accept = "..."`; else, when some status's arms differ by media type,
/// the media types of the success arms, and JSON when one without a media type decodes JSON;
/// else the runtime's default, JSON.
fn accept(endpoint: &Checked) -> Option<TokenStream2> {
    if let Some(accept) = &endpoint.accept {
        return Some(quote! { __vc_req.accept(#accept); });
    }
    if endpoint.media_statuses.is_empty() {
        return None;
    }
    let mut accept: Vec<String> = Vec::new();
    for arm in &endpoint.ok {
        let media = match (&arm.media, &arm.kind) {
            (Some(m), _) => m.value().to_ascii_lowercase(),
            (None, Kind::Json(_)) => "application/json".to_owned(),
            (None, _) => continue,
        };
        if !accept.contains(&media) {
            accept.push(media);
        }
    }
    if accept.is_empty() {
        return None;
    }
    let accept = accept.join(", ");
    Some(quote! { __vc_req.accept(#accept); })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::checked;
    use quote::quote;

    fn request_of(attr: TokenStream2, item: TokenStream2) -> String {
        let c = checked(attr, item).unwrap_or_else(|e| panic!("refused: {e}"));
        request(&c, &quote!(OP)).to_string()
    }

    #[test]
    fn accept_sends_the_declared_media_types() {
        let code = request_of(
            quote!(GET "/export", accept = "text/csv, application/json", ok(200 => text)),
            quote!(
                async fn export(&self) -> R;
            ),
        );
        assert!(
            code.contains("__vc_req . accept (\"text/csv, application/json\")"),
            "{code}"
        );
        let plain = request_of(
            quote!(GET "/export", ok(200 => text)),
            quote!(
                async fn export(&self) -> R;
            ),
        );
        assert!(!plain.contains("accept"), "{plain}");
    }

    #[test]
    fn a_placeholder_is_percent_encoded_through_the_runtime_helper() {
        let code = request_of(
            quote!(GET "/items/{id}/raw", ok(200 => empty)),
            quote!(
                async fn get(&self, id: &str) -> R;
            ),
        );
        let expected = "__vc_req . push_literal (\"/items/\") ; \
             __vc_req . push_param (\"id\" , & id) ; \
             __vc_req . push_literal (\"/raw\") ;";
        assert!(code.contains(expected), "{code}");
    }

    #[test]
    fn query_header_cookie_body_and_params_each_call_their_builder() {
        let code = request_of(
            quote!(POST "/a", query(q, s(explode = false), j = "J"(json)), headers(h = "X-H"),
                   cookies(c = "sid"), body(upload) = b, params = p, ok(200 => empty)),
            quote!(
                async fn post(&self, q: u8, s: u8, j: u8, h: u8, c: u8, b: u8, p: u8) -> R;
            ),
        );
        for call in [
            "__vc_req . query (\"q\" , & q) ;",
            "__vc_req . query_styled (\"s\" , & s , :: vendor_clients :: QueryStyle :: FormUnexploded) ;",
            "__vc_req . query_json (\"J\" , & j) ;",
            "__vc_req . header (\"X-H\" , & h) ;",
            "__vc_req . cookie (\"sid\" , & c) ;",
            "__vc_req . upload_body (:: std :: convert :: Into :: < :: vendor_clients :: Upload > :: into (b)) ;",
            ":: vendor_clients :: Params :: apply (& p , & mut __vc_req) ;",
        ] {
            assert!(code.contains(call), "missing {call} in {code}");
        }
    }

    #[test]
    fn accept_lists_the_success_media_types_first_only_when_arms_differ_by_media_type() {
        let item = quote!(
            async fn get(&self) -> R;
        );
        let plain = request_of(quote!(GET "/a", ok(200 => json(T))), item.clone());
        assert!(!plain.contains("accept"), "{plain}");
        let code = request_of(
            quote!(GET "/a", ok(200 "Text/CSV" => text, 200 => json(T), 201 => empty),
                   err(400 "text/plain" => text)),
            item,
        );
        let accept = "request (OP) ; __vc_req . accept (\"text/csv, application/json\") ;";
        assert!(code.contains(accept), "{code}");
    }
}
