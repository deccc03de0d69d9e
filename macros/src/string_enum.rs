//! `#[string_enum]`: turns an enum of unit variants, each with its wire value (`#[wire("...")]`),
//! and one catch-all `Unknown(String)` variant into the enum with `as_str`, `Display`,
//! `vendor_clients::ToParam`, `Serialize` (the wire value) and `Deserialize` (a known value to its
//! variant, any other string kept in the catch-all). What serde's derive would write for the
//! same enum (a buffered, untagged catch-all) is several times the code for the compiler, for
//! every enum of a generated client.

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream as TokenStream2, TokenTree};
use quote::quote;
use syn::LitStr;

use crate::tokens::{item_head, take_attrs, type_tokens, ItemErrors};

/// The enum as read: the enum to write back (without the `#[wire]`s), its known variants with
/// their wire values, and the catch-all.
///
/// It is read token by token rather than parsed into syntax trees, as `#[params]` reads its
/// struct: the macro only needs the variants' names and wire values, and proc macros run
/// unoptimised in a dev build.
struct Enum {
    kept: TokenStream2,
    ident: Ident,
    known: Vec<(Ident, LitStr)>,
    unknown: Ident,
}

fn read_enum(item: TokenStream2) -> syn::Result<Enum> {
    let mut tokens = item.into_iter().peekable();
    let mut kept = TokenStream2::new();
    take_attrs(&mut tokens, &mut kept, |_| false)?;
    let (ident, body) = item_head(
        &mut tokens,
        &mut kept,
        "enum",
        &ItemErrors {
            not_keyword: "`#[string_enum]` is for enums",
            generics: "`#[string_enum]` enums take no generics",
            no_body: "expected the enum's variants in `{ ... }`",
        },
    )?;
    let mut known: Vec<(Ident, LitStr)> = Vec::new();
    let mut unknown: Option<Ident> = None;
    let mut kept_variants = TokenStream2::new();
    let mut inner = body.stream().into_iter().peekable();
    while inner.peek().is_some() {
        let mut wire: Option<syn::Result<LitStr>> = None;
        take_attrs(&mut inner, &mut kept_variants, |[_, group]| {
            let TokenTree::Group(g) = group else {
                return false;
            };
            let mut parts = g.stream().into_iter();
            if !matches!(parts.next(), Some(TokenTree::Ident(i)) if i == "wire") {
                return false;
            }
            wire = Some(wire_value(g, parts.next()));
            true
        })?;
        let variant = match inner.next() {
            Some(TokenTree::Ident(i)) => i,
            other => {
                return Err(syn::Error::new(
                    other.map_or_else(|| body.span(), |t| t.span()),
                    "expected a variant",
                ))
            }
        };
        kept_variants.extend([TokenTree::Ident(variant.clone())]);
        let fields = match inner.peek() {
            Some(TokenTree::Group(g)) => {
                let fields = g.clone();
                kept_variants.extend(inner.next());
                Some(fields)
            }
            _ => None,
        };
        match inner.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {
                kept_variants.extend([TokenTree::Punct(p)]);
            }
            None => {}
            Some(other) => return Err(unexpected(other.span())),
        }
        // `(Type)` or `(Type,)`.
        let one_field = |g: &Group| {
            let mut fields = g.stream().into_iter().peekable();
            g.delimiter() == Delimiter::Parenthesis
                && !type_tokens(&mut fields).is_empty()
                && matches!(fields.next(), None | Some(TokenTree::Punct(_)))
                && fields.next().is_none()
        };
        match (&fields, wire) {
            (None, Some(wire)) => {
                let wire = wire?;
                if let Some((other, _)) = known.iter().find(|(_, w)| w.value() == wire.value()) {
                    return Err(syn::Error::new_spanned(
                        &wire,
                        format!("`{}` is already the wire value of `{other}`", wire.value()),
                    ));
                }
                known.push((variant, wire));
            }
            (Some(g), None) if one_field(g) && unknown.is_none() => unknown = Some(variant),
            _ => return Err(unexpected(variant.span())),
        }
    }
    let Some(unknown) = unknown else {
        return Err(syn::Error::new_spanned(
            &ident,
            "a `#[string_enum]` needs a catch-all variant `Unknown(String)` for values it does not know",
        ));
    };
    let mut group = Group::new(Delimiter::Brace, kept_variants);
    group.set_span(body.span());
    kept.extend([TokenTree::Group(group)]);
    kept.extend(tokens);
    Ok(Enum {
        kept,
        ident,
        known,
        unknown,
    })
}

/// The value of `#[wire("value")]`: `args` is what follows `wire` in the attribute.
fn wire_value(attr: &Group, args: Option<TokenTree>) -> syn::Result<LitStr> {
    let expected = |span: Span| syn::Error::new(span, "expected `#[wire(\"value\")]`");
    let Some(TokenTree::Group(args)) = args else {
        return Err(expected(attr.span()));
    };
    let mut inside = args.stream().into_iter();
    match (inside.next(), inside.next()) {
        (Some(TokenTree::Literal(lit)), None) => match syn::Lit::new(lit) {
            syn::Lit::Str(s) => Ok(s),
            other => Err(expected(other.span())),
        },
        _ => Err(expected(args.span())),
    }
}

