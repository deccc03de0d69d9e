//! The `#[endpoint]` attribute of `vendor-clients`.
//!
//! It turns an `async fn` declared without a body inside an `impl` of a type
//! implementing `vendor_clients::Endpoints` into the code that builds the
//! request, sends it, and maps the response status to the declared result.
//! See `vendor_clients::endpoint` for the grammar.

use std::collections::{HashMap, HashSet};

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{
    braced, parenthesized, token, Attribute, FnArg, Ident, LitInt, LitStr, Pat, Path, Signature,
    Token, Type, Visibility,
};

/// Declares an endpoint method: see `vendor_clients::endpoint`.
///
/// ```text
/// #[endpoint(METHOD "/path/{param}",
///     operation_id = "opId",            // optional, default: fn name
///     auth(schemeA, schemeB),           // optional, any one applies
///     query(a, b = "wire[name]",        // optional; lists repeat the name, or
///           ids(explode = false),       // `ids=1,2` (any `style = "form" |
///           f(style = "deepObject"),    // "pipeDelimited" | "spaceDelimited" |
///           q = "q"(json)),             // "deepObject"`), or the value as JSON text
///     headers(c = "X-Header"),          // optional, wire name required; `(json)`
///                                       // after it sends the value as JSON text
///     cookies(e = "session"),           // optional, wire name required; one Cookie header
///     body = d,                         // optional, JSON; or body(form) = d
///                                       // (urlencoded), body(text) = d (text/plain),
///                                       // body(bytes) = d (application/octet-stream),
///                                       // body(upload) = d (the same, d: impl
///                                       // Into<vendor_clients::Upload>, may stream),
///                                       // body(multipart) = d (multipart/form-data,
///                                       // d: impl vendor_clients::MultipartBody)
///     params = p,                       // optional, p: impl vendor_clients::Params
///     idempotent,                       // optional (or `idempotent = false`): may be
///                                       // retried; default: GET HEAD PUT DELETE OPTIONS
///     ok(200 => json(T), 204 => empty), // required; kinds: json(T), empty, text,
///                                       // bytes, stream (a `vendor_clients::ByteStream<E>`,
///                                       // not read into memory; ok arms with codes only)
///     ok(200 "application/json" => json(T) as R::Json, // arms of one status may differ
///        200 "text/csv" => stream as R::Csv),  // by media type (`type/subtype`, `type/*`):
///                                       // the response's Content-Type picks the arm (none:
///                                       // application/octet-stream), else the status's arm
///                                       // without one, else Error::Decode; `Accept` then
///                                       // lists the arms' media types
///     err(404 => json(E), default => json(E)), // optional; `4XX` is any 4xx
///                                       // status no exact code of the arms matches
/// )]
/// async fn name(&self, param: &str, a: u32, ...) -> Result<T, Error<E>>;
/// ```
#[proc_macro_attribute]
pub fn endpoint(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = TokenStream2::from(item);
    match expand(attr.into(), item.clone()) {
        Ok(tokens) => tokens.into(),
        Err(err) => {
            let mut out = err.to_compile_error();
            out.extend(stub(item));
            out.into()
        }
    }
}

/// After an error, keeps the method declared (so callers and IDEs do not
/// report it as missing). It is never run: the compile error above stops
/// the build.
fn stub(item: TokenStream2) -> TokenStream2 {
    let Ok(item) = syn::parse2::<syn::ImplItemFn>(item.clone()).or_else(|_| {
        syn::parse2::<EndpointFn>(item).map(|f| syn::ImplItemFn {
            attrs: f.attrs,
            vis: f.vis,
            defaultness: None,
            sig: f.sig,
            block: syn::parse_quote!({}),
        })
    }) else {
        return TokenStream2::new();
    };
    let syn::ImplItemFn {
        attrs, vis, sig, ..
    } = item;
    quote! {
        #(#attrs)*
        #[allow(unused_variables)]
        #vis #sig {
            ::core::unreachable!("`#[endpoint]` could not expand this method (see the compile error)")
        }
    }
}

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

// ---------------------------------------------------------------- the item

/// `attrs vis sig ;` — an associated fn without a body.
struct EndpointFn {
    attrs: Vec<Attribute>,
    vis: Visibility,
    sig: Signature,
}

impl Parse for EndpointFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        if input.peek(Token![;]) {
            input.parse::<Token![;]>()?;
        } else if input.peek(token::Brace) {
            let content;
            let brace = braced!(content in input);
            let _: TokenStream2 = content.parse()?;
            return Err(syn::Error::new(
                brace.span.join(),
                "an `#[endpoint]` method is declared without a body: replace the `{ ... }` with `;` (the macro writes the body)",
            ));
        } else {
            return Err(input.error("expected `;` after the `#[endpoint]` method signature"));
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the `#[endpoint]` method"));
        }
        Ok(Self { attrs, vis, sig })
    }
}

