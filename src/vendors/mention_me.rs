//! Mention Me's signer: the per-customer consumer token the Consumer API expects, computed from
//! the merchant secret and the customer's email in each request (see [`crate::signers`] for the
//! trait it implements, and `specs/mention-me.yaml`'s `x-signer: mention-me-token`).

use std::fmt;

use sha2::{Digest, Sha256};

use crate::signers::{Signer, SigningRequest};
use crate::Secret;

/// Mention Me's consumer token: `lowercase_hex(SHA-256(lowercase(email) + secret))`, sent as
/// the `request[authenticationToken]` query parameter on GET calls (with the email taken from
/// `emailAddress`), or as `request.authenticationToken` in the JSON body of POST calls (with the
/// email taken from `customer.emailAddress`).
#[derive(Clone)]
pub struct MentionMeToken {
    secret: Secret,
}

impl MentionMeToken {
    /// A signer for the merchant's secret.
    pub fn new(secret: impl Into<Secret>) -> Self {
        MentionMeToken {
            secret: secret.into(),
        }
    }

    /// The token for `email`.
    pub fn token(&self, email: &str) -> Secret {
        let mut hasher = Sha256::new();
        hasher.update(email.to_lowercase().as_bytes());
        hasher.update(self.secret.expose().as_bytes());
        let digest = hasher.finalize();
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push_str(&format!("{byte:02x}"));
        }
        Secret::new(hex)
    }
}

impl fmt::Debug for MentionMeToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MentionMeToken")
            .field("secret", &self.secret)
            .finish()
    }
}

impl Signer for MentionMeToken {
    fn sign(&self, request: &mut SigningRequest<'_>) -> Result<(), String> {
        const QUERY_TOKEN: &str = "request[authenticationToken]";
        if let Some(email) = request
            .query
            .iter()
            .find(|(k, _)| k == "emailAddress")
            .map(|(_, v)| v.clone())
        {
            let token = self.token(&email);
            request.query.retain(|(k, _)| k != QUERY_TOKEN);
            request
                .query
                .push((QUERY_TOKEN.to_string(), token.expose().to_string()));
            return Ok(());
        }
        let Some(body) = request.body.as_deref_mut() else {
            return Err(format!(
                "{}: the Mention Me token needs the customer's email, but the request has neither an `emailAddress` query parameter nor a body",
                request.operation
            ));
        };
        let email = body
            .get("customer")
            .and_then(|c| c.get("emailAddress"))
            .and_then(|e| e.as_str())
            .map(str::to_string)
            .ok_or_else(|| {
                format!(
                    "{}: the Mention Me token needs the customer's email in `customer.emailAddress`",
                    request.operation
                )
            })?;
        let token = self.token(&email);
        let Some(obj) = body.as_object_mut() else {
            return Err(format!(
                "{}: the request body is not a JSON object",
                request.operation
            ));
        };
        let ctx = obj
            .entry("request")
            .or_insert_with(|| serde_json::json!({}));
        let Some(ctx) = ctx.as_object_mut() else {
            return Err(format!(
                "{}: `request` in the body is not an object",
                request.operation
            ));
        };
        ctx.insert(
            "authenticationToken".into(),
            serde_json::Value::String(token.expose().to_string()),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_matches_the_documented_algorithm() {
        // FACTS: `Jane.Doe@Example.com` with secret `s3cret` hashes `jane.doe@example.coms3cret`.
        // Reference value: printf 'jane.doe@example.coms3cret' | sha256sum
        let signer = MentionMeToken::new("s3cret");
        assert_eq!(
            signer.token("Jane.Doe@Example.com").expose(),
            "e0af8b3addc661090b108a6a57f5ee32fb3338d568f9bc682f58b9450f543f90"
        );
    }

    #[test]
    fn get_calls_get_the_token_in_the_query() {
        let signer = MentionMeToken::new("s3cret");
        let mut query = vec![(
            "emailAddress".to_string(),
            "Jane.Doe@Example.com".to_string(),
        )];
        signer
            .sign(&mut SigningRequest {
                operation: "op",
                query: &mut query,
                body: None,
            })
            .unwrap();
        assert_eq!(query[1].0, "request[authenticationToken]");
        assert_eq!(query[1].1, signer.token("jane.doe@example.com").expose());
    }

    #[test]
    fn post_calls_get_the_token_in_the_body() {
        let signer = MentionMeToken::new("s3cret");
        let mut body = serde_json::json!({"customer": {"emailAddress": "a@b.c"}, "request": {"partnerCode": "X"}});
        signer
            .sign(&mut SigningRequest {
                operation: "op",
                query: &mut Vec::new(),
                body: Some(&mut body),
            })
            .unwrap();
        assert_eq!(body["request"]["partnerCode"], "X");
        assert_eq!(
            body["request"]["authenticationToken"],
            signer.token("a@b.c").expose()
        );
    }

    #[test]
    fn missing_email_is_an_error_that_does_not_leak_the_secret() {
        let signer = MentionMeToken::new("s3cret");
        let mut body = serde_json::json!({"customer": {}});
        let e = signer
            .sign(&mut SigningRequest {
                operation: "enrolReferrer",
                query: &mut Vec::new(),
                body: Some(&mut body),
            })
            .unwrap_err();
        assert!(
            e.contains("enrolReferrer") && e.contains("customer.emailAddress"),
            "{e}"
        );
        assert!(!e.contains("s3cret") && !format!("{signer:?}").contains("s3cret"));
    }
}
