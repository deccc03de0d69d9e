//! The attribute's arguments: turns `METHOD "/path", key = value, key(...), ...` into
//! [`Args`], refusing unknown or repeated keys and entries a key cannot take.

use std::collections::HashSet;

use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{parenthesized, token, Ident, LitStr, Token};

use super::arm::Arm;
use super::options::{ParamOptions, QueryItem, SchemeName};

/// The HTTP methods, by their name in the attribute and their `vendor_clients::Method` variant.
const METHODS: &[(&str, &str)] = &[
    ("GET", "Get"),
    ("POST", "Post"),
    ("PUT", "Put"),
    ("PATCH", "Patch"),
    ("DELETE", "Delete"),
    ("HEAD", "Head"),
    ("OPTIONS", "Options"),
    ("TRACE", "Trace"),
];

/// Whether a method is idempotent by HTTP semantics (GET, HEAD, PUT, DELETE, OPTIONS): the
/// default of `Operation::idempotent`, written as a literal so that the operation is a constant
/// the compiler promotes. The same table as the runtime's `Method::is_idempotent`;
/// tests/resilience.rs checks the two agree (a GET is retried, a POST is not).
pub(crate) fn idempotent_by_default(method_variant: &str) -> bool {
    matches!(
        method_variant,
        "Get" | "Head" | "Put" | "Delete" | "Options"
    )
}

/// How the request body is encoded (`body = x` is JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyEncoding {
    Json,
    Form,
    Text,
    Bytes,
    Upload,
    Multipart,
}

/// `name = "Header-Name"`, with `(json)` when the value is sent as JSON text.
#[derive(Debug)]
pub(crate) struct Header {
    pub(crate) ident: Ident,
    pub(crate) wire: LitStr,
    pub(crate) json: bool,
}

/// `name = "cookie_name"`.
#[derive(Debug)]
pub(crate) struct Cookie {
    pub(crate) ident: Ident,
    pub(crate) wire: LitStr,
}

pub(crate) struct Args {
    pub(crate) method: Ident,
    pub(crate) method_variant: &'static str,
    pub(crate) path: LitStr,
    pub(crate) operation_id: Option<LitStr>,
    /// `accept = "text/csv, application/json"`: the `Accept` header, as the spec declares it.
    pub(crate) accept: Option<LitStr>,
    /// `content_type = "application/merge-patch+json"`: the body's media type, when not its
    /// encoding's default.
    pub(crate) content_type: Option<LitStr>,
    pub(crate) auth: Vec<LitStr>,
    pub(crate) query: Vec<QueryItem>,
    pub(crate) headers: Vec<Header>,
    pub(crate) cookies: Vec<Cookie>,
    pub(crate) body: Option<(BodyEncoding, Ident)>,
    pub(crate) params: Option<Ident>,
    pub(crate) idempotent: Option<syn::LitBool>,
    /// `sensitive`: the responses can hold secrets, so error snippets leave the body out.
    pub(crate) sensitive: bool,
    pub(crate) ok: Option<Vec<Arm>>,
    pub(crate) err: Vec<Arm>,
}

fn parse_list<T: Parse>(input: ParseStream) -> syn::Result<Vec<T>> {
    let content;
    parenthesized!(content in input);
    let items = Punctuated::<T, Token![,]>::parse_terminated(&content)?;
    Ok(items.into_iter().collect())
}

/// The method name, upper case, and its `Method` variant.
fn parse_method(input: ParseStream) -> syn::Result<(Ident, &'static str)> {
    let method = Ident::parse_any(input).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the HTTP method first, e.g. `#[endpoint(GET \"/items/{id}\", ok(200 => json(Item)))]`",
        )
    })?;
    let name = method.to_string();
    let Some(&(_, method_variant)) = METHODS.iter().find(|(m, _)| *m == name) else {
        let hint = if METHODS.iter().any(|(m, _)| m.eq_ignore_ascii_case(&name)) {
            format!("; write it in upper case: `{}`", name.to_ascii_uppercase())
        } else {
            String::new()
        };
        return Err(syn::Error::new(
            method.span(),
            format!(
                "unknown HTTP method `{name}`; expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, TRACE{hint}"
            ),
        ));
    };
    Ok((method, method_variant))
}

