//! SaaSquatch authentication helpers that are not HTTP calls: minting the user JWT the open
//! endpoints accept, and verifying the webhooks SaaSquatch sends.
//!
//! - [`mint_user_jwt`](crate::saasquatch_auth::mint_user_jwt) signs typed [`UserJwtClaims`](crate::saasquatch::UserJwtClaims) with HS256 and the tenant's API key, for
//!   [`ClientBuilder::user_jwt`](crate::saasquatch::ClientBuilder).
//! - [`verify_jws`](crate::saasquatch_auth::verify_jws) checks the `X-Hook-JWS-RFC-7797` header of a received webhook (a JWS with a
//!   detached payload) against a JWKS you supply, then decodes the body as a
//!   [`WebhookEvent`](crate::saasquatch::WebhookEvent). Nothing is fetched: load SaaSquatch's key set
//!   (`https://app.referralsaasquatch.com/.well-known/jwks.json`) yourself, e.g. at start-up,
//!   and parse it with `serde_json::from_str::<JwkSet>`.
//! - [`verify_legacy_signature`](crate::saasquatch_auth::verify_legacy_signature) checks the older `X-Hook-Signature` header (HMAC-SHA1 of the
//!   raw body keyed with the API key).
//!
//! Always verify the raw body bytes as received, before any parsing or re-encoding.
//!
//! (Links here are written from the crate root: rustdoc joins these lines with the doc comment on
//! `pub mod saasquatch_auth` and resolves them there.)

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use reqwest::header::HeaderMap;

pub use crate::saasquatch::{
    UserJwtClaims, UserJwtSubjectClaims, UserJwtUser, UserJwtUserClaims, WebhookEvent,
    WebhookEventType,
};
pub use jsonwebtoken::jwk::{Jwk, JwkSet};

use crate::Secret;

/// The header of the current webhook signature (a detached-payload JWS).
pub const JWS_HEADER: &str = "X-Hook-JWS-RFC-7797";

/// The header of the legacy webhook signature (HMAC-SHA1 of the body).
pub const LEGACY_SIGNATURE_HEADER: &str = "X-Hook-Signature";

// ------------------------------------------------------------------ user JWTs

/// Why a user JWT could not be minted. Never contains the key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MintError {
    /// The API key is empty.
    #[error("cannot sign a SaaSquatch user JWT: the API key is empty")]
    EmptyKey,
    /// The claims miss a required value.
    #[error("cannot sign a SaaSquatch user JWT: {0}")]
    InvalidClaims(&'static str),
    /// Signing failed.
    #[error("cannot sign a SaaSquatch user JWT: {0}")]
    Signing(#[source] jsonwebtoken::errors::Error),
}

impl UserJwtUser {
    /// The user of a read token: only the ids.
    pub fn new(account_id: impl Into<String>, user_id: impl Into<String>) -> Self {
        Self {
            id: user_id.into(),
            account_id: account_id.into(),
            email: None,
            first_name: None,
            last_name: None,
            locale: None,
            referral_code: None,
            image_url: None,
        }
    }
}

impl UserJwtClaims {
    /// Claims of a token for `user` (`{"user": {...}}`), without expiry. A user with only ids
    /// makes a read token; set profile fields (email, names, ...) for a write token.
    pub fn for_user(user: UserJwtUser) -> Self {
        UserJwtClaims::UserJwtUserClaims(UserJwtUserClaims { user, exp: None })
    }

    /// Claims in the newer subject form: `sub = "{accountId}:{userId}@{tenantAlias}:users"`.
    pub fn for_subject(account_id: &str, user_id: &str, tenant_alias: &str) -> Self {
        UserJwtClaims::UserJwtSubjectClaims(UserJwtSubjectClaims {
            sub: format!("{account_id}:{user_id}@{tenant_alias}:users"),
            exp: None,
        })
    }

    /// Sets the expiry, in seconds since the Unix epoch (the JWT `exp` claim).
    pub fn expires_at(mut self, unix_seconds: i64) -> Self {
        match &mut self {
            UserJwtClaims::UserJwtUserClaims(c) => c.exp = Some(unix_seconds),
            UserJwtClaims::UserJwtSubjectClaims(c) => c.exp = Some(unix_seconds),
        }
        self
    }

    /// Sets the expiry to `ttl` from now.
    pub fn expires_in(self, ttl: std::time::Duration) -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let at = now.saturating_add(ttl).as_secs();
        self.expires_at(i64::try_from(at).unwrap_or(i64::MAX))
    }
}

