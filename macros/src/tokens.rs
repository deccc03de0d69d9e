//! Reading parts of an item as the tokens they were written as, for what a macro only writes
//! back: parsing them into syntax trees and printing them again was a measurable share of
//! expanding a generated client, where every item carries several doc lines.

use proc_macro2::{Delimiter, Spacing, TokenStream as TokenStream2, TokenTree};

/// Token trees read one at a time, with a look at the next.
pub(crate) type Tokens = std::iter::Peekable<proc_macro2::token_stream::IntoIter>;

/// Moves the outer attributes at the front of `tokens` to `kept`, but those `drop` says to leave
/// out.
pub(crate) fn take_attrs(
    tokens: &mut Tokens,
    kept: &mut impl Extend<TokenTree>,
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
pub(crate) fn take_vis(tokens: &mut Tokens, kept: &mut impl Extend<TokenTree>) {
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

/// What a macro says when its item is not the `keyword Name { .. }` it takes.
pub(crate) struct ItemErrors {
    /// Another kind of item.
    pub(crate) not_keyword: &'static str,
    /// `Name<..>`.
    pub(crate) generics: &'static str,
    /// No braced body (a tuple or unit struct).
    pub(crate) no_body: &'static str,
}

/// `vis keyword Name { .. }`, after the attributes: the name and the braced body. The
/// visibility, the keyword and the name are moved to `kept` (the body is the caller's to write
/// back).
pub(crate) fn item_head(
    tokens: &mut Tokens,
    kept: &mut TokenStream2,
    keyword: &str,
    errors: &ItemErrors,
) -> syn::Result<(proc_macro2::Ident, proc_macro2::Group)> {
    let at = |t: Option<TokenTree>| t.map_or_else(proc_macro2::Span::call_site, |t| t.span());
    take_vis(tokens, kept);
    match tokens.next() {
        Some(TokenTree::Ident(i)) if i == keyword => kept.extend([TokenTree::Ident(i)]),
        other => return Err(syn::Error::new(at(other), errors.not_keyword)),
    }
    let ident = match tokens.next() {
        Some(TokenTree::Ident(i)) => i,
        other => {
            return Err(syn::Error::new(
                at(other),
                format!("expected the {keyword}'s name"),
            ))
        }
    };
    kept.extend([TokenTree::Ident(ident.clone())]);
    match tokens.next() {
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => Ok((ident, g)),
        Some(TokenTree::Punct(p)) if p.as_char() == '<' => {
            let mut generics = TokenStream2::from(TokenTree::Punct(p));
            generics.extend(tokens.take_while(|t| !matches!(t, TokenTree::Group(_))));
            Err(syn::Error::new_spanned(generics, errors.generics))
        }
        other => Err(syn::Error::new(
            other.map_or_else(|| ident.span(), |t| t.span()),
            errors.no_body,
        )),
    }
}

/// A named field after its attributes: `vis name: Type,`, each part as written.
pub(crate) struct NamedField {
    pub(crate) vis: TokenStream2,
    pub(crate) ident: proc_macro2::Ident,
    pub(crate) colon: TokenTree,
    pub(crate) ty: Vec<TokenTree>,
    /// The comma after it, unless it is the last field without one.
    pub(crate) comma: Option<TokenTree>,
}

/// Reads a named field of `body` (after its attributes) from `tokens`.
pub(crate) fn named_field(
    tokens: &mut Tokens,
    body: &proc_macro2::Group,
) -> syn::Result<NamedField> {
    let mut vis = TokenStream2::new();
    take_vis(tokens, &mut vis);
    let ident = match tokens.next() {
        Some(TokenTree::Ident(i)) => i,
        other => {
            return Err(syn::Error::new(
                other.map_or_else(|| body.span(), |t| t.span()),
                "expected a field name",
            ))
        }
    };
    let colon = match tokens.next() {
        Some(TokenTree::Punct(c)) if c.as_char() == ':' => TokenTree::Punct(c),
        other => {
            return Err(syn::Error::new(
                other.map_or_else(|| ident.span(), |t| t.span()),
                "expected `:` and the field's type",
            ))
        }
    };
    let ty = type_tokens(tokens);
    if ty.is_empty() {
        return Err(syn::Error::new(ident.span(), "expected the field's type"));
    }
    Ok(NamedField {
        vis,
        ident,
        colon,
        ty,
        comma: tokens.next(),
    })
}

/// One item of an attribute's list, `key` or `key = value`, read from its tokens.
pub(crate) struct Meta {
    pub(crate) key: proc_macro2::Ident,
    /// The token after `=`: a literal or a name.
    pub(crate) value: Option<TokenTree>,
}

impl Meta {
    /// The value, which must be a string literal.
    pub(crate) fn text(&self) -> syn::Result<syn::LitStr> {
        match &self.value {
            Some(TokenTree::Literal(lit)) => match syn::Lit::new(lit.clone()) {
                syn::Lit::Str(s) => Ok(s),
                _ => Err(syn::Error::new(lit.span(), "expected a string literal")),
            },
            Some(other) => Err(syn::Error::new(other.span(), "expected a string literal")),
            None => Err(syn::Error::new(
                self.key.span(),
                format!("expected `{} = \"...\"`", self.key),
            )),
        }
    }
}

/// The items of `#[name(key, key = value, ...)]`, read from the attribute's tokens; `None` when
/// the attribute is not `name`. Read by hand rather than by syn: proc macros run unoptimised in a
/// dev build, and generated structs carry such an attribute on many fields.
pub(crate) fn meta_list(attr: &[TokenTree; 2], name: &str) -> Option<syn::Result<Vec<Meta>>> {
    let TokenTree::Group(group) = &attr[1] else {
        return None;
    };
    let mut tokens = group.stream().into_iter();
    match tokens.next() {
        Some(TokenTree::Ident(i)) if i == name => Some(meta_after_name(group, tokens, name)),
        _ => None,
    }
}

/// The items of an attribute `group` (`[name(...)]`) whose tokens after `name` are `rest`.
pub(crate) fn meta_after_name(
    group: &proc_macro2::Group,
    mut rest: impl Iterator<Item = TokenTree>,
    name: &str,
) -> syn::Result<Vec<Meta>> {
    match (rest.next(), rest.next()) {
        (Some(TokenTree::Group(list)), None) if list.delimiter() == Delimiter::Parenthesis => {
            meta_items(&list)
        }
        _ => Err(syn::Error::new(
            group.span(),
            format!("expected `#[{name}(...)]`"),
        )),
    }
}

/// The items `key, key = value, ...` of an attribute's parenthesised list.
fn meta_items(list: &proc_macro2::Group) -> syn::Result<Vec<Meta>> {
    let mut items = Vec::new();
    let mut tokens = list.stream().into_iter();
    while let Some(first) = tokens.next() {
        let TokenTree::Ident(key) = first else {
            return Err(syn::Error::new(
                first.span(),
                "expected `key` or `key = value`",
            ));
        };
        let mut value = None;
        match tokens.next() {
            None => {}
            Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
            Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
                value = tokens.next();
                if value.is_none() {
                    return Err(syn::Error::new(p.span(), "expected a value after `=`"));
                }
                match tokens.next() {
                    None => {}
                    Some(TokenTree::Punct(p)) if p.as_char() == ',' => {}
                    Some(other) => return Err(syn::Error::new(other.span(), "expected `,`")),
                }
            }
            Some(other) => return Err(syn::Error::new(other.span(), "expected `,` or `=`")),
        }
        items.push(Meta { key, value });
    }
    Ok(items)
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
            meta_list(attr, "serde").is_some()
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

    #[test]
    fn an_attribute_list_is_read_item_by_item() {
        let attr = |text: &str| -> [TokenTree; 2] {
            let mut t = text.parse::<TokenStream2>().expect("tokens").into_iter();
            [t.next().expect("#"), t.next().expect("group")]
        };
        let items = meta_list(
            &attr(r#"#[serde(default, rename = "a", style = Form,)]"#),
            "serde",
        )
        .expect("serde")
        .expect("read");
        let read: Vec<(String, Option<String>)> = items
            .iter()
            .map(|m| (m.key.to_string(), m.value.as_ref().map(ToString::to_string)))
            .collect();
        assert_eq!(
            read,
            [
                ("default".into(), None),
                ("rename".into(), Some("\"a\"".into())),
                ("style".into(), Some("Form".into()))
            ]
        );
        assert_eq!(items[1].text().expect("text").value(), "a");
        assert!(items[2].text().is_err() && items[0].text().is_err());
        assert!(meta_list(&attr("#[doc = \"x\"]"), "serde").is_none());
        for bad in [
            "#[serde]",
            "#[serde = 1]",
            "#[serde(a b)]",
            "#[serde(a =)]",
            "#[serde(1)]",
            "#[serde(a = 1 2)]",
        ] {
            assert!(
                matches!(meta_list(&attr(bad), "serde"), Some(Err(_))),
                "{bad}"
            );
        }
    }
}
