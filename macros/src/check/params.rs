//! Parameters against their uses: turns the path template's placeholders and the names in
//! `query(...)`, `headers(...)`, `cookies(...)`, `body` and `params` into the request's
//! [`Part`]s, each bound to its function parameter, once each, none left unsent.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Ident, LitStr};

use super::Part;
use crate::parse::{BodyEncoding, Cookie, FnParam, Header, Piece, QueryItem};

/// The function's parameters and where each is sent so far.
pub(super) struct Uses {
    params: Vec<(FnParam, Option<&'static str>)>,
}

impl Uses {
    pub(super) fn new(params: Vec<FnParam>) -> Self {
        Self {
            params: params.into_iter().map(|p| (p, None)).collect(),
        }
    }

    /// The parameter `name`, now sent in `place`; refuses an unknown name and a second use.
    fn take(&mut self, name: &str, span: Span, place: &'static str) -> syn::Result<Ident> {
        let Some((param, used)) = self
            .params
            .iter_mut()
            .find(|(p, _)| p.ident.unraw() == name)
        else {
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
        if let Some(previous) = used {
            return Err(syn::Error::new(
                span,
                format!(
                    "parameter `{name}` is already sent in {previous}; each parameter can be sent in one place only"
                ),
            ));
        }
        *used = Some(place);
        Ok(param.ident.clone())
    }

    /// Named in the attribute by `ident` (raw or not).
    fn take_named(&mut self, ident: &Ident, place: &'static str) -> syn::Result<Ident> {
        self.take(&ident.unraw().to_string(), ident.span(), place)
    }

    /// The path template's pieces; a placeholder's errors point at the template.
    pub(super) fn path(&mut self, pieces: Vec<Piece>, path: &LitStr) -> syn::Result<Vec<Part>> {
        pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Literal(text) => Ok(Part::Literal(text)),
                Piece::Query(text) => Ok(Part::FixedQuery(text)),
                Piece::Param(name) => {
                    let ident = self.take(&name, path.span(), "the path template")?;
                    Ok(Part::PathParam { name, ident })
                }
            })
            .collect()
    }

    pub(super) fn query(&mut self, items: Vec<QueryItem>) -> syn::Result<Vec<Part>> {
        let mut parts = Vec::new();
        for q in items {
            let name = q.ident.unraw().to_string();
            let ident = self.take(&name, q.ident.span(), "query(...)")?;
            let wire = q.wire.as_ref().map_or(name, LitStr::value);
            let options = q.options;
            parts.push(Part::Query {
                wire,
                ident,
                options,
            });
        }
        Ok(parts)
    }

    pub(super) fn headers(&mut self, headers: Vec<Header>) -> syn::Result<Vec<Part>> {
        let mut parts = Vec::new();
        for Header { ident, wire, json } in headers {
            let ident = self.take_named(&ident, "headers(...)")?;
            parts.push(Part::Header { wire, ident, json });
        }
        Ok(parts)
    }

    pub(super) fn cookies(&mut self, cookies: Vec<Cookie>) -> syn::Result<Vec<Part>> {
        let mut parts = Vec::new();
        for Cookie { ident, wire } in cookies {
            let ident = self.take_named(&ident, "cookies(...)")?;
            parts.push(Part::Cookie { wire, ident });
        }
        Ok(parts)
    }

    pub(super) fn body(
        &mut self,
        body: Option<(BodyEncoding, Ident)>,
    ) -> syn::Result<Option<Part>> {
        body.map(|(encoding, body)| {
            let ident = self.take_named(&body, "body")?;
            Ok(Part::Body { encoding, ident })
        })
        .transpose()
    }

    pub(super) fn params(&mut self, group: Option<Ident>) -> syn::Result<Option<Part>> {
        group
            .map(|group| Ok(Part::Params(self.take_named(&group, "params")?)))
            .transpose()
    }

    /// One error for every parameter sent nowhere, each at its declaration.
    pub(super) fn all_used(&self) -> syn::Result<()> {
        let mut unused: Option<syn::Error> = None;
        for (p, _) in self.params.iter().filter(|(_, used)| used.is_none()) {
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
        unused.map_or(Ok(()), Err)
    }
}
