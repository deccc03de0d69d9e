//! `#[derive(Object)]`: `Serialize` and `Deserialize` for a struct written as and read from a JSON
//! object, in one macro (the struct is parsed once). Reading goes through the runtime's generic
//! `vendor_clients::__object` (see `src/object.rs`): the struct's own code is a `match` of its keys,
//! one line per field to store a value, and one per field to finish. It reads the `#[serde(...)]`
//! field attributes the generator writes (`rename`, `alias`, `default`, `default = "path"`,
//! `skip_serializing`, `skip_serializing_if = "path"`) as serde's derive does and refuses any
//! other, so a struct it cannot handle the way serde would is an error, not a surprise.

use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, LitStr, Token};

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
    ty: syn::Type,
    wire: String,
    aliases: Vec<String>,
    absent: Absent,
    skip: Skip,
}

/// The `Serialize` and `Deserialize` impls.
pub(crate) fn expand(input: TokenStream2) -> syn::Result<TokenStream2> {
    let input: DeriveInput = syn::parse2(input)?;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "`#[derive(Object)]` structs take no generics",
        ));
    }
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                meta.value()?.parse::<LitStr>()?;
                Ok(())
            } else {
                Err(meta.error("`#[derive(Object)]` reads no serde container option but `crate`"))
            }
        })?;
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(Object)]` is for structs",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(Object)]` needs named fields",
        ));
    };
    let fields = named
        .named
        .iter()
        .map(field)
        .collect::<syn::Result<Vec<_>>>()?;

    let name = &input.ident;
    let name_text = name.unraw().to_string();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let mut seen: Vec<&str> = Vec::new();
    let mut stores = Vec::new();
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
        let slot = syn::Index::from(i);
        let wire = &f.wire;
        stores.push(
            quote!(#(#keys)|* => ::vendor_clients::__object::set(&mut slots.#slot, &mut map, #wire),),
        );
    }
    let finishes = fields.iter().enumerate().map(|(i, f)| {
        let slot = syn::Index::from(i);
        let ident = &f.ident;
        let wire = &f.wire;
        match &f.absent {
            Absent::Required => {
                // A `match`, not `?`: the `Try` and `From` machinery is what the type checker
                // spends most on in these bodies (serde's derive avoids `?` for the same reason).
                quote!(#ident: match ::vendor_clients::__object::required(slots.#slot, #wire) {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(e) => return ::core::result::Result::Err(e),
                },)
            }
            Absent::Default => {
                quote!(#ident: ::core::option::Option::unwrap_or_default(slots.#slot),)
            }
            Absent::Call(path) => quote!(#ident: match slots.#slot {
                ::core::option::Option::Some(value) => value,
                ::core::option::Option::None => #path(),
            },),
        }
    });
    // One `Option` per field, in a tuple typed here so that nothing is left to inference.
    let slots = (!fields.is_empty()).then(|| {
        let types = fields.iter().map(|f| {
            let t = &f.ty;
            quote!(::core::option::Option<#t>,)
        });
        let nones = fields.iter().map(|_| quote!(::core::option::Option::None,));
        quote!(let mut slots: (#(#types)*) = (#(#nones)*);)
    });
    let lens = fields.iter().map(|f| {
        let ident = &f.ident;
        match &f.skip {
            Skip::Never => quote!(+ 1),
            Skip::Always => TokenStream2::new(),
            Skip::If(path) => quote!(+ !#path(&self.#ident) as usize),
        }
    });
    let writes = fields.iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.wire;
        let write = match &f.skip {
            Skip::Never => {
                quote!(::vendor_clients::__object::write(&mut state, #wire, &self.#ident))
            }
            Skip::Always => quote!(::vendor_clients::__object::skip(&mut state, #wire)),
            Skip::If(path) => quote! {
                if #path(&self.#ident) {
                    ::vendor_clients::__object::skip(&mut state, #wire)
                } else {
                    ::vendor_clients::__object::write(&mut state, #wire, &self.#ident)
                }
            },
        };
        quote!(if let ::core::result::Result::Err(e) = #write {
            return ::core::result::Result::Err(e);
        })
    });
    let state = if fields.is_empty() {
        quote!(state)
    } else {
        quote!(mut state)
    };
    // Three impls of one method each, and no other item: each item is one more the compiler
    // tracks in every build of a generated client.
    Ok(quote! {
        impl<'de> ::vendor_clients::__object::Object<'de> for #name {
            fn visit<A: ::vendor_clients::serde::de::MapAccess<'de>>(mut map: A) -> ::core::result::Result<Self, A::Error> {
                #slots
                loop {
                    let key = match ::vendor_clients::__object::key(&mut map) {
                        ::core::result::Result::Ok(::core::option::Option::Some(key)) => key,
                        ::core::result::Result::Ok(::core::option::Option::None) => break,
                        ::core::result::Result::Err(e) => return ::core::result::Result::Err(e),
                    };
                    if let ::core::result::Result::Err(e) = match key.as_str() {
                        #(#stores)*
                        _ => ::vendor_clients::__object::skip_value(&mut map),
                    } {
                        return ::core::result::Result::Err(e);
                    }
                }
                ::core::result::Result::Ok(#name { #(#finishes)* })
            }
        }

        impl<'de> ::vendor_clients::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::vendor_clients::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                ::vendor_clients::__object::object(deserializer, #name_text, &[#(#wires),*])
            }
        }

        impl ::vendor_clients::serde::Serialize for #name {
            fn serialize<S: ::vendor_clients::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                let #state = match ::vendor_clients::__object::start(serializer, #name_text, 0 #(#lens)*) {
                    ::core::result::Result::Ok(state) => state,
                    ::core::result::Result::Err(e) => return ::core::result::Result::Err(e),
                };
                #(#writes)*
                ::vendor_clients::__object::end(state)
            }
        }
    })
}

