//! Named types to their definitions: structs and their fields, string and integer enums,
//! aliases; and the `KnownValues` and `LenientForm` impls some of them need.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::docs;
use super::params::{multipart_struct, param_group, params_struct};
use super::ty::ty;
use super::unions::{strict_alternatives, union_def};
use crate::model::*;
use crate::names::{ident, ident_text};

/// A named type's definition, with the impls that come with its kind.
pub(super) fn type_def(def: &TypeDef, types: &[TypeDef]) -> TokenStream {
    let name = ident(&def.name);
    let fallback = format!("The schema at `{}`.", def.pointer);
    let doc = docs(Some(def.doc.as_deref().unwrap_or(&fallback)));
    match &def.kind {
        TypeKind::Alias(t) => {
            let t = ty(t);
            quote! { #doc pub type #name = #t; }
        }
        TypeKind::Newtype(t) => {
            let t = ty(t);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Default, __serde::Serialize, __serde::Deserialize)]
                #[serde(crate = "__serde", transparent)]
                pub struct #name(pub #t);
            }
        }
        TypeKind::Multipart { parts } => multipart_struct(&name, &doc, parts),
        TypeKind::Struct { fields, additional } => {
            struct_def(&name, &doc, &def.name, fields, additional.as_ref())
        }
        TypeKind::Enum { values, unknown } => string_enum(&name, &doc, values, unknown),
        TypeKind::IntEnum { values, unknown } => int_enum(&name, &doc, values, unknown),
        TypeKind::Params { operation, members } => params_struct(&name, &doc, operation, members),
        TypeKind::ParamGroup { variants } => param_group(&name, &doc, variants),
        TypeKind::OneOf {
            tag,
            variants,
            rejected,
        } => union_def(&name, &doc, tag.as_deref(), variants, rejected, types),
    }
}

/// An object: a struct with a field per property, the extra properties if any, and the
/// functions giving the fields' `default` values.
fn struct_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    owner: &str,
    fields: &[Field],
    additional: Option<&Ty>,
) -> TokenStream {
    let all_optional = fields.iter().all(|f| !f.required);
    let derive_default = if all_optional {
        quote!(Default,)
    } else {
        TokenStream::new()
    };
    let fs = fields.iter().map(|f| field(f, owner));
    let default_impl = default_fns(name, fields);
    let extra = additional.map(|t| additional_field(t, fields));
    // `vendor_clients::Object` writes and reads what the fields say, in a fraction of serde's
    // code, and with `#[object(partial_eq)]` compares them (the derive's `PartialEq` adds a marker
    // impl per struct, for constant patterns, which generated types have no use for); the extra
    // properties (`flatten`) and structs of more fields than `Object` takes need serde's derives,
    // which are told where serde is.
    let (eq, wire, attr) = if extra.is_some() || fields.len() > OBJECT_MAX_FIELDS {
        (
            quote!(PartialEq,),
            quote!(__serde::Serialize, __serde::Deserialize),
            quote!(#[serde(crate = "__serde")]),
        )
    } else {
        (
            TokenStream::new(),
            quote!(::vendor_clients::Object),
            quote!(#[object(partial_eq)]),
        )
    };
    quote! {
        #doc
        #[derive(Debug, Clone, #eq #derive_default #wire)]
        #attr
        pub struct #name {
            #(#fs)*
            #extra
        }

        #default_impl
    }
}

/// The most fields `#[derive(vendor_clients::Object)]` takes.
const OBJECT_MAX_FIELDS: usize = 256;

/// `default` values: one function per field, named in `#[serde(default = "...")]`.
fn default_fns(name: &proc_macro2::Ident, fields: &[Field]) -> Option<TokenStream> {
    let default_fns: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            let text = f.default.as_deref()?;
            let fname = ident(&default_fn(f));
            let t = ty(&f.ty);
            Some(quote! {
                fn #fname() -> Option<#t> {
                    ::vendor_clients::serde_json::from_str(#text).ok()
                }
            })
        })
        .collect();
    (!default_fns.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#default_fns)*
            }
        }
    })
}

