//! Typed async clients for partner-program APIs, generated from hand-written
//! OpenAPI specs, and the runtime they share.
//!
//! The runtime: a [`ClientBuilder`] makes a [`Core`] (base URL, HTTP client,
//! credentials, limits); each endpoint is a method declared with
//! [`macro@endpoint`], which assembles a [`Request`] and interprets the
//! [`Response`] by status. Failures are [`Error`]s.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate self as vendor_clients;

mod api;
mod builder_methods;
mod client;
mod error;
mod form;
mod hooks;
mod known;
mod media;
mod meta;
mod multipart;
mod nullable;
mod object;
mod params;
mod request;
mod retry;
mod row;
mod secret;
mod stream;
mod styled;
mod upload;
mod wire;

pub use api::{ApiDescription, Endpoints, Method, Operation, ServerSpec, ServerVariable, Verdict};
/// The `bytes` crate: `Bytes` is the type of binary response bodies and of the chunks a
/// [`ByteStream`] yields.
pub use bytes;
pub use client::{
    ClientBuilder, Core, Credential, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT,
};
pub use error::{ApiError, BuildError, Error};
pub use hooks::{AttemptFailure, Hook, RequestParts, ResponseInfo};
pub use known::{known_only, KnownValues};
pub use media::{media_type, media_type_matches};
pub use meta::{with_response_meta, RateLimit, ResponseMeta};
pub use multipart::{FilePart, Multipart, MultipartBody};
pub use nullable::Nullable;
pub use params::{HeaderParam, PathParam, QueryParam, ToParam};
pub use request::{Request, Response};
/// What the code of `#[derive(Object)]` (through `__object_impls!`) calls. Not a public API.
#[doc(hidden)]
pub mod __object {
    // Shorter paths for the derive's code to name (each path segment is resolved and lowered
    // in every build of the user's crate).
    pub use crate::object::{
        object, write, Defaulted, Deferred, Fields, Never, Required, Slots, Unless,
    };
}
/// What the code of `#[string_enum]` calls. Not a public API.
#[doc(hidden)]
pub mod __wire {
    pub use crate::wire::string;
}
/// What `#[endpoint]` methods return: the compact form's whole call (`call_json`, `call_empty`,
/// with how an answer's status is read written once here instead of in every generated
/// operation), and the full form's response mapped by its status match (`map`). Not a public
/// API.
#[doc(hidden)]
pub mod __answer {
    pub use crate::request::{call_empty, call_json, error_body, map, no_error_body, Outcome};
}
/// The `reqwest` crate this runtime sends requests with: give a configured `reqwest::Client` to
/// `ClientBuilder::http_client`; generated code names it through this path.
pub use reqwest;
pub use retry::RetryPolicy;
pub use row::Row;
pub use secret::Secret;
/// The `serde` crate (with `derive`) the generated types derive `Serialize` and `Deserialize`
/// with, re-exported so that a crate holding generated code needs no serde dependency of its own.
pub use serde;
/// The `serde_json` crate: untyped JSON bodies are `serde_json::Value`.
pub use serde_json;
pub use stream::{ByteStream, Streamed};
pub use styled::QueryStyle;
/// The `time` crate the date and time types ([`DateTime`], [`Date`], ...) are built on.
pub use time;
pub use upload::Upload;
pub use vendor_clients_macros::endpoint;
/// Gives a struct of an operation's query, header and cookie parameters its builder (`new` with
/// the required ones, a setter per optional one, `Default` when none is required) and its
/// [`Params`] impl; each field says where it goes with `#[param(...)]`. Generated clients use
/// it for their `<Operation>Params` types; it can be used by hand too:
///
/// ```
/// use vendor_clients::{params, Secret};
///
/// #[params(operation = "listItems")]
/// #[derive(Debug, Clone)]
/// pub struct ListItemsParams {
///     /// `q` (query parameter): what to find.
///     #[param(query = "q", required)] // required: an argument of `new`
///     pub q: String,
///     /// `ids` (query parameter).
///     #[param(query = "ids", style = FormUnexploded)] // optional: `Option<T>` and a setter
///     pub ids: Option<Vec<i64>>,
///     #[param(header = "X-Trace")] // also `query = "..", json` / `header = "..", json`
///     pub trace: Option<String>,
///     #[param(cookie = "session")]
///     pub session: Option<Secret>,
/// }
///
/// let p = ListItemsParams::new("shoes").ids(vec![1, 2]).trace("t-1");
/// assert_eq!(p.q, "shoes");
/// assert_eq!(p.ids, Some(vec![1, 2]));
/// assert!(p.session.is_none());
/// ```
///
/// `style` names a [`QueryStyle`] variant; `#[param(group)]` marks a field whose value is itself
/// [`Params`] (a parameter group).
pub use vendor_clients_macros::params;
/// Gives an enum of known string values (`#[wire("...")]` on each unit variant) and one
/// catch-all `Unknown(String)` variant its `as_str`, `Display`, [`ToParam`], `Serialize` (the wire
/// value) and `Deserialize` (a known value to its variant, any other string kept in the
/// catch-all, so a value the vendor adds later is not an error). Generated clients use it for
/// their string enums:
///
/// ```
/// #[vendor_clients::string_enum]
/// #[derive(Debug, Clone, PartialEq, Eq, Hash)]
/// pub enum Status {
///     #[wire("active")]
///     Active,
///     #[wire("on-hold")]
///     OnHold,
///     /// A value this client does not know yet, kept as received.
///     Unknown(String),
/// }
///
/// let s: Status = vendor_clients::serde_json::from_str("\"on-hold\"").unwrap();
/// assert_eq!(s, Status::OnHold);
/// assert_eq!(s.to_string(), "on-hold");
/// let new: Status = vendor_clients::serde_json::from_str("\"archived\"").unwrap();
/// assert_eq!(new, Status::Unknown("archived".into()));
/// assert_eq!(vendor_clients::serde_json::to_string(&new).unwrap(), "\"archived\"");
/// ```
pub use vendor_clients_macros::string_enum;
/// `Serialize` and `Deserialize` for a struct written as and read from a JSON object, as serde's
/// derives would, in a fraction of the code: the struct's own part is the type of what it reads
/// (an `Option` per field) and an expression per field; the reading and writing are generic code
/// in this crate. Generated structs derive it; it reads the field attributes `#[serde(rename = "..")]`, `alias`,
/// `default`, `default = "path"`, `skip_serializing` and `skip_serializing_if = "path"`, and
/// refuses anything else (`flatten`, container options but `crate`), and structs of more than
/// 256 fields: derive serde's traits for those.
///
/// An absent field is `None` for an `Option`, its default where one is given, and an error
/// "missing field" otherwise; a key given twice is an error; unknown keys are skipped.
///
/// With `#[object(partial_eq)]` it also implements `PartialEq`, comparing every field in order
/// as `#[derive(PartialEq)]` would (generated structs ask for it: the derive also writes a marker
/// impl per struct, for constant patterns, which costs every build of a large client and which
/// such types have no use for).
///
/// ```
/// #[derive(Debug, vendor_clients::Object)]
/// #[object(partial_eq)]
/// struct Pet {
///     #[serde(rename = "petName")]
///     name: String,
///     #[serde(default, skip_serializing_if = "Option::is_none")]
///     age: Option<u8>,
/// }
///
/// let pet: Pet = vendor_clients::serde_json::from_str(r#"{"petName": "Rex", "x": 1}"#).unwrap();
/// assert_eq!(pet, Pet { name: "Rex".into(), age: None });
/// assert_eq!(vendor_clients::serde_json::to_string(&pet).unwrap(), r#"{"petName":"Rex"}"#);
/// let e = vendor_clients::serde_json::from_str::<Pet>("{}").unwrap_err();
/// assert_eq!(e.to_string(), "missing field `petName` at line 1 column 2");
/// ```
pub use vendor_clients_macros::Object;

