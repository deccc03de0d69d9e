//! Check: turns a [`Parsed`] endpoint into a [`Checked`] one, the model the expansion
//! reads: the request's parts bound to the function's parameters, and response arms that
//! fit together. Every semantic error is found here, in a fixed order (parameters, then
//! the arms), with the message and span the user sees.

mod params;
mod statuses;

use proc_macro2::Span;
use syn::{Ident, LitStr};

use crate::parse::{Arm, BodyEncoding, EndpointFn, ParamOptions, Parsed};
use params::Uses;

/// One piece of the request, in the order it is built.
#[derive(Debug)]
pub(crate) enum Part {
    /// Path text between placeholders, sent as is.
    Literal(String),
    /// The template's fixed query (`view=summary&x=1`), sent as is.
    FixedQuery(String),
    /// `{name}` of the path template.
    PathParam {
        name: String,
        ident: Ident,
    },
    Query {
        wire: String,
        ident: Ident,
        options: Option<ParamOptions>,
    },
    Header {
        wire: LitStr,
        ident: Ident,
        json: bool,
    },
    Cookie {
        wire: LitStr,
        ident: Ident,
    },
    Body {
        encoding: BodyEncoding,
        ident: Ident,
    },
    /// `params = p`: a group of parameters that applies itself.
    Params(Ident),
}

/// An exact status whose arms (on one side) differ by media type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MediaStatus {
    pub(crate) code: u16,
    /// Its first key, where the generated match arm points.
    pub(crate) span: Span,
    /// In `ok(...)` rather than `err(...)`.
    pub(crate) ok: bool,
}

/// An endpoint whose pieces fit together: what the expansion turns into code.
pub(crate) struct Checked {
    pub(crate) item: EndpointFn,
    pub(crate) method: Ident,
    pub(crate) method_variant: &'static str,
    pub(crate) path: LitStr,
    pub(crate) operation_id: Option<LitStr>,
    pub(crate) accept: Option<LitStr>,
    /// The body's media type when not its encoding's default (only beside a JSON, text or
    /// binary body).
    pub(crate) content_type: Option<LitStr>,
    pub(crate) auth: Vec<LitStr>,
    pub(crate) idempotent: Option<syn::LitBool>,
    pub(crate) sensitive: bool,
    /// Path pieces, query, headers, cookies, body, params: each parameter once.
    pub(crate) parts: Vec<Part>,
    /// Never empty.
    pub(crate) ok: Vec<Arm>,
    pub(crate) err: Vec<Arm>,
    pub(crate) media_statuses: Vec<MediaStatus>,
}

impl Checked {
    /// Every arm, ok ones first, with whether it is an `ok` one.
    pub(crate) fn arms(&self) -> impl Iterator<Item = (&Arm, bool)> {
        sided(&self.ok, &self.err)
    }

    /// The arms of one side.
    pub(crate) fn side(&self, ok: bool) -> &[Arm] {
        if ok {
            &self.ok
        } else {
            &self.err
        }
    }
}

fn sided<'a>(ok: &'a [Arm], err: &'a [Arm]) -> impl Iterator<Item = (&'a Arm, bool)> {
    let ok = ok.iter().map(|a| (a, true));
    ok.chain(err.iter().map(|a| (a, false)))
}

/// Binds the request's parts to the parameters, then checks the arms.
pub(crate) fn check(parsed: Parsed) -> syn::Result<Checked> {
    let Parsed {
        item,
        args,
        params,
        template,
    } = parsed;
    check_content_type(&args.content_type, args.body.as_ref().map(|b| b.0))?;
    let mut uses = Uses::new(params);
    let mut parts = uses.path(template, &args.path)?;
    parts.extend(uses.query(args.query)?);
    parts.extend(uses.headers(args.headers)?);
    parts.extend(uses.cookies(args.cookies)?);
    parts.extend(uses.body(args.body)?);
    parts.extend(uses.params(args.params)?);
    uses.all_used()?;

    let ok = statuses::ok_arms(args.ok)?;
    let err = args.err;
    statuses::check_sides(&ok, &err)?;
    statuses::check_unique(&ok, &err)?;
    statuses::check_kinds(&ok, &err)?;
    let media_statuses = statuses::media_statuses(&ok, &err);
    statuses::check_streams_beside_media(&ok, &media_statuses)?;
    Ok(Checked {
        item,
        method: args.method,
        method_variant: args.method_variant,
        path: args.path,
        operation_id: args.operation_id,
        accept: args.accept,
        content_type: args.content_type,
        auth: args.auth,
        idempotent: args.idempotent,
        sensitive: args.sensitive,
        parts,
        ok,
        err,
        media_statuses,
    })
}

