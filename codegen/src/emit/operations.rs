//! One operation to its `Client` method, its outcome enum and its output type; `x-unwrap`s to
//! their envelope impls.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::streams;
use super::docs::docs;
use super::endpoint::endpoint_attr;
use super::ty::{param_ty, ty};
use crate::model::*;
use crate::names::{ident, ident_text};

/// The type of an operation's success value: its one body, or its outcome enum.
pub(super) fn out_ty(op: &Operation) -> TokenStream {
    match &op.output {
        Output::Single(OutTy::Unit) => quote!(()),
        Output::Single(OutTy::Ty(t)) => ty(t),
        Output::Single(OutTy::Text) => quote!(String),
        Output::Single(OutTy::Bytes) => quote!(::vendor_clients::bytes::Bytes),
        Output::Single(OutTy::Stream) => quote!(ByteStream),
        Output::Enum { name, .. } => {
            let i = ident(name);
            quote!(#i)
        }
    }
}

/// The enum of an operation's success outcomes when it has several, one variant per status
/// (and media type), with constructors for the outcomes whose body is unwrapped.
pub(super) fn outcome_enum(op: &Operation, unwraps: &[Unwrap]) -> Option<TokenStream> {
    let Output::Enum { name, variants } = &op.output else {
        return None;
    };
    let name = ident(name);
    let doc = format!(
        " The success outcomes of [`Client::{}`], one per status{}.",
        ident_text(&op.rust),
        if op.ok.iter().any(|a| a.media.is_some()) {
            " and media type (the answer's `Content-Type` picks it)"
        } else {
            ""
        }
    );
    let vs = variants.iter().map(|(v, payload, codes)| {
        let media: Vec<String> = op
            .ok
            .iter()
            .filter(|a| a.variant.as_ref() == Some(v))
            .filter_map(|a| a.media.as_ref().map(|m| format!("`{m}`")))
            .collect();
        let v = ident(v);
        let codes = codes
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let d = if media.is_empty() {
            format!(" HTTP {codes}.")
        } else {
            format!(" HTTP {codes}, answered as {}.", media.join(" or "))
        };
        match payload {
            Some(t) => {
                let t = ty(t);
                quote!(#[doc = #d] #v(#t))
            }
            None => quote!(#[doc = #d] #v),
        }
    });
    // Outcomes whose body is unwrapped get a constructor that unwraps, for the endpoint's `as`.
    let ctors = op.ok.iter().filter_map(|a| {
        let (v, u) = (a.variant.as_ref()?, unwraps.get(a.unwrap?)?);
        let f = format_ident!("{}", outcome_ctor(v));
        let vi = ident(v);
        let env = ident(&u.envelope);
        let method = format_ident!("{}", u.method);
        Some(quote! {
            #[doc(hidden)]
            pub fn #f(body: #env) -> Self {
                Self::#vi(body.#method())
            }
        })
    });
    let ctors: Vec<TokenStream> = ctors.collect();
    let impl_block = if ctors.is_empty() {
        TokenStream::new()
    } else {
        quote!(impl #name { #(#ctors)* })
    };
    // A stream is read once and compares with nothing: an enum holding one is only `Debug`.
    let derives = if streams(op) {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    Some(quote! {
        #[doc = #doc]
        #derives
        // A body next to a bodiless outcome: boxing it would only make matching clumsier.
        #[allow(clippy::large_enum_variant)]
        pub enum #name { #(#vs),* }
        #impl_block
    })
}

/// The name of the constructor of an outcome variant whose body is unwrapped.
pub(super) fn outcome_ctor(variant: &str) -> String {
    format!("from_{}", crate::names::snake(variant).unwrap_or_default())
}

/// The private method a paginated operation's `<method>_stream` calls when the operation's
/// answer comes in several media types: the same request, taking the JSON form only (any other
/// media type is an `Error::Decode` naming it).
pub(super) fn json_page(op: &Operation) -> Option<Operation> {
    let (arms, out) = op.json_page.clone()?;
    Some(Operation {
        rust: format!("{}_json_page", op.rust),
        summary: None,
        description: Some(format!(
            "The JSON form of [`Client::{}`], for its item stream.",
            ident_text(&op.rust)
        )),
        deprecated: false,
        // The JSON form only; the macro asks for it from the arms.
        accept: None,
        ok: arms,
        output: Output::Single(out),
        pagination: None,
        json_page: None,
        ..op.clone()
    })
}

/// One operation's method on `Client`, `pub` or (for a page read by a stream) private. The
/// method has no body: its `#[endpoint]` attribute, laid out by hand, stands in as the
/// placeholder `@endpoint:N` (N indexes `endpoints`) until the text is printed.
pub(super) fn operation(
    op: &Operation,
    unwraps: &[Unwrap],
    endpoints: &mut Vec<String>,
    public: bool,
) -> TokenStream {
    let name = ident(&op.rust);
    let doc = docs(Some(&operation_doc(op)));
    let deprecated = if op.deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    };
    let args = op.params.iter().map(|p| {
        let n = ident(&p.rust);
        let t = param_ty(&p.ty, p.required);
        quote!(#n: #t)
    });
    let body = op.body.as_ref().map(body_arg).into_iter();
    let group = op.params_struct.as_ref().map(|name| {
        let t = ident(name);
        quote!(params: &#t)
    });
    let group = group.into_iter();
    let out = out_ty(op);
    let marker = format!("@endpoint:{}", endpoints.len());
    endpoints.push(endpoint_attr(op, unwraps));
    let vis = if public {
        quote!(pub)
    } else {
        TokenStream::new()
    };
    quote! {
        #doc
        #deprecated
        #[doc = #marker]
        #vis async fn #name(&self #(, #args)* #(, #group)* #(, #body)*) -> Result<#out, Error>;
    }
}

/// The method's doc text: summary, description, the request line, and the documented
/// parameters.
fn operation_doc(op: &Operation) -> String {
    let mut doc = String::new();
    if let Some(s) = &op.summary {
        doc.push_str(s.trim());
        doc.push_str("\n\n");
    }
    if let Some(d) = &op.description {
        doc.push_str(d.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` (operationId `{}`)",
        op.method.as_str(),
        op.path,
        op.id
    ));
    let params_doc: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.doc.is_some())
        .map(|p| {
            format!(
                "- `{}`: {}",
                ident_text(&p.rust),
                p.doc.as_deref().unwrap_or("").trim().replace('\n', " ")
            )
        })
        .collect();
    if !params_doc.is_empty() {
        doc.push_str("\n\n# Parameters\n\n");
        doc.push_str(&params_doc.join("\n"));
    }
    if let Some(body) = op.body.as_ref().and_then(body_media_doc) {
        doc.push_str("\n\n# Body\n\n");
        doc.push_str(&body);
    }
    doc
}

/// What the docs say of the body's media type, when it is not plainly its encoding's: the one
/// sent, that a schema is not encoded, and the others a binary body may be sent as (its caller
/// picks with `Upload::content_type`).
fn body_media_doc(b: &Body) -> Option<String> {
    if b.media.is_none() && b.alternatives.is_empty() && !b.unencoded_schema {
        return None;
    }
    let sent = b.media.as_deref().unwrap_or(b.encoding.default_media());
    let mut doc = format!("Sent as `{sent}`.");
    if b.unencoded_schema {
        doc.push_str(" The spec describes its content with a schema, which is not encoded here: pass the document itself.");
    }
    if !b.alternatives.is_empty() {
        let listed: Vec<String> = b.alternatives.iter().map(|m| format!("`{m}`")).collect();
        doc.push_str(&format!(
            " The operation takes {}: give the body's own with `Upload::content_type`.",
            listed.join(", ")
        ));
    }
    Some(doc)
}

/// The method's `body` argument.
fn body_arg(b: &Body) -> TokenStream {
    let t = match b.encoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => ty(&b.ty),
        BodyEncoding::Text => quote!(str),
        // Bytes in memory, or a stream (`Upload::stream`) for a large upload.
        BodyEncoding::Bytes => return quote!(body: impl Into<::vendor_clients::Upload>),
    };
    // A form, multipart, text or binary body is sent even when the spec calls it optional
    // (empty).
    if b.required || b.encoding != BodyEncoding::Json {
        quote!(body: &#t)
    } else {
        quote!(body: Option<&#t>)
    }
}

/// `impl Envelope { fn into_x(self) -> vendor_clients::Envelope<T, Meta> }` for one `x-unwrap`.
pub(super) fn unwrap_impl(u: &Unwrap) -> TokenStream {
    let env = ident(&u.envelope);
    let meta = ident(&u.meta);
    let method = format_ident!("{}", u.method);
    let value_ty = ty(&u.value);
    // Build the expression from the innermost step outwards.
    fn build(steps: &[UnwrapStep], base: TokenStream) -> TokenStream {
        match steps.split_first() {
            None => base,
            Some((UnwrapStep::Field(f), rest)) => {
                let f = ident(f);
                build(rest, quote!(#base.#f))
            }
            Some((UnwrapStep::Each, rest)) => {
                let inner = build(rest, quote!(item));
                quote!(#base.into_iter().map(|item| #inner).collect::<Vec<_>>())
            }
        }
    }
    let value = build(&u.path, quote!(self));
    let meta_fields = u.meta_fields.iter().map(|f| {
        let f = ident(f);
        quote!(#f: self.#f,)
    });
    let doc = format!(
        " The unwrapped value, with the rest of the envelope as [`{}`].",
        u.meta
    );
    quote! {
        impl #env {
            #[doc = #doc]
            pub fn #method(self) -> ::vendor_clients::Envelope<#value_ty, #meta> {
                ::vendor_clients::Envelope::new(#value, #meta { #(#meta_fields)* })
            }
        }
    }
}