fn parse_cookies(input: ParseStream) -> syn::Result<Vec<Cookie>> {
    let mut cookies = Vec::new();
    for item in parse_list::<QueryItem>(input)? {
        let Some(wire) = item.wire else {
            return Err(syn::Error::new(
                item.ident.span(),
                format!(
                    "a cookie needs its wire name: write `{} = \"cookie_name\"`",
                    item.ident
                ),
            ));
        };
        if let Some(options) = &item.options {
            return Err(syn::Error::new(options.span(), "cookies take no options"));
        }
        cookies.push(Cookie {
            ident: item.ident,
            wire,
        });
    }
    Ok(cookies)
}

fn parse_headers(input: ParseStream) -> syn::Result<Vec<Header>> {
    let mut headers = Vec::new();
    for item in parse_list::<QueryItem>(input)? {
        let Some(wire) = item.wire else {
            return Err(syn::Error::new(
                item.ident.span(),
                format!(
                    "a header needs its wire name: write `{} = \"Header-Name\"`",
                    item.ident
                ),
            ));
        };
        let json = match &item.options {
            None => false,
            Some(ParamOptions::Json(_)) => true,
            Some(options) => {
                return Err(syn::Error::new(
                    options.span(),
                    "a header takes only the `json` option",
                ))
            }
        };
        headers.push(Header {
            ident: item.ident,
            wire,
            json,
        });
    }
    Ok(headers)
}

/// `= param` or `(encoding) = param` after `body`.
fn parse_body(input: ParseStream) -> syn::Result<(BodyEncoding, Ident)> {
    let encoding = if input.peek(token::Paren) {
        let content;
        parenthesized!(content in input);
        let kind = Ident::parse_any(&content)?;
        match kind.to_string().as_str() {
            "json" => BodyEncoding::Json,
            "form" => BodyEncoding::Form,
            "text" => BodyEncoding::Text,
            "bytes" => BodyEncoding::Bytes,
            "upload" => BodyEncoding::Upload,
            "multipart" => BodyEncoding::Multipart,
            other => {
                return Err(syn::Error::new(
                    kind.span(),
                    format!("unknown body encoding `{other}`; expected `json`, `form`, `text`, `bytes`, `upload` or `multipart`"),
                ))
            }
        }
    } else {
        BodyEncoding::Json
    };
    input.parse::<Token![=]>()?;
    Ok((encoding, Ident::parse_any(input)?))
}

/// The value of `content_type = "type/subtype; parameters"`: one media type, not a range
/// (`image/*`), in visible ASCII (it is sent as the `Content-Type` header). The generator keeps
/// to the same rule (`sendable_media` in codegen/src/lower/body.rs).
fn parse_media_type(lit: LitStr) -> syn::Result<LitStr> {
    let value = lit.value();
    let essence = value.split(';').next().unwrap_or("").trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    let shaped = essence
        .split_once('/')
        .is_some_and(|(kind, subtype)| token(kind) && token(subtype));
    if !shaped || !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(syn::Error::new(
            lit.span(),
            "`content_type` takes one media type in visible ASCII, e.g. \"application/merge-patch+json\" or \"image/png\" (not a range such as \"image/*\")",
        ));
    }
    Ok(lit)
}

/// `idempotent` alone (true, at the key) or `idempotent = true|false`.
fn parse_idempotent(key: &Ident, input: ParseStream) -> syn::Result<syn::LitBool> {
    if !input.peek(Token![=]) {
        return Ok(syn::LitBool::new(true, key.span()));
    }
    input.parse::<Token![=]>()?;
    input.parse::<syn::LitBool>().map_err(|e| {
        syn::Error::new(
            e.span(),
            "`idempotent` takes `true` or `false` (or no value, meaning `true`)",
        )
    })
}

