//! Reading parts of an item as the tokens they were written as, for what a macro only writes
//! back: parsing them into syntax trees and printing them again was a measurable share of
//! expanding a generated client, where every item carries several doc lines.

use proc_macro2::{Delimiter, Spacing, TokenStream as TokenStream2, TokenTree};

/// Whether an attribute read by [`take_attrs`] is `#[name ...]`.
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

    #[test]
    fn attributes_visibility_and_a_type_are_read_as_written() {
        let input: TokenStream2 = "/// Doc.\n#[serde(rename = \"a\")] #[inline] pub(crate) x: HashMap<u8, fn(u8) -> Vec<u8>>, y"
            .parse()
            .expect("tokens");
        let mut tokens = input.into_iter().peekable();
        let mut seen = Vec::new();
        let mut kept = TokenStream2::new();
        take_attrs(&mut tokens, &mut kept, |attr| {
            seen.push(format!("{}{}", attr[0], attr[1]));
            is_attr(attr, "serde")
        })
        .expect("attributes");
        assert_eq!(
            seen,
            [
                "#[doc = \" Doc.\"]",
                "#[serde (rename = \"a\")]",
                "#[inline]"
            ]
        );
        assert_eq!(kept.to_string(), "# [doc = \" Doc.\"] # [inline]");
        let mut vis = TokenStream2::new();
        take_vis(&mut tokens, &mut vis);
        assert_eq!(vis.to_string(), "pub (crate)");
        tokens.next();
        tokens.next();
        let ty: TokenStream2 = type_tokens(&mut tokens).into_iter().collect();
        assert_eq!(ty.to_string(), "HashMap < u8 , fn (u8) -> Vec < u8 >>");
        assert_eq!(tokens.next().map(|t| t.to_string()).as_deref(), Some(","));
        let mut bad = "# x"
            .parse::<TokenStream2>()
            .expect("tokens")
            .into_iter()
            .peekable();
        let e = take_attrs(&mut bad, &mut TokenStream2::new(), |_| false).unwrap_err();
        assert!(e.to_string().contains("expected an attribute after `#`"));
    }
}
