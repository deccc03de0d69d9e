//! The path template: turns the string literal `"/items/{id}"` into its pieces, literal text
//! and `{placeholder}` names, and a fixed query (`"/stats?view=summary"`), refusing text a URL
//! would change or need to encode.

use syn::LitStr;

/// One piece of a path template, in order.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    Literal(String),
    /// `{name}`: a function parameter, percent-encoded when sent.
    Param(String),
    /// The fixed query after `?`: `name=value` pairs joined by `&`, sent as written, before the
    /// query parameters. Always the last piece.
    Query(String),
}

fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
}

fn literal_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~/:@!$&'()*+,;=".contains(c)
}

/// Splits `lit` into pieces; every error points at the whole literal.
pub(crate) fn parse_template(lit: &LitStr) -> syn::Result<Vec<Piece>> {
    let text = lit.value();
    let err = |message: String| syn::Error::new(lit.span(), message);
    if !text.starts_with('/') {
        return Err(err(format!(
            "the path template must start with '/', e.g. \"/{}\"",
            text.trim_start_matches('/')
        )));
    }
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let name = read_placeholder(&mut chars).map_err(err)?;
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Param(name));
            }
            '}' => return Err(err("unmatched `}` in the path template".to_owned())),
            '?' => {
                let query: String = chars.by_ref().collect();
                check_fixed_query(&query).map_err(err)?;
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Query(query));
            }
            '#' => return Err(err("the path template must not contain `#`".to_owned())),
            c if literal_char_ok(c) => literal.push(c),
            // Text already percent-encoded (`%22`) is sent as written.
            '%' if chars.clone().take(2).filter(char::is_ascii_hexdigit).count() == 2 => {
                literal.push('%');
                literal.extend(chars.by_ref().take(2));
            }
            c => {
                return Err(err(format!(
                    "character {c:?} would need percent-encoding in the path template; use only letters, digits, `-._~/:@!$&'()*+,;=` and `%XX` escapes (pass other text as a `{{parameter}}`)"
                )))
            }
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    let path = text.split('?').next().unwrap_or("");
    for segment in path.split('/') {
        // URL parsing reads `%2e` as `.` when it finds dot segments.
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        if decoded == "." || decoded == ".." {
            return Err(err(format!(
                "the path template contains a `{segment}` segment, which URL normalisation would remove"
            )));
        }
    }
    Ok(pieces)
}

