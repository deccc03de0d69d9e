//! `#[params]`: turns a struct of an operation's query, header and cookie parameters, each field
//! marked with where it goes, into the struct with its builder (`new` taking the required ones, a
//! setter per optional one, `Default` when nothing is required) and its `vendor_clients::Params`
//! impl. The generator writes the struct; this writes what every such struct has, so that a
//! generated client is shorter to read and to review.

use proc_macro2::{Delimiter, Group, Spacing, TokenStream as TokenStream2, TokenTree};

use crate::tokens::{
    item_head, meta_after_name, named_field, take_attrs, ItemErrors, Meta, NamedField,
};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

use crate::expand::request::{put, Target};
use crate::parse::{ParamOptions, QUERY_STYLES};

/// `operation = "opId"`: named in `new`'s documentation.
struct Args {
    operation: LitStr,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: Ident = input.parse()?;
        if key != "operation" {
            return Err(syn::Error::new(
                key.span(),
                "expected `operation = \"operationId\"`",
            ));
        }
        input.parse::<Token![=]>()?;
        let operation = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("`#[params]` takes only `operation = \"...\"`"));
        }
        Ok(Args { operation })
    }
}

/// Where a field's value goes on the request.
enum Place {
    /// Under a wire name, written as `#[endpoint]` writes the same place.
    Named(Target, LitStr),
    /// A parameter group: a value that is itself `Params`.
    Group,
}

struct Member {
    ident: Ident,
    /// The field's type, as written.
    ty: Vec<TokenTree>,
    place: Place,
    required: bool,
    doc: String,
}

