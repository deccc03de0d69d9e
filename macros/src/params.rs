//! `#[params]`: turns a struct of an operation's query, header and cookie parameters, each field
//! marked with where it goes, into the struct with its builder (`new` taking the required ones, a
//! setter per optional one, `Default` when nothing is required) and its `vendor_clients::Params`
//! impl. The generator writes the struct; this writes what every such struct has, so that a
//! generated client is shorter to read and to review.

use proc_macro2::TokenStream as TokenStream2;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{
    Attribute, Expr, ExprLit, Field, GenericArgument, Ident, ItemStruct, Lit, LitStr, Meta,
    PathArguments, Token, Type,
};

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
    ty: Type,
    place: Place,
    required: bool,
    doc: String,
}

/// The struct with its builder and `Params` impl.
pub(crate) fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let args: Args = syn::parse2(attr)?;
    let mut item: ItemStruct = syn::parse2(item)?;
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &item.generics,
            "`#[params]` structs take no generics",
        ));
    }
    let syn::Fields::Named(fields) = &mut item.fields else {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "`#[params]` needs a struct with named fields",
        ));
    };
    let members = fields
        .named
        .iter_mut()
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
            (true, Some(_)) => quote!(#n: ::core::convert::Into::into(#n),),
            (true, None) => quote!(#n,),
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
    Ok(quote! {
        #item

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
    let Ok(mut item) = syn::parse2::<ItemStruct>(item) else {
        return TokenStream2::new();
    };
    for field in item.fields.iter_mut() {
        field.attrs.retain(|a| !a.path().is_ident("param"));
    }
    quote!(#item)
}

/// Reads and removes the field's `#[param(...)]`.
fn member(field: &mut Field) -> syn::Result<Member> {
    let ident = field
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new_spanned(&*field, "a named field"))?;
    let at = field.attrs.iter().position(|a| a.path().is_ident("param"));
    let Some(at) = at else {
        return Err(syn::Error::new_spanned(
            &ident,
            "each field of a `#[params]` struct says where it goes: `#[param(query = \"wire\")]`, \
             `header = \"...\"`, `cookie = \"...\"` or `group`",
        ));
    };
    let attr = field.attrs.remove(at);
    let (place, required) = place(&attr)?;
    Ok(Member {
        ty: field.ty.clone(),
        doc: doc_of(&field.attrs),
        ident,
        place,
        required,
    })
}

/// `query = "w"` (with `style = Variant` or `json`), `header = "w"` (with `json`),
/// `cookie = "w"` or `group`; and `required`.
fn place(attr: &Attribute) -> syn::Result<(Place, bool)> {
    let mut wire: Option<(String, LitStr)> = None;
    let mut style: Option<Ident> = None;
    let mut json: Option<proc_macro2::Span> = None;
    let mut group = false;
    let mut required = false;
    attr.parse_nested_meta(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "query" | "header" | "cookie" => {
                let name: LitStr = meta.value()?.parse()?;
                if wire.is_some() {
                    return Err(meta.error("one place per parameter"));
                }
                wire = Some((key, name));
            }
            "style" => style = Some(meta.value()?.parse()?),
            "json" => json = Some(meta.path.span()),
            "group" => group = true,
            "required" => required = true,
            _ => {
                return Err(meta.error(
                    "expected `query = \"...\"`, `header = \"...\"`, `cookie = \"...\"`, `group`, \
                     `style = Variant`, `json` or `required`",
                ))
            }
        }
        Ok(())
    })?;
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

/// The field's documentation as one line (the `#[doc]` lines joined).
fn doc_of(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `T` of `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// `String` and `Secret` are taken as `impl Into<...>`: the type to convert into.
fn into_target(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let plain = matches!(last.arguments, PathArguments::None);
    (plain && (last.ident == "String" || last.ident == "Secret")).then_some(ty)
}

/// The argument type taking a value of `ty`.
fn arg_ty(ty: &Type) -> TokenStream2 {
    match into_target(ty) {
        Some(t) => quote!(impl ::core::convert::Into<#t>),
        None => quote!(#ty),
    }
}

/// The builder-style setter of an optional member.
fn setter(m: &Member) -> syn::Result<TokenStream2> {
    let inner = option_inner(&m.ty).ok_or_else(|| {
        syn::Error::new_spanned(
            &m.ty,
            "an optional parameter's field is `Option<T>` (or mark it `required`)",
        )
    })?;
    let n = &m.ident;
    let t = arg_ty(inner);
    let store = match into_target(inner) {
        Some(_) => quote!(::core::convert::Into::into(value)),
        None => quote!(value),
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
        let e = refused(
            quote!(op = "x"),
            quote!(
                struct P {}
            ),
        );
        assert!(e.contains("expected `operation"), "{e}");
    }
}