/// A field with what its `#[serde(...)]` says.
fn field(f: &syn::Field) -> syn::Result<Field> {
    let ident = f
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new_spanned(f, "a named field"))?;
    let mut wire = ident.unraw().to_string();
    let mut aliases = Vec::new();
    let mut absent = Absent::Required;
    let mut skip = Skip::Never;
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
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
        ty: f.ty.clone(),
        wire,
        aliases,
        absent,
        skip,
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
        assert!(
            code.contains("match key . as_str () { \"petName\" | \"name\" => :: vendor_clients :: __object :: set (& mut slots . 0 , & mut map , \"petName\") , \"age\" => :: vendor_clients :: __object :: set (& mut slots . 1 , & mut map , \"age\") ,"),
            "{code}"
        );
        assert!(
            code.contains("\"type\" => :: vendor_clients :: __object :: set (& mut slots . 3 , & mut map , \"type\") , _ => :: vendor_clients :: __object :: skip_value (& mut map) , }"),
            "{code}"
        );
        assert!(
            code.contains(":: vendor_clients :: __object :: object (deserializer , \"Pet\" , & [\"petName\" , \"age\" , \"kind\" , \"type\"])"),
            "{code}"
        );
        assert!(
            code.contains(
                "pet_name : match :: vendor_clients :: __object :: required (slots . 0 , \"petName\") {"
            ),
            "{code}"
        );
        assert!(
            code.contains("age : :: core :: option :: Option :: unwrap_or_default (slots . 1)"),
            "{code}"
        );
        assert!(
            code.contains(":: core :: option :: Option :: None => Pet :: default_kind ()"),
            "{code}"
        );
        assert!(
            code.contains("if Option :: is_none (& self . age) { :: vendor_clients :: __object :: skip (& mut state , \"age\") } else { :: vendor_clients :: __object :: write (& mut state , \"age\" , & self . age) }"),
            "{code}"
        );
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
