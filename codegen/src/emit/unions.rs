//! `oneOf` unions to enums: their alternatives, `Verdict`, `From` impls, `ToParam`, and which
//! alternatives must refuse values they do not know.

use proc_macro2::TokenStream;
use quote::quote;

use super::format::compact;
use super::ty::ty;
use crate::model::*;
use crate::names::ident;

/// A `oneOf`: an enum with a variant per alternative, tagged by the discriminator when there
/// is one, and its `Verdict` and `From` impls.
pub(super) fn union_def(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    tag: Option<&str>,
    variants: &[Variant],
    rejected: &[String],
    types: &[TypeDef],
) -> TokenStream {
    let strict = if tag.is_none() {
        strict_alternatives(variants, types)
    } else {
        vec![false; variants.len()]
    };
    let vs = variants
        .iter()
        .zip(strict)
        .map(|(v, strict)| union_variant(v, tag, strict));
    let verdict = verdict_impl(name, variants, rejected);
    let froms = variant_froms(name, variants, types);
    let Some(tag) = tag else {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, __serde::Serialize, __serde::Deserialize)]
            #[serde(crate = "__serde")]
            #[serde(untagged)]
            pub enum #name { #(#vs)* }
            #verdict
            #froms
        };
    };
    let pairs = tag_values(variants).into_iter().map(|(w, v)| {
        let i = ident(&v.rust);
        let keep = v.keeps_tag.then(|| quote!(keep));
        quote!(#i #w #keep)
    });
    // `Serialize` and `Deserialize` through the runtime (see `vendor_clients::__tagged_union!`):
    // as `#[serde(tag = ...)]` would, but an error inside the chosen alternative keeps its place
    // (`details[1]`, not `.`), and without serde's derive for the compiler to read.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#vs)* }
        ::vendor_clients::__tagged_union!(#name #tag; #(#pairs),*);
        #verdict
        #froms
    }
}

/// The tag value of each alternative of a union with a discriminator: its mapped value, or else
/// its variant's name, as serde's derive names it.
fn tag_values(variants: &[Variant]) -> Vec<(&str, &Variant)> {
    variants
        .iter()
        .map(|v| (v.tag_value.as_deref().unwrap_or(&v.rust), v))
        .collect()
}

