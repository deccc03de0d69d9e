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
