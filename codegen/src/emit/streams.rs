//! Paginated operations to their `<method>_stream` methods: offset, cursor and next-link pages.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::operations::out_ty;
use super::ty::{method_args, ty};
use crate::model::*;
use crate::names::{ident, ident_text};

/// What a stream that reads pages through [`json_page`] says about it.
fn json_page_note(op: &Operation, page: &Operation) -> TokenStream {
    if std::ptr::eq(op, page) {
        return TokenStream::new();
    }
    quote! {
        #[doc = " Pages are read in their JSON form: a page answered in another media type ends the stream with `Error::Decode` naming it."]
        #[doc = ""]
    }
}

/// `<method>_stream`: every item of a paginated operation, page by page, each page got from
/// `page` (the operation itself, or its JSON form, see [`json_page`]).
pub(super) fn stream_method(op: &Operation, page: &Operation, p: &Pagination) -> TokenStream {
    let method = ident(&page.rust);
    let name = format_ident!("{}_stream", op.rust);
    let json_note = json_page_note(op, page);
    let item = ty(&p.item);
    let out = out_ty(page);
    if let PageStyle::NextLink { next } = &p.style {
        return next_link_stream_method(op, page, p, next);
    }
    let Some(params_name) = op.params_struct.as_ref().map(|n| ident(n)) else {
        return TokenStream::new();
    };
    let path_args = method_args(op);
    let sig_args = path_args.iter().map(|(n, t, _)| quote!(#n: #t));
    let owned = path_args
        .iter()
        .map(|(n, _, _)| quote!(let #n = ::std::borrow::ToOwned::to_owned(#n);));
    let clones = path_args
        .iter()
        .map(|(n, _, _)| quote!(let #n = ::std::clone::Clone::clone(&#n);));
    let call_args = path_args
        .iter()
        .map(|(n, _, by_value)| if *by_value { quote!(#n) } else { quote!(&#n) });
    let envelope = matches!(&page.output, Output::Single(OutTy::Ty(Ty::Envelope(..))));
    let bind = if envelope {
        quote!(let (value, meta) = page.into_parts();)
    } else {
        quote!(let value = page;)
    };
    let access = |a: &Access| -> TokenStream {
        let mut e = match (a.from, envelope) {
            (AccessRoot::Meta, true) => quote!(meta),
            _ => quote!(value),
        };
        for step in &a.steps {
            if let UnwrapStep::Field(f) = step {
                let f = ident(f);
                e = quote!(#e.#f);
            }
        }
        e
    };
    let items = {
        let e = access(&p.items);
        if p.items.optional {
            quote!(#e.unwrap_or_default())
        } else {
            e
        }
    };
    let (doc, call) = match &p.style {
        PageStyle::Offset {
            limit,
            offset,
            total,
        } => {
            let (off, off_ty) = (ident(&offset.0), &offset.1);
            let set = if matches!(off_ty, Ty::I32) {
                quote!(p.#off = Some(i32::try_from(offset).unwrap_or(i32::MAX)))
            } else {
                quote!(p.#off = Some(offset))
            };
            let page_size = match limit {
                Some((l, _)) => {
                    let l = ident(l);
                    quote!(params.#l.map(i64::from))
                }
                None => quote!(None),
            };
            let total = match total {
                None => quote!(None),
                Some((t, ty)) => {
                    let e = access(t);
                    let e = if t.nullable {
                        quote!(#e.into_option())
                    } else {
                        e
                    };
                    match (t.optional, t.lenient, matches!(ty, Ty::I64)) {
                        (true, true, true) => quote!(#e.map(::vendor_clients::Lenient::into_inner)),
                        (true, true, false) => quote!(#e.map(|t| i64::from(*t))),
                        (true, false, true) => quote!(#e),
                        (true, false, false) => quote!(#e.map(i64::from)),
                        (false, true, true) => quote!(Some(#e.into_inner())),
                        (false, true, false) => quote!(Some(i64::from(*#e))),
                        (false, false, true) => quote!(Some(#e)),
                        (false, false, false) => quote!(Some(i64::from(#e))),
                    }
                }
            };
            let doc = format!(
                " Every item of [`Client::{}`], fetched page by page as the stream is read: the offset starts at `params.{}` (or 0) and advances by the items received, until a page is empty{}.",
                ident_text(&op.rust),
                offset.0,
                if limit.is_some() { ", shorter than the page size, or the total is reached" } else { " or the total is reached" }
            );
            let call = quote! {
                ::vendor_clients::pagination::by_offset(
                    ::std::clone::Clone::clone(params),
                    params.#off.map(i64::from).unwrap_or(0),
                    #page_size,
                    |p: &mut #params_name, offset: i64| #set,
                    move |p: #params_name| {
                        #(#clones)*
                        async move { self.#method(#(#call_args,)* &p).await }
                    },
                    |page: #out| {
                        #bind
                        (#items, #total)
                    },
                )
            };
            (doc, call)
        }
        PageStyle::NextLink { .. } => return TokenStream::new(),
        PageStyle::Cursor { cursor, next } => {
            let cur = ident(&cursor.0);
            let next_e = access(next);
            let next_e = match (next.optional, next.nullable) {
                (true, true) => quote!(#next_e.into_option()),
                (true, false) => next_e,
                (false, _) => quote!(Some(#next_e)),
            };
            let next_e = if next.lenient {
                quote!(#next_e.map(::vendor_clients::Lenient::into_inner))
            } else {
                next_e
            };
            let doc = format!(
                " Every item of [`Client::{}`], fetched page by page as the stream is read: each page's cursor is sent as `params.{}` for the next, until a page has none.",
                ident_text(&op.rust),
                cursor.0
            );
            let call = quote! {
                ::vendor_clients::pagination::by_cursor(
                    ::std::clone::Clone::clone(params),
                    |p: &mut #params_name, cursor| p.#cur = Some(cursor),
                    move |p: #params_name| {
                        #(#clones)*
                        async move { self.#method(#(#call_args,)* &p).await }
                    },
                    |page: #out| {
                        #bind
                        (#items, #next_e)
                    },
                )
            };
            (doc, call)
        }
    };
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #json_note
        #[doc = " Pin the stream before polling it: `let mut items = std::pin::pin!(client.method_stream(..));`."]
        pub fn #name<'a>(&'a self, #(#sig_args,)* params: &#params_name) -> impl ::vendor_clients::Stream<Item = Result<#item, Error>> + 'a {
            #(#owned)*
            #call
        }
    }
}

/// `<method>_stream` of a `next-link` operation: the first page with the caller's arguments, then
/// each page at the link the previous one carries (same arguments, which only supply path and
/// header values; the link carries the query).
fn next_link_stream_method(
    op: &Operation,
    page: &Operation,
    p: &Pagination,
    next: &LinkPath,
) -> TokenStream {
    let method = ident(&page.rust);
    let name = format_ident!("{}_stream", op.rust);
    let json_note = json_page_note(op, page);
    let item = ty(&p.item);
    let out = out_ty(page);
    let mut args = method_args(op);
    if let Some(n) = &op.params_struct {
        let t = ident(n);
        args.push((format_ident!("params"), quote!(&#t), false));
    }
    let sig_args = args.iter().map(|(n, t, _)| quote!(#n: #t));
    let owned = args
        .iter()
        .map(|(n, _, _)| quote!(let #n = ::std::borrow::ToOwned::to_owned(#n);));
    let clones = args
        .iter()
        .map(|(n, _, _)| quote!(let #n = ::std::clone::Clone::clone(&#n);));
    let call_args: Vec<TokenStream> = args
        .iter()
        .map(|(n, _, by_value)| if *by_value { quote!(#n) } else { quote!(&#n) })
        .collect();
    let envelope = matches!(&page.output, Output::Single(OutTy::Ty(Ty::Envelope(..))));
    let bind = if envelope {
        quote!(let (value, meta) = page.into_parts();)
    } else {
        quote!(let value = page;)
    };
    let root = |from: AccessRoot| match (from, envelope) {
        (AccessRoot::Meta, true) => quote!(meta),
        _ => quote!(value),
    };
    let mut items = root(p.items.from);
    for step in &p.items.steps {
        if let UnwrapStep::Field(f) = step {
            let f = ident(f);
            items = quote!(#items.#f);
        }
    }
    if p.items.optional {
        items = quote!(#items.unwrap_or_default());
    }
    let mut link = {
        let r = root(next.from);
        quote!(Some(#r))
    };
    for (f, wrap) in &next.steps {
        let f = ident(f);
        link = match wrap {
            FieldWrap::Plain => quote!(#link.map(|x| x.#f)),
            FieldWrap::Option => quote!(#link.and_then(|x| x.#f)),
            FieldWrap::Nullable => quote!(#link.and_then(|x| x.#f.into_option())),
        };
    }
    let doc = format!(
        " Every item of [`Client::{}`], fetched page by page as the stream is read: the first page with these arguments, then the page at the link each page carries, until a page has none. A link to another host than the client's is refused with `Error::InvalidRequest`.",
        ident_text(&op.rust),
    );
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #json_note
        #[doc = " Pin the stream before polling it: `let mut items = std::pin::pin!(client.method_stream(..));`."]
        pub fn #name<'a>(&'a self #(, #sig_args)*) -> impl ::vendor_clients::Stream<Item = Result<#item, Error>> + 'a {
            #(#owned)*
            ::vendor_clients::pagination::by_next_link(
                move |__vc_link: Option<String>| {
                    #(#clones)*
                    async move {
                        match __vc_link {
                            None => self.#method(#(#call_args),*).await,
                            Some(__vc_link) => {
                                let __vc_next = Client { core: self.core.following(&__vc_link) };
                                __vc_next.#method(#(#call_args),*).await
                            }
                        }
                    }
                },
                |page: #out| {
                    #bind
                    (#items, #link)
                },
            )
        }
    }
}
