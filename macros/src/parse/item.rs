//! The annotated item: turns `attrs vis async fn name(&self, a: A, ...) -> R;` (a method
//! declared without a body) into an [`EndpointFn`] and the list of its named parameters.
//!
//! The item is read token by token rather than parsed into syntax trees: the macro only needs
//! the method's name, its parameters' names and where its output type starts, and writes the
//! rest back as it came. Proc macros run unoptimised in a dev build, and parsing every
//! generated method's signature (and printing it again) was a third of expanding it.

use proc_macro2::{Delimiter, Group, Ident, Spacing, Span, TokenStream as TokenStream2, TokenTree};

use crate::tokens::{take_attrs, take_vis, type_tokens};

/// `attrs vis sig ;` — an associated fn without a body.
pub(crate) struct EndpointFn {
    /// The outer attributes as written (`#` and its bracketed group each): they are only written
    /// back, so they are kept as tokens rather than parsed (a generated method has several doc
    /// lines, and reading and rewriting them was a measurable share of expanding it).
    pub(crate) attrs: Vec<TokenTree>,
    /// `pub`, `pub(crate)`, ... as written, or nothing.
    pub(crate) vis: TokenStream2,
    pub(crate) sig: Sig,
}

/// A method signature, as the tokens it was written as.
#[derive(Debug)]
pub(crate) struct Sig {
    /// What comes before `fn` but `async` (`const`, `unsafe`, `extern "C"`), written back.
    pub(crate) qualifiers: TokenStream2,
    /// Whether the method is declared `async`.
    pub(crate) asyncness: bool,
    /// The `fn` keyword.
    pub(crate) fn_token: Ident,
    pub(crate) ident: Ident,
    /// `<...>` as written, or nothing.
    pub(crate) generics: TokenStream2,
    /// The parenthesised parameters, as written.
    pub(crate) inputs: Group,
    /// The type after `->`, if any.
    pub(crate) output: Option<TokenStream2>,
    /// `where ...` as written, or nothing.
    pub(crate) where_clause: TokenStream2,
}

impl syn::parse::Parse for EndpointFn {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let tokens: TokenStream2 = input.parse()?;
        read_item(tokens)
    }
}