/// `content_type` names the media type of a body the endpoint sends as given: JSON, text or
/// bytes. A form's and a multipart body's media types are their encoding's own.
fn check_content_type(
    content_type: &Option<LitStr>,
    body: Option<BodyEncoding>,
) -> syn::Result<()> {
    let Some(lit) = content_type else {
        return Ok(());
    };
    let refusal = match body {
        None => "`content_type` is the media type of the request body, and there is no `body`",
        Some(BodyEncoding::Form) => "a `body(form)` is sent as `application/x-www-form-urlencoded`; `content_type` applies to JSON, text and binary bodies",
        Some(BodyEncoding::Multipart) => "a `body(multipart)` is sent as `multipart/form-data` with its boundary; `content_type` applies to JSON, text and binary bodies",
        Some(_) => return Ok(()),
    };
    Err(syn::Error::new(lit.span(), refusal))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proc_macro2::TokenStream as TokenStream2;
    use quote::quote;

    /// Parses and checks, for this module's tests and the expansion's.
    pub(crate) fn checked(attr: TokenStream2, item: TokenStream2) -> syn::Result<Checked> {
        check(crate::parse::parse(attr, item)?)
    }

    fn error(attr: TokenStream2, item: TokenStream2) -> String {
        match checked(attr, item) {
            Ok(c) => panic!("accepted {}", c.item.sig.ident),
            Err(e) => e.to_string(),
        }
    }

    /// An error of `attr` on a method with the one parameter `id`.
    fn error_with_id(attr: TokenStream2) -> String {
        error(
            attr,
            quote!(
                async fn get(&self, id: &str) -> R;
            ),
        )
    }

    #[test]
    fn binds_parts_in_request_order_to_the_functions_own_idents() {
        let c = checked(
            quote!(POST "/a/{id}", params = p, body = b, cookies(k = "K"), headers(h = "H"),
                   query(q = "Q"), ok(200 => empty)),
            quote!(
                async fn post(&self, r#id: u8, q: u8, h: u8, k: u8, b: u8, p: u8) -> R;
            ),
        )
        .unwrap_or_else(|e| panic!("refused: {e}"));
        let order: Vec<String> = c
            .parts
            .iter()
            .map(|p| match p {
                Part::Literal(text) => format!("literal {text}"),
                Part::FixedQuery(text) => format!("fixed query {text}"),
                Part::PathParam { name, ident } => format!("path {name} as {ident}"),
                Part::Query { wire, .. } => format!("query {wire}"),
                Part::Header { wire, .. } => format!("header {}", wire.value()),
                Part::Cookie { wire, .. } => format!("cookie {}", wire.value()),
                Part::Body { encoding, .. } => format!("body {encoding:?}"),
                Part::Params(ident) => format!("params {ident}"),
            })
            .collect();
        let expected = [
            "literal /a/",
            "path id as r#id",
            "query Q",
            "header H",
            "cookie K",
            "body Json",
            "params p",
        ];
        assert_eq!(order, expected);
    }

    #[test]
    fn refuses_names_without_a_parameter_and_parameters_sent_twice() {
        let e = error_with_id(quote!(GET "/a/{idx}", query(id), ok(200 => empty)));
        assert!(e.contains("path template uses `{idx}` but the function has no parameter `idx`"));
        let e = error_with_id(quote!(GET "/a/{id}", query(q), ok(200 => empty)));
        assert!(e.contains("query(...) names `q` but the function has no parameter `q`"));
        let e = error_with_id(quote!(GET "/a/{id}", headers(id = "X"), ok(200 => empty)));
        assert!(e.contains("parameter `id` is already sent in the path template"));
    }

    #[test]
    fn reports_every_unsent_parameter_at_once() {
        let e = checked(
            quote!(GET "/a", ok(200 => empty)),
            quote!(
                async fn get(&self, a: u8, b: u8) -> R;
            ),
        );
        let messages: Vec<String> = match e {
            Ok(_) => panic!("accepted unsent parameters"),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        };
        assert_eq!(messages.len(), 2);
        assert!(messages[0].starts_with("parameter `a` is not sent anywhere"));
        assert!(messages[1].starts_with("parameter `b` is not sent anywhere"));
    }

    #[test]
    fn content_type_needs_a_json_text_or_binary_body() {
        let none = error_with_id(
            quote!(POST "/a/{id}", content_type = "application/xml", ok(200 => empty)),
        );
        assert!(none.contains("there is no `body`"), "{none}");
        let item = quote!(
            async fn post(&self, b: &B) -> R;
        );
        let form = error(
            quote!(POST "/a", body(form) = b, content_type = "text/csv", ok(200 => empty)),
            item.clone(),
        );
        assert!(form.contains("a `body(form)` is sent as"), "{form}");
        let multipart = error(
            quote!(POST "/a", body(multipart) = b, content_type = "text/csv", ok(200 => empty)),
            item.clone(),
        );
        assert!(
            multipart.contains("a `body(multipart)` is sent as"),
            "{multipart}"
        );
        for encoding in [quote!(), quote!((text)), quote!((bytes)), quote!((upload))] {
            let c = checked(
                quote!(POST "/a", body #encoding = b, content_type = "application/x", ok(200 => empty)),
                item.clone(),
            )
            .unwrap_or_else(|e| panic!("body{encoding} refused: {e}"));
            assert_eq!(
                c.content_type.map(|c| c.value()).as_deref(),
                Some("application/x")
            );
        }
    }

    #[test]
    fn requires_a_non_empty_ok() {
        let e = error_with_id(quote!(GET "/a/{id}", err(404 => empty)));
        assert!(e.starts_with("missing `ok(...)`"));
        assert!(error_with_id(quote!(GET "/a/{id}", ok())).starts_with("`ok(...)` is empty"));
    }

    #[test]
    fn refuses_statuses_on_both_sides_or_listed_twice() {
        let both = error_with_id(quote!(GET "/a/{id}", ok(200 => empty), err(200 => text)));
        assert!(both.contains("status 200 is in both `ok(...)` and `err(...)`"));
        let twice = error_with_id(quote!(GET "/a/{id}", ok(200 => empty, 200 => text)));
        assert!(twice.contains("status 200 is listed twice"));
        let media = error_with_id(quote!(GET "/a/{id}",
            ok(200 "text/csv" => text, 200 "TEXT/CSV" => bytes)));
        assert!(media.contains("status 200 with media type `text/csv` is listed twice"));
        let range =
            error_with_id(quote!(GET "/a/{id}", ok(200 => empty), err(4XX => text, 4xx => text)));
        assert!(range.contains("status range 4XX is listed twice"));
        let default = error_with_id(quote!(GET "/a/{id}", ok(default => empty, default => text)));
        assert!(default.contains("`default` is listed twice"));
    }

    #[test]
    fn refuses_media_types_on_ranges_and_default() {
        let e = error_with_id(quote!(GET "/a/{id}", ok(2XX "text/csv" => text)));
        assert!(e.contains("a media type selects among the arms of exact status codes"));
    }

    #[test]
    fn keeps_stream_and_verdict_where_they_work() {
        let e = error_with_id(quote!(GET "/a/{id}", ok(200 => empty), err(400 => json(E) verdict)));
        assert!(e.contains("`verdict` only applies to `ok(...)` arms"));
        let e = error_with_id(quote!(GET "/a/{id}", ok(200 => empty), err(400 => stream)));
        assert!(e.contains("`stream` only applies to `ok(...)` arms"));
        let e = error_with_id(quote!(GET "/a/{id}", ok(2XX => stream)));
        assert!(e.contains("a `stream` arm needs explicit status codes"));
        let e = error_with_id(quote!(GET "/a/{id}", ok(200 => text verdict)));
        assert!(e.contains("`verdict` needs a decoded body"));
        let e = error_with_id(quote!(GET "/a/{id}", ok(200 "text/csv" => text, 200 => stream)));
        assert!(e.contains("the `stream` arm of status 200 needs a media type too"));
    }

    #[test]
    fn lists_statuses_with_media_arms_once_in_order_with_their_side() {
        let c = checked(
            quote!(GET "/a/{id}", ok(201 => empty, 200 "text/csv" => text, 200 "text/*" => bytes),
                   err(404 "text/plain" => text, 404 => json(E))),
            quote!(
                async fn get(&self, id: &str) -> R;
            ),
        )
        .unwrap_or_else(|e| panic!("refused: {e}"));
        let statuses: Vec<(u16, bool)> = c.media_statuses.iter().map(|s| (s.code, s.ok)).collect();
        assert_eq!(statuses, [(200, true), (404, false)]);
    }
}
