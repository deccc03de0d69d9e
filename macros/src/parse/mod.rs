//! Parse: turns the attribute's tokens and the annotated method into a [`Parsed`] endpoint
//! (its [`Args`], its named parameters and its path template's pieces). Only syntax is
//! refused here, and the shape of the method (`async`, `&self`, plain parameter names);
//! whether the pieces fit together is for `check`.

mod args;
mod arm;
mod item;
mod options;
mod template;

use proc_macro2::TokenStream as TokenStream2;

pub(crate) use args::{idempotent_by_default, Args, BodyEncoding, Cookie, Header};
pub(crate) use arm::{Arm, Kind, StatusKey};
pub(crate) use item::{fn_params, read_item, EndpointFn, FnParam, Sig};
pub(crate) use options::{ParamOptions, QueryItem, QUERY_STYLES};
pub(crate) use template::{parse_template, Piece};

/// What `#[endpoint(...)]` says, read but not yet checked.
pub(crate) struct Parsed {
    pub(crate) item: EndpointFn,
    pub(crate) args: Args,
    /// The method's parameters after `&self`, in order.
    pub(crate) params: Vec<FnParam>,
    /// The pieces of `args.path`.
    pub(crate) template: Vec<Piece>,
}

/// Reads the item first, then the arguments, the signature and the path template: the first
/// error in this order is the one reported.
pub(crate) fn parse(attr: TokenStream2, item: TokenStream2) -> syn::Result<Parsed> {
    let item = read_item(item)?;
    let args: Args = syn::parse2(attr)?;
    let params = fn_params(&item.sig)?;
    let template = parse_template(&args.path)?;
    Ok(Parsed {
        item,
        args,
        params,
        template,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn error(attr: TokenStream2, item: TokenStream2) -> String {
        match parse(attr, item) {
            Ok(p) => panic!("accepted {}", p.item.sig.ident),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_item_arguments_parameters_and_template_together() {
        let parsed = parse(
            quote!(GET "/items/{id}", query(q), ok(200 => empty)),
            quote!(
                async fn get(&self, id: &str, q: u8) -> R;
            ),
        )
        .unwrap_or_else(|e| panic!("refused: {e}"));
        assert_eq!(parsed.item.sig.ident, "get");
        assert_eq!(parsed.args.method_variant, "Get");
        assert_eq!(parsed.params.len(), 2);
        assert_eq!(parsed.template[1], Piece::Param("id".to_owned()));
    }

    #[test]
    fn reports_the_item_before_the_arguments() {
        let e = error(
            quote!(get "/a"),
            quote!(
                async fn get(&self) -> R {}
            ),
        );
        assert!(e.contains("declared without a body"), "{e}");
    }

    #[test]
    fn reports_the_arguments_before_the_signature_and_the_signature_before_the_template() {
        let e = error(
            quote!(get "/a"),
            quote!(
                fn get(&self) -> R;
            ),
        );
        assert!(e.contains("write it in upper case"), "{e}");
        let e = error(
            quote!(GET "a"),
            quote!(
                fn get(&self) -> R;
            ),
        );
        assert!(e.contains("must be `async`"), "{e}");
        let e = error(
            quote!(GET "a"),
            quote!(
                async fn get(&self) -> R;
            ),
        );
        assert!(e.contains("must start with '/'"), "{e}");
    }
}