// ---------------------------------------------------------- the arguments

enum StatusKey {
    Code(u16, Span),
    /// `4XX`: the status class (1 to 5).
    Range(u16, Span),
    Default(Span),
}

/// How the request body is encoded (`body = x` is JSON).
#[derive(Clone, Copy)]
enum BodyEncoding {
    Json,
    Form,
    Text,
    Bytes,
    Upload,
    Multipart,
}

enum Kind {
    Json(Box<Type>),
    Empty,
    Text,
    Bytes,
    Stream,
}

struct Arm {
    statuses: Vec<StatusKey>,
    /// `200 "text/csv" => ...`: the arm takes the responses of its statuses with this media
    /// type (pattern: `type/subtype`, `type/*` or `*/*`), checked against `Content-Type`.
    media: Option<LitStr>,
    kind: Kind,
    wrap: Option<Path>,
    verdict: Option<Ident>,
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
        let kind_ident = Ident::parse_any(input)?;
        let kind = match kind_ident.to_string().as_str() {
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
        };
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
        Ok(Arm {
            statuses,
            media,
            kind,
            wrap,
            verdict,
        })
    }
}

struct QueryItem {
    ident: Ident,
    wire: Option<LitStr>,
    /// `(style = "...", explode = bool)` or `(json)` after the name.
    options: Option<ParamOptions>,
}

/// How a parameter is written, when not as plain text.
enum ParamOptions {
    /// `style = "..."` and/or `explode = bool`: a `vendor_clients::QueryStyle`.
    Style(Span, &'static str),
    /// `json`: the JSON text of the value (`content: application/json`).
    Json(Span),
}

impl ParamOptions {
    fn span(&self) -> Span {
        match self {
            ParamOptions::Style(span, _) | ParamOptions::Json(span) => *span,
        }
    }
}

impl Parse for ParamOptions {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let content;
        let paren = parenthesized!(content in input);
        let span = paren.span.join();
        let mut style: Option<LitStr> = None;
        let mut explode: Option<syn::LitBool> = None;
        let mut json = false;
        while !content.is_empty() {
            let key = Ident::parse_any(&content)?;
            match key.to_string().as_str() {
                "json" => json = true,
                "style" => {
                    content.parse::<Token![=]>()?;
                    style = Some(content.parse()?);
                }
                "explode" => {
                    content.parse::<Token![=]>()?;
                    explode = Some(content.parse()?);
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown parameter option `{other}`; expected `style = \"...\"`, `explode = true|false` or `json`"),
                    ))
                }
            }
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        if json {
            if style.is_some() || explode.is_some() {
                return Err(syn::Error::new(
                    span,
                    "`json` sends the value as JSON text, so it takes no `style` or `explode`",
                ));
            }
            return Ok(ParamOptions::Json(span));
        }
        let exploded = explode.as_ref().map(syn::LitBool::value);
        let variant = match style.as_ref().map(LitStr::value).as_deref() {
            None | Some("form") => match exploded {
                Some(false) => "FormUnexploded",
                _ => "Form",
            },
            Some("pipeDelimited") if exploded != Some(true) => "PipeDelimited",
            Some("spaceDelimited") if exploded != Some(true) => "SpaceDelimited",
            // Exploded, these are the form style (OpenAPI).
            Some("pipeDelimited" | "spaceDelimited") => "Form",
            Some("deepObject") => "DeepObject",
            Some(other) => {
                return Err(syn::Error::new(
                    style.as_ref().map_or(span, LitStr::span),
                    format!("unknown query style `{other}`; expected \"form\", \"pipeDelimited\", \"spaceDelimited\" or \"deepObject\""),
                ))
            }
        };
        if style.is_none() && explode.is_none() {
            return Err(syn::Error::new(
                span,
                "empty parameter options; give `style = \"...\"`, `explode = false` or `json`, or remove the parentheses",
            ));
        }
        Ok(ParamOptions::Style(span, variant))
    }
}

impl Parse for QueryItem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let ident = Ident::parse_any(input)?;
        let wire = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Some(input.parse::<LitStr>()?)
        } else {
            None
        };
        let options = if input.peek(token::Paren) {
            Some(input.parse()?)
        } else {
            None
        };
        Ok(Self {
            ident,
            wire,
            options,
        })
    }
}

/// A scheme name: an identifier or a string (for names like `api-key`).
struct SchemeName(LitStr);

impl Parse for SchemeName {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(Self(input.parse()?));
        }
        let ident = Ident::parse_any(input)?;
        Ok(Self(LitStr::new(&ident.unraw().to_string(), ident.span())))
    }
}

