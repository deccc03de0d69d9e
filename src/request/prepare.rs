//! A call's [`Request`] to what every attempt sends ([`Prepared`]): the checked URL (the client's
//! base URL with the call's path, or a followed next-page link), the headers, the query and body
//! with the credentials of the operation's security applied (fixed headers, API keys in the
//! query, or a signer that reads the request).

use std::borrow::Cow;

use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};

use super::Request;
use crate::client::{Configured, Sends};
use crate::styled::encode_component;
use crate::Error;

impl<'a> Request<'a> {
    /// Checks the request and assembles the URL, headers (credentials
    /// included) and body sent on every attempt.
    pub(super) fn prepare<E>(&self) -> Result<Prepared, Error<E>> {
        if let Some(problem) = &self.problem {
            return Err(self.invalid(problem.clone()));
        }
        self.check_path().map_err(|m| self.invalid(m))?;

        let mut url = match self.core.follow() {
            Some(link) => self.follow_link(link)?,
            None => self.call_url()?,
        };
        let mut headers = self.base_headers();
        // A followed link carries its own query (the next page's parameters).
        let mut query = if self.core.follow().is_some() {
            Vec::new()
        } else {
            self.query.clone()
        };
        let mut body = self.body.clone();
        self.apply_security(&mut headers, &mut query, &mut body)?;

        if !query.is_empty() {
            append_query(&mut url, &query);
        }
        if self.body.is_some() || self.upload.is_some() {
            let content_type = match &self.body_type {
                Cow::Borrowed(text) => HeaderValue::from_static(text),
                Cow::Owned(text) => crate::params::header_value(text).ok_or_else(|| {
                    self.invalid("the body's content type cannot be sent in a header".to_owned())
                })?,
            };
            headers.insert(header::CONTENT_TYPE, content_type);
        }
        Ok(Prepared {
            url,
            headers,
            body,
            upload: None,
        })
    }

    /// The client's base URL with the call's path. The base URL is parsed once, by the client
    /// builder; a call sets its path only, and is refused if URL normalisation would change it.
    fn call_url<E>(&self) -> Result<url::Url, Error<E>> {
        let inner = self.core.inner();
        let base_path = inner.base_url.path().trim_end_matches('/');
        let mut path = String::with_capacity(base_path.len() + self.path.len());
        path.push_str(base_path);
        path.push_str(&self.path);
        let mut url = inner.base_url.clone();
        url.set_path(&path);
        if url.path() != path {
            return Err(self.invalid("the path would be changed by URL normalisation".to_owned()));
        }
        Ok(url)
    }

    /// The client's default headers, its `User-Agent`, `Accept` (JSON unless the call set it),
    /// then the call's own headers.
    fn base_headers(&self) -> HeaderMap {
        let inner = self.core.inner();
        let mut headers = HeaderMap::with_capacity(
            inner.default_headers.len() + self.headers.len() + self.op.auth.len() + 3,
        );
        for (name, value) in &inner.default_headers {
            headers.append(name.clone(), value.clone());
        }
        headers.insert(header::USER_AGENT, inner.user_agent.clone());
        if !self.headers.contains_key(header::ACCEPT) {
            headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        }
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
        headers
    }

    /// Applies the credentials of the operation's security: each entry of `op.auth` is one
    /// alternative, `a+b` needs both `a` and `b`, and the first alternative whose schemes are all
    /// configured is used. An operation with no security sends no credential.
    fn apply_security<E>(
        &self,
        headers: &mut HeaderMap,
        query: &mut Vec<(String, String)>,
        body: &mut Option<Bytes>,
    ) -> Result<(), Error<E>> {
        if self.op.auth.is_empty() {
            return Ok(());
        }
        let inner = self.core.inner();
        let chosen = self.op.auth.iter().find_map(|alternative| {
            alternative
                .split('+')
                .map(|scheme| inner.credentials.iter().find(|c| c.scheme == scheme))
                .collect::<Option<Vec<_>>>()
        });
        let Some(chosen) = chosen else {
            return Err(Error::MissingCredentials {
                operation: self.op.id,
                schemes: self.op.auth,
            });
        };
        for configured in chosen {
            self.apply_credential(configured, headers, query, body)?;
        }
        Ok(())
    }

