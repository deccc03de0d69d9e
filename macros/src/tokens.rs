//! Reading parts of an item as the tokens they were written as, for what a macro only writes
//! back: parsing them into syntax trees and printing them again was a measurable share of
//! expanding a generated client, where every item carries several doc lines.

use proc_macro2::{Delimiter, Spacing, TokenStream as TokenStream2, TokenTree};
use syn::parse::ParseStream;
use syn::{token, Token};

/// The outer attributes at the front of `input`, each as its `#` and its bracketed group.
pub(crate) fn outer_attrs(input: ParseStream) -> syn::Result<Vec<[TokenTree; 2]>> {
    let mut attrs = Vec::new();
    while input.peek(Token![#]) && input.peek2(token::Bracket) {
        attrs.push(input.step(|cursor| {
            let (pound, rest) = cursor.token_tree().expect("peeked `#`");
            let (group, rest) = rest.token_tree().expect("peeked `[...]`");
            Ok(([pound, group], rest))
        })?);
    }
    Ok(attrs)
}

/// Whether an attribute read by [`outer_attrs`] is `#[name ...]`.
pub(crate) fn is_attr(attr: &[TokenTree; 2], name: &str) -> bool {
    match &attr[1] {
        TokenTree::Group(g) => {
            matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == name)
        }
        _ => false,
    }
}

/// Token trees read one at a time, with a look at the next.
pub(crate) type Tokens = std::iter::Peekable<proc_macro2::token_stream::IntoIter>;

/// Moves the outer attributes at the front of `tokens` to `kept`, but those `drop` says to leave
/// out.
pub(crate) fn take_attrs(
    tokens: &mut Tokens,
    kept: &mut TokenStream2,
    mut drop: impl FnMut(&[TokenTree; 2]) -> bool,
) -> syn::Result<()> {
    while matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == '#') {
        let pound = tokens.next().expect("peeked `#`");
        let attr = match tokens.next() {
            Some(group @ TokenTree::Group(_)) => [pound, group],
            _ => {
                return Err(syn::Error::new(
                    pound.span(),
                    "expected an attribute after `#`",
                ))
            }
        };
        if !drop(&attr) {
            kept.extend(attr);
        }
    }
    Ok(())
}

/// Moves `pub` or `pub(...)` at the front of `tokens` to `kept`.
pub(crate) fn take_vis(tokens: &mut Tokens, kept: &mut TokenStream2) {
    if matches!(tokens.peek(), Some(TokenTree::Ident(i)) if i == "pub") {
        kept.extend(tokens.next());
        if matches!(tokens.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
        {
            kept.extend(tokens.next());
        }
    }
}

/// A field's type: the tokens up to the next `,` outside angle brackets (`->` is not one).
pub(crate) fn type_tokens(tokens: &mut Tokens) -> Vec<TokenTree> {
    let mut ty = Vec::new();
    let mut depth = 0usize;
    let mut after_dash = false;
    while let Some(tt) = tokens.peek() {
        if let TokenTree::Punct(p) = tt {
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
        ty.extend(tokens.next());
    }
    ty
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse::Parser;

    #[test]
    fn attributes_are_read_as_written_up_to_the_item() {
        let read = |input: ParseStream| {
            let attrs = outer_attrs(input)?;
            let rest: proc_macro2::TokenStream = input.parse()?;
            Ok((attrs, rest))
        };
        let (attrs, rest) = read
            .parse_str("/// Doc.\n#[serde(rename = \"a\")] #[inline] fn f() {}")
            .expect("parsed");
        let text: Vec<String> = attrs.iter().map(|[p, g]| format!("{p}{g}")).collect();
        assert_eq!(
            text,
            [
                "#[doc = \" Doc.\"]",
                "#[serde (rename = \"a\")]",
                "#[inline]"
            ]
        );
        assert!(is_attr(&attrs[1], "serde") && !is_attr(&attrs[0], "serde"));
        assert_eq!(rest.to_string(), "fn f () { }");
    }
}