struct Args {
    method: Ident,
    method_variant: &'static str,
    path: LitStr,
    operation_id: Option<LitStr>,
    auth: Vec<LitStr>,
    query: Vec<QueryItem>,
    headers: Vec<(Ident, LitStr, bool)>,
    cookies: Vec<(Ident, LitStr)>,
    body: Option<(BodyEncoding, Ident)>,
    params: Option<Ident>,
    idempotent: Option<syn::LitBool>,
    ok: Option<Vec<Arm>>,
    err: Vec<Arm>,
}

fn parse_list<T: Parse>(input: ParseStream) -> syn::Result<Vec<T>> {
    let content;
    parenthesized!(content in input);
    let items = Punctuated::<T, Token![,]>::parse_terminated(&content)?;
    Ok(items.into_iter().collect())
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
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
            auth: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            params: None,
            idempotent: None,
            ok: None,
            err: Vec::new(),
        };
        let mut seen: HashMap<String, Span> = HashMap::new();

        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key = Ident::parse_any(input)?;
            let key_name = key.to_string();
            if seen.contains_key(&key_name) {
                let message = if key_name == "body" {
                    "a request has only one body, and `body` is already given; send the other parameter in the path, query(...) or headers(...)".to_owned()
                } else {
                    format!("`{key_name}` is given twice; list everything in one `{key_name}`")
                };
                return Err(syn::Error::new(key.span(), message));
            }
            seen.insert(key_name.clone(), key.span());
            match key_name.as_str() {
                "operation_id" => {
                    input.parse::<Token![=]>()?;
                    args.operation_id = Some(input.parse()?);
                }
                "auth" => {
                    args.auth = parse_list::<SchemeName>(input)?
                        .into_iter()
                        .map(|s| s.0)
                        .collect();
                }
                "query" => args.query = parse_list(input)?,
                "cookies" => {
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
                            return Err(syn::Error::new(
                                options.span(),
                                "cookies take no options",
                            ));
                        }
                        args.cookies.push((item.ident, wire));
                    }
                }
                "headers" => {
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
                        args.headers.push((item.ident, wire, json));
                    }
                }
                "body" => {
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
                    args.body = Some((encoding, Ident::parse_any(input)?));
                }
                "params" => {
                    input.parse::<Token![=]>()?;
                    args.params = Some(Ident::parse_any(input)?);
                }
                "idempotent" => {
                    args.idempotent = Some(if input.peek(Token![=]) {
                        input.parse::<Token![=]>()?;
                        input.parse::<syn::LitBool>().map_err(|e| {
                            syn::Error::new(
                                e.span(),
                                "`idempotent` takes `true` or `false` (or no value, meaning `true`)",
                            )
                        })?
                    } else {
                        syn::LitBool::new(true, key.span())
                    });
                }
                "ok" => args.ok = Some(parse_list(input)?),
                "err" => args.err = parse_list(input)?,
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{key_name}`; expected one of operation_id = \"...\", auth(...), query(...), headers(...), cookies(...), body = param, body(json|form|text|bytes|upload|multipart) = param, params = param, idempotent, ok(...), err(...)"
                        ),
                    ))
                }
            }
        }
        Ok(args)
    }
}

// ------------------------------------------------------- path templates

enum Piece {
    Literal(String),
    Param(String),
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

fn parse_template(lit: &LitStr) -> syn::Result<Vec<Piece>> {
    let text = lit.value();
    let err = |message: String| Err(syn::Error::new(lit.span(), message));
    if !text.starts_with('/') {
        return err(format!(
            "the path template must start with '/', e.g. \"/{}\"",
            text.trim_start_matches('/')
        ));
    }
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    match c {
                        '}' => {
                            closed = true;
                            break;
                        }
                        '{' => {
                            return err(
                                "nested `{` in the path template; a placeholder is `{name}` with a parameter name inside"
                                    .to_owned(),
                            )
                        }
                        c => name.push(c),
                    }
                }
                if !closed {
                    return err(format!(
                        "unclosed `{{{name}` in the path template; close it with `}}`"
                    ));
                }
                if name.is_empty() {
                    return err(
                        "empty `{}` in the path template; put the parameter name inside, e.g. `{id}`"
                            .to_owned(),
                    );
                }
                if !is_ident(&name) {
                    return err(format!(
                        "placeholder `{{{name}}}` is not a Rust identifier; it must be the name of a function parameter"
                    ));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Param(name));
            }
            '}' => return err("unmatched `}` in the path template".to_owned()),
            '?' => {
                return err(
                    "the path template must not contain `?`; declare query parameters with `query(...)`"
                        .to_owned(),
                )
            }
            '#' => return err("the path template must not contain `#`".to_owned()),
            c if literal_char_ok(c) => literal.push(c),
            c => {
                return err(format!(
                    "character {c:?} would need percent-encoding in the path template; use only letters, digits and `-._~/:@!$&'()*+,;=` (pass other text as a `{{parameter}}`)"
                ))
            }
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    for segment in text.split('/') {
        if segment == "." || segment == ".." {
            return err(format!(
                "the path template contains a `{segment}` segment, which URL normalisation would remove"
            ));
        }
    }
    Ok(pieces)
}

