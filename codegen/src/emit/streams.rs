//! Paginated operations to their `<method>_stream` methods: offset, cursor and next-link pages.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::operations::out_ty;
use super::ty::{method_args, ty};
use crate::model::*;
use crate::names::{ident, ident_text};

/// `<method>_stream`: every item of a paginated operation, page by page, each page got from
/// `page` (the operation itself, or its JSON form, see
/// [`json_page`](super::operations::json_page)).
pub(super) fn stream_method(op: &Operation, page: &Operation, p: &Pagination) -> TokenStream {
    let s = StreamMethod::new(op, page, p);
    if let PageStyle::NextLink { next } = &p.style {
        return next_link_stream_method(op, &s, next);
    }
    let Some(params_name) = op.params_struct.as_ref().map(|n| ident(n)) else {
        return TokenStream::new();
    };
    let path_args = method_args(op);
    let (method, clones, call_args) = (&s.method, clones(&path_args), call_args(&path_args));
    let fetch = quote! {
        move |p: #params_name| {
            #clones
            async move { self.#method(#(#call_args,)* &p).await }
        }
    };
    let (doc, call) = match &p.style {
        PageStyle::Offset {
            limit,
            offset,
            total,
        } => offset_pages(
            &s,
            &params_name,
            fetch,
            limit.as_ref(),
            offset,
            total.as_ref(),
        ),
        PageStyle::Cursor { cursor, next } => cursor_pages(&s, &params_name, fetch, cursor, next),
        PageStyle::NextLink { .. } => return TokenStream::new(),
    };
    let sig_args = path_args.iter().map(|(n, t, _)| quote!(#n: #t));
    let owned = owned(&path_args);
    s.method(
        &doc,
        quote!(, #(#sig_args,)* params: &#params_name),
        quote!(#owned #call),
    )
}

/// The doc and the `by_offset` call of an offset stream: the offset starts at the params' and
/// advances by the items received.
fn offset_pages(
    s: &StreamMethod,
    params_name: &Ident,
    fetch: TokenStream,
    limit: Option<&(String, Ty)>,
    offset: &(String, Ty),
    total: Option<&(Access, Ty)>,
) -> (String, TokenStream) {
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
        Some((t, ty)) => total_count(s, t, ty),
    };
    let doc = format!(
        " Every item of [`Client::{}`], fetched page by page as the stream is read: the offset starts at `params.{}` (or 0) and advances by the items received, until a page is empty{}.",
        s.op_name,
        offset.0,
        if limit.is_some() { ", shorter than the page size, or the total is reached" } else { " or the total is reached" }
    );
    let read = s.read_page(total);
    let call = quote! {
        ::vendor_clients::pagination::by_offset(
            ::std::clone::Clone::clone(params),
            params.#off.map(i64::from).unwrap_or(0),
            #page_size,
            |p: &mut #params_name, offset: i64| #set,
            #fetch,
            #read,
        )
    };
    (doc, call)
}

/// The total count in a page, as an `Option<i64>`, whatever its type and wrapping.
fn total_count(s: &StreamMethod, t: &Access, ty: &Ty) -> TokenStream {
    let e = s.access(t);
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

/// The doc and the `by_cursor` call of a cursor stream: each page's cursor goes into the
/// params for the next.
fn cursor_pages(
    s: &StreamMethod,
    params_name: &Ident,
    fetch: TokenStream,
    cursor: &(String, Ty),
    next: &Access,
) -> (String, TokenStream) {
    let cur = ident(&cursor.0);
    let next_e = s.access(next);
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
        s.op_name,
        cursor.0
    );
    let read = s.read_page(next_e);
    let call = quote! {
        ::vendor_clients::pagination::by_cursor(
            ::std::clone::Clone::clone(params),
            |p: &mut #params_name, cursor| p.#cur = Some(cursor),
            #fetch,
            #read,
        )
    };
    (doc, call)
}

/// `<method>_stream` of a `next-link` operation: the first page with the caller's arguments, then
/// each page at the link the previous one carries (same arguments, which only supply path and
/// header values; the link carries the query).
fn next_link_stream_method(op: &Operation, s: &StreamMethod, next: &LinkPath) -> TokenStream {
    let mut args = method_args(op);
    if let Some(n) = &op.params_struct {
        let t = ident(n);
        args.push((format_ident!("params"), quote!(&#t), false));
    }
    let sig_args = args.iter().map(|(n, t, _)| quote!(#n: #t));
    let (owned, clones, call_args) = (owned(&args), clones(&args), call_args(&args));
    let method = &s.method;
    let read = s.read_page(next_link(s, next));
    let doc = format!(
        " Every item of [`Client::{}`], fetched page by page as the stream is read: the first page with these arguments, then the page at the link each page carries, until a page has none. A link to another host than the client's is refused with `Error::InvalidRequest`.",
        s.op_name,
    );
    let body = quote! {
        #owned
        ::vendor_clients::pagination::by_next_link(
            move |__vc_link: Option<String>| {
                #clones
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
            #read,
        )
    };
    s.method(&doc, quote!(#(, #sig_args)*), body)
}

/// The link to the next page, as an `Option<String>`, through the optional fields on the way.
fn next_link(s: &StreamMethod, next: &LinkPath) -> TokenStream {
    let mut link = {
        let r = s.root(next.from);
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
    link
}

/// A method argument: name, type, and whether it is taken by value (see [`method_args`]).
type Arg = (Ident, TokenStream, bool);

/// `let x = x.to_owned();` for each argument: the stream outlives the borrowed arguments.
fn owned(args: &[Arg]) -> TokenStream {
    let owned = args
        .iter()
        .map(|(n, _, _)| quote!(let #n = ::std::borrow::ToOwned::to_owned(#n);));
    quote!(#(#owned)*)
}

/// `let x = x.clone();` for each argument, for one page's request.
fn clones(args: &[Arg]) -> TokenStream {
    let clones = args
        .iter()
        .map(|(n, _, _)| quote!(let #n = ::std::clone::Clone::clone(&#n);));
    quote!(#(#clones)*)
}

/// The arguments as passed to the page method: by value or by reference.
fn call_args(args: &[Arg]) -> Vec<TokenStream> {
    args.iter()
        .map(|(n, _, by_value)| if *by_value { quote!(#n) } else { quote!(&#n) })
        .collect()
}

/// What a `_stream` method is made of whatever its pagination: its name, the method getting
/// one page, and how a page is read.
struct StreamMethod<'a> {
    /// The operation's method, as named in docs.
    op_name: String,
    /// `<method>_stream`.
    name: Ident,
    /// The method getting one page: the operation's, or its JSON form's.
    method: Ident,
    /// The doc lines on reading pages in their JSON form (see [`json_page_note`]).
    json_note: TokenStream,
    /// The type of the items.
    item: TokenStream,
    /// The type of a page.
    out: TokenStream,
    /// Where the items are in a page.
    items: &'a Access,
    /// Whether a page is an `Envelope`, whose items and links can come from its meta.
    envelope: bool,
}

impl<'a> StreamMethod<'a> {
    fn new(op: &Operation, page: &Operation, p: &'a Pagination) -> Self {
        StreamMethod {
            op_name: ident_text(&op.rust),
            name: format_ident!("{}_stream", op.rust),
            method: ident(&page.rust),
            json_note: json_page_note(op, page),
            item: ty(&p.item),
            out: out_ty(page),
            items: &p.items,
            envelope: matches!(&page.output, Output::Single(OutTy::Ty(Ty::Envelope(..)))),
        }
    }

    /// The closure reading a page into its items and `rest` (the total, or the next cursor or
    /// link).
    fn read_page(&self, rest: TokenStream) -> TokenStream {
        let out = &self.out;
        let bind = if self.envelope {
            quote!(let (value, meta) = page.into_parts();)
        } else {
            quote!(let value = page;)
        };
        let e = self.access(self.items);
        let items = if self.items.optional {
            quote!(#e.unwrap_or_default())
        } else {
            e
        };
        quote! {
            |page: #out| {
                #bind
                (#items, #rest)
            }
        }
    }

    /// A value in a page: `value` (or the envelope's `meta`), then the fields down to it.
    fn access(&self, a: &Access) -> TokenStream {
        let mut e = self.root(a.from);
        for step in &a.steps {
            if let UnwrapStep::Field(f) = step {
                let f = ident(f);
                e = quote!(#e.#f);
            }
        }
        e
    }

    /// Where a path into a page starts: the value, or the envelope's meta.
    fn root(&self, from: AccessRoot) -> TokenStream {
        match (from, self.envelope) {
            (AccessRoot::Meta, true) => quote!(meta),
            _ => quote!(value),
        }
    }

    /// The method: its doc (`doc`, then the notes every stream has), the arguments after
    /// `&self` (`sig`, with their leading comma), and its body.
    fn method(&self, doc: &str, sig: TokenStream, body: TokenStream) -> TokenStream {
        let (name, json_note, item) = (&self.name, &self.json_note, &self.item);
        quote! {
            #[doc = #doc]
            #[doc = ""]
            #json_note
            #[doc = " Pin the stream before polling it: `let mut items = std::pin::pin!(client.method_stream(..));`."]
            pub fn #name<'a>(&'a self #sig) -> impl ::vendor_clients::Stream<Item = Result<#item, Error>> + 'a {
                #body
            }
        }
    }
}

/// What a stream that reads pages through [`json_page`](super::operations::json_page) says
/// about it.
fn json_page_note(op: &Operation, page: &Operation) -> TokenStream {
    if std::ptr::eq(op, page) {
        return TokenStream::new();
    }
    quote! {
        #[doc = " Pages are read in their JSON form: a page answered in another media type ends the stream with `Error::Decode` naming it."]
        #[doc = ""]
    }
}