/// Mints a user JWT: the claims signed with HS256, keyed with the tenant's API key, as SaaSquatch's
/// open endpoints expect in `X-SaaSquatch-User-Token`. Pass the result to the client builder's
/// `user_jwt`. The token is returned as a [`Secret`] (it grants access as the user).
pub fn mint_user_jwt(api_key: &str, claims: &UserJwtClaims) -> Result<Secret, MintError> {
    if api_key.is_empty() {
        return Err(MintError::EmptyKey);
    }
    match claims {
        UserJwtClaims::UserJwtUserClaims(c) if c.user.id.is_empty() => {
            return Err(MintError::InvalidClaims("`user.id` is empty"))
        }
        UserJwtClaims::UserJwtUserClaims(c) if c.user.account_id.is_empty() => {
            return Err(MintError::InvalidClaims("`user.accountId` is empty"))
        }
        UserJwtClaims::UserJwtSubjectClaims(c) if c.sub.is_empty() => {
            return Err(MintError::InvalidClaims("`sub` is empty"))
        }
        _ => {}
    }
    let header = Header::new(Algorithm::HS256);
    let key = EncodingKey::from_secret(api_key.as_bytes()).map_err(MintError::Signing)?;
    jsonwebtoken::encode(&header, claims, &key)
        .map(Secret::new)
        .map_err(MintError::Signing)
}

// ------------------------------------------------------------------ webhooks

/// Why a webhook was not accepted. Messages name the header and the problem, never a key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signature header is absent (or not visible ASCII).
    #[error("webhook has no usable `{header}` header")]
    MissingHeader {
        /// The header looked for.
        header: &'static str,
    },
    /// The header is not a signature of the expected form.
    #[error("webhook header `{header}` is malformed: {reason}")]
    MalformedSignature {
        /// The header.
        header: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The JWS names a key the JWKS does not have (a rotated key: reload the JWKS).
    #[error("webhook is signed with key `{kid}`, which is not in the JWKS")]
    UnknownKid {
        /// The key id from the JWS header.
        kid: String,
    },
    /// The JWKS entry for the key cannot be used.
    #[error("the JWKS key `{kid}` cannot verify webhooks: {reason}")]
    InvalidKey {
        /// The key id.
        kid: String,
        /// Why.
        reason: String,
    },
    /// The JWS uses an algorithm this client does not accept (symmetric or `none`
    /// algorithms are refused with a JWKS), or one the key is not for.
    #[error("webhook signature uses unsupported algorithm `{alg}`")]
    UnsupportedAlgorithm {
        /// The algorithm named in the header.
        alg: String,
    },
    /// The signature does not match the body: the body was changed, or it was signed by another
    /// key.
    #[error("webhook signature in `{header}` does not match the body")]
    BadSignature {
        /// The header.
        header: &'static str,
    },
    /// The signature is valid but the body is not a webhook event.
    #[error("webhook body could not be decoded at `{path}`: {message}")]
    Decode {
        /// Where in the document decoding failed (`.` for the top level).
        path: String,
        /// What went wrong there.
        message: String,
    },
}

fn header_value<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<&'h str, WebhookError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or(WebhookError::MissingHeader { header: name })
}

/// Verifies a received webhook by its `X-Hook-JWS-RFC-7797` header against `jwks`, and decodes
/// the body. `body` must be the raw bytes as received.
pub fn verify_jws(
    headers: &HeaderMap,
    body: &[u8],
    jwks: &JwkSet,
) -> Result<WebhookEvent, WebhookError> {
    let value = header_value(headers, JWS_HEADER)?;
    verify_jws_value(value, body, jwks)
}

/// The JWS protected header fields that matter here.
#[derive(serde::Deserialize)]
struct Protected {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default = "yes")]
    b64: bool,
    #[serde(default)]
    crit: Vec<String>,
}

fn yes() -> bool {
    true
}