/// Reads `attrs vis sig ;`.
pub(crate) fn read_item(item: TokenStream2) -> syn::Result<EndpointFn> {
    let mut tokens = item.into_iter().peekable();
    let mut attrs = Vec::new();
    take_attrs(&mut tokens, &mut attrs, |_| false)?;
    let mut vis = TokenStream2::new();
    take_vis(&mut tokens, &mut vis);
    let mut qualifiers = TokenStream2::new();
    let mut asyncness = false;
    let fn_token = loop {
        match tokens.next() {
            Some(TokenTree::Ident(i)) if i == "fn" => break i,
            Some(TokenTree::Ident(i)) if i == "async" => asyncness = true,
            Some(tt @ TokenTree::Ident(_)) => qualifiers.extend([tt]),
            Some(tt @ TokenTree::Literal(_)) if !qualifiers.is_empty() => qualifiers.extend([tt]),
            Some(other) => return Err(syn::Error::new(other.span(), "expected `fn`")),
            None => return Err(syn::Error::new(Span::call_site(), "expected `fn`")),
        }
    };
    let ident = match tokens.next() {
        Some(TokenTree::Ident(i)) => i,
        other => {
            return Err(error_at(
                other.as_ref(),
                &fn_token,
                "expected the method's name",
            ))
        }
    };
    let mut generics = TokenStream2::new();
    if matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '<') {
        let mut depth = 0usize;
        let mut after_dash = false;
        for tt in tokens.by_ref() {
            let done = match &tt {
                TokenTree::Punct(p) => {
                    let c = p.as_char();
                    let close = c == '>' && !after_dash;
                    if c == '<' {
                        depth += 1;
                    } else if close {
                        depth = depth.saturating_sub(1);
                    }
                    after_dash = c == '-' && p.spacing() == Spacing::Joint;
                    close && depth == 0
                }
                _ => {
                    after_dash = false;
                    false
                }
            };
            generics.extend([tt]);
            if done {
                break;
            }
        }
    }
    let inputs = match tokens.next() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => g,
        other => {
            return Err(error_at(
                other.as_ref(),
                &ident,
                "expected the method's parameters in `( ... )`",
            ))
        }
    };
    let mut output = None;
    let mut where_clause = TokenStream2::new();
    let mut last = TokenTree::Group(inputs.clone());
    loop {
        match tokens.next() {
            Some(TokenTree::Punct(p)) if p.as_char() == ';' => break,
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                return Err(syn::Error::new(
                    g.span(),
                    "an `#[endpoint]` method is declared without a body: replace the `{ ... }` with `;` (the macro writes the body)",
                ));
            }
            Some(TokenTree::Punct(p))
                if p.as_char() == '-'
                    && p.spacing() == Spacing::Joint
                    && output.is_none()
                    && where_clause.is_empty() =>
            {
                match tokens.next() {
                    Some(TokenTree::Punct(gt)) if gt.as_char() == '>' => {
                        output = Some(TokenStream2::new());
                        last = TokenTree::Punct(gt);
                    }
                    other => return Err(error_at(other.as_ref(), &last, "expected `->`")),
                }
            }
            Some(TokenTree::Ident(w)) if w == "where" && where_clause.is_empty() => {
                last = TokenTree::Ident(w.clone());
                where_clause.extend([TokenTree::Ident(w)]);
            }
            Some(tt) => {
                last = tt.clone();
                match (&mut output, where_clause.is_empty()) {
                    (Some(ty), true) => ty.extend([tt]),
                    (_, false) => where_clause.extend([tt]),
                    (None, true) => {
                        return Err(syn::Error::new(
                            tt.span(),
                            "expected `;` after the `#[endpoint]` method signature",
                        ))
                    }
                }
            }
            None => {
                return Err(syn::Error::new(
                    last.span(),
                    "expected `;` after the `#[endpoint]` method signature",
                ))
            }
        }
    }
    if let Some(extra) = tokens.next() {
        return Err(syn::Error::new(
            extra.span(),
            "unexpected tokens after the `#[endpoint]` method",
        ));
    }
    if matches!(&output, Some(ty) if ty.is_empty()) {
        return Err(syn::Error::new(last.span(), "expected a type after `->`"));
    }
    Ok(EndpointFn {
        attrs,
        vis,
        sig: Sig {
            qualifiers,
            asyncness,
            fn_token,
            ident,
            generics,
            inputs,
            output,
            where_clause,
        },
    })
}

/// An error at `found`, or just after `before` when the input ended.
fn error_at(
    found: Option<&TokenTree>,
    before: &impl syn::spanned::Spanned,
    message: &str,
) -> syn::Error {
    syn::Error::new(
        found.map_or_else(|| before.span(), TokenTree::span),
        message,
    )
}

/// A function parameter after `&self`: its name and where it is declared.
#[derive(Debug)]
pub(crate) struct FnParam {
    pub(crate) ident: Ident,
    /// Where the parameter starts, where "not sent anywhere" points.
    pub(crate) span: Span,
}