// ------------------------------------------------------------ expansion

struct Param {
    ident: Ident,
    span: Span,
    used: Option<&'static str>,
}

fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let item: EndpointFn = syn::parse2(item)?;
    let args: Args = syn::parse2(attr)?;
    let sig = &item.sig;

    if sig.asyncness.is_none() {
        return Err(syn::Error::new(
            sig.fn_token.span,
            "an `#[endpoint]` method must be `async`: write `async fn`",
        ));
    }

    // Receiver and parameters.
    let mut inputs = sig.inputs.iter();
    match inputs.next() {
        Some(FnArg::Receiver(r))
            if r.reference.is_some() && r.mutability.is_none() && r.colon_token.is_none() => {}
        Some(other) => {
            return Err(syn::Error::new(
                other.span(),
                "the first parameter of an `#[endpoint]` method must be `&self`",
            ))
        }
        None => {
            return Err(syn::Error::new(
                sig.ident.span(),
                "an `#[endpoint]` method needs `&self` as its first parameter",
            ))
        }
    }
    let mut params: Vec<Param> = Vec::new();
    for input in inputs {
        let FnArg::Typed(typed) = input else {
            return Err(syn::Error::new(input.span(), "unexpected receiver"));
        };
        match &*typed.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => params.push(Param {
                ident: p.ident.clone(),
                span: typed.span(),
                used: None,
            }),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "`#[endpoint]` parameters must be plain names (`name: Type`), since names connect them to the path, query, headers and body",
                ))
            }
        }
    }

    let pieces = parse_template(&args.path)?;

    // Every use of a parameter: marks it used, refuses double use.
    let mut use_param = |name: &str, span: Span, place: &'static str| -> syn::Result<Ident> {
        let Some(param) = params.iter_mut().find(|p| p.ident.unraw() == name) else {
            let message = if place == "the path template" {
                format!(
                    "path template uses `{{{name}}}` but the function has no parameter `{name}`; add it or rename the placeholder"
                )
            } else {
                format!(
                    "{place} names `{name}` but the function has no parameter `{name}`; add it or remove it here"
                )
            };
            return Err(syn::Error::new(span, message));
        };
        if let Some(previous) = param.used {
            return Err(syn::Error::new(
                span,
                format!(
                    "parameter `{name}` is already sent in {previous}; each parameter can be sent in one place only"
                ),
            ));
        }
        param.used = Some(place);
        Ok(param.ident.clone())
    };

    let mut build = Vec::new();
    for piece in &pieces {
        match piece {
            Piece::Literal(text) => build.push(quote! { __vc_req.push_literal(#text); }),
            Piece::Param(name) => {
                let ident = use_param(name, args.path.span(), "the path template")?;
                build.push(quote! { __vc_req.push_param(#name, &#ident); });
            }
        }
    }
    for q in &args.query {
        let name = q.ident.unraw().to_string();
        let ident = use_param(&name, q.ident.span(), "query(...)")?;
        let wire = q.wire.as_ref().map_or_else(|| name.clone(), LitStr::value);
        build.push(match &q.options {
            None => quote! { __vc_req.query(#wire, &#ident); },
            Some(ParamOptions::Json(_)) => quote! { __vc_req.query_json(#wire, &#ident); },
            Some(ParamOptions::Style(span, variant)) => {
                let variant = Ident::new(variant, *span);
                quote! { __vc_req.query_styled(#wire, &#ident, ::vendor_clients::QueryStyle::#variant); }
            }
        });
    }
    for (header, wire, json) in &args.headers {
        let name = header.unraw().to_string();
        let ident = use_param(&name, header.span(), "headers(...)")?;
        build.push(if *json {
            quote! { __vc_req.header_json(#wire, &#ident); }
        } else {
            quote! { __vc_req.header(#wire, &#ident); }
        });
    }
    for (cookie, wire) in &args.cookies {
        let name = cookie.unraw().to_string();
        let ident = use_param(&name, cookie.span(), "cookies(...)")?;
        build.push(quote! { __vc_req.cookie(#wire, &#ident); });
    }
    if let Some((encoding, body)) = &args.body {
        let name = body.unraw().to_string();
        let ident = use_param(&name, body.span(), "body")?;
        build.push(match encoding {
            BodyEncoding::Json => quote! { __vc_req.json_body(&#ident); },
            BodyEncoding::Form => quote! { __vc_req.form_body(&#ident); },
            BodyEncoding::Text => quote! { __vc_req.text_body(&#ident); },
            BodyEncoding::Bytes => quote! { __vc_req.bytes_body(&#ident); },
            // Taken by value: `impl Into<Upload>` (bytes, or a stream sent once).
            BodyEncoding::Upload => quote! {
                __vc_req.upload_body(::std::convert::Into::<::vendor_clients::Upload>::into(#ident));
            },
            BodyEncoding::Multipart => quote! { __vc_req.multipart_body(&#ident); },
        });
    }
    if let Some(group) = &args.params {
        let name = group.unraw().to_string();
        let ident = use_param(&name, group.span(), "params")?;
        build.push(quote! { ::vendor_clients::Params::apply(&#ident, &mut __vc_req); });
    }

    let mut unused: Option<syn::Error> = None;
    for p in params.iter().filter(|p| p.used.is_none()) {
        let name = p.ident.unraw();
        let e = syn::Error::new(
            p.span,
            format!(
                "parameter `{name}` is not sent anywhere; use it in the path template as `{{{name}}}`, in `query({name})`, in `headers({name} = \"Header-Name\")`, as `body = {name}` or `params = {name}`, or remove it"
            ),
        );
        match &mut unused {
            Some(all) => all.combine(e),
            None => unused = Some(e),
        }
    }
    if let Some(e) = unused {
        return Err(e);
    }

    let Some(ok_arms) = &args.ok else {
        return Err(syn::Error::new(
            Span::call_site(),
            "missing `ok(...)`: declare the success statuses and their bodies, e.g. `ok(200 => json(Item))` or `ok(204 => empty)`",
        ));
    };
    if ok_arms.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            "`ok(...)` is empty: declare at least one success status, e.g. `ok(200 => json(Item))`",
        ));
    }

    // Every arm, with whether it is an `ok` one.
    let arms: Vec<(&Arm, bool)> = ok_arms
        .iter()
        .map(|a| (a, true))
        .chain(args.err.iter().map(|a| (a, false)))
        .collect();

    // Status keys: each at most once over ok and err (with a media type, once per media type,
    // and all on one side).
    let mut seen_codes: HashSet<(u16, Option<String>)> = HashSet::new();
    let mut side_of: HashMap<u16, bool> = HashMap::new();
    for &(arm, is_ok) in &arms {
        for key in &arm.statuses {
            match (key, &arm.media) {
                (StatusKey::Code(code, span), _)
                    if *side_of.entry(*code).or_insert(is_ok) != is_ok =>
                {
                    return Err(syn::Error::new(
                        *span,
                        format!("status {code} is in both `ok(...)` and `err(...)`; each status belongs to one side"),
                    ));
                }
                (StatusKey::Range(_, span) | StatusKey::Default(span), Some(_)) => {
                    return Err(syn::Error::new(
                        *span,
                        "a media type selects among the arms of exact status codes; use codes such as `200 \"text/csv\"`, not a range or `default`",
                    ));
                }
                _ => {}
            }
        }
    }
    let mut seen_ranges: HashSet<u16> = HashSet::new();
    let mut seen_default = false;
    for &(arm, _) in &arms {
        for key in &arm.statuses {
            match key {
                StatusKey::Code(code, span) => {
                    let media = arm.media.as_ref().map(|m| m.value().to_ascii_lowercase());
                    if !seen_codes.insert((*code, media.clone())) {
                        return Err(syn::Error::new(
                            *span,
                            match media {
                                Some(m) => format!("status {code} with media type `{m}` is listed twice; each may appear in one arm only"),
                                None => format!("status {code} is listed twice; each status may appear in one arm only (arms for one status differ by media type: `{code} \"text/csv\" => ...`)"),
                            },
                        ));
                    }
                }
                StatusKey::Range(class, span) => {
                    if !seen_ranges.insert(*class) {
                        return Err(syn::Error::new(
                            *span,
                            format!("status range {class}XX is listed twice; each range may appear in one arm only"),
                        ));
                    }
                }
                StatusKey::Default(span) => {
                    if seen_default {
                        return Err(syn::Error::new(
                            *span,
                            "`default` is listed twice; it may appear in one arm only",
                        ));
                    }
                    seen_default = true;
                }
            }
        }
    }
    for arm in &args.err {
        if let Some(v) = &arm.verdict {
            return Err(syn::Error::new(
                v.span(),
                "`verdict` only applies to `ok(...)` arms",
            ));
        }
    }
    for arm in &args.err {
        if matches!(arm.kind, Kind::Stream) {
            return Err(syn::Error::new(
                Span::call_site(),
                "`stream` only applies to `ok(...)` arms: error bodies are read in full",
            ));
        }
    }
    for arm in ok_arms.iter().filter(|a| matches!(a.kind, Kind::Stream)) {
        for key in &arm.statuses {
            let span = match key {
                StatusKey::Code(..) => continue,
                StatusKey::Default(span) | StatusKey::Range(_, span) => span,
            };
            return Err(syn::Error::new(
                *span,
                "a `stream` arm needs explicit status codes, not `default` or a range",
            ));
        }
    }
    for arm in ok_arms {
        if let (Some(v), false) = (&arm.verdict, matches!(arm.kind, Kind::Json(_))) {
            return Err(syn::Error::new(
                v.span(),
                "`verdict` needs a decoded body: use it with `json(Type)`",
            ));
        }
    }

    let result = quote!(::core::result::Result);
    let option = quote!(::core::option::Option);

    // Statuses whose arms differ by media type, in the order they first appear.
    let mut media_codes: Vec<(u16, Span, bool)> = Vec::new();
    for &(arm, is_ok) in arms.iter().filter(|(a, _)| a.media.is_some()) {
        for key in &arm.statuses {
            if let StatusKey::Code(code, span) = key {
                if !media_codes.iter().any(|(c, _, _)| c == code) {
                    media_codes.push((*code, *span, is_ok));
                }
            }
        }
    }
    let covers = |arm: &Arm, code: u16| {
        arm.statuses
            .iter()
            .any(|k| matches!(k, StatusKey::Code(c, _) if *c == code))
    };
    for arm in ok_arms.iter().filter(|a| a.media.is_none()) {
        if let (Kind::Stream, Some((code, span, _))) = (
            &arm.kind,
            media_codes.iter().find(|(c, _, _)| covers(arm, *c)),
        ) {
            return Err(syn::Error::new(
                *span,
                format!("the `stream` arm of status {code} needs a media type too, as its other arms have one (e.g. `{code} \"text/csv\" => stream`)"),
            ));
        }
    }

    let mut match_arms = Vec::new();
    // Ranges come after every exact code, so `404` wins over `4XX` whatever the arm order.
    let mut range_arms = Vec::new();
    let mut default_arm = None;
    // Streamed arms were taken before the body was read (`send` below; `err` arms cannot
    // stream), and arms with a media type are matched per status after these.
    for &(arm, is_ok) in arms
        .iter()
        .filter(|(a, _)| !matches!(a.kind, Kind::Stream) && a.media.is_none())
    {
        let body = if is_ok { ok_arm(arm) } else { err_arm(arm) };
        let codes: Vec<TokenStream2> = arm
            .statuses
            .iter()
            .filter_map(|k| match k {
                // A status with media arms is matched below, this arm being its fallback.
                StatusKey::Code(code, _) if media_codes.iter().any(|(c, _, _)| c == code) => None,
                StatusKey::Code(code, span) => {
                    Some(LitInt::new(&code.to_string(), *span).into_token_stream())
                }
                StatusKey::Range(..) | StatusKey::Default(_) => None,
            })
            .collect();
        let ranges: Vec<TokenStream2> = arm
            .statuses
            .iter()
            .filter_map(|k| match k {
                StatusKey::Range(class, span) => {
                    let lo = LitInt::new(&format!("{}u16", class * 100), *span);
                    let hi = LitInt::new(&format!("{}u16", class * 100 + 99), *span);
                    Some(quote! { #lo..=#hi })
                }
                _ => None,
            })
            .collect();
        if arm
            .statuses
            .iter()
            .any(|k| matches!(k, StatusKey::Default(_)))
        {
            // `default` also covers the arm's other codes, so one `_` arm does.
            default_arm = Some(quote! { _ => { #body } });
        } else {
            if !codes.is_empty() {
                match_arms.push(quote! { #(#codes)|* => { #body } });
            }
            if !ranges.is_empty() {
                range_arms.push(quote! { #(#ranges)|* => { #body } });
            }
        }
    }
    // A status with media arms: the first arm whose media type matches the response's, else
    // the status's arm without a media type, else an error naming what was declared.
    for &(code, span, is_ok) in &media_codes {
        let arms: Vec<&Arm> = if is_ok { ok_arms } else { &args.err }
            .iter()
            .filter(|a| a.media.is_some() && covers(a, code))
            .collect();
        let declared: Vec<String> = arms
            .iter()
            .filter_map(|a| a.media.as_ref().map(LitStr::value))
            .collect();
        let plain = if is_ok { ok_arms } else { &args.err }
            .iter()
            .find(|a| a.media.is_none() && covers(a, code));
        let otherwise = match plain {
            Some(arm) if is_ok => ok_arm(arm),
            Some(arm) => err_arm(arm),
            None if is_ok => {
                quote! { #result::Err(__vc_resp.unexpected_media_type(&[#(#declared),*])) }
            }
            None => quote! { #result::Err(__vc_resp.into_api_error(#option::None)) },
        };
        // The response's media type is read once and matched against each arm's in order;
        // streamed arms were taken before the body was read (see `send` below).
        let read: Vec<&Arm> = arms
            .iter()
            .copied()
            .filter(|a| !matches!(a.kind, Kind::Stream))
            .collect();
        let patterns = read.iter().filter_map(|a| a.media.as_ref());
        let indices = (0..read.len()).map(syn::Index::from);
        let bodies = read
            .iter()
            .map(|arm| if is_ok { ok_arm(arm) } else { err_arm(arm) });
        let pick = quote! {
            {
                let __vc_media = __vc_resp.media_type();
                [#(#patterns),*]
                    .iter()
                    .position(|p| ::vendor_clients::media_type_matches(&__vc_media, p))
            }
        };
        let code = LitInt::new(&code.to_string(), span);
        if read.is_empty() {
            // Every arm of this status is streamed: what arrives here matched none of them.
            match_arms.push(quote! { #code => { #otherwise } });
            continue;
        }
        match_arms.push(quote! {
            #code => match #pick {
                #(#option::Some(#indices) => { #bodies })*
                _ => { #otherwise }
            }
        });
    }
    let fallback = default_arm.unwrap_or_else(|| {
        quote! { _ => #result::Err(__vc_resp.into_api_error(#option::None)), }
    });
    // `Accept`: the media types of the success arms, and JSON when one without a media type
    // decodes JSON.
    if !media_codes.is_empty() {
        let mut accept: Vec<String> = Vec::new();
        for arm in ok_arms {
            let media = match (&arm.media, &arm.kind) {
                (Some(m), _) => m.value().to_ascii_lowercase(),
                (None, Kind::Json(_)) => "application/json".to_owned(),
                (None, _) => continue,
            };
            if !accept.contains(&media) {
                accept.push(media);
            }
        }
        if !accept.is_empty() {
            let accept = accept.join(", ");
            build.insert(0, quote! { __vc_req.accept(#accept); });
        }
    }

    let operation_id = args
        .operation_id
        .clone()
        .unwrap_or_else(|| LitStr::new(&sig.ident.unraw().to_string(), sig.ident.span()));
    let template = &args.path;
    let variant = Ident::new(args.method_variant, args.method.span());
    let auth = &args.auth;
    let idempotent = match &args.idempotent {
        Some(flag) => quote! { #flag },
        None => quote! { ::vendor_clients::Method::#variant.is_idempotent() },
    };
    let attrs = &item.attrs;
    let vis = &item.vis;

    // The request is built in a block whose value is the future awaited: a `Request` bound in
    // the method's body would keep its room in the method's future through the await, although
    // sending consumes it.
    let request = quote! {
        {
            let mut __vc_req = ::vendor_clients::Endpoints::core(self).request(&__VC_OPERATION);
            #(#build)*
            __vc_req
        }
    };

    // Streamed statuses come back as a `ByteStream` before any body is read.
    let stream_arms: Vec<&Arm> = ok_arms
        .iter()
        .filter(|a| matches!(a.kind, Kind::Stream))
        .collect();
    let streams_by_media = stream_arms.iter().any(|a| a.media.is_some());
    let send = if stream_arms.is_empty() {
        quote! {
            let __vc_resp = match #request.send().await {
                #result::Ok(resp) => resp,
                #result::Err(err) => return #result::Err(err),
            };
        }
    } else {
        let codes: Vec<TokenStream2> = stream_arms
            .iter()
            .flat_map(|a| a.statuses.iter().map(move |k| (a, k)))
            .filter_map(|(a, k)| match k {
                StatusKey::Code(code, span) => {
                    let code = LitInt::new(&format!("{code}u16"), *span);
                    Some(if streams_by_media {
                        let media = a.media.clone().unwrap_or_else(|| LitStr::new("*/*", *span));
                        quote! { (#code, #media) }
                    } else {
                        code.into_token_stream()
                    })
                }
                // Refused for stream arms above.
                StatusKey::Default(_) | StatusKey::Range(..) => None,
            })
            .collect();
        let value = |arm: &Arm| match &arm.wrap {
            Some(path) => quote! { #result::Ok(#path(__vc_stream)) },
            None => quote! { #result::Ok(__vc_stream) },
        };
        let send_fn = if streams_by_media {
            quote!(send_streaming_media)
        } else {
            quote!(send_streaming)
        };
        let (last, rest) = stream_arms.split_last().expect("not empty");
        let mut by_status: Vec<TokenStream2> = rest
            .iter()
            .map(|arm| {
                let codes = arm.statuses.iter().filter_map(|k| match k {
                    StatusKey::Code(code, span) => {
                        Some(LitInt::new(&code.to_string(), *span).into_token_stream())
                    }
                    StatusKey::Default(_) | StatusKey::Range(..) => None,
                });
                let v = value(arm);
                match &arm.media {
                    Some(media) => {
                        quote! { #(#codes)|* if __vc_stream.has_media_type(#media) => #v, }
                    }
                    None => quote! { #(#codes)|* => #v, },
                }
            })
            .collect();
        let v = value(last);
        by_status.push(quote! { _ => #v, });
        quote! {
            let __vc_resp = match #request.#send_fn(&[#(#codes),*]).await {
                #result::Ok(::vendor_clients::Streamed::Full(resp)) => resp,
                #result::Ok(::vendor_clients::Streamed::Stream(__vc_stream)) => {
                    return match __vc_stream.status() {
                        #(#by_status)*
                    };
                }
                #result::Err(err) => return #result::Err(err),
            };
        }
    };

    Ok(quote! {
        #(#attrs)*
        #vis #sig {
            static __VC_OPERATION: ::vendor_clients::Operation = ::vendor_clients::Operation {
                id: #operation_id,
                method: ::vendor_clients::Method::#variant,
                path: #template,
                auth: &[#(#auth),*],
                idempotent: #idempotent,
            };
            #send
            match __vc_resp.status() {
                #(#match_arms)*
                #(#range_arms)*
                #fallback
            }
        }
    })
}

/// Code producing `__vc_value` (the body as the arm's kind) for an ok arm.
fn decode_value(arm: &Arm) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    match &arm.kind {
        Kind::Json(ty) => quote! {
            let __vc_value = match __vc_resp.json::<#ty, _>() {
                #result::Ok(value) => value,
                #result::Err(err) => return #result::Err(err),
            };
        },
        Kind::Empty => quote! { let __vc_value = (); },
        Kind::Text => quote! { let __vc_value = __vc_resp.text().into_owned(); },
        // Copied: the body may be a slice of the connection's read buffer (up to about 400 KiB),
        // which a caller keeping a small answer would otherwise keep alive whole.
        Kind::Bytes => quote! {
            let __vc_value = ::vendor_clients::bytes::Bytes::copy_from_slice(__vc_resp.bytes());
        },
        // Returned before the response is read (see `send` in `expand`).
        Kind::Stream => TokenStream2::new(),
    }
}

fn ok_arm(arm: &Arm) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    let option = quote!(::core::option::Option);
    let decode = decode_value(arm);
    let verdict = arm.verdict.as_ref().map(|_| {
        quote! {
            let __vc_value = match ::vendor_clients::Verdict::verdict(__vc_value) {
                #result::Ok(accepted) => accepted,
                #result::Err(rejected) => {
                    return #result::Err(__vc_resp.into_api_error(
                        #option::Some(::core::convert::Into::into(rejected)),
                    ))
                }
            };
        }
    });
    let value = match (&arm.wrap, &arm.kind) {
        (Some(path), Kind::Empty) => quote! { #path },
        (Some(path), _) => quote! { #path(__vc_value) },
        (None, Kind::Empty) => quote! { () },
        (None, _) => quote! { __vc_value },
    };
    match arm.kind {
        Kind::Empty => quote! { #result::Ok(#value) },
        _ => quote! {
            #decode
            #verdict
            #result::Ok(#value)
        },
    }
}

fn err_arm(arm: &Arm) -> TokenStream2 {
    let result = quote!(::core::result::Result);
    let option = quote!(::core::option::Option);
    let wrap = |v: TokenStream2| match &arm.wrap {
        Some(path) => quote! { #path(#v) },
        None => v,
    };
    let body = match &arm.kind {
        Kind::Json(ty) => {
            let wrapped = wrap(quote!(body));
            quote! {
                __vc_resp
                    .error_body::<#ty>()
                    .map(|body| ::core::convert::Into::into(#wrapped))
            }
        }
        Kind::Empty => match &arm.wrap {
            Some(path) => quote! { #option::Some(::core::convert::Into::into(#path)) },
            None => quote! { #option::None },
        },
        Kind::Text => {
            let wrapped = wrap(quote!(__vc_resp.text().into_owned()));
            quote! { #option::Some(::core::convert::Into::into(#wrapped)) }
        }
        Kind::Bytes => {
            let wrapped = wrap(quote!(::core::clone::Clone::clone(__vc_resp.bytes())));
            quote! { #option::Some(::core::convert::Into::into(#wrapped)) }
        }
        // Refused in `expand`.
        Kind::Stream => quote! { #option::None },
    };
    quote! {
        let __vc_body = #body;
        #result::Err(__vc_resp.into_api_error(__vc_body))
    }
}
