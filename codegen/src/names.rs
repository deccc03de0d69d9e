//! Rust names from spec names: case conversion (heck's rules), keyword escaping, and the checks
//! that make a name usable as an identifier.

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

/// The words of `s` as heck 0.5 splits them, each given to `word` with whether it is the first:
/// runs of ASCII letters and digits (everything else separates, as `request[partnerCode]` is
/// `request partnerCode`), broken before an upper-case letter that follows a lower-case one
/// (`partnerCode`: `partner`, `Code`) and before the last of a run of upper-case letters that
/// is followed by a lower-case one (`HTTPServer`: `HTTP`, `Server`). Digits do not break a word
/// and take the case of what is before them.
///
/// This is heck's `transform` over the ASCII the generator keeps of a name (anything else is a
/// separator here, as it was before heck saw it), without heck's formatter machinery, which
/// made case conversion about a quarter of lowering. A test compares it with heck.
fn for_each_word(s: &str, mut word: impl FnMut(&[u8], bool)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lowercase,
        Uppercase,
    }
    let mut first = true;
    for w in s.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
        let mut init = 0;
        let mut mode = Mode::Boundary;
        for i in 0..w.len() {
            let c = w[i];
            let Some(&next) = w.get(i + 1) else {
                word(&w[init..], first);
                first = false;
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lowercase
            } else if c.is_ascii_uppercase() {
                Mode::Uppercase
            } else {
                mode
            };
            if next_mode == Mode::Lowercase && next.is_ascii_uppercase() {
                word(&w[init..=i], first);
                first = false;
                init = i + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Uppercase && c.is_ascii_uppercase() && next.is_ascii_lowercase()
            {
                word(&w[init..i], first);
                first = false;
                init = i;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
}

/// A snake_case identifier (fields, parameters, methods). `None` if nothing usable is left.
pub fn snake(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len() + 4);
    for_each_word(s, |w, first| {
        if !first {
            out.push('_');
        }
        out.extend(w.iter().map(|b| b.to_ascii_lowercase() as char));
    });
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    Some(out)
}

/// A PascalCase identifier (types, variants). `None` if nothing usable is left.
pub fn pascal(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len() + 1);
    for_each_word(s, |w, _| {
        if let Some((head, tail)) = w.split_first() {
            out.push(head.to_ascii_uppercase() as char);
            out.extend(tail.iter().map(|b| b.to_ascii_lowercase() as char));
        }
    });
    if out.is_empty() {
        return None;
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
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

    /// heck 0.5 on the generator's view of a name, as `snake` and `pascal` did before.
    fn heck_snake(s: &str) -> Option<String> {
        use heck::ToSnakeCase;
        let words: String = s
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect();
        let mut out = words.to_snake_case();
        if out.is_empty() {
            return None;
        }
        if out.starts_with(|c: char| c.is_ascii_digit()) {
            out.insert(0, '_');
        }
        Some(out)
    }

    fn heck_pascal(s: &str) -> Option<String> {
        use heck::ToPascalCase;
        let words: String = s
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect();
        let mut out = words.to_pascal_case();
        if out.is_empty() {
            return None;
        }
        if out.starts_with(|c: char| c.is_ascii_digit()) {
            out.insert(0, 'V');
        }
        Some(out)
    }

    #[test]
    fn case_conversion_agrees_with_heck() {
        // Every string of up to five characters over an alphabet with each class heck tells
        // apart (lower, upper, digit, separators, non-ASCII letters of each case)...
        let alphabet = ['a', 'B', 'c', 'D', '1', '_', ' ', '-', '[', 'é', 'Σ', 'ß'];
        let mut inputs: Vec<String> = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for s in &last {
                for c in alphabet {
                    let mut t = s.clone();
                    t.push(c);
                    next.push(t);
                }
            }
            inputs.extend(next.iter().cloned());
            last = next;
        }
        // ... and the names in the vendor specs.
        let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        for entry in std::fs::read_dir(specs).expect("specs/") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).unwrap_or_default();
            inputs.extend(text.split_whitespace().map(str::to_string));
        }
        for s in &inputs {
            assert_eq!(snake(s), heck_snake(s), "snake {s:?}");
            assert_eq!(pascal(s), heck_pascal(s), "pascal {s:?}");
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
