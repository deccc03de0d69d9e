//! Tokens to text: blank lines between items, endpoint attributes and doc comments spliced
//! into what prettyplease prints, and type tokens as compact text.

use proc_macro2::TokenStream;

/// `body` into `out` as the file reads: a blank line before each item (see
/// [`needs_blank_line`]), and each `///@endpoint:N` placeholder replaced by endpoint attribute
/// `N`, at the placeholder's indentation.
pub(super) fn lay_out(body: &str, endpoints: &[String], out: &mut String) {
    let mut prev = "";
    for line in body.lines() {
        let trimmed = line.trim_start();
        if needs_blank_line(prev, line) {
            out.push('\n');
        }
        prev = line;
        if let Some(n) = trimmed
            .strip_prefix("///@endpoint:")
            .and_then(|n| n.parse::<usize>().ok())
        {
            let indent = &line[..line.len() - trimmed.len()];
            if let Some(text) = endpoints.get(n) {
                for l in text.lines() {
                    out.push_str(indent);
                    out.push_str(l);
                    out.push('\n');
                }
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
}

/// A blank line before each item and each method, as a person would write it: before a line
/// that starts an item (doc, attribute, `pub`, `impl`) at the top level, or at the first level
/// after the end of a previous member (`}` or `;`), not between fields.
fn needs_blank_line(prev: &str, line: &str) -> bool {
    if prev.is_empty() {
        return false;
    }
    let indent = line.len() - line.trim_start().len();
    let t = line.trim_start();
    let starts_item = t.starts_with("///")
        || t.starts_with("#[")
        || t.starts_with("pub ")
        || t.starts_with("impl")
        || t.starts_with("fn ");
    if !starts_item {
        return false;
    }
    let p = prev.trim_start();
    let prev_indent = prev.len() - p.len();
    let prev_is_lead = p.starts_with("///") || p.starts_with("#[") || p.ends_with('{');
    if prev_is_lead {
        return false;
    }
    match indent {
        0 => true,
        4 => prev_indent == 4 && (p == "}" || p.ends_with(';')),
        _ => false,
    }
}

thread_local! {
    /// The doc comments of the piece being built on this thread (see [`with_doc_placeholders`]).
    static DOC_BLOCKS: std::cell::RefCell<Option<Vec<Vec<String>>>> =
        const { std::cell::RefCell::new(None) };
}

/// Where doc comments are being collected: keeps `lines` and gives the text of the one doc
/// attribute that stands for them, `@doc:N`, which prettyplease prints as `///@doc:N`. (A doc
/// line from [`docs`](super::docs::docs) is empty or starts with a space, so it is never
/// taken for one.)
pub(super) fn doc_placeholder(lines: impl Iterator<Item = String>) -> Option<String> {
    DOC_BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let blocks = blocks.as_mut()?;
        let lines: Vec<String> = lines.collect();
        if lines.is_empty() {
            return None;
        }
        blocks.push(lines);
        Some(format!("@doc:{}", blocks.len() - 1))
    })
}

/// `print(build())`, with the doc comments [`docs`](super::docs::docs) makes while building
/// left out of the tokens and put back into the printed text. prettyplease prints
/// `#[doc = "text"]` as `///text` on a line of its own at the item's indentation, and a doc
/// line never changes how the code around it is laid out (a hard break follows it), so the text
/// is the same as with the comments in the tokens; going around syn saves escaping each line
/// into a string literal, parsing it, and unescaping it again, about a tenth of emitting.
pub(super) fn with_doc_placeholders(
    build: impl FnOnce() -> TokenStream,
    print: impl FnOnce(TokenStream) -> syn::Result<String>,
) -> syn::Result<String> {
    DOC_BLOCKS.with(|b| *b.borrow_mut() = Some(Vec::new()));
    let tokens = build();
    let blocks = DOC_BLOCKS
        .with(|b| b.borrow_mut().take())
        .unwrap_or_default();
    let text = print(tokens)?;
    if blocks.is_empty() {
        return Ok(text);
    }
    let mut out = String::with_capacity(
        text.len() + blocks.iter().flatten().map(|l| l.len() + 16).sum::<usize>(),
    );
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let block = body
            .strip_prefix("///@doc:")
            .and_then(|n| n.trim_end().parse::<usize>().ok())
            .and_then(|n| blocks.get(n));
        let Some(block) = block else {
            out.push_str(line);
            continue;
        };
        let indent = &line[..line.len() - body.len()];
        for l in block {
            out.push_str(indent);
            out.push_str("///");
            out.push_str(l);
            out.push('\n');
        }
    }
    Ok(out)
}

/// Type tokens as compact source text (`Vec<Foo>`, not `Vec < Foo >`).
pub(super) fn compact(tokens: &TokenStream) -> String {
    match syn::parse2::<syn::Type>(tokens.clone()) {
        Ok(t) => {
            let file: syn::File = syn::parse_quote!(type T = #t;);
            let text = prettyplease::unparse(&file);
            text.trim()
                .trim_start_matches("type T = ")
                .trim_end_matches(';')
                .to_string()
        }
        Err(_) => tokens.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::emit::docs::docs;

    fn print(tokens: TokenStream) -> syn::Result<String> {
        Ok(prettyplease::unparse(&syn::parse2(tokens)?))
    }

    #[test]
    fn doc_placeholders_print_the_same_text_as_doc_attributes() {
        let build = || {
            let odd = docs(Some(
                "  Quotes \"x\", a back\\slash, `*/` and /* */, ✓ and a\ttab.  \n\n   indented\r\n/ leading slash\n",
            ));
            let field = docs(Some("The field's doc."));
            let none = docs(None);
            let empty = docs(Some("  \n "));
            let long = docs(Some(&"word ".repeat(60)));
            quote! {
                #odd
                pub struct S {
                    #field
                    pub a: Option<::std::collections::BTreeMap<String, Vec<::serde_json::Value>>>,
                    #none
                    pub b: i32,
                }
                #empty
                #long
                impl S {
                    #field
                    pub fn f(&self) -> i32 { self.b }
                }
            }
        };
        let with = with_doc_placeholders(build, print).expect("valid Rust");
        let without = print(build()).expect("valid Rust");
        assert_eq!(with, without);
        assert!(with.contains("/// Quotes \"x\", a back\\slash"), "{with}");
        assert!(!with.contains("@doc:"), "{with}");
    }
}