    /// The URL of a next-page link: resolved against the base URL, and refused unless it has the
    /// base URL's scheme, host and port (the request carries the client's credentials). The
    /// error names the hosts, never the link's query (which could hold a token).
    fn follow_link<E>(&self, link: &str) -> Result<url::Url, Error<E>> {
        let base = &self.core.inner().base_url;
        let url = base.join(link.trim()).map_err(|e| {
            self.invalid(format!(
                "the next-page link in the response is not a valid URL: {e}"
            ))
        })?;
        let origin = |u: &url::Url| {
            format!(
                "{}://{}{}",
                u.scheme(),
                u.host_str().unwrap_or_default(),
                u.port().map(|p| format!(":{p}")).unwrap_or_default()
            )
        };
        if url.scheme() != base.scheme()
            || url.host_str() != base.host_str()
            || url.port_or_known_default() != base.port_or_known_default()
        {
            return Err(self.invalid(format!(
                "the next-page link in the response points to {}, not to the client's server {}; it is not followed",
                origin(&url),
                origin(base)
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(self.invalid(
                "the next-page link in the response carries user info; it is not followed"
                    .to_owned(),
            ));
        }
        Ok(url)
    }

    /// Adds one scheme's credential to the request being prepared.
    fn apply_credential<E>(
        &self,
        configured: &Configured,
        headers: &mut HeaderMap,
        query: &mut Vec<(String, String)>,
        body: &mut Option<Bytes>,
    ) -> Result<(), Error<E>> {
        let scheme = configured.scheme;
        match &configured.sends {
            Sends::Header(header) => {
                let (name, value) = header.as_ref().map_err(|why| self.invalid(why.clone()))?;
                headers.insert(name.clone(), value.clone());
            }
            Sends::Query { name, value } => {
                query.push((encode_component(name), encode_component(value.expose())));
            }
            Sends::Signer(signer) => {
                let mut json = match body.as_deref() {
                    Some(bytes) => Some(serde_json::from_slice::<serde_json::Value>(bytes).map_err(
                        |e| self.invalid(format!("scheme `{scheme}` signs a JSON body, but the body is not JSON: {e}")),
                    )?),
                    None => None,
                };
                // Signers see decoded pairs; pairs they keep keep their encoding (a styled
                // parameter's separators stay unencoded).
                let decode = |text: &str| {
                    percent_encoding::percent_decode_str(&text.replace('+', " "))
                        .decode_utf8_lossy()
                        .into_owned()
                };
                let mut originals: Vec<Option<(Pair, Pair)>> = query
                    .drain(..)
                    .map(|(n, v)| Some(((decode(&n), decode(&v)), (n, v))))
                    .collect();
                let mut decoded: Vec<(String, String)> = originals
                    .iter()
                    .flatten()
                    .map(|(plain, _)| plain.clone())
                    .collect();
                let mut request = crate::signers::SigningRequest {
                    operation: self.op.id,
                    query: &mut decoded,
                    body: json.as_mut(),
                };
                signer
                    .sign(&mut request)
                    .map_err(|why| self.invalid(format!("scheme `{scheme}`: {why}")))?;
                for pair in decoded {
                    let kept = originals
                        .iter_mut()
                        .find(|o| o.as_ref().is_some_and(|(plain, _)| *plain == pair))
                        .and_then(Option::take);
                    query.push(match kept {
                        Some((_, encoded)) => encoded,
                        None => (encode_component(&pair.0), encode_component(&pair.1)),
                    });
                }
                if let Some(json) = json {
                    let bytes = serde_json::to_vec(&json).map_err(|e| {
                        self.invalid(format!(
                            "scheme `{scheme}`: could not re-encode the body: {e}"
                        ))
                    })?;
                    *body = Some(Bytes::from(bytes));
                }
            }
        }
        Ok(())
    }
}

/// Appends already encoded pairs to the URL's query, written as they are, after the query a
/// followed link carries.
fn append_query(url: &mut url::Url, query: &[(String, String)]) {
    let mut text = url.query().unwrap_or_default().to_owned();
    for (name, value) in query {
        if !text.is_empty() {
            text.push('&');
        }
        text.push_str(name);
        text.push('=');
        text.push_str(value);
    }
    url.set_query(Some(&text));
}

/// A query `(name, value)` pair.
pub(super) type Pair = (String, String);

/// What every attempt of one call sends.
pub(super) struct Prepared {
    pub(super) url: url::Url,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<Bytes>,
    /// A streamed body: taken by the first attempt, so the call has only one.
    pub(super) upload: Option<reqwest::Body>,
}