/// A variant that is neither known nor the catch-all.
fn unexpected(span: Span) -> syn::Error {
    syn::Error::new(
        span,
        "a `#[string_enum]` variant is a unit variant with `#[wire(\"value\")]`, \
         or the one catch-all `Unknown(String)`",
    )
}

/// The enum with its impls.
pub(crate) fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    if !attr.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "`#[string_enum]` takes no options",
        ));
    }
    let Enum {
        kept: item,
        ident,
        known,
        unknown,
    } = read_enum(item)?;
    let name = &ident;
    let to_wire = known.iter().map(|(i, w)| quote!(Self::#i => #w,));
    let from_wire = known.iter().map(|(i, w)| quote!(#w => Self::#i,));
    Ok(quote! {
        #item

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::vendor_clients::ToParam for #name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }

        impl ::vendor_clients::serde::Serialize for #name {
            fn serialize<S: ::vendor_clients::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::vendor_clients::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::vendor_clients::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                ::vendor_clients::__wire::string(deserializer).map(|value| match &*value {
                    #(#from_wire)*
                    _ => Self::#unknown(value.into_owned()),
                })
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(item: TokenStream2) -> syn::Result<String> {
        expand(TokenStream2::new(), item).map(|t| t.to_string())
    }

    #[test]
    fn wire_values_map_both_ways_and_the_catch_all_keeps_the_rest() {
        let code = expanded(quote! {
            pub enum Color {
                /// `red`
                #[wire("red")]
                Red,
                #[wire("dark-blue")]
                DarkBlue,
                Unknown(String),
            }
        })
        .unwrap_or_else(|e| panic!("refused: {e}"));
        assert!(!code.contains("# [wire"), "{code}");
        assert!(code.contains("# [doc = r\" `red`\"] Red ,"), "{code}");
        assert!(
            code.contains("Self :: DarkBlue => \"dark-blue\" ,"),
            "{code}"
        );
        assert!(
            code.contains("Self :: Unknown (value) => value ,"),
            "{code}"
        );
        assert!(
            code.contains("\"dark-blue\" => Self :: DarkBlue ,"),
            "{code}"
        );
        assert!(
            code.contains("_ => Self :: Unknown (value . into_owned ()) ,"),
            "{code}"
        );
        assert!(
            code.contains("serializer . serialize_str (self . as_str ())"),
            "{code}"
        );
    }

    #[test]
    fn an_enum_without_catch_all_or_with_a_bare_variant_or_a_repeated_value_is_refused() {
        let e = |item: TokenStream2| match expanded(item) {
            Ok(code) => panic!("expanded: {code}"),
            Err(e) => e.to_string(),
        };
        let no_unknown = e(quote!(
            enum E {
                #[wire("a")]
                A,
            }
        ));
        assert!(no_unknown.contains("needs a catch-all"), "{no_unknown}");
        let bare = e(quote!(
            enum E {
                A,
                Unknown(String),
            }
        ));
        assert!(bare.contains("is a unit variant with"), "{bare}");
        let twice = e(quote!(
            enum E {
                #[wire("a")]
                A,
                #[wire("a")]
                B,
                Unknown(String),
            }
        ));
        assert!(twice.contains("already the wire value of `A`"), "{twice}");
    }

    #[test]
    fn the_enum_is_written_back_as_it_came_without_its_wire_values() {
        let code = expanded(quote! {
            /// Colours.
            #[derive(Debug)]
            pub(crate) enum Color {
                #[wire("red")]
                #[allow(dead_code)]
                Red,
                Unknown(::std::string::String,)
            }
        })
        .unwrap_or_else(|e| panic!("refused: {e}"));
        assert!(
            code.starts_with("# [doc = r\" Colours.\"] # [derive (Debug)] pub (crate) enum Color { # [allow (dead_code)] Red , Unknown (:: std :: string :: String ,) } impl Color"),
            "{code}"
        );
    }

    #[test]
    fn what_is_not_an_enum_of_wire_values_is_refused_where_it_is() {
        for (item, message) in [
            (
                quote!(
                    struct S;
                ),
                "is for enums",
            ),
            (
                quote!(
                    enum E<T> {
                        A(T),
                    }
                ),
                "take no generics",
            ),
            (
                quote!(
                    enum E {
                        #[wire(1)]
                        A,
                        Unknown(String),
                    }
                ),
                "expected `#[wire(\"value\")]`",
            ),
            (
                quote!(
                    enum E {
                        #[wire]
                        A,
                        Unknown(String),
                    }
                ),
                "expected `#[wire(\"value\")]`",
            ),
            (
                quote!(
                    enum E {
                        #[wire("a")]
                        A(u8),
                        Unknown(String),
                    }
                ),
                "is a unit variant",
            ),
            (
                quote!(
                    enum E {
                        Unknown(String),
                        Other(String),
                    }
                ),
                "is a unit variant",
            ),
            (
                quote!(
                    enum E {
                        Unknown(String, u8),
                    }
                ),
                "is a unit variant",
            ),
            (
                quote!(
                    enum E {
                        #[wire("a")]
                        A = 1,
                        Unknown(String),
                    }
                ),
                "is a unit variant",
            ),
        ] {
            let e = match expanded(item) {
                Ok(code) => panic!("expanded: {code}"),
                Err(e) => e.to_string(),
            };
            assert!(e.contains(message), "{message}: {e}");
        }
    }
}
