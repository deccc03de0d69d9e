//! The annotated item: turns `attrs vis async fn name(&self, a: A, ...) -> R;` (a method
//! declared without a body) into an [`EndpointFn`] and the list of its named parameters.

use proc_macro2::{Span, TokenStream as TokenStream2, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{braced, token, FnArg, Ident, Pat, Signature, Token, Visibility};

/// `attrs vis sig ;` — an associated fn without a body.
pub(crate) struct EndpointFn {
    /// The outer attributes as written (`#` and its bracketed group each): they are only written
    /// back, so they are kept as tokens rather than parsed (a generated method has several doc
    /// lines, and reading and rewriting them was a measurable share of expanding it).
    pub(crate) attrs: Vec<TokenTree>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
}

impl Parse for EndpointFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = crate::tokens::outer_attrs(input)?
            .into_iter()
            .flatten()
            .collect();
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
        } else if input.peek(token::Brace) {
            let content;
            let brace = braced!(content in input);
            let _: TokenStream2 = content.parse()?;
            return Err(syn::Error::new(
                brace.span.join(),
                "an `#[endpoint]` method is declared without a body: replace the `{ ... }` with `;` (the macro writes the body)",
            ));
        } else {
            return Err(input.error("expected `;` after the `#[endpoint]` method signature"));
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the `#[endpoint]` method"));
        }
        Ok(Self { attrs, vis, sig })
    }
}

/// A function parameter after `&self`: its name and where it is declared.
#[derive(Debug)]
pub(crate) struct FnParam {
    pub(crate) ident: Ident,
    /// The whole `name: Type`, where "not sent anywhere" points.
    pub(crate) span: Span,
}

/// The parameters after `&self`, once the signature is known to be an `async` method of
/// `&self` whose parameters are plain names.
pub(crate) fn fn_params(sig: &Signature) -> syn::Result<Vec<FnParam>> {
    if sig.asyncness.is_none() {
        return Err(syn::Error::new(
            sig.fn_token.span,
            "an `#[endpoint]` method must be `async`: write `async fn`",
        ));
    }
    let mut inputs = sig.inputs.iter();
    match inputs.next() {
        Some(FnArg::Receiver(r))
            if matches!(r.kind, syn::ReceiverKind::Reference(_, _, None))
                && r.mutability.is_none() => {}
        Some(other) => {
            return Err(syn::Error::new(
                other.span(),
                "the first parameter of an `#[endpoint]` method must be `&self`",
            ))
        }
        None => {
            return Err(syn::Error::new(
                sig.ident.span(),
                "an `#[endpoint]` method needs `&self` as its first parameter",
            ))
        }
    }
    let mut params = Vec::new();
    for input in inputs {
        let FnArg::Typed(typed) = input else {
            return Err(syn::Error::new(input.span(), "unexpected receiver"));
        };
        match &*typed.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => params.push(FnParam {
                ident: p.ident.clone(),
                span: typed.span(),
            }),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "`#[endpoint]` parameters must be plain names (`name: Type`), since names connect them to the path, query, headers and body",
                ))
            }
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> syn::Result<EndpointFn> {
        syn::parse_str(text)
    }

    fn params_of(text: &str) -> syn::Result<Vec<FnParam>> {
        let f = item(text)?;
        fn_params(&f.sig)
    }

    fn error(result: syn::Result<impl std::fmt::Debug>) -> String {
        match result {
            Ok(v) => panic!("accepted: {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn keeps_attributes_visibility_and_signature_of_a_bodyless_method() {
        let f =
            item("/// Doc.\n#[deprecated]\npub async fn get(&self, id: &str) -> Result<(), E>;")
                .expect("valid item");
        // `#` and the bracketed group, per attribute, as written.
        let attrs: Vec<String> = f.attrs.iter().map(ToString::to_string).collect();
        assert_eq!(attrs, ["#", "[doc = \" Doc.\"]", "#", "[deprecated]"]);
        assert!(matches!(f.vis, Visibility::Public(_)));
        assert_eq!(f.sig.ident, "get");
    }

    #[test]
    fn refuses_a_body_and_a_missing_semicolon() {
        let with_body =
            error(item("async fn get(&self) -> R { Self::written_by_hand() }").map(|f| f.sig));
        assert!(with_body.contains("declared without a body"));
        let open = error(item("async fn get(&self) -> R").map(|f| f.sig));
        assert!(open.contains("expected `;` after the `#[endpoint]` method signature"));
        let extra = error(item("async fn get(&self) -> R; fn x();").map(|f| f.sig));
        assert!(extra.contains("unexpected tokens after the `#[endpoint]` method"));
    }

    #[test]
    fn lists_the_parameters_after_self_by_name() {
        let params =
            params_of("async fn get(&self, id: &str, r#type: u8) -> R;").expect("valid signature");
        let names: Vec<String> = params.iter().map(|p| p.ident.to_string()).collect();
        assert_eq!(names, ["id", "r#type"]);
    }

    #[test]
    fn refuses_signatures_other_than_async_methods_of_ref_self_with_plain_names() {
        assert!(error(params_of("fn get(&self) -> R;")).contains("must be `async`"));
        for receiver in ["self", "&mut self", "self: &Self", "id: u8"] {
            let text = format!("async fn get({receiver}) -> R;");
            assert!(
                error(params_of(&text)).contains("must be `&self`"),
                "{text}"
            );
        }
        assert!(error(params_of("async fn get() -> R;")).contains("needs `&self`"));
        let pattern = error(params_of("async fn get(&self, (a, b): (u8, u8)) -> R;"));
        assert!(pattern.contains("parameters must be plain names"));
        let by_ref = error(params_of("async fn get(&self, ref a: u8) -> R;"));
        assert!(by_ref.contains("parameters must be plain names"));
    }
}
