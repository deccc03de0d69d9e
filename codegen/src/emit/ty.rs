//! Model types ([`Ty`]) to Rust type tokens: as declared, as a method takes them, as a
//! parameter struct stores them.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::*;
use crate::names::ident;

/// The Rust type of a model type, as a field or a return value declares it.
pub(super) fn ty(t: &Ty) -> TokenStream {
    match t {
        Ty::String => quote!(String),
        Ty::Secret => quote!(::vendor_clients::Secret),
        Ty::DateTime => quote!(::vendor_clients::DateTime),
        Ty::Date => quote!(::vendor_clients::Date),
        Ty::NaiveDateTime => quote!(::vendor_clients::NaiveDateTime),
        Ty::EpochMillis => quote!(::vendor_clients::EpochMillis),
        Ty::EpochSeconds => quote!(::vendor_clients::EpochSeconds),
        Ty::Lenient(inner) => {
            let i = ty(inner);
            quote!(::vendor_clients::Lenient<#i>)
        }
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F32 => quote!(f32),
        Ty::F64 => quote!(f64),
        Ty::Json => quote!(::vendor_clients::serde_json::Value),
        Ty::Bytes => quote!(::vendor_clients::bytes::Bytes),
        Ty::Stream => quote!(ByteStream),
        Ty::Named(n) => {
            let i = ident(n);
            quote!(#i)
        }
        Ty::Vec(inner) => {
            let i = ty(inner);
            quote!(Vec<#i>)
        }
        Ty::Map(inner) => {
            let i = ty(inner);
            quote!(::std::collections::BTreeMap<String, #i>)
        }
        Ty::Row(metrics, dimensions) => {
            let m = ident(metrics);
            match dimensions {
                Some(d) => {
                    let d = ident(d);
                    quote!(::vendor_clients::Row<#m, #d>)
                }
                None => quote!(::vendor_clients::Row<#m>),
            }
        }
        Ty::Envelope(inner, meta) => {
            let i = ty(inner);
            let m = ident(meta);
            quote!(::vendor_clients::Envelope<#i, #m>)
        }
    }
}

/// Whether a parameter of this type is taken by value (numbers, booleans), not by reference.
fn by_value(t: &Ty) -> bool {
    matches!(
        t,
        Ty::Bool | Ty::I32 | Ty::I64 | Ty::F32 | Ty::F64 | Ty::EpochMillis | Ty::EpochSeconds
    )
}

/// The operation's parameters as method arguments: name, type, and whether taken by value.
pub(super) fn method_args(op: &Operation) -> Vec<(proc_macro2::Ident, TokenStream, bool)> {
    op.params
        .iter()
        .map(|q| (ident(&q.rust), param_ty(&q.ty, q.required), by_value(&q.ty)))
        .collect()
}

/// How a parameter is taken by the method: strings by reference, numbers by value.
pub(super) fn param_ty(t: &Ty, required: bool) -> TokenStream {
    let base = match t {
        Ty::String => quote!(&str),
        Ty::Vec(inner) => {
            let i = ty(inner);
            quote!(&[#i])
        }
        t if by_value(t) => ty(t),
        other => {
            let i = ty(other);
            quote!(&#i)
        }
    };
    if required {
        base
    } else {
        quote!(Option<#base>)
    }
}

/// The owned type a parameter struct stores.
pub(super) fn owned_ty(p: &Param) -> TokenStream {
    let t = ty(&p.ty);
    if p.required {
        t
    } else {
        quote!(Option<#t>)
    }
}
