//! Parameter groups to types: params structs with their builders and `Params` impls, parameter
//! group enums, and multipart bodies.

use proc_macro2::TokenStream;
use quote::quote;

use super::ty::{owned_ty, setter_arg, ty};
use crate::model::*;
use crate::names::ident;

/// An operation's parameters struct: a field per parameter, `new` taking the required ones, a
/// setter per optional one, and the `Params` impl that puts them on a request.
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
        quote!(#[doc = #d] pub #n: #t,)
    });
    let required: Vec<&Param> = members.iter().filter(|p| p.required).collect();
    let new_args = required.iter().map(|p| {
        let n = ident(&p.rust);
        let (t, _) = setter_arg(&p.ty);
        quote!(#n: #t)
    });
    let inits = members.iter().map(param_init);
    let setters = members.iter().filter(|p| !p.required).map(param_setter);
    let applies = members.iter().map(param_apply);
    let new_doc = format!(" Parameters for `{operation}` with the required ones set.");
    // With nothing required, `new()` takes no argument: `Default` is the same.
    let default_impl = required.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #[doc = #new_doc]
            pub fn new(#(#new_args),*) -> Self {
                Self { #(#inits)* }
            }

            #(#setters)*
        }

        #default_impl

        impl ::vendor_clients::Params for #name {
            fn apply(&self, request: &mut ::vendor_clients::Request<'_>) {
                #(#applies)*
            }
        }
    }
}

/// How `new` sets one member: from its argument when required, else to `None`.
fn param_init(p: &Param) -> TokenStream {
    let n = ident(&p.rust);
    if !p.required {
        quote!(#n: None,)
    } else {
        match &p.ty {
            Ty::String | Ty::Secret => quote!(#n: #n.into(),),
            _ => quote!(#n,),
        }
    }
}

/// The builder-style setter of one optional member.
fn param_setter(p: &Param) -> TokenStream {
    let n = ident(&p.rust);
    let (t, store) = setter_arg(&p.ty);
    let d = format!(" Sets {}", param_doc(p).trim_start());
    quote! {
        #[doc = #d]
        pub fn #n(mut self, value: #t) -> Self {
            self.#n = Some(#store);
            self
        }
    }
}

/// How `Params::apply` puts one member on the request, by where it goes and its style.
fn param_apply(p: &Param) -> TokenStream {
    let n = ident(&p.rust);
    let w = &p.wire;
    if let Some(style) = p.style.query_style() {
        let style = ident(style);
        return quote!(request.query_styled(#w, &self.#n, ::vendor_clients::QueryStyle::#style););
    }
    match (p.location, p.required) {
        (ParamIn::Header, _) if p.style == ParamStyle::Json => {
            quote!(request.header_json(#w, &self.#n);)
        }
        (ParamIn::Query, _) if p.style == ParamStyle::Json => {
            quote!(request.query_json(#w, &self.#n);)
        }
        (ParamIn::Header, _) => quote!(request.header(#w, &self.#n);),
        (ParamIn::Cookie, _) => quote!(request.cookie(#w, &self.#n);),
        (ParamIn::Group, true) => quote!(::vendor_clients::Params::apply(&self.#n, request);),
        (ParamIn::Group, false) => quote! {
            if let Some(group) = &self.#n {
                ::vendor_clients::Params::apply(group, request);
            }
        },
        _ => quote!(request.query(#w, &self.#n);),
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
