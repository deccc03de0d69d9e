//! What the code of `#[string_enum]` calls: a string read from the deserializer, borrowed when
//! the input allows. Not a public API.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, Error, Visitor};

/// Reads a string, borrowed from the input when it can be (JSON without escapes), owned else.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cow<'de, str>, D::Error> {
    struct Text;
    impl<'de> Visitor<'de> for Text {
        type Value = Cow<'de, str>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Cow::Borrowed(v))
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v.to_owned()))
        }

        fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_borrowed_when_unescaped_owned_when_escaped_and_other_values_refused() {
        let mut plain = serde_json::Deserializer::from_str("\"red\"");
        assert!(matches!(string(&mut plain), Ok(Cow::Borrowed("red"))));
        let mut escaped = serde_json::Deserializer::from_str("\"r\\u0065d\"");
        match string(&mut escaped) {
            Ok(Cow::Owned(s)) => assert_eq!(s, "red"),
            other => panic!("{other:?}"),
        }
        let mut number = serde_json::Deserializer::from_str("5");
        let e = string(&mut number).map(|_| ()).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("invalid type: integer `5`, expected a string at line 1 column 1")
        );
    }
}