/// The field holding the properties beyond the named ones (`additionalProperties`).
fn additional_field(additional: &Ty, fields: &[Field]) -> TokenStream {
    match additional {
        // `x-row`: the other keys are read by metric and dimension name.
        Ty::Row(..) => {
            let n = if fields.iter().any(|f| f.rust == "values") {
                format_ident!("additional_properties")
            } else {
                format_ident!("values")
            };
            let t = ty(additional);
            quote! {
                /// The keys beyond the named ones, read by metric and dimension name.
                #[serde(flatten)]
                pub #n: #t,
            }
        }
        t => {
            let t = ty(t);
            quote! {
                /// Properties beyond the named ones.
                #[serde(flatten)]
                pub additional_properties: ::std::collections::BTreeMap<String, #t>,
            }
        }
    }
}

/// A string enum, with a catch-all variant keeping values this client does not know. The
/// runtime's `#[string_enum]` writes `as_str`, `Display`, `ToParam`, `Serialize` and
/// `Deserialize` from the variants' `#[wire]` values.
fn string_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    values: &[EnumValue],
    unknown: &str,
) -> TokenStream {
    let unknown = ident(unknown);
    let variants = values.iter().map(|v| {
        let i = ident(&v.rust);
        let w = &v.wire;
        let d = docs(Some(&variant_doc(&format!("`{w}`"), v.doc.as_deref())));
        quote!(#d #[wire(#w)] #i,)
    });
    quote! {
        #doc
        #[::vendor_clients::string_enum]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet, kept as received.
            #unknown(String),
        }
    }
}

/// A variant's doc text: its value on the wire (`` `user` ``), then what it means, when the
/// spec says.
fn variant_doc(value: &str, meaning: Option<&str>) -> String {
    match meaning.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => format!("{value}: {m}"),
        None => value.to_string(),
    }
}

/// The name of the function giving a field's `default`.
fn default_fn(f: &Field) -> String {
    let bare = ident_text(&f.rust);
    format!("default_{}", bare.strip_prefix("r#").unwrap_or(&bare))
}

