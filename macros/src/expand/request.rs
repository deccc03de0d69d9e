//! The request: turns the checked request parts (path, query, headers, cookies, body,
//! params) and the arms' media types into the block that builds `__vc_req`.

use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use syn::{Ident, LitStr};

use crate::check::{Checked, Part};
use crate::parse::{BodyEncoding, Kind, ParamOptions};

/// The block whose value is the request; it is awaited where it is written (see `send`).
/// `operation` is the expression of the `&'static Operation` (see `super::operation`).
///
/// One `quote!` writes the whole block from plain values (a method name, a string, an argument
/// name per statement): each token stream built apart and then spliced into another costs a dev
/// build, where proc macros run unoptimised, several round trips to the compiler.
pub(super) fn request(endpoint: &Checked, operation: &Operation) -> TokenStream2 {
    let Operation {
        id,
        variant,
        path,
        auth,
        idempotent,
        sensitive,
    } = operation;
    // The declared media type replaces the body setter's default, so it comes after it.
    let content_type = endpoint
        .content_type
        .as_ref()
        .map(|ct| Call::new("content_type", Some(ct.value()), None));
    let calls: Vec<Call> = accept(endpoint)
        .into_iter()
        .chain(endpoint.parts.iter().map(call))
        .chain(content_type)
        .collect();
    let method = calls
        .iter()
        .map(|c| Ident::new(c.method, Span::call_site()));
    // Each argument as a list of none or one, for `quote!`'s nested repetition.
    let text: Vec<Vec<&String>> = calls.iter().map(|c| c.text.iter().collect()).collect();
    let by_ref: Vec<Vec<&Ident>> = calls
        .iter()
        .map(|c| c.by_ref.into_iter().collect())
        .collect();
    let by_value: Vec<Vec<&Ident>> = calls
        .iter()
        .map(|c| c.by_value.into_iter().collect())
        .collect();
    let style: Vec<Vec<Ident>> = calls
        .iter()
        .map(|c| {
            c.style
                .map(|s| Ident::new(s, Span::call_site()))
                .into_iter()
                .collect()
        })
        .collect();
    quote! {
        {
            let mut __vc_req = ::vendor_clients::Endpoints::core(self).request(&::vendor_clients::Operation {
                id: #id,
                method: ::vendor_clients::Method::#variant,
                path: #path,
                auth: &[#(#auth),*],
                idempotent: #idempotent,
                sensitive: #sensitive,
            });
            #(__vc_req.#method(#(#text,)* #(&#by_ref,)* #(#by_value,)* #(::vendor_clients::QueryStyle::#style,)*);)*
            __vc_req
        }
    }
}

/// The `&'static Operation`'s fields (see `super::operation`).
pub(super) struct Operation {
    pub(super) id: LitStr,
    pub(super) variant: Ident,
    pub(super) path: LitStr,
    pub(super) auth: Vec<LitStr>,
    pub(super) idempotent: bool,
    pub(super) sensitive: bool,
}

/// One statement `__vc_req.method(text, &by_ref or by_value, QueryStyle::style,);` of the
/// request, each argument there or not (each followed by a comma, which a call allows).
struct Call<'a> {
    method: &'static str,
    text: Option<String>,
    by_ref: Option<&'a Ident>,
    by_value: Option<&'a Ident>,
    style: Option<&'static str>,
}

impl<'a> Call<'a> {
    fn new(method: &'static str, text: Option<String>, by_ref: Option<&'a Ident>) -> Self {
        Call {
            method,
            text,
            by_ref,
            by_value: None,
            style: None,
        }
    }

