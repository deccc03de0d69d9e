//! Reading parts of an item as the tokens they were written as, for what a macro only writes
//! back: parsing them into syntax trees and printing them again was a measurable share of
//! expanding a generated client, where every item carries several doc lines.

use proc_macro2::TokenTree;
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