// vendor modules

mod datetime;
mod envelope;
pub mod lenient;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
pub mod pagination;
mod params_struct;
pub mod signers;
/// For generated code: tagged unions decoded with the failing place kept.
#[doc(hidden)]
pub mod tagged;
mod vendors;
pub use datetime::{Date, DateTime, EpochMillis, EpochSeconds, NaiveDateTime, ParseTimeError};
pub use envelope::Envelope;
pub use lenient::Lenient;
pub use pagination::Stream;
pub use params_struct::Params;

/// dxFeed Retail Services (get.dxfeed): accounts, subscriptions, access tokens, profile links and
/// trial tracking. Generated from `specs/dxfeed.yaml`; the committed copy is `generated/dxfeed.rs`.
#[cfg(feature = "dxfeed")]
#[cfg_attr(docsrs, doc(cfg(feature = "dxfeed")))]
pub mod dxfeed {
    include!(concat!(env!("OUT_DIR"), "/dxfeed.rs"));
}

/// Mention Me Consumer API: referrer dashboard, enrolment, orders, referrer search and referee
/// registration, with the per-request authentication token computed by the client. Generated
/// from `specs/mention-me.yaml`; the committed copy is `generated/mention_me.rs`.
#[cfg(feature = "mention-me")]
#[cfg_attr(docsrs, doc(cfg(feature = "mention-me")))]
pub mod mention_me {
    include!(concat!(env!("OUT_DIR"), "/mention_me.rs"));
}