    /// A value put where `target` says, under `wire` (see [`Target::method`]).
    fn put(target: Target, wire: String, value: &'a Ident) -> Self {
        let (method, style) = target.method();
        Call {
            style: style.map(|(_, variant)| variant),
            ..Call::new(method, Some(wire), Some(value))
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

impl Target {
    /// The `Request` method putting a value there, and the `QueryStyle` variant it takes (with
    /// the span of the style's name): the one way both attributes name it.
    fn method(self) -> (&'static str, Option<(proc_macro2::Span, &'static str)>) {
        match self {
            Target::Query(None) => ("query", None),
            Target::Query(Some(ParamOptions::Json(_))) => ("query_json", None),
            Target::Query(Some(ParamOptions::Style(span, variant))) => {
                ("query_styled", Some((span, variant)))
            }
            Target::Header { json: true } => ("header_json", None),
            Target::Header { json: false } => ("header", None),
            Target::Cookie => ("cookie", None),
        }
    }
}

/// The statement putting `value` (an expression of a reference) on `request` under `wire`, as
/// `#[params]` writes it.
pub(crate) fn put(
    request: &TokenStream2,
    target: Target,
    wire: &TokenStream2,
    value: &TokenStream2,
) -> TokenStream2 {
    let (method, style) = target.method();
    let method = Ident::new(method, proc_macro2::Span::call_site());
    let style = style
        .map(|(span, variant)| Ident::new(variant, span))
        .into_iter();
    quote! { #request.#method(#wire, #value #(, ::vendor_clients::QueryStyle::#style)*); }
}

/// The statement sending one part.
fn call(part: &Part) -> Call<'_> {
    match part {
        Part::Literal(text) => Call::new("push_literal", Some(text.clone()), None),
        Part::FixedQuery(text) => Call::new("query_literal", Some(text.clone()), None),
        Part::PathParam { name, ident } => Call::new("push_param", Some(name.clone()), Some(ident)),
        Part::Query {
            wire,
            ident,
            options,
        } => Call::put(Target::Query(*options), wire.clone(), ident),
        Part::Header { wire, ident, json } => {
            Call::put(Target::Header { json: *json }, wire.value(), ident)
        }
        Part::Cookie { wire, ident } => Call::put(Target::Cookie, wire.value(), ident),
        Part::Body { encoding, ident } => match encoding {
            BodyEncoding::Json => Call::new("json_body", None, Some(ident)),
            BodyEncoding::Form => Call::new("form_body", None, Some(ident)),
            BodyEncoding::Text => Call::new("text_body", None, Some(ident)),
            BodyEncoding::Bytes => Call::new("bytes_body", None, Some(ident)),
            // Taken by value: `impl Into<Upload>` (bytes, or a stream sent once).
            BodyEncoding::Upload => Call {
                by_value: Some(ident),
                ..Call::new("upload_body", None, None)
            },
            BodyEncoding::Multipart => Call::new("multipart_body", None, Some(ident)),
        },
        Part::Params(ident) => Call::new("params", None, Some(ident)),
    }
}

/// `Accept`: as given by `accept = "..."`; else, when some status's arms differ by media type,
/// the media types of the success arms, and JSON when one without a media type decodes JSON;
/// else the runtime's default, JSON.
fn accept(endpoint: &Checked) -> Option<Call<'static>> {
    if let Some(accept) = &endpoint.accept {
        return Some(Call::new("accept", Some(accept.value()), None));
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
    Some(Call::new("accept", Some(accept.join(", ")), None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::checked;
    use quote::quote;

    fn request_of(attr: TokenStream2, item: TokenStream2) -> String {
        let c = checked(attr, item).unwrap_or_else(|e| panic!("refused: {e}"));
        request(&c, &super::super::operation(&c)).to_string()
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
            code.contains("__vc_req . accept (\"text/csv, application/json\" ,)"),
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
        let expected = "__vc_req . push_literal (\"/items/\" ,) ; \
             __vc_req . push_param (\"id\" , & id ,) ; \
             __vc_req . push_literal (\"/raw\" ,) ;";
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
            "__vc_req . query (\"q\" , & q ,) ;",
            "__vc_req . query_styled (\"s\" , & s , :: vendor_clients :: QueryStyle :: FormUnexploded ,) ;",
            "__vc_req . query_json (\"J\" , & j ,) ;",
            "__vc_req . header (\"X-H\" , & h ,) ;",
            "__vc_req . cookie (\"sid\" , & c ,) ;",
            "__vc_req . upload_body (b ,) ;",
            "__vc_req . params (& p ,) ;",
        ] {
            assert!(code.contains(call), "missing {call} in {code}");
        }
    }

    #[test]
    fn a_fixed_query_is_sent_after_the_path_and_before_the_query_parameters() {
        let code = request_of(
            quote!(GET "/stats/{id}?view=summary&x=1", query(q), ok(200 => empty)),
            quote!(
                async fn stats(&self, id: &str, q: u8) -> R;
            ),
        );
        let expected = "__vc_req . push_param (\"id\" , & id ,) ; \
             __vc_req . query_literal (\"view=summary&x=1\" ,) ; \
             __vc_req . query (\"q\" , & q ,) ;";
        assert!(code.contains(expected), "{code}");
    }

    #[test]
    fn content_type_is_set_after_the_body_it_replaces_the_default_of() {
        let code = request_of(
            quote!(PATCH "/a", body = b, content_type = "application/merge-patch+json",
                   ok(200 => empty)),
            quote!(
                async fn patch(&self, b: &B) -> R;
            ),
        );
        let calls = "__vc_req . json_body (& b ,) ; \
             __vc_req . content_type (\"application/merge-patch+json\" ,) ;";
        assert!(code.contains(calls), "{code}");
        let plain = request_of(
            quote!(PATCH "/a", body = b, ok(200 => empty)),
            quote!(
                async fn patch(&self, b: &B) -> R;
            ),
        );
        assert!(!plain.contains("content_type"), "{plain}");
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
        let accept = "}) ; __vc_req . accept (\"text/csv, application/json\" ,) ;";
        assert!(code.contains(accept), "{code}");
    }
}
