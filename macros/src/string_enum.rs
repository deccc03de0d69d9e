//! `#[string_enum]`: turns an enum of unit variants, each with its wire value (`#[wire("...")]`),
//! and one catch-all `Unknown(String)` variant into the enum with `as_str`, `Display`,
//! `vendor_clients::ToParam`, `Serialize` (the wire value) and `Deserialize` (a known value to its
//! variant, any other string kept in the catch-all). What serde's derive would write for the
//! same enum (a buffered, untagged catch-all) is several times the code for the compiler, for
//! every enum of a generated client.

use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::{Fields, Ident, ItemEnum, LitStr};

/// The enum with its impls.
pub(crate) fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    if !attr.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "`#[string_enum]` takes no options",
        ));
    }
    let mut item: ItemEnum = syn::parse2(item)?;
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &item.generics,
            "`#[string_enum]` enums take no generics",
        ));
    }
    let mut known: Vec<(Ident, LitStr)> = Vec::new();
    let mut unknown: Option<Ident> = None;
    for variant in item.variants.iter_mut() {
        let at = variant.attrs.iter().position(|a| a.path().is_ident("wire"));
        match (&variant.fields, at) {
            (Fields::Unit, Some(at)) => {
                let attr = variant.attrs.remove(at);
                let wire: LitStr = attr.parse_args()?;
                if let Some((other, _)) = known.iter().find(|(_, w)| w.value() == wire.value()) {
                    return Err(syn::Error::new_spanned(
                        &wire,
                        format!("`{}` is already the wire value of `{other}`", wire.value()),
                    ));
                }
                known.push((variant.ident.clone(), wire));
            }
            (Fields::Unnamed(f), None) if f.unnamed.len() == 1 && unknown.is_none() => {
                unknown = Some(variant.ident.clone());
            }
            _ => {
                return Err(syn::Error::new_spanned(
                    &variant.ident,
                    "a `#[string_enum]` variant is a unit variant with `#[wire(\"value\")]`, \
                     or the one catch-all `Unknown(String)`",
                ))
            }
        }
    }
    let Some(unknown) = unknown else {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "a `#[string_enum]` needs a catch-all variant `Unknown(String)` for values it does not know",
        ));
    };
    let name = &item.ident;
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
}
