//! Vendor-specific runtime code: what one vendor needs beyond the generic runtime in `src/`
//! (which every generated client shares) and beyond what its spec generates.
//!
//! - [`mention_me`]: the Mention Me consumer-token signer, re-exported as
//!   `vendor_clients::signers::MentionMeToken`.
//! - [`saasquatch_auth`]: SaaSquatch user JWTs and webhook verification, public as
//!   `vendor_clients::saasquatch_auth`.
//!
//! The public paths stay where users and generated code name them; this folder only says which
//! code is a vendor's own.

pub(crate) mod mention_me;
#[cfg(feature = "saasquatch")]
pub mod saasquatch_auth;