/// The struct with its builder and `Params` impl.
pub(crate) fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let args: Args = syn::parse2(attr)?;
    let item = read_struct(item)?;
    let members = item
        .fields
        .into_iter()
        .map(member)
        .collect::<syn::Result<Vec<_>>>()?;

    let name = &item.ident;
    let required: Vec<&Member> = members.iter().filter(|m| m.required).collect();
    let new_args = required.iter().map(|m| {
        let n = &m.ident;
        let t = arg_ty(&m.ty);
        quote!(#n: #t)
    });
    let inits = members.iter().map(|m| {
        let n = &m.ident;
        match (m.required, into_target(&m.ty)) {
            (false, _) => quote!(#n: ::core::option::Option::None,),
            (true, true) => quote!(#n: ::core::convert::Into::into(#n),),
            (true, false) => quote!(#n,),
        }
    });
    let setters = members
        .iter()
        .filter(|m| !m.required)
        .map(setter)
        .collect::<syn::Result<Vec<_>>>()?;
    let applies = members.iter().map(apply);
    let new_doc = format!(
        " Parameters for `{}` with the required ones set.",
        args.operation.value()
    );
    let default_impl = required.is_empty().then(|| {
        quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let kept = item.kept;
    Ok(quote! {
        #kept

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
    })
}

/// The struct without its fields' `#[param]` attributes, or nothing if it is no struct.
pub(crate) fn strip(item: TokenStream2) -> TokenStream2 {
    read_struct(item).map(|s| s.kept).unwrap_or_default()
}

/// The struct as read: the struct to write back (without the `#[param]`s) and its fields.
///
/// It is read token by token rather than parsed into syntax trees: the macro needs each field's
/// name, its `#[param]`, its doc lines and whether its type is `Option<T>`, `String` or
/// `Secret`, and writes the rest back as it came. Proc macros run unoptimised in a dev build,
/// where parsing and printing every generated parameter struct was most of the macro's time.
struct Struct {
    kept: TokenStream2,
    ident: Ident,
    fields: Vec<RawField>,
}

struct RawField {
    ident: Ident,
    ty: Vec<TokenTree>,
    /// The `#[param(...)]`, if any: the attribute (where errors about it point) and its items.
    param: Option<(TokenStream2, syn::Result<Vec<Meta>>)>,
    /// The doc lines, trimmed and joined with spaces.
    doc: String,
}

fn read_struct(item: TokenStream2) -> syn::Result<Struct> {
    let mut tokens = item.into_iter().peekable();
    let mut kept = TokenStream2::new();
    take_attrs(&mut tokens, &mut kept, |_| false)?;
    let (ident, body) = item_head(
        &mut tokens,
        &mut kept,
        "struct",
        &ItemErrors {
            not_keyword: "`#[params]` needs a struct with named fields",
            generics: "`#[params]` structs take no generics",
            no_body: "`#[params]` needs a struct with named fields",
        },
    )?;
    let mut fields = Vec::new();
    let mut kept_fields = TokenStream2::new();
    let mut inner = body.stream().into_iter().peekable();
    while inner.peek().is_some() {
        let mut param = None;
        let mut doc = Vec::new();
        take_attrs(&mut inner, &mut kept_fields, |attr| {
            let [pound, group] = attr;
            let TokenTree::Group(g) = group else {
                return false;
            };
            let mut parts = g.stream().into_iter();
            match parts.next() {
                Some(TokenTree::Ident(i)) if i == "param" => {
                    param = Some((quote!(#pound #group), meta_after_name(g, parts, "param")));
                    true
                }
                Some(TokenTree::Ident(i)) if i == "doc" => {
                    if let (Some(_), Some(TokenTree::Literal(text))) = (parts.next(), parts.next())
                    {
                        if let syn::Lit::Str(s) = syn::Lit::new(text) {
                            doc.push(s.value().trim().to_owned());
                        }
                    }
                    false
                }
                _ => false,
            }
        })?;
        let NamedField {
            vis,
            ident,
            colon,
            ty,
            comma,
        } = named_field(&mut inner, &body)?;
        kept_fields.extend(vis);
        kept_fields.extend([TokenTree::Ident(ident.clone()), colon]);
        kept_fields.extend(ty.iter().cloned());
        kept_fields.extend(comma);
        fields.push(RawField {
            ident,
            ty,
            param,
            doc: doc.join(" "),
        });
    }
    let mut group = Group::new(Delimiter::Brace, kept_fields);
    group.set_span(body.span());
    kept.extend([TokenTree::Group(group)]);
    kept.extend(tokens);
    Ok(Struct {
        kept,
        ident,
        fields,
    })
}

/// Checks the field's `#[param(...)]`.
fn member(field: RawField) -> syn::Result<Member> {
    let Some((attr, items)) = field.param else {
        return Err(syn::Error::new_spanned(
            &field.ident,
            "each field of a `#[params]` struct says where it goes: `#[param(query = \"wire\")]`, \
             `header = \"...\"`, `cookie = \"...\"` or `group`",
        ));
    };
    let (place, required) = place(&attr, &items?)?;
    Ok(Member {
        ty: field.ty,
        doc: field.doc,
        ident: field.ident,
        place,
        required,
    })
}

/// `query = "w"` (with `style = Variant` or `json`), `header = "w"` (with `json`),
/// `cookie = "w"` or `group`; and `required`.
fn place(attr: &TokenStream2, items: &[Meta]) -> syn::Result<(Place, bool)> {
    let mut wire: Option<(String, LitStr)> = None;
    let mut style: Option<Ident> = None;
    let mut json: Option<proc_macro2::Span> = None;
    let mut group = false;
    let mut required = false;
    for meta in items {
        let key = meta.key.to_string();
        match (key.as_str(), &meta.value) {
            ("query" | "header" | "cookie", _) => {
                let name = meta.text()?;
                if wire.is_some() {
                    return Err(syn::Error::new(meta.key.span(), "one place per parameter"));
                }
                wire = Some((key, name));
            }
            ("style", Some(TokenTree::Ident(variant))) => style = Some(variant.clone()),
            ("style", _) => {
                return Err(syn::Error::new(
                    meta.key.span(),
                    "expected `style = Variant`",
                ))
            }
            ("json", None) => json = Some(meta.key.span()),
            ("group", None) => group = true,
            ("required", None) => required = true,
            _ => {
                return Err(syn::Error::new(
                    meta.key.span(),
                    "expected `query = \"...\"`, `header = \"...\"`, `cookie = \"...\"`, `group`, \
                     `style = Variant`, `json` or `required`",
                ))
            }
        }
    }
    let options = match (style, json) {
        (Some(_), Some(_)) => {
            return Err(syn::Error::new_spanned(
                attr,
                "`json` sends the value as JSON text, so it takes no `style`",
            ))
        }
        (Some(style), None) => {
            let name = style.to_string();
            let Some(variant) = QUERY_STYLES.iter().find(|v| **v == name) else {
                return Err(syn::Error::new_spanned(
                    &style,
                    format!(
                        "unknown query style `{name}`; expected a `vendor_clients::QueryStyle` variant: {}",
                        QUERY_STYLES.join(", ")
                    ),
                ));
            };
            Some(ParamOptions::Style(style.span(), variant))
        }
        (None, Some(span)) => Some(ParamOptions::Json(span)),
        (None, None) => None,
    };
    let place = match (wire, group) {
        (Some(_), true) => {
            return Err(syn::Error::new_spanned(
                attr,
                "a group is not sent under a wire name",
            ))
        }
        (None, true) => Place::Group,
        (None, false) => {
            return Err(syn::Error::new_spanned(
                attr,
                "say where the parameter goes: `query = \"...\"`, `header = \"...\"`, \
                 `cookie = \"...\"` or `group`",
            ))
        }
        (Some((kind, wire)), false) => {
            let target = match (kind.as_str(), options) {
                ("query", options) => Target::Query(options),
                ("header", None) => Target::Header { json: false },
                ("header", Some(ParamOptions::Json(_))) => Target::Header { json: true },
                ("cookie", None) => Target::Cookie,
                _ => return Err(syn::Error::new(
                    wire.span(),
                    "`style` applies to query parameters, `json` to query parameters and headers",
                )),
            };
            Place::Named(target, wire)
        }
    };
    Ok((place, required))
}

/// Whether `ty` is a path (`a::b::C`), its last segment `name` followed by `<...>` spanning the
/// rest: the tokens inside the brackets.
fn generic_of<'t>(ty: &'t [TokenTree], name: &str) -> Option<&'t [TokenTree]> {
    let open = ty
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '<'))?;
    let (path, rest) = ty.split_at(open);
    if !is_path(path) || !matches!(path.last(), Some(TokenTree::Ident(i)) if i == name) {
        return None;
    }
    let mut inner = &rest[1..rest.len().checked_sub(1)?];
    if !matches!(rest.last(), Some(TokenTree::Punct(p)) if p.as_char() == '>') {
        return None;
    }
    // A trailing comma (`Option<\n    LongName,\n>`, as a formatter breaks a long argument).
    if let Some((TokenTree::Punct(p), before)) = inner.split_last() {
        if p.as_char() == ',' {
            inner = before;
        }
    }
    if inner.is_empty() {
        return None;
    }
    // One argument, whose brackets close before the last `>`.
    let mut depth = 0usize;
    let mut after_dash = false;
    for t in inner {
        if let TokenTree::Punct(p) = t {
            match p.as_char() {
                ',' if depth == 0 => return None,
                '<' => depth += 1,
                '>' if !after_dash => depth = depth.checked_sub(1)?,
                _ => {}
            }
            after_dash = p.as_char() == '-' && p.spacing() == Spacing::Joint;
        } else {
            after_dash = false;
        }
    }
    (depth == 0).then_some(inner)
}

/// Whether `tokens` are a plain path: names separated by `::`, maybe with a leading `::`.
fn is_path(tokens: &[TokenTree]) -> bool {
    !tokens.is_empty()
        && tokens.iter().all(|t| match t {
            TokenTree::Ident(_) => true,
            TokenTree::Punct(p) => p.as_char() == ':',
            _ => false,
        })
}

/// `T` of `Option<T>`.
fn option_inner(ty: &[TokenTree]) -> Option<&[TokenTree]> {
    generic_of(ty, "Option")
}

/// `String` and `Secret` are taken as `impl Into<...>`.
fn into_target(ty: &[TokenTree]) -> bool {
    is_path(ty) && matches!(ty.last(), Some(TokenTree::Ident(i)) if i == "String" || i == "Secret")
}

/// The argument type taking a value of `ty`.
fn arg_ty(ty: &[TokenTree]) -> TokenStream2 {
    if into_target(ty) {
        quote!(impl ::core::convert::Into<#(#ty)*>)
    } else {
        quote!(#(#ty)*)
    }
}

/// The builder-style setter of an optional member.
fn setter(m: &Member) -> syn::Result<TokenStream2> {
    let inner = option_inner(&m.ty).ok_or_else(|| {
        let ty: TokenStream2 = m.ty.iter().cloned().collect();
        syn::Error::new_spanned(
            ty,
            "an optional parameter's field is `Option<T>` (or mark it `required`)",
        )
    })?;
    let n = &m.ident;
    let t = arg_ty(inner);
    let store = if into_target(inner) {
        quote!(::core::convert::Into::into(value))
    } else {
        quote!(value)
    };
    let doc = if m.doc.is_empty() {
        format!(" Sets `{n}`.")
    } else {
        format!(" Sets {}", m.doc)
    };
    Ok(quote! {
        #[doc = #doc]
        pub fn #n(mut self, value: #t) -> Self {
            self.#n = ::core::option::Option::Some(#store);
            self
        }
    })
}

/// How `Params::apply` puts one member on the request.
fn apply(m: &Member) -> TokenStream2 {
    let n = &m.ident;
    match &m.place {
        Place::Named(target, wire) => {
            put(&quote!(request), *target, &quote!(#wire), &quote!(&self.#n))
        }
        Place::Group if m.required => {
            quote!(::vendor_clients::Params::apply(&self.#n, request);)
        }
        Place::Group => quote! {
            if let ::core::option::Option::Some(group) = &self.#n {
                ::vendor_clients::Params::apply(group, request);
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(item: TokenStream2) -> String {
        expand(quote!(operation = "list_items"), item)
            .unwrap_or_else(|e| panic!("refused: {e}"))
            .to_string()
    }

    fn refused(attr: TokenStream2, item: TokenStream2) -> String {
        match expand(attr, item) {
            Ok(code) => panic!("expanded: {code}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn required_members_go_to_new_optional_ones_get_setters_and_each_is_applied_where_it_goes() {
        let code = expanded(quote! {
            pub struct P {
                /// `q` (query parameter): what to find
                #[param(query = "q", required)]
                pub q: String,
                #[param(query = "limit")]
                pub limit: Option<i64>,
                #[param(query = "ids", style = FormUnexploded)]
                pub ids: Option<Vec<i64>>,
                #[param(query = "filter", json)]
                pub filter: Option<F>,
                #[param(header = "X-Trace")]
                pub trace: Option<String>,
                #[param(header = "X-Context", json, required)]
                pub context: C,
                #[param(cookie = "session")]
                pub session: Option<::vendor_clients::Secret>,
                #[param(group)]
                pub by: Option<G>,
            }
        });
        assert!(!code.contains("# [param"), "{code}");
        assert!(
            code.contains(
                "pub fn new (q : impl :: core :: convert :: Into < String > , context : C) -> Self"
            ),
            "{code}"
        );
        assert!(
            code.contains("q : :: core :: convert :: Into :: into (q) , limit : :: core :: option :: Option :: None"),
            "{code}"
        );
        assert!(
            code.contains("pub fn limit (mut self , value : i64) -> Self"),
            "{code}"
        );
        assert!(
            code.contains("pub fn session (mut self , value : impl :: core :: convert :: Into < :: vendor_clients :: Secret >)"),
            "{code}"
        );
        assert!(!code.contains("pub fn q ("), "{code}");
        assert!(!code.contains("Default for P"), "{code}");
        for apply in [
            "request . query (\"q\" , & self . q) ;",
            "request . query_styled (\"ids\" , & self . ids , :: vendor_clients :: QueryStyle :: FormUnexploded) ;",
            "request . query_json (\"filter\" , & self . filter) ;",
            "request . header (\"X-Trace\" , & self . trace) ;",
            "request . header_json (\"X-Context\" , & self . context) ;",
            "request . cookie (\"session\" , & self . session) ;",
            "if let :: core :: option :: Option :: Some (group) = & self . by",
        ] {
            assert!(code.contains(apply), "{apply} in {code}");
        }
    }

    #[test]
    fn setters_are_documented_from_their_field_and_new_names_the_operation() {
        let code = expanded(quote! {
            pub struct P {
                /// `limit` (query parameter): at most this many
                #[param(query = "limit")]
                pub limit: Option<i64>,
            }
        });
        assert!(
            code.contains("# [doc = \" Sets `limit` (query parameter): at most this many\"]"),
            "{code}"
        );
        assert!(
            code.contains("# [doc = \" Parameters for `list_items` with the required ones set.\"]"),
            "{code}"
        );
        assert!(
            code.contains("impl :: core :: default :: Default for P"),
            "{code}"
        );
    }

    #[test]
    fn a_field_without_place_or_an_optional_one_not_in_option_is_refused_by_name() {
        let e = refused(
            quote!(operation = "op"),
            quote!(
                struct P {
                    pub a: Option<i64>,
                }
            ),
        );
        assert!(e.contains("says where it goes"), "{e}");
        let e = refused(
            quote!(operation = "op"),
            quote!(
                struct P {
                    #[param(query = "a")]
                    pub a: i64,
                }
            ),
        );
        assert!(e.contains("is `Option<T>`"), "{e}");
        let e = refused(
            quote!(operation = "op"),
            quote!(
                struct P {
                    #[param(header = "a", style = Form)]
                    pub a: Option<i64>,
                }
            ),
        );
        assert!(e.contains("`style` applies to query parameters"), "{e}");
        let e = refused(
            quote!(operation = "op"),
            quote!(
                struct P {
                    #[param(query = "a", style = Bogus)]
                    pub a: Option<i64>,
                }
            ),
        );
        assert!(e.contains("unknown query style `Bogus`"), "{e}");
        for (field, message) in [
            (
                quote!(#[param] pub a: Option<i64>,),
                "expected `#[param(...)]`",
            ),
            (
                quote!(#[param(query = "a", header = "b")] pub a: Option<i64>,),
                "one place per parameter",
            ),
            (
                quote!(#[param(query = "a", style = "Form")] pub a: Option<i64>,),
                "expected `style = Variant`",
            ),
            (
                quote!(#[param(query = "a", json = true)] pub a: Option<i64>,),
                "expected `query",
            ),
            (
                quote!(#[param(query = 1)] pub a: Option<i64>,),
                "expected a string literal",
            ),
        ] {
            let e = refused(quote!(operation = "op"), quote!(struct P { #field }));
            assert!(e.contains(message), "{message}: {e}");
        }
        let e = refused(
            quote!(op = "x"),
            quote!(
                struct P {}
            ),
        );
        assert!(e.contains("expected `operation"), "{e}");
    }

    fn tokens(text: &str) -> Vec<TokenTree> {
        text.parse::<TokenStream2>()
            .expect("tokens")
            .into_iter()
            .collect()
    }

    #[test]
    fn types_are_told_apart_from_their_tokens() {
        let inner = |text: &str| {
            option_inner(&tokens(text))
                .map(|t| t.iter().cloned().collect::<TokenStream2>().to_string())
        };
        assert_eq!(inner("Option<i64>").as_deref(), Some("i64"));
        assert_eq!(
            inner("::core::option::Option<Vec<Option<u8>>>").as_deref(),
            Some("Vec < Option < u8 >>")
        );
        assert_eq!(
            inner("Option<fn(u8) -> u8>").as_deref(),
            Some("fn (u8) -> u8")
        );
        assert_eq!(
            inner("Option<\n    LongName,\n>").as_deref(),
            Some("LongName")
        );
        for not_option in [
            "i64",
            "Vec<i64>",
            "Option",
            "Option<>",
            "Option<A, B>",
            "Option<A,,>",
            "Option<,>",
            "Option<A> + B",
            "<T as X>::Option<u8>",
            "Option<A>::B<C>",
        ] {
            assert_eq!(inner(not_option), None, "{not_option}");
        }
        assert!(into_target(&tokens("String")) && into_target(&tokens("::vendor_clients::Secret")));
        assert!(!into_target(&tokens("Vec<String>")) && !into_target(&tokens("&String")));
    }

    #[test]
    fn the_struct_is_written_back_as_it_came_without_its_params() {
        let code = expanded(quote! {
            /// Parameters.
            #[derive(Debug)]
            pub(crate) struct P {
                /// Doc.
                #[param(query = "a")]
                #[allow(dead_code)]
                pub a: Option<::std::collections::HashMap<String, Vec<u8>>>,
                #[param(group)]
                b: Option<G>
            }
        });
        assert!(
            code.starts_with("# [doc = r\" Parameters.\"] # [derive (Debug)] pub (crate) struct P { # [doc = r\" Doc.\"] # [allow (dead_code)] pub a : Option < :: std :: collections :: HashMap < String , Vec < u8 >> > , b : Option < G > }"),
            "{code}"
        );
        assert!(code.contains("pub fn a (mut self , value : :: std :: collections :: HashMap < String , Vec < u8 >>) -> Self"), "{code}");
        let stripped = strip(quote!(
            struct P {
                #[param(bogus)]
                a: u8,
                #[serde(x)]
                b: u8,
            }
        ))
        .to_string();
        assert_eq!(stripped, "struct P { a : u8 , # [serde (x)] b : u8 , }");
        assert!(strip(quote!(
            enum E {
                A,
            }
        ))
        .is_empty());
        for (item, message) in [
            (
                quote!(
                    struct P<T> {
                        a: T,
                    }
                ),
                "take no generics",
            ),
            (
                quote!(
                    struct P(u8);
                ),
                "named fields",
            ),
            (
                quote!(
                    enum E {
                        A,
                    }
                ),
                "named fields",
            ),
            (quote!(struct P { a }), "expected `:`"),
            (
                quote!(struct P { #[param(query = "a")] a: }),
                "expected the field's type",
            ),
        ] {
            let e = refused(quote!(operation = "op"), item);
            assert!(e.contains(message), "{message}: {e}");
        }
    }
}
