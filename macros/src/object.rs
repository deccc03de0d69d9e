//! `#[derive(Object)]`: `Serialize` and `Deserialize` for a struct written as and read from a JSON
//! object, in one macro (the struct is parsed once). Reading goes through the runtime's generic
//! `vendor_clients::__object` (see `src/object.rs`): the struct's own code is a `match` of its keys,
//! one line per field to store a value, and one per field to finish. It reads the `#[serde(...)]`
//! field attributes the generator writes (`rename`, `alias`, `default`, `default = "path"`,
//! `skip_serializing`, `skip_serializing_if = "path"`) as serde's derive does and refuses any
//! other, so a struct it cannot handle the way serde would is an error, not a surprise.

use proc_macro2::{Literal, Span, TokenStream as TokenStream2, TokenTree};
use quote::quote;
use syn::ext::IdentExt;
use syn::{Ident, LitStr};

use crate::tokens::{
    item_head, meta_list, named_field, take_attrs, ItemErrors, Meta, NamedField, Tokens,
};

/// How an absent field is filled.
enum Absent {
    /// What the type makes of nothing: `None`, or "missing field".
    Required,
    /// `Default::default()`.
    Default,
    /// `path()`.
    Call(syn::Path),
}

/// When a field is left out of the written object.
enum Skip {
    Never,
    Always,
    /// When `path(&field)` is true.
    If(syn::Path),
}

struct Field {
    ident: syn::Ident,
    /// The type as written: only written back.
    ty: Vec<TokenTree>,
    wire: String,
    aliases: Vec<String>,
    absent: Absent,
    skip: Skip,
}