/// Mention Me Entry Point API: links into web views hosted by Mention Me, for a customer to share
/// an offer, for a referee to find the friend who referred them, and for a referrer's dashboard,
/// signed with the Consumer API's per-customer token. Generated from
/// `specs/mention-me-entry-point.yaml`; the committed copy is `generated/mention_me_entry_point.rs`.
#[cfg(feature = "mention-me-entry-point")]
pub mod mention_me_entry_point {
    include!(concat!(env!("OUT_DIR"), "/mention_me_entry_point.rs"));
}

/// Spaaza: campaign referrals, with the customer identity as an enum and the `{result}` envelope
/// unwrapped. Generated from `specs/spaaza.yaml`; the committed copy is `generated/spaaza.rs`.
#[cfg(feature = "spaaza")]
#[cfg_attr(docsrs, doc(cfg(feature = "spaaza")))]
pub mod spaaza {
    include!(concat!(env!("OUT_DIR"), "/spaaza.rs"));
}

/// SaaSquatch: accounts, users, referral codes, referrals, rewards, webhooks, exports, themes
/// and discounts. Generated from `specs/saasquatch.yaml`; the committed copy is
/// `generated/saasquatch.rs`.
#[cfg(feature = "saasquatch")]
#[cfg_attr(docsrs, doc(cfg(feature = "saasquatch")))]
pub mod saasquatch {
    include!(concat!(env!("OUT_DIR"), "/saasquatch.rs"));
}

/// SaaSquatch helpers besides the HTTP client: minting user JWTs for the open endpoints, and
/// verifying received webhooks (the `X-Hook-JWS-RFC-7797` JWS, or the legacy
/// `X-Hook-Signature` HMAC).
#[cfg(feature = "saasquatch")]
#[cfg_attr(docsrs, doc(cfg(feature = "saasquatch")))]
pub use vendors::saasquatch_auth;

/// Partnerize partner API (v1, v2 and v3 in one client, Basic auth with the application key and
/// the user API key): partner profile, campaigns, creatives, vouchers, commissions, reporting and
/// CSV exports, background jobs, reference lists, tracking links, Analytics and Partnerize Tags.
/// Generated from `specs/partnerize.yaml`; the committed copy is `generated/partnerize.rs`.
#[cfg(feature = "partnerize")]
#[cfg_attr(docsrs, doc(cfg(feature = "partnerize")))]
pub mod partnerize {
    include!(concat!(env!("OUT_DIR"), "/partnerize.rs"));
}

/// The clients `vendor-clients-codegen check-corpus` generated from other projects' specs, one
/// module per spec, compiled here as vendor modules are (feature `corpus`; not for use).
#[cfg(feature = "corpus")]
#[doc(hidden)]
pub mod corpus {
    include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
}

/// Generated from the hostile specs of tests/fixtures/hostile, compiled and called here.
#[cfg(test)]
#[path = "../tests/fixtures/hostile/mod.rs"]
mod hostile_fixtures;

/// The README's examples compile (as `no_run` doctests).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The examples of the guide to the clients (docs/CLIENTS.md) compile (as `no_run` doctests).
#[cfg(doctest)]
#[doc = include_str!("../docs/CLIENTS.md")]
pub struct ClientsGuideDoctests;