/// Like [`verify_jws`], given the header's value (`<protected>..<signature>`).
///
/// The signing input is `<protected> '.' <payload>`, where the payload is the raw body when the
/// protected header says `"b64": false` (RFC 7797) and the body base64url-encoded otherwise
/// (RFC 7515 appendix F); both forms are accepted.
pub fn verify_jws_value(
    value: &str,
    body: &[u8],
    jwks: &JwkSet,
) -> Result<WebhookEvent, WebhookError> {
    let malformed = |reason: &str| WebhookError::MalformedSignature {
        header: JWS_HEADER,
        reason: reason.to_owned(),
    };
    let mut parts = value.trim().split('.');
    let (Some(protected_b64), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed(
            "expected a detached JWS of the form `<header>..<signature>`",
        ));
    };
    if !payload.is_empty() {
        return Err(malformed(
            "the payload is not detached (the part between the dots must be empty)",
        ));
    }
    if protected_b64.is_empty() || signature.is_empty() {
        return Err(malformed("the protected header or the signature is empty"));
    }
    let protected_json = URL_SAFE_NO_PAD
        .decode(protected_b64)
        .map_err(|_| malformed("the protected header is not base64url"))?;
    let protected: Protected = serde_json::from_slice(&protected_json)
        .map_err(|e| malformed(&format!("the protected header is not a JWS header: {e}")))?;
    if let Some(unknown) = protected.crit.iter().find(|c| c.as_str() != "b64") {
        return Err(malformed(&format!(
            "the protected header marks `{unknown}` as critical, which this client does not understand"
        )));
    }
    let alg = match protected.alg.as_str() {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        "PS256" => Algorithm::PS256,
        "PS384" => Algorithm::PS384,
        "PS512" => Algorithm::PS512,
        "ES256" => Algorithm::ES256,
        "ES384" => Algorithm::ES384,
        "EdDSA" => Algorithm::EdDSA,
        // HS* would make the public key a shared secret; `none` is no signature.
        other => {
            return Err(WebhookError::UnsupportedAlgorithm {
                alg: other.to_owned(),
            })
        }
    };
    let Some(kid) = protected.kid.as_deref() else {
        return Err(malformed("the protected header has no `kid`"));
    };
    let Some(jwk) = jwks.find(kid) else {
        return Err(WebhookError::UnknownKid {
            kid: kid.to_owned(),
        });
    };
    if let Some(key_alg) = jwk.common.key_algorithm {
        if format!("{key_alg:?}") != protected.alg {
            return Err(WebhookError::UnsupportedAlgorithm {
                alg: format!("{} (key `{kid}` is for {key_alg:?})", protected.alg),
            });
        }
    }
    let key = DecodingKey::from_jwk(jwk).map_err(|e| WebhookError::InvalidKey {
        kid: kid.to_owned(),
        reason: e.to_string(),
    })?;

    let mut message = Vec::with_capacity(protected_b64.len() + 1 + body.len() * 4 / 3 + 4);
    message.extend_from_slice(protected_b64.as_bytes());
    message.push(b'.');
    if protected.b64 {
        message.extend_from_slice(URL_SAFE_NO_PAD.encode(body).as_bytes());
    } else {
        message.extend_from_slice(body);
    }
    match jsonwebtoken::crypto::verify(signature, &message, &key, alg) {
        Ok(true) => {}
        Ok(false) => {
            return Err(WebhookError::BadSignature { header: JWS_HEADER });
        }
        Err(e) => {
            return Err(match e.kind() {
                jsonwebtoken::errors::ErrorKind::Base64(_) => {
                    malformed("the signature is not base64url")
                }
                // A key of another family than the algorithm (e.g. an EC key for RS256).
                jsonwebtoken::errors::ErrorKind::InvalidKeyFormat
                | jsonwebtoken::errors::ErrorKind::InvalidAlgorithm => {
                    WebhookError::UnsupportedAlgorithm {
                        alg: format!("{} (not usable with key `{kid}`)", protected.alg),
                    }
                }
                _ => WebhookError::BadSignature { header: JWS_HEADER },
            });
        }
    }
    decode_event(body)
}

/// Verifies a received webhook by its legacy `X-Hook-Signature` header (HMAC-SHA1 of the raw body
/// keyed with the API key), and decodes the body. The signature is accepted base64- or
/// hex-encoded.
pub fn verify_legacy_signature(
    headers: &HeaderMap,
    body: &[u8],
    api_key: &str,
) -> Result<WebhookEvent, WebhookError> {
    let value = header_value(headers, LEGACY_SIGNATURE_HEADER)?;
    verify_legacy_signature_value(value, body, api_key)
}

/// Like [`verify_legacy_signature`], given the header's value.
pub fn verify_legacy_signature_value(
    value: &str,
    body: &[u8],
    api_key: &str,
) -> Result<WebhookEvent, WebhookError> {
    use hmac::{KeyInit as _, Mac as _};
    let value = value.trim();
    let signature = if value.len() == 40 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        decode_hex(value)
    } else {
        STANDARD.decode(value).ok()
    };
    let Some(signature) = signature.filter(|s| s.len() == 20) else {
        return Err(WebhookError::MalformedSignature {
            header: LEGACY_SIGNATURE_HEADER,
            reason: "expected an HMAC-SHA1 (20 bytes) in base64 or hex".to_owned(),
        });
    };
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(api_key.as_bytes()).map_err(|_| {
        WebhookError::BadSignature {
            header: LEGACY_SIGNATURE_HEADER,
        }
    })?;
    mac.update(body);
    // Constant-time comparison.
    mac.verify_slice(&signature)
        .map_err(|_| WebhookError::BadSignature {
            header: LEGACY_SIGNATURE_HEADER,
        })?;
    decode_event(body)
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn decode_event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let event: WebhookEvent =
        serde_path_to_error::deserialize(&mut de).map_err(|e| WebhookError::Decode {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })?;
    de.end().map_err(|e| WebhookError::Decode {
        path: ".".to_owned(),
        message: e.to_string(),
    })?;
    Ok(event)
}
