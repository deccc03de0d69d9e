//! Parameter groups to types: params structs with their builders and `Params` impls, parameter
//! group enums, and multipart bodies.

use proc_macro2::TokenStream;
use quote::quote;

use super::ty::{owned_ty, ty};
use crate::model::*;
use crate::names::ident;

/// An operation's parameters struct: a field per parameter, each marked with where it goes. The
/// runtime's `#[params]` attribute writes the rest (`new` taking the required ones, a setter per
/// optional one, `Default`, and the `Params` impl that puts them on a request).
pub(super) fn params_struct(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    operation: &str,
    members: &[Param],
) -> TokenStream {
    let fields = members.iter().map(|p| {
        let n = ident(&p.rust);
        let t = owned_ty(p);
        let d = param_doc(p);
        let place = param_place(p);
        quote!(#[doc = #d] #[param(#place)] pub #n: #t,)
    });
    quote! {
        #doc
        #[::vendor_clients::params(operation = #operation)]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The `#[param(...)]` of one member: where it goes and its style, and whether it is required.
fn param_place(p: &Param) -> TokenStream {
    let w = &p.wire;
    let place = if let Some(style) = p.style.query_style() {
        let style = ident(style);
        quote!(query = #w, style = #style)
    } else {
        match p.location {
            ParamIn::Header if p.style == ParamStyle::Json => quote!(header = #w, json),
            ParamIn::Query if p.style == ParamStyle::Json => quote!(query = #w, json),
            ParamIn::Header => quote!(header = #w),
            ParamIn::Cookie => quote!(cookie = #w),
            ParamIn::Group => quote!(group),
            ParamIn::Query | ParamIn::Path => quote!(query = #w),
        }
    };
    if p.required {
        quote!(#place, required)
    } else {
        place
    }
}

/// A `multipart/form-data` body: a struct with a field per part, and the `MultipartBody` impl
/// that adds them (files as file parts, scalars and lists as text, the rest as JSON).
pub(super) fn multipart_struct(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    parts: &[Part],
) -> TokenStream {
    let file = quote!(::vendor_clients::FilePart);
    let field_ty = |p: &Part| {
        let t = match p.kind {
            PartKind::File => file.clone(),
            PartKind::Files => quote!(Vec<#file>),
            PartKind::Text | PartKind::Json => ty(&p.ty),
        };
        if p.required {
            t
        } else {
            quote!(Option<#t>)
        }
    };
    let fields = parts.iter().map(|p| {
        let n = ident(&p.rust);
        let t = field_ty(p);
        let kind = match p.kind {
            PartKind::File => "file part",
            PartKind::Files => "file parts, one per file",
            PartKind::Text => "text part",
            PartKind::Json => "JSON part",
        };
        let d = match &p.doc {
            Some(d) => format!(" `{}` ({kind}): {}", p.wire, d.trim().replace('\n', " ")),
            None => format!(" `{}` ({kind}).", p.wire),
        };
        quote!(#[doc = #d] pub #n: #t,)
    });
    let adds = parts.iter().map(|p| {
        let n = ident(&p.rust);
        let w = &p.wire;
        match (p.kind, p.required) {
            (PartKind::Text, _) => quote!(form.text(#w, &self.#n);),
            (PartKind::Json, _) => quote!(form.json(#w, &self.#n);),
            (PartKind::File, true) => quote!(form.file(#w, &self.#n);),
            (PartKind::File, false) => quote! {
                if let Some(file) = &self.#n {
                    form.file(#w, file);
                }
            },
            (PartKind::Files, true) => quote!(form.files(#w, &self.#n);),
            (PartKind::Files, false) => quote! {
                if let Some(files) = &self.#n {
                    form.files(#w, files);
                }
            },
        }
    });
    let all_optional = parts.iter().all(|p| !p.required);
    let derive_default = if all_optional {
        quote!(Default,)
    } else {
        TokenStream::new()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #name {
            #(#fields)*
        }

        impl ::vendor_clients::MultipartBody for #name {
            fn parts(&self, form: &mut ::vendor_clients::Multipart) {
                #(#adds)*
            }
        }
    }
}

/// A parameter's doc line: its wire name, where it goes, and the spec's description.
fn param_doc(p: &Param) -> String {
    let place = match p.location {
        ParamIn::Path => "path parameter",
        ParamIn::Query => "query parameter",
        ParamIn::Header => "header",
        ParamIn::Cookie => "cookie",
        ParamIn::Group => "parameter group",
    };
    match &p.doc {
        Some(d) => format!(" `{}` ({place}): {}", p.wire, d.trim().replace('\n', " ")),
        None => format!(" `{}` ({place}).", p.wire),
    }
}

/// A parameter group (`x-param-groups`): an enum with a variant per parameter, and the
/// `Params` impl that sends the one given.
pub(super) fn param_group(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[(String, Param)],
) -> TokenStream {
    let vs = variants.iter().map(|(v, p)| {
        let i = ident(v);
        let t = ty(&p.ty);
        let d = param_doc(p);
        quote!(#[doc = #d] #i(#t),)
    });
    let arms = variants.iter().map(|(v, p)| {
        let i = ident(v);
        let w = &p.wire;
        quote!(Self::#i(value) => request.query(#w, value),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#vs)*
        }

        impl ::vendor_clients::Params for #name {
            fn apply(&self, request: &mut ::vendor_clients::Request<'_>) {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}
