//! The `#[endpoint]` attribute of `vendor-clients`.
//!
//! It turns an `async fn` declared without a body inside an `impl` of a type
//! implementing `vendor_clients::Endpoints` into the code that builds the
//! request, sends it, and maps the response status to the declared result.
//! See `vendor_clients::endpoint` for the grammar.
//!
//! The method it writes is a plain `fn` returning the call's future,
//! `fn name(&self, ...) -> impl Future<Output = R> + '_` for a declared
//! `async fn name(&self, ...) -> R`: `.await` it as before. The request is built
//! when the method is called, so the future borrows the client only (edition
//! 2021; under 2024 an `impl Trait` return captures every lifetime, as an
//! `async fn` does), and it is `Send` whenever the client is. No coroutine is
//! compiled per operation, the largest single cost of checking a client of
//! hundreds of operations before.

mod check;
mod expand;
mod object;
mod params;
mod parse;
mod string_enum;
mod tokens;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;

/// Declares an endpoint method: see `vendor_clients::endpoint`. The `async fn`
/// written becomes `fn .. -> impl Future<Output = R> + '_` (see the crate's docs).
///
/// ```text
/// #[endpoint(METHOD "/path/{param}",      // a fixed query may follow: "/path?view=full"
///                                       // (`name=value` pairs, sent as written)
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
///     content_type = "image/png",       // optional: the JSON, text or binary body's media
///                                       // type, instead of its encoding's (an Upload's
///                                       // own `Upload::content_type` wins)
///     accept = "text/csv",              // optional: the Accept header (default: from the
///                                       // arms' media types, else application/json)
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
    match run(attr.into(), item.clone()) {
        Ok(tokens) => tokens.into(),
        Err(err) => {
            let mut out = err.to_compile_error();
            out.extend(stub(item));
            out.into()
        }
    }
}

/// Gives a struct of an operation's parameters its builder and its `vendor_clients::Params`
/// impl: see `vendor_clients::params`.
///
/// ```text
/// #[params(operation = "listItems")]
/// #[derive(Debug, Clone)]
/// pub struct ListItemsParams {
///     #[param(query = "q", required)]            // required: an argument of `new`
///     pub q: String,                             // (`String`, `Secret`: `impl Into<_>`)
///     #[param(query = "ids", style = DeepObject)] // optional: `Option<T>`, a setter
///     pub ids: Option<Vec<i64>>,                 // `ids(self, value: T) -> Self`
///     #[param(query = "f", json)]                // the value as JSON text
///     pub f: Option<Filter>,
///     #[param(header = "X-Trace")]               // also `header = "...", json`
///     pub trace: Option<String>,
///     #[param(cookie = "session")]
///     pub session: Option<Secret>,
///     #[param(group)]                            // a value that is itself `Params`
///     pub by: Option<ById>,
/// }
/// ```
#[proc_macro_attribute]
pub fn params(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = TokenStream2::from(item);
    match params::expand(attr.into(), item.clone()) {
        Ok(tokens) => tokens.into(),
        Err(err) => {
            // The struct stays declared (without its `#[param]`s), so that the one error is
            // all the compiler reports.
            let mut out = err.to_compile_error();
            out.extend(params::strip(item));
            out.into()
        }
    }
}

/// `Deserialize` for a struct read from a JSON object: see `vendor_clients::Object`.
#[proc_macro_derive(Object, attributes(serde, object))]
pub fn object(item: TokenStream) -> TokenStream {
    match object::expand(item.into()) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

/// An enum of known string values with a catch-all: see `vendor_clients::string_enum`.
#[proc_macro_attribute]
pub fn string_enum(attr: TokenStream, item: TokenStream) -> TokenStream {
    match string_enum::expand(attr.into(), item.into()) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}

/// After an error, keeps the method declared (so callers and IDEs do not
/// report it as missing). It is never run: the compile error above stops
/// the build.
fn stub(item: TokenStream2) -> TokenStream2 {
    let (attrs, vis, sig) = match syn::parse2::<syn::ImplItemFn>(item.clone()) {
        Ok(f) => {
            let attrs = f.attrs;
            (quote!(#(#attrs)*), f.vis, f.sig)
        }
        Err(_) => match syn::parse2::<syn::ForeignItemFn>(item) {
            Ok(f) => {
                let attrs = f.attrs;
                (quote!(#(#attrs)*), f.vis, f.sig)
            }
            Err(_) => return TokenStream2::new(),
        },
    };
    quote! {
        #attrs
        #[allow(unused_variables)]
        #vis #sig {
            ::core::unreachable!("`#[endpoint]` could not expand this method (see the compile error)")
        }
    }
}

/// The three stages in order: parse, check, expand.
fn run(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let parsed = parse::parse(attr, item)?;
    let checked = check::check(parsed)?;
    Ok(expand::expand(&checked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_expands_a_valid_endpoint_into_the_method_with_a_body() {
        let code = run(
            quote!(GET "/items/{id}", ok(200 => json(Item))),
            quote!(
                pub async fn get(&self, id: &str) -> Result<Item, Error<()>>;
            ),
        )
        .unwrap_or_else(|e| panic!("refused: {e}"));
        let code = code.to_string();
        assert!(
            code.starts_with("pub fn get (& self , id : & str) -> impl :: core :: future :: Future < Output = Result < Item , Error < () >> > + '_ {"),
            "{code}"
        );
        assert!(
            code.contains("request (& :: vendor_clients :: Operation {"),
            "{code}"
        );
    }

    #[test]
    fn run_reports_parse_errors_before_check_errors() {
        // Both a lower-case method (parse) and an unsent parameter (check).
        let e = run(
            quote!(get "/a", ok(200 => empty)),
            quote!(
                async fn get(&self, id: &str) -> R;
            ),
        );
        let message = e.map(|t| t.to_string()).unwrap_or_else(|e| e.to_string());
        assert!(message.contains("write it in upper case"), "{message}");
    }

    #[test]
    fn the_stub_keeps_a_bodyless_method_declared_with_an_unreachable_body() {
        let stubbed = stub(quote!(
            #[doc = "Gets."]
            pub async fn get(&self, id: &str) -> R;
        ));
        let code = stubbed.to_string();
        assert!(code.starts_with("# [doc = \"Gets.\"] # [allow (unused_variables)] pub async fn get (& self , id : & str) -> R {"), "{code}");
        assert!(code.contains(":: core :: unreachable !"), "{code}");
    }

    #[test]
    fn the_stub_replaces_a_written_body_and_gives_up_on_anything_else() {
        let code = stub(quote!(
            async fn get(&self) -> R {
                Self::written_by_hand()
            }
        ))
        .to_string();
        assert!(!code.contains("written_by_hand"), "{code}");
        assert!(code.contains(":: core :: unreachable !"), "{code}");
        assert!(stub(quote!(
            struct NotAFn;
        ))
        .is_empty());
    }
}
