//! Response arms: turns `200 | 201 "text/csv" => json(T) as Wrap verdict` (one entry of
//! `ok(...)` or `err(...)`) into an [`Arm`] with its status keys, media type and body kind.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{parenthesized, Ident, LitInt, LitStr, Path, Token, Type};

/// One status key of an arm.
#[derive(Debug)]
pub(crate) enum StatusKey {
    Code(u16, Span),
    /// `4XX`: the status class (1 to 5).
    Range(u16, Span),
    Default(Span),
}

/// How a response body is read.
#[derive(Debug)]
pub(crate) enum Kind {
    Json(Box<Type>),
    Empty,
    Text,
    Bytes,
    Stream,
}

#[derive(Debug)]
pub(crate) struct Arm {
    pub(crate) statuses: Vec<StatusKey>,
    /// `200 "text/csv" => ...`: the arm takes the responses of its statuses with this media
    /// type (pattern: `type/subtype`, `type/*` or `*/*`), checked against `Content-Type`.
    pub(crate) media: Option<LitStr>,
    pub(crate) kind: Kind,
    pub(crate) wrap: Option<Path>,
    pub(crate) verdict: Option<Ident>,
}

impl Arm {
    /// Whether `default` is one of the arm's keys (the arm then takes every status no other
    /// arm names, its own codes included).
    pub(crate) fn has_default(&self) -> bool {
        self.statuses
            .iter()
            .any(|k| matches!(k, StatusKey::Default(_)))
    }

    /// Whether the exact status `code` is one of the arm's keys.
    pub(crate) fn covers(&self, code: u16) -> bool {
        self.statuses
            .iter()
            .any(|k| matches!(k, StatusKey::Code(c, _) if *c == code))
    }
}

impl StatusKey {
    /// The statuses `4XX` (class 4) covers: `(400, 499)`.
    pub(crate) fn class_bounds(class: u16) -> (u16, u16) {
        (class * 100, class * 100 + 99)
    }
}

impl Parse for StatusKey {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(Token![default]) {
            let kw: Token![default] = input.parse()?;
            return Ok(StatusKey::Default(kw.span));
        }
        if input.peek(LitInt) {
            let lit: LitInt = input.parse()?;
            if lit.suffix().eq_ignore_ascii_case("xx") {
                return match lit.base10_digits() {
                    d @ ("1" | "2" | "3" | "4" | "5") => {
                        Ok(StatusKey::Range(d.parse().unwrap_or(0), lit.span()))
                    }
                    _ => Err(syn::Error::new(
                        lit.span(),
                        format!("`{lit}` is not a status range; use 1XX to 5XX"),
                    )),
                };
            }
            let code = lit
                .base10_parse::<u64>()
                .ok()
                .filter(|c| (100..=599).contains(c))
                .and_then(|c| u16::try_from(c).ok());
            return match code {
                Some(code) => Ok(StatusKey::Code(code, lit.span())),
                None => Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "`{lit}` is not an HTTP status code; use a number from 100 to 599, or `default` for any other status"
                    ),
                )),
            };
        }
        Err(input
            .error("expected an HTTP status code (100..=599), a range such as `4XX`, or `default`"))
    }
}

/// A media type pattern of an arm: `type/subtype` (RFC 9110 tokens), `type/*` or `*/*`.
fn check_media_pattern(lit: &LitStr) -> syn::Result<()> {
    let text = lit.value();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    let ok = match text.split_once('/') {
        Some(("*", "*")) => true,
        Some((top, "*")) => token(top) && !top.contains('*'),
        Some((top, sub)) => token(top) && token(sub) && !top.contains('*') && !sub.contains('*'),
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(syn::Error::new(
            lit.span(),
            format!("`{text}` is not a media type; write `type/subtype` (e.g. \"text/csv\"), `type/*` or `*/*`, without parameters"),
        ))
    }
}

/// The body kind after `=>`: `json(Type)`, `empty`, `text`, `bytes` or `stream`.
fn parse_kind(input: ParseStream) -> syn::Result<Kind> {
    let kind_ident = Ident::parse_any(input)?;
    Ok(match kind_ident.to_string().as_str() {
        "json" => {
            let content;
            parenthesized!(content in input);
            let ty: Type = content.parse()?;
            if !content.is_empty() {
                return Err(content.error("expected exactly one type in `json(...)`"));
            }
            Kind::Json(Box::new(ty))
        }
        "empty" => Kind::Empty,
        "text" => Kind::Text,
        "bytes" => Kind::Bytes,
        "stream" => Kind::Stream,
        other => {
            return Err(syn::Error::new(
                kind_ident.span(),
                format!("unknown body kind `{other}`; expected `json(Type)`, `empty`, `text`, `bytes` or `stream`"),
            ))
        }
    })
}

