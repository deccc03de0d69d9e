//! `#[derive(Object)]`: `Serialize` and `Deserialize` for a struct written as and read from a JSON
//! object, in one macro (the struct is parsed once). Reading goes through the runtime's generic
//! `vendor_clients::__object` (see `src/object.rs`): the struct's own code is a `match` of its keys,
//! one line per field to store a value, and one per field to finish. It reads the `#[serde(...)]`
//! field attributes the generator writes (`rename`, `alias`, `default`, `default = "path"`,
//! `skip_serializing`, `skip_serializing_if = "path"`) as serde's derive does and refuses any
//! other, so a struct it cannot handle the way serde would is an error, not a surprise.

use proc_macro2::TokenStream as TokenStream2;
use quote::{format_ident, quote};
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
    let slots = fields.iter().map(|f| {
        let t = &f.ty;
        quote!(::core::option::Option<#t>)
    });
    let nones = fields.iter().map(|_| quote!(::core::option::Option::None));
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let mut seen: Vec<&str> = Vec::new();
    let mut key_arms = Vec::new();
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
        key_arms.push(quote!(#(#keys)|* => ::core::option::Option::Some(#i),));
    }
    let last = fields.len().saturating_sub(1);
    let stores = fields.iter().enumerate().map(|(i, f)| {
        let slot = syn::Index::from(i);
        let wire = &f.wire;
        // The last arm takes `_`: the keys table only holds the fields' indices.
        if i == last {
            quote!(_ => ::vendor_clients::__object::set(&mut self.#slot, map, #wire),)
        } else {
            quote!(#i => ::vendor_clients::__object::set(&mut self.#slot, map, #wire),)
        }
    });
    let finishes = fields.iter().enumerate().map(|(i, f)| {
        let slot = syn::Index::from(i);
        let ident = &f.ident;
        let wire = &f.wire;
        match &f.absent {
            Absent::Required => {
                // A `match`, not `?`: the `Try` and `From` machinery is what the type checker
                // spends most on in these bodies (serde's derive avoids `?` for the same reason).
                quote!(#ident: match ::vendor_clients::__object::required(self.#slot, #wire) {
                    ::core::result::Result::Ok(value) => value,
                    ::core::result::Result::Err(e) => return ::core::result::Result::Err(e),
                },)
            }
            Absent::Default => {
                quote!(#ident: ::core::option::Option::unwrap_or_default(self.#slot),)
            }
            Absent::Call(path) => quote!(#ident: match self.#slot {
                ::core::option::Option::Some(value) => value,
                ::core::option::Option::None => #path(),
            },),
        }
    });
    let slots_ty = format_ident!("__{}Fields", name_text);
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
        match &f.skip {
            Skip::Never => {
                quote!(if let ::core::result::Result::Err(e) = state.serialize_field(#wire, &self.#ident) {
                    return ::core::result::Result::Err(e);
                })
            }
            Skip::Always => {
                quote!(if let ::core::result::Result::Err(e) = state.skip_field(#wire) {
                    return ::core::result::Result::Err(e);
                })
            }
            Skip::If(path) => quote! {
                if let ::core::result::Result::Err(e) = if #path(&self.#ident) {
                    state.skip_field(#wire)
                } else {
                    state.serialize_field(#wire, &self.#ident)
                } {
                    return ::core::result::Result::Err(e);
                }
            },
        }
    });
    let field_fn = if fields.is_empty() {
        quote! {
            fn field<A: ::vendor_clients::serde::de::MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> ::core::result::Result<(), A::Error> {
                map.next_value::<::vendor_clients::serde::de::IgnoredAny>().map(|_| ())
            }
        }
    } else {
        quote! {
            fn field<A: ::vendor_clients::serde::de::MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> ::core::result::Result<(), A::Error> {
                match index {
                    #(#stores)*
                }
            }
        }
    };
    Ok(quote! {
        const _: () = {
            struct #slots_ty(#(#slots),*);

            impl<'de> ::vendor_clients::__object::Fields<'de> for #slots_ty {
                type Out = #name;
                const NAME: &'static str = #name_text;
                const FIELDS: &'static [&'static str] = &[#(#wires),*];

                fn index(key: &str) -> ::core::option::Option<usize> {
                    match key {
                        #(#key_arms)*
                        _ => ::core::option::Option::None,
                    }
                }

                fn empty() -> Self {
                    #slots_ty(#(#nones),*)
                }

                #field_fn

                fn finish<E: ::vendor_clients::serde::de::Error>(self) -> ::core::result::Result<#name, E> {
                    ::core::result::Result::Ok(#name { #(#finishes)* })
                }
            }

            impl<'de> ::vendor_clients::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::vendor_clients::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    ::vendor_clients::__object::object::<#slots_ty, D>(deserializer)
                }
            }

            impl ::vendor_clients::serde::Serialize for #name {
                fn serialize<S: ::vendor_clients::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                    use ::vendor_clients::serde::ser::SerializeStruct as _;
                    let mut state = match serializer.serialize_struct(#name_text, 0 #(#lens)*) {
                        ::core::result::Result::Ok(state) => state,
                        ::core::result::Result::Err(e) => return ::core::result::Result::Err(e),
                    };
                    #(#writes)*
                    state.end()
                }
            }
        };
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
            code.contains("match key { \"petName\" | \"name\" => :: core :: option :: Option :: Some (0usize) , \"age\" => :: core :: option :: Option :: Some (1usize) , \"kind\" => :: core :: option :: Option :: Some (2usize) , \"type\" => :: core :: option :: Option :: Some (3usize) , _ => :: core :: option :: Option :: None , }"),
            "{code}"
        );
        assert!(
            code.contains("const FIELDS : & 'static [& 'static str] = & [\"petName\" , \"age\" , \"kind\" , \"type\"] ;"),
            "{code}"
        );
        assert!(
            code.contains(
                "pet_name : match :: vendor_clients :: __object :: required (self . 0 , \"petName\") {"
            ),
            "{code}"
        );
        assert!(
            code.contains("age : :: core :: option :: Option :: unwrap_or_default (self . 1)"),
            "{code}"
        );
        assert!(
            code.contains(":: core :: option :: Option :: None => Pet :: default_kind ()"),
            "{code}"
        );
        assert!(
            code.contains(
                "_ => :: vendor_clients :: __object :: set (& mut self . 3 , map , \"type\")"
            ),
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