/// The parameters after `&self`, once the signature is known to be an `async` method of
/// `&self` whose parameters are plain names.
pub(crate) fn fn_params(sig: &Sig) -> syn::Result<Vec<FnParam>> {
    if !sig.asyncness {
        return Err(syn::Error::new(
            sig.fn_token.span(),
            "an `#[endpoint]` method must be `async`: write `async fn`",
        ));
    }
    let mut inputs = split_params(sig.inputs.stream())?.into_iter();
    match inputs.next() {
        Some(receiver) if is_ref_self(&receiver) => {}
        Some(other) => {
            return Err(syn::Error::new(
                other[0].span(),
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
    for param in inputs {
        let mut rest = param.iter();
        let first = rest.next().expect("split_params gives no empty parameter");
        let mut name = first;
        if matches!(first, TokenTree::Ident(i) if i == "mut") {
            name = rest.next().unwrap_or(first);
        }
        let colon = rest.next();
        match (name, colon, rest.next()) {
            (TokenTree::Ident(i), Some(TokenTree::Punct(c)), Some(_))
                if i != "_" && i != "self" && i != "ref" && i != "mut"
                    && c.as_char() == ':' && c.spacing() == Spacing::Alone =>
            {
                params.push(FnParam {
                    ident: i.clone(),
                    span: first.span(),
                })
            }
            _ if matches!(name, TokenTree::Ident(i) if i == "self") => {
                return Err(syn::Error::new(name.span(), "unexpected receiver"));
            }
            _ => {
                return Err(syn::Error::new(
                    first.span(),
                    "`#[endpoint]` parameters must be plain names (`name: Type`), since names connect them to the path, query, headers and body",
                ))
            }
        }
    }
    Ok(params)
}

/// The parameters, each as its tokens with its outer attributes left out: split at the commas
/// outside angle brackets, as a field's type is read. Empty parameters (a trailing comma) are
/// left out.
fn split_params(inputs: TokenStream2) -> syn::Result<Vec<Vec<TokenTree>>> {
    let mut params = Vec::new();
    let mut tokens = inputs.into_iter().peekable();
    while tokens.peek().is_some() {
        take_attrs(&mut tokens, &mut TokenStream2::new(), |_| true)?;
        let param = type_tokens(&mut tokens);
        tokens.next(); // the comma
        if !param.is_empty() {
            params.push(param);
        }
    }
    Ok(params)
}

/// `&self` or `&'a self`.
fn is_ref_self(tokens: &[TokenTree]) -> bool {
    let is_self = |tt: &TokenTree| matches!(tt, TokenTree::Ident(i) if i == "self");
    let is_amp = |tt: &TokenTree| matches!(tt, TokenTree::Punct(p) if p.as_char() == '&');
    match tokens {
        [amp, s] => is_amp(amp) && is_self(s),
        [amp, TokenTree::Punct(q), TokenTree::Ident(_), s] => {
            is_amp(amp) && q.as_char() == '\'' && is_self(s)
        }
        _ => false,
    }
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
        assert_eq!(f.vis.to_string(), "pub");
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

    #[test]
    fn reads_what_surrounds_the_parameters_as_written() {
        let f = item(
            "pub(crate) const unsafe extern \"C\" async fn get<'a, T: Into<Vec<u8>>>(&'a self, \
             #[allow(unused)] mut body: T, f: fn(u8) -> Option<u8>, m: HashMap<String, Vec<u8>>,) \
             -> Result<Vec<u8>, E> where T: Send;",
        )
        .expect("valid item");
        assert_eq!(f.vis.to_string(), "pub (crate)");
        assert_eq!(f.sig.qualifiers.to_string(), "const unsafe extern \"C\"");
        assert!(f.sig.asyncness);
        assert_eq!(f.sig.generics.to_string(), "<'a , T : Into < Vec < u8 >>>");
        assert_eq!(
            f.sig.output.as_ref().map(ToString::to_string).as_deref(),
            Some("Result < Vec < u8 >, E >")
        );
        assert_eq!(f.sig.where_clause.to_string(), "where T : Send");
        let names: Vec<String> = fn_params(&f.sig)
            .expect("plain names")
            .iter()
            .map(|p| p.ident.to_string())
            .collect();
        assert_eq!(names, ["body", "f", "m"]);
        // An empty parameter (two commas) is no parameter, not a panic.
        let names: Vec<String> = params_of("async fn get(&self,, a: u8,) -> R;")
            .expect("plain names")
            .iter()
            .map(|p| p.ident.to_string())
            .collect();
        assert_eq!(names, ["a"]);
        let unit = item("async fn ping(&self);").expect("valid item");
        assert!(unit.sig.output.is_none() && unit.sig.where_clause.is_empty());
    }

    #[test]
    fn refuses_what_is_no_bodyless_method() {
        for (text, message) in [
            ("async get(&self) -> R;", "expected `fn`"),
            ("async fn (&self) -> R;", "expected the method's name"),
            ("async fn get -> R;", "expected the method's parameters"),
            ("async fn get(&self) -> ;", "expected a type after `->`"),
            ("async fn get(&self) R;", "expected `;` after"),
            ("# fn get(&self);", "expected an attribute after `#`"),
        ] {
            let got = error(item(text).map(|f| f.sig));
            assert!(got.contains(message), "{text}: {got}");
        }
        for text in [
            "async fn get(&self, _: u8) -> R;",
            "async fn get(&self, a) -> R;",
            "async fn get(&self, a::b: u8) -> R;",
        ] {
            assert!(error(params_of(text)).contains("plain names"), "{text}");
        }
        assert!(
            error(params_of("async fn get(&self, self: u8) -> R;")).contains("unexpected receiver")
        );
    }
}