/// One struct field: its doc, its serde attributes (name on the wire, aliases, defaults,
/// skipping), and its type, wrapped as required and nullable say.
fn field(f: &Field, owner: &str) -> TokenStream {
    let name = ident(&f.rust);
    let fallback = format!("The `{}` property.", f.wire);
    let mut doc_text = f.doc.clone().unwrap_or(fallback);
    if let Some(d) = &f.default {
        doc_text = format!(
            "{}\n\nDefault `{d}`: decoded as that when the property is absent.",
            doc_text.trim_end()
        );
    }
    let doc = docs(Some(&doc_text));
    let t = ty(&f.ty);
    let t = if f.boxed { quote!(Box<#t>) } else { t };
    let bare = ident_text(&f.rust);
    let serde_name = bare.strip_prefix("r#").unwrap_or(&bare);
    let mut attrs: Vec<TokenStream> = Vec::new();
    if serde_name != f.wire {
        let w = &f.wire;
        attrs.push(quote!(rename = #w));
    }
    for a in &f.aliases {
        attrs.push(quote!(alias = #a));
    }
    let skip = |attrs: &mut Vec<TokenStream>, when: TokenStream| {
        if f.read_only {
            attrs.push(quote!(skip_serializing));
        } else {
            attrs.push(when);
        }
    };
    let field_ty = match (f.required, f.nullable) {
        (true, false) => t,
        (true, true) => quote!(Option<#t>),
        (false, false) => {
            match &f.default {
                Some(_) => {
                    let path = format!("{owner}::{}", default_fn(f));
                    attrs.push(quote!(default = #path));
                }
                None => attrs.push(quote!(default)),
            }
            skip(&mut attrs, quote!(skip_serializing_if = "Option::is_none"));
            quote!(Option<#t>)
        }
        (false, true) => {
            attrs.push(quote!(default));
            skip(
                &mut attrs,
                quote!(skip_serializing_if = "::vendor_clients::Nullable::is_absent"),
            );
            quote!(::vendor_clients::Nullable<#t>)
        }
    };
    let serde = if attrs.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#attrs),*)])
    };
    quote! {
        #doc
        #serde
        pub #name: #field_ty,
    }
}

/// An integer enum, with a catch-all variant keeping numbers this client does not know; it is
/// read and written as the number.
fn int_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    values: &[IntValue],
    unknown: &str,
) -> TokenStream {
    let unknown = ident(unknown);
    let variants = values.iter().map(|v| {
        let i = ident(&v.rust);
        let d = docs(Some(&variant_doc(
            &format!("`{}`", v.value),
            v.doc.as_deref(),
        )));
        quote!(#d #i,)
    });
    let lit = |n: i64| proc_macro2::Literal::i64_unsuffixed(n);
    let to_code = values.iter().map(|v| {
        let i = ident(&v.rust);
        let n = lit(v.value);
        quote!(Self::#i => #n,)
    });
    let from_code = values.iter().map(|v| {
        let i = ident(&v.rust);
        let n = lit(v.value);
        quote!(#n => Self::#i,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet, kept as received.
            #unknown(i64),
        }

        impl #name {
            /// The number sent on the wire.
            pub fn code(&self) -> i64 {
                match self {
                    #(#to_code)*
                    Self::#unknown(code) => *code,
                }
            }

            /// The variant for a number received on the wire.
            pub fn from_code(code: i64) -> Self {
                match code {
                    #(#from_code)*
                    other => Self::#unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.code())
            }
        }

        impl ::vendor_clients::serde::Serialize for #name {
            fn serialize<S: ::vendor_clients::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> ::vendor_clients::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::vendor_clients::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as ::vendor_clients::serde::Deserialize>::deserialize(deserializer).map(Self::from_code)
            }
        }

        impl ::vendor_clients::ToParam for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Owned(self.code().to_string())
            }
        }
    }
}

/// Enums that are strict alternatives of some union (they implement `KnownValues`).
pub(super) fn known_values_named(api: &Api) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for def in &api.types {
        if let TypeKind::OneOf {
            tag: None,
            variants,
            ..
        } = &def.kind
        {
            for (v, strict) in variants
                .iter()
                .zip(strict_alternatives(variants, &api.types))
            {
                if let (true, Ty::Named(n)) = (strict, &v.ty) {
                    out.insert(n.clone());
                }
            }
        }
    }
    out
}

/// `KnownValues` for an enum with a catch-all variant.
pub(super) fn known_values_impl(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let unknown = match &def.kind {
        TypeKind::Enum { unknown, .. } | TypeKind::IntEnum { unknown, .. } => ident(unknown),
        _ => return TokenStream::new(),
    };
    quote! {
        impl ::vendor_clients::KnownValues for #name {
            fn is_known(&self) -> bool {
                !matches!(self, Self::#unknown(_))
            }
        }
    }
}

/// Named types used as `Lenient<T>` somewhere (they implement `LenientForm`).
pub(super) fn lenient_named(api: &Api) -> std::collections::BTreeSet<String> {
    fn walk(t: &Ty, inside: bool, out: &mut std::collections::BTreeSet<String>) {
        match t {
            Ty::Lenient(inner) => walk(inner, true, out),
            Ty::Named(n) if inside => {
                out.insert(n.clone());
            }
            Ty::Vec(inner) | Ty::Map(inner) => walk(inner, false, out),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for def in &api.types {
        match &def.kind {
            TypeKind::Struct { fields, additional } => {
                for f in fields {
                    walk(&f.ty, false, &mut out);
                }
                if let Some(a) = additional {
                    walk(a, false, &mut out);
                }
            }
            TypeKind::Alias(t) | TypeKind::Newtype(t) => walk(t, false, &mut out),
            TypeKind::OneOf { variants, .. } => {
                for v in variants {
                    walk(&v.ty, false, &mut out);
                }
            }
            _ => {}
        }
    }
    for op in &api.operations {
        for arm in op.ok.iter().chain(&op.err) {
            if let BodyKind::Json(t) = &arm.kind {
                walk(t, false, &mut out);
            }
        }
    }
    out
}

/// `LenientForm` for a named type: objects whose fields are all optional also accept `[]`.
pub(super) fn lenient_impl(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let empty_ok =
        matches!(&def.kind, TypeKind::Struct { fields, .. } if fields.iter().all(|f| !f.required));
    let body = if empty_ok {
        quote!(::vendor_clients::lenient::lenient_object(deserializer))
    } else {
        quote!(<Self as ::vendor_clients::serde::Deserialize>::deserialize(
            deserializer
        ))
    };
    quote! {
        impl ::vendor_clients::lenient::LenientForm for #name {
            fn deserialize_lenient<'de, D: ::vendor_clients::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #body
            }
        }
    }
}
