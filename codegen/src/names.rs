//! Rust names from spec names: case conversion with heck, keyword escaping, and the checks that
//! make a name usable as an identifier.

use heck::{ToPascalCase, ToSnakeCase};

/// Keywords that `r#` cannot escape.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Reserved words of Rust 2021 (strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "gen",
];

/// Whether `s` is a Rust keyword (and so needs `r#` or a suffix).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Turns separators and punctuation into word breaks so heck sees words (`request[partnerCode]`
/// becomes `request partnerCode`).
fn words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Names converted so far, per thread: lowering asks for the same few hundred names thousands
/// of times (every `$ref`, property and variant), and heck's conversion was about a quarter of
/// lowering. A map is emptied when it reaches [`MEMO_LIMIT`] names, so a long-lived process
/// (the fuzzer, a server generating clients) does not grow without bound.
type Memo = std::cell::RefCell<std::collections::HashMap<String, Option<String>>>;

const MEMO_LIMIT: usize = 16 * 1024;

thread_local! {
    static SNAKE: Memo = Memo::default();
    static PASCAL: Memo = Memo::default();
}

fn memoized(
    memo: &'static std::thread::LocalKey<Memo>,
    s: &str,
    convert: fn(&str) -> Option<String>,
) -> Option<String> {
    memo.with(|m| {
        if let Some(done) = m.borrow().get(s) {
            return done.clone();
        }
        let done = convert(s);
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_LIMIT {
            m.clear();
        }
        m.insert(s.to_owned(), done.clone());
        done
    })
}

/// A snake_case identifier (fields, parameters, methods). `None` if nothing usable is left.
pub fn snake(s: &str) -> Option<String> {
    memoized(&SNAKE, s, |s| usable(words(s).to_snake_case(), "_"))
}

/// A PascalCase identifier (types, variants). `None` if nothing usable is left.
pub fn pascal(s: &str) -> Option<String> {
    memoized(&PASCAL, s, |s| usable(words(s).to_pascal_case(), "V"))
}

/// A converted name as an identifier: `None` when empty, `digit_prefix` before a leading digit.
fn usable(mut out: String, digit_prefix: &str) -> Option<String> {
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, digit_prefix);
    }
    Some(out)
}

/// The identifier as written in Rust source: `r#type` for keywords, `self_` where `r#` is not
/// allowed.
pub fn ident_text(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if is_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// A `proc_macro2::Ident` for a name produced by [`snake`] or [`pascal`].
pub fn ident(name: &str) -> proc_macro2::Ident {
    let text = ident_text(name);
    match text.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(&text, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_wire_names() {
        assert_eq!(snake("accountId").as_deref(), Some("account_id"));
        assert_eq!(
            snake("request[partnerCode]").as_deref(),
            Some("request_partner_code")
        );
        assert_eq!(snake("X-Api-Version").as_deref(), Some("x_api_version"));
        assert_eq!(snake("2fa").as_deref(), Some("_2fa"));
        assert_eq!(snake("[]"), None);
        assert_eq!(
            pascal("AUTHENTICATION FAILED").as_deref(),
            Some("AuthenticationFailed")
        );
        assert_eq!(pascal("1l1007802").as_deref(), Some("V1l1007802"));
    }

    #[test]
    fn repeated_conversions_answer_the_same() {
        for _ in 0..3 {
            assert_eq!(pascal("partner_id").as_deref(), Some("PartnerId"));
            assert_eq!(snake("PartnerId").as_deref(), Some("partner_id"));
            assert_eq!(snake("--"), None);
        }
    }

    #[test]
    fn escapes_keywords() {
        assert_eq!(ident_text("type"), "r#type");
        assert_eq!(ident_text("self"), "self_");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("name").to_string(), "name");
    }
}
