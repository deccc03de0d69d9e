//! `#[derive(Object)]`: `Serialize` and `Deserialize` for a struct written as and read from a JSON
//! object, in one macro (the struct is parsed once). Reading goes through the runtime's generic
//! `vendor_clients::__object` (see `src/object.rs`): the struct's own code is a `match` of its keys,
//! one line per field to store a value, and one per field to finish. It reads the `#[serde(...)]`
//! field attributes the generator writes (`rename`, `alias`, `default`, `default = "path"`,
//! `skip_serializing`, `skip_serializing_if = "path"`) as serde's derive does and refuses any
//! other, so a struct it cannot handle the way serde would is an error, not a surprise.

use proc_macro2::{Spacing, TokenStream as TokenStream2, TokenTree};
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{braced, token, Attribute, Ident, LitStr, Token, Visibility};

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
    ty: TokenStream2,
    wire: String,
    aliases: Vec<String>,
    absent: Absent,
    skip: Skip,
}

/// The `Serialize` and `Deserialize` impls.
pub(crate) fn expand(input: TokenStream2) -> syn::Result<TokenStream2> {
    let input: Input = syn::parse2(input)?;
    for attr in &input.serde {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                meta.value()?.parse::<LitStr>()?;
                Ok(())
            } else {
                Err(meta.error("`#[derive(Object)]` reads no serde container option but `crate`"))
            }
        })?;
    }
    let fields = input
        .fields
        .into_iter()
        .map(field)
        .collect::<syn::Result<Vec<_>>>()?;

    let name = &input.ident;
    let name_text = name.unraw().to_string();
    let mut seen: Vec<&str> = Vec::new();
    let mut rows = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let keys: Vec<&str> = std::iter::once(f.wire.as_str())
            .chain(f.aliases.iter().map(String::as_str))
            .collect();
        for key in &keys {
            if seen.contains(key) {
                return Err(syn::Error::new_spanned(
                    &f.ident,
                    format!("the key `{key}` names two fields"),
                ));
            }
            seen.push(key);
        }
        let ident = &f.ident;
        let wire = &f.wire;
        let slot = syn::Index::from(i);
        let ty = &f.ty;
        let absent = match &f.absent {
            Absent::Required => quote!(or_missing),
            Absent::Default => quote!(or_default),
            Absent::Call(path) => quote!(or_call(#path)),
        };
        let written = match &f.skip {
            Skip::Never => quote!(always),
            Skip::Always => quote!(never),
            Skip::If(path) => quote!(unless(#path)),
        };
        rows.push(quote!(#ident #wire [#(#keys)*] #slot (#ty) #absent #written;));
    }
    // The impls themselves are the runtime's `__object_impls!`: see there.
    Ok(quote! {
        ::vendor_clients::__object_impls! { #name #name_text; #(#rows)* }
    })
}

/// A field with what its `#[serde(...)]` says.
fn field(f: RawField) -> syn::Result<Field> {
    let ident = f.ident;
    let mut wire = ident.unraw().to_string();
    let mut aliases = Vec::new();
    let mut absent = Absent::Required;
    let mut skip = Skip::Never;
    for attr in &f.serde {
        attr.parse_nested_meta(|meta| {
            let text = || -> syn::Result<LitStr> { meta.value()?.parse() };
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "rename" => wire = text()?.value(),
                "alias" => aliases.push(text()?.value()),
                "default" if meta.input.peek(Token![=]) => absent = Absent::Call(text()?.parse()?),
                "default" => absent = Absent::Default,
                "skip_serializing_if" => skip = Skip::If(text()?.parse()?),
                "skip_serializing" => skip = Skip::Always,
                _ => {
                    return Err(meta.error(
                        "`#[derive(Object)]` reads `rename`, `alias`, `default` and \
                         `skip_serializing(_if)`; derive serde's traits for anything else",
                    ))
                }
            }
            Ok(())
        })?;
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

/// The derive's input, read for what the derive uses. The struct's doc lines, the fields' docs
/// and their types are kept as tokens, not parsed into syntax trees: the derive only writes the
/// types back, and a generated struct has a doc line per field; reading them was most of the
/// derive's time in a dev build, where proc macros run unoptimised.
struct Input {
    /// The container's `#[serde(...)]` attributes.
    serde: Vec<Attribute>,
    fields: Vec<RawField>,
    ident: Ident,
}

/// A named field: its `#[serde(...)]` attributes, its name and its type's tokens.
struct RawField {
    serde: Vec<Attribute>,
    ident: Ident,
    ty: TokenStream2,
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let serde = serde_attrs(input)?;
        input.parse::<Visibility>()?;
        let lookahead = input.lookahead1();
        if lookahead.peek(Token![enum]) || lookahead.peek(Token![union]) {
            let keyword: TokenTree = input.parse()?;
            return Err(syn::Error::new_spanned(
                keyword,
                "`#[derive(Object)]` is for structs",
            ));
        }
        if !lookahead.peek(Token![struct]) {
            return Err(lookahead.error());
        }
        input.parse::<Token![struct]>()?;
        let ident: Ident = input.parse()?;
        if input.peek(Token![<]) {
            let generics: syn::Generics = input.parse()?;
            return Err(syn::Error::new_spanned(
                generics,
                "`#[derive(Object)]` structs take no generics",
            ));
        }
        if !input.peek(token::Brace) {
            return Err(syn::Error::new(
                ident.span(),
                "`#[derive(Object)]` needs named fields",
            ));
        }
        let content;
        braced!(content in input);
        let mut fields = Vec::new();
        while !content.is_empty() {
            let serde = serde_attrs(&content)?;
            content.parse::<Visibility>()?;
            let ident = Ident::parse_any(&content)?;
            content.parse::<Token![:]>()?;
            let ty = type_tokens(&content)?;
            if ty.is_empty() {
                return Err(content.error("expected the field's type"));
            }
            fields.push(RawField { serde, ident, ty });
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        Ok(Input {
            serde,
            fields,
            ident,
        })
    }
}

/// The outer attributes: `#[serde(...)]` ones parsed, any other skipped as it is.
fn serde_attrs(input: ParseStream) -> syn::Result<Vec<Attribute>> {
    let mut serde = Vec::new();
    for attr in crate::tokens::outer_attrs(input)? {
        if crate::tokens::is_attr(&attr, "serde") {
            let [pound, group] = attr;
            serde.extend(Attribute::parse_outer.parse2(quote!(#pound #group))?);
        }
    }
    Ok(serde)
}

/// A field's type: the tokens up to the next `,` outside angle brackets (`->` is not one).
fn type_tokens(input: ParseStream) -> syn::Result<TokenStream2> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream2::new();
        let mut depth = 0usize;
        let mut after_dash = false;
        while let Some((tt, next)) = rest.token_tree() {
            if let TokenTree::Punct(p) = &tt {
                match p.as_char() {
                    ',' if depth == 0 => break,
                    '<' => depth += 1,
                    '>' if !after_dash => depth = depth.saturating_sub(1),
                    _ => {}
                }
                after_dash = p.as_char() == '-' && p.spacing() == Spacing::Joint;
            } else {
                after_dash = false;
            }
            tokens.extend([tt]);
            rest = next;
        }
        Ok((tokens, rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(input: TokenStream2) -> syn::Result<String> {
        expand(input).map(|t| t.to_string())
    }

    #[test]
    fn keys_and_aliases_name_their_field_and_each_field_is_stored_and_finished_as_it_says() {
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
            ":: vendor_clients :: __object_impls ! { Pet \"Pet\" ; \
             pet_name \"petName\" [\"petName\" \"name\"] 0 (String) or_missing always ; \
             age \"age\" [\"age\"] 1 (Option < i64 >) or_default unless (Option :: is_none) ; \
             kind \"kind\" [\"kind\"] 2 (Option < Kind >) or_call (Pet :: default_kind) always ; \
             r#type \"type\" [\"type\"] 3 (Option < String >) or_missing always ; }"
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
            ":: vendor_clients :: __object_impls ! { S \"S\" ; \
             a \"a\" [\"a\"] 0 (:: std :: collections :: HashMap < String , Vec < Vec < u8 >> >) or_missing always ; \
             b \"b\" [\"b\"] 1 (fn (i64 , u8) -> Option < i64 >) or_missing always ; \
             c \"C\" [\"C\"] 2 ([u8 ; 4]) or_missing always ; }"
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
    }
}
