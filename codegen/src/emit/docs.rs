//! Doc text from the spec to `#[doc]` attributes (or placeholders for them, see [`super::format`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::format::doc_placeholder;

/// `#[doc]` attributes for `text` (trimmed), one per line, a line that is not empty with a
/// leading space so it prints as `/// line`; nothing for `None`. While a piece is built (see
/// [`with_doc_placeholders`](super::format::with_doc_placeholders)) they are one placeholder
/// for the lot.
pub(super) fn docs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = text.trim().lines().map(|l| {
        let l = l.trim_end();
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    if let Some(marker) = doc_placeholder(lines.clone()) {
        return quote! { #[doc = #marker] };
    }
    quote! { #( #[doc = #lines] )* }
}