/// The `Serialize` and `Deserialize` impls.
pub(crate) fn expand(input: TokenStream2) -> syn::Result<TokenStream2> {
    let input = read_input(input)?;
    let mut partial_eq = false;
    for meta in &input.object {
        if meta.key == "partial_eq" && meta.value.is_none() {
            partial_eq = true;
        } else {
            return Err(syn::Error::new(
                meta.key.span(),
                "`#[object(...)]` takes `partial_eq` (`PartialEq` comparing every field)",
            ));
        }
    }
    for meta in &input.serde {
        if meta.key == "crate" {
            meta.text()?;
        } else {
            return Err(syn::Error::new(
                meta.key.span(),
                "`#[derive(Object)]` reads no serde container option but `crate`",
            ));
        }
    }
    let fields = input
        .fields
        .into_iter()
        .map(field)
        .collect::<syn::Result<Vec<_>>>()?;

    let name = &input.ident;
    let name_text = name.unraw().to_string();
    let mut seen: Vec<&str> = Vec::new();
    for f in &fields {
        for key in std::iter::once(&f.wire).chain(&f.aliases) {
            if seen.contains(&key.as_str()) {
                return Err(syn::Error::new_spanned(
                    &f.ident,
                    format!("the key `{key}` names two fields"),
                ));
            }
            seen.push(key);
        }
    }
    if fields.len() > TUPLE * TUPLE {
        return Err(syn::Error::new(
            name.span(),
            format!(
                "`#[derive(Object)]` takes at most {} fields; derive serde's traits for more",
                TUPLE * TUPLE
            ),
        ));
    }
    // The fields go in chunks of up to `TUPLE`: the slots of the values read are a tuple of
    // tuples, and so are the fields written (see the runtime's `Slots` and `Fields`).
    let slot = chunked(fields.iter().map(|f| {
        let ty = &f.ty;
        match f.absent {
            Absent::Required => quote!(::vendor_clients::__object::Required<#(#ty)*>),
            Absent::Default => quote!(::vendor_clients::__object::Defaulted<#(#ty)*>),
            Absent::Call(_) => quote!(::vendor_clients::__object::Deferred<#(#ty)*>),
        }
    }));
    let (alias, alias_index): (Vec<&String>, Vec<Literal>) = fields
        .iter()
        .enumerate()
        .flat_map(|(index, f)| {
            f.aliases
                .iter()
                .map(move |alias| (alias, Literal::usize_unsuffixed(index)))
        })
        .unzip();
    // One row per field, in its chunk, written by one `quote!` from plain values (a token stream
    // built per row and spliced in costs a dev build round trips to the compiler).
    let ident = chunked(fields.iter().map(|f| &f.ident));
    let wire = chunked(fields.iter().map(|f| &f.wire));
    let at = chunked(
        (0..fields.len())
            .map(|index| [index / TUPLE, index % TUPLE].map(Literal::usize_unsuffixed)),
    );
    let default = chunked(fields.iter().map(|f| match &f.absent {
        Absent::Call(path) => vec![path],
        _ => vec![],
    }));
    let call = Span::call_site();
    let wrap = chunked(fields.iter().map(|f| match f.skip {
        Skip::Never => None,
        Skip::Always => Some(Ident::new("Never", call)),
        Skip::If(_) => Some(Ident::new("Unless", call)),
    }));
    let skip = chunked(fields.iter().map(|f| match &f.skip {
        Skip::If(path) => vec![path],
        _ => vec![],
    }));
    // `PartialEq` when asked: the fields compared in order, as the derive would, without the
    // marker impl the derive adds for constant patterns (one item less for the compiler).
    let eq_fields = partial_eq.then(|| fields.iter().map(|f| &f.ident).collect::<Vec<_>>());
    let eq_fields = eq_fields.iter();
    // The impls themselves are the runtime's `__object_impls!`: see there.
    Ok(quote! {
        ::vendor_clients::__object_impls! {
            #name #name_text [(#((#(#slot,)*),)*)] [#((#alias #alias_index))*]
            #(partial_eq [#(#eq_fields)*])*;
            #([#(#ident #wire [#(#at)*] #((#default))* #wrap #((#skip))*;)*])*
        }
    })
}

/// The most fields in a chunk, and the most chunks (the runtime's `Slots` and `Fields` are
/// written for tuples up to this long).
const TUPLE: usize = 16;

/// `items` in chunks of `TUPLE`.
fn chunked<T>(items: impl Iterator<Item = T>) -> Vec<Vec<T>> {
    let mut chunks: Vec<Vec<T>> = Vec::new();
    for item in items {
        match chunks.last_mut() {
            Some(chunk) if chunk.len() < TUPLE => chunk.push(item),
            _ => chunks.push(vec![item]),
        }
    }
    chunks
}

/// A field with what its `#[serde(...)]` says.
fn field(f: RawField) -> syn::Result<Field> {
    let ident = f.ident;
    let mut wire = ident.unraw().to_string();
    let mut aliases = Vec::new();
    let mut absent = Absent::Required;
    let mut skip = Skip::Never;
    for meta in &f.serde {
        match meta.key.to_string().as_str() {
            "rename" => wire = meta.text()?.value(),
            "alias" => aliases.push(meta.text()?.value()),
            "default" if meta.value.is_some() => absent = Absent::Call(path(&meta.text()?)?),
            "default" => absent = Absent::Default,
            "skip_serializing_if" => skip = Skip::If(path(&meta.text()?)?),
            "skip_serializing" if meta.value.is_none() => skip = Skip::Always,
            _ => {
                return Err(syn::Error::new(
                    meta.key.span(),
                    "`#[derive(Object)]` reads `rename`, `alias`, `default` and \
                     `skip_serializing(_if)`; derive serde's traits for anything else",
                ))
            }
        }
    }
    Ok(Field {
        ident,
        ty: f.ty,
        wire,
        aliases,
        absent,
        skip,
    })
}

/// The path a string names (`"Option::is_none"`). A plain path (names and `::`) is made from
/// its names, each spanned to the string; anything else is parsed by syn. (Parsing text in a
/// proc macro makes the compiler open a source file for it, which costs every build of a client
/// with hundreds of such strings.)
fn path(text: &LitStr) -> syn::Result<syn::Path> {
    let value = text.value();
    let (leading, rest) = match value.strip_prefix("::") {
        Some(rest) => (true, rest),
        None => (false, value.as_str()),
    };
    let segments: Option<Vec<Ident>> = rest
        .split("::")
        .map(|name| {
            let plain = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            plain.then(|| Ident::new(name, text.span()))
        })
        .collect();
    match segments {
        Some(segments) if !segments.iter().any(|s| s == "_") => Ok(syn::Path {
            leading_colon: leading.then(|| syn::Token![::](text.span())),
            segments: segments.into_iter().map(syn::PathSegment::from).collect(),
        }),
        _ => text.parse(),
    }
}

/// The derive's input, read for what the derive uses. It is read token by token: the struct's
/// doc lines, the fields' docs and their types are kept as tokens, not parsed into syntax trees:
/// the derive only writes the types back, and a generated struct has a doc line per field;
/// reading them was most of the derive's time in a dev build, where proc macros run
/// unoptimised.
struct Input {
    /// The items of the container's `#[serde(...)]` attributes.
    serde: Vec<Meta>,
    /// The items of the container's `#[object(...)]` attributes.
    object: Vec<Meta>,
    fields: Vec<RawField>,
    ident: Ident,
}

/// A named field: its `#[serde(...)]` attributes, its name and its type's tokens.
struct RawField {
    /// The items of the field's `#[serde(...)]` attributes.
    serde: Vec<Meta>,
    ident: Ident,
    ty: Vec<TokenTree>,
}

fn read_input(input: TokenStream2) -> syn::Result<Input> {
    let mut tokens = input.into_iter().peekable();
    let (serde, object) = container_attrs(&mut tokens)?;
    let (ident, body) = item_head(
        &mut tokens,
        &mut TokenStream2::new(),
        "struct",
        &ItemErrors {
            not_keyword: "`#[derive(Object)]` is for structs",
            generics: "`#[derive(Object)]` structs take no generics",
            no_body: "`#[derive(Object)]` needs named fields",
        },
    )?;
    let mut fields = Vec::new();
    let mut inner = body.stream().into_iter().peekable();
    while inner.peek().is_some() {
        let serde = serde_attrs(&mut inner)?;
        let NamedField { ident, ty, .. } = named_field(&mut inner, &body)?;
        fields.push(RawField { serde, ident, ty });
    }
    Ok(Input {
        serde,
        object,
        fields,
        ident,
    })
}

/// The container's outer attributes: the items of `#[serde(...)]` and `#[object(...)]` ones
/// read, any other stepped over.
fn container_attrs(tokens: &mut Tokens) -> syn::Result<(Vec<Meta>, Vec<Meta>)> {
    let (mut serde, mut object) = (Vec::new(), Vec::new());
    let mut found = Ok(());
    take_attrs(tokens, &mut TokenStream2::new(), |attr| {
        let read = meta_list(attr, "serde")
            .map(|items| (&mut serde, items))
            .or_else(|| meta_list(attr, "object").map(|items| (&mut object, items)));
        match read {
            Some((list, Ok(items))) if found.is_ok() => list.extend(items),
            Some((_, Err(e))) if found.is_ok() => found = Err(e),
            _ => {}
        }
        true
    })?;
    found.map(|()| (serde, object))
}

/// A field's outer attributes: the items of `#[serde(...)]` ones read, any other stepped over.
fn serde_attrs(tokens: &mut Tokens) -> syn::Result<Vec<Meta>> {
    let mut serde = Vec::new();
    let mut found = Ok(());
    take_attrs(tokens, &mut TokenStream2::new(), |attr| {
        if found.is_ok() {
            match meta_list(attr, "serde") {
                Some(Ok(items)) => serde.extend(items),
                Some(Err(e)) => found = Err(e),
                None => {}
            }
        }
        true
    })?;
    found.map(|()| serde)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn expanded(input: TokenStream2) -> syn::Result<String> {
        expand(input).map(|t| t.to_string())
    }

    #[test]
    fn each_field_has_the_slot_its_absence_asks_for_its_place_and_how_it_is_written() {
        let code = expanded(quote! {
            #[serde(crate = "__serde")]
            pub struct Pet {
                #[serde(rename = "petName", alias = "name")]
                pub pet_name: String,
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub age: Option<i64>,
                #[serde(default = "Pet::default_kind")]
                pub kind: Option<Kind>,
                pub r#type: Option<String>,
            }
        })
        .unwrap_or_else(|e| panic!("refused: {e}"));
        assert_eq!(
            code,
            ":: vendor_clients :: __object_impls ! { Pet \"Pet\" [((\
             :: vendor_clients :: __object :: Required < String > , \
             :: vendor_clients :: __object :: Defaulted < Option < i64 > > , \
             :: vendor_clients :: __object :: Deferred < Option < Kind > > , \
             :: vendor_clients :: __object :: Required < Option < String > > ,) ,)] [(\"name\" 0)] ; [\
             pet_name \"petName\" [0 0] ; \
             age \"age\" [0 1] Unless (Option :: is_none) ; \
             kind \"kind\" [0 2] (Pet :: default_kind) ; \
             r#type \"type\" [0 3] ;] }"
        );
    }

    #[test]
    fn types_are_kept_as_written_and_other_attributes_are_skipped() {
        let code = expanded(quote! {
            /// A struct.
            #[derive(Debug)]
            pub(crate) struct S {
                /// Docs, and an attribute of another macro.
                #[other(x, y)]
                pub a: ::std::collections::HashMap<String, Vec<Vec<u8>>>,
                b: fn(i64, u8) -> Option<i64>,
                #[serde(rename = "C")]
                c: [u8; 4]
            }
        })
        .unwrap_or_else(|e| panic!("refused: {e}"));
        assert_eq!(
            code,
            ":: vendor_clients :: __object_impls ! { S \"S\" [((\
             :: vendor_clients :: __object :: Required < :: std :: collections :: HashMap < String , Vec < Vec < u8 >> > > , \
             :: vendor_clients :: __object :: Required < fn (i64 , u8) -> Option < i64 > > , \
             :: vendor_clients :: __object :: Required < [u8 ; 4] > ,) ,)] [] ; [\
             a \"a\" [0 0] ; b \"b\" [0 1] ; c \"C\" [0 2] ;] }"
        );
    }

    #[test]
    fn enums_tuple_structs_and_generics_are_refused() {
        let e = |input: TokenStream2| match expanded(input) {
            Ok(code) => panic!("expanded: {code}"),
            Err(e) => e.to_string(),
        };
        assert!(e(quote!(
            enum E {
                A,
            }
        ))
        .contains("is for structs"));
        assert!(e(quote!(
            struct T(i64);
        ))
        .contains("needs named fields"));
        assert!(e(quote!(
            struct U;
        ))
        .contains("needs named fields"));
        assert!(e(quote!(
            struct G<T> {
                t: T,
            }
        ))
        .contains("take no generics"));
        assert!(e(quote!(struct M { a: })).contains("expected the field's type"));
    }

    #[test]
    fn what_it_cannot_read_as_serde_would_is_refused() {
        let e = |input: TokenStream2| match expanded(input) {
            Ok(code) => panic!("expanded: {code}"),
            Err(e) => e.to_string(),
        };
        let flatten = e(quote!(
            struct S {
                #[serde(flatten)]
                rest: M,
            }
        ));
        assert!(flatten.contains("derive serde's traits"), "{flatten}");
        let container = e(quote!(
            #[serde(deny_unknown_fields)]
            struct S {}
        ));
        assert!(
            container.contains("no serde container option"),
            "{container}"
        );
        let twice = e(quote!(
            struct S {
                a: i64,
                #[serde(alias = "a")]
                b: i64,
            }
        ));
        assert!(twice.contains("the key `a` names two fields"), "{twice}");
        let bare = e(quote!(
            struct S {
                #[serde(rename)]
                a: i64,
            }
        ));
        assert!(bare.contains("expected `rename = \"...\"`"), "{bare}");
        let number = e(quote!(
            struct S {
                #[serde(skip_serializing_if = 1)]
                a: i64,
            }
        ));
        assert!(number.contains("expected a string literal"), "{number}");
        let valued = e(quote!(
            struct S {
                #[serde(skip_serializing = "x")]
                a: i64,
            }
        ));
        assert!(valued.contains("derive serde's traits"), "{valued}");
    }

    #[test]
    fn fields_go_in_chunks_of_sixteen_and_more_than_256_are_refused() {
        let struct_of = |n: usize| {
            let names = (0..n).map(|i| quote::format_ident!("f{i}"));
            quote!(struct W { #(#names: u8,)* })
        };
        let wide = expanded(struct_of(17)).unwrap_or_else(|e| panic!("refused: {e}"));
        // Two chunks: sixteen slots and one; the seventeenth field is the first of the second.
        assert_eq!(
            wide.matches(":: vendor_clients :: __object :: Required < u8 >")
                .count(),
            17
        );
        let slot = ":: vendor_clients :: __object :: Required < u8 > ,";
        let first = format!("({})", vec![slot; 16].join(" "));
        assert!(
            wide.contains(&format!("[({first} , ({slot}) ,)] [] ;")),
            "{wide}"
        );
        assert!(
            wide.contains("f15 \"f15\" [0 15] ;] [f16 \"f16\" [1 0] ;] }"),
            "{wide}"
        );
        assert!(expanded(struct_of(256)).is_ok());
        let e = expanded(struct_of(257)).unwrap_err().to_string();
        assert!(e.contains("takes at most 256 fields"), "{e}");
    }

    #[test]
    fn partial_eq_is_asked_for_and_lists_the_fields() {
        let code = expanded(quote! {
            #[object(partial_eq)]
            struct P {
                a: i64,
                r#type: String,
            }
        })
        .unwrap_or_else(|e| panic!("refused: {e}"));
        assert!(code.contains("[] partial_eq [a r#type] ;"), "{code}");
        let plain = expanded(quote!(
            struct P {
                a: i64,
            }
        ))
        .unwrap_or_else(|e| panic!("refused: {e}"));
        assert!(!plain.contains("partial_eq"), "{plain}");
        for attr in [quote!(#[object(eq)]), quote!(#[object(partial_eq = true)])] {
            let e = expanded(quote!(#attr struct P { a: i64 }))
                .unwrap_err()
                .to_string();
            assert!(e.contains("takes `partial_eq`"), "{e}");
        }
    }

    #[test]
    fn a_path_in_a_string_is_made_from_its_names_or_parsed() {
        let path_of = |text: &str| {
            path(&LitStr::new(text, Span::call_site())).map(|p| p.to_token_stream().to_string())
        };
        assert_eq!(
            path_of("Option::is_none").ok().as_deref(),
            Some("Option :: is_none")
        );
        assert_eq!(
            path_of("::vendor_clients::Nullable::is_absent")
                .ok()
                .as_deref(),
            Some(":: vendor_clients :: Nullable :: is_absent")
        );
        // Not plain: parsed.
        assert_eq!(
            path_of("Vec::<u8>::is_empty").ok().as_deref(),
            Some("Vec :: < u8 > :: is_empty")
        );
        for bad in ["", "a::", "9a", "a b", "_"] {
            assert!(path_of(bad).is_err(), "{bad}");
        }
    }
}
