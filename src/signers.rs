//! Signers: credentials that are computed per request from the request itself, for vendors whose
//! authentication is not a fixed header. A signer sees the query and the JSON body just before
//! the request is sent, and adds what the vendor expects.
//!
//! The trait and what a signer sees are the runtime's; the vendors' signers live with the other
//! vendor-specific code (`src/vendors/`) and are re-exported here, where generated code names
//! them (`vendor_clients::signers::MentionMeToken`).

use std::fmt;

/// The parts of a request a [`Signer`] may read and change.
pub struct SigningRequest<'a> {
    /// The operation's id, for error messages.
    pub operation: &'static str,
    /// Query pairs, in order.
    pub query: &'a mut Vec<(String, String)>,
    /// The JSON body, when the request has one.
    pub body: Option<&'a mut serde_json::Value>,
}

/// Computes a credential from the request and adds it to the request.
pub trait Signer: Send + Sync + fmt::Debug {
    /// Adds the credential, or says why it cannot (the message names what is missing, never the
    /// secret).
    fn sign(&self, request: &mut SigningRequest<'_>) -> Result<(), String>;
}

pub use crate::vendors::mention_me::MentionMeToken;
