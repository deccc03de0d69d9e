//! [`Secret`]: a string that never shows up in `Debug` or `Display` output.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret string (password, token, API key).
///
/// `Debug` prints `Secret(***)` and `Display` prints `***`, so a secret cannot
/// leak through logging or error messages by accident. Use [`Secret::expose`]
/// to read the value on purpose. Serializes and deserializes as the plain
/// string, so generated request and response types can hold it directly.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the secret value. Every call site is a place where it may leak:
    /// keep them few.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn serde_is_transparent() {
        #[derive(Serialize, Deserialize, Debug)]
        struct Login {
            password: Secret,
        }
        let l: Login = serde_json::from_str(r#"{"password":"pw"}"#).expect("valid json");
        assert_eq!(l.password.expose(), "pw");
        assert_eq!(
            serde_json::to_string(&l).expect("serializable"),
            r#"{"password":"pw"}"#
        );
        assert!(!format!("{l:?}").contains("pw"));
    }

    #[test]
    fn conversions_and_equality() {
        assert_eq!(Secret::from("a"), Secret::from(String::from("a")));
        assert_ne!(Secret::from("a"), Secret::new("b"));
    }
}