/// One alternative of a union: renamed to its tag value, made strict (see
/// [`strict_alternatives`]), or plain.
fn union_variant(v: &Variant, tag: Option<&str>, strict: bool) -> TokenStream {
    let i = ident(&v.rust);
    let t = ty(&v.ty);
    let t = if v.boxed { quote!(Box<#t>) } else { t };
    match (&v.tag_value, tag) {
        (Some(w), Some(tag)) => {
            let d = format!(" `{tag}: {w}`");
            quote!(#[doc = #d] #i(#t),)
        }
        _ if strict => {
            let d = format!(
                " A `{}` it knows; other values are left to the alternatives below.",
                compact(&t)
            );
            quote!(#[doc = #d] #[serde(deserialize_with = "::vendor_clients::known_only")] #i(#t),)
        }
        _ => {
            let d = format!(" A `{}`.", compact(&t));
            quote!(#[doc = #d] #i(#t),)
        }
    }
}

/// `Verdict` for a union with `x-error-variants`: one accepted alternative, and the rejected
/// one (or the union itself when several are rejected).
fn verdict_impl(
    name: &proc_macro2::Ident,
    variants: &[Variant],
    rejected: &[String],
) -> TokenStream {
    if rejected.is_empty() {
        return TokenStream::new();
    }
    let accepted: Vec<&Variant> = variants
        .iter()
        .filter(|v| !rejected.contains(&v.rust))
        .collect();
    let refused: Vec<&Variant> = variants
        .iter()
        .filter(|v| rejected.contains(&v.rust))
        .collect();
    match (accepted.as_slice(), refused.as_slice()) {
        ([a], [r]) => {
            let (ai, at, ri, rt) = (ident(&a.rust), ty(&a.ty), ident(&r.rust), ty(&r.ty));
            quote! {
                impl ::vendor_clients::Verdict for #name {
                    type Accepted = #at;
                    type Rejected = #rt;
                    fn verdict(self) -> Result<#at, #rt> {
                        match self {
                            Self::#ai(v) => Ok(v),
                            Self::#ri(v) => Err(v),
                        }
                    }
                }
            }
        }
        ([a], _) => {
            let (ai, at) = (ident(&a.rust), ty(&a.ty));
            quote! {
                impl ::vendor_clients::Verdict for #name {
                    type Accepted = #at;
                    type Rejected = Self;
                    fn verdict(self) -> Result<#at, Self> {
                        match self {
                            Self::#ai(v) => Ok(v),
                            other => Err(other),
                        }
                    }
                }
            }
        }
        _ => TokenStream::new(),
    }
}

/// An untagged union of scalars (a name or an id) can be a path, query or header parameter:
/// each alternative gives its own text.
pub(super) fn union_to_param(def: &TypeDef, types: &[TypeDef]) -> TokenStream {
    let TypeKind::OneOf {
        tag: None,
        variants,
        ..
    } = &def.kind
    else {
        return TokenStream::new();
    };
    if variants.is_empty()
        || !variants
            .iter()
            .all(|v| !v.boxed && is_scalar_param(&v.ty, types))
    {
        return TokenStream::new();
    }
    let name = ident(&def.name);
    let arms = variants.iter().map(|v| {
        let i = ident(&v.rust);
        quote!(Self::#i(value) => ::vendor_clients::ToParam::to_param(value),)
    });
    quote! {
        impl ::vendor_clients::ToParam for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// `From<T> for Union` for each alternative whose payload type is its alone (two alternatives
/// of one type would make `into()` ambiguous, and their impls conflict; the union itself already
/// converts to itself), so that a value is built as `ClickAnalyticsMetric::Clicks.into()`
/// rather than by naming the variant. Types are compared as the compiler sees them: through
/// type aliases (two aliases of `String` are one type).
fn variant_froms(
    name: &proc_macro2::Ident,
    variants: &[Variant],
    types: &[TypeDef],
) -> TokenStream {
    let own = Ty::Named(name.to_string());
    let seen: Vec<Ty> = variants
        .iter()
        .map(|v| unaliased(&v.ty, types, 0))
        .collect();
    let impls = variants
        .iter()
        .zip(&seen)
        .filter(|(_, t)| **t != own && seen.iter().filter(|other| other == t).count() == 1);
    let impls = impls.map(|(v, _)| {
        let i = ident(&v.rust);
        let t = ty(&v.ty);
        let value = if v.boxed {
            quote!(Self::#i(Box::new(value)))
        } else {
            quote!(Self::#i(value))
        };
        quote! {
            impl From<#t> for #name {
                fn from(value: #t) -> Self {
                    #value
                }
            }
        }
    });
    quote!(#(#impls)*)
}

/// `ty` with the type aliases in it replaced by what they name: the type the compiler sees.
fn unaliased(ty: &Ty, types: &[TypeDef], depth: u32) -> Ty {
    let inner = |t: &Ty| Box::new(unaliased(t, types, depth));
    match ty {
        Ty::Named(n) if depth < 16 => match kind_named(types, n) {
            Some(TypeKind::Alias(t)) => unaliased(t, types, depth + 1),
            _ => ty.clone(),
        },
        Ty::Vec(t) => Ty::Vec(inner(t)),
        Ty::Map(t) => Ty::Map(inner(t)),
        Ty::Lenient(t) => Ty::Lenient(inner(t)),
        Ty::Envelope(t, meta) => Ty::Envelope(inner(t), meta.clone()),
        _ => ty.clone(),
    }
}

/// What JSON an enum with a catch-all variant takes in whole.
#[derive(Clone, Copy, PartialEq)]
enum CatchAll {
    Strings,
    Integers,
}

/// The kind of the type `t` names, when it names one.
fn named<'a>(types: &'a [TypeDef], t: &Ty) -> Option<&'a TypeKind> {
    match t {
        Ty::Named(n) => kind_named(types, n),
        _ => None,
    }
}

/// What the catch-all variant of `t` takes, if `t` is an enum (which has one).
fn catch_all(types: &[TypeDef], t: &Ty) -> Option<CatchAll> {
    match named(types, t) {
        Some(TypeKind::Enum { .. }) => Some(CatchAll::Strings),
        Some(TypeKind::IntEnum { .. }) => Some(CatchAll::Integers),
        _ => None,
    }
}

/// Whether a value of type `t` can be read from JSON strings (or integers).
fn takes(types: &[TypeDef], t: &Ty, what: CatchAll, depth: usize) -> bool {
    if depth > 8 {
        return true;
    }
    match (t, what) {
        (Ty::Json | Ty::Lenient(_), _) => true,
        (
            Ty::String | Ty::Secret | Ty::DateTime | Ty::Date | Ty::NaiveDateTime,
            CatchAll::Strings,
        ) => true,
        (
            Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 | Ty::EpochMillis | Ty::EpochSeconds,
            CatchAll::Integers,
        ) => true,
        (Ty::Named(_), _) => match named(types, t) {
            Some(TypeKind::Alias(inner)) => takes(types, inner, what, depth + 1),
            Some(TypeKind::OneOf {
                tag: None,
                variants,
                ..
            }) => variants
                .iter()
                .any(|v| takes(types, &v.ty, what, depth + 1)),
            Some(TypeKind::Enum { .. }) => what == CatchAll::Strings,
            Some(TypeKind::IntEnum { .. }) => what == CatchAll::Integers,
            _ => false,
        },
        _ => false,
    }
}

/// For each alternative of an untagged union, whether it must refuse values it does not know:
/// an enum with a catch-all variant followed by an alternative that could take the same
/// values (`oneOf: [Color, Size]`). The last alternative that can take a value keeps it.
pub(super) fn strict_alternatives(variants: &[Variant], types: &[TypeDef]) -> Vec<bool> {
    variants
        .iter()
        .enumerate()
        .map(|(i, v)| match catch_all(types, &v.ty) {
            Some(what) if !v.boxed => variants[i + 1..]
                .iter()
                .any(|later| takes(types, &later.ty, what, 0)),
            _ => false,
        })
        .collect()
}