impl Args {
    /// Reads what follows the option `key` into `self`.
    fn parse_option(&mut self, key: &Ident, input: ParseStream) -> syn::Result<()> {
        match key.to_string().as_str() {
            "operation_id" => {
                input.parse::<Token![=]>()?;
                self.operation_id = Some(input.parse()?);
            }
            "accept" => {
                input.parse::<Token![=]>()?;
                let lit: LitStr = input.parse()?;
                let value = lit.value();
                if value.is_empty() || !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                    return Err(syn::Error::new(
                        lit.span(),
                        "`accept` takes media types in visible ASCII, e.g. \"text/csv, application/json\"",
                    ));
                }
                self.accept = Some(lit);
            }
            "content_type" => {
                input.parse::<Token![=]>()?;
                self.content_type = Some(parse_media_type(input.parse()?)?);
            }
            "auth" => {
                self.auth = parse_list::<SchemeName>(input)?
                    .into_iter()
                    .map(|s| s.0)
                    .collect();
            }
            "query" => self.query = parse_list(input)?,
            "cookies" => self.cookies = parse_cookies(input)?,
            "headers" => self.headers = parse_headers(input)?,
            "body" => self.body = Some(parse_body(input)?),
            "params" => {
                input.parse::<Token![=]>()?;
                self.params = Some(Ident::parse_any(input)?);
            }
            "idempotent" => self.idempotent = Some(parse_idempotent(key, input)?),
            "sensitive" => self.sensitive = true,
            "ok" => self.ok = Some(parse_list(input)?),
            "err" => self.err = parse_list(input)?,
            key_name => {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown option `{key_name}`; expected one of operation_id = \"...\", accept = \"...\", content_type = \"...\", auth(...), query(...), headers(...), cookies(...), body = param, body(json|form|text|bytes|upload|multipart) = param, params = param, idempotent, sensitive, ok(...), err(...)"
                    ),
                ))
            }
        }
        Ok(())
    }
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (method, method_variant) = parse_method(input)?;
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the path template as a string literal after the HTTP method, e.g. \"/items/{id}\"",
            )
        })?;
        let mut args = Args {
            method,
            method_variant,
            path,
            operation_id: None,
            accept: None,
            content_type: None,
            auth: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            params: None,
            idempotent: None,
            sensitive: false,
            ok: None,
            err: Vec::new(),
        };
        let mut seen: HashSet<String> = HashSet::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key = Ident::parse_any(input)?;
            let key_name = key.to_string();
            if !seen.insert(key_name.clone()) {
                let message = if key_name == "body" {
                    "a request has only one body, and `body` is already given; send the other parameter in the path, query(...) or headers(...)".to_owned()
                } else {
                    format!("`{key_name}` is given twice; list everything in one `{key_name}`")
                };
                return Err(syn::Error::new(key.span(), message));
            }
            args.parse_option(&key, input)?;
        }
        Ok(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Args {
        match syn::parse_str(text) {
            Ok(args) => args,
            Err(e) => panic!("{text:?} was refused: {e}"),
        }
    }

    fn error(text: &str) -> String {
        match syn::parse_str::<Args>(text) {
            Ok(a) => panic!("{text:?} was accepted (method {})", a.method),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn accept_must_be_visible_ascii() {
        for bad in ["\"\"", "\"text/csv\\n\"", "\"text/\u{e9}\""] {
            let e = error(&format!("GET \"/a\", accept = {bad}, ok(200 => text)"));
            assert!(
                e.contains("`accept` takes media types in visible ASCII"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn content_type_must_be_one_media_type_in_visible_ascii() {
        for bad in [
            "\"\"",
            "\"png\"",
            "\"image/*\"",
            "\"*/*\"",
            "\"image/\"",
            "\"text/csv\\n\"",
            "\"text/\u{e9}\"",
        ] {
            let e = error(&format!(
                "POST \"/a\", body(bytes) = b, content_type = {bad}, ok(200 => text)"
            ));
            assert!(
                e.contains("`content_type` takes one media type in visible ASCII"),
                "{bad}: {e}"
            );
        }
        for good in [
            "application/merge-patch+json",
            "application/json; odata=minimalmetadata",
            "text/csv; charset=utf-8",
            "application/vnd.api+json",
        ] {
            let a = args(&format!(
                "POST \"/a\", body(bytes) = b, content_type = {good:?}, ok(200 => text)"
            ));
            assert_eq!(a.content_type.map(|c| c.value()).as_deref(), Some(good));
        }
    }

    #[test]
    fn reads_method_path_and_every_option() {
        let a = args(
            r#"PATCH "/a/{id}", operation_id = "op", accept = "text/csv", auth(key, "api-key"), query(q),
               headers(h = "X-H"(json)), cookies(c = "sid"), body(form) = b, params = p,
               idempotent, sensitive, ok(200 => empty), err(404 => text),"#,
        );
        assert_eq!(
            (a.method.to_string().as_str(), a.method_variant),
            ("PATCH", "Patch")
        );
        assert_eq!(a.path.value(), "/a/{id}");
        assert_eq!(a.operation_id.map(|o| o.value()).as_deref(), Some("op"));
        assert_eq!(a.accept.map(|o| o.value()).as_deref(), Some("text/csv"));
        assert!(a.sensitive);
        let auth: Vec<String> = a.auth.iter().map(LitStr::value).collect();
        assert_eq!(auth, ["key", "api-key"]);
        assert_eq!(a.query.len(), 1);
        assert!(a.headers[0].json && a.headers[0].wire.value() == "X-H");
        assert_eq!(a.cookies[0].wire.value(), "sid");
        assert!(matches!(&a.body, Some((BodyEncoding::Form, b)) if b == "b"));
        assert!(a.params.is_some_and(|p| p == "p"));
        assert!(a.idempotent.is_some_and(|i| i.value()));
        assert_eq!((a.ok.map(|o| o.len()), a.err.len()), (Some(1), 1));
    }

    #[test]
    fn a_plain_body_is_json_and_idempotent_takes_a_bool() {
        let a = args(r#"POST "/a", body = b, idempotent = false"#);
        assert!(matches!(a.body, Some((BodyEncoding::Json, _))));
        assert!(a.idempotent.is_some_and(|i| !i.value()));
        assert!(
            a.ok.is_none(),
            "a missing `ok` is for the check stage to refuse"
        );
    }

    #[test]
    fn refuses_unknown_or_lower_case_methods_and_a_missing_path() {
        assert!(error(r#"get "/a""#).contains("write it in upper case: `GET`"));
        assert!(error(r#"FETCH "/a""#).contains("unknown HTTP method `FETCH`"));
        assert!(error(r#""/a""#).contains("expected the HTTP method first"));
        assert!(error("GET a").contains("expected the path template as a string literal"));
    }

    #[test]
    fn refuses_repeated_and_unknown_keys() {
        let body = error(r#"POST "/a", body = a, body = b"#);
        assert!(body.contains("a request has only one body"));
        let ok = error(r#"GET "/a", ok(200 => empty), ok(201 => empty)"#);
        assert!(ok.contains("`ok` is given twice; list everything in one `ok`"));
        assert!(error(r#"GET "/a", retries = 3"#).contains("unknown option `retries`"));
    }

    #[test]
    fn refuses_headers_and_cookies_without_wire_names_or_with_wrong_options() {
        let header = error(r#"GET "/a", headers(h)"#);
        assert!(header.contains("a header needs its wire name: write `h = \"Header-Name\"`"));
        let styled = error(r#"GET "/a", headers(h = "X"(explode = false))"#);
        assert!(styled.contains("a header takes only the `json` option"));
        let cookie = error(r#"GET "/a", cookies(c)"#);
        assert!(cookie.contains("a cookie needs its wire name"));
        assert!(error(r#"GET "/a", cookies(c = "c"(json))"#).contains("cookies take no options"));
    }

    #[test]
    fn refuses_unknown_body_encodings_and_non_bool_idempotent() {
        assert!(error(r#"POST "/a", body(xml) = b"#).contains("unknown body encoding `xml`"));
        let idempotent = error(r#"POST "/a", idempotent = 1"#);
        assert!(idempotent.contains("`idempotent` takes `true` or `false`"));
    }
}