/// `as Path` and `verdict` after the kind, each at most once, in any order.
fn parse_suffixes(input: ParseStream) -> syn::Result<(Option<Path>, Option<Ident>)> {
    let mut wrap = None;
    let mut verdict = None;
    loop {
        if input.peek(Token![as]) {
            let as_token: Token![as] = input.parse()?;
            if wrap.is_some() {
                return Err(syn::Error::new(
                    as_token.span,
                    "`as` is given twice in this arm",
                ));
            }
            wrap = Some(input.parse::<Path>()?);
        } else if input.peek(Ident) && input.fork().parse::<Ident>()? == "verdict" {
            let ident: Ident = input.parse()?;
            if verdict.is_some() {
                return Err(syn::Error::new(
                    ident.span(),
                    "`verdict` is given twice in this arm",
                ));
            }
            verdict = Some(ident);
        } else {
            break;
        }
    }
    Ok((wrap, verdict))
}

impl Parse for Arm {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut statuses = vec![input.parse::<StatusKey>()?];
        while input.peek(Token![|]) {
            input.parse::<Token![|]>()?;
            statuses.push(input.parse()?);
        }
        let media = if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            check_media_pattern(&lit)?;
            Some(lit)
        } else {
            None
        };
        input.parse::<Token![=>]>()?;
        let kind = parse_kind(input)?;
        let (wrap, verdict) = parse_suffixes(input)?;
        Ok(Arm {
            statuses,
            media,
            kind,
            wrap,
            verdict,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn arm(text: &str) -> syn::Result<Arm> {
        syn::parse_str(text)
    }

    fn error(text: &str) -> String {
        match arm(text) {
            Ok(a) => panic!("{text:?} was accepted as {a:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn reads_codes_ranges_and_default_as_status_keys() {
        let a = arm("200 | 4xx | 5XX | default => empty").expect("valid arm");
        let keys: Vec<String> = a
            .statuses
            .iter()
            .map(|k| match k {
                StatusKey::Code(c, _) => format!("code {c}"),
                StatusKey::Range(c, _) => format!("range {c}"),
                StatusKey::Default(_) => "default".to_owned(),
            })
            .collect();
        assert_eq!(keys, ["code 200", "range 4", "range 5", "default"]);
        assert!(matches!(a.kind, Kind::Empty));
        assert!(a.covers(200) && !a.covers(404));
    }

    #[test]
    fn reads_json_type_media_wrap_and_verdict() {
        let a = arm("200 \"text/csv\" => json(Vec<Item>) verdict as Out::Csv").expect("valid arm");
        let Kind::Json(ty) = &a.kind else {
            panic!("expected a json kind, got {:?}", a.kind)
        };
        assert_eq!(ty.to_token_stream().to_string(), "Vec < Item >");
        assert_eq!(
            a.media.as_ref().map(LitStr::value).as_deref(),
            Some("text/csv")
        );
        let wrap = a.wrap.as_ref().map(|p| p.to_token_stream().to_string());
        assert_eq!(wrap.as_deref(), Some("Out :: Csv"));
        assert!(a.verdict.is_some());
    }

    #[test]
    fn refuses_statuses_outside_http_and_bad_ranges() {
        assert!(error("600 => empty").contains("`600` is not an HTTP status code"));
        assert!(error("99 => empty").contains("`99` is not an HTTP status code"));
        assert!(error("6XX => empty").contains("`6XX` is not a status range; use 1XX to 5XX"));
        assert!(error("ok => empty").contains("expected an HTTP status code (100..=599)"));
    }

    #[test]
    fn refuses_media_types_that_are_not_patterns() {
        assert!(error("200 \"csv\" => text").contains("`csv` is not a media type"));
        assert!(error("200 \"a*/b\" => text").contains("`a*/b` is not a media type"));
        let with_parameter = error("200 \"text/csv; charset=utf-8\" => text");
        assert!(with_parameter.contains("is not a media type"));
        assert!(arm("200 \"text/*\" => text").is_ok());
        assert!(arm("200 \"*/*\" => text").is_ok());
    }

    #[test]
    fn refuses_unknown_kinds_and_repeated_suffixes() {
        assert!(error("200 => jsn(T)").contains("unknown body kind `jsn`"));
        assert!(error("200 => json(T, U)").contains("expected exactly one type in `json(...)`"));
        assert!(error("200 => text as A as B").contains("`as` is given twice in this arm"));
        assert!(error("200 => json(T) verdict verdict")
            .contains("`verdict` is given twice in this arm"));
    }
}
