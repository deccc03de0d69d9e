//! The API as a whole to the top of the file: the `Api` description with its servers, the error
//! types, `ByteStream`, and `Client` with its builder (server variables, credentials per scheme)
//! and its methods.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::docs;
use super::format::compact;
use super::operations::{json_page, operation, outcome_enum};
use super::streams::stream_method;
use super::ty::ty;
use crate::model::*;
use crate::names::ident;

/// `Api`: the API's name and servers (with their variables), as the runtime needs them.
pub(super) fn api_description(api: &Api) -> TokenStream {
    let name = &api.module;
    let servers = api.servers.iter().map(|s| {
        let url = &s.url;
        let description = &s.description;
        let vars = s.variables.iter().map(|v| {
            let (n, d, a, desc) = (&v.name, &v.default, &v.allowed, &v.description);
            quote! {
                ::vendor_clients::ServerVariable { name: #n, default: #d, allowed: &[#(#a),*], description: #desc }
            }
        });
        quote! {
            ::vendor_clients::ServerSpec { url: #url, description: #description, variables: &[#(#vars),*] }
        }
    });
    let doc = format!(
        " {} {} (`{}`), as described by the spec: servers and their variables.",
        api.title, api.version, api.source
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Api;

        impl ::vendor_clients::ApiDescription for Api {
            const NAME: &'static str = #name;
            const SERVERS: &'static [::vendor_clients::ServerSpec] = &[#(#servers),*];
        }
    }
}

/// Whether an operation hands a body over as a stream, alone or as one of its outcomes.
pub(super) fn streams(op: &Operation) -> bool {
    op.ok.iter().any(|a| a.kind == BodyKind::Stream)
}

/// `ByteStream`, the type of streamed bodies (`x-stream`), when an operation has one.
pub(super) fn byte_stream_alias(api: &Api) -> TokenStream {
    if !api.operations.iter().any(streams) {
        return TokenStream::new();
    }
    let body = match api.error_bodies.as_slice() {
        [] => quote!(::vendor_clients::serde_json::Value),
        [one] => ty(one),
        _ => quote!(ErrorBody),
    };
    quote! {
        /// A response body streamed as it arrives (a download), with this client's error type.
        /// It is not read into memory, so the client's response size limit does not apply.
        pub type ByteStream = ::vendor_clients::ByteStream<#body>;
    }
}

/// `Error`, the error type of every method: with the JSON body, the one error body type the
/// spec documents, or `ErrorBody`, an enum of them when there are several.
pub(super) fn error_types(api: &Api) -> TokenStream {
    match api.error_bodies.as_slice() {
        [] => quote! {
            /// The error type of this client's operations (error bodies are kept as JSON).
            pub type Error = ::vendor_clients::Error;
        },
        [one] => {
            let t = ty(one);
            quote! {
                /// The error type of this client's operations, carrying the vendor's error body.
                pub type Error = ::vendor_clients::Error<#t>;
            }
        }
        many => {
            // Distinct types can share a name here (a `Json` schema and `Ty::Json`, or a list
            // and a map); each variant needs its own.
            let mut used: Vec<String> = Vec::new();
            let variants: Vec<_> = many
                .iter()
                .map(|t| {
                    let base = match t {
                        Ty::Named(n) => n.clone(),
                        Ty::Json => "Json".to_string(),
                        Ty::Vec(_) => "List".to_string(),
                        Ty::Map(_) => "Map".to_string(),
                        Ty::Bytes => "Bytes".to_string(),
                        _ => "Other".to_string(),
                    };
                    let mut name = base.clone();
                    let mut n = 2;
                    while used.contains(&name) {
                        name = format!("{base}{n}");
                        n += 1;
                    }
                    used.push(name.clone());
                    (ident(&name), ty(t))
                })
                .collect();
            let defs = variants.iter().map(|(v, t)| {
                let d = format!(" A `{}` body.", compact(t));
                quote!(#[doc = #d] #v(#t))
            });
            let froms = variants.iter().map(|(v, t)| {
                quote! {
                    impl From<#t> for ErrorBody {
                        fn from(body: #t) -> Self { ErrorBody::#v(body) }
                    }
                }
            });
            quote! {
                /// The error type of this client's operations, carrying the vendor's error body.
                pub type Error = ::vendor_clients::Error<ErrorBody>;

                /// The error bodies this API documents, one variant per shape.
                #[derive(Debug, Clone, PartialEq)]
                pub enum ErrorBody { #(#defs),* }

                #(#froms)*
            }
        }
    }
}

/// `Client`, its builder (`ClientBuilder`, with a setter per server variable and per security
/// scheme), its methods, and the outcome enums of its operations.
pub(super) fn client(api: &Api, endpoints: &mut Vec<String>) -> TokenStream {
    let doc = format!(" Client for {} ({}).", api.title, api.version);
    let description = docs(api.description.as_deref());
    let setters = api
        .servers
        .first()
        .into_iter()
        .flat_map(|s| s.variables.iter())
        .map(server_variable_setter);
    let schemes = api.schemes.iter().map(scheme_setter);
    let methods = client_methods(api, endpoints);
    let outcome_enums = api
        .operations
        .iter()
        .filter_map(|op| outcome_enum(op, &api.unwraps));
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #description
        #[doc = ""]
        #[doc = " Build one with [`Client::builder`]; it is cheap to clone and share."]
        #[derive(Debug, Clone)]
        pub struct Client {
            core: ::vendor_clients::Core,
        }

        /// Builder for [`Client`]: server variables, credentials, timeouts.
        ///
        /// It wraps the runtime's [`vendor_clients::ClientBuilder`]
        /// for this API, adding a setter per server variable and per security scheme.
        #[derive(Debug, Default)]
        pub struct ClientBuilder(::vendor_clients::ClientBuilder<Api>);

        impl ClientBuilder {
            ::vendor_clients::__client_builder_methods!(Api);
            #(#setters)*
            #(#schemes)*

            /// Builds the client; fails if a required server variable is missing or the URL is invalid.
            pub fn build(self) -> Result<Client, ::vendor_clients::BuildError> {
                Ok(Client { core: self.0.build_core()? })
            }
        }

        impl From<::vendor_clients::ClientBuilder<Api>> for ClientBuilder {
            fn from(inner: ::vendor_clients::ClientBuilder<Api>) -> Self {
                ClientBuilder(inner)
            }
        }

        impl ::vendor_clients::Endpoints for Client {
            fn core(&self) -> &::vendor_clients::Core {
                &self.core
            }
        }

        impl Client {
            /// A builder with this API's default server.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            #(#methods)*
        }

        #(#outcome_enums)*
    }
}

/// The methods of `Client`: one per operation, and for a paginated one its `_stream` (with the
/// private JSON-only page method it reads through, when the answer has several media types).
fn client_methods(api: &Api, endpoints: &mut Vec<String>) -> Vec<TokenStream> {
    let mut methods = Vec::new();
    for op in &api.operations {
        methods.push(operation(op, &api.unwraps, endpoints, true));
        if let Some(p) = &op.pagination {
            match json_page(op) {
                Some(page) => {
                    methods.push(operation(&page, &api.unwraps, endpoints, false));
                    methods.push(stream_method(op, &page, p));
                }
                None => methods.push(stream_method(op, op, p)),
            }
        }
    }
    methods
}

/// The builder's setter for one variable of the default server.
fn server_variable_setter(v: &ServerVariable) -> TokenStream {
    let setter = ident(&v.setter);
    let name = &v.name;
    let mut d = format!(" Sets the server variable `{name}`");
    if !v.description.is_empty() {
        d.push_str(&format!(": {}", v.description.trim()));
    }
    let extra = if v.default.is_empty() {
        " This value has no default: it must be set before `build`.".to_string()
    } else {
        format!(" Default: `{}`.", v.default)
    };
    quote! {
        #[doc = #d]
        #[doc = ""]
        #[doc = #extra]
        pub fn #setter(self, value: impl Into<String>) -> Self {
            self.server_variable(#name, value)
        }
    }
}

/// The builder's setter for the credentials of one security scheme, taking what the scheme
/// needs (a token, a user and password, a key, a signer's secret).
fn scheme_setter(s: &Scheme) -> TokenStream {
    let setter = ident(&s.setter);
    let name = &s.name;
    let mut d = format!(" Credentials for the `{name}` security scheme");
    if !s.description.is_empty() {
        d.push_str(&format!(": {}", s.description.trim()));
    }
    let (note, args, credential) = scheme_credential(&s.kind);
    quote! {
        #[doc = #d]
        #[doc = ""]
        #[doc = #note]
        pub fn #setter(self, #args) -> Self {
            self.credential(#name, #credential)
        }
    }
}

/// For one kind of security scheme: the note on how the credential is sent, the setter's
/// arguments, and the `Credential` it builds from them.
fn scheme_credential(kind: &SchemeKind) -> (String, TokenStream, TokenStream) {
    let secret = quote!(impl Into<::vendor_clients::Secret>);
    match kind {
        SchemeKind::Bearer => (
            " Sent as `Authorization: Bearer <token>`.".to_string(),
            quote!(token: #secret),
            quote!(::vendor_clients::Credential::Bearer(token.into())),
        ),
        SchemeKind::Basic => (
            " Sent as HTTP Basic authentication.".to_string(),
            quote!(username: impl Into<String>, password: #secret),
            quote!(::vendor_clients::Credential::Basic {
                username: username.into(),
                password: password.into()
            }),
        ),
        SchemeKind::BasicFixedUser(username) => {
            let note = if username.is_empty() {
                " Sent as HTTP Basic authentication with an empty user name: `Basic base64(\":\" + password)`.".to_string()
            } else {
                format!(" Sent as HTTP Basic authentication with the user name `{username}`.")
            };
            (
                note,
                quote!(password: #secret),
                quote!(::vendor_clients::Credential::Basic { username: ::std::string::String::from(#username), password: password.into() }),
            )
        }
        SchemeKind::ApiKeyHeader(header) => (
            format!(" Sent in the `{header}` header."),
            quote!(key: #secret),
            quote!(::vendor_clients::Credential::ApiKeyHeader { header: #header, value: key.into() }),
        ),
        SchemeKind::Signer(signer) => {
            let note = format!(
                " The `{signer}` signer computes the credential for each request from this secret."
            );
            // `lower` only lets the signers of `lower::SIGNERS` through; there is one so far.
            let ctor = quote!(::vendor_clients::signers::MentionMeToken::new(secret));
            (
                note,
                quote!(secret: #secret),
                quote!(::vendor_clients::Credential::Signer(::std::sync::Arc::new(#ctor))),
            )
        }
        SchemeKind::ApiKeyQuery(q) => (
            format!(" Sent as the `{q}` query parameter."),
            quote!(key: #secret),
            quote!(::vendor_clients::Credential::ApiKeyQuery { name: #q, value: key.into() }),
        ),
    }
}
