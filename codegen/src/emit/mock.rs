//! The API's fake server for consumers' tests: `mod mock` (under the `mock` feature) with a
//! `MockServer` that has one method per operation, returning a typed
//! `vendor_clients::mock::Expectation` (see `src/mock/` for the runtime side).
//!
//! What each operation's expectation is typed with, from the model:
//! - the method's arguments: the operation's path parameters, as the client method takes them,
//!   which fill in the path the expectation matches;
//! - `responds(&O)`: `O` is the operation's success value, answered with its documented status
//!   (an outcome enum answers each variant with its own status and media type). Where the
//!   client does not return the body as sent (`x-unwrap`, `Verdict` arms), `O` is the body as
//!   sent (the envelope, the union), so that the fake still answers what the vendor would; where
//!   an outcome enum cannot be turned back into a body (one holds an unwrapped value, a verdict
//!   or a stream), `O` is JSON (`vendor_clients::mock::Untyped`);
//! - `B`, the request body (`body(&B)`, `bodies()`): JSON and form bodies by their type, text as
//!   `str`, and `NoBody` for multipart and binary bodies, which are not compared by type;
//! - `E`, the module's error type's body (`responds_with_status`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::ty::{param_ty, ty};
use crate::model::*;
use crate::names::{ident, ident_text};

/// Method names `MockServer` and the `FakeServer` it dereferences to have already: an operation
/// with one of these names gets the suffix `_operation`.
const TAKEN: &[&str] = &[
    "start",
    "client_builder",
    "uri",
    "wiremock",
    "received_requests",
    "unmatched_requests",
    "take_unmatched",
    "verify",
    "expect",
    "deref",
];