/// Checks the fixed query of a template (what follows `?`): `name=value` pairs joined by `&`,
/// each part URL query text (letters, digits, `-._~:@/?!$'()*+,;` and `%XX` escapes), sent as
/// written. The error is the message. The generator keeps to the same rule
/// (`load::lenient::query_pairs` in codegen/).
fn check_fixed_query(query: &str) -> Result<(), String> {
    if query.contains('{') || query.contains('}') {
        return Err(
            "a `{placeholder}` in the query of the path template: a value from a parameter goes in `query(...)` (`?key={key}` is `query(key)`); the template's query is fixed text"
                .to_owned(),
        );
    }
    if query.contains('#') {
        return Err("the path template must not contain `#`".to_owned());
    }
    for pair in query.split('&') {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(format!(
                "`{pair}` in the query of the path template is not a `name=value` pair (a flag is sent as `{pair}=` if the server takes that)"
            ));
        };
        if name.is_empty() {
            return Err(format!(
                "`{pair}` in the query of the path template has no name before `=`"
            ));
        }
        for part in [name, value] {
            let mut chars = part.chars();
            while let Some(c) = chars.next() {
                let escaped = c == '%'
                    && chars
                        .clone()
                        .take(2)
                        .filter(char::is_ascii_hexdigit)
                        .count()
                        == 2;
                if escaped {
                    chars.nth(1);
                } else if !(c.is_ascii_alphanumeric() || "-._~:@/?!$'()*+,;".contains(c)) {
                    return Err(format!(
                        "character {c:?} would need percent-encoding in the query of the path template; write it as a `%XX` escape"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Reads a placeholder's name after its `{`, through the closing `}`; the error is the message.
fn read_placeholder(chars: &mut std::str::Chars<'_>) -> Result<String, String> {
    let mut name = String::new();
    let mut closed = false;
    for c in chars.by_ref() {
        match c {
            '}' => {
                closed = true;
                break;
            }
            '{' => {
                return Err(
                    "nested `{` in the path template; a placeholder is `{name}` with a parameter name inside"
                        .to_owned(),
                )
            }
            c => name.push(c),
        }
    }
    if !closed {
        return Err(format!(
            "unclosed `{{{name}` in the path template; close it with `}}`"
        ));
    }
    if name.is_empty() {
        return Err(
            "empty `{}` in the path template; put the parameter name inside, e.g. `{id}`"
                .to_owned(),
        );
    }
    if !is_ident(&name) {
        return Err(format!(
            "placeholder `{{{name}}}` is not a Rust identifier; it must be the name of a function parameter"
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::Span;

    fn pieces(text: &str) -> syn::Result<Vec<Piece>> {
        parse_template(&LitStr::new(text, Span::call_site()))
    }

    fn error(text: &str) -> String {
        match pieces(text) {
            Ok(p) => panic!("{text:?} was accepted as {p:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn splits_literals_and_placeholders_in_order() {
        let got = pieces("/items/{id}/parts/{part_no}.json").expect("valid template");
        assert_eq!(
            got,
            vec![
                Piece::Literal("/items/".into()),
                Piece::Param("id".into()),
                Piece::Literal("/parts/".into()),
                Piece::Param("part_no".into()),
                Piece::Literal(".json".into()),
            ]
        );
    }

    #[test]
    fn adjacent_placeholders_have_no_empty_literal_between() {
        let got = pieces("/{a}{b}").expect("valid template");
        let names = vec![
            Piece::Literal("/".into()),
            Piece::Param("a".into()),
            Piece::Param("b".into()),
        ];
        assert_eq!(got, names);
    }

    #[test]
    fn refuses_a_template_without_leading_slash() {
        assert!(error("items/{id}").contains("must start with '/', e.g. \"/items/{id}\""));
    }

    #[test]
    fn refuses_broken_placeholders() {
        assert!(error("/a/{id").contains("unclosed `{id` in the path template"));
        assert!(error("/a/{i{d}").contains("nested `{` in the path template"));
        assert!(error("/a/{}").contains("empty `{}` in the path template"));
        assert!(error("/a/{1d}").contains("placeholder `{1d}` is not a Rust identifier"));
        assert!(error("/a/{_}").contains("placeholder `{_}` is not a Rust identifier"));
        assert!(error("/a/}").contains("unmatched `}`"));
    }

    #[test]
    fn a_fixed_query_is_the_last_piece_and_only_name_value_pairs() {
        assert_eq!(
            pieces("/a/{id}?view=summary&fields=a,b%20c").expect("a fixed query"),
            vec![
                Piece::Literal("/a/".into()),
                Piece::Param("id".into()),
                Piece::Query("view=summary&fields=a,b%20c".into()),
            ]
        );
        assert_eq!(
            pieces("/?x=").expect("an empty value"),
            vec![Piece::Literal("/".into()), Piece::Query("x=".into())]
        );
        assert!(error("/a?key={key}").contains("a value from a parameter goes in `query(...)`"));
        assert!(error("/a?acl")
            .contains("`acl` in the query of the path template is not a `name=value` pair"));
        assert!(error("/a?x=1&&y=2").contains("`` in the query of the path template is not a"));
        assert!(error("/a?=1").contains("has no name before `=`"));
        assert!(error("/a?x=1#top").contains("must not contain `#`"));
        assert!(
            error("/a?q=a b").contains("character ' ' would need percent-encoding in the query")
        );
        assert!(
            error("/a?q=50%").contains("character '%' would need percent-encoding in the query")
        );
        assert!(
            error("/a?q=x=y").contains("character '=' would need percent-encoding in the query")
        );
        assert!(error("/../a?x=1").contains("contains a `..` segment"));
    }

    #[test]
    fn refuses_fragment_and_characters_needing_encoding() {
        assert!(error("/a#top").contains("must not contain `#`"));
        assert!(error("/a b").contains("character ' ' would need percent-encoding"));
        assert!(error("/100%").contains("character '%' would need percent-encoding"));
        assert!(error("/100%2").contains("character '%' would need percent-encoding"));
        assert!(error("/100%zz").contains("character '%' would need percent-encoding"));
        assert_eq!(
            pieces("/a%22b%C3%bc/{id}").expect("escapes are kept"),
            vec![
                Piece::Literal("/a%22b%C3%bc/".into()),
                Piece::Param("id".into())
            ]
        );
    }

    #[test]
    fn refuses_dot_segments_that_normalisation_removes() {
        assert!(error("/a/../{id}").contains("contains a `..` segment"));
        assert!(error("/a/./b").contains("contains a `.` segment"));
        assert!(error("/a/%2e%2E/b").contains("contains a `%2e%2E` segment"));
        assert!(error("/a/.%2e").contains("contains a `.%2e` segment"));
        assert!(pieces("/a%2e/b").is_ok());
        assert!(pieces("/a/.well-known/b").is_ok());
    }
}