/// `pub mod mock { ... }` for `api`, which the file holds inside
/// `#[cfg(feature = "mock")] ::vendor_clients::__mock_module! { .. }` (see [`wrap`]).
pub(super) fn mock_module(api: &Api) -> TokenStream {
    let error = match api.error_bodies.as_slice() {
        [] => quote!(::vendor_clients::mock::Untyped),
        [one] => ty(one),
        _ => quote!(ErrorBody),
    };
    let methods = api.operations.iter().map(|op| operation(op, &error));
    let module_doc = format!(
        " A fake {} server for your tests (feature `mock`): [`MockServer`](mock::MockServer) answers each \
         operation as you tell it, on `127.0.0.1`. See `vendor_clients::mock` for what is \
         matched and checked.",
        api.title
    );
    let server_doc = format!(
        " A fake {} server on `127.0.0.1` with one method per operation, each returning an \
         expectation to refine and mount. It dereferences to \
         [`FakeServer`](::vendor_clients::mock::FakeServer) (`uri`, `verify`, \
         `received_requests`, ...); dropping it checks the expected call counts and that no \
         request went unmatched.",
        api.title
    );
    quote! {
        #[doc = #module_doc]
        pub mod mock {
            #[allow(unused_imports)]
            use super::*;

            ::vendor_clients::__mock_server!(#server_doc, super::Api, super::ClientBuilder);

            impl MockServer {
                #(#methods)*
            }
        }
    }
}

/// The printed `mock` module inside `#[cfg(feature = "mock")] ::vendor_clients::__mock_module!
/// { .. }`, indented: without the feature the compiler reads it as tokens only, not as items
/// that it would parse on every build of the user's crate to drop them.
pub(super) fn wrap(module: &str) -> String {
    let mut out = String::with_capacity(module.len() + module.len() / 8 + 64);
    out.push_str("#[cfg(feature = \"mock\")]\n::vendor_clients::__mock_module! {\n");
    for line in module.trim_end().lines() {
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

/// The status an arm answers by default: its first code, `N00` for a class, 200 for `default`.
fn arm_status(statuses: &Statuses) -> u16 {
    match statuses {
        Statuses::Codes(codes) => codes.first().copied().unwrap_or(200),
        Statuses::Range(class) => class * 100,
        Statuses::Default => 200,
    }
}

/// `Reply` for a value `v` of arm `arm` answered with `status`: the tokens, or `None` if the
/// arm's body cannot be rebuilt from `v`.
fn arm_reply(arm: &Arm, status: u16, v: TokenStream) -> Option<TokenStream> {
    let status = Literal::u16_unsuffixed(status);
    let reply = match &arm.kind {
        BodyKind::Json(_) => quote!(::vendor_clients::mock::Reply::json(#status, #v)),
        BodyKind::Empty => quote!(::vendor_clients::mock::Reply::empty(#status)),
        BodyKind::Text => quote!(::vendor_clients::mock::Reply::text(#status, #v)),
        BodyKind::Bytes => {
            let media = arm.media.as_deref().unwrap_or("application/octet-stream");
            return Some(quote!(::vendor_clients::mock::Reply::bytes(#status, #media, #v)));
        }
        BodyKind::Stream => return None,
    };
    Some(match &arm.media {
        Some(m) => quote!(#reply.media_type(#m)),
        None => reply,
    })
}

/// What `responds` takes for `op`, and the closure that turns it into a `Reply`.
fn reply(op: &Operation) -> (TokenStream, TokenStream) {
    let untyped = || {
        let status =
            Literal::u16_unsuffixed(op.ok.first().map_or(200, |a| arm_status(&a.statuses)));
        (
            quote!(::vendor_clients::mock::Untyped),
            quote!(|v: &::vendor_clients::mock::Untyped| ::vendor_clients::mock::Reply::json(#status, v)),
        )
    };
    let Some(first) = op.ok.first() else {
        return untyped();
    };
    match &op.output {
        Output::Single(out) => {
            let status = arm_status(&first.statuses);
            let o = match (out, &first.kind) {
                (OutTy::Unit, _) => quote!(()),
                (OutTy::Text, BodyKind::Text) => quote!(str),
                (OutTy::Bytes | OutTy::Stream, BodyKind::Bytes | BodyKind::Stream) => {
                    quote!([u8])
                }
                // The body as sent: the envelope of an unwrap, the union of a verdict.
                (OutTy::Ty(_), BodyKind::Json(wire)) => ty(wire),
                _ => return untyped(),
            };
            let body = match &first.kind {
                BodyKind::Stream => {
                    let status = Literal::u16_unsuffixed(status);
                    let media = first.media.as_deref().unwrap_or("application/octet-stream");
                    quote!(::vendor_clients::mock::Reply::bytes(#status, #media, v))
                }
                _ => match arm_reply(first, status, quote!(v)) {
                    Some(r) => r,
                    None => return untyped(),
                },
            };
            let unused = matches!(first.kind, BodyKind::Empty).then(|| quote!(let _ = v;));
            let closure = quote!(|v: &#o| { #unused #body });
            (o, closure)
        }
        Output::Enum { name, variants } => {
            let enum_name = ident(name);
            let mut arms = Vec::new();
            for (variant, payload, codes) in variants {
                let Some(arm) = op.ok.iter().find(|a| a.variant.as_ref() == Some(variant)) else {
                    return untyped();
                };
                // An unwrapped value or a verdict's accepted part is not the body as sent.
                if arm.unwrap.is_some() || arm.verdict {
                    return untyped();
                }
                let status = codes
                    .first()
                    .copied()
                    .unwrap_or_else(|| arm_status(&arm.statuses));
                let v = ident(variant);
                let arm_tokens = match payload {
                    Some(_) => match arm_reply(arm, status, quote!(body)) {
                        Some(r) => quote!(#enum_name::#v(body) => #r,),
                        None => return untyped(),
                    },
                    None => match arm_reply(arm, status, quote!(&())) {
                        Some(r) => quote!(#enum_name::#v => #r,),
                        None => return untyped(),
                    },
                };
                arms.push(arm_tokens);
            }
            (
                quote!(#enum_name),
                quote!(|v: &#enum_name| match v { #(#arms)* }),
            )
        }
    }
}

/// The request body type `B` and how it is compared.
fn body(op: &Operation) -> (TokenStream, TokenStream) {
    let enc = |e: &str| {
        let e = format_ident!("{e}");
        quote!(::vendor_clients::mock::BodyEncoding::#e)
    };
    match &op.body {
        Some(b) => match b.encoding {
            BodyEncoding::Json => (ty(&b.ty), enc("Json")),
            BodyEncoding::Form => (ty(&b.ty), enc("Form")),
            BodyEncoding::Text => (quote!(str), enc("Text")),
            BodyEncoding::Bytes | BodyEncoding::Multipart => {
                (quote!(::vendor_clients::mock::NoBody), enc("None"))
            }
        },
        None => (quote!(::vendor_clients::mock::NoBody), enc("None")),
    }
}

/// The method for one operation.
fn operation(op: &Operation, error: &TokenStream) -> TokenStream {
    let rust = ident_text(&op.rust);
    let name = if TAKEN.contains(&rust.as_str()) {
        format_ident!("{}_operation", rust)
    } else {
        ident(&op.rust)
    };
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamIn::Path)
        .collect();
    let args = path_params.iter().map(|p| {
        let n = ident(&p.rust);
        let t = param_ty(&p.ty, p.required);
        quote!(#n: #t)
    });
    let fills = path_params.iter().map(|p| {
        let n = ident(&p.rust);
        let wire = &p.wire;
        quote!(.path_param(#wire, &#n))
    });
    let (o, reply) = reply(op);
    let (b, encoding) = body(op);
    let id = &op.id;
    let path = &op.path;
    let method = format_ident!(
        "{}",
        match op.method {
            Method::Get => "Get",
            Method::Put => "Put",
            Method::Post => "Post",
            Method::Delete => "Delete",
            Method::Options => "Options",
            Method::Head => "Head",
            Method::Patch => "Patch",
            Method::Trace => "Trace",
        }
    );
    let mut doc = format!(
        " Expects `{} {}` (operationId `{}`, [`Client::{}`](super::Client::{})).",
        op.method.as_str(),
        op.path,
        op.id,
        rust,
        rust
    );
    if op.params_struct.is_some() {
        doc.push_str(" Narrow it to the query and headers of a params struct with `params`.");
    }
    quote! {
        #[doc = #doc]
        pub fn #name(&self #(, #args)*) -> ::vendor_clients::mock::Expectation<'_, #o, #b, #error> {
            self.fake.expect(
                ::vendor_clients::mock::Route::new(#id, ::vendor_clients::Method::#method, #path)
                    #(#fills)*,
                #reply,
                #encoding,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    /// The Rust a small spec (everything after `openapi` and `info`) generates.
    fn code(body: &str) -> String {
        let text = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{body}");
        crate::generate("t.yaml", &text, "t")
            .unwrap_or_else(|d| panic!("{d}"))
            .code
    }

    /// The text of the mock module.
    fn mock_part(code: &str) -> &str {
        let start = code
            .find("#[cfg(feature = \"mock\")]")
            .unwrap_or_else(|| panic!("no mock module in:\n{code}"));
        &code[start..]
    }

    /// Collapses whitespace, so assertions do not depend on how prettyplease breaks lines.
    fn flat(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn path_parameters_fill_the_route_by_wire_name_and_statuses_come_from_the_arms() {
        let c = code(
            "paths:\n  /things/{thingId}:\n    put:\n      operationId: putThing\n      parameters:\n        - {name: thingId, in: path, required: true, schema: {type: string}}\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Thing'}\n      responses:\n        '201':\n          description: made\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n        '404':\n          description: no\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Oops'}\ncomponents:\n  schemas:\n    Thing: {type: object, properties: {a: {type: string}}}\n    Oops: {type: object, properties: {m: {type: string}}}\n",
        );
        let m = flat(mock_part(&c));
        assert!(m.contains("pub fn put_thing( &self, thing_id: &str, ) -> ::vendor_clients::mock::Expectation<'_, Thing, Thing, Oops>"), "{m}");
        assert!(m.contains("Route::new( \"putThing\", ::vendor_clients::Method::Put, \"/things/{thingId}\", ) .path_param(\"thingId\", &thing_id)"), "{m}");
        assert!(
            m.contains("::vendor_clients::mock::Reply::json(201, v)"),
            "{m}"
        );
        assert!(
            m.contains("::vendor_clients::mock::BodyEncoding::Json"),
            "{m}"
        );
    }

    #[test]
    fn outcome_enums_answer_each_variant_with_its_status_and_media_type() {
        let c = code(
            "paths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: ok\n          content:\n            text/plain:\n              schema: {type: string}\n        '204': {description: none}\n",
        );
        let m = flat(mock_part(&c));
        assert!(
            m.contains(
                "GetXResponse::Ok(body) => { ::vendor_clients::mock::Reply::text(200, body) }"
            ) || m.contains(
                "GetXResponse::Ok(body) => ::vendor_clients::mock::Reply::text(200, body)"
            ),
            "{m}"
        );
        assert!(
            m.contains("::vendor_clients::mock::Reply::empty(204)"),
            "{m}"
        );
        assert!(m.contains("::vendor_clients::mock::NoBody"), "{m}");
    }

    #[test]
    fn an_outcome_holding_a_stream_is_answered_as_json_or_bytes_untyped() {
        let c = code(
            "paths:\n  /x.csv:\n    get:\n      operationId: getCsv\n      responses:\n        '200':\n          description: ok\n          content:\n            text/csv:\n              schema: {type: string, format: binary}\n          x-stream: true\n        '202':\n          description: later\n          content:\n            application/json:\n              schema: {type: object, properties: {job: {type: string}}}\n",
        );
        let m = flat(mock_part(&c));
        assert!(
            m.contains("Expectation< '_, ::vendor_clients::mock::Untyped,")
                || m.contains("Expectation<'_, ::vendor_clients::mock::Untyped,"),
            "{m}"
        );
    }

    #[test]
    fn an_operation_named_like_a_server_method_gets_a_suffix() {
        let c = code(
            "paths:\n  /verify:\n    post:\n      operationId: verify\n      responses:\n        '204': {description: ok}\n",
        );
        let m = flat(mock_part(&c));
        assert!(m.contains("pub fn verify_operation("), "{m}");
        assert!(!m.contains("pub fn verify("), "{m}");
        assert!(m.contains("Reply::empty(204)"), "{m}");
    }
}
